"""The district's KdU page lists and edits the Karenzzeit rules and Amtsgerichte and warns about an old table; the
eviction form proposes the Amtsgericht; the landlord form checks the IBAN."""

from __future__ import annotations

from datetime import date, timedelta

from tests.ui.conftest import set_text
from tests.ui.test_landlords_view import column, make_view
from whh_desktop.core.services import courts, intake, karenzzeit_rules, landlords
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.landlords import LandlordFilter
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.dialogs.case_forms import EvictionDialog
from whh_desktop.ui.dialogs.landlord_dialogs import LandlordDialog
from whh_desktop.ui.views.kdu_rules import CourtDialog, KarenzzeitRuleDialog
from whh_desktop.ui.widgets.fields import is_marked

TODAY = date.today()


def test_kdu_page_lists_the_rules_with_source_and_warns_about_the_old_table(qtbot, district, answers) -> None:
    store, user = district
    view = make_view(qtbot, store, user)
    tab = view.kdu_tab
    view.tabs.setCurrentWidget(tab)
    assert "älter als 24 Monate" in tab.age.warning.text() and tab.age.warning.isVisible()
    rules = tab.rules
    tab.parts.setCurrentWidget(rules)  # the part the user acts on is shown (hidden parts refresh when shown)
    assert column(rules.table, 0) == ["Bürgergeld: Karenzzeit ohne Kappung",
                                      "Neue Grundsicherung: Kappung auf das 1,5-Fache"]
    assert column(rules.table, 4) == ["keine", "1,5 × Grenze"]
    assert column(rules.table, 5)[1] == "unvermeidbare Kosten, Haushalt mit Kindern"
    assert column(rules.table, 6) == ["–", "–"]
    rules.table.selectRow(1)
    assert "Quelle: Gesetz zur Neuen Grundsicherung" in rules.detail.text()
    assert "höchstens das 1,5-Fache der Grenze ab dem ersten Monat" in rules.detail.text()

    def add(d: KarenzzeitRuleDialog) -> None:
        set_text(d.label, "Kreis Herford: Höchstmiete")
        set_text(d.valid_from, "01.07.2026")
        d.accept()
        assert d.isVisible() and "nicht am selben Tag beginnen" in d.message.text() and is_marked(d.valid_from)
        set_text(d.valid_from, "01.01.2027")
        set_text(d.cap, "anderthalb")
        d.accept()
        assert d.isVisible() and "keine Zahl" in d.message.text() and d.label.text() == "Kreis Herford: Höchstmiete"
        set_text(d.cap, "1,5")
        set_text(d.max_rent, "9,50")
        d.accept()

    answers.on(KarenzzeitRuleDialog, add)
    rules.add_button.click()
    assert not answers.pending
    assert column(rules.table, 1) == ["01.01.2023", "01.07.2026", "01.01.2027"]
    assert column(rules.table, 6)[2] == "9,50 €"

    tab.age.max_age.setValue(120)
    tab.age.apply_button.click()
    assert tab.age.warning.text() == "" and "120 Monaten" in tab.age.message.text()


def test_district_reassigns_a_court_on_the_kdu_page(qtbot, district, answers) -> None:
    store, user = district
    view = make_view(qtbot, store, user)
    view.tabs.setCurrentWidget(view.kdu_tab)
    box = view.kdu_tab.courts
    view.kdu_tab.parts.setCurrentWidget(box)  # the part the user acts on is shown (hidden parts refresh when shown)
    assert column(box.table, 0)[:2] == ["Bünde", "Enger"]
    rows = column(box.table, 0)
    assert box.table.cell(rows.index("Vlotho"), 1) == "Amtsgericht Bad Oeynhausen"
    assert "Gerichtsverzeichnis" in box.source.text()
    box.table.selectRow(rows.index("Vlotho"))

    def change(d: CourtDialog) -> None:
        set_text(d.court, " ")
        d.accept()
        assert d.isVisible() and "Amtsgericht für Vlotho" in d.message.text()
        set_text(d.court, "Amtsgericht Herford")
        d.accept()

    answers.on(CourtDialog, change)
    box.change_button.click()
    assert box.table.cell(rows.index("Vlotho"), 1) == "Amtsgericht Herford"
    with store.read_session() as s:
        assert courts.propose_court(s, "Vlotho") == "Amtsgericht Herford"
        assert karenzzeit_rules.rules(s)  # untouched


def test_the_eviction_form_proposes_the_court_of_the_flats_municipality(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Beispiel", given_names="Lena", birth_date=date(1990, 2, 3), municipality="Löhne",
        category="kuendigung", category_since=TODAY - timedelta(days=5), cold_rent=35000, utilities=8000),
        draft=False)
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    seen = {}

    def eviction(d: EvictionDialog) -> None:
        seen["court"], seen["hint"] = d.court.text(), d.court_hint.text()
        set_text(d.court, "Amtsgericht Bad Oeynhausen, Zweigstelle")  # the counsellor changes it
        d.kind.setCurrentIndex(d.kind.findData("fristlos_verzug"))
        set_text(d.dates["termination_on"], TODAY.strftime("%d.%m.%Y"))
        d.accept()
        assert not d.isVisible(), d.message.text()

    answers.on(EvictionDialog, eviction)
    dialog.tenancy_panel.edit_eviction(None)
    assert seen["court"] == "Amtsgericht Bad Oeynhausen"
    assert "Vorschlag nach der Gemeinde der Wohnung (Löhne): Amtsgericht Bad Oeynhausen" in seen["hint"]
    assert dialog.data.proceedings[0].court == "Amtsgericht Bad Oeynhausen, Zweigstelle"

    def reopen(d: EvictionDialog) -> None:
        seen["court"], seen["hint"] = d.court.text(), d.court_hint.text()

    answers.on(EvictionDialog, reopen)
    dialog.tenancy_panel.edit_eviction(0)
    assert seen["court"] == "Amtsgericht Bad Oeynhausen, Zweigstelle"  # what was confirmed stays
    assert "das Amtsgericht Bad Oeynhausen zuständig" in seen["hint"]


def test_landlord_form_refuses_a_wrong_iban_and_shows_a_right_one_grouped(qtbot, district, answers) -> None:
    store, user = district
    tab = make_view(qtbot, store, user).landlords_tab

    def create(d: LandlordDialog) -> None:
        set_text(d.name, "Wohnbau Beispiel eG")
        set_text(d.iban, "DE89 3704 0044 0532 0130 01")
        d.accept()
        assert d.isVisible() and is_marked(d.iban)
        assert "IBAN: Die Prüfziffer" in d.message.text() and d.name.text() == "Wohnbau Beispiel eG"
        set_text(d.iban, "de89370400440532013000")
        d.iban.editingFinished.emit()
        assert d.iban.text() == "DE89 3704 0044 0532 0130 00"
        set_text(d.account_holder, "Wohnbau Beispiel eG")
        d.accept()

    answers.on(LandlordDialog, create)
    tab.new_button.click()
    assert not answers.pending
    with store.read_session() as s:
        [row] = landlords.list_landlords(s, LandlordFilter(text="Beispiel"))
        saved = landlords.get_landlord(s, row.id)
    assert saved.iban == "DE89370400440532013000" and saved.account_holder == "Wohnbau Beispiel eG"


def test_the_case_file_shows_the_kdu_check_with_the_karenzzeit_rule(qtbot, counsellor, answers) -> None:
    from whh_desktop.core.store.models import Income
    from whh_desktop.ui.dialogs.kdu_check import KduCheckDialog

    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Karenz", given_names="Mira", birth_date=date(1988, 4, 9), municipality="Löhne",
        category="kuendigung", category_since=TODAY - timedelta(days=5), cold_rent=48000, utilities=12000,
        heating=9000), draft=False)
    start = TODAY - timedelta(days=60)
    with store.session(user.username) as s:
        s.add(Income(case_id=case_id, kind="buergergeld", since=start))
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    seen = {}

    def look(d: KduCheckDialog) -> None:
        seen["first"] = d.outcome.text()
        assert d.benefit_start.text() == start.strftime("%d.%m.%Y") and d.cold_rent.text() == "480,00"
        d.exceptions["kinder"].setChecked(True)
        d.run_check()
        seen["children"] = d.outcome.text()
        d.benefit_start.setText((TODAY + timedelta(days=3)).strftime("%d.%m.%Y"))
        d.run_check()
        seen["future"] = d.message.text()
        assert is_marked(d.benefit_start) and d.outcome.text() == ""

    answers.on(KduCheckDialog, look)
    dialog.tenancy_panel.kdu_button.click()
    assert not answers.pending
    assert "<b>Ergebnis: nicht angemessen: 600,00 €" in seen["first"]
    assert "<b>Regel: Karenzzeit bis" in seen["first"] and "1,5-Fache der Grenze, 550,50 €" in seen["first"]
    assert "Warnung: Die KdU-Tabelle" in seen["first"] and "Quelle: Gesetz zur Neuen Grundsicherung" in seen["first"]
    assert "Kappung entfällt: Haushalt mit Kindern" in seen["children"]
    assert "liegt in der Zukunft" in seen["future"]


def test_new_dialogs_name_every_control(qtbot, district) -> None:
    from tests.ui.test_landlords_view import unnamed_controls
    from whh_desktop.ui.dialogs.kdu_check import KduCheckDialog

    store, user = district
    with store.read_session() as s:
        row = courts.courts(s)[0]
        rule = karenzzeit_rules.rules(s)[-1]
    for dialog in (KarenzzeitRuleDialog(lambda v: None, rule), KarenzzeitRuleDialog(lambda v: None),
                   CourtDialog(lambda v: None, row), KduCheckDialog(store, user), EvictionDialog(lambda v: None)):
        qtbot.addWidget(dialog)
        assert unnamed_controls(dialog) == [], type(dialog).__name__
