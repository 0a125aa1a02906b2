"""Bulk statements the sync importer and exporter need, behind functions (DESIGN.md §10 Scale), with one form per
backend (``conn.dialect.name``): SQLite ``INSERT OR REPLACE`` and ``json_each``, PostgreSQL ``INSERT … ON CONFLICT``
and ``= ANY(array)``. They run on the caller's connection and transaction, with storage-form values
(``dialect.storage``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table

from whh_desktop.core.store import dialect
from whh_desktop.core.store.base import Base


def _names(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _table(table: str) -> Table:
    import whh_desktop.core.store.models  # noqa: F401 - every table on the metadata

    return Base.metadata.tables[table]


def replace_rows(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert the rows, replacing any row with the same primary key."""
    if not rows:
        return
    marks = ", ".join("?" * len(columns))
    if dialect.name(conn) == dialect.POSTGRESQL:
        keys = [c.name for c in _table(table).primary_key.columns]
        sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in columns if c not in keys)
        sql = (f'INSERT INTO "{table}" ({_names(columns)}) VALUES ({marks}) ON CONFLICT ({_names(keys)}) '
               + (f"DO UPDATE SET {sets}" if sets else "DO NOTHING"))
    else:
        sql = f'INSERT OR REPLACE INTO "{table}" ({_names(columns)}) VALUES ({marks})'
    dialect.run_many(conn, sql, rows)


def in_values(conn: Connection, table: str, column: str, values: Sequence[Any], *,
              alias: str | None = None) -> tuple[str, Any]:
    """A condition "``column`` is one of ``values``" with one ``?`` parameter however many values there are (no
    variable limit, no statement per chunk), and that parameter: SQLite ``IN (SELECT value FROM json_each(?))``,
    PostgreSQL ``= ANY(?)`` with an array of the column's type."""
    ref = f'{alias + "." if alias else ""}"{column}"'
    if dialect.name(conn) == dialect.POSTGRESQL:
        kind = _table(table).c[column].type.compile(dialect=conn.dialect)
        return f"{ref} = ANY(CAST(? AS {kind}[]))", [None if v is None else str(v) for v in values]
    return f"{ref} IN (SELECT value FROM json_each(?))", json.dumps(list(values))


def select_where_in(conn: Connection, table: str, column: str, where_column: str, values: Iterable[Any]) -> list[Any]:
    """``column`` of the rows whose ``where_column`` is one of ``values`` (``in_values``), in storage form."""
    where, arg = in_values(conn, table, where_column, sorted(values))
    return [r[0] for r in dialect.rows(conn, f'SELECT "{column}" FROM "{table}" WHERE {where}', (arg,))]
