"""Migrations match the models; a store is migrated after a backup; the core never imports Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import whh_desktop
from whh_desktop.core.store import schema
from whh_desktop.core.store.base import Base
from whh_desktop.core.store.engine import make_engine


def test_migrations_produce_exactly_the_model_schema(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "s.whh", b"\x01" * 32)
    calls = []
    schema.upgrade(engine, before=lambda: calls.append("backup"))
    assert calls == ["backup"]  # the hook (the automatic backup) runs before any migration
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": schema.include_object}), Base.metadata)
    engine.dispose()
    assert diff == []


def test_a_current_store_is_not_migrated_again(unlocked) -> None:
    store, _ = unlocked
    calls = []
    schema.upgrade(store.engine, before=lambda: calls.append("backup"))
    assert calls == []
    assert schema.current_revision(store.engine) == schema.head_revision()
    assert schema.schema_label("0002") == "2"


def test_an_older_store_is_backed_up_then_migrated_on_open(unlocked) -> None:
    from alembic import command
    from sqlalchemy import select

    from tests.conftest import ADMIN, ADMIN_PASSWORD
    from whh_desktop.core.services import backups, login
    from whh_desktop.core.store.models import Person

    store, user = unlocked
    with store.session(user.username) as s:
        s.add(Person(family_name="Bestand", given_names="Vor dem Update"))
    with store.engine.connect() as conn:  # turn it into a store of schema 1
        cfg = schema._config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
        conn.commit()
    store.close()
    assert schema.current_revision(store.engine) == "0001"
    reopened, _ = login.unlock(store.paths, ADMIN, ADMIN_PASSWORD)
    try:
        assert schema.current_revision(reopened.engine) == schema.head_revision()
        assert [b.reason for b in backups.list_backups(store.paths)] == ["migration"]
        with reopened.read_session() as s:
            assert s.execute(select(Person.given_names)).scalar_one() == "Vor dem Update"
    finally:
        reopened.close()


def test_core_never_imports_qt() -> None:
    core = Path(whh_desktop.__file__).parent / "core"
    modules = sorted(
        "whh_desktop." + ".".join(p.relative_to(core.parent).with_suffix("").parts[0:])
        for p in core.rglob("*.py") if "migrations" not in p.parts)
    modules = [m.replace(".__init__", "") for m in modules]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'PyQt'))]\n"
        "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"core pulled in Qt: {out}"
    for path in core.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "PySide6" not in source and "from PyQt" not in source, path
