"""Issue 02's full counsellor story through the GUI: intake, three contacts, eviction proceeding with the
Schonfrist shown, consent, referral to the SpDi, close with outcome; plus the bad-input paths of the case file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import click, set_text
from whh_desktop.core.services import data_report, fristen, intake
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui import files, printing
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.dialogs.case_file import CaseFileDialog
from whh_desktop.ui.dialogs.case_forms import (
    CloseDialog,
    ConsentDialog,
    ContactDialog,
    EvictionDialog,
    FollowUpDialog,
    OverrideDialog,
    ReferralDialog,
    ReferralStatusDialog,
    RentEntryDialog,
    RevokeDialog,
)
from whh_desktop.ui.dialogs.intake import IntakeDialog
from whh_desktop.ui.views.fristen import FristenView, badge_label

TODAY = date.today()


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _case(store, user, opened: date = TODAY - timedelta(days=60), **extra) -> object:
    data = dict(family_name="Nguyễn", given_names="Thị Minh Khai", birth_date=date(1984, 5, 6),
                municipality="Löhne", category="kuendigung", category_since=opened,
                cold_rent=35000, utilities=8000, heating=6000)
    data.update(extra)
    case_id, _ = intake.save_intake(store, user, IntakeData(**data), draft=False, today=opened)
    return case_id


def test_full_counsellor_story(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    form = IntakeDialog(store, user)
    qtbot.addWidget(form)
    w = form.w
    set_text(w["family_name"], "Żółkiewski")
    set_text(w["given_names"], "Łukasz")
    set_text(w["birth_date"], "12.3.1970")
    w["municipality"].setCurrentIndex(w["municipality"].findData("Vlotho"))
    w["category"].setCurrentIndex(w["category"].findData("kuendigung"))
    set_text(w["category_since"], _d(TODAY - timedelta(days=30)))
    set_text(w["cold_rent"], "380,00")
    set_text(w["utilities"], "90,00")
    assert form.save(draft=False), form.message.text()
    case_id = form.case_id
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)

    for minutes, kind, note in ((60, "buero", "Erstgespräch"), (20, "telefon", "Rückruf Vermieter"),
                                (90, "begleitung", "Begleitung zum Jobcenter")):
        def contact(d: ContactDialog, minutes=minutes, kind=kind, note=note) -> None:
            d.minutes.setValue(minutes)
            d.kind.setCurrentIndex(d.kind.findData(kind))
            d.bausteine["2"].setChecked(True)
            d.note.setPlainText(note)
            d.accept()
        answers.on(ContactDialog, contact)
        dialog.contacts_panel.add_contact()
    assert dialog.contacts_panel.contacts.rowCount() == 3

    served = TODAY - timedelta(days=10)

    def eviction(d: EvictionDialog) -> None:
        set_text(d.dates["termination_on"], _d(TODAY - timedelta(days=40)))
        d.kind.setCurrentIndex(d.kind.findData("fristlos_verzug"))
        set_text(d.dates["suit_filed_on"], _d(TODAY - timedelta(days=14)))
        set_text(d.dates["suit_served_on"], _d(served))
        set_text(d.file_no, "12 C 345/26")
        set_text(d.notice_arrears, "1.410,00")
        d.accept()
        assert not d.isVisible(), d.message.text()

    answers.on(EvictionDialog, eviction)
    dialog.tenancy_panel.edit_eviction(None)
    proceedings = dialog.tenancy_panel.proceedings
    assert proceedings.rowCount() == 1 and proceedings.cell(0, 5) == "12 C 345/26"
    deadlines = dialog.deadlines_panel.deadlines
    schonfrist = [r for r in range(deadlines.rowCount()) if deadlines.cell(r, 1).startswith("Schonfrist")]
    dialog.deadlines_panel.deadlines.selectRow(schonfrist[0])
    assert "Zustellung der Räumungsklage" in dialog.deadlines_panel.deadline_rule.text()
    assert "Schonfrist" in dialog.overview_panel.overview.text()

    # referral to the SpDi without consent: warned, and cancelling the warning keeps the form open
    def referral_without_consent(d: ReferralDialog) -> None:
        d.target.setCurrentIndex(d.target.findData("spdi"))
        assert "keine gültige Einwilligung" in d.consent.text()
        answers.on(QMessageBox, lambda box: click(box, "Abbrechen"))
        d.accept()
        assert d.isVisible() and "Einwilligung" in d.message.text()

    answers.on(ReferralDialog, referral_without_consent)
    dialog.referrals_panel.add_referral()
    assert dialog.referrals_panel.referrals.rowCount() == 0

    def consent(d: ConsentDialog) -> None:
        d.recipients["spdi"].setChecked(True)
        d.categories["gesundheit"].setChecked(True)
        assert d.health.isChecked()  # ticking health data ticks the separate confirmation
        d.accept()

    answers.on(ConsentDialog, consent)
    dialog.consents_panel.add_consent()
    assert dialog.consents_panel.consents.rowCount() == 1 and dialog.consents_panel.consents.cell(0, 6) == "ja"

    def referral(d: ReferralDialog) -> None:
        d.target.setCurrentIndex(d.target.findData("spdi"))
        assert d.consent.text().startswith("✔")
        set_text(d.name, "SpDi Kreis Herford")
        d.accept()

    answers.on(ReferralDialog, referral)
    dialog.referrals_panel.add_referral()
    referrals = dialog.referrals_panel.referrals
    assert referrals.rowCount() == 1 and referrals.cell(0, 1) == "SpDi / GPV"
    dialog.referrals_panel.referrals.selectRow(0)

    def status(d: ReferralStatusDialog) -> None:
        d.status.setCurrentIndex(d.status.findData("angenommen"))
        d.outcome.setPlainText("Termin am Donnerstag")
        d.accept()

    answers.on(ReferralStatusDialog, status)
    dialog.referrals_panel.update_referral()
    assert dialog.referrals_panel.referrals.cell(0, 3) == "angenommen"

    def close(d: CloseDialog) -> None:
        # the running Schonfrist and the accepted referral are listed, and the user chooses what happens to them
        assert "Schonfrist" in d.open_items.text() and "Vermittlung an SpDi" in d.open_items.text()
        d.outcome.setCurrentIndex(d.outcome.findData("wohnung_erhalten"))
        d.keep.setChecked(True)
        d.accept()

    answers.on(CloseDialog, close)
    dialog.close_case()
    assert "abgeschlossen" in dialog.header.text() and "Wohnung erhalten" in dialog.header.text()
    log = [dialog.history_panel.log.item(i).text() for i in range(dialog.history_panel.log.count())]
    assert any("Vermittlung an SpDi" in x for x in log) and any("Fall abgeschlossen" in x for x in log)
    assert not answers.pending


def test_served_after_hearing_is_refused_in_the_form_and_nothing_typed_is_lost(qtbot, counsellor, answers):
    store, user = counsellor
    dialog = CaseWorkspace(store, user, _case(store, user))
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)

    def bad(d: EvictionDialog) -> None:
        d.kind.setCurrentIndex(d.kind.findData("fristlos_verzug"))
        set_text(d.dates["suit_served_on"], _d(TODAY - timedelta(days=5)))
        set_text(d.dates["hearing_on"], _d(TODAY - timedelta(days=9)))
        set_text(d.file_no, "3 C 77/26")
        d.accept()
        assert d.isVisible() and "nach dem Verhandlungstermin" in d.message.text()
        assert d.file_no.text() == "3 C 77/26" and "border" in d.dates["suit_served_on"].styleSheet()
        set_text(d.dates["hearing_on"], "31.02.2026")
        d.accept()
        assert "gibt es nicht" in d.message.text() and "border" in d.dates["hearing_on"].styleSheet()
        set_text(d.dates["hearing_on"], _d(TODAY + timedelta(days=20)))
        d.accept()

    answers.on(EvictionDialog, bad)
    dialog.tenancy_panel.edit_eviction(None)
    assert dialog.tenancy_panel.proceedings.rowCount() == 1


def test_long_notes_and_unusual_names_are_handled(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    case_id = _case(store, user, family_name="שלום 😀", given_names="Ömer")
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    assert "😀" in dialog.windowTitle()

    def long_note(d: ContactDialog) -> None:
        d.note.setPlainText("x" * 30_000)
        d.accept()
        assert d.isVisible() and "zu lang" in d.message.text()
        assert len(d.note.toPlainText()) == 30_000  # nothing lost
        d.note.setPlainText("y" * 10_000)  # the 10 000-character note is fine
        d.accept()

    answers.on(ContactDialog, long_note)
    dialog.contacts_panel.add_contact()
    assert dialog.contacts_panel.contacts.rowCount() == 1


def test_revoked_consent_warns_before_a_referral(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    dialog = CaseWorkspace(store, user, _case(store, user))
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)

    def consent(d: ConsentDialog) -> None:
        d.recipients["suchthilfe"].setChecked(True)
        d.categories["gesundheit"].setChecked(True)
        d.signed_on.setDate(d.signed_on.date().addDays(-10))
        d.valid_from.setDate(d.valid_from.date().addDays(-10))
        d.accept()

    answers.on(ConsentDialog, consent)
    dialog.consents_panel.add_consent()
    dialog.consents_panel.consents.selectRow(0)
    assert dialog.consents_panel.revoke_button.isEnabled()
    answers.on(RevokeDialog, lambda d: d.accept())
    dialog.consents_panel.revoke_consent()
    consents = dialog.consents_panel.consents
    assert consents.cell(0, 5) == _d(TODAY) and consents.cell(0, 6) == "nein"

    def referral(d: ReferralDialog) -> None:
        d.target.setCurrentIndex(d.target.findData("suchthilfe"))
        assert "widerrufen" in d.consent.text()
        answers.on(QMessageBox, lambda box: click(box, "Nur vermerken"))
        d.accept()

    answers.on(ReferralDialog, referral)
    dialog.referrals_panel.add_referral()
    assert dialog.referrals_panel.referrals.rowCount() == 1
    assert any("widerrufen" in t for t in answers.texts)


def test_consent_form_needs_recipient_and_health_tick(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    dialog = CaseWorkspace(store, user, _case(store, user))
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)

    def consent(d: ConsentDialog) -> None:
        d.accept()
        assert "mindestens eine" in d.message.text()
        d.recipients["jobcenter"].setChecked(True)
        set_text(d.valid_until, _d(TODAY - timedelta(days=400)))
        d.accept()
        assert "vor »gültig ab«" in d.message.text()
        d.valid_until.clear()
        d.accept()

    answers.on(ConsentDialog, consent)
    dialog.consents_panel.add_consent()
    assert dialog.consents_panel.consents.rowCount() == 1


def test_rent_account_follow_up_override_and_fristen_badge(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    dialog = CaseWorkspace(store, user, _case(store, user))
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    for months_ago in (2, 1):
        def month(d: RentEntryDialog, months_ago=months_ago) -> None:
            set_text(d.due_on, _d(TODAY - timedelta(days=30 * months_ago)))
            set_text(d.amount_due, "-5")
            d.accept()
            assert "negativ" in d.message.text()
            set_text(d.amount_due, "490,00")
            set_text(d.amount_paid, "0")
            d.accept()
        answers.on(RentEntryDialog, month)
        dialog.tenancy_panel.add_rent_entry()
    assert dialog.tenancy_panel.rent.rowCount() == 2
    assert "543" in dialog.tenancy_panel.risk.text() and "Kündigung" in dialog.warning.text()

    def follow_up(d: FollowUpDialog) -> None:
        d.accept()
        assert "Datum" in d.message.text()
        set_text(d.on, _d(TODAY + timedelta(days=2)))
        d.accept()
        assert "worum es" in d.message.text()
        set_text(d.note, "Nachweis Mietzahlung anfordern")
        d.accept()

    answers.on(FollowUpDialog, follow_up)
    dialog.deadlines_panel.add_follow_up()
    deadlines = dialog.deadlines_panel.deadlines
    assert deadlines.rowCount() == 1 and deadlines.cell(0, 1) == "Wiedervorlage"
    assert badge_label(store, user) == "Fristen (1)"
    dialog.deadlines_panel.deadlines.selectRow(0)

    def override(d: OverrideDialog) -> None:
        d.accept()
        assert "begründen" in d.message.text()
        set_text(d.reason, "Person ist bis Montag verreist")
        d.on.setDate(d.on.date().addDays(14))
        d.accept()

    answers.on(OverrideDialog, override)
    dialog.deadlines_panel.override_deadline()
    assert "verreist" in dialog.deadlines_panel.deadlines.cell(0, 3)
    assert badge_label(store, user) == "Fristen"  # no longer due within a week
    view = FristenView(store, user)
    qtbot.addWidget(view)
    assert view.table.rowCount() == 1
    dialog.deadlines_panel.deadlines.selectRow(0)
    dialog.deadlines_panel.deadline_done()
    assert dialog.deadlines_panel.deadlines.rowCount() == 0


def test_documents_are_stored_inside_and_saved_out(qtbot, counsellor, answers, tmp_path, monkeypatch) -> None:
    store, user = counsellor
    dialog = CaseWorkspace(store, user, _case(store, user))
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    scan = tmp_path / "Kündigung Vermieter.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    monkeypatch.setattr(files, "choose_open_path", lambda *a: scan)
    dialog.documents_panel.add_document()
    assert dialog.documents_panel.documents.cell(0, 1) == "Kündigung Vermieter"
    empty = tmp_path / "leer.pdf"
    empty.write_bytes(b"")
    monkeypatch.setattr(files, "choose_open_path", lambda *a: empty)
    answers.ok()
    dialog.documents_panel.add_document()
    assert any("leer" in t for t in answers.texts) and dialog.documents_panel.documents.rowCount() == 1
    out = tmp_path / "out" / "kopie.pdf"
    out.parent.mkdir()
    monkeypatch.setattr(files, "choose_save_path", lambda *a: out)
    dialog.documents_panel.documents.selectRow(0)
    dialog.documents_panel.save_document()
    assert out.read_bytes() == b"%PDF-1.4 scan"


def test_data_report_restriction_and_erasure(qtbot, counsellor, answers, tmp_path, monkeypatch) -> None:
    store, user = counsellor
    case_id = _case(store, user)
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    saved = {}
    monkeypatch.setattr(printing, "save_pdf", lambda parent, data, name: saved.update(data=data, name=name))
    dialog.save_data_report()
    assert saved["data"].startswith(b"%PDF") and saved["name"].startswith("Auskunft-")
    answers.on(QMessageBox, lambda box: click(box, "Einschränken"))
    dialog.toggle_restricted()
    assert "eingeschränkt" in dialog.header.text()
    assert not dialog.contacts_panel.add_contact_button.isEnabled() and not dialog.close_button.isEnabled()
    answers.on(QMessageBox, lambda box: click(box, "Aufheben"))
    dialog.toggle_restricted()
    assert dialog.contacts_panel.add_contact_button.isEnabled()
    answers.on(QMessageBox, lambda box: click(box, "Endgültig löschen")).ok()
    with qtbot.waitSignal(dialog.close_requested, timeout=1000):  # the page of an erased case closes itself
        dialog.erase_on_request()
    with pytest.raises(Exception, match="keine Daten"):
        data_report.data_report(store, user, dialog.data.person.id)


def test_main_window_shows_the_fristen_badge(qtbot, counsellor_window) -> None:
    win = counsellor_window
    row = win.nav_labels().index("Fristen")
    assert win.nav.item(row).text() == "Fristen"
    case_id = _case(win.store, win.user)
    fristen.add_follow_up(win.store, win.user, case_id, TODAY + timedelta(days=1), "Unterlagen anfordern")
    win.refresh_badges()
    assert win.nav.item(row).text() == "Fristen  (1)" and win.nav.item(row).font().bold()
    assert win.nav_labels()[row] == "Fristen"  # the label stays addressable with a badge beside it
    view = win.show_area("Fristen")
    assert view.table.rowCount() == 1
    view.table.selectRow(0)
    view.mark_done()
    assert win.nav.item(row).text() == "Fristen"


def test_retention_list_erases_old_closed_cases(qtbot, counsellor, answers) -> None:
    from whh_desktop.core.domain.enums import Outcome
    from whh_desktop.core.services import cases
    from whh_desktop.ui.views.privacy import PrivacyView

    store, user = counsellor
    old = [_case(store, user, date(TODAY.year - 5, 3, 1), family_name=f"Alt{i}", birth_date=date(1960, 1, 1 + i))
           for i in range(3)]
    for case_id in old:
        cases.close_case(store, user, case_id, Outcome.KONTAKTABBRUCH, date(TODAY.year - 4, 12, 30))
    _case(store, user, family_name="Offen")
    view = PrivacyView(store, user)
    qtbot.addWidget(view)
    view.show()  # a hidden view refreshes only when shown
    assert view.table.rowCount() == 3 and "3 Fälle" in view.count.text()
    assert not view.erase_selected_button.isEnabled()
    view.table.selectRow(0)
    answers.on(QMessageBox, lambda box: click(box, "Abbrechen"))
    view.erase(selected_only=True)
    assert view.table.rowCount() == 3  # cancelled: nothing erased
    answers.on(QMessageBox, lambda box: click(box, "Endgültig löschen")).ok()
    view.erase(selected_only=False)
    assert view.table.rowCount() == 0 and "1 von" not in answers.texts[-1] and "3 von 3" in answers.texts[-1]
    with store.read_session() as s:
        assert [r.family_name for r in cases.search(s, "Alt", cases.CaseFilter(status="all")).exact] == []


def test_a_draft_is_completed_later_in_the_intake_form(qtbot, counsellor, answers) -> None:
    from whh_desktop.core.services.intake import HouseholdData, IncomeData
    from whh_desktop.ui.views.cases import CasesView

    store, user = counsellor
    draft_id, number = intake.save_intake(store, user, IntakeData(
        family_name="Öztürk", given_names="Şükrü", birth_date=date(1975, 4, 2), phone="05221 12345",
        cold_rent=41050, household=[HouseholdData("kind", "Öztürk", "Elif", date(2015, 6, 1))],
        incomes=[IncomeData("buergergeld", date(2025, 1, 1), "12345BG0001234")]), draft=True)
    view = CasesView(store, user)
    qtbot.addWidget(view)

    def complete(form: IntakeDialog) -> None:
        w = form.w
        assert "Entwurf" in form.windowTitle()
        assert w["family_name"].text() == "Öztürk" and w["birth_date"].text() == "02.04.1975"
        assert w["cold_rent"].text() == "410,50" and w["bg_number"].text() == "12345BG0001234"
        assert form.household.rowCount() == 1 and form.household.item(0, 1).text() == "Elif"
        w["municipality"].setCurrentIndex(w["municipality"].findData("Bünde"))
        w["category"].setCurrentIndex(w["category"].findData("kuendigung"))
        set_text(w["category_since"], _d(TODAY - timedelta(days=3)))
        assert form.save(draft=False), form.message.text()

    answers.on(IntakeDialog, complete)
    answers.on(CaseFileDialog, lambda d: d.accept())
    dialog = view.open_case(draft_id)
    assert isinstance(dialog, CaseWorkspace) and dialog.data.case.status == "open"
    assert dialog.data.case.case_number == number and len(dialog.data.household) == 1
    assert len(dialog.data.incomes) == 1 and dialog.data.case.cold_rent == 41050
