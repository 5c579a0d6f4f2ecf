"""Muting a conversation: no more notifications about a thread. The mute is held on the
thread's first post, and a post belongs to the thread of every post above it, so a page of
posts is checked in one recursive query."""

from collections.abc import Iterable

from django.db import connection

from accounts.models import Account
from timelines.models import ConversationMute, Status

# Far deeper than any real thread; it only guards against a reply loop in remote data.
MAX_DEPTH = 1000


def _chain_sql(start_count: int, condition: str = "") -> str:
    status_table = Status._meta.db_table
    placeholders = ", ".join(["%s"] * start_count)
    return f"""
        WITH RECURSIVE chain(start_id, node_id, parent_id, depth) AS (
            SELECT id, id, in_reply_to_id, 0 FROM {status_table} WHERE id IN ({placeholders})
            {condition}
            UNION ALL
            SELECT chain.start_id, s.id, s.in_reply_to_id, chain.depth + 1
            FROM chain JOIN {status_table} s ON s.id = chain.parent_id
            WHERE chain.depth < {MAX_DEPTH}
        )
    """


def thread_root_id(status: Status) -> int:
    """The first post of the thread this post belongs to (itself when it answers nothing)."""
    if status.in_reply_to_id is None:
        return status.pk
    sql = _chain_sql(1) + "SELECT node_id FROM chain ORDER BY depth DESC LIMIT 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, [status.pk])
        row = cursor.fetchone()
    return int(row[0]) if row else status.pk


def muted_status_ids(account_id: int, status_ids: Iterable[int]) -> set[int]:
    """Which of these posts sit in a thread the account muted."""
    ids = sorted(set(status_ids))
    if not ids:
        return set()
    mutes_table = ConversationMute._meta.db_table
    # Most accounts never muted a thread: then no chain is walked at all.
    anything_muted = f"AND EXISTS (SELECT 1 FROM {mutes_table} WHERE account_id = %s)"
    sql = _chain_sql(len(ids), anything_muted) + (
        f"SELECT DISTINCT chain.start_id FROM chain JOIN {mutes_table} m "
        "ON m.status_id = chain.node_id WHERE m.account_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, account_id, account_id])
        return {int(row[0]) for row in cursor.fetchall()}


def is_muted(*, account_id: int, status_id: int) -> bool:
    return status_id in muted_status_ids(account_id, [status_id])


def do_mute_conversation(*, account: Account, status: Status) -> None:
    ConversationMute.objects.get_or_create(account=account, status_id=thread_root_id(status))


def do_unmute_conversation(*, account: Account, status: Status) -> None:
    ConversationMute.objects.filter(account=account, status_id=thread_root_id(status)).delete()
