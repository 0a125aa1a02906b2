"""User-only files (issue 10 point 8): store, WAL/SHM, key file and .bak, backups with their key copies, escrow
file and exports are 0600 in 0700 folders on POSIX; what a kill leaves behind is removed at the next start."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ADMIN, ADMIN_PASSWORD
from tests.core.test_sync_import_fixtures import exchange, new_case  # noqa: F401
from whh_desktop.core.services import login
from whh_desktop.core.store import permissions
from whh_desktop.core.store.backup import create_backup
from whh_desktop.core.store.lock import InstanceLock
from whh_desktop.paths import DataPaths

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_store_files_backups_and_exports_are_user_only(exchange, tmp_path) -> None:  # noqa: F811
    ex = exchange
    paths = ex.site.paths
    new_case(ex.site, ex.site_user, "Modusfall", kreis_consent=True)
    backup = create_backup(ex.site, "manual")
    bundle = ex.export()
    files = [paths.store, Path(f"{paths.store}-wal"), Path(f"{paths.store}-shm"), paths.key_file, backup.path,
             backup.key_copy, bundle, paths.lock_file]
    bak = paths.key_file.with_name(paths.key_file.name + ".bak")
    if bak.exists():
        files.append(bak)
    assert {str(f): _mode(f) for f in files if f.exists()} == {str(f): 0o600 for f in files if f.exists()}
    assert Path(f"{paths.store}-wal").exists()
    assert _mode(paths.root) == 0o700 and _mode(paths.backups) == 0o700


def test_a_new_store_is_user_only_from_the_start(tmp_path) -> None:
    from tests.conftest import make_request
    from whh_desktop.core.services.store_setup import create_store

    paths = DataPaths(tmp_path / "neu")
    old = os.umask(0o022)  # a typical desktop session: world-readable by default
    try:
        create_store(paths, make_request())
    finally:
        os.umask(old)
    assert _mode(paths.root) == 0o700
    assert _mode(paths.store) == 0o600 and _mode(paths.key_file) == 0o600


def test_files_an_older_version_left_readable_are_tightened_at_unlock(site_paths) -> None:
    os.chmod(site_paths.store, 0o644)
    os.chmod(site_paths.key_file, 0o644)
    os.chmod(site_paths.root, 0o755)
    store, _ = login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    try:
        assert _mode(site_paths.store) == 0o600 and _mode(site_paths.key_file) == 0o600
        assert _mode(site_paths.root) == 0o700
    finally:
        store.close()


def test_escrow_and_recovery_secrets_are_written_user_only(tmp_path) -> None:
    target = tmp_path / "escrow.whhescrow"
    old = os.umask(0o022)
    try:
        permissions.write_private(target, b"geheim")
        with pytest.raises(FileExistsError):
            permissions.write_private(target, b"anders", exclusive=True)
    finally:
        os.umask(old)
    assert _mode(target) == 0o600 and target.read_bytes() == b"geheim"


def _leftovers(paths: DataPaths) -> list[Path]:
    paths.backups.mkdir(exist_ok=True)
    made = [paths.backups / ".sicherung-20260101-120000-000000-import.whhbak.tmp",
            paths.backups / ".sicherung-20260101-120000-000000-import.whhbak.tmp-journal",
            paths.backups / "sicherung-20260101-120000-000000-import.key.tmp",
            paths.backups / ".sicherung-20260101-120000-000000-import.whhbak.probe",
            paths.root / ".store.key.abc123.tmp",
            paths.root / ".store.whh.restore.tmp"]
    for p in made:
        p.write_bytes(b"\x00" * 64)
    return made


def test_stale_temporary_backups_and_journals_are_removed_at_the_next_start(site_paths) -> None:
    made = _leftovers(site_paths)
    keep = [site_paths.store, site_paths.key_file]
    store, _ = login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    try:
        assert [p for p in made if p.exists()] == []
        assert all(p.exists() for p in keep)
        assert Path(f"{site_paths.store}-wal").exists()  # the store's own journal is committed data: kept
    finally:
        store.close()


def test_leftovers_stay_while_another_live_process_holds_the_lock(site_paths) -> None:
    made = _leftovers(site_paths)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from whh_desktop.core.store.lock import InstanceLock; l = InstanceLock(Path(sys.argv[1])).acquire(); "
         "print('held', flush=True); time.sleep(60)", str(site_paths.lock_file)],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": os.getcwd()})
    try:
        assert holder.stdout.readline().strip() == "held"
        assert permissions.remove_stale(site_paths) == []
        assert all(p.exists() for p in made)
    finally:
        holder.kill()
        holder.wait()
    assert sorted(permissions.remove_stale(site_paths)) == sorted(made)


def test_this_process_holding_the_lock_counts_as_free(site_paths) -> None:
    made = _leftovers(site_paths)
    with InstanceLock(site_paths.lock_file):
        assert InstanceLock.held_here(site_paths.lock_file)
        assert sorted(permissions.remove_stale(site_paths)) == sorted(made)
    assert not InstanceLock.held_here(site_paths.lock_file)
