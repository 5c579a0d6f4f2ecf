"""Mastodon's Filter, FilterKeyword, FilterStatus, FilterResult and v1 Filter entities. Pure
functions of loaded rows: keywords and statuses must be prefetched when asked for."""

from typing import Any

from fediverse.api.render import iso
from timelines.models_curation import Filter, FilterAction, FilterKeyword, FilterStatus
from timelines.services.filters import FilterMatch


def keyword_entity(keyword: FilterKeyword) -> dict[str, Any]:
    return {"id": str(keyword.pk), "keyword": keyword.keyword, "whole_word": keyword.whole_word}


def filter_status_entity(row: FilterStatus) -> dict[str, Any]:
    return {"id": str(row.pk), "status_id": str(row.status_id)}


def filter_entity(filter_: Filter, *, rules: bool = True) -> dict[str, Any]:
    """With `rules`, the keywords and statuses too (they are left out inside a FilterResult)."""
    data: dict[str, Any] = {
        "id": str(filter_.pk),
        "title": filter_.title,
        "context": list(filter_.context),
        "expires_at": iso(filter_.expires_at),
        "filter_action": filter_.filter_action,
    }
    if rules:
        data["keywords"] = [keyword_entity(k) for k in filter_.keywords.all()]
        data["statuses"] = [filter_status_entity(s) for s in filter_.statuses.all()]
    return data


def filter_result_entity(match: FilterMatch) -> dict[str, Any]:
    return {
        "filter": filter_entity(match.filter, rules=False),
        "keyword_matches": match.keyword_matches,
        "status_matches": [str(i) for i in match.status_matches]
        if match.status_matches is not None
        else None,
    }


def v1_filter_entity(keyword: FilterKeyword) -> dict[str, Any]:
    """The v1 API's view of one keyword, with its filter's settings (select_related)."""
    filter_ = keyword.filter
    return {
        "id": str(keyword.pk),
        "phrase": keyword.keyword,
        "context": list(filter_.context),
        "whole_word": keyword.whole_word,
        "expires_at": iso(filter_.expires_at),
        "irreversible": filter_.filter_action == FilterAction.HIDE,
    }
