"""The statements every home timeline request runs, planned once per database connection.

Django binds parameters on the client and turns prepared statements off, so PostgreSQL plans
every statement at every execution: for the entity query of a home page, planning cost as much
as running it. These statements are PREPAREd by name on first use on each connection and then
EXECUTEd, so PostgreSQL keeps their plan. Elsewhere (SQLite, or with
DATABASE_PREPARED_STATEMENTS off for a pooler that moves sessions between connections) they run
as any other query."""

import weakref
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection


@dataclass(frozen=True)
class Statement:
    """`sql` names its parameters as %(name)s; `params` gives each name its PostgreSQL type,
    in the order PREPARE declares them."""

    name: str
    sql: str
    params: tuple[tuple[str, str], ...]

    def prepare(self) -> str:
        text = self.sql
        for number, (param, _) in enumerate(self.params, start=1):
            text = text.replace(f"%({param})s", f"${number}")
        types = ", ".join(kind for _, kind in self.params)
        return f"PREPARE {self.name}({types}) AS {text}"

    def execute(self) -> str:
        values = ", ".join(f"%({param})s" for param, _ in self.params)
        return f"EXECUTE {self.name}({values})"


# The statements prepared on each open connection (the driver's connection object, which a
# pool hands out again with its session, and so with its prepared statements).
_prepared: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()


def fetch_all(statement: Statement, values: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
            cursor.execute(statement.sql, values)
            return list(cursor.fetchall())
        names = _prepared.setdefault(connection.connection, set())
        if statement.name not in names:
            # Asked once per connection, so that a session prepared before (by a process that
            # lost track of it) is not asked to prepare the name twice.
            cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [statement.name])
            if cursor.fetchone() is None:
                cursor.execute(statement.prepare())
            names.add(statement.name)
        cursor.execute(statement.execute(), values)
        return list(cursor.fetchall())
