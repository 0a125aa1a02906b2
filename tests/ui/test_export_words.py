"""Austausch words and order (issue 18 point 9): the export says a key is missing before it asks for a folder,
every message names the Austausch tab by its real name, and the status bar shows the last export."""

from __future__ import annotations

import re
from pathlib import Path

import whh_desktop
from tests.conftest import ADMIN
from tests.core.test_sync_import_fixtures import exchange_on_file, new_case  # noqa: F401  (fixture)
from whh_desktop.core.services import sync, sync_keys
from whh_desktop.ui import files
from whh_desktop.ui.main_window import MainWindow
from whh_desktop.ui.views.exchange import DistrictExchange, ExchangeView, SiteExchange

ROOT = Path(whh_desktop.__file__).parent
NAMED_TAB = re.compile(r"»Austausch → ([^«]+)«")


def _no_folder_asked(monkeypatch) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(files, "choose_directory", lambda _parent, title, *a: asked.append(title))
    return asked


def test_site_export_without_the_kreis_key_never_asks_for_a_folder(qtbot, counsellor, answers, monkeypatch) -> None:
    store, user = counsellor
    asked = _no_folder_asked(monkeypatch)
    site = SiteExchange(store, user)
    qtbot.addWidget(site)
    answers.ok()
    site.export()
    assert asked == [] and site.job is None
    [text] = answers.texts
    assert text.startswith("Der Schlüssel des Kreises ist noch nicht eingelesen.") and "»Austausch → Schlüssel«" in text


def test_district_export_without_site_keys_never_asks_for_a_folder(qtbot, district, answers, monkeypatch) -> None:
    store, user = district
    sync_keys.ensure_keys(store, ADMIN)
    asked = _no_folder_asked(monkeypatch)
    view = DistrictExchange(store, user)
    qtbot.addWidget(view)
    answers.ok()
    view.export_sites()
    assert asked == [] and view.job is None
    assert [t for t in answers.texts if "»Austausch → Schlüssel«" in t]


def test_every_message_names_an_austausch_tab_that_exists(qtbot, counsellor, district) -> None:
    tabs = set()
    for store, user in (counsellor, district):
        view = ExchangeView(store, user)
        qtbot.addWidget(view)
        tabs |= {view.tabs.tabText(i).replace("&", "") for i in range(view.tabs.count())}
    named = {m for path in ROOT.rglob("*.py") for m in NAMED_TAB.findall(path.read_text(encoding="utf-8"))}
    assert "Schlüssel" in named and named <= tabs, named - tabs
    assert not [p for p in ROOT.rglob("*.py") if "»Schlüssel austauschen«" in p.read_text(encoding="utf-8")]


def test_status_bar_shows_site_user_last_export_and_lock_state(qtbot, exchange_on_file, tmp_path) -> None:  # noqa: F811
    ex = exchange_on_file
    window = MainWindow(ex.site, ex.site_user)
    qtbot.addWidget(window)
    assert window.export_label.text() == "Letzter Export: noch keiner"
    window.close()
    new_case(ex.site, ex.site_user, "Kowalski", kreis_consent=True)
    out = tmp_path / "stick"
    out.mkdir()
    sync.export_for_district(ex.site, ex.site_user, out, True)
    window = MainWindow(ex.site, ex.site_user)
    qtbot.addWidget(window)
    labels = [w.accessibleName() for w in (window.site_label, window.user_label, window.export_label,
                                           window.lock_label)]
    assert labels == ["Standort", "Angemeldet", "Letzter Export", "Sperrstatus"]
    assert re.fullmatch(r"Letzter Export: \d\d\.\d\d\.\d{4} \d\d:\d\d", window.export_label.text())
    assert window.export_label.toolTip().splitlines() == ["Export Nr. 1", "Letzte Sicherung: noch keine"]
    assert window.export_label.isVisibleTo(window)
    window.close()


def test_an_export_in_the_austausch_page_updates_the_status_bar(qtbot, exchange_on_file, tmp_path, monkeypatch) -> None:  # noqa: F811
    ex = exchange_on_file
    new_case(ex.site, ex.site_user, "Kowalski", kreis_consent=True)
    window = MainWindow(ex.site, ex.site_user)
    qtbot.addWidget(window)
    window.show()
    assert window.export_label.text() == "Letzter Export: noch keiner"
    out = tmp_path / "stick"
    out.mkdir()
    monkeypatch.setattr(files, "choose_directory", lambda *a: out)
    site = window.show_area("Austausch").exchange
    qtbot.waitUntil(site.export_button.isEnabled, timeout=20_000)
    site.export()
    qtbot.waitUntil(lambda: window.export_label.text() != "Letzter Export: noch keiner", timeout=20_000)
    assert window.export_label.toolTip().splitlines() == ["Export Nr. 1", "Letzte Sicherung: noch keine"]
    window.close()
