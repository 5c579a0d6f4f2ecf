"""Helpers shared by the accounts API tests."""

import re

import httpx

from accounts.models import Account
from fediverse import uris

SCOPE_ERROR = {"error": "This action is outside the authorized scopes"}
NOT_FOUND = {"error": "Record not found"}


def remote_account(username: str, domain: str = "remote.example") -> Account:
    return Account.objects.create(
        username=username,
        domain=domain,
        uri=f"https://{domain}/users/{username}",
        url=f"https://{domain}/@{username}",
        inbox_url=f"https://{domain}/users/{username}/inbox",
    )


def links(response: httpx.Response) -> dict[str, str]:
    """rel → URL, from the Link header."""
    found = re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("link", ""))
    return {rel: url for url, rel in found}


def link_order(response: httpx.Response) -> list[str]:
    return re.findall(r'rel="(\w+)"', response.headers.get("link", ""))


def on_live_server(url: str, base_url: str) -> str:
    """Absolute URLs name the configured domain; tests reach the live server instead."""
    return base_url + url.removeprefix(uris.base_url())
