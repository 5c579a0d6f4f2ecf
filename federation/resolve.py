"""Remote accounts: found by handle (WebFinger, then the actor document) or by id, and kept
up to date from their actor documents. Fetches are signed by the instance actor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Account
from federation import http
from federation.instance_actor import instance_signing_key
from federation.lookup import account_by_uri, is_local_uri, local_host
from federation.models import RemoteKey, uri_digest
from federation.parse import ParseError, RemoteActor, load_document, parse_actor
from federation.parse.values import host_of, is_http_uri
from federation.policy import domain_block_of, domain_blocked
from federation.services.remote_media import do_cache_profile_images, do_store_remote_emojis
from fediverse.formatting import sanitize_html

STALE_AFTER = timedelta(days=1)
JRD_ACCEPT = "application/jrd+json, application/json"
SELF_TYPES = ("application/activity+json", "application/ld+json")
FIELD_NAME_MAX = 255
MAX_ALIASES = 20


class ResolveError(Exception):
    """The account cannot be found, fetched or trusted."""


def split_handle(handle: str) -> tuple[str, str | None]:
    handle = handle.strip().removeprefix("acct:").lstrip("@")
    username, _, domain = handle.partition("@")
    if not username or "@" in domain or any(c.isspace() for c in handle):
        raise ResolveError(f"{handle!r} is not a handle.")
    return username, (domain.lower() or None)


def webfinger(username: str, domain: str) -> tuple[str, str]:
    """The subject and the ActivityPub id that `username@domain` names."""
    if domain_blocked(domain):
        raise ResolveError(f"{domain} is blocked.")
    resource = quote(f"acct:{username}@{domain}", safe=":@")
    url = f"{settings.FEDIVERSE_SCHEME}://{domain}/.well-known/webfinger?resource={resource}"
    try:
        response = http.get(url, accept=JRD_ACCEPT)
        if not response.ok:
            raise ResolveError(f"WebFinger at {domain} answered {response.status}.")
        jrd = load_document(response.body)
    except (http.FetchError, ValueError) as error:
        raise ResolveError(f"WebFinger at {domain} failed: {error}") from error
    return _subject(jrd, username, domain), _self_link(jrd)


def _subject(jrd: dict[str, Any], username: str, domain: str) -> str:
    subject = jrd.get("subject")
    return subject if isinstance(subject, str) else f"acct:{username}@{domain}"


def _self_link(jrd: dict[str, Any]) -> str:
    links = jrd.get("links")
    for link in links if isinstance(links, list) else []:
        if not isinstance(link, dict) or link.get("rel") != "self":
            continue
        kind = str(link.get("type", "")).split(";")[0].strip()
        if kind in SELF_TYPES and is_http_uri(link.get("href")):
            return str(link["href"])
    raise ResolveError("The WebFinger answer names no ActivityPub actor.")


def fetch_actor(uri: str) -> RemoteActor:
    if domain_blocked(host_of(uri)):
        raise ResolveError(f"{host_of(uri)} is blocked.")
    try:
        document = http.fetch_document(uri, signer=instance_signing_key())
        return parse_actor(document)
    except (http.FetchError, ParseError) as error:
        raise ResolveError(f"{uri} is not a usable actor: {error}") from error


def _confirmed_domain(actor: RemoteActor, subject: str | None = None) -> str:
    """The domain of the actor's handle: the actor's own host, unless WebFinger there names
    another domain that in turn points back to this same actor."""
    host = host_of(actor.id)
    if subject is None:
        try:
            subject, href = webfinger(actor.username, host)
        except ResolveError:
            return host
        if href != actor.id:
            return host
    try:
        other_user, other_domain = split_handle(subject)
    except ResolveError:
        return host
    if not other_domain or other_domain == host:
        return host
    try:
        _, href = webfinger(other_user, other_domain)
    except ResolveError:
        return host
    return other_domain if href == actor.id else host


def is_fresh(account: Account) -> bool:
    return account.updated_at > timezone.now() - STALE_AFTER and bool(account.inbox_url)


def resolve_handle(handle: str, *, refresh: bool = False) -> Account:
    username, domain = split_handle(handle)
    if domain is None or domain == local_host():
        local = Account.objects.filter(username__iexact=username, domain__isnull=True).first()
        if local is None:
            raise ResolveError(f"There is no local account {username}.")
        return local
    existing = Account.objects.filter(username__iexact=username, domain__iexact=domain).first()
    if existing is not None and not refresh and is_fresh(existing):
        return existing
    subject, href = webfinger(username, domain)
    actor = fetch_actor(href)
    confirmed = _confirmed_domain(actor, subject)
    if confirmed != domain and host_of(actor.id) != domain:
        raise ResolveError(f"{href} does not belong to {username}@{domain}.")
    return upsert_remote_account(actor, domain=confirmed)


def resolve_account_url(uri: str, *, refresh: bool = False) -> Account:
    """The account whose id (or, for local accounts, profile URL) this is."""
    if not is_http_uri(uri):
        raise ResolveError(f"{uri!r} is not an http(s) URI.")
    existing = account_by_uri(uri)
    if existing is not None and (existing.local or (not refresh and is_fresh(existing))):
        return existing
    if is_local_uri(uri):
        raise ResolveError(f"There is no local account at {uri}.")
    return account_from_actor(fetch_actor(uri))


def account_from_actor(actor: RemoteActor, *, follow_move: bool = True) -> Account:
    """Store a fetched actor: a known account keeps its handle's domain; a new one learns it
    from WebFinger."""
    known = account_by_uri(actor.id)
    domain = known.domain if known is not None and known.domain else _confirmed_domain(actor)
    return upsert_remote_account(actor, domain=domain, follow_move=follow_move)


def refresh_account(account: Account) -> Account:
    if account.local:
        return account
    return upsert_remote_account(fetch_actor(account.uri), domain=account.domain)


def _profile(actor: RemoteActor) -> dict[str, Any]:
    main_key = actor.key(f"{actor.id}#main-key") or (actor.keys[0] if actor.keys else None)
    return {
        "uri": actor.id,
        "url": actor.url or actor.id,
        "display_name": actor.display_name,
        "note": sanitize_html(actor.summary),
        "fields": [
            {"name": f["name"][:FIELD_NAME_MAX], "value": sanitize_html(f["value"])}
            for f in actor.fields
        ],
        "locked": actor.locked,
        "bot": actor.bot,
        "discoverable": actor.discoverable,
        "indexable": actor.indexable,
        "inbox_url": actor.inbox,
        "shared_inbox_url": actor.shared_inbox or "",
        "outbox_url": actor.outbox or "",
        "followers_url": actor.followers or "",
        "following_url": actor.following or "",
        "public_key": main_key.pem if main_key else "",
        "also_known_as": actor.also_known_as[:MAX_ALIASES],
    }


def _sync_keys(account: Account, actor: RemoteActor) -> None:
    """Keys the document lists replace those cached for the account."""
    keys = [k for k in actor.keys if k.owner == actor.id and host_of(k.id) == host_of(actor.id)]
    RemoteKey.objects.filter(account=account).exclude(
        key_digest__in=[uri_digest(k.id) for k in keys]
    ).delete()
    for key in keys:
        RemoteKey.objects.update_or_create(
            key_digest=uri_digest(key.id),
            defaults={
                "key_id": key.id,
                "account": account,
                "public_key_pem": key.pem,
                "fetched_at": timezone.now(),
            },
        )


def _limit_as_its_domain(account: Account, domain: str) -> None:
    """An account first seen after its server was limited is limited like those already
    known, under the block's timestamp so that lifting the block lifts it too."""
    block = domain_block_of(domain)
    if block is not None and block.severity == "silence":
        account.silenced_at = block.updated_at


def _link_moved_to(account: Account, uri: str | None, follow_move: bool) -> None:
    """The account a `movedTo` names, resolved one step only: the new account's own
    `movedTo` is not followed, so that a chain or loop of moves costs one fetch."""
    if not uri:
        target = None
    elif account.moved_to is not None and account.moved_to.uri == uri:
        return
    else:
        target = account_by_uri(uri)
        if target is None and follow_move:
            try:
                target = account_from_actor(fetch_actor(uri), follow_move=False)
            except ResolveError:
                target = None
    if target is not None and target.pk == account.pk:
        target = None
    if (target.pk if target else None) != account.moved_to_id:
        account.moved_to = target
        account.moved_at = timezone.now() if target is not None else None
        account.save(update_fields=["moved_to", "moved_at"])


def upsert_remote_account(
    actor: RemoteActor, *, domain: str | None = None, follow_move: bool = True
) -> Account:
    """Create or update the account an actor document describes."""
    domain = (domain or host_of(actor.id)).lower()
    if domain == local_host() or is_local_uri(actor.id):
        raise ResolveError("A remote document cannot describe a local account.")
    if domain_blocked(domain):
        raise ResolveError(f"{domain} is blocked.")
    profile = _profile(actor)
    for attempt in range(2):
        try:
            with transaction.atomic():
                account = (
                    Account.objects.select_for_update().filter(uri=actor.id).first()
                    or Account.objects.select_for_update()
                    .filter(username__iexact=actor.username, domain__iexact=domain)
                    .first()
                    or Account(created_at=actor.published or timezone.now())
                )
                if account._state.adding:
                    _limit_as_its_domain(account, domain)
                account.username, account.domain = actor.username, domain
                for name, value in profile.items():
                    setattr(account, name, value)
                account.save()
                _sync_keys(account, actor)
                # No remote URL is kept to compare with, so each fetched profile is copied anew.
                do_cache_profile_images(account, actor.icon, actor.image)
                do_store_remote_emojis(account, actor.emojis)
            _link_moved_to(account, actor.moved_to, follow_move)
            return account
        except IntegrityError:
            # Created by another process in between: the second pass finds and updates it.
            if attempt:
                raise
    raise ResolveError("The account could not be stored.")
