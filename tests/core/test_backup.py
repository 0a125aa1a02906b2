"""Backups: encrypted copies, retention, disk full, restore with verification."""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import ADMIN, ADMIN_PASSWORD, make_request
from whh_desktop.core.errors import BackupFailed, DiskFull, NotAStore
from whh_desktop.core.services import backups, login
from whh_desktop.core.services.store_setup import create_store
from whh_desktop.core.store import backup as backup_files
from whh_desktop.core.store.backup import BackupInfo, Retention, select_kept
from whh_desktop.core.store.models import Person, StoreMeta
from whh_desktop.paths import DataPaths


def _persons(store) -> int:
    with store.read_session() as s:
        return s.execute(select(func.count()).select_from(Person)).scalar_one()


def _names(store) -> list[str]:
    with store.read_session() as s:
        return sorted(s.execute(select(Person.family_name)).scalars())


def test_backup_is_encrypted_and_opens_with_the_data_key(unlocked) -> None:
    store, user = unlocked
    with store.session(user.username) as s:
        s.add(Person(family_name="Öztürk", given_names="Şükrü"))
    info = backups.backup_now(store, user.username)
    assert info.path.exists() and info.key_copy.exists()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(info.path).execute("SELECT 1 FROM sqlite_master").fetchall()
    assert "Öztürk".encode() not in info.path.read_bytes()
    assert backup_files.verify_backup(info.path, store.data_key, store.info.store_id) == "ok"
    assert backups.list_backups(store.paths)[0].path == info.path


def test_retention_keeps_last_ten_and_one_per_month() -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    infos = [BackupInfo(Path(f"b{i}"), start + timedelta(days=3 * i), "close", 1) for i in range(200)]
    kept = select_kept(infos, Retention(keep_last=10, keep_monthly=12))
    newest = sorted(infos, key=lambda b: b.created_at, reverse=True)
    assert {b.path for b in newest[:10]} <= kept
    months = {(b.created_at.year, b.created_at.month) for b in infos if b.path in kept}
    assert len(months) == 12
    assert len(kept) == 10 + 12 - len({(b.created_at.year, b.created_at.month) for b in newest[:10]})


def test_prune_removes_old_files_with_their_key_copies(unlocked) -> None:
    store, user = unlocked
    for _ in range(4):
        backups.backup_now(store, user.username)
    removed = backup_files.prune(store.paths.backups, Retention(keep_last=2, keep_monthly=0))
    assert len(removed) == 2
    assert len(list(store.paths.backups.glob("*.whhbak"))) == 2
    assert len(list(store.paths.backups.glob("*.key"))) == 2


def test_disk_full_during_backup_keeps_store_and_earlier_backups(unlocked, monkeypatch) -> None:
    store, user = unlocked
    first = backups.backup_now(store, user.username)
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(DiskFull, match="Datenträger ist voll"):
        backups.backup_now(store, user.username)
    monkeypatch.setattr(os, "fsync", real_fsync)
    files = sorted(p.name for p in store.paths.backups.iterdir())
    assert files == sorted([first.path.name, first.key_copy.name])  # no partial file left
    with store.session(user.username) as s:  # the store still works
        s.add(Person(family_name="Weiter"))
    assert _persons(store) == 1


def test_restore_brings_back_the_old_state_and_raises_the_epoch(unlocked) -> None:
    store, user = unlocked
    with store.session(user.username) as s:
        s.add(Person(family_name="Vorher"))
    snapshot = backups.backup_now(store, user.username)
    with store.session(user.username) as s:
        s.add(Person(family_name="Nachher"))
    backups.restore(store, user.username, snapshot.path)
    store2, _ = login.unlock(store.paths, ADMIN, ADMIN_PASSWORD)
    try:
        with store2.read_session() as s:
            names = sorted(s.execute(select(Person.family_name)).scalars())
            epoch = s.execute(select(StoreMeta.epoch)).scalar_one()
        assert names == ["Vorher"]
        assert epoch == 2
        reasons = [b.reason for b in backups.list_backups(store.paths)]
        assert "restore" in reasons  # the state before the restore was saved first
        backups.restore(store2, ADMIN, snapshot.path)  # the same backup again: a new epoch, never a reused one
        store2, _ = login.unlock(store.paths, ADMIN, ADMIN_PASSWORD)
        with store2.read_session() as s:
            assert s.execute(select(StoreMeta.epoch)).scalar_one() == 3
    finally:
        store2.close()


def test_restore_refuses_a_backup_of_another_store(unlocked, tmp_path) -> None:
    store, user = unlocked
    other = DataPaths(tmp_path / "other")
    create_store(other, make_request())
    other_store, other_user = login.unlock(other, ADMIN, ADMIN_PASSWORD)
    foreign = backups.backup_now(other_store, other_user.username)
    other_store.close()
    with store.session(user.username) as s:
        s.add(Person(family_name="Bleibt"))
    with pytest.raises(NotAStore, match="anderen Datenbestand"):
        backups.restore(store, user.username, foreign.path)
    assert _persons(store) == 1  # untouched and still open


def test_restore_refuses_a_damaged_backup(unlocked) -> None:
    store, user = unlocked
    info = backups.backup_now(store, user.username)
    data = bytearray(info.path.read_bytes())
    data[5000:5100] = os.urandom(100)
    info.path.write_bytes(bytes(data))
    with pytest.raises(BackupFailed, match="Sicherung ist beschädigt"):
        backups.restore(store, user.username, info.path)
    assert store.quick_check() == "ok"


def test_lost_key_file_comes_back_from_the_copy_beside_a_backup(unlocked) -> None:
    store, user = unlocked
    with store.session(user.username) as s:
        s.add(Person(family_name="Gesichert"))
    info = backups.backup_now(store, user.username)
    store.close()
    paths = store.paths
    paths.key_file.unlink()
    paths.key_file.with_name("store.key.bak").unlink(missing_ok=True)
    backups.restore_key_file_from_backup(paths, info.path)
    assert paths.key_file.read_bytes() == info.key_copy.read_bytes()
    reopened, _ = login.unlock(paths, ADMIN, ADMIN_PASSWORD)
    try:
        assert _names(reopened) == ["Gesichert"]  # the recovered key opens the store with its data
        with reopened.session(ADMIN) as s:
            s.add(Person(family_name="Danach"))
        backups.restore(reopened, ADMIN, info.path)  # and the backup itself restores with it
        reopened, _ = login.unlock(paths, ADMIN, ADMIN_PASSWORD)
        assert _names(reopened) == ["Gesichert"]
    finally:
        reopened.close()
