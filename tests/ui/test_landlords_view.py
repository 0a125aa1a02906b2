"""Vermieter und Wohnungen: the district keeps registry, offers and KdU table; a site proposes and reports.
Real stores, real dialogs; every modal answered through ``answers``."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from tests.ui.conftest import click, set_text
from whh_desktop.core.domain.housing import OfferStatus, RequestKind
from whh_desktop.core.services import housing_search, intake, kdu_tables, landlords, offers, proposals, registry
from whh_desktop.core.services.housing_search import SearchData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.landlords import ContactPerson, LandlordData, LandlordFilter
from whh_desktop.core.services.offers import OfferData
from whh_desktop.core.store.models import FlatOffer, Landlord
from whh_desktop.ui import areas
from whh_desktop.ui.dialogs.landlord_dialogs import (
    ContactNoteDialog,
    LandlordDetailDialog,
    LandlordDialog,
    MergeDialog,
    RejectDialog,
)
from whh_desktop.ui.dialogs.offer_dialogs import OfferDetailDialog, OfferDialog, StatusDialog
from whh_desktop.ui.views import landlords as view_module
from whh_desktop.ui.views.kdu_admin import EndVersionDialog, KduVersionDialog
from whh_desktop.ui.views.landlords import LandlordsView
from whh_desktop.ui.widgets.fields import is_marked

TODAY = date.today()
LANDLORD = LandlordData(name="Wohnbau Müller eG", kind="genossenschaft", city="Löhne", plz="32584",
                        contact_persons=(ContactPerson("Frau Beispiel", "Vermietung", "05732 990001"),),
                        cooperation_status="aktiv", accepts_direct_payment=True, accepts_schufa=False)


def flat(**kw) -> OfferData:
    base = dict(street="Lindenstraße 5", municipality="Löhne", plz="32584", floor_space_m2=58.5, rooms=2,
                cold_rent=35000, utilities=8000, heating=7000, deposit=105000, floor=1)
    return OfferData(**(base | kw))


@pytest.fixture
def site_market(counsellor):
    """Löhne's site store with a case and the district's registry as it arrives with the district bundle."""
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Yılmaz", given_names="Ayşe", birth_date=date(1979, 3, 2), municipality="Löhne",
        category="bei_bekannten", category_since=TODAY - timedelta(days=30)), draft=False,
        today=TODAY - timedelta(days=30))
    kreis = {"origin_site": "kreis", "owner_site": "kreis"}
    with store.session("kreis-import") as s:
        landlord = Landlord(kind="unternehmen", name="Wohnbau Werre GmbH", sort_key="wohnbau werre gmbh",
                            street="Am Markt 1", plz="32584", city="Löhne", cooperation_status="aktiv", **kreis)
        s.add(landlord)
        s.flush()
        offer = FlatOffer(landlord_id=landlord.id, street="Teststraße 1", plz="32584", municipality="Löhne",
                          floor_space_m2=60.0, rooms=2, floor=0, cold_rent=33000, utilities=8000, heating=6000,
                          deposit=99000, gross_rent=41000, **kreis)
        s.add(offer)
        s.flush()
    return store, user, case_id, landlord.id, offer.id


def make_view(qtbot, store, user) -> LandlordsView:
    view = LandlordsView(store, user)
    qtbot.addWidget(view)
    view.show()
    return view


def show_tab(view: LandlordsView, tab: QWidget) -> QWidget:
    """The tab the user acts on is the current one (a hidden tab refreshes when shown, ui/ops.py)."""
    view.tabs.setCurrentWidget(tab)
    return tab


def tab_texts(view: LandlordsView) -> list[str]:
    return [view.tabs.tabText(i).replace("&", "") for i in range(view.tabs.count())]


def column(table, col: int) -> list[str]:
    return [table.cell(r, col) for r in range(table.rowCount())]


def select(table, text: str, col: int = 0) -> None:
    rows = column(table, col)
    assert text in rows, rows
    table.selectRow(rows.index(text))


def ok(dialog) -> None:
    dialog.accept()


# ---- registration and access -----------------------------------------------------------------------------------
def test_area_is_registered_for_case_workers_and_not_for_admins(unlocked, counsellor) -> None:
    area = next(a for a in areas._registry.values() if a.key == "landlords")
    assert area.label == "Vermieter und Wohnungen" and area.order == areas.ORDER["landlords"]
    assert area.allowed(*counsellor) and not area.allowed(*unlocked)


def test_a_site_sees_three_tabs_and_proposes_a_landlord_after_a_refusal(qtbot, site_market, answers) -> None:
    store, user, *_ = site_market
    view = make_view(qtbot, store, user)
    assert tab_texts(view) == ["Vermieter", "Wohnungsangebote", "Wohnungsmarkt"]
    tab = view.landlords_tab
    assert column(tab.table, 0) == ["Wohnbau Werre GmbH"] and not tab.merge_button.isVisible()
    assert tab.new_button.text() == "Neuen Vermieter vorsch&lagen…"

    def propose(d: LandlordDialog) -> None:
        set_text(d.email, "kein-at-zeichen")
        d.accept()  # no name: refused, stays open, nothing lost
        assert d.isVisible() and "Namen" in d.message.text() and is_marked(d.name)
        set_text(d.name, "Familie Okafor")
        d.accept()  # bad e-mail
        assert d.isVisible() and "keine E-Mail-Adresse" in d.message.text() and is_marked(d.email)
        assert d.name.text() == "Familie Okafor"
        set_text(d.email, "okafor@example.org")
        d.note.setPlainText("Vermietet zwei Wohnungen in Mennighüffen")
        d.accept()

    answers.on(LandlordDialog, propose).ok()
    tab.new_button.click()
    assert not answers.pending and "nächsten Paket" in answers.texts[-1]
    with store.read_session() as s:
        [request] = registry.pending(s)
    assert request.kind == RequestKind.LANDLORD_NEW.value and request.payload["name"] == "Familie Okafor"
    assert request.note == "Vermietet zwei Wohnungen in Mennighüffen"
    assert column(tab.table, 0) == ["Wohnbau Werre GmbH"]  # not in the registry before the district accepts


# ---- Vermieter ---------------------------------------------------------------------------------------------------
def test_district_creates_a_landlord_and_finds_it_by_typing(qtbot, district, answers) -> None:
    store, user = district
    landlords.save_landlord(store, user, dataclasses.replace(LANDLORD, name="Gemeinnützige Bau Herford",
                                                             city="Herford", plz="32052", kind="unternehmen"))
    view = make_view(qtbot, store, user)
    tab = view.landlords_tab
    assert "KdU-Tabelle" in tab_texts(view) and tab.merge_button.isVisible()

    def create(d: LandlordDialog) -> None:
        set_text(d.name, "Horst Müller")
        set_text(d.plz, "325")
        d.persons.add()
        d.persons.table.item(0, 0).setText("Horst Müller")
        d.persons.table.item(0, 2).setText("05731 123456")
        d.accept()
        assert d.isVisible() and "fünf Ziffern" in d.message.text() and is_marked(d.plz)
        set_text(d.plz, "32584")
        set_text(d.city, "Löhne")
        d.direct.setCurrentIndex(d.direct.findData("ja"))
        d.status.setCurrentIndex(d.status.findData("aktiv"))
        d.accept()

    answers.on(LandlordDialog, create)
    tab.new_button.click()
    assert not answers.pending
    assert column(tab.table, 0) == ["Gemeinnützige Bau Herford", "Horst Müller"]
    set_text(tab.search, "mueller")  # search as you type, umlauts folded
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=3000)
    assert tab.table.cell(0, 0) == "Horst Müller" and tab.table.cell(0, 5) == "ja" and tab.table.cell(0, 6) == "–"
    set_text(tab.search, "")
    tab.status.setCurrentIndex(tab.status.findData("interessiert"))
    assert column(tab.table, 0) == []
    tab.kind.setCurrentIndex(tab.kind.findData("unternehmen"))
    tab.status.setCurrentIndex(0)
    assert column(tab.table, 0) == ["Gemeinnützige Bau Herford"]
    with store.read_session() as s:
        [row] = landlords.list_landlords(s, LandlordFilter(text="Horst"))
        saved = landlords.get_landlord(s, row.id)
        assert saved.contact_persons == [{"name": "Horst Müller", "role": "", "phone": "05731 123456", "email": ""}]
        assert saved.won_on == TODAY and saved.accepts_direct_payment is True and saved.accepts_schufa is None


def test_landlord_detail_shows_offers_adds_a_contact_note_and_edits(qtbot, district, answers) -> None:
    store, user = district
    landlord_id = landlords.save_landlord(store, user, LANDLORD)
    offers.save_offer(store, user, flat(landlord_id=landlord_id))
    view = make_view(qtbot, store, user)
    tab = view.landlords_tab
    assert tab.table.cell(0, 7) == "1"  # one free flat

    def note(d: ContactNoteDialog) -> None:
        d.accept()
        assert d.isVisible() and "worum es ging" in d.message.text() and is_marked(d.note)
        set_text(d.on, (TODAY + timedelta(days=3)).strftime("%d.%m.%Y"))
        d.note.setPlainText("Zwei Wohnungen ab März frei")
        d.accept()
        assert d.isVisible() and "Zukunft" in d.message.text() and is_marked(d.on)
        set_text(d.on, TODAY.strftime("%d.%m.%Y"))
        d.accept()

    def edit(d: LandlordDialog) -> None:
        assert d.name.text() == "Wohnbau Müller eG" and d.persons.value() == LANDLORD.contact_persons
        d.schufa.setCurrentIndex(d.schufa.findData("ja"))
        d.agreements.setPlainText("Direktzahlung vereinbart")
        d.accept()

    def detail(d: LandlordDetailDialog) -> None:
        assert "Wohnbau Müller eG" in d.heading.text()
        assert "Frau Beispiel" in d.master.text() and "Direktzahlung" in d.master.text()
        assert column(d.offers, 0) == ["Lindenstraße 5, 32584 Löhne"] and column(d.offers, 4) == ["frei"]
        answers.on(ContactNoteDialog, note)
        d.note_button.click()
        assert column(d.notes, 2) == ["Zwei Wohnungen ab März frei"] and column(d.notes, 1) == ["Telefon"]
        answers.on(LandlordDialog, edit)
        d.edit_button.click()
        assert "Direktzahlung vereinbart" in d.master.text()
        d.accept()

    answers.on(LandlordDetailDialog, detail)
    select(tab.table, "Wohnbau Müller eG")
    tab.open_button.click()
    assert not answers.pending
    assert tab.table.cell(0, 6) == "ja"


def test_merge_two_entries_and_undo(qtbot, district, answers) -> None:
    store, user = district
    keep = landlords.save_landlord(store, user, LANDLORD)
    twin = landlords.save_landlord(store, user, dataclasses.replace(LANDLORD, name="Wohnbau Mueller"))
    offers.save_offer(store, user, flat(landlord_id=twin))
    view = make_view(qtbot, store, user)
    tab = view.landlords_tab

    def merge(d: MergeDialog) -> None:
        d.accept()
        assert d.isVisible() and "doppelten Eintrag" in d.message.text()
        d.other.setCurrentIndex(d.other.findText("Wohnbau Mueller, Löhne"))
        d.accept()

    answers.on(MergeDialog, merge)
    select(tab.table, "Wohnbau Müller eG")
    tab.merge_button.click()
    assert column(tab.table, 0) == ["Wohnbau Müller eG"] and tab.table.cell(0, 7) == "1"  # the twin's flat counts

    def detail(d: LandlordDetailDialog) -> None:
        assert column(d.merged, 0) == ["Wohnbau Mueller"] and d.offers.rowCount() == 1
        d.merged.selectRow(0)
        answers.on(QMessageBox, lambda box: click(box, "Aufheben"))
        d.unmerge_button.click()
        assert d.merged.rowCount() == 0 and d.offers.rowCount() == 0
        d.accept()

    answers.on(LandlordDetailDialog, detail)
    tab.open_landlord(keep)
    assert not answers.pending
    assert column(tab.table, 0) == ["Wohnbau Mueller", "Wohnbau Müller eG"]
    with store.read_session() as s:
        assert landlords.get_landlord(s, twin).merged_into is None


# ---- Wohnungsangebote --------------------------------------------------------------------------------------------
def test_offer_form_refuses_bad_input_keeps_it_and_saves(qtbot, district, answers) -> None:
    store, user = district
    landlord_id = landlords.save_landlord(store, user, LANDLORD)
    view = make_view(qtbot, store, user)
    tab = show_tab(view, view.offers_tab)
    refused: list[str] = []

    def create(d: OfferDialog) -> None:
        set_text(d.street, "Lübbecker Straße 12")
        d.municipality.setCurrentText("Bielefeld")
        set_text(d.space, "54,5")
        set_text(d.rooms, "2")
        set_text(d.utilities, "80,00")
        d.landlord.setCurrentIndex(d.landlord.findData(str(landlord_id)))
        for field, text, widget, expected in (
                ("municipality", "Bielefeld", d.municipality, "nicht im Kreis Herford"),
                ("cold_rent", "", d.cold_rent, "Kaltmiete angeben"),
                ("floor_space_m2", "0", d.space, "größer als 0 m²"),
                ("floor_space_m2", "10000", d.space, "nicht plausibel"),
                ("rooms", "2,3", d.rooms, "halbe Zimmer")):
            d.municipality.setCurrentText("Bielefeld" if field == "municipality" else "Löhne")
            set_text(d.cold_rent, "" if field == "cold_rent" else "350,00")
            set_text(d.space, text if field == "floor_space_m2" else "54,5")
            set_text(d.rooms, text if field == "rooms" else "2")
            d.accept()
            assert d.isVisible(), field
            assert expected in d.message.text(), (field, d.message.text())
            assert is_marked(widget), field
            refused.append(field)
            with store.read_session() as s:
                assert offers.count_offers(s, offers.OfferFilter(status=None)) == 0
        assert d.street.text() == "Lübbecker Straße 12" and d.utilities.text() == "80,00"  # nothing lost
        assert d.gross.text() == "430,00 €"
        set_text(d.rooms, "2")
        d.barrier_free.setChecked(True)
        set_text(d.available, "01.03.2026")
        d.accept()
        assert not d.isVisible(), d.message.text()

    answers.on(OfferDialog, create)
    tab.new_button.click()
    assert not answers.pending and len(refused) == 5
    assert column(tab.table, 0) == ["Lübbecker Straße 12"]
    assert tab.table.cell(0, 6) == "430,00 €" and tab.table.cell(0, 10) == "Wohnbau Müller eG"
    with store.read_session() as s:
        [row] = offers.list_offers(s)
    assert row.barrier_free and row.floor_space_m2 == 54.5 and row.available_from == date(2026, 3, 1)


def test_offer_filters_and_the_capped_list(qtbot, district, monkeypatch) -> None:
    store, user = district
    offers.save_offer(store, user, flat())
    offers.save_offer(store, user, flat(street="Bahnhofstraße 1", municipality="Herford", plz="32052", rooms=3,
                                        cold_rent=50000, barrier_free=True))
    offers.save_offer(store, user, flat(street="Alte Straße 9", status="vergeben"))
    view = make_view(qtbot, store, user)
    tab = view.offers_tab
    assert column(tab.table, 0) == ["Bahnhofstraße 1", "Lindenstraße 5"] and tab.count.text() == "2 Angebote"
    tab.municipality.setCurrentIndex(tab.municipality.findData("Löhne"))
    assert column(tab.table, 0) == ["Lindenstraße 5"]
    tab.municipality.setCurrentIndex(0)
    set_text(tab.max_rent, "450")
    tab.refresh()
    assert column(tab.table, 0) == ["Lindenstraße 5"]
    set_text(tab.max_rent, "viel")
    tab.refresh()
    assert "kein Betrag" in tab.count.text()
    set_text(tab.max_rent, "")
    tab.min_rooms.setCurrentIndex(tab.min_rooms.findData("3"))
    assert column(tab.table, 0) == ["Bahnhofstraße 1"]
    tab.min_rooms.setCurrentIndex(0)
    tab.barrier_free.setChecked(True)
    assert column(tab.table, 0) == ["Bahnhofstraße 1"]
    tab.barrier_free.setChecked(False)
    tab.status.setCurrentIndex(tab.status.findData(None))
    assert tab.table.rowCount() == 3
    set_text(tab.search, "alte")
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1, timeout=3000)
    assert tab.table.cell(0, 9) == "vergeben"
    set_text(tab.search, "")
    monkeypatch.setattr(view_module, "SHOWN", 2)
    tab.refresh()
    assert tab.table.rowCount() == 2 and tab.count.text().startswith("3 Angebote, die ersten 2")


def test_offer_detail_shows_the_kdu_check_for_each_household_size_and_edits(qtbot, district, answers) -> None:
    store, user = district
    offer_id = offers.save_offer(store, user, flat())  # Löhne, 350,00 + 80,00 = 430,00 €
    view = make_view(qtbot, store, user)

    def status(d: StatusDialog) -> None:
        d.status.setCurrentIndex(d.status.findData("zurueckgezogen"))
        d.accept()

    def edit(d: OfferDialog) -> None:
        set_text(d.cold_rent, "")
        d.accept()
        assert d.isVisible() and "Kaltmiete" in d.message.text()
        set_text(d.cold_rent, "340,00")
        d.accept()

    def detail(d: OfferDetailDialog) -> None:
        assert d.kdu_table.rowCount() == 6
        assert d.kdu_table.cell(0, 3) == "nicht angemessen (+63,00 €)"  # 1 person: 367,00 €
        assert d.kdu_table.cell(1, 1) == "424,45 €" and d.kdu_table.cell(1, 3) == "nicht angemessen (+5,55 €)"
        assert d.kdu_table.cell(2, 3) == "angemessen" and d.kdu_table.cell(1, 4) == "65 m²"
        d.persons.setValue(2)
        assert "liegt 5,55 € über der Grenze von 424,45 €" in d.check_text.text()
        assert "Richtwerte ab 01.11.2019" in d.check_text.text() and "Heizkosten: 70,00 €" in d.check_text.text()
        d.persons.setValue(8)
        assert "8 Personen" in d.check_text.text()
        answers.on(OfferDialog, edit)
        d.edit_button.click()
        assert d.kdu_table.cell(1, 3) == "angemessen"
        answers.on(StatusDialog, status)
        d.status_button.click()
        assert "zurückgezogen" in d.heading.text()
        d.accept()

    answers.on(OfferDetailDialog, detail)
    show_tab(view, view.offers_tab)
    view.offers_tab.open_offer(offer_id)
    assert not answers.pending
    assert view.offers_tab.table.rowCount() == 0  # only free offers are listed by default
    with store.read_session() as s:
        assert offers.get_offer(s, offer_id).cold_rent == 34000


def test_a_site_reports_a_status_and_sees_the_proposals_of_an_offer(qtbot, site_market, answers) -> None:
    store, user, case_id, _landlord_id, offer_id = site_market
    search_id = housing_search.save_search(store, user, case_id, SearchData(
        household_size=2, wanted_municipalities=("Löhne",), earliest_move=TODAY))
    proposals.propose(store, user, search_id, offer_id)
    view = make_view(qtbot, store, user)
    tab = show_tab(view, view.offers_tab)
    assert tab.new_button.text() == "Wohnung an den Kreis &melden…"

    def status(d: StatusDialog) -> None:
        assert d.status.findData("zurueckgezogen") < 0  # only the district withdraws an offer
        d.status.setCurrentIndex(d.status.findData("reserviert"))
        d.note.setPlainText("Besichtigung Freitag")
        d.accept()

    def detail(d: OfferDetailDialog) -> None:
        assert not d.edit_button.isVisible()
        assert column(d.proposals, 1) == ["vorgeschlagen"] and column(d.proposals, 5) == [user.display_name]
        assert d.kdu_table.cell(1, 3) == "angemessen"
        answers.on(StatusDialog, status)
        d.status_button.click()
        assert "gemeldet: reserviert" in d.heading.text()
        d.accept()

    answers.on(OfferDetailDialog, detail)
    select(tab.table, "Teststraße 1")
    tab.open_button.click()
    assert not answers.pending
    assert tab.table.cell(0, 9) == "frei (gemeldet: reserviert)"
    with store.read_session() as s:
        [request] = registry.pending(s)
    assert request.kind == RequestKind.OFFER_RESERVED.value and request.note == "Besichtigung Freitag"


def test_a_site_reports_a_new_flat_refused_outside_the_district(qtbot, site_market, answers) -> None:
    store, user, *_ = site_market
    view = make_view(qtbot, store, user)

    def report(d: OfferDialog) -> None:
        assert not d.status.isEnabled()
        set_text(d.street, "Hauptstraße 3")
        d.municipality.setCurrentText("Minden")
        d.accept()  # the municipality is named before the empty floor space further down
        assert d.isVisible() and "nicht im Kreis Herford" in d.message.text()
        set_text(d.space, "48")
        set_text(d.rooms, "1,5")
        set_text(d.cold_rent, "300")
        set_text(d.utilities, "60")
        d.accept()
        assert d.isVisible() and "nicht im Kreis Herford" in d.message.text() and is_marked(d.municipality)
        d.municipality.setCurrentText("Vlotho")
        d.accept()

    answers.on(OfferDialog, report).ok()
    view.offers_tab.new_button.click()
    assert not answers.pending
    with store.read_session() as s:
        [request] = registry.pending(s)
    assert request.kind == RequestKind.OFFER_NEW.value and request.payload["municipality"] == "Vlotho"
    assert request.payload["rooms"] == 1.5 and request.payload["cold_rent"] == 30000


# ---- Wohnungsmarkt -----------------------------------------------------------------------------------------------
def test_market_overview_counts_free_offers_per_municipality_and_band(qtbot, district) -> None:
    store, user = district
    offers.save_offer(store, user, flat())  # 430,00 € → 400,01 – 500,00 €
    offers.save_offer(store, user, flat(street="B 2", cold_rent=30000))  # 380,00 € → bis 400,00 €
    offers.save_offer(store, user, flat(street="C 3", municipality="Bünde", plz="32257", cold_rent=70000))
    offers.save_offer(store, user, flat(street="D 4", status="vergeben"))
    view = make_view(qtbot, store, user)
    view.tabs.setCurrentWidget(view.market_tab)
    table = view.market_tab.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[0] == "Gemeinde" and headers[1] == "bis 400,00 €" and headers[-1] == "Summe"
    rows = {table.cell(r, 0): [table.cell(r, c) for c in range(1, table.columnCount())]
            for r in range(table.rowCount())}
    assert rows["Löhne"] == ["1", "1", "0", "0", "0", "2"]
    assert rows["Bünde"] == ["0", "0", "0", "0", "1", "1"]
    assert rows["Summe"] == ["1", "1", "0", "0", "1", "3"]
    assert table.cell(table.rowCount() - 1, 0) == "Summe" and len(rows) == 10


# ---- KdU-Tabelle -------------------------------------------------------------------------------------------------
def test_kdu_table_shows_versions_refuses_same_day_and_gap_and_adds_one(qtbot, district, answers) -> None:
    store, user = district
    view = make_view(qtbot, store, user)
    tab = show_tab(view, view.kdu_tab)
    assert column(tab.versions_table, 1) == ["01.11.2019"] and column(tab.versions_table, 3) == ["ja"]
    assert column(tab.limits, 0)[1] == "Löhne, Vlotho" and tab.limits.cell(1, 3) == "424,45 €"

    def add(d: KduVersionDialog) -> None:
        set_text(d.label, "Richtwerte ab 01.01.2026")
        set_text(d.valid_from, "01.11.2019")
        d.accept()
        assert d.isVisible() and "nicht am selben Tag beginnen" in d.message.text() and is_marked(d.valid_from)
        set_text(d.valid_from, "01.01.2026")
        d.limits.item(1, 3).setText("")
        d.accept()
        assert d.isVisible() and "fehlt der Wert für 2 Personen" in d.message.text()
        d.limits.item(1, 3).setText("450,00")
        d.limits.item(1, 4).setText("440,00")
        d.accept()
        assert d.isVisible() and "sinkt die Grenze" in d.message.text()
        d.limits.item(1, 4).setText("520,00")
        d.accept()

    answers.on(KduVersionDialog, add)
    tab.add_button.click()
    assert column(tab.versions_table, 1) == ["01.11.2019", "01.01.2026"]

    def end(d: EndVersionDialog) -> None:
        set_text(d.until, "30.11.2025")
        d.accept()
        assert d.isVisible() and "Lücke" in d.message.text() and is_marked(d.until)
        set_text(d.until, "31.12.2025")
        d.accept()

    tab.versions_table.selectRow(0)
    answers.on(EndVersionDialog, end)
    tab.end_button.click()
    assert not answers.pending
    assert column(tab.versions_table, 2) == ["31.12.2025", "offen"]
    with store.read_session() as s:
        assert kdu_tables.table_on(s, date(2026, 2, 1)).limit("Löhne", 2) == 45000
        assert kdu_tables.table_on(s, date(2025, 2, 1)).limit("Löhne", 2) == 42445


def test_kdu_and_inbox_tabs_are_for_district_staff_only(qtbot, counsellor, district) -> None:
    site_view = make_view(qtbot, *counsellor)
    assert site_view.kdu_tab is None and site_view.requests_tab is None
    district_view = make_view(qtbot, *district)
    assert tab_texts(district_view)[3:] == ["KdU-Tabelle", "Vorschläge der Standorte"]


# ---- Vorschläge der Standorte ------------------------------------------------------------------------------------
def test_district_accepts_a_corrected_landlord_and_rejects_an_offer_with_reason(qtbot, district, answers) -> None:
    store, user = district
    landlords.propose_landlord(store, user, LandlordData(name="Fam. Okafor", city="Löhne"), "aus Löhne")
    offers.propose_offer(store, user, flat(street="Weg 7"))
    view = make_view(qtbot, store, user)
    tab = show_tab(view, view.requests_tab)
    assert column(tab.table, 2) == ["neuer Vermieter", "neues Wohnungsangebot"]
    assert "(2)" in tab_texts(view)[4]

    def correct(d: LandlordDialog) -> None:
        assert d.name.text() == "Fam. Okafor"
        set_text(d.name, "")
        d.accept()
        assert d.isVisible() and "Namen" in d.message.text()
        set_text(d.name, "Familie Okafor")
        d.accept()

    def reject(d: RejectDialog) -> None:
        d.accept()
        assert d.isVisible() and "Grund" in d.message.text()
        d.reason.setPlainText("Die Wohnung ist schon vergeben.")
        d.accept()

    answers.on(LandlordDialog, correct)
    tab.table.selectRow(0)
    tab.accept_button.click()
    answers.on(RejectDialog, reject)
    tab.table.selectRow(0)
    tab.reject_button.click()
    assert not answers.pending and tab.table.rowCount() == 0
    assert tab_texts(view)[4] == "Vorschläge der Standorte"
    assert column(show_tab(view, view.landlords_tab).table, 0) == ["Familie Okafor"]
    with store.read_session() as s:
        decided = registry.requests(s, only_pending=False)
    assert [(r.decision, r.decision_reason) for r in decided] == [
        ("angenommen", None), ("abgelehnt", "Die Wohnung ist schon vergeben.")]


def test_district_accepts_a_reported_status(qtbot, district, answers) -> None:
    store, user = district
    offer_id = offers.save_offer(store, user, flat())
    with store.session("site-import") as s:  # as if Löhne's request had arrived with its bundle
        offers.change_status_in(s, "loehne", offers.get_offer(s, offer_id), OfferStatus.RESERVIERT, "Zusage")
    view = make_view(qtbot, store, user)
    tab = show_tab(view, view.requests_tab)
    assert column(tab.table, 3) == ["Wohnung reserviert: Lindenstraße 5, Löhne"]
    answers.on(QMessageBox, lambda box: click(box, "Übernehmen"))
    tab.table.selectRow(0)
    tab.accept_button.click()
    assert tab.table.rowCount() == 0
    with store.read_session() as s:
        assert offers.get_offer(s, offer_id).status == "reserviert"


# ---- accessibility -----------------------------------------------------------------------------------------------
def unnamed_controls(root) -> list[str]:
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTableWidget,
    )

    missing = []
    for widget in root.findChildren(QWidget):
        parent = widget.parent()
        if isinstance(parent, (QComboBox, QAbstractSpinBox)) or parent.inherits("QComboBoxPrivateContainer") or \
                widget.objectName().startswith("qt_"):
            continue  # Qt's own parts of a combo box, spin box or table
        field = isinstance(widget, (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTableWidget))
        button = isinstance(widget, QAbstractButton) and widget.isVisibleTo(root)
        if (field or button) and not (widget.accessibleName() or (button and widget.text())):
            missing.append(f"{type(widget).__name__} {widget.objectName()}")
    return missing


def test_every_control_has_an_accessible_name(qtbot, district, answers) -> None:
    store, user = district
    landlord_id = landlords.save_landlord(store, user, LANDLORD)
    offer_id = offers.save_offer(store, user, flat(landlord_id=landlord_id))
    view = make_view(qtbot, store, user)
    assert unnamed_controls(view) == []
    for dialog in (LandlordDialog(lambda v: None, LANDLORD, parent=view),
                   LandlordDialog(lambda v: None, propose=True, parent=view),
                   OfferDialog(lambda v: None, [(landlord_id, "x")], parent=view),
                   OfferDetailDialog(store, user, offer_id, view), LandlordDetailDialog(store, user, landlord_id, view),
                   KduVersionDialog(lambda v: None, kdu_tables.seed_table(), view), ContactNoteDialog(lambda v: None)):
        assert unnamed_controls(dialog) == [], type(dialog).__name__


def test_district_deletes_a_landlord_only_when_nothing_refers_to_it(qtbot, district, answers) -> None:
    store, user = district
    kept = landlords.save_landlord(store, user, LANDLORD)
    offers.save_offer(store, user, flat(landlord_id=kept))
    landlords.save_landlord(store, user, LandlordData(name="Einzelvermieterin Özdemir", city="Vlotho"))
    view = make_view(qtbot, store, user)
    tab = view.landlords_tab

    def refused(d: LandlordDetailDialog) -> None:
        answers.on(QMessageBox, lambda box: click(box, "Löschen"))
        answers.ok()
        d.delete_button.click()
        assert d.isVisible()

    answers.on(LandlordDetailDialog, refused)
    select(tab.table, "Wohnbau Müller eG")
    tab.open_button.click()
    assert any("kann nicht gelöscht werden" in t and "Wohnungsangebot" in t for t in answers.texts)

    answers.on(LandlordDetailDialog, lambda d: (answers.on(QMessageBox, lambda box: click(box, "Löschen")),
                                                d.delete_button.click()))
    select(tab.table, "Einzelvermieterin Özdemir")
    tab.open_button.click()
    assert "Einzelvermieterin Özdemir" not in column(tab.table, 0)
    assert not answers.pending
