"""kill -9 at random points during ``whh import`` (the Qt-free CLI as a subprocess), at least 50 runs: afterwards
the store passes integrity_check, the bundle is either fully applied or not at all, and importing again works."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import KREIS_PASSWORD, KREIS_USER
from tests.core.test_sync_import_fixtures import exchange  # noqa: F401
from whh_desktop.core.demo import fill_demo
from whh_desktop.core.services import login, sync
from whh_desktop.core.store.backup import create_backup
from whh_desktop.core.store.models import Case, ImportedBundle, PseudonymEntry
from whh_desktop.paths import DataPaths

RUNS = 50


def _snapshot(store, tmp_path: Path) -> Path:
    snap = create_backup(store, "manual", tmp_path / "snap")
    clean = tmp_path / "clean"
    shutil.copytree(store.paths.root, clean)
    paths = DataPaths(clean)
    for suffix in ("-wal", "-shm"):
        Path(str(paths.store) + suffix).unlink(missing_ok=True)
    shutil.copyfile(snap.path, paths.store)
    return clean


def _cli(data_dir: Path, bundle: Path) -> subprocess.Popen:
    env = {**os.environ, "WHH_PASSWORD": KREIS_PASSWORD, "WHH_UNSAFE_TEST_KDF": "1", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, "-m", "whh_desktop.cli", "import", str(bundle), "--data-dir",
                             str(data_dir), "--user", KREIS_USER], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


@pytest.mark.slow
def test_kill_during_import_leaves_all_or_nothing(exchange, tmp_path) -> None:  # noqa: F811
    ex = exchange
    fill_demo(ex.site, ex.site_user.username, 600, seed=7)
    bundle = ex.export()
    clean = _snapshot(ex.district, tmp_path)

    # one undisturbed run: how long the whole command takes, and what "fully applied" looks like
    full_dir = tmp_path / "full"
    shutil.copytree(clean, full_dir)
    start = time.perf_counter()
    assert _cli(full_dir, bundle).wait(timeout=300) == 0
    duration = time.perf_counter() - start
    store, _ = login.unlock(DataPaths(full_dir), KREIS_USER, KREIS_PASSWORD)
    with store.read_session() as s:
        expected_cases = s.execute(select(func.count()).select_from(Case)).scalar()
        expected_pseudonyms = s.execute(select(func.count()).select_from(PseudonymEntry)).scalar()
    store.close()
    assert expected_pseudonyms > 0

    rng = random.Random(2026)
    outcomes = {"applied": 0, "not applied": 0}
    for run in range(RUNS):
        target = tmp_path / f"run{run}"
        shutil.copytree(clean, target)
        proc = _cli(target, bundle)
        time.sleep(rng.uniform(0.3 * duration, 1.05 * duration))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        store, user = login.unlock(DataPaths(target), KREIS_USER, KREIS_PASSWORD)
        try:
            assert store.integrity_check() == "ok"
            with store.read_session() as s:
                ledger = s.execute(select(func.count()).select_from(ImportedBundle)).scalar()
                cases = s.execute(select(func.count()).select_from(Case)).scalar()
                pseudonyms = s.execute(select(func.count()).select_from(PseudonymEntry)).scalar()
            if ledger:
                assert (cases, pseudonyms) == (expected_cases, expected_pseudonyms)
                outcomes["applied"] += 1
            else:
                assert (cases, pseudonyms) == (0, 0)
                outcomes["not applied"] += 1
            [again] = sync.import_bundles(store, user, [bundle], backup=False)
            assert again.applied or again.code == "already_imported"
            with store.read_session() as s:
                assert s.execute(select(func.count()).select_from(Case)).scalar() == expected_cases
        finally:
            store.close()
        shutil.rmtree(target, ignore_errors=True)
    assert outcomes["applied"] + outcomes["not applied"] == RUNS
