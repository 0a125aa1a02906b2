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
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert diff == []


def test_a_current_store_is_not_migrated_again(unlocked) -> None:
    store, _ = unlocked
    calls = []
    schema.upgrade(store.engine, before=lambda: calls.append("backup"))
    assert calls == []
    assert schema.current_revision(store.engine) == schema.head_revision()
    assert schema.schema_label(schema.head_revision()) == "1"


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
