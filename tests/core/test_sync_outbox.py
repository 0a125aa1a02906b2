"""Atomic export (issue 10 point 7): a crash between writing, recording and renaming never reuses a sequence for
other content and never loses a row; the recorded export is finished at the next start or export."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD, KREIS_PASSWORD, KREIS_USER
from tests.core.test_cli import whh
from tests.core.test_sync_import_fixtures import exchange, new_case, pair_keys  # noqa: F401
from whh_desktop.core.services import login, sync
from whh_desktop.core.store.models import Case, ExportState, PendingExport
from whh_desktop.core.sync import outbox


class _Crash(BaseException):
    """Stands in for a power cut: a BaseException no ``except Exception``/``OSError`` handler catches."""


def _crash_at(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    def point(name: str) -> None:
        if name == step:
            raise _Crash(name)

    monkeypatch.setattr(outbox, "crash_point", point)


def _state(store) -> tuple[int, int]:
    with store.read_session() as s:
        state = s.get(ExportState, "kreis")
        pending = s.execute(select(func.count()).select_from(PendingExport)).scalar()
    return (state.last_sequence if state else 0), pending


def _bundles(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_crash_after_the_temp_file_records_nothing_and_the_next_export_takes_the_same_sequence(
        exchange, monkeypatch) -> None:  # noqa: F811
    ex = exchange
    new_case(ex.site, ex.site_user, "Vorabfall", kreis_consent=True)
    _crash_at(monkeypatch, "temp_written")
    with pytest.raises(_Crash):
        ex.export()
    assert _state(ex.site) == (0, 0)
    assert _bundles(ex.out) == [".LOE-an-Kreis-000001.whhb.tmp"]  # never visible under a bundle name
    monkeypatch.undo()
    path = ex.export()
    assert path.name == "LOE-an-Kreis-000001.whhb"
    assert _bundles(ex.out) == ["LOE-an-Kreis-000001.whhb"]
    assert _state(ex.site) == (1, 0)
    [report] = ex.import_district(path)
    assert report.applied and report.counts.get("cases") == 1


def test_crash_after_recording_publishes_the_same_bytes_before_the_next_export(exchange, monkeypatch) -> None:  # noqa: F811
    ex = exchange
    new_case(ex.site, ex.site_user, "Erstfall", kreis_consent=True)
    _crash_at(monkeypatch, "recorded")
    with pytest.raises(_Crash):
        ex.export()
    assert _state(ex.site) == (1, 1)  # recorded with its sequence, not yet in place
    tmp = ex.out / ".LOE-an-Kreis-000001.whhb.tmp"
    recorded = tmp.read_bytes()
    monkeypatch.undo()
    new_case(ex.site, ex.site_user, "Zweitfall", kreis_consent=True)
    second = ex.export()
    first = ex.out / "LOE-an-Kreis-000001.whhb"
    assert first.read_bytes() == recorded  # the same sequence carries exactly the recorded content
    assert second.name == "LOE-an-Kreis-000002.whhb"
    assert _state(ex.site) == (2, 0)
    reports = ex.import_district(first, second)
    assert [r.applied for r in reports] == [True, True], [r.reason for r in reports]
    with ex.district.read_session() as s:  # no row lost: both cases arrived
        assert s.execute(select(func.count()).select_from(Case)).scalar() == 2


def test_a_recorded_export_whose_temp_file_is_gone_is_written_again_from_the_store(exchange, monkeypatch) -> None:  # noqa: F811
    ex = exchange
    new_case(ex.site, ex.site_user, "Stickfall", kreis_consent=True)
    _crash_at(monkeypatch, "recorded")
    with pytest.raises(_Crash):
        ex.export()
    tmp = ex.out / ".LOE-an-Kreis-000001.whhb.tmp"
    recorded = tmp.read_bytes()
    tmp.unlink()  # the USB stick was swapped: only the store still has the bytes
    elsewhere = ex.out.parent / "anderer-stick"
    published = sync.publish_pending_exports(ex.site, elsewhere)
    assert [(p.sequence, p.path.parent) for p in published] == [(1, ex.out)]  # its folder still exists
    assert (ex.out / "LOE-an-Kreis-000001.whhb").read_bytes() == recorded
    assert _state(ex.site) == (1, 0)
    assert sync.publish_pending_exports(ex.site) == []


def test_a_recorded_export_goes_to_the_new_folder_when_its_own_is_gone(exchange, monkeypatch) -> None:  # noqa: F811
    ex = exchange
    new_case(ex.site, ex.site_user, "Umzugsfall", kreis_consent=True)
    _crash_at(monkeypatch, "recorded")
    with pytest.raises(_Crash):
        ex.export()
    recorded = (ex.out / ".LOE-an-Kreis-000001.whhb.tmp").read_bytes()
    for p in ex.out.iterdir():
        p.unlink()
    ex.out.rmdir()
    ex.out.touch()  # the old folder's place is now a plain file: it cannot be written into
    monkeypatch.undo()
    other = ex.out.parent / "neu"
    second = sync.export_for_district(ex.site, ex.site_user, other).path
    assert (other / "LOE-an-Kreis-000001.whhb").read_bytes() == recorded
    assert second.name == "LOE-an-Kreis-000002.whhb"


def test_crash_after_the_rename_keeps_the_file_and_clears_the_record_later(exchange, monkeypatch) -> None:  # noqa: F811
    ex = exchange
    new_case(ex.site, ex.site_user, "Spätfall", kreis_consent=True)
    _crash_at(monkeypatch, "renamed")
    with pytest.raises(_Crash):
        ex.export()
    final = ex.out / "LOE-an-Kreis-000001.whhb"
    content = final.read_bytes()
    assert _state(ex.site) == (1, 1)
    [done] = sync.publish_pending_exports(ex.site)
    assert done.path == final and final.read_bytes() == content
    assert _state(ex.site) == (1, 0)


def test_a_real_process_death_after_recording_is_finished_at_the_next_start(site_paths, district_paths,
                                                                          tmp_path) -> None:
    """The CLI dies through the test hook (``os._exit``: no cleanup at all); the next unlock publishes."""
    site, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    district, _ = login.unlock(district_paths, KREIS_USER, KREIS_PASSWORD)
    try:
        pair_keys(site, district)
        new_case(site, user, "Prozessfall", kreis_consent=True)
    finally:
        site.close()
        district.close()
    out = tmp_path / "stick"
    os.environ[outbox.CRASH_ENV] = "recorded"
    try:
        r = whh(site_paths.root, "export", "--to", "district", "-o", str(out), user=COUNSELLOR,
                password=COUNSELLOR_PASSWORD, subprocess_=True)  # the process dies at the crash point
    finally:
        del os.environ[outbox.CRASH_ENV]
    assert r.returncode == 86, r.stderr
    assert _bundles(out) == [".LOE-an-Kreis-000001.whhb.tmp"]
    site, _ = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    try:
        assert _bundles(out) == ["LOE-an-Kreis-000001.whhb"]
        assert _state(site) == (1, 0)
    finally:
        site.close()
    district, d_user = login.unlock(district_paths, KREIS_USER, KREIS_PASSWORD)
    try:
        [report] = sync.import_bundles(district, d_user, [out / "LOE-an-Kreis-000001.whhb"], backup=False)
        assert report.applied, report.reason
    finally:
        district.close()
