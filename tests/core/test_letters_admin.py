"""The admin edits letter texts and the letterhead; the command line renders the same PDF as the app."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli_runner import run_cli
from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD
from tests.core.letters_fixtures import FORM, make_case
from tests.core.pdf_reading import pdf_text
from whh_desktop.core.domain import letter_catalogue as catalogue
from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.letters import templates
from whh_desktop.core.letters.templates import TemplateBroken
from whh_desktop.core.services import address_book, letters, login

BROKEN = "# Betreff {{ klient_name }}\nSehr geehrte Damen und Herren,\n{% if klient_name %}\nText ohne Ende\n"


def test_a_template_with_a_syntax_error_is_refused_naming_the_line(unlocked) -> None:
    store, admin = unlocked
    with pytest.raises(TemplateBroken) as err:
        letters.save_template(store, admin, "jc_sachstand", BROKEN)
    assert err.value.line is not None and "Briefvorlage" in str(err.value) and "Zeile" in str(err.value)
    assert "endif" in str(err.value)  # the German hint names what is missing
    with pytest.raises(TemplateBroken, match=r"Zeile 3: .*Unbekannter Platzhalter »klientname«"):
        letters.save_template(store, admin, "jc_sachstand", "# Betreff\nText\n{{ klientname }}\n")
    with pytest.raises(TemplateBroken, match="Zeile 1"):
        templates.check("x.j2", "Kein Betreff\n")


def test_an_edited_template_is_used_and_can_be_reset(site_paths) -> None:
    store, admin = login.unlock(site_paths, "a.becker", "Rotkehlchen-Wiese-42")
    try:
        letters.save_template(store, admin, "jc_sachstand", "# Nachfrage für {{ klient_name }}\nEigener Text.\n")
        letters.save_letter_settings(store, admin, "Sparkasse Herford · IBAN DE00 0000 0000 0000 0000 00")
    finally:
        store.close()
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    try:
        case_id = make_case(store, user, "Öztürk", "Şükrü", minimal=True)
        kind = catalogue.get("jc_sachstand")
        recipient = address_book.manual("jobcenter", "Jobcenter\nWeg 1\n32584 Löhne")
        draft = letters.prepare(store, user, case_id, kind, recipient)
        assert draft.template_is_own
        content = letters.compose(draft, FORM)
        assert content.subject == "Nachfrage für Şükrü Öztürk" and content.body.startswith("Eigener Text.")
        assert content.footer.startswith("Sparkasse Herford")
        with pytest.raises(PermissionDenied):
            letters.reset_template(store, user, "jc_sachstand")
    finally:
        store.close()


def test_a_broken_site_template_stops_rendering_with_its_line(counsellor) -> None:
    store, user = counsellor
    from whh_desktop.core.store.models import Setting

    with store.session("test") as s:  # e.g. written by an older version: render must still explain it
        s.merge(Setting(key=templates.OVERRIDE_PREFIX + "jc_sachstand", value="# B\n\nText {{ klient_name \n"))
    case_id = make_case(store, user, "Müller", "Anna", minimal=True)
    draft = letters.prepare(store, user, case_id, "jc_sachstand", address_book.manual("jobcenter", "JC\nWeg 1"))
    with pytest.raises(TemplateBroken, match="Zeile 3"):
        letters.render(draft, FORM)


def test_a_missing_logo_file_is_refused_and_a_damaged_logo_is_left_out(unlocked, tmp_path: Path) -> None:
    store, admin = unlocked
    with pytest.raises(InvalidInput, match=r"Logo-Datei .* gibt es nicht"):
        letters.save_letter_settings(store, admin, "", logo_file=tmp_path / "logo.png")
    (tmp_path / "text.png").write_text("kein Bild")
    with pytest.raises(InvalidInput, match="PNG- oder JPEG"):
        letters.save_letter_settings(store, admin, "", logo_file=tmp_path / "text.png")
    from whh_desktop.core.letters import layout

    content = layout.LetterContent("Stelle", (), "Stelle · Weg 1", ("Empfänger", "Weg 2"), (), "Betreff", "Text",
                                   logo=b"\x89PNG kaputt")
    result = layout.render([content])
    assert result.pdf.startswith(b"%PDF") and any("Logo" in w for w in result.warnings)


def _png(width: int = 8, height: int = 4) -> bytes:
    """A tiny grey PNG, written by hand (no imaging library needed)."""
    import struct
    import zlib

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_a_real_logo_is_kept_and_drawn(unlocked, tmp_path: Path) -> None:
    from whh_desktop.core.letters import layout

    store, admin = unlocked
    png = tmp_path / "logo.png"
    png.write_bytes(_png())
    letters.save_letter_settings(store, admin, "Fußzeile", logo_file=png)
    with store.read_session() as s:
        settings = letters.letter_settings(s)
    assert settings.logo == png.read_bytes() and settings.footer == "Fußzeile"
    content = layout.LetterContent("Stelle", (), "Stelle · Weg 1", ("Empfänger", "Weg 2"), (), "Betreff", "Text",
                                   logo=settings.logo)
    result = layout.render([content])
    assert result.warnings == [] and b"/Subtype /Image" in result.pdf


def whh(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WHH_PASSWORD", "WHH_USER")}
    env |= {"WHH_PASSWORD": COUNSELLOR_PASSWORD, "WHH_USER": COUNSELLOR}
    return run_cli(["--data-dir", str(data_dir), *args], env)


def test_cli_lists_and_renders_the_same_letter_as_the_app(site_paths, tmp_path: Path) -> None:
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    try:
        case_id = make_case(store, user)
        from whh_desktop.core.store.models import Case

        with store.read_session() as s:
            number = s.get(Case, case_id).case_number
        kind = catalogue.get("jc_mietschulden")
        with store.read_session() as s:
            recipient = address_book.recipients(s, kind.recipient_kinds, case_id)[0]
        app_text = pdf_text(letters.render(letters.prepare(store, user, case_id, kind, recipient)))
    finally:
        store.close()
    listed = whh(site_paths.root, "letter", "list", "--json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == len(catalogue.CATALOGUE)
    out = tmp_path / "brief.pdf"
    r = whh(site_paths.root, "letter", "render", "jc_mietschulden", "--case", number, "--empfaenger", "Löhne",
            "-o", str(out), "--json", "--ablegen")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["dokument_id"]
    assert pdf_text(out.read_bytes()) == app_text
    r = whh(site_paths.root, "letter", "render", "vermieter_ruecknahme_kuendigung", "--case", number, "-o",
            str(out))
    assert r.returncode == 1 and "Für diesen Brief fehlt: Monatliche Rate" in r.stderr
    r = whh(site_paths.root, "letter", "render", "gibtsnicht", "--case", number, "-o", str(out))
    assert r.returncode == 1 and "Diesen Brief gibt es nicht" in r.stderr
