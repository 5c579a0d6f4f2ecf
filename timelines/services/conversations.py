"""Direct conversations: each direct post joins its thread's conversation, and each local
participant's view of it (unread for those who did not write it)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Account
from timelines.models import Status, Visibility
from timelines.models_inbox import AccountConversation, Conversation, ConversationStatus
from timelines.streaming import events as streaming_events


def conversation_for(status: Status) -> Conversation:
    """The parent's conversation, or a new one that the parent joins as well, so that later
    replies to the same post land in the same thread."""
    parent_id = status.in_reply_to_id
    if parent_id is not None:
        link = ConversationStatus.objects.filter(status_id=parent_id).first()
        if link is not None:
            return link.conversation
    conversation = Conversation.objects.create()
    if parent_id is not None:
        ConversationStatus.objects.create(status_id=parent_id, conversation=conversation)
    return conversation


def _participant_key(ids: list[int]) -> str:
    return ",".join(str(pk) for pk in sorted(ids))


def add_status(*, account: Account, status: Status, conversation: Conversation) -> None:
    """Put the post into this account's view of the conversation with the same people."""
    mentioned = [m.account for m in status.mentions.all() if not m.silent]
    others = {a.pk: a for a in [*mentioned, status.account] if a.pk != account.pk}
    key = _participant_key(list(others))
    try:
        with transaction.atomic():
            entry, created = AccountConversation.objects.get_or_create(
                account=account, conversation=conversation, participant_key=key
            )
    except IntegrityError:
        entry, created = (
            AccountConversation.objects.get(
                account=account, conversation=conversation, participant_key=key
            ),
            False,
        )
    if created:
        entry.participants.set(list(others.values()))
    entry.statuses.add(status)
    entry.unread = status.account_id != account.pk
    entry.updated_at = timezone.now()
    entry.save(update_fields=["unread", "updated_at"])
    if account.local:
        streaming_events.schedule_conversation(account.pk, entry.pk)


def _linked_conversation(status: Status) -> Conversation:
    link = ConversationStatus.objects.filter(status=status).select_related("conversation").first()
    if link is not None:
        return link.conversation
    conversation = conversation_for(status)
    ConversationStatus.objects.get_or_create(status=status, defaults={"conversation": conversation})
    return conversation


def do_record_direct_status(*, status: Status) -> None:
    """Called when a direct post is created: the post joins its thread's conversation and its
    author's view of it. Recipients are added when their mention notification is accepted."""
    if status.visibility != Visibility.DIRECT:
        return
    with transaction.atomic():
        conversation = _linked_conversation(status)
        if status.account.local:
            add_status(account=status.account, status=status, conversation=conversation)


def add_recipient(*, account: Account, status: Status) -> None:
    """A recipient's accepted mention notification for a direct post files it among their
    conversations, as Mastodon does; blocked, muted or filtered senders never get there."""
    if status.visibility != Visibility.DIRECT:
        return
    with transaction.atomic():
        add_status(account=account, status=status, conversation=_linked_conversation(status))


def do_mark_read(*, entry: AccountConversation) -> AccountConversation:
    if entry.unread:
        entry.unread = False
        entry.save(update_fields=["unread"])
    return entry


def do_remove(*, entry: AccountConversation) -> None:
    entry.delete()
