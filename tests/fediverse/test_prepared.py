"""Statements prepared once per connection (fediverse.prepared): the same rows as the plain
query, on every connection the pool hands out, after a rolled-back transaction, and with the
setting off."""

import pytest
from django.db import connection, transaction

from fediverse import prepared
from fediverse.api.auth import find_token

STATEMENT = prepared.Statement(
    "herd_test_numbers",
    "SELECT n, n * %(factor)s FROM unnest(%(numbers)s::bigint[]) AS n ORDER BY n",
    (("numbers", "bigint[]"), ("factor", "bigint")),
)


def names_prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_prepared_once_and_run_with_each_call_s_values() -> None:
    assert prepared.fetch_all(STATEMENT, {"numbers": [3, 1, 2], "factor": 10}) == [
        (1, 10), (2, 20), (3, 30),
    ]  # fmt: skip
    assert "herd_test_numbers" in names_prepared()
    assert prepared.fetch_all(STATEMENT, {"numbers": [7], "factor": 2}) == [(7, 14)]


def test_a_rolled_back_transaction_keeps_the_statement() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        assert prepared.fetch_all(STATEMENT, {"numbers": [1], "factor": 1}) == [(1, 1)]
        raise RuntimeError("roll back")
    assert prepared.fetch_all(STATEMENT, {"numbers": [5], "factor": 3}) == [(5, 15)]


def forget_here() -> None:
    """This session holds no prepared statement, and this process knows it."""
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    prepared._prepared.pop(connection.connection, None)


def test_each_session_prepares_for_itself() -> None:
    prepared.fetch_all(STATEMENT, {"numbers": [1], "factor": 1})
    connection.close()  # back to the pool: the next one may be another session
    forget_here()
    assert prepared.fetch_all(STATEMENT, {"numbers": [2], "factor": 2}) == [(2, 4)]
    assert "herd_test_numbers" in names_prepared()


def test_a_session_prepared_by_someone_else_is_used_as_it_is() -> None:
    prepared.fetch_all(STATEMENT, {"numbers": [1], "factor": 1})
    prepared._prepared.pop(connection.connection, None)  # as a process that lost track
    assert prepared.fetch_all(STATEMENT, {"numbers": [6], "factor": 1}) == [(6, 6)]


def test_off_runs_the_plain_query(settings) -> None:
    settings.DATABASE_PREPARED_STATEMENTS = False
    forget_here()
    assert prepared.fetch_all(STATEMENT, {"numbers": [4], "factor": 5}) == [(4, 20)]
    assert "herd_test_numbers" not in names_prepared()
    assert find_token("no such token") is None
