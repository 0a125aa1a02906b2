"""Smoke test of the frozen one-folder build (``make dist``), run only by ``make test-dist``.

Everything a counsellor's first day needs goes through the built executables, not through this checkout:
the GUI starts offscreen and paints (``whh-desktop --selftest-gui``: Qt platform plugin, German translation,
shipped fonts, Designer forms, QtPdf, QtPrintSupport, QtCharts, KdU table, Alembic scripts), ``whh frist``
computes a deadline over a public holiday (holidays country modules, German names), ``whh init`` creates
a site and a district store (Alembic migrations from the bundled scripts), ``whh demo`` fills the site,
``whh letter render`` writes a DIN 5008 letter (reportlab, Jinja templates, holidays), the stores exchange keys
with confirmed fingerprints, the site exports a bundle (HPKE, Ed25519) and the district imports it.

The only step that uses this checkout is adding a counsellor account to the site store (the CLI has no account
command, and admins may not read case content): a real store file written by the frozen build, opened by the
same code in source form.

``WHH_DIST_DIR`` points at another build folder (default ``dist/whh-desktop``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

pytestmark = [pytest.mark.dist, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("WHH_DIST_DIR", ROOT / "dist" / "whh-desktop"))
EXE = ".exe" if sys.platform == "win32" else ""
ADMIN, ADMIN_PW = "a.becker", "Rotkehlchen-Wiese-42"
COUNSELLOR, COUNSELLOR_PW = "b.schulz", "Kastanienallee-Nord-17"


def _env(user: str, password: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WHH_", "PYTHON"))}
    env |= {"WHH_USER": user, "WHH_PASSWORD": password, "WHH_UNSAFE_TEST_KDF": "1", "QT_QPA_PLATFORM": "offscreen"}
    return env


def run(exe: str, *args: str, user: str = ADMIN, password: str = ADMIN_PW, cwd: Path | None = None,
        ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(DIST / f"{exe}{EXE}"), *args], capture_output=True, text=True,
                            env=_env(user, password), timeout=300, cwd=cwd)
    if ok:
        assert result.returncode == 0, f"{exe} {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    assert "Traceback" not in result.stderr, result.stderr
    return result


def whh(data_dir: Path, *args: str, **kw: object) -> dict | list:
    return json.loads(run("whh", "--data-dir", str(data_dir), *args, "--json", **kw).stdout)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def dist() -> Path:
    if not (DIST / f"whh{EXE}").is_file() or not (DIST / f"whh-desktop{EXE}").is_file():
        pytest.fail(f"Kein Build in {DIST}: bitte zuerst `make dist`.")
    return DIST


def _same_schema_as_checkout(frozen_schema: str) -> None:
    """The checkout opens a frozen store below (add_counsellor) and would migrate it past what the build knows."""
    from whh_desktop.core.store.schema import head_revision

    if f"({head_revision()})" not in frozen_schema:
        pytest.fail(f"Der Build ist älter als der Quelltext (Schema {frozen_schema}, Quelltext {head_revision()}): "
                    "bitte `make dist` (make test-dist baut bei geänderten Quellen selbst neu).")


def add_counsellor(data_dir: Path) -> None:
    """The one step through the checkout: a counsellor account in the store the frozen build created."""
    os.environ["WHH_UNSAFE_TEST_KDF"] = "1"
    from whh_desktop.core.services import accounts, login
    from whh_desktop.core.store.models import Account, Role
    from whh_desktop.paths import DataPaths

    store, admin = login.unlock(DataPaths(data_dir), ADMIN, ADMIN_PW)
    try:
        accounts.create_account(store, admin, COUNSELLOR, "Birgit Schulz", Role.BERATUNG, COUNSELLOR_PW)
        with store.session(ADMIN) as s:
            s.query(Account).filter_by(username=COUNSELLOR).update({"must_change_password": False})
    finally:
        store.close()


def test_frozen_build_end_to_end(dist: Path, tmp_path: Path) -> None:
    # 1. the GUI: offscreen start, every bundled part checked, one window painted, clean exit
    gui = run("whh-desktop", "--selftest-gui")
    report = json.loads(gui.stdout.strip().splitlines()[-1])
    assert report["failures"] == [] and report["painted"] is True
    assert report["platform"] == "offscreen" and report["pdf_pages"] == 1 and report["migrations"] >= 8
    assert report["kdu_entries"] > 0 and report["letter_templates"] > 0 and "intake.ui" in report["forms"]
    assert report["icon"] == 256  # the window icon ships in the build
    assert run("whh-desktop", "--version").stdout.startswith("WHH Desktop ")

    # 2. deadlines without a store: the holidays country module (hidden import) and its German names (.mo data)
    deadline = json.loads(run("whh", "frist", "widerspruch", "--bescheid-vom", "21.11.2026", "--json").stdout)
    assert deadline["fristende"] == "28.12.2026" and "Erster Weihnachtstag" in deadline["regel"]

    # 3. two stores through the frozen `whh init` (runs the bundled Alembic scripts)
    site, kreis = tmp_path / "buende", tmp_path / "kreis"
    common = ["--admin", ADMIN, "--admin-name", "Anna Becker"]
    created = whh(site, "init", "--mode", "site", "--site", "buende", *common, "--street", "Musterweg 3",
                  "--plz", "32257", "--city", "Bünde")
    assert len(created["recovery_key"].split("-")) == 8
    whh(kreis, "init", "--mode", "district", *common, "--street", "Amtshausstraße 3", "--plz", "32051",
        "--city", "Herford")
    for data_dir in (site, kreis):
        check = whh(data_dir, "selftest")
        assert check["ok"] is True, check
    _same_schema_as_checkout(check["Schemaversion"])  # type: ignore[index]

    # 4. a letter from a demo case, rendered by the frozen CLI
    add_counsellor(site)
    assert whh(site, "demo", "--persons", "12", "--seed", "7")["persons"] == 12
    letters = whh(site, "letter", "list", user=COUNSELLOR, password=COUNSELLOR_PW)
    assert len(letters) >= 10
    number = _first_case_number(site)
    pdf = tmp_path / "brief.pdf"
    run("whh", "--data-dir", str(site), "letter", "render", "jc_sachstand", "--case", number,
        "--empfaenger", "Jobcenter", "--feld", "antrag_datum=01.10.2026",
        "--feld", "antrag_gegenstand=Übernahme der Mietschulden", "--trotzdem", "Demodaten ohne Einwilligung",
        "-o", str(pdf), user=COUNSELLOR,
        password=COUNSELLOR_PW)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000

    # 5. key exchange with confirmed fingerprints, export at the site, import at the district
    site_key, kreis_key = tmp_path / "buende.whhkey", tmp_path / "kreis.whhkey"
    run("whh", "--data-dir", str(site), "keys", "export", "-o", str(site_key))
    run("whh", "--data-dir", str(kreis), "keys", "export", "-o", str(kreis_key))
    run("whh", "--data-dir", str(kreis), "keys", "escrow", "-o", str(tmp_path / "escrow.key"))
    run("whh", "--data-dir", str(kreis), "keys", "export", "-o", str(kreis_key))  # now naming the escrow key
    for own, other in ((site, kreis_key), (kreis, site_key)):
        fingerprint = _fingerprint(other)
        run("whh", "--data-dir", str(own), "keys", "import", str(other), "--bestaetigt", fingerprint)
    outbox = tmp_path / "ausgang"
    outbox.mkdir()
    whh(site, "export", "--to", "district", "--voll", "-o", str(outbox), user=COUNSELLOR, password=COUNSELLOR_PW)
    bundles = sorted(outbox.glob("*.whhb"))
    assert len(bundles) == 1, list(outbox.iterdir())
    [imported] = whh(kreis, "import", str(bundles[0]))  # type: ignore[misc]
    assert imported["applied"] is True and imported["sender_site"] == "buende", imported
    assert imported["counts"] and any(imported["counts"].values()), imported
    replay = run("whh", "--data-dir", str(kreis), "import", str(bundles[0]), "--json", ok=False)
    assert replay.returncode == 1 and json.loads(replay.stdout)[0]["code"] == "already_imported"
    assert whh(kreis, "selftest")["ok"] is True


def _first_case_number(site: Path) -> str:
    """Demo cases are numbered from 1 in the current year; the frozen search must find the first by its number."""
    number = f"BUE-{date.today().year}-0001"
    found = whh(site, "search", number, "--status", "all", user=COUNSELLOR, password=COUNSELLOR_PW)
    assert [row["case_number"] for row in found] == [number], found  # type: ignore[index]
    return number


def _fingerprint(key_file: Path) -> str:
    out = run("whh", "keys", "fingerprint", str(key_file), "--json").stdout
    data = json.loads(out)
    return data["fingerprint"] if isinstance(data, dict) else str(data)

