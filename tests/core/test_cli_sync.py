"""``whh export --to district`` and ``whh import FILE… --json`` as a script uses them (``main()`` in-process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD, KREIS_PASSWORD, KREIS_USER
from tests.core.test_cli import whh
from tests.core.test_sync_import_fixtures import new_case, pair_keys
from whh_desktop.core.services import login


@pytest.fixture
def paired(site_paths, district_paths) -> tuple[Path, Path]:
    """A Löhne site with one case sent identified and one pseudonymous, and the district, keys exchanged; both
    closed again so the CLI can open them."""
    site, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    district, _ = login.unlock(district_paths, KREIS_USER, KREIS_PASSWORD)
    try:
        pair_keys(site, district)
        new_case(site, user, "Mitzustimmung", kreis_consent=True)
        new_case(site, user, "Ohnezustimmung")
    finally:
        site.close()
        district.close()
    return site_paths.root, district_paths.root


def site_cli(data_dir: Path, *args: str):
    return whh(data_dir, *args, user=COUNSELLOR, password=COUNSELLOR_PASSWORD)


def district_cli(data_dir: Path, *args: str):
    return whh(data_dir, *args, user=KREIS_USER, password=KREIS_PASSWORD)


def test_export_full_to_district_then_import_with_json(paired, tmp_path: Path) -> None:
    site_dir, district_dir = paired
    out = tmp_path / "out"
    r = site_cli(site_dir, "export", "--to", "district", "--voll", "-o", str(out), "--json")
    assert r.returncode == 0, r.stderr
    [result] = json.loads(r.stdout)
    bundle = Path(result["path"])
    assert bundle.parent == out and bundle.name == "LOE-an-Kreis-000001.whhb" and bundle.exists()
    assert (result["site"], result["sequence"], result["full"]) == ("kreis", 1, True)
    assert result["counts"]["identified"] == 1 and result["counts"]["pseudonymous"] == 1
    assert result["counts"]["cases"] == 1 and result["counts"]["persons"] == 1

    r = site_cli(site_dir, "export", "--to", "district", "-o", str(out))  # nothing changed: an empty increment
    assert r.returncode == 0, r.stderr
    assert "Export 2" in r.stdout and "keine Änderungen" in r.stdout and "vollständig" not in r.stdout

    r = district_cli(district_dir, "import", str(bundle), "--json")
    assert r.returncode == 0, r.stderr
    [report] = json.loads(r.stdout)
    assert report["applied"] is True and report["reason"] is None
    assert (report["sender_site"], report["sequence"], report["epoch"]) == ("loehne", 1, 1)
    assert report["counts"]["cases"] == 1 and report["counts"]["pseudonyms"] == 2
    assert report["skipped_total"] == 0


def test_import_exits_1_when_a_file_is_refused(paired, tmp_path: Path) -> None:
    site_dir, district_dir = paired
    r = site_cli(site_dir, "export", "--to", "district", "--voll", "-o", str(tmp_path / "out"), "--json")
    assert r.returncode == 0, r.stderr
    bundle = Path(json.loads(r.stdout)[0]["path"])
    broken = tmp_path / "kaputt.whhb"
    broken.write_bytes(b"WHHB" + b"\x00" * 100)

    r = district_cli(district_dir, "import", str(bundle), str(broken), str(bundle), "--json")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    first, second, third = json.loads(r.stdout)
    assert first["applied"] is True
    assert second["applied"] is False and second["reason"] and second["file"] == str(broken)
    assert third["applied"] is False and third["code"] == "already_imported" and "bereits" in third["reason"]

    r = district_cli(district_dir, "import", str(bundle))  # text output names the reason in German
    assert r.returncode == 1 and "nicht eingelesen" in r.stdout and "bereits eingelesen" in r.stdout
    # the last line names the files that failed
    r = district_cli(district_dir, "import", str(broken), str(bundle))
    assert r.returncode == 1
    assert r.stdout.strip().splitlines()[-1] == f"2 von 2 Dateien nicht eingelesen: kaputt.whhb, {bundle.name}"
