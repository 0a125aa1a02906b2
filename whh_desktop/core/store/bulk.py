"""Fast bulk inserts for demo data and imports: the raw DB-API ``executemany`` with values converted once to
the storage formats SQLAlchemy uses on SQLite (UUID as 32 hex chars, datetimes as text, JSON as text).

SQLAlchemy's per-value bind processing costs more than SQLite itself at 100 000s of rows.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Table, Uuid
from sqlalchemy.orm import Session

from whh_desktop.core.store.base import UtcDateTime


def _converter(column: Any) -> Callable[[Any], Any]:
    kind = column.type
    if isinstance(kind, Uuid):
        return lambda v: v.hex if isinstance(v, uuid.UUID) else v
    if isinstance(kind, UtcDateTime):
        return lambda v: None if v is None else _utc_text(v)
    if isinstance(kind, Date):
        return lambda v: v.isoformat() if isinstance(v, date) else v
    if isinstance(kind, JSON):
        return lambda v: None if v is None else json.dumps(v)
    if isinstance(kind, Boolean):
        return lambda v: None if v is None else int(bool(v))
    return lambda v: v


def _utc_text(value: datetime) -> str:
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert dicts that carry every column of ``table`` (missing keys become NULL)."""
    if not rows:
        return
    columns = list(table.columns)
    converters = [_converter(c) for c in columns]
    names = ", ".join(f'"{c.name}"' for c in columns)  # quoted: a column may be called "on"
    marks = ", ".join("?" for _ in columns)
    raw = session.connection().connection.dbapi_connection
    raw.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})",
                    [tuple(conv(row.get(col.name)) for col, conv in zip(columns, converters, strict=True))
                     for row in rows])
