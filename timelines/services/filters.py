"""Filters (Mastodon's CustomFilter): a title, the contexts it applies in, an action (warn,
hide, blur), an optional expiry, and the keywords and posts that trigger it. The v1 API sees
each keyword as a filter of its own; its writes come here too."""

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Account
from timelines.models import Status
from timelines.models_curation import (
    Filter,
    FilterAction,
    FilterContext,
    FilterKeyword,
    FilterStatus,
)
from timelines.streaming import events as streaming_events

KEYWORD_MAX_LENGTH = 512
TITLE_MAX_LENGTH = 256


class Keep:
    """Marks a field the caller left out, so that an update does not touch it."""


KEEP: Any = Keep()


@dataclass(frozen=True)
class KeywordChange:
    """One entry of keywords_attributes: a new keyword, or an edit or removal of one by id."""

    keyword: str | None = None
    whole_word: bool | None = None
    id: int | None = None
    destroy: bool = False


def expiry(expires_in: Any) -> datetime | None:
    """Mastodon's expires_in: seconds from now; empty means never."""
    if expires_in in (None, ""):
        return None
    try:
        seconds = int(float(str(expires_in)))
    except ValueError as error:
        raise ValidationError(
            {"expires_in": ValidationError("is not a number", code="invalid")}
        ) from error
    return timezone.now() + timedelta(seconds=max(seconds, 0))


def check_filter(*, title: Any = KEEP, context: Any = KEEP, filter_action: Any = KEEP) -> None:
    if filter_action is not KEEP and filter_action not in FilterAction.values:
        raise ValidationError(f"'{filter_action}' is not a valid action", code="argument")
    errors: dict[str, list[ValidationError]] = {}
    if title is not KEEP:
        if not str(title).strip():
            errors["title"] = [ValidationError("can't be blank", code="blank")]
        elif len(title) > TITLE_MAX_LENGTH:
            errors["title"] = [ValidationError(f"is too long (maximum is {TITLE_MAX_LENGTH} "
                                               "characters)", code="too_long")]  # fmt: skip
    if context is not KEEP:
        if not context:
            errors["context"] = [ValidationError("can't be blank", code="blank")]
        if not context or any(c not in FilterContext.values for c in context):
            errors.setdefault("context", []).append(
                ValidationError("None or invalid context supplied", code="invalid")
            )
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]


def check_keyword(keyword: str | None, field: str = "keyword") -> None:
    if keyword is None or not keyword.strip():
        raise ValidationError({field: ValidationError("can't be blank", code="blank")})
    if len(keyword) > KEYWORD_MAX_LENGTH:
        message = f"is too long (maximum is {KEYWORD_MAX_LENGTH} characters)"
        raise ValidationError({field: ValidationError(message, code="too_long")})


def clean_context(context: Iterable[Any]) -> list[str]:
    return list(dict.fromkeys(str(c).strip() for c in context if str(c).strip()))


def wanted(changes: Iterable[KeywordChange]) -> list[KeywordChange]:
    """Rails' reject_if: :all_blank: a new entry with nothing in it is ignored."""
    return [
        c for c in changes
        if c.id is not None or (c.keyword or "").strip() or c.whole_word
    ]  # fmt: skip


def do_create_filter(
    *,
    account: Account,
    title: str,
    context: list[str],
    filter_action: str | None = None,
    expires_in: Any = None,
    keywords: Iterable[KeywordChange] = (),
) -> Filter:
    context = clean_context(context)
    action = filter_action or FilterAction.WARN
    check_filter(title=title, context=context, filter_action=action)
    new = [k for k in wanted(keywords) if k.id is None and not k.destroy]
    for change in new:
        check_keyword(change.keyword, "keywords_keyword")
    with transaction.atomic():
        created = Filter.objects.create(
            account=account, title=title, context=context, filter_action=action,
            expires_at=expiry(expires_in),
        )  # fmt: skip
        FilterKeyword.objects.bulk_create(
            FilterKeyword(filter=created, keyword=k.keyword or "",
                          whole_word=True if k.whole_word is None else k.whole_word)
            for k in new
        )  # fmt: skip
        streaming_events.schedule_filters_changed(account.pk)
    return created


def do_update_filter(
    *,
    filter_: Filter,
    title: Any = KEEP,
    context: Any = KEEP,
    filter_action: Any = KEEP,
    expires_in: Any = KEEP,
    keywords: Iterable[KeywordChange] = (),
) -> Filter:
    if context is not KEEP:
        context = clean_context(context)
    check_filter(title=title, context=context, filter_action=filter_action)
    changes = wanted(keywords)
    existing = {k.pk: k for k in filter_.keywords.all()}
    if any(c.id is not None and c.id not in existing for c in changes):
        raise FilterKeyword.DoesNotExist
    for change in changes:
        if not change.destroy and (change.id is None or change.keyword is not None):
            check_keyword(change.keyword, "keywords_keyword")
    fields = {"title": title, "context": context, "filter_action": filter_action}
    with transaction.atomic():
        for name, value in fields.items():
            if value is not KEEP:
                setattr(filter_, name, value)
        if expires_in is not KEEP:
            filter_.expires_at = expiry(expires_in)
        filter_.save()
        _apply_keyword_changes(filter_, existing, changes)
        streaming_events.schedule_filters_changed(filter_.account_id)
    return filter_


def _apply_keyword_changes(
    filter_: Filter, existing: dict[int, FilterKeyword], changes: list[KeywordChange]
) -> None:
    for change in changes:
        if change.id is None:
            FilterKeyword.objects.create(
                filter=filter_, keyword=change.keyword or "",
                whole_word=True if change.whole_word is None else change.whole_word,
            )  # fmt: skip
            continue
        keyword = existing[change.id]
        if change.destroy:
            keyword.delete()
            continue
        do_update_keyword(keyword=keyword, keyword_text=change.keyword,
                          whole_word=change.whole_word)  # fmt: skip


def do_delete_filter(*, filter_: Filter) -> None:
    streaming_events.schedule_filters_changed(filter_.account_id)
    filter_.delete()


def do_add_keyword(
    *, filter_: Filter, keyword: str | None, whole_word: bool | None
) -> FilterKeyword:
    check_keyword(keyword)
    return FilterKeyword.objects.create(
        filter=filter_, keyword=keyword or "", whole_word=True if whole_word is None else whole_word
    )


def do_update_keyword(
    *, keyword: FilterKeyword, keyword_text: str | None = None, whole_word: bool | None = None
) -> FilterKeyword:
    if keyword_text is not None:
        check_keyword(keyword_text)
        keyword.keyword = keyword_text
    if whole_word is not None:
        keyword.whole_word = whole_word
    keyword.save()
    return keyword


def do_delete_keyword(*, keyword: FilterKeyword) -> None:
    keyword.delete()


def check_filter_status(*, filter_: Filter, status_id: Any) -> Status:
    status = None
    if str(status_id or "").isdigit():
        status = Status.objects.filter(pk=int(status_id)).first()
    if status is None:
        raise ValidationError({"status": ValidationError("must exist", code="required")})
    if not Status.objects.visible_to(filter_.account).filter(pk=status.pk).exists():
        raise ValidationError({"status": ValidationError("is invalid", code="invalid")})
    if FilterStatus.objects.filter(filter=filter_, status=status).exists():
        raise ValidationError({"status": ValidationError("has already been taken", code="taken")})
    return status


def do_add_filter_status(*, filter_: Filter, status_id: Any) -> FilterStatus:
    status = check_filter_status(filter_=filter_, status_id=status_id)
    try:
        with transaction.atomic():
            return FilterStatus.objects.create(filter=filter_, status=status)
    except IntegrityError as error:
        raise ValidationError(
            {"status": ValidationError("has already been taken", code="taken")}
        ) from error


def do_delete_filter_status(*, filter_status: FilterStatus) -> None:
    filter_status.delete()


# The v1 API: one keyword presented as a whole filter.

MULTIPLE_KEYWORDS = (
    "These parameters cannot be changed from this application because they apply to more "
    "than one filter keyword. Use a more recent application or the web interface."
)


def do_create_v1_filter(
    *,
    account: Account,
    phrase: str,
    context: list[str],
    irreversible: bool = False,
    whole_word: bool = True,
    expires_in: Any = None,
) -> FilterKeyword:
    action = FilterAction.HIDE if irreversible else FilterAction.WARN
    with transaction.atomic():
        created = do_create_filter(account=account, title=phrase, context=context,
                                   filter_action=action, expires_in=expires_in)  # fmt: skip
        return do_add_keyword(filter_=created, keyword=phrase, whole_word=whole_word)


def do_update_v1_filter(
    *,
    keyword: FilterKeyword,
    phrase: str | None = None,
    context: list[str] | None = None,
    irreversible: bool | None = None,
    whole_word: bool | None = None,
    expires_in: Any = KEEP,
) -> FilterKeyword:
    filter_ = keyword.filter
    changes: dict[str, Any] = {}
    if phrase is not None and phrase != filter_.title:
        changes["title"] = phrase
    if context is not None and clean_context(context) != filter_.context:
        changes["context"] = context
    if irreversible is not None:
        action = FilterAction.HIDE if irreversible else FilterAction.WARN
        if action != filter_.filter_action:
            changes["filter_action"] = action
    if expires_in is not KEEP and (expires_in not in (None, "") or filter_.expires_at):
        changes["expires_in"] = expires_in
    with transaction.atomic():
        do_update_keyword(keyword=keyword, keyword_text=phrase, whole_word=whole_word)
        if changes and filter_.keywords.count() > 1:
            raise ValidationError(MULTIPLE_KEYWORDS, code="bare")
        if changes:
            do_update_filter(filter_=filter_, **changes)
    return keyword


# Which filters a page of statuses triggers, for the `filtered` field and for hiding.


@dataclass(frozen=True)
class FilterMatch:
    filter: Filter
    keyword_matches: list[str] | None
    status_matches: list[int] | None

    @property
    def hides(self) -> bool:
        return self.filter.filter_action == FilterAction.HIDE


@dataclass(frozen=True)
class ActiveFilter:
    filter: Filter
    pattern: re.Pattern[str] | None
    status_ids: frozenset[int]


def keyword_pattern(keyword: FilterKeyword) -> str:
    """Mastodon's rule: a whole-word keyword is bounded by \\b only on the sides where it
    starts or ends with a word character."""
    escaped = re.escape(keyword.keyword)
    if not keyword.whole_word:
        return escaped
    start = r"\b" if re.match(r"\w", keyword.keyword) else ""
    end = r"\b" if re.search(r"\w$", keyword.keyword) else ""
    return f"{start}{escaped}{end}"


def active_filters(account: Account, context: str | None = None) -> list[ActiveFilter]:
    """The account's unexpired filters (in `context`, when given), in two queries."""
    now = timezone.now()
    filters = [
        f
        for f in Filter.objects.filter(account=account).prefetch_related("keywords")
        if (f.expires_at is None or f.expires_at > now)
        and (context is None or context in f.context)
    ]
    status_ids: dict[int, set[int]] = {}
    rows = FilterStatus.objects.filter(filter__in=[f.pk for f in filters])
    for filter_id, status_id in rows.values_list("filter_id", "status_id"):
        status_ids.setdefault(filter_id, set()).add(status_id)
    result = []
    for f in filters:
        words = [keyword_pattern(k) for k in f.keywords.all()]
        pattern = re.compile("|".join(words), re.IGNORECASE | re.DOTALL) if words else None
        result.append(ActiveFilter(f, pattern, frozenset(status_ids.get(f.pk, ()))))
    return result


TAG_RE = re.compile(r"<[^>]*>")
BREAK_RE = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)


def searchable_text(status: Status) -> str:
    """What keywords are matched against: the content warning and the plain text."""
    if status.local and status.text:
        body = status.text
    else:
        body = html.unescape(TAG_RE.sub("", BREAK_RE.sub("\n", status.content)))
    return "\n\n".join(part for part in (status.spoiler_text, body) if part)


def match_statuses(
    account: Account, statuses: Iterable[Status], context: str | None = None
) -> dict[int, list[FilterMatch]]:
    """Matches by status id; a boost and the post it boosts share the same matches."""
    return match_filters(active_filters(account, context), statuses)


def match_filters(
    filters: list[ActiveFilter], statuses: Iterable[Status]
) -> dict[int, list[FilterMatch]]:
    found: dict[int, list[FilterMatch]] = {}
    if not filters:
        return found
    for status in statuses:
        proper = status.reblog if status.reblog_id and status.reblog else status
        text = searchable_text(proper)
        ids = {status.pk, proper.pk}
        matches = []
        for active in filters:
            hit = active.pattern.search(text) if active.pattern else None
            hit_ids = sorted(ids & active.status_ids)
            if hit or hit_ids:
                matches.append(FilterMatch(active.filter, [hit.group(0)] if hit else None,
                                           hit_ids or None))  # fmt: skip
        if matches:
            found[status.pk] = matches
            found[proper.pk] = matches
    return found
