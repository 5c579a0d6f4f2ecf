"""Announcements from the admins: users dismiss them and react to them with emojis."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Account
from moderation.models import Announcement, AnnouncementReaction, AnnouncementRead, CustomEmoji
from timelines.streaming import events as streaming_events

# Different reactions one announcement may carry, as Mastodon allows.
MAX_REACTIONS = 8

# Code points that are emoji pictographs (Unicode's Extended_Pictographic, by block).
PICTOGRAPHS = (
    (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049),
    (0x2122, 0x2122), (0x2139, 0x2139), (0x2194, 0x2199), (0x21A9, 0x21AA),
    (0x231A, 0x231B), (0x2328, 0x2328), (0x23CF, 0x23CF), (0x23E9, 0x23F3),
    (0x23F8, 0x23FA), (0x24C2, 0x24C2), (0x25AA, 0x25AB), (0x25B6, 0x25B6),
    (0x25C0, 0x25C0), (0x25FB, 0x25FE), (0x2600, 0x27BF), (0x2934, 0x2935),
    (0x2B05, 0x2B07), (0x2B1B, 0x2B1C), (0x2B50, 0x2B50), (0x2B55, 0x2B55),
    (0x3030, 0x3030), (0x303D, 0x303D), (0x3297, 0x3297), (0x3299, 0x3299),
    (0x1F000, 0x1FAFF),
)  # fmt: skip
# What may join pictographs into one emoji: ZWJ, variation selectors, keycap, tag letters.
JOINERS = ((0x200D, 0x200D), (0xFE0E, 0xFE0F), (0x20E3, 0x20E3), (0xE0020, 0xE007F))
KEYCAP_BASES = set("0123456789#*")
MAX_EMOJI_CODE_POINTS = 16


def _within(point: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= point <= high for low, high in ranges)


def is_unicode_emoji(name: str) -> bool:
    """One emoji, possibly a sequence (skin tones, ZWJ families, flags, keycaps)."""
    if not name or len(name) > MAX_EMOJI_CODE_POINTS:
        return False
    if "\u20e3" in name:
        return name[0] in KEYCAP_BASES and name[1:] in ("\u20e3", "\ufe0f\u20e3")
    points = [ord(c) for c in name]
    if not any(_within(p, PICTOGRAPHS) for p in points):
        return False
    return all(_within(p, PICTOGRAPHS) or _within(p, JOINERS) for p in points)


def do_dismiss_announcement(*, announcement: Announcement, account: Account) -> None:
    AnnouncementRead.objects.get_or_create(announcement=announcement, account=account)


def check_reaction(*, announcement: Announcement, name: str) -> CustomEmoji | None:
    """A reaction is a unicode emoji or one of this server's enabled custom emojis, and an
    announcement carries at most MAX_REACTIONS different ones."""
    emoji = CustomEmoji.objects.filter(domain__isnull=True, disabled=False, shortcode=name).first()
    if emoji is None and not is_unicode_emoji(name):
        raise ValidationError({"name": "is not a recognized emoji"})
    names = set(announcement.reactions.values_list("name", flat=True).distinct())
    if name not in names and len(names) >= MAX_REACTIONS:
        raise ValidationError("Limit of different reactions reached")
    return emoji


class DuplicateReaction(Exception):
    pass


def do_add_reaction(
    *, announcement: Announcement, account: Account, name: str
) -> AnnouncementReaction:
    emoji = check_reaction(announcement=announcement, name=name)
    try:
        with transaction.atomic():
            reaction = AnnouncementReaction.objects.create(
                announcement=announcement, account=account, name=name, custom_emoji=emoji
            )
            streaming_events.schedule_announcement_reaction(announcement.pk, name)
            return reaction
    except IntegrityError as error:
        raise DuplicateReaction(name) from error


def do_remove_reaction(*, announcement: Announcement, account: Account, name: str) -> None:
    """Raises AnnouncementReaction.DoesNotExist when the account had not reacted so."""
    reaction = AnnouncementReaction.objects.get(
        announcement=announcement, account=account, name=name
    )
    with transaction.atomic():
        reaction.delete()
        streaming_events.schedule_announcement_reaction(announcement.pk, name)
