"""SQLite-specific statements the sync importer and exporter need, behind functions (DESIGN.md §10 Scale): a merged
store on PostgreSQL replaces this module, not the sync code. They run on the caller's connection and transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection


def _names(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def replace_rows(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert the rows, replacing any row with the same primary or unique key (SQLite ``INSERT OR REPLACE``)."""
    if rows:
        marks = ", ".join("?" * len(columns))
        conn.exec_driver_sql(f'INSERT OR REPLACE INTO "{table}" ({_names(columns)}) VALUES ({marks})',
                             list(rows) if len(rows) > 1 else rows[0])


def select_where_in(conn: Connection, table: str, column: str, where_column: str, values: Iterable[Any]) -> list[Any]:
    """``column`` of the rows whose ``where_column`` is one of ``values``, with one bound parameter however many
    values there are (SQLite ``json_each``; no variable limit, no statement per chunk)."""
    rows = conn.exec_driver_sql(f'SELECT "{column}" FROM "{table}" WHERE "{where_column}" IN '
                                "(SELECT value FROM json_each(?))", (json.dumps(sorted(values)),)).fetchall()
    return [r[0] for r in rows]
