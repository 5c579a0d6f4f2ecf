"""Mastodon's OAuth scopes and how a token's scopes cover an endpoint's."""

READ_SCOPES = (
    "read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters",
    "read:follows", "read:lists", "read:mutes", "read:notifications", "read:search",
    "read:statuses",
)  # fmt: skip
WRITE_SCOPES = (
    "write:accounts", "write:blocks", "write:bookmarks", "write:conversations",
    "write:favourites", "write:filters", "write:follows", "write:lists", "write:media",
    "write:mutes", "write:notifications", "write:reports", "write:statuses",
)  # fmt: skip
FOLLOW_SCOPES = (
    "read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes",
)  # fmt: skip
ADMIN_READ_SCOPES = (
    "admin:read:accounts", "admin:read:reports", "admin:read:domain_allows",
    "admin:read:domain_blocks", "admin:read:ip_blocks", "admin:read:email_domain_blocks",
    "admin:read:canonical_email_blocks",
)  # fmt: skip
ADMIN_WRITE_SCOPES = tuple(s.replace("admin:read:", "admin:write:") for s in ADMIN_READ_SCOPES)

PARENTS = {
    "read": READ_SCOPES,
    "write": WRITE_SCOPES,
    "follow": FOLLOW_SCOPES,
    "admin:read": ADMIN_READ_SCOPES,
    "admin:write": ADMIN_WRITE_SCOPES,
}
ALL_SCOPES: tuple[str, ...] = (
    "read", "write", "follow", "push", "profile", "admin:read", "admin:write",
    *READ_SCOPES, *WRITE_SCOPES, *ADMIN_READ_SCOPES, *ADMIN_WRITE_SCOPES,
)  # fmt: skip
DEFAULT_SCOPES = ("read",)


def parse(scope_string: str) -> list[str]:
    """Scopes arrive space-separated (Mastodon also accepts `+` and commas from some apps)."""
    parts = scope_string.replace("+", " ").replace(",", " ").split()
    return list(dict.fromkeys(parts))


def expand(scopes: list[str] | set[str] | tuple[str, ...]) -> set[str]:
    granted = set(scopes)
    for scope in scopes:
        granted.update(PARENTS.get(scope, ()))
    return granted


def covers(token_scopes: list[str] | set[str], required: tuple[str, ...]) -> bool:
    """True when the token holds any of the required scopes, directly or through a parent."""
    granted = expand(list(token_scopes))
    return any(scope in granted for scope in required)


def is_known(scope: str) -> bool:
    return scope in ALL_SCOPES
