"""Schema version guard and Alembic migrations, applied in-process on open.

Opening a store only reads its revision and compares it with the scripts' own ``revision = "…"`` lines: Alembic
(and Mako, Pygments and every SQL dialect it pulls in) is imported only when a migration actually runs, which
keeps it off every unlock (issue 20 point 2).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from whh_desktop.core.errors import StoreDamaged, StoreTooNew
from whh_desktop.core.store.driver import driver_connection

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default, as env.py leaves it
# ``revision = "0001"`` and ``down_revision = None`` (optionally annotated), as every script here spells them
_ASSIGNMENT = re.compile(r'^(revision|down_revision)\s*(?::[^=]*)?=\s*(None|"[^"]*"|\'[^\']*\')\s*$', re.MULTILINE)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic filter: FTS5 virtual tables and their shadow tables are made by hand in migrations; the key ring
    of a PostgreSQL store is made by store set-up (``keys.DatabaseKeyRing``)."""
    return not (type_ == "table" and name and ("_fts" in name or name.startswith("sqlite_")
                                               or name == "whh_keyring"))


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@cache
def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


@cache
def _revision_graph() -> dict[str, str | None]:
    """Each script's revision and the one it follows, read from the files' text (no import, no Alembic).

    A script whose assignments are not plain strings (a merge point's tuple) is left to Alembic itself."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = dict(_ASSIGNMENT.findall(path.read_text(encoding="utf-8")))
        if path.name == "__init__.py" and not found:
            continue
        if "revision" not in found or "down_revision" not in found:
            return {rev.revision: rev.down_revision for rev in _script().walk_revisions()}  # type: ignore[misc]
        down = found["down_revision"]
        graph[found["revision"][1:-1]] = None if down == "None" else down[1:-1]
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {down for down in graph.values() if down is not None}
    if len(heads) != 1:  # two branches (two migrations on the same parent): Alembic says which
        head = _script().get_current_head()
        assert head is not None
        return head
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())


def schema_label(revision: str | None) -> str:
    """Revisions are numbered 0001, 0002, …: the number is the schema version shown to users."""
    return str(int(revision.split("_")[0])) if revision and revision[:4].isdigit() else (revision or "–")


def current_revision(engine: Engine) -> str | None:
    """The store's revision (None for an empty database), read as Alembic keeps it: one row in its table."""
    with engine.connect() as conn:
        return _stored_revision(conn)


def _stored_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(rows) > 1:
        raise StoreDamaged("Der Datenbestand nennt mehrere Schemastände zugleich. Bitte die letzte Datensicherung "
                           "wiederherstellen.")
    return rows[0] if rows else None


def check_version(engine: Engine) -> str | None:
    """Return the stored revision; refuse a store written by a newer program."""
    current = current_revision(engine)
    if current is not None and current not in known_revisions():
        raise StoreTooNew(
            "Diese Datenbank wurde mit einer neueren Version von WHH Desktop geschrieben und wird deshalb nicht "
            "geöffnet. Bitte installieren Sie die aktuelle Programmversion.")
    return current


def needs_upgrade(engine: Engine) -> bool:
    return check_version(engine) != head_revision()


def upgrade(engine: Engine, before: Callable[[], object] | None = None) -> None:
    """Bring the store to the head revision. ``before`` runs first (the automatic backup)."""
    if not needs_upgrade(engine):
        return
    if engine.dialect.name == "postgresql":
        _upgrade_server(engine)
        return
    if before is not None:
        before()
    from alembic import command

    with engine.connect() as conn:
        raw = driver_connection(conn)
        raw.execute("PRAGMA foreign_keys = OFF")  # batch mode recreates tables; outside a transaction
        try:
            cfg = _config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()
            problems = raw.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise StoreDamaged(f"Nach der Aktualisierung passen {len(problems)} Verweise nicht. "
                                   "Bitte die Datensicherung von vor der Aktualisierung wiederherstellen.")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def _upgrade_server(engine: Engine) -> None:
    """PostgreSQL: the whole upgrade in one transaction (DDL included), so it applies whole or not at all; an
    advisory lock lets the first clerk who opens the new version migrate while the others wait and find it done."""
    from alembic import command

    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7212000014)")  # one key per database: 'whh' + issue
        if _stored_revision(conn) == head_revision():
            conn.commit()
            return
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
