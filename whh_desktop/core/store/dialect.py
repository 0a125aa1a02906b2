"""The few places where SQLite and PostgreSQL differ, for code outside ``core/store`` (DESIGN.md §10 Scale).

Sync reads and writes rows in their *storage form* (UUIDs as 32 hex digits, ISO text dates and timestamps, JSON
as text, booleans 0/1: what SQLite keeps, see ``sync/payload_codec``) with ``?`` placeholders on the DB-API
connection, without the ORM, for speed. ``storage(conn)`` gives such a connection for either backend: on SQLite
the driver connection itself (nothing in between), on PostgreSQL a psycopg wrapper whose cursors translate the
placeholders and load and dump values in the same storage form, so the sync code runs unchanged on both.
``days_between``, ``year_quarter`` and ``min_id`` are the reports' SQL that differs; ``HexId``/``DateText`` read
UUID and date columns in storage form through the ORM's Core statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Integer, SQLColumnExpression, String, TypeDecorator, Uuid
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


def name(conn: Connection) -> str:
    """``sqlite`` or ``postgresql``: the backend ``conn`` talks to."""
    return str(conn.dialect.name)


class HexId(TypeDecorator[str]):
    """A UUID column read and compared as its 32 hex digits (the storage form) on either backend: use as
    ``type_coerce(Case.id, HexId())`` where plain string keys are wanted (lists, caches)."""

    impl = Uuid(as_uuid=False)
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        # SQLite keeps the 32 hex digits as text: bound as they are, without a uuid.UUID per value (a page of the
        # case list binds 100 keys per keystroke)
        return dialect.type_descriptor(String(32) if dialect.name == SQLITE else Uuid(as_uuid=False))

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return value

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else str(value).replace("-", "")


class DateText(TypeDecorator[str]):
    """A DATE column read as its ISO text (the storage form) on either backend, without SQLAlchemy's date parsing:
    ``type_coerce(FlatOffer.available_from, DateText())``."""

    impl = String
    cache_ok = True

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        return value.isoformat() if isinstance(value, date) else value


# ---- reports: date arithmetic ----------------------------------------------------------------------------------
class days_between(FunctionElement[int]):
    """Whole days from ``earlier`` to ``later`` (two DATE expressions; NULL if either is NULL)."""

    type = Integer()
    inherit_cache = True

    def __init__(self, later: SQLColumnExpression[Any], earlier: SQLColumnExpression[Any]) -> None:
        super().__init__(later, earlier)


@compiles(days_between, SQLITE)
def _days_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(days_between, POSTGRESQL)
def _days_postgresql(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(({later})::date - ({earlier})::date)"  # date - date is an integer number of days


class year_quarter(FunctionElement[str]):
    """``YYYY-Qn`` of a DATE expression."""

    type = String()
    inherit_cache = True

    def __init__(self, day: SQLColumnExpression[Any]) -> None:
        super().__init__(day)


@compiles(year_quarter, SQLITE)
def _quarter_sqlite(element: year_quarter, compiler: SQLCompiler, **kw: Any) -> str:
    day = compiler.process(next(iter(element.clauses)), **kw)
    return f"(strftime('%Y', {day}) || '-Q' || ((CAST(strftime('%m', {day}) AS INTEGER) + 2) / 3))"


@compiles(year_quarter, POSTGRESQL)
def _quarter_postgresql(element: year_quarter, compiler: SQLCompiler, **kw: Any) -> str:
    day = compiler.process(next(iter(element.clauses)), **kw)
    return f"to_char(({day})::date, 'YYYY-\"Q\"Q')"


class min_id(FunctionElement[Any]):
    """The smallest of a UUID column's values in a group (PostgreSQL has no ``min(uuid)``; the text form orders
    like the 16 bytes and like SQLite's hex text)."""

    inherit_cache = True

    def __init__(self, column: ColumnElement[Any]) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(min_id, SQLITE)
def _min_id_sqlite(element: min_id, compiler: SQLCompiler, **kw: Any) -> str:
    return f"min({compiler.process(next(iter(element.clauses)), **kw)})"


@compiles(min_id, POSTGRESQL)
def _min_id_postgresql(element: min_id, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(min(CAST({compiler.process(next(iter(element.clauses)), **kw)} AS text)) AS uuid)"


# ---- storage-form rows on the DB-API connection ----------------------------------------------------------------
def storage(conn: Connection) -> Any:
    """A DB-API-like connection in the caller's transaction with ``execute(sql, params)`` and
    ``executemany(sql, rows)`` taking ``?`` placeholders and storage-form values, returning cursors of plain tuples
    in storage form (see the module docstring)."""
    raw = conn.connection.dbapi_connection
    if raw is None:
        raise RuntimeError("connection already returned to the pool")
    if name(conn) == POSTGRESQL:
        return _PgStorage(raw)
    return raw


def scalar(conn: Connection, sql: str, params: Sequence[Any] = ()) -> Any:
    """The first column of the first row (None without rows) of a ``?`` statement in storage form."""
    row = storage(conn).execute(sql, tuple(params)).fetchone()
    return None if row is None else row[0]


def first(conn: Connection, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
    """The first row (None without rows) of a ``?`` statement in storage form."""
    row = storage(conn).execute(sql, tuple(params)).fetchone()
    return None if row is None else tuple(row)


def rows(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """All rows of a ``?`` statement in storage form."""
    return list(storage(conn).execute(sql, tuple(params)).fetchall())


def run(conn: Connection, sql: str, params: Sequence[Any] = ()) -> None:
    """Execute a ``?`` statement (storage-form parameters), discarding any result."""
    storage(conn).execute(sql, tuple(params))


def run_many(conn: Connection, sql: str, params: Sequence[Sequence[Any]]) -> None:
    """Execute a ``?`` statement once per parameter row (one driver ``executemany``)."""
    if params:
        storage(conn).executemany(sql, [tuple(p) for p in params])


def analyze_if_stale(conn: Connection, table: str) -> None:
    """PostgreSQL: refresh the planner statistics of ``table`` when they are missing or a good part of its rows
    changed since (a bulk import just before, autovacuum not there yet). Without them the planner takes a large
    table for an empty one and an import's lookups of 900 keys at a time scan it whole, each (seconds per
    bundle). SQLite: nothing (the Store runs ANALYZE after an import)."""
    if name(conn) != POSTGRESQL:
        return
    stale = conn.exec_driver_sql(
        "SELECT 1 FROM pg_stat_user_tables WHERE relname = %(t)s AND n_live_tup + n_mod_since_analyze > 1000 "
        "AND (coalesce(last_analyze, last_autoanalyze) IS NULL OR n_mod_since_analyze > n_live_tup / 5)",
        {"t": table}).first()
    if stale is not None:
        conn.exec_driver_sql(f'ANALYZE "{table}"')


def format_placeholders(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (and a literal ``%`` doubled); ``?`` inside quotes stays."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
            out.append("%%" if ch == "%" else ch)
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        else:
            out.append("%%" if ch == "%" else ch)
    return "".join(out)


@cache
def _pg_storage_adapters() -> tuple[list[tuple[type, Any]], list[tuple[str, Any]]]:
    """The psycopg dumpers and loaders of the storage form (built once; psycopg is only imported on a district)."""
    from psycopg import adapt
    from psycopg.pq import Format

    class _Unknown(adapt.Dumper):
        """Numbers sent untyped, so PostgreSQL casts 0/1 to a boolean column and digits to any numeric one."""

        oid = 0
        format = Format.TEXT

        def dump(self, obj: Any) -> bytes:
            return str(int(obj) if isinstance(obj, bool) else obj).encode()

    class _Text(adapt.Loader):
        def load(self, data: Any) -> str:
            return bytes(data).decode()

    class _Hex(adapt.Loader):
        def load(self, data: Any) -> str:
            return bytes(data).decode().replace("-", "")

    class _Bit(adapt.Loader):
        def load(self, data: Any) -> int:
            return 1 if bytes(data) == b"t" else 0

    class _Stamp(adapt.Loader):
        def load(self, data: Any) -> str:  # SQLAlchemy's SQLite form: always six fraction digits
            return datetime.fromisoformat(bytes(data).decode()).isoformat(sep=" ", timespec="microseconds")

    dumpers: list[tuple[type, Any]] = [(int, _Unknown), (bool, _Unknown), (float, _Unknown)]
    loaders: list[tuple[str, Any]] = [("uuid", _Hex), ("date", _Text), ("json", _Text), ("jsonb", _Text),
                                      ("bool", _Bit), ("timestamp", _Stamp)]
    return dumpers, loaders


class _PgStorage:
    """psycopg with ``?`` placeholders and storage-form values (see ``storage``)."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def _cursor(self) -> Any:
        cur = self._raw.cursor()
        dumpers, loaders = _pg_storage_adapters()
        for kind, dumper in dumpers:
            cur.adapters.register_dumper(kind, dumper)
        for pg_type, loader in loaders:
            cur.adapters.register_loader(pg_type, loader)
        return cur

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self._cursor()
        cur.execute(format_placeholders(sql), tuple(params))
        return cur

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> Any:
        cur = self._cursor()
        cur.executemany(format_placeholders(sql), [tuple(p) for p in params])
        return cur

