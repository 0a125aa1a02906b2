"""Schema version guard and Alembic migrations, applied in-process on open."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from whh_desktop.core.errors import StoreDamaged, StoreTooNew
from whh_desktop.core.store.driver import driver_connection

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic filter: FTS5 virtual tables and their shadow tables are made by hand in migrations; the key ring
    of a PostgreSQL store is made by store set-up (``keys.DatabaseKeyRing``)."""
    return not (type_ == "table" and name and ("_fts" in name or name.startswith("sqlite_")
                                               or name == "whh_keyring"))


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config())


def head_revision() -> str:
    head = _script().get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in _script().walk_revisions()}


def schema_label(revision: str | None) -> str:
    """Revisions are numbered 0001, 0002, …: the number is the schema version shown to users."""
    return str(int(revision.split("_")[0])) if revision and revision[:4].isdigit() else (revision or "–")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


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
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7212000014)")  # one key per database: 'whh' + issue
        if MigrationContext.configure(conn).get_current_revision() == head_revision():
            conn.commit()
            return
        cfg = _config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        conn.commit()
