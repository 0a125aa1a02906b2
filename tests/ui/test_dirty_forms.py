"""Forms keep what was typed (issue 18, point 4): every dialog that takes input asks before typed input is lost,
closes at once when nothing was typed, and saves with Ctrl+S; the intake saves a draft by itself; validation shows
every problem at its field and in a summary; the wheel never changes an unfocused combo box.

The dialog classes are found by walking the package, so a new dialog without the protection fails here."""

from __future__ import annotations

import importlib
import pkgutil
import uuid
from datetime import date
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

import whh_desktop.ui
from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD
from tests.ui.conftest import click, open_window
from whh_desktop.core.domain.enums import Role
from whh_desktop.core.domain.housing import OfferStatus, ProposalStep
from whh_desktop.core.services import cases, courts, intake, kdu_tables, letters, sync_keys
from whh_desktop.core.services.case_file_views import ApplicationRecord
from whh_desktop.core.services.casework import ReferralView
from whh_desktop.core.services.fristen import DueItem
from whh_desktop.core.services.help_plans import ServiceConsent
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.store_api import KdfParams
from whh_desktop.paths import DataPaths
from whh_desktop.ui import dirty, modal
from whh_desktop.ui.dialogs import case_forms
from whh_desktop.ui.dialogs.account_dialog import AccountDialog, RoleDialog
from whh_desktop.ui.dialogs.change_password import ChangePasswordDialog
from whh_desktop.ui.dialogs.housing_search import HousingSearchDialog, ProposalStepDialog, ProposeDialog
from whh_desktop.ui.dialogs.intake import IntakeDialog
from whh_desktop.ui.dialogs.landlord_dialogs import ContactNoteDialog, LandlordDialog, MergeDialog, RejectDialog
from whh_desktop.ui.dialogs.letter import ForceDialog, LetterDialog
from whh_desktop.ui.dialogs.offer_dialogs import OfferDialog, StatusDialog
from whh_desktop.ui.dialogs.recovery import RecoveryDialog
from whh_desktop.ui.dialogs.setup_wizard import SetupWizard
from whh_desktop.ui.views import duplicates, exchange_keys, kdu_admin, kdu_rules
from whh_desktop.ui.views.admin import address_book
from whh_desktop.ui.views.admin.letters import LettersController, TemplateDialog
from whh_desktop.ui.widgets import applications, help_plan
from whh_desktop.ui.widgets.fields import field_note, is_marked

# Dialogs that take no input worth keeping, each with the reason.
NOT_FORMS = {
    "whh_desktop.ui.dialogs.about.AboutDialog": "zeigt nur an",
    "whh_desktop.ui.dialogs.about.SystemcheckDialog": "zeigt nur an",
    "whh_desktop.ui.dialogs.handbook.HandbookDialog": "Handbuch; nur ein Suchfeld",
    "whh_desktop.ui.dialogs.case_file.CaseFileDialog": "Fallakte; ihre Formulare sind eigene Dialoge",
    "whh_desktop.ui.dialogs.landlord_dialogs.LandlordDetailDialog": "zeigt an; Formulare sind eigene Dialoge",
    "whh_desktop.ui.dialogs.offer_dialogs.OfferDetailDialog": "zeigt an; Formulare sind eigene Dialoge",
    "whh_desktop.ui.views.admin.letters.PreviewDialog": "Vorschau",
    "whh_desktop.ui.dialogs.kdu_check.KduCheckDialog": "Rechner, speichert nichts",
    "whh_desktop.ui.dialogs.login.LoginDialog": "Anmeldung: Abbrechen beendet das Programm",
    "whh_desktop.ui.workers.ProgressDialog": "Fortschritt",
}
ABSTRACT = {"whh_desktop.ui.dirty.FormWindow", "whh_desktop.ui.dialogs.case_forms.FormDialog"}
TODAY = date.today()


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def all_dialog_classes() -> dict[str, type]:
    for info in pkgutil.walk_packages(whh_desktop.ui.__path__, "whh_desktop.ui."):
        importlib.import_module(info.name)
    found: dict[str, type] = {}
    todo = [QDialog]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("whh_desktop.ui."):
                found[_name(sub)] = sub
    return found


def _save(env):
    return lambda value: env.saved.append(value)


def _referral() -> ReferralView:
    return ReferralView(uuid.uuid4(), uuid.uuid4(), "jobcenter", "Jobcenter Löhne", TODAY, "offen", "", "", False)


def _due_item() -> DueItem:
    from whh_desktop.core.domain.deadlines import DeadlineKind

    kind = next(iter(DeadlineKind))
    return DueItem(uuid.uuid4(), uuid.uuid4(), "LOE-2026-0001", "Muster, Erika", kind, TODAY, TODAY, None, None, {},
                   [], None, COUNSELLOR, None, "Birgit Schulz")


def _application() -> ApplicationRecord:
    return ApplicationRecord(uuid.uuid4(), "bg_erstantrag", "Jobcenter", None, TODAY, "persoenlich", None, None,
                             None, (), None, None, None, "post", None, False, None, None, None)


def _setup_wizard(env) -> SetupWizard:
    """On the page with the first text fields (the mode page has only choices)."""
    wizard = SetupWizard(DataPaths(env.paths.root.parent / "neu"), kdf=KdfParams.for_tests())
    wizard.setStartId(wizard.pageIds()[1])
    return wizard


FACTORIES = {
    "whh_desktop.ui.dialogs.setup_wizard.SetupWizard": _setup_wizard,
    "whh_desktop.ui.dialogs.case_forms.ContactDialog": lambda env: case_forms.ContactDialog(_save(env)),
    "whh_desktop.ui.dialogs.case_forms.CloseDialog": lambda env: case_forms.CloseDialog(_save(env)),
    "whh_desktop.ui.dialogs.case_forms.EvictionDialog": lambda env: case_forms.EvictionDialog(_save(env)),
    "whh_desktop.ui.dialogs.case_forms.RentEntryDialog": lambda env: case_forms.RentEntryDialog(_save(env)),
    "whh_desktop.ui.dialogs.case_forms.ReferralDialog": lambda env: case_forms.ReferralDialog(
        _save(env), lambda _target: (True, "Einwilligung liegt vor")),
    "whh_desktop.ui.dialogs.case_forms.ReferralStatusDialog": lambda env: case_forms.ReferralStatusDialog(
        _save(env), _referral()),
    "whh_desktop.ui.dialogs.case_forms.ConsentDialog": lambda env: case_forms.ConsentDialog(_save(env)),
    "whh_desktop.ui.dialogs.case_forms.RevokeDialog": lambda env: case_forms.RevokeDialog(_save(env)),
    "whh_desktop.ui.dialogs.case_forms.FollowUpDialog": lambda env: case_forms.FollowUpDialog(_save(env)),
    "whh_desktop.ui.dialogs.case_forms.OverrideDialog": lambda env: case_forms.OverrideDialog(_save(env), _due_item()),
    "whh_desktop.ui.dialogs.case_forms.HandoverDialog": lambda env: case_forms.HandoverDialog(_save(env), "LOE"),
    "whh_desktop.ui.dialogs.housing_search.HousingSearchDialog": lambda env: HousingSearchDialog(
        env.store, env.user, env.case_id),
    "whh_desktop.ui.dialogs.housing_search.ProposeDialog": lambda env: ProposeDialog(
        _save(env), "Wohnung Lange Str. 1"),
    "whh_desktop.ui.dialogs.housing_search.ProposalStepDialog": lambda env: ProposalStepDialog(
        _save(env), ProposalStep.ABSAGE, SimpleNamespace(offer_address="Lange Str. 1")),
    "whh_desktop.ui.dialogs.intake.IntakeDialog": lambda env: IntakeDialog(env.store, env.user),
    "whh_desktop.ui.dialogs.landlord_dialogs.LandlordDialog": lambda env: LandlordDialog(_save(env)),
    "whh_desktop.ui.dialogs.landlord_dialogs.ContactNoteDialog": lambda env: ContactNoteDialog(_save(env)),
    "whh_desktop.ui.dialogs.landlord_dialogs.MergeDialog": lambda env: MergeDialog(
        _save(env), "Wohnbau Löhne", [(uuid.uuid4(), "Wohnbau Loehne GmbH")]),
    "whh_desktop.ui.dialogs.landlord_dialogs.RejectDialog": lambda env: RejectDialog(_save(env), "Vorschlag"),
    "whh_desktop.ui.dialogs.letter.ForceDialog": lambda env: ForceDialog([]),
    "whh_desktop.ui.dialogs.letter.LetterDialog": lambda env: LetterDialog(env.store, env.user, env.case_id),
    "whh_desktop.ui.dialogs.offer_dialogs.OfferDialog": lambda env: OfferDialog(_save(env), []),
    "whh_desktop.ui.dialogs.offer_dialogs.StatusDialog": lambda env: StatusDialog(
        _save(env), OfferStatus.FREI.value, False),
    "whh_desktop.ui.dialogs.account_dialog.AccountDialog": lambda env: AccountDialog(
        [Role.BERATUNG], lambda account: env.saved.append(account)),
    "whh_desktop.ui.dialogs.account_dialog.RoleDialog": lambda env: RoleDialog(
        "Birgit Schulz", [Role.BERATUNG, Role.ADMIN], Role.BERATUNG),
    "whh_desktop.ui.dialogs.change_password.ChangePasswordDialog": lambda env: ChangePasswordDialog(
        env.store, env.user),
    "whh_desktop.ui.dialogs.recovery.RecoveryDialog": lambda env: RecoveryDialog(env.paths),
    "whh_desktop.ui.views.admin.letters.TemplateDialog": lambda env: TemplateDialog(
        LettersController(env.store, env.user), letters.letter_types()[0]),
    "whh_desktop.ui.views.admin.address_book.EntryDialog": lambda env: address_book.EntryDialog(_save(env)),
    "whh_desktop.ui.views.duplicates.DecisionDialog": lambda env: duplicates.DecisionDialog(
        _save(env), True, "Muster, Erika / Muster, Erika"),
    "whh_desktop.ui.views.exchange_keys.ConfirmKeyDialog": lambda env: exchange_keys.ConfirmKeyDialog(
        _save(env), "AB12 CD34", "Kreis Herford"),
    "whh_desktop.ui.views.exchange_keys.RevokeKeyDialog": lambda env: exchange_keys.RevokeKeyDialog(
        _save(env), sync_keys.KeyInfo("k1", "KREIS", "kreis", "AB12", "2026-01-01", "a.becker", None, None, None)),
    "whh_desktop.ui.views.kdu_admin.KduVersionDialog": lambda env: kdu_admin.KduVersionDialog(
        _save(env), kdu_tables.seed_table()),
    "whh_desktop.ui.views.kdu_admin.EndVersionDialog": lambda env: kdu_admin.EndVersionDialog(
        _save(env), kdu_tables.KduVersionRow(uuid.uuid4(), "Tabelle 2026", date(2026, 1, 1), None,
                                             kdu_tables.seed_table())),
    "whh_desktop.ui.views.kdu_rules.KarenzzeitRuleDialog": lambda env: kdu_rules.KarenzzeitRuleDialog(_save(env)),
    "whh_desktop.ui.views.kdu_rules.CourtDialog": lambda env: kdu_rules.CourtDialog(
        _save(env), courts.CourtRow(None, "Löhne", "")),
    "whh_desktop.ui.widgets.applications.ApplicationDialog": lambda env: applications.ApplicationDialog(
        _save(env), []),
    "whh_desktop.ui.widgets.applications.DecisionDialog": lambda env: applications.DecisionDialog(
        _save(env), _application()),
    "whh_desktop.ui.widgets.applications.ObjectionDialog": lambda env: applications.ObjectionDialog(_save(env), []),
    "whh_desktop.ui.widgets.applications.ObjectionDecisionDialog": lambda env: applications.ObjectionDecisionDialog(
        _save(env)),
    "whh_desktop.ui.widgets.help_plan.GoalDialog": lambda env: help_plan.GoalDialog(_save(env)),
    "whh_desktop.ui.widgets.help_plan.ServiceDialog": lambda env: help_plan.ServiceDialog(
        _save(env), lambda _kind: ServiceConsent(True, "Einwilligung liegt vor")),
    "whh_desktop.ui.widgets.help_plan.ConferenceDialog": lambda env: help_plan.ConferenceDialog(_save(env)),
    "whh_desktop.ui.widgets.help_plan.StageDialog": lambda env: help_plan.StageDialog(_save(env)),
}


@pytest.fixture
def env(counsellor, site_paths):
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Muster", given_names="Erika", birth_date=date(1980, 5, 1), municipality="Löhne",
        category="kuendigung", category_since=TODAY, cold_rent=40000), draft=False)
    return SimpleNamespace(store=store, user=user, case_id=case_id, paths=site_paths, saved=[])


def activate(qtbot, dialog: QWidget) -> None:
    dialog.show()
    dialog.windowHandle().requestActivate()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)


def _inside_compound(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return True
        parent = parent.parentWidget()
    return False


def type_something(qtbot, dialog: QWidget) -> tuple[QWidget, object]:
    """Type into the first field a user can type into (or tick/choose something): (widget, how to read it)."""
    candidates = [w for w in dialog.findChildren(QWidget)
                  if w.window() is dialog and w.isVisible() and w.isEnabled() and not _inside_compound(w, dialog)]
    for widget in candidates:
        if isinstance(widget, (QLineEdit, QPlainTextEdit)) and not widget.isReadOnly():
            widget.setFocus()
            qtbot.keyClicks(widget, "Xy")
            return widget, widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
    for widget in candidates:
        if isinstance(widget, QCheckBox):
            widget.click()
            return widget, widget.isChecked()
    for widget in candidates:
        if isinstance(widget, QAbstractSpinBox):
            widget.setFocus()
            qtbot.keyClick(widget, Qt.Key.Key_Up)
            return widget, read(widget)
    for widget in candidates:
        if isinstance(widget, QComboBox) and widget.count() > 1:
            widget.setCurrentIndex((widget.currentIndex() + 1) % widget.count())
            return widget, widget.currentIndex()
    raise AssertionError(f"{type(dialog).__name__}: no field to type into")


def read(widget: QWidget) -> object:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    return widget.currentIndex()


LETTER_INPUTS = {"mietwohnung": "Lange Straße 1, 32584 Löhne", "vermieter_name": "Wohnbau Löhne GmbH",
                 "kuendigung_datum": "02.11.2026", "mietrueckstand": "800,00", "rueckstand_seit": "01.09.2026",
                 "ratenhoehe": "50,00"}


# ---- every form dialog --------------------------------------------------------------------------------------------
def test_every_dialog_that_takes_input_is_protected_and_tested() -> None:
    found = all_dialog_classes()
    unprotected = sorted(n for n, cls in found.items()
                         if n not in NOT_FORMS and not issubclass(cls, dirty.Protected))
    assert unprotected == [], "dialogs without FormWindow (add it, or list them in NOT_FORMS with a reason)"
    forms = {n for n, cls in found.items() if issubclass(cls, dirty.Protected)} - ABSTRACT
    assert forms == set(FACTORIES), "every form dialog needs a factory here, so its protection is tested"
    assert set(NOT_FORMS) <= set(found), "NOT_FORMS names a dialog that no longer exists"


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_form_asks_only_when_typed_keeps_on_continue_and_saves_with_ctrl_s(qtbot, env, answers, name) -> None:
    dialog = FACTORIES[name](env)
    qtbot.addWidget(dialog)

    # clean: Escape closes at once, nothing is asked
    activate(qtbot, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and answers.seen == []

    # typed: Escape asks; »Weiter bearbeiten« keeps the text, »Verwerfen« closes
    dialog = FACTORIES[name](env)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    widget, typed = type_something(qtbot, dialog)
    assert dialog.is_dirty()
    answers.on(QMessageBox, lambda box: click(box, "Weiter bearbeiten"))
    qtbot.keyClick(widget, Qt.Key.Key_Escape)
    assert dialog.isVisible() and read(widget) == typed
    assert answers.texts == ["Ungespeicherte Eingaben verwerfen?"]
    answers.on(QMessageBox, lambda box: click(box, "Weiter bearbeiten"))
    dialog.close()  # the window's close button
    assert dialog.isVisible() and read(widget) == typed and len(answers.texts) == 2
    answers.on(QMessageBox, lambda box: click(box, "Verwerfen"))
    qtbot.keyClick(widget, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected and len(answers.texts) == 3

    # Ctrl+S presses the save button (what it then says about the input is the form's business)
    dialog = FACTORIES[name](env)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    widget, _typed = type_something(qtbot, dialog)
    if isinstance(dialog, LetterDialog):  # Ctrl+S files the letter in the case, once nothing is missing
        target = dialog.file_button
        if dialog.other.isVisible():  # the case has no recipient of this letter yet: type one
            dialog.other.setPlainText("Wohnbau Löhne GmbH\nLange Straße 1\n32584 Löhne")
            dialog.update_preview()
        for key, text in LETTER_INPUTS.items():
            if key in dialog.inputs:
                dialog.inputs[key].setText(text)
        dialog.forced_reason = "mit dem Jobcenter telefonisch so abgesprochen"  # the case has no Kündigung on file
        dialog.update_preview()
        answers.ok()  # »Der Brief liegt jetzt in der Akte«
    else:
        target = dirty.default_button(dialog)
    assert target is not None and target.isEnabled(), "no save button for Ctrl+S"
    pressed = []
    target.clicked.connect(lambda *_: pressed.append(True))
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert pressed == [True]
    if dialog.isVisible():
        dialog.discard()


def test_ctrl_enter_saves_and_enter_in_a_note_is_a_line_break(qtbot, env) -> None:
    dialog = case_forms.ContactDialog(_save(env))
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.note.setFocus()
    dialog.note.insertPlainText("Erstgespräch")  # QTest types ASCII only
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.note, "Unterlagen mitbringen")
    assert dialog.isVisible() and env.saved == []
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    assert env.saved[0].note == "Erstgespräch\nUnterlagen mitbringen"


def test_a_refused_save_keeps_the_dialog_dirty_aware(qtbot, env, answers) -> None:
    """A form that was refused still asks, because nothing was saved."""
    dialog = case_forms.RentEntryDialog(_save(env))
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.due_on.setFocus()
    qtbot.keyClick(dialog.due_on, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Soll is missing
    assert dialog.isVisible() and "Soll" in dialog.message.text() and env.saved == []
    qtbot.keyClicks(dialog.amount_due, "450,00")
    answers.on(QMessageBox, lambda box: click(box, "Weiter bearbeiten"))
    dialog.reject()
    assert dialog.isVisible()
    qtbot.keyClick(dialog.amount_due, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible() and env.saved[0][1] == 45000


# ---- validation ---------------------------------------------------------------------------------------------------
def test_intake_lists_every_problem_at_its_field_and_marks_clear_on_correction(qtbot, counsellor) -> None:
    store, user = counsellor
    dialog = IntakeDialog(store, user)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    w = dialog.w
    w["category_since"].clear()  # prefilled with today; empty it to see its message too
    qtbot.keyClicks(w["given_names"], "Erika")
    qtbot.keyClicks(w["birth_date"], "31.02.1980")
    qtbot.keyClicks(w["cold_rent"], "vierhundert")
    qtbot.keyClicks(w["email"], "erika@")
    assert not dialog.save(draft=False)
    lines = dialog.message.text().splitlines()
    wrong = ["family_name", "birth_date", "email", "municipality", "category", "category_since", "cold_rent"]
    assert lines[0] == f"{len(wrong)} Angaben fehlen oder stimmen nicht:" and len(lines) == len(wrong) + 1
    assert lines[1:3] == ["• Bitte den Familiennamen angeben.", "• Geburtsdatum: den 31.02.1980 gibt es nicht."]
    for name in wrong:  # each at its field: red frame and a red line right under it, not only a tooltip
        note = field_note(w[name])
        assert is_marked(w[name]) and note is not None and not note.isHidden() and note.text(), name
        assert note.text() in dialog.message.text()
    assert not is_marked(w["given_names"])
    assert QApplication.focusWidget() is w["family_name"]  # the first wrong field of the form

    qtbot.keyClicks(w["family_name"], "Muster")  # corrected: its mark and its line go at once
    assert not is_marked(w["family_name"]) and field_note(w["family_name"]).isHidden()
    assert "Familiennamen" not in dialog.message.text()
    assert dialog.message.text().splitlines()[0] == f"{len(wrong) - 1} Angaben fehlen oder stimmen nicht:"
    w["birth_date"].clear()
    qtbot.keyClicks(w["birth_date"], "28.02.1980")
    assert not is_marked(w["birth_date"]) and is_marked(w["cold_rent"])


def test_form_dialog_lists_all_unreadable_fields_at_once(qtbot, env) -> None:
    dialog = case_forms.EvictionDialog(_save(env))
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    for field, text in (("termination_on", "32.01.2026"), ("hearing_on", "morgen"), ("eviction_on", "1.13.2026")):
        qtbot.keyClicks(dialog.dates[field], text)
    qtbot.keyClicks(dialog.notice_rent, "zu viel")
    dialog.accept()
    text = dialog.message.text()
    assert dialog.isVisible() and env.saved == [] and text.startswith("4 Angaben fehlen oder stimmen nicht:")
    for widget in (dialog.dates["termination_on"], dialog.dates["hearing_on"], dialog.dates["eviction_on"],
                   dialog.notice_rent):
        assert is_marked(widget) and not field_note(widget).isHidden()
    assert QApplication.focusWidget() is dialog.dates["termination_on"]
    dialog.notice_rent.clear()
    assert not is_marked(dialog.notice_rent) and text.count("•") == 4
    assert dialog.message.text().startswith("3 Angaben")


# ---- the intake's own draft ---------------------------------------------------------------------------------------
def _drafts(store, user) -> list:
    """The drafts as Mein Tag → Entwürfe lists them (rows with id, family name …)."""
    with store.read_session() as s:
        keys = cases.search(s, "", cases.CaseFilter(status="draft")).exact
    return cases.case_rows(store, user, keys)


def test_intake_saves_one_draft_by_itself_and_reopens_with_everything(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    dialog = IntakeDialog(store, user)
    qtbot.addWidget(dialog)
    dialog.auto_draft.setInterval(50)
    activate(qtbot, dialog)
    qtbot.keyClicks(dialog.w["given_names"], "Jonas")
    qtbot.wait(200)
    assert dialog.case_id is None and "Familienname" in dialog.draft_state.text()  # the minimum is missing
    qtbot.keyClicks(dialog.w["family_name"], "Kowalski")
    qtbot.waitUntil(lambda: dialog.draft_state.text().startswith("Entwurf gespeichert "), timeout=3000)
    first = dialog.case_id
    assert first is not None and not dialog.is_dirty()
    dialog.w["housing_note"].insertPlainText("Kündigung vom Vermieter erhalten")
    qtbot.keyClicks(dialog.w["cold_rent"], "412,50")
    qtbot.waitUntil(lambda: not dialog.is_dirty(), timeout=3000)
    assert dialog.case_id == first and len(_drafts(store, user)) == 1  # the same case, no second draft
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # everything is in the draft: closes without asking
    assert not dialog.isVisible() and answers.seen == []

    again = IntakeDialog(store, user, case_id=first)  # Mein Tag → Entwürfe opens it like this
    qtbot.addWidget(again)
    assert again.w["family_name"].text() == "Kowalski" and again.w["given_names"].text() == "Jonas"
    assert again.w["housing_note"].toPlainText() == "Kündigung vom Vermieter erhalten"
    assert again.w["cold_rent"].text() == "412,50"


def test_intake_completing_its_own_auto_draft_is_no_duplicate(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    dialog = IntakeDialog(store, user)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    qtbot.keyClicks(dialog.w["family_name"], "Kowalski")
    qtbot.keyClicks(dialog.w["given_names"], "Jonas")
    qtbot.keyClicks(dialog.w["birth_date"], "03.04.1990")
    assert dialog.save_auto_draft()
    w = dialog.w
    w["municipality"].setCurrentIndex(w["municipality"].findData("Löhne"))
    w["category"].setCurrentIndex(w["category"].findData("kuendigung"))
    assert w["category_since"].text() == TODAY.strftime("%d.%m.%Y")  # prefilled with the visit's day
    assert dialog.save(draft=False), dialog.message.text()  # no »Mögliche Doppelerfassung« about itself
    assert answers.seen == [] and _drafts(store, user) == []


# ---- lock and session end -----------------------------------------------------------------------------------------
def test_lock_keeps_the_half_typed_intake_and_contact_and_logout_keeps_the_draft(qtbot, site_paths, answers) -> None:
    from tests.ui.test_lock import unlock_with

    win = open_window(qtbot, site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    store, user = win.store, win.user
    seen = {}

    def contact(d: case_forms.ContactDialog) -> None:
        qtbot.keyClicks(d.note, "Halb getippte Notiz")
        win.lock()
        seen["contact_hidden"] = not d.isVisible()
        unlock_with(qtbot, win, COUNSELLOR_PASSWORD)
        seen["contact_after"] = (d.isVisible(), d.note.toPlainText())
        d.discard()

    answers.on(case_forms.ContactDialog, contact)
    modal.run_modal(case_forms.ContactDialog(lambda v: None, win))
    assert seen == {"contact_hidden": True, "contact_after": (True, "Halb getippte Notiz")}

    def intake_form(d: IntakeDialog) -> None:
        qtbot.keyClicks(d.w["family_name"], "Nowak")
        win.lock()  # hidden: the draft is saved before the data disappears
        seen["locked_draft"] = [r.family_name for r in _drafts(store, user)]
        unlock_with(qtbot, win, COUNSELLOR_PASSWORD)
        seen["intake_after"] = (d.isVisible(), d.w["family_name"].text())
        qtbot.keyClicks(d.w["given_names"], "Anna")
        win.lock()
        qtbot.keyClicks(d.w["phone"], "05731 1234")  # cannot happen while locked, but shows the session end saves
        win.close()  # the session ends (logout) with the intake still open

    answers.on(IntakeDialog, intake_form)
    IntakeDialog.ask(win, store, user)
    assert seen["locked_draft"] == ["Nowak"] and seen["intake_after"] == (True, "Nowak")
    drafts = _drafts(store, user)
    assert len(drafts) == 1
    kept = intake.load_intake(store, user, drafts[0].id)
    assert (kept.family_name, kept.given_names, kept.phone) == ("Nowak", "Anna", "05731 1234")
    store.close()


# ---- the wheel ----------------------------------------------------------------------------------------------------
def _wheel(widget: QWidget, steps: int = -1) -> None:
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_wheel_over_an_unfocused_combo_box_scrolls_the_intake_instead(qtbot, counsellor, qapp) -> None:
    dirty.install_wheel_guard(qapp)
    store, user = counsellor
    dialog = IntakeDialog(store, user)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    dialog.w["family_name"].setFocus()
    combo = dialog.w["municipality"]
    scroll = dialog.findChild(QScrollArea)
    before = combo.currentIndex()
    _wheel(combo)
    assert combo.currentIndex() == before and scroll.verticalScrollBar().value() > 0
    combo.setFocus()  # a focused combo box takes the wheel as before
    _wheel(combo)
    assert combo.currentIndex() != before


def test_wheel_guard_covers_spin_boxes_and_date_fields(qtbot, qapp) -> None:
    from PySide6.QtWidgets import QDateEdit, QSpinBox

    dirty.install_wheel_guard(qapp)
    holder = QWidget()
    layout = QVBoxLayout(holder)
    spin, day, other = QSpinBox(), QDateEdit(), QLineEdit()
    spin.setRange(0, 10)
    for widget in (spin, day, other):
        layout.addWidget(widget)
    qtbot.addWidget(holder)
    activate(qtbot, holder)
    other.setFocus()
    start = day.date()
    _wheel(spin, 1)
    _wheel(day.findChild(QLineEdit), 1)
    assert spin.value() == 0 and day.date() == start
    spin.setFocus()
    _wheel(spin, 1)
    assert spin.value() == 1


def test_account_dialog_lists_every_problem_at_once(qtbot, env) -> None:
    dialog = AccountDialog([Role.BERATUNG], _save(env))
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    qtbot.keyClicks(dialog.username, "B Schulz")  # a space and a capital: not a user name
    qtbot.keyClicks(dialog.password, "kurz")
    qtbot.keyClicks(dialog.repeat, "anders")
    dialog.save()
    text = dialog.status.text()
    assert dialog.isVisible() and env.saved == [] and text.startswith("4 Angaben fehlen oder stimmen nicht:")
    for widget in (dialog.username, dialog.display_name, dialog.password, dialog.repeat):
        assert is_marked(widget) and not field_note(widget).isHidden()
    assert QApplication.focusWidget() is dialog.username
    qtbot.keyClicks(dialog.display_name, "Birgit Schulz")
    assert not is_marked(dialog.display_name) and dialog.status.text().startswith("3 Angaben")


def test_housing_search_dialog_lists_every_unreadable_entry_at_once(qtbot, env) -> None:
    dialog = HousingSearchDialog(env.store, env.user, env.case_id)
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)
    qtbot.keyClicks(dialog.w["max_rent"], "viel")
    qtbot.keyClicks(dialog.w["earliest_move"], "32.13.2026")
    dialog.accept()
    assert dialog.isVisible() and dialog.message.text().startswith("2 Angaben fehlen oder stimmen nicht:")
    for name in ("max_rent", "earliest_move"):
        assert is_marked(dialog.w[name]) and not field_note(dialog.w[name]).isHidden()
    dialog.w["max_rent"].clear()
    assert not is_marked(dialog.w["max_rent"]) and is_marked(dialog.w["earliest_move"])
