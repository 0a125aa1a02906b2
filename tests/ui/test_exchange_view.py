"""Austausch through the GUI: a site exports for the Kreis, the Kreis reads the file (and a second time, and a
tampered copy) and sees the status per site and the history; keys are exchanged after comparing fingerprints."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from tests.core.test_sync_import_fixtures import exchange_on_file, new_case  # noqa: F401  (fixture)
from tests.ui.conftest import set_text
from whh_desktop.core.services import sync_keys
from whh_desktop.ui import files
from whh_desktop.ui.views import exchange as exchange_module
from whh_desktop.ui.views.exchange import DistrictExchange, ExchangeView, SiteExchange
from whh_desktop.ui.views.exchange_keys import ConfirmKeyDialog, KeysTab
from whh_desktop.ui.workers import wait_all


def test_site_exports_and_the_district_imports_once(qtbot, exchange_on_file, answers, tmp_path, monkeypatch) -> None:  # noqa: F811
    ex = exchange_on_file
    new_case(ex.site, ex.site_user, "Kowalski", kreis_consent=True)
    new_case(ex.site, ex.site_user, "Nowak")
    site = SiteExchange(ex.site, ex.site_user)
    qtbot.addWidget(site)
    assert site.preview_job is None  # nothing is counted before the page is shown
    site.show()
    assert "ermittelt" in site.counts.cell(0, 0) and not site.export_button.isEnabled()
    qtbot.waitUntil(site.export_button.isEnabled, timeout=20_000)
    counts = {site.counts.cell(r, 0): int(site.counts.cell(r, 1)) for r in range(site.counts.rowCount())}
    assert counts["Fälle mit Einwilligung für den Kreis (mit Namen)"] == 1 and site.full.isChecked()  # first: full
    assert counts["Fälle ohne Einwilligung (nur pseudonym, ohne Namen)"] == 1
    assert "noch keine Bestätigung" in site.ack.text()
    out = tmp_path / "stick"
    out.mkdir()
    monkeypatch.setattr(files, "choose_directory", lambda *a: out)
    site.export()
    qtbot.waitUntil(lambda: site.job.isFinished(), timeout=20_000)
    assert site.job.error is None, repr(site.job.error)
    qtbot.waitUntil(lambda: "geschrieben" in site.result.text(), timeout=5_000)
    wait_all()
    bundle = next(out.glob("*.whhb"))
    assert bundle.name.startswith("LOE-an-Kreis-")
    qtbot.waitUntil(lambda: "nichts geändert" in site.counts.cell(0, 0), timeout=20_000)
    assert not site.export_button.isEnabled()

    district = DistrictExchange(ex.district, ex.district_user)
    qtbot.addWidget(district)
    district.show()  # a hidden view refreshes only when shown
    tampered = tmp_path / "verändert.whhb"
    data = bytearray(bundle.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    answers.ok()  # the refusals are shown
    district.importer.run([bundle, bundle, tampered])
    qtbot.waitUntil(lambda: district.importer.table.rowCount() == 3, timeout=30_000)
    wait_all()
    results = [district.importer.table.cell(r, 1) for r in range(3)]
    assert results[0] == "eingelesen"
    assert results[1].startswith("abgelehnt") and "bereits" in results[1]
    assert results[2].startswith("abgelehnt")
    assert any("2 von 3 Dateien wurden nicht eingelesen" in t for t in answers.texts)
    sites = {district.status.cell(r, 0): r for r in range(district.status.rowCount())}
    assert district.status.cell(sites["Löhne"], 2) == "1"
    # the history lists the imported bundle and both refused files (newest first), each with its sender if known
    history = [[district.history.cell(r, c) for c in range(5)] for r in range(district.history.rowCount())]
    assert len(history) == 3 and all(row[1] in ("Löhne", "") for row in history)
    assert sorted(row[4].split(" (")[0] for row in history if row[4].startswith("abgelehnt")) == [
        "abgelehnt: Signatur ungültig", "abgelehnt: bereits eingelesen"]


def test_keys_are_trusted_only_with_the_fingerprint_read_out(qtbot, unlocked, district, answers, tmp_path,
                                                              monkeypatch) -> None:
    site_store, site_admin = unlocked
    d_store, _ = district
    sync_keys.ensure_keys(d_store, "a.becker")
    key_file = tmp_path / "kreis.whhkey"
    key_file.write_bytes(sync_keys.public_key_file(d_store))
    right = sync_keys.fingerprint(key_file.read_bytes())
    tab = KeysTab(site_store, site_admin)
    qtbot.addWidget(tab)
    tab.show()  # a hidden view refreshes only when shown
    assert "Noch kein Schlüssel" in tab.hint.text() and tab.own.text().count("-") >= 3
    monkeypatch.setattr(files, "choose_open_path", lambda *a: key_file)

    def confirm(d: ConfirmKeyDialog) -> None:
        assert right in [label.text() for label in d.findChildren(QLabel)]  # shown to be read out
        set_text(d.typed, "AAAA-BBBB")
        d.accept()
        assert d.isVisible() and d.message.text()  # a wrong fingerprint is refused
        set_text(d.typed, right.lower())
        d.accept()

    answers.on(ConfirmKeyDialog, confirm)
    tab.import_key()
    assert tab.keys.rowCount() == 1 and tab.keys.cell(0, 0) == "Kreis Herford" and tab.keys.cell(0, 4) == "aktiv"
    assert "Noch kein Schlüssel" not in tab.hint.text()
    saved = tmp_path / "eigener.whhkey"
    monkeypatch.setattr(files, "choose_save_path", lambda *a: saved)
    answers.ok()
    tab.export_key()
    assert sync_keys.fingerprint(saved.read_bytes()) == tab.own.text()


def test_the_area_shows_district_tabs_only_at_the_district(qtbot, counsellor, district) -> None:
    site = ExchangeView(*counsellor)
    qtbot.addWidget(site)
    assert [site.tabs.tabText(i).replace("&", "") for i in range(site.tabs.count())] == ["Export und Einlesen",
                                                                                           "Schlüssel"]
    kreis = ExchangeView(*district)
    qtbot.addWidget(kreis)
    assert "Mögliche Doppelungen" in [kreis.tabs.tabText(i).replace("&", "") for i in range(kreis.tabs.count())]
    assert exchange_module.kind_label("cases") == "Fälle"


def test_handover_needs_a_kreis_consent_and_is_entered_from_the_case_file(qtbot, exchange_on_file, answers) -> None:  # noqa: F811
    from whh_desktop.core.services import sync
    from whh_desktop.ui.case_file.workspace import CaseWorkspace
    from whh_desktop.ui.dialogs.case_forms import HandoverDialog

    ex = exchange_on_file
    without = new_case(ex.site, ex.site_user, "Ohnezustimmung")
    dialog = CaseWorkspace(ex.site, ex.site_user, without)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)

    def refused(d: HandoverDialog) -> None:
        assert d.site.findData("loehne") == -1  # not to itself
        d.site.setCurrentIndex(d.site.findData("buende"))
        d.accept()
        assert d.isVisible() and "Einwilligung" in d.message.text()

    answers.on(HandoverDialog, refused)
    dialog.hand_over()
    with_consent = new_case(ex.site, ex.site_user, "Umzug", kreis_consent=True)
    dialog = CaseWorkspace(ex.site, ex.site_user, with_consent)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    answers.on(HandoverDialog, lambda d: (d.site.setCurrentIndex(d.site.findData("buende")), d.accept())).ok()
    dialog.hand_over()
    with ex.site.read_session() as s:
        assert [(h.case_id, h.to_site, h.state) for h in sync.handovers(s)] == [(with_consent, "buende", "requested")]
