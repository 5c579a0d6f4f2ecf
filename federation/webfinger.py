"""WebFinger (/.well-known/webfinger) and host-meta, as Mastodon answers them: a JRD for
`acct:user@domain`, `user@domain`, a profile URL or an actor id; 400 for a missing or garbled
resource, 404 for an unknown account, 410 for a suspended one."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from accounts.models import Account
from federation.instance_actor import is_instance_actor
from federation.lookup import account_by_uri, local_host
from federation.selectors import local_account
from fediverse import uris

PROFILE_PAGE = "http://webfinger.net/rel/profile-page"
SUBSCRIBE = "http://ostatus.org/schema/1.0/subscribe"
LONG_CACHE = 3 * 24 * 3600
SHORT_CACHE = 3 * 60


class BadResource(ValueError):
    pass


def username_from_resource(resource: str) -> str | None:
    """The local username a resource names; None when it names nothing local."""
    resource = resource.strip()
    if not resource:
        raise BadResource("empty resource")
    if resource.startswith(("http://", "https://")):
        account = account_by_uri(resource)
        return account.username if account is not None and account.local else None
    acct = resource.removeprefix("acct:").lstrip("@")
    username, at, domain = acct.partition("@")
    if not at or not username or not domain or "@" in domain or "/" in acct:
        raise BadResource("not user@domain")
    return username if domain.lower() == local_host() else None


def jrd(account: Account) -> dict[str, object]:
    subject = f"acct:{account.username}@{local_host()}"
    if is_instance_actor(account):
        return {
            "subject": subject,
            "aliases": [account.uri],
            "links": [
                {"rel": PROFILE_PAGE, "type": "text/html", "href": account.url},
                {"rel": "self", "type": "application/activity+json", "href": account.uri},
            ],
        }
    profile = uris.account_url(account.username)
    return {
        "subject": subject,
        "aliases": [profile, account.uri],
        "links": [
            {"rel": PROFILE_PAGE, "type": "text/html", "href": profile},
            {"rel": "self", "type": "application/activity+json", "href": account.uri},
            {"rel": SUBSCRIBE, "template": uris.absolute("/authorize_interaction?uri={uri}")},
        ],
    }


def _status_only(status: int) -> HttpResponse:
    response = HttpResponse(status=status)
    patch_cache_control(response, public=True, max_age=SHORT_CACHE)
    return response


@require_safe
def webfinger(request: HttpRequest) -> HttpResponse:
    try:
        username = username_from_resource(request.GET.get("resource", ""))
    except BadResource:
        return _status_only(400)
    account = local_account(username) if username else None
    if account is None:
        return _status_only(404)
    if account.suspended_at is not None:
        return HttpResponse(status=410)
    response = HttpResponse(json.dumps(jrd(account)), content_type="application/jrd+json")
    patch_cache_control(response, public=True, max_age=LONG_CACHE)
    return response


def _template() -> str:
    return uris.absolute("/.well-known/webfinger?resource={uri}")


@require_safe
def host_meta(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    wants_json = as_json or "json" in request.headers.get("Accept", "").split(",")[0]
    if wants_json:
        response: HttpResponse = JsonResponse({"links": [{"rel": "lrdd", "template": _template()}]})
    else:
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
            f'  <Link rel="lrdd" template="{_template()}"/>\n'
            "</XRD>\n"
        )
        response = HttpResponse(xml, content_type="application/xrd+xml; charset=utf-8")
    patch_vary_headers(response, ["Accept"])
    patch_cache_control(response, public=True, max_age=LONG_CACHE)
    return response


def host_meta_json(request: HttpRequest) -> HttpResponse:
    return host_meta(request, as_json=True)
