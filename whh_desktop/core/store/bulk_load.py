"""Loading many new rows at once (the demo fill, issue 20): one connection for the whole load, transactions of the
caller's size on it, and the fastest way each backend takes new rows in storage form.

SQLite: ``synchronous = NORMAL`` instead of ``FULL`` while loading — in WAL mode a crash then loses at most the last
commits, never the file's consistency (the SQLite documentation's guarantee), and the loader commits every chunk
anyway — and a larger page cache, so the random-order indexes (sort keys) stay in memory instead of being decrypted
again and again. Both are restored before the connection goes back to the pool. PostgreSQL: ``COPY … FROM STDIN``
instead of INSERTs (its text format reads the storage form: 32 hex digits for a uuid, 0/1 for a boolean, ISO dates).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Engine

from whh_desktop.core.store import dialect
from whh_desktop.core.store.driver import driver_connection

LOAD_CACHE_KIB = 256 * 1024  # the page cache while loading (the store's own is 32 MiB)


@contextlib.contextmanager
def loading(engine: Engine) -> Iterator[Connection]:
    """One connection for a bulk load; ``with conn.begin():`` around each transaction (the store's BEGIN IMMEDIATE
    or REPEATABLE READ)."""
    with engine.connect() as conn:
        if dialect.name(conn) != dialect.SQLITE:
            yield conn
            return
        raw = driver_connection(conn)  # outside a transaction: SQLite refuses to change synchronous inside one
        synchronous = raw.execute("PRAGMA synchronous").fetchone()[0]
        cache_size = raw.execute("PRAGMA cache_size").fetchone()[0]
        raw.execute("PRAGMA synchronous = NORMAL")
        raw.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
        try:
            yield conn
        finally:
            if conn.in_transaction():
                conn.rollback()
            raw.execute(f"PRAGMA synchronous = {int(synchronous)}")
            raw.execute(f"PRAGMA cache_size = {int(cache_size)}")  # also frees the pages above it


def insert_rows(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """New rows in storage form into ``table`` (the caller's transaction): SQLite one ``executemany``, PostgreSQL
    one ``COPY``."""
    if not rows:
        return
    names = ", ".join(f'"{c}"' for c in columns)  # quoted: a column is called "on"
    if dialect.name(conn) == dialect.POSTGRESQL:
        raw: Any = conn.connection.dbapi_connection  # psycopg's connection: cursors with copy()
        with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            copy.write(copy_text(rows, len(columns)))
        return
    marks = ", ".join("?" * len(columns))
    driver_connection(conn).executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)


_ESCAPE = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_text(rows: Sequence[tuple[Any, ...]], width: int) -> str:
    """The rows in COPY's text format (tab between values, ``\\N`` for NULL, a line each). Joined plainly first
    (a fifth of the time psycopg's ``write_row`` takes a row); when a value held a backslash, tab or line break —
    the counts of tabs and lines tell — the block is built again with every value escaped."""
    text = "\n".join(["\t".join([r"\N" if v is None else str(v) for v in row]) for row in rows]) + "\n"
    nulls = sum(row.count(None) for row in rows)
    if text.count("\\") == nulls and "\r" not in text and text.count("\n") == len(rows) \
            and text.count("\t") == len(rows) * (width - 1):
        return text
    return "".join("\t".join(r"\N" if v is None else str(v).translate(_ESCAPE) for v in row) + "\n" for row in rows)
