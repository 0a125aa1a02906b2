"""Migrations 0003 and 0005 seed the data they were written with, whatever the resource files say today."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from whh_desktop import resources
from whh_desktop.core.store import schema
from whh_desktop.core.store.engine import make_engine

# SHA-256 of the seeded rows (canonical JSON, see _digest) as the migrations inserted them when they still read
# resources/data/kdu-herford-2019.json (commit 0e52e8f) and resources/letters/address-book-kreis-herford.json
# (commit 85be36e): the frozen copies must insert exactly these rows.
KDU_SEED_DIGEST = "cd46d5fd885870175706111e78aea312a6600109f1b7956ebf97403fcf4e63d4"
ADDRESS_BOOK_DIGEST = "9c28413c4cd1f4067602fbc4d784fca1fe81aacdc5ef4a44a6a9be91d35dcc95"

# created_at/updated_at of the KdU seed are the time of the migration run, so they are left out.
KDU_COLUMNS = "id, origin_site, owner_site, updated_by, version, label, valid_from, valid_until, data, deleted_at"
ADDRESS_COLUMNS = ("id, kind, name, department, street, plz, city, phone, email, municipalities, note, sort_key, "
                   "origin_site, owner_site, created_at, updated_at, updated_by, version, deleted_at")


def _seeded_rows(tmp_path: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    engine = make_engine(tmp_path / "fresh.whh", b"\x02" * 32)
    try:
        schema.upgrade(engine)
        with engine.connect() as conn:
            kdu = [dict(r._mapping) for r in conn.execute(text(f"SELECT {KDU_COLUMNS} FROM kdu_tables ORDER BY id"))]
            book = [dict(r._mapping) for r in conn.execute(
                text(f"SELECT {ADDRESS_COLUMNS} FROM address_book ORDER BY id"))]
    finally:
        engine.dispose()
    return kdu, book


def _digest(rows: list[dict[str, object]]) -> str:
    canonical = json.dumps(rows, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_a_fresh_store_gets_the_seed_rows_the_migrations_were_written_with(tmp_path: Path) -> None:
    kdu, book = _seeded_rows(tmp_path)
    assert [r["label"] for r in kdu] == ["Kreis Herford, Richtwerte ab 01.11.2019"]
    assert json.loads(kdu[0]["data"])["areas"][0]["limits"] == [39650, 49270, 56320, 66120, 78650]
    assert len(book) == 13 and {r["owner_site"] for r in book} == {"kreis"}
    assert _digest(kdu) == KDU_SEED_DIGEST
    assert _digest(book) == ADDRESS_BOOK_DIGEST


@pytest.fixture
def changed_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of resources/ with today's seed files edited, found by resource() instead of the shipped one."""
    copy = tmp_path / "resources"
    shutil.copytree(resources.resource(), copy)
    kdu_file = copy / "data" / "kdu-herford-2019.json"
    kdu = json.loads(kdu_file.read_text(encoding="utf-8"))
    kdu["label"] = "Kreis Herford, Richtwerte (später geändert)"
    kdu["areas"][0]["limits"] = [1, 2, 3, 4, 5]
    kdu_file.write_text(json.dumps(kdu, ensure_ascii=False), encoding="utf-8")
    book_file = copy / "letters" / "address-book-kreis-herford.json"
    book = json.loads(book_file.read_text(encoding="utf-8"))
    book["entries"] = [*book["entries"][1:], {"kind": "jobcenter", "name": "Jobcenter Neu (Fiktiv)"}]
    book["entries"][0]["street"] = "Neue Straße 999"
    book_file.write_text(json.dumps(book, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(resources, "_root", lambda name: copy if name == "resources" else copy.parent / name)
    assert resources.resource("data", "kdu-herford-2019.json") == kdu_file
    return copy


def test_changing_the_resource_files_does_not_change_what_the_migrations_insert(
        changed_resources: Path, tmp_path: Path) -> None:
    kdu, book = _seeded_rows(tmp_path)
    assert _digest(kdu) == KDU_SEED_DIGEST
    assert _digest(book) == ADDRESS_BOOK_DIGEST
