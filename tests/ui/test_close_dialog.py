"""Closing a case from the case file: what is still open is listed, the user must choose the outcome and what
happens to open deadlines and referrals, and that choice lands with the close in one operation."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from tests.ui.conftest import click
from tests.ui.test_forms_and_access import check as check_accessible
from whh_desktop.core.domain.enums import ReferralTarget
from whh_desktop.core.services import cases, casework, fristen, intake
from whh_desktop.core.services.casework import EvictionData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import Case, DeadlineEntry, Referral
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.dialogs.case_forms import CloseDialog

TODAY = date.today()


def _case(store, user, category: str = "raeumungsklage", open_items: bool = True):
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Kowalczyk", given_names="Irena", birth_date=date(1968, 9, 1), municipality="Herford",
        category=category, category_since=TODAY - timedelta(days=30)), draft=False, today=TODAY - timedelta(days=30))
    if open_items:
        casework.save_eviction(store, user, case_id, EvictionData(
            termination_kind="fristlos_verzug", suit_served_on=TODAY - timedelta(days=20)))
        casework.add_referral(store, user, case_id, ReferralTarget.SCHULDNERBERATUNG, TODAY, "Schuldnerberatung")
    return case_id


def _state(store, case_id):
    with store.read_session() as s:
        case = s.get(Case, case_id)
        done = [d.done_on for d in s.execute(select(DeadlineEntry).where(DeadlineEntry.case_id == case_id)).scalars()]
        referrals = [r.status for r in s.execute(select(Referral).where(Referral.case_id == case_id)).scalars()]
        return case.status, case.current_category, done, referrals


def test_no_outcome_is_preselected_and_a_missing_one_is_said_in_german(qtbot, counsellor) -> None:
    store, user = counsellor
    case_id = _case(store, user, open_items=False)
    dialog = CloseDialog(lambda v: cases.close_case(store, user, case_id, *v),
                         check=cases.closing_check(store, user, case_id))
    qtbot.addWidget(dialog)
    assert dialog.outcome.currentData() == "" and dialog.outcome.currentText() == "– bitte wählen –"
    assert dialog.open_items.isHidden() and dialog.settle.isHidden()  # nothing open: no warning, no question
    dialog.show()
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None)
    assert dialog.focusWidget() is dialog.outcome
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.message.text() == "Bitte das Ergebnis wählen, mit dem der Fall abgeschlossen wird."
    assert dialog.outcome.property("invalid")
    assert _state(store, case_id)[0] == "open"
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("kontaktabbruch"))
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted and _state(store, case_id)[0] == "closed"


def test_open_items_are_listed_and_the_choice_is_required(qtbot, counsellor) -> None:
    store, user = counsellor
    case_id = _case(store, user)
    fristen.add_follow_up(store, user, case_id, TODAY + timedelta(days=2), "Unterlagen <Mietvertrag>")
    dialog = CloseDialog(lambda v: cases.close_case(store, user, case_id, *v),
                         check=cases.closing_check(store, user, case_id))
    qtbot.addWidget(dialog)
    text = dialog.open_items.text()
    assert not dialog.open_items.isHidden()
    assert "Schonfrist (§ 569 Abs. 3 Nr. 2 BGB): fällig am" in text
    assert "Wiedervorlage" in text and "<Mietvertrag>" in text  # plain text: shown, not read as markup
    assert dialog.open_items.textFormat() == Qt.TextFormat.PlainText
    assert "Vermittlung an Schuldnerberatung" in text
    assert not dialog.settle.isChecked() and not dialog.keep.isChecked()  # the user chooses
    check_accessible(dialog)  # names and mnemonics, the choice included
    dialog.show()
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None)
    assert dialog.focusWidget() is dialog.outcome  # the warning comes first, the focus still on the outcome
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("wohnung_erhalten"))
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "offenen Fristen und Vermittlungen" in dialog.message.text()
    assert _state(store, case_id)[0] == "open"
    dialog.settle.setChecked(True)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    status, category, done, referrals = _state(store, case_id)
    assert (status, category) == ("closed", "raeumungsklage")  # threatened, kept the flat: not "ehemals"
    assert done == [TODAY, TODAY] and referrals == ["abgeschlossen"]


def test_case_file_warns_keeps_when_chosen_and_reopening_restores_the_category(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    case_id = _case(store, user, category="ohne_unterkunft")
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    seen: list[str] = []

    def close(d: CloseDialog) -> None:
        seen.append(d.open_items.text())
        d.outcome.setCurrentIndex(d.outcome.findData("neue_wohnung"))
        d.keep.setChecked(True)
        d.accept()

    answers.on(CloseDialog, close)
    dialog.close_case()
    assert "Schonfrist" in seen[0] and "Schuldnerberatung" in seen[0]
    status, category, done, referrals = _state(store, case_id)
    assert (status, category, done, referrals) == ("closed", "ehemals", [None], ["angeregt"])
    answers.on(QMessageBox, lambda box: click(box, "Wieder öffnen"))
    dialog.reopen()
    assert _state(store, case_id)[:2] == ("open", "ohne_unterkunft")
    assert not answers.pending
