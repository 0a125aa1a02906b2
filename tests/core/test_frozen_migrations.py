"""The seeding migrations (0003, 0005, 0014) insert the data they were written with, whatever the resource files
say today."""

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

SYNC = "id, origin_site, owner_site, updated_by, version, deleted_at"
# Per seeded table: the columns compared, and the SHA-256 of its rows (canonical JSON, see _digest) as the
# migrations inserted them while they still read the resource files (kdu-herford-2019.json of commit 0e52e8f,
# address-book-kreis-herford.json of 85be36e, karenzzeit-rules.json and amtsgerichte-herford.json of c02fcc2).
# created_at/updated_at of the KdU seed are the time of the migration run, so they are left out there.
SEEDS = {
    "kdu_tables": (f"{SYNC}, label, valid_from, valid_until, data",
                   "cd46d5fd885870175706111e78aea312a6600109f1b7956ebf97403fcf4e63d4"),
    "address_book": (f"{SYNC}, created_at, updated_at, kind, name, department, street, plz, city, phone, email, "
                     "municipalities, note, sort_key",
                     "9c28413c4cd1f4067602fbc4d784fca1fe81aacdc5ef4a44a6a9be91d35dcc95"),
    "karenzzeit_rules": (f"{SYNC}, created_at, updated_at, label, valid_from, valid_until, months, cap_percent, "
                         "exceptions, cost_reduction_months, max_rent_per_m2, source",
                         "ce05f4b3c56c4025319ab7354d8886f0c07255d98770251c574fb788eeeaed65"),
    "local_courts": (f"{SYNC}, created_at, updated_at, municipality, court, source",
                     "17dc6bfd83b84e67d9f87b8c43606b57cb24e31d7a712d3af6c3628613974394"),
}


def _seeded_rows(tmp_path: Path) -> dict[str, list[dict[str, object]]]:
    engine = make_engine(tmp_path / "fresh.whh", b"\x02" * 32)
    try:
        schema.upgrade(engine)
        with engine.connect() as conn:
            return {table: [dict(r._mapping) for r in conn.execute(text(f"SELECT {columns} FROM {table} ORDER BY id"))]
                    for table, (columns, _digest) in SEEDS.items()}
    finally:
        engine.dispose()


def _digest(rows: list[dict[str, object]]) -> str:
    canonical = json.dumps(rows, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _digests(rows: dict[str, list[dict[str, object]]]) -> dict[str, str]:
    return {table: _digest(table_rows) for table, table_rows in rows.items()}


EXPECTED = {table: digest for table, (_columns, digest) in SEEDS.items()}


def test_a_fresh_store_gets_the_seed_rows_the_migrations_were_written_with(tmp_path: Path) -> None:
    rows = _seeded_rows(tmp_path)
    kdu, book = rows["kdu_tables"], rows["address_book"]
    assert [r["label"] for r in kdu] == ["Kreis Herford, Richtwerte ab 01.11.2019"]
    assert json.loads(kdu[0]["data"])["areas"][0]["limits"] == [39650, 49270, 56320, 66120, 78650]
    assert len(book) == 13 and {r["owner_site"] for r in book} == {"kreis"}
    assert sorted(r["valid_from"] for r in rows["karenzzeit_rules"]) == ["2023-01-01", "2026-07-01"]
    assert len(rows["local_courts"]) == 9
    assert _digests(rows) == EXPECTED


@pytest.fixture
def changed_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of resources/ with today's seed files edited, found by resource() instead of the shipped one."""
    copy = tmp_path / "resources"
    shutil.copytree(resources.resource(), copy)

    def change(parts: tuple[str, ...], edit) -> None:
        path = copy.joinpath(*parts)
        data = json.loads(path.read_text(encoding="utf-8"))
        edit(data)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    def kdu(data: dict) -> None:
        data["label"] = "Kreis Herford, Richtwerte (später geändert)"
        data["areas"][0]["limits"] = [1, 2, 3, 4, 5]

    def book(data: dict) -> None:
        data["entries"] = [*data["entries"][1:], {"kind": "jobcenter", "name": "Jobcenter Neu (Fiktiv)"}]
        data["entries"][0]["street"] = "Neue Straße 999"

    def rules(data: dict) -> None:
        data["rules"][1]["cap_percent"] = 200
        data["rules"].append({**data["rules"][1], "valid_from": "2027-01-01", "label": "Später"})

    def courts(data: dict) -> None:
        data["courts"][0]["court"] = "Amtsgericht Anderswo"

    change(("data", "kdu-herford-2019.json"), kdu)
    change(("letters", "address-book-kreis-herford.json"), book)
    change(("data", "karenzzeit-rules.json"), rules)
    change(("data", "amtsgerichte-herford.json"), courts)
    monkeypatch.setattr(resources, "_root", lambda name: copy if name == "resources" else copy.parent / name)
    assert resources.resource("data", "kdu-herford-2019.json") == copy / "data" / "kdu-herford-2019.json"
    return copy


def test_changing_the_resource_files_does_not_change_what_the_migrations_insert(
        changed_resources: Path, tmp_path: Path) -> None:
    assert _digests(_seeded_rows(tmp_path)) == EXPECTED
