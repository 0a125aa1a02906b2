"""The unlock checks the schema without Alembic (issue 20 point 2): the revisions read from the scripts' text are
Alembic's own, the stored revision is read as Alembic keeps it, and a newer or doubled one is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from whh_desktop.core.errors import StoreDamaged, StoreTooNew
from whh_desktop.core.store import schema
from whh_desktop.core.store.engine import make_engine


def test_the_revisions_read_from_the_scripts_are_alembics() -> None:
    script = schema._script()
    assert schema.known_revisions() == {rev.revision for rev in script.walk_revisions()}
    assert schema.head_revision() == script.get_current_head()
    assert schema._revision_graph() == {rev.revision: rev.down_revision for rev in script.walk_revisions()}


def test_the_stored_revision_is_read_as_alembic_reads_it(unlocked, tmp_path: Path) -> None:
    store, _ = unlocked
    with store.engine.connect() as conn:
        assert schema.current_revision(store.engine) == MigrationContext.configure(conn).get_current_revision()
    empty = make_engine(tmp_path / "leer.whh", b"\x02" * 32)
    try:
        assert schema.current_revision(empty) is None  # a new database: no table yet
        with empty.begin() as conn:
            conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        assert schema.current_revision(empty) is None  # the table, but no row yet
    finally:
        empty.dispose()


def test_a_newer_or_doubled_revision_is_refused(unlocked) -> None:
    store, _ = unlocked
    head = schema.head_revision()
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_von_morgen'"))
    with pytest.raises(StoreTooNew, match="neueren Version"):
        schema.check_version(store.engine)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001')"))
    with pytest.raises(StoreDamaged, match="mehrere Schemastände"):
        schema.check_version(store.engine)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version WHERE version_num = '0001'"))
    assert schema.check_version(store.engine) == head
