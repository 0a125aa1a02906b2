"""Reading rows for an export: plain DB-API tuples in the payload's column order (``payload.column_names``), in
chunks below SQLite's variable limit, plus the export bookkeeping (``export_state``, ``change_log`` ranges).

The exporter reads without the ORM: a full export of 20 000 cases must stay fast (DESIGN.md §7).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from sqlalchemy.orm import Session

from whh_desktop.core.store import dialect
from whh_desktop.core.store.models import ExportState
from whh_desktop.core.sync import payload as pl

IN_CHUNK = 900  # ids per IN (...) — below SQLite's default variable limit

Row = tuple[Any, ...]


def chunks(ids: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(ids), IN_CHUNK):
        yield ids[i:i + IN_CHUNK]


def raw(session: Session) -> Any:
    """The DB-API connection of the session's transaction: plain tuples, no per-row SQLAlchemy ``Row``."""
    return dialect.storage(session.connection())


def select_rows(session: Session, entity: str, where: str = "", params: tuple[Any, ...] = ()) -> list[Row]:
    """Whole rows of ``entity`` (all payload columns)."""
    cols = ", ".join(f'"{c}"' for c in pl.column_names(entity))
    sql = f'SELECT {cols} FROM "{entity}"' + (f" WHERE {where}" if where else "")
    return raw(session).execute(sql, params).fetchall()


def select_in(session: Session, entity: str, column: str, ids: Iterable[str], extra: str = "",
              params: tuple[Any, ...] = ()) -> list[Row]:
    """Whole rows whose ``column`` is one of ``ids`` (and ``extra``, with ``params`` after the ids)."""
    out: list[Row] = []
    for chunk in chunks(sorted(set(ids))):
        marks = ",".join("?" * len(chunk))
        out += select_rows(session, entity, f'"{column}" IN ({marks})' + extra, (*chunk, *params))
    return out


def select_cols(session: Session, entity: str, cols: tuple[str, ...], where: str, params: tuple[Any, ...]) -> list[Row]:
    """Narrow rows: only ``cols``, in that order."""
    quoted = ", ".join(f'"{c}"' for c in cols)
    return raw(session).execute(f'SELECT {quoted} FROM "{entity}" WHERE {where}', params).fetchall()


@cache
def index(entity: str, column: str) -> int:
    """Where ``column`` sits in a whole row of ``entity``."""
    return pl.column_names(entity).index(column)


def project(entity: str, cols: tuple[str, ...]) -> Callable[[Row], Row]:
    """A function cutting a whole row of ``entity`` down to ``cols`` (the narrow form of ``select_cols``)."""
    at = [index(entity, c) for c in cols]
    return lambda r: tuple(r[i] for i in at)


def export_state(session: Session, target: str) -> ExportState:
    """What was last exported to ``target`` (an unsaved zero state before the first export)."""
    state = session.get(ExportState, target)
    return state if state is not None else ExportState(target=target, epoch=0, last_sequence=0, last_change_seq=0)


def max_change(session: Session) -> int:
    return int(dialect.scalar(session.connection(), "SELECT COALESCE(MAX(seq), 0) FROM change_log") or 0)


def changed(session: Session, since: int, upto: int) -> dict[str, set[str]]:
    """The ids (32 hex digits) per entity with a ``change_log`` row in ``(since, upto]``."""
    out: dict[str, set[str]] = defaultdict(set)
    rows = dialect.rows(session.connection(),
                        "SELECT entity, row_id FROM change_log WHERE seq > ? AND seq <= ?", (since, upto))
    for entity, row_id in rows:
        out[entity].add(row_id.replace("-", ""))
    return out
