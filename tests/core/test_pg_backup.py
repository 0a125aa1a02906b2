"""Backups of a district store on PostgreSQL (issue 19 point 3): pg_dump -Fc with the SQLite backups' names and
retention, and a restore that checks first — a foreign, damaged or newer dump and a non-empty target are refused
with a German message, nothing lost — against the real test cluster."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
import sqlalchemy as sa

from tests.core.bare_store import BareStore
from whh_desktop.core.errors import BackupFailed, NotAStore
from whh_desktop.core.store import pg_backup
from whh_desktop.core.store.backup import Retention
from whh_desktop.core.store.models import Case, Person, StoreMeta

STORE_ID = str(uuid.uuid4())


@pytest.fixture
def district(pg_url):
    store = BareStore(pg_url)
    with store.session() as s:
        s.add(StoreMeta(store_id=STORE_ID, mode="district", site_code="kreis"))
        person = Person(family_name="Fiktiv-Müller", given_names="Łukasz", birth_date=date(1980, 1, 2))
        s.add(person)
        s.flush()
        s.add(Case(case_number="KRS-2026-0001", person_id=person.id, counsellor="b.schulz", opened_on=date(2026, 1, 5)))
    yield store, pg_url
    store.dispose()


def _content(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [*conn.execute(sa.text("SELECT store_id FROM store_meta")).all(),
                    *conn.execute(sa.text("SELECT family_name, given_names, birth_date FROM persons")).all(),
                    *conn.execute(sa.text("SELECT case_number FROM cases")).all(),
                    *conn.execute(sa.text("SELECT body FROM search_fts")).all()]
    finally:
        engine.dispose()


@pytest.fixture
def empty_db(pg_cluster):
    name = pg_cluster.create_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


def test_dump_and_restore_into_an_empty_database(district, empty_db, tmp_path) -> None:
    _, url = district
    info = pg_backup.create_backup(url, "manuell", tmp_path)
    assert info.path.name.endswith(pg_backup.SUFFIX) and info.size > 0
    assert [b.path for b in pg_backup.list_dumps(tmp_path)] == [info.path]
    assert pg_backup.restore_backup(info.path, empty_db, STORE_ID) is None  # a schema made without migrations
    assert _content(empty_db) == _content(url)
    assert ("Fiktiv-Müller", "Łukasz", date(1980, 1, 2)) in _content(empty_db)


def test_retention_keeps_the_newest(district, tmp_path) -> None:
    _, url = district
    made = [pg_backup.create_backup(url, "automatisch", tmp_path, Retention(keep_last=2, keep_monthly=0))
            for _ in range(3)]
    assert [b.path for b in pg_backup.list_dumps(tmp_path)] == [made[2].path, made[1].path]


def test_a_dump_of_another_store_is_refused(district, empty_db, tmp_path) -> None:
    _, url = district
    info = pg_backup.create_backup(url, "manuell", tmp_path)
    with pytest.raises(NotAStore, match="anderen Datenbestand"):
        pg_backup.restore_backup(info.path, empty_db, str(uuid.uuid4()))
    assert _is_empty(empty_db)


def test_a_damaged_dump_is_refused(district, empty_db, tmp_path) -> None:
    _, url = district
    info = pg_backup.create_backup(url, "manuell", tmp_path)
    data = info.path.read_bytes()
    info.path.write_bytes(data[: len(data) // 3])
    with pytest.raises(BackupFailed, match="beschädigt"):
        pg_backup.restore_backup(info.path, empty_db, STORE_ID)
    (tmp_path / "fremd.whhpg").write_bytes(b"kein Dump")
    with pytest.raises(BackupFailed, match="beschädigt"):
        pg_backup.restore_backup(tmp_path / "fremd.whhpg", empty_db, STORE_ID)
    assert _is_empty(empty_db)


def test_a_dump_of_a_newer_program_is_refused(district, empty_db, tmp_path) -> None:
    store, url = district
    with store.engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
        conn.execute(sa.text("INSERT INTO alembic_version VALUES ('9999_from_the_future')"))
    info = pg_backup.create_backup(url, "manuell", tmp_path)
    with pytest.raises(BackupFailed, match="neueren Programmversion"):
        pg_backup.restore_backup(info.path, empty_db, STORE_ID)
    assert _is_empty(empty_db)


def test_a_database_with_tables_is_not_overwritten(district, tmp_path) -> None:
    _, url = district
    info = pg_backup.create_backup(url, "manuell", tmp_path)
    before = _content(url)
    with pytest.raises(BackupFailed, match="nicht leer"):
        pg_backup.restore_backup(info.path, url, STORE_ID)
    assert _content(url) == before


def test_a_dump_of_an_unreachable_server_fails_cleanly(pg_cluster, tmp_path) -> None:
    url = pg_cluster.url("gibt_es_nicht")
    with pytest.raises(BackupFailed, match="pg_dump meldet"):
        pg_backup.create_backup(url, "manuell", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_password_stays_off_the_command_line() -> None:
    info, env = pg_backup.conninfo("postgresql+psycopg://kreis:geheim@db.example:5433/whh?sslmode=require")
    assert "geheim" not in info and env["PGPASSWORD"] == "geheim"
    assert info == "dbname='whh' user='kreis' host='db.example' port='5433' sslmode='require'"


def _is_empty(url: str) -> bool:
    return pg_backup._is_empty(url)
