"""What every inbound activity handler shares."""

from __future__ import annotations

from collections.abc import Callable

from accounts.models import Account
from federation.parse import Activity

# (activity, its actor, the local account whose personal inbox received it, if any)
Handler = Callable[[Activity, Account, Account | None], None]


class Refused(Exception):
    """The activity breaks a rule (origin, ownership) and is dropped without effect."""
