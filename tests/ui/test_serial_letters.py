"""Serienbrief: the Soziale Wohnraumvermittlung introduction to the active landlords of a municipality, built in
the background; one combined PDF and one contact note per landlord; a cancel leaves nothing behind."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from whh_desktop.core.services import letters
from whh_desktop.core.store.models import Landlord, LandlordNote
from whh_desktop.ui import files, printing
from whh_desktop.ui.views.letters import LettersView
from whh_desktop.ui.workers import wait_all


@pytest.fixture
def registry(counsellor):
    store, user = counsellor
    kreis = {"origin_site": "kreis", "owner_site": "kreis"}
    with store.session("kreis-import") as s:
        for i, (name, city, status) in enumerate((
                ("Wohnbau Werre GmbH", "Löhne", "aktiv"), ("Ömer Çelik", "Löhne", "aktiv"),
                ("Nguyễn Văn Bình", "Löhne", "pausiert"), ("Genossenschaft Else eG", "Bünde", "aktiv"))):
            s.add(Landlord(kind="privat", name=name, sort_key=f"{i}", street=f"Teststraße {i + 1}", plz="32584",
                           city=city, cooperation_status=status, **kreis))
    return store, user


def _notes(store) -> int:
    with store.read_session() as s:
        return s.execute(select(func.count()).select_from(LandlordNote)).scalar_one()


def test_serial_letter_to_the_active_landlords_of_a_municipality(qtbot, registry, answers, tmp_path,
                                                                 monkeypatch) -> None:
    store, user = registry
    view = LettersView(store, user)
    qtbot.addWidget(view)
    view.municipality.setCurrentIndex(view.municipality.findData("Löhne"))
    assert view.recipients.count() == 2 and "2 von 2" in view.count.text()  # the paused one is left out
    view.active_only.setChecked(False)
    assert view.recipients.count() == 3
    view.free_text.setPlainText("Wir laden Sie am 3. Dezember zu unserem Vermieterfrühstück ein.")
    view.create()
    qtbot.waitUntil(lambda: view.result is not None, timeout=20_000)
    wait_all()
    assert view.result.pdf.startswith(b"%PDF") and view.preview.page_count >= 3
    assert _notes(store) == 0 and "erst, was gedruckt oder gespeichert" in view.state.text()  # preview only
    monkeypatch.setattr(files, "choose_save_path", lambda *a: None)
    view.save_result()  # the save dialog cancelled: still nothing noted
    assert _notes(store) == 0
    target = tmp_path / "serie.pdf"
    monkeypatch.setattr(files, "choose_save_path", lambda *a: target)
    view.save_result()
    assert target.read_bytes() == view.result.pdf
    assert len(view.result.records) == 3 and _notes(store) == 3 and "3 Briefe erstellt" in view.state.text()
    monkeypatch.setattr(printing, "ask_printer", lambda *a: None)
    view.print_result()  # print dialog cancelled
    monkeypatch.setattr(printing, "ask_printer", lambda *a: object())
    monkeypatch.setattr(printing, "print_to", lambda printer, data: 3)
    view.print_result()  # printed after saving: the letters are noted once
    assert _notes(store) == 3


def test_a_cancelled_serial_letter_records_nothing(qtbot, registry, answers, monkeypatch) -> None:
    store, user = registry
    real = letters.render_serial
    monkeypatch.setattr(letters, "render_serial", lambda *a, **k: real(*a, **(k | {"cancelled": lambda: True})))
    view = LettersView(store, user)
    qtbot.addWidget(view)
    view.create()
    qtbot.waitUntil(lambda: "Abgebrochen" in view.state.text(), timeout=20_000)
    wait_all()
    assert view.result is None and _notes(store) == 0 and not view.print_button.isEnabled()
    monkeypatch.setattr(printing, "ask_printer", lambda *a: (_ for _ in ()).throw(AssertionError("no print")))
    view.print_result()  # nothing to print: no dialog
