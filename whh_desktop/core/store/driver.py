"""The driver (sqlcipher3) connection under a SQLAlchemy connection: pragmas, ATTACH and bulk statements that run
outside the ORM."""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.engine.interfaces import DBAPIConnection


def driver_connection(conn: Connection) -> DBAPIConnection:
    """The sqlcipher3 connection ``conn`` holds (a checked-out connection always holds one)."""
    raw = conn.connection.dbapi_connection
    if raw is None:
        raise RuntimeError("connection already returned to the pool")
    return raw
