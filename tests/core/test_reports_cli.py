"""``whh report …`` as a script uses it (``main()`` in the test process) on the hand-built district store."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.cli_runner import run_cli
from tests.conftest import KREIS_PASSWORD, KREIS_USER
from tests.core import reports_world
from whh_desktop.core.services import login


def whh(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, WHH_PASSWORD=KREIS_PASSWORD, WHH_USER=KREIS_USER)
    return run_cli(["--data-dir", str(data_dir), *args], env)


@pytest.fixture
def data_dir(district_paths):
    store, user = login.unlock(district_paths, KREIS_USER, KREIS_PASSWORD)
    try:
        reports_world.build(store, user)
    finally:
        store.close()
    return district_paths.root


def test_indicators_json_and_xlsx(data_dir: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "k.xlsx"
    r = whh(data_dir, "report", "indicators", "--von", "01.01.2025", "--bis", "31.12.2025", "--json",
            "--xlsx", str(xlsx))
    assert r.returncode == 0, r.stderr
    tables = {t["key"]: t for t in json.loads(r.stdout)}
    overview = {row["key"]: row["cells"][1] for row in tables["overview"]["rows"]}
    assert overview["households"] == 7 and overview["prevented"] == 1  # exact on screen / JSON
    ws = load_workbook(xlsx).worksheets[0]
    assert ws.cell(7, 2).value == "< 3"  # the file leaves the store: suppressed
    r = whh(data_dir, "report", "indicators", "--von", "01.01.2025", "--bis", "31.12.2025", "--standort", "Löhne")
    assert r.returncode == 0 and "Haushalte beraten" in r.stdout


def test_stichtag(data_dir: Path) -> None:
    r = whh(data_dir, "report", "stichtag", "--datum", "30.06.2025", "--json")
    assert r.returncode == 0, r.stderr
    overview = json.loads(r.stdout)[0]
    assert overview["rows"][0]["cells"] == ["Personen", 7]
    r = whh(data_dir, "report", "stichtag", "--art", "wobericht", "--jahr", "2026", "--json")
    assert json.loads(r.stdout)[0]["rows"][0]["cells"] == ["Personen", 5]
    r = whh(data_dir, "report", "stichtag")
    assert r.returncode == 1 and r.stderr.startswith("Fehler: Bitte --datum")
    r = whh(data_dir, "report", "indicators", "--von", "31.12.2025", "--bis", "01.01.2025")
    assert r.returncode == 1 and "Ende des Zeitraums" in r.stderr


def test_quality_and_sachbericht(data_dir: Path, tmp_path: Path) -> None:
    r = whh(data_dir, "report", "qualitaet")
    assert r.returncode == 0 and "Gemeinde fehlt" in r.stdout
    pdf = tmp_path / "s.pdf"
    r = whh(data_dir, "report", "sachbericht", "--von", "01.01.2025", "--bis", "31.12.2025", "--text",
            "2=Einzelfallhilfe lief gut.", "-o", str(pdf))
    assert r.returncode == 0, r.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_arbeitskreis(district_paths) -> None:
    from datetime import date

    from whh_desktop.core.store.models import Case
    from whh_desktop.core.store.models.applications import Application

    store, user = login.unlock(district_paths, KREIS_USER, KREIS_PASSWORD)
    try:
        world = reports_world.build(store, user)
        case_id = next(iter(world.cases.values()))
        with store.session("import") as s:
            site = s.get(Case, case_id).owner_site
            for submitted, decided in ((date(2025, 1, 10), date(2025, 1, 20)), (date(2025, 1, 15), date(2025, 2, 14))):
                s.add(Application(case_id=case_id, kind="sgb2_22_8", submitted_on=submitted, submitted_via="post",
                                  reminders=[], decision="bewilligt", decided_on=decided, without_instructions=False,
                                  origin_site=site, owner_site=site))
    finally:
        store.close()
    r = whh(district_paths.root, "report", "arbeitskreis", "--von", "01.01.2025", "--bis", "31.03.2025", "--json")
    assert r.returncode == 0, r.stderr
    kinds = {t["key"]: t for t in json.loads(r.stdout)}["ak_kinds"]
    [row] = [row for row in kinds["rows"] if row["key"] == "sgb2_22_8"]
    assert row["cells"][1:5] == [2, 2, "20", "30"]  # 10 and 30 days: median 20, P90 30
    r = whh(district_paths.root, "report", "arbeitskreis", "--von", "01.01.2025")
    assert r.returncode == 2  # --bis missing: a usage error
