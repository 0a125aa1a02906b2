"""The window walk (issue 18): every window of the app, opened on a store with a full case, checked for what makes
the keyboard and small screens fail. tests/ui/test_window_walk.py runs this file in child processes with an
offscreen screen of 1366×768 at 100 % and at 150 % (QT_SCALE_FACTOR is read when the QApplication starts).

A window fails on
  (a) the same mnemonic letter twice among the visible buttons, labels with buddies, group boxes, tabs and menus,
  (b) a button, check box, label, group box title or tab whose text does not fit, or a window larger than the
      screen's available geometry,
  (c) a form that opens without the focus in its first input field.

``WINDOWS`` names a factory for every dialog class under whh_desktop.ui (test_window_walk checks that none is
missing) and the main window of each role with every area.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenuBar,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QWidget,
    QWizard,
)

from tests.conftest import (
    ADMIN,
    ADMIN_PASSWORD,
    COUNSELLOR,
    COUNSELLOR_PASSWORD,
    KREIS_PASSWORD,
    KREIS_USER,
)
from whh_desktop.core.services import login
from whh_desktop.paths import DataPaths
from whh_desktop.ui import workers
from whh_desktop.ui.dirty import Protected

SCREEN_PX = QSize(1366, 768)  # the smallest screen the network uses (DESIGN §6)


# ---- the checks -------------------------------------------------------------------------------------------------
def _shown(w: QWidget) -> bool:
    return w.isVisible() and w.width() > 0


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&\s])", text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _where(w: QWidget) -> str:
    return f"{type(w).__name__}{'#' + w.objectName() if w.objectName() else ''}"


def mnemonics(root: QWidget) -> dict[str, list[str]]:
    """Mnemonic letter -> the texts that carry it, over everything shown in ``root`` (its own window)."""
    found: dict[str, list[str]] = {}

    def add(text: str) -> None:
        if letter := _mnemonic(text):
            found.setdefault(letter, []).append(_plain(text))

    for w in [root, *root.findChildren(QWidget)]:
        if not _shown(w) or (w is not root and w.isWindow()):
            continue
        if isinstance(w, QAbstractButton) or (isinstance(w, QLabel) and w.buddy() is not None):
            add(w.text())  # a disabled button keeps its letter: it clashes as soon as it is enabled
        elif isinstance(w, QGroupBox):
            add(w.title())
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if w.isTabVisible(i):
                    add(w.tabText(i))
        elif isinstance(w, QMenuBar):
            for action in w.actions():
                add(action.text())
    return found


def mnemonic_clashes(root: QWidget) -> list[str]:
    return [f"Alt+{letter.upper()}: {' | '.join(texts)}" for letter, texts in sorted(mnemonics(root).items())
            if len(texts) > 1]


def _label_need(label: QLabel) -> int:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or (label.textFormat() == Qt.TextFormat.AutoText
                                                       and re.search(r"<[a-zA-Z/][^>]*>", text)):
        doc = QTextDocument()
        doc.setHtml(text)
        text = doc.toPlainText()
    elif label.buddy() is not None:
        text = _plain(text)
    fm = label.fontMetrics()
    lines = [line for line in text.splitlines() if line.strip()]
    if label.wordWrap():
        return max((fm.horizontalAdvance(word) for line in lines for word in line.split()), default=0)
    return max((fm.horizontalAdvance(line) for line in lines), default=0)


def overflows(root: QWidget) -> list[str]:
    """Every shown text that is cut, as 'where: text (need > have px)'."""
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not _shown(w) or (w is not root and w.isWindow()):
            continue
        style, fm = w.style(), w.fontMetrics()
        need = have = 0
        text = ""
        if isinstance(w, QPushButton) and w.text() and w.menu() is None:
            text = _plain(w.text())
            icon = w.iconSize().width() + 4 if not w.icon().isNull() else 0
            need = fm.horizontalAdvance(text) + icon
            have = w.width() - style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, w) \
                - 2 * style.pixelMetric(QStyle.PixelMetric.PM_DefaultFrameWidth, None, w)
        elif isinstance(w, QToolButton) and w.text() and w.toolButtonStyle() != Qt.ToolButtonStyle.ToolButtonIconOnly:
            text = _plain(w.text())
            need, have = fm.horizontalAdvance(text), w.width() - 6
        elif isinstance(w, QCheckBox | QRadioButton) and w.text():
            text = _plain(w.text())
            check = isinstance(w, QCheckBox)
            indicator = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth if check
                                          else QStyle.PixelMetric.PM_ExclusiveIndicatorWidth, None, w)
            spacing = style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing if check
                                        else QStyle.PixelMetric.PM_RadioButtonLabelSpacing, None, w)
            need, have = fm.horizontalAdvance(text) + indicator + spacing, w.width()
        elif isinstance(w, QLabel) and w.text() and w.pixmap().isNull():
            text = w.text()
            need = _label_need(w)
            have = w.contentsRect().width() - 2 * w.margin() - max(w.indent(), 0)
        elif isinstance(w, QGroupBox) and w.title():
            text = _plain(w.title())
            extra = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, w) + 6 if w.isCheckable() else 0
            need, have = fm.horizontalAdvance(text) + extra, w.width() - 8
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                if not w.isTabVisible(i):
                    continue
                rect, hint = w.tabRect(i), w.tabSizeHint(i)
                if rect.width() < hint.width() or not w.rect().contains(rect):
                    out.append(f"{_where(w)}: Reiter »{_plain(w.tabText(i))}« abgeschnitten oder verdeckt")
            continue
        else:
            continue
        if need > have:
            out.append(f"{_where(w)}: »{text[:60]}« ({need} > {have} px)")
    return out


def screen_size() -> QSize:
    return QGuiApplication.primaryScreen().availableGeometry().size()


def too_big(window: QWidget) -> list[str]:
    screen, least = screen_size(), window.minimumSizeHint().expandedTo(window.minimumSize())
    if least.width() > screen.width() or least.height() > screen.height():
        return [f"{_where(window)} braucht mindestens {least.width()}×{least.height()}, "
                f"der Bildschirm hat {screen.width()}×{screen.height()}"]
    return []


def opens_too_big(window: QWidget) -> list[str]:
    screen, size = screen_size(), window.size()
    if size.width() > screen.width() or size.height() > screen.height():
        return [f"{_where(window)} öffnet mit {size.width()}×{size.height()}, "
                f"der Bildschirm hat {screen.width()}×{screen.height()}"]
    return []


INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit, QCheckBox, QRadioButton)


def _editable(w: QWidget) -> bool:
    if not isinstance(w, INPUTS) or not w.isEnabled() or w.focusPolicy() == Qt.FocusPolicy.NoFocus:
        return False
    if isinstance(w, QLineEdit) and (w.isReadOnly() or isinstance(w.parent(), QComboBox | QAbstractSpinBox)):
        return False
    return not (isinstance(w, QPlainTextEdit | QTextEdit) and w.isReadOnly())


def input_fields(window: QWidget) -> list[QWidget]:
    """The shown inputs in reading order: top to bottom, then left to right."""
    fields = [w for w in window.findChildren(QWidget) if _shown(w) and _editable(w) and w.window() is window]
    return sorted(fields, key=lambda w: (w.mapTo(window, w.rect().topLeft()).y() // 8,
                                         w.mapTo(window, w.rect().topLeft()).x()))


def _filled(w: QWidget) -> bool:
    return bool(w.text() if isinstance(w, QLineEdit) else w.toPlainText() if isinstance(w, QPlainTextEdit) else "")


def focus_problem(window: QWidget) -> list[str]:
    """The focus must be in the first field, or in the first empty text field below filled-in ones (the login with
    the last user name given)."""
    fields = input_fields(window)
    if not fields:
        return []
    allowed = [fields[0]]
    for w in fields:
        if not _filled(w):
            break
        allowed.append(fields[fields.index(w) + 1] if w is not fields[-1] else w)
    first, focus = fields[0], QApplication.focusWidget()
    if focus is not None and any(focus is w or w.isAncestorOf(focus) for w in allowed):
        return []
    label = first.accessibleName() or _where(first)
    got = "nichts" if focus is None else (focus.accessibleName() or _where(focus))
    return [f"Fokus beim Öffnen auf {got}, nicht auf dem ersten Feld »{label}«"]


# ---- the world the windows open on ----------------------------------------------------------------------------
@dataclass
class World:
    site: DataPaths
    district: DataPaths
    case_id: uuid.UUID
    opened: list[Any] = field(default_factory=list)

    def open(self, paths: DataPaths, username: str, password: str):
        store, user = login.unlock(paths, username, password)
        self.opened.append(store)
        return store, user

    @property
    def counsellor(self):
        return self.open(self.site, COUNSELLOR, COUNSELLOR_PASSWORD)

    @property
    def admin(self):
        return self.open(self.site, ADMIN, ADMIN_PASSWORD)

    @property
    def kreis(self):
        return self.open(self.district, KREIS_USER, KREIS_PASSWORD)

    def case_file(self):
        from whh_desktop.core.services import case_file

        store, user = self.counsellor
        return store, user, case_file.open_case(store, user, self.case_id)


@pytest.fixture(scope="module")
def _stores(_template, _district_template, tmp_path_factory) -> tuple[DataPaths, DataPaths, uuid.UUID]:
    from tests.core.test_data_report import _full_case
    from whh_desktop.core.demo import fill_demo
    from whh_desktop.core.services import fristen, landlords, offers

    root = tmp_path_factory.mktemp("walk")
    shutil.copytree(_template.paths.root, root / "site")
    shutil.copytree(_district_template.root, root / "district")
    site = DataPaths(root / "site")
    store, user = login.unlock(site, COUNSELLOR, COUNSELLOR_PASSWORD)
    try:
        case_id, _ = _full_case(store, user)
        fill_demo(store, user.username, 40, seed=7)
        fristen.add_follow_up(store, user, case_id, date.today() + timedelta(days=3), "Jobcenter nachfragen")
        with store.session(user.username) as s:  # the register comes from the Kreis: written as a package would
            landlord = landlords.create_in(s, landlords.LandlordData(
                "Wohnbau Werre GmbH", street="Bahnhofstraße 1", plz="32584", city="Löhne"))
            s.flush()
            offers.create_in(s, offers.OfferData("Am Markt 4", "Bünde", 58.0, 2.0, 45000, 9000, plz="32257",
                                                 landlord_id=landlord.id))
    finally:
        store.close()
    return site, DataPaths(root / "district"), case_id


@pytest.fixture
def world(_stores) -> Iterator[World]:
    w = World(*_stores)
    yield w
    for store in w.opened:
        store.close()


# ---- the registry ---------------------------------------------------------------------------------------------
Factory = Callable[[World], QWidget]


@dataclass(frozen=True)
class Entry:
    make: Factory
    form: bool = True  # opens to be typed into: the first field must have the focus
    known: str = ""  # a finding another helper's work removes: the entry is a strict xfail until then


def _none(*_args) -> None:
    return None


def _case_forms() -> dict[str, Entry]:
    from whh_desktop.core.services import cases
    from whh_desktop.ui.dialogs import case_forms as cf

    def referral_status(w: World) -> QWidget:
        _store, _user, data = w.case_file()
        return cf.ReferralStatusDialog(_none, data.referrals[0])

    def override(w: World) -> QWidget:
        _store, _user, data = w.case_file()
        return cf.OverrideDialog(_none, data.deadlines[0] if data.deadlines else _due_item(w))

    def eviction(w: World) -> QWidget:
        _store, _user, data = w.case_file()
        return cf.EvictionDialog(_none, data.proceedings[0])

    def close(w: World) -> QWidget:
        store, user, _data = w.case_file()
        return cf.CloseDialog(_none, check=cases.closing_check(store, user, w.case_id))

    return {
        "ContactDialog": Entry(lambda w: cf.ContactDialog(_none)),
        "CloseDialog": Entry(close),
        "EvictionDialog": Entry(eviction),
        "RentEntryDialog": Entry(lambda w: cf.RentEntryDialog(_none)),
        "ReferralDialog": Entry(lambda w: cf.ReferralDialog(_none, lambda target: (True, ""))),
        "ReferralStatusDialog": Entry(referral_status),
        "ConsentDialog": Entry(lambda w: cf.ConsentDialog(_none)),
        "RevokeDialog": Entry(lambda w: cf.RevokeDialog(_none)),
        "FollowUpDialog": Entry(lambda w: cf.FollowUpDialog(_none)),
        "OverrideDialog": Entry(override),
        "HandoverDialog": Entry(lambda w: cf.HandoverDialog(_none, "loehne")),
    }


def _due_item(w: World):
    from whh_desktop.core.domain.deadlines import DeadlineKind
    from whh_desktop.core.services import fristen

    today = date.today()
    return fristen.DueItem(uuid.uuid4(), w.case_id, "LOE-2026-0001", "Wiśniewska, Agnieszka", DeadlineKind.SCHONFRIST,
                           today, today, today, "Zwei Monate nach Zustellung der Räumungsklage (§ 569 BGB).",
                           {"Zustellung der Räumungsklage": "02.01.2026"}, [], None, COUNSELLOR, None, "Birgit Schulz")


def _application(w: World):
    return w.case_file()[2].applications[0].application


def _dialogs() -> dict[str, Entry]:
    from whh_desktop.core.domain.enums import Role
    from whh_desktop.core.domain.housing import ProposalStep
    from whh_desktop.core.services import courts, kdu_tables, letters, sync_keys
    from whh_desktop.core.services.address_book import EntryData
    from whh_desktop.ui import workers
    from whh_desktop.ui.dialogs import (
        about,
        account_dialog,
        case_file,
        change_password,
        handbook,
        housing_search,
        intake,
        kdu_check,
        landlord_dialogs,
        letter,
        offer_dialogs,
        recovery,
        setup_wizard,
    )
    from whh_desktop.ui.dialogs import (
        login as login_dialog,
    )
    from whh_desktop.ui.views import duplicates, exchange_keys, kdu_admin, kdu_rules
    from whh_desktop.ui.views.admin import address_book
    from whh_desktop.ui.views.admin import letters as letters_admin
    from whh_desktop.ui.widgets import applications as apps_ui
    from whh_desktop.ui.widgets import help_plan

    def case_dialog(make: Callable[..., QWidget]) -> Factory:
        def factory(w: World) -> QWidget:
            store, user = w.counsellor
            return make(store, user, w.case_id)
        return factory

    def landlord_id(w: World):
        from whh_desktop.core.services import landlords

        store, user = w.counsellor
        with store.read_session() as s:
            return store, user, landlords.list_landlords(s)[0].id

    def offer_id(w: World):
        from whh_desktop.core.services import offers

        store, user = w.counsellor
        with store.read_session() as s:
            return store, user, offers.list_offers(s)[0].id

    def proposal(w: World):
        _store, _user, data = w.case_file()
        return data.proposals[0]

    def key_info(w: World):
        store, _user = w.admin
        return sync_keys.list_keys(store)[0] if sync_keys.list_keys(store) else sync_keys.KeyInfo(
            "k1", "loehne", "site", "ABCD EFGH", "2026-12-01", ADMIN, None, None, None)

    def kdu_version(w: World):
        store, _user = w.admin
        with store.read_session() as s:
            return kdu_tables.versions(s)[0]

    def rendered(w: World) -> QWidget:
        store, user = w.admin
        controller = letters_admin.LettersController(store, user)
        kind = controller.rows()[0].kind
        return letters_admin.PreviewDialog(kind.title, controller.preview(kind, controller.source(kind.code)[0]))

    def template(w: World) -> QWidget:
        store, user = w.admin
        controller = letters_admin.LettersController(store, user)
        return letters_admin.TemplateDialog(controller, controller.rows()[0].kind)

    return {
        **_case_forms(),
        "LoginDialog": Entry(lambda w: login_dialog.LoginDialog(w.site)),
        "RecoveryDialog": Entry(lambda w: recovery.RecoveryDialog(w.site, COUNSELLOR)),
        "ChangePasswordDialog": Entry(lambda w: change_password.ChangePasswordDialog(*w.counsellor)),
        "AccountDialog": Entry(lambda w: account_dialog.AccountDialog([Role.BERATUNG, Role.ADMIN], _none)),
        "RoleDialog": Entry(lambda w: account_dialog.RoleDialog("Birgit Schulz", [Role.BERATUNG, Role.ADMIN],
                                                                Role.BERATUNG)),
        "AboutDialog": Entry(lambda w: about.AboutDialog(w.admin[0]), form=False),
        "SystemcheckDialog": Entry(lambda w: about.SystemcheckDialog(w.admin[0]), form=False),
        "HandbookDialog": Entry(lambda w: handbook.HandbookDialog()),
        "SetupWizard": Entry(lambda w: setup_wizard.SetupWizard(DataPaths(w.site.root.parent / "new"))),
        "IntakeDialog": Entry(lambda w: intake.IntakeDialog(*w.counsellor)),
        "CaseFileDialog": Entry(case_dialog(lambda s, u, c: case_file.CaseFileDialog(s, u, c)), form=False),
        "LetterDialog": Entry(case_dialog(lambda s, u, c: letter.LetterDialog(s, u, c))),
        "ForceDialog": Entry(lambda w: letter.ForceDialog([letters.Finding("x", False, "Die Anschrift fehlt.")]),
                             form=False),
        "KduCheckDialog": Entry(lambda w: kdu_check.KduCheckDialog(*w.counsellor)),
        "HousingSearchDialog": Entry(case_dialog(lambda s, u, c: housing_search.HousingSearchDialog(s, u, c))),
        "ProposeDialog": Entry(lambda w: housing_search.ProposeDialog(_none, "Am Markt 4, Bünde")),
        "ProposalStepDialog": Entry(lambda w: housing_search.ProposalStepDialog(
            _none, ProposalStep.BESICHTIGUNG, proposal(w))),
        "OfferDialog": Entry(lambda w: offer_dialogs.OfferDialog(_none, [(uuid.uuid4(), "Wohnbau Werre GmbH")])),
        "StatusDialog": Entry(lambda w: offer_dialogs.StatusDialog(_none, "frei", False)),
        "OfferDetailDialog": Entry(lambda w: offer_dialogs.OfferDetailDialog(*offer_id(w)), form=False),
        "LandlordDialog": Entry(lambda w: landlord_dialogs.LandlordDialog(_none)),
        "ContactNoteDialog": Entry(lambda w: landlord_dialogs.ContactNoteDialog(_none)),
        "MergeDialog": Entry(lambda w: landlord_dialogs.MergeDialog(
            _none, "Wohnbau Werre GmbH", [(uuid.uuid4(), "Wohnbau Werre")])),
        "LandlordDetailDialog": Entry(lambda w: landlord_dialogs.LandlordDetailDialog(*landlord_id(w)), form=False),
        "RejectDialog": Entry(lambda w: landlord_dialogs.RejectDialog(_none, "Am Markt 4, Bünde")),
        "duplicates.DecisionDialog": Entry(lambda w: duplicates.DecisionDialog(_none, True, "A – B")),
        "EntryDialog": Entry(lambda w: address_book.EntryDialog(_none, EntryData("jobcenter", "Jobcenter Herford"))),
        "PreviewDialog": Entry(rendered, form=False),
        "TemplateDialog": Entry(template),
        "KarenzzeitRuleDialog": Entry(lambda w: kdu_rules.KarenzzeitRuleDialog(_none)),
        "CourtDialog": Entry(lambda w: kdu_rules.CourtDialog(_none, courts.CourtRow(None, "Löhne", ""))),
        "ConfirmKeyDialog": Entry(lambda w: exchange_keys.ConfirmKeyDialog(_none, "ABCD EFGH", "Löhne")),
        "RevokeKeyDialog": Entry(lambda w: exchange_keys.RevokeKeyDialog(_none, key_info(w))),
        "KduVersionDialog": Entry(lambda w: kdu_admin.KduVersionDialog(_none, kdu_tables.seed_table())),
        "EndVersionDialog": Entry(lambda w: kdu_admin.EndVersionDialog(_none, kdu_version(w))),
        "GoalDialog": Entry(lambda w: help_plan.GoalDialog(_none)),
        "ServiceDialog": Entry(lambda w: help_plan.ServiceDialog(
            _none, lambda kind: w.case_file()[2].help_plan.service_consent[kind.value])),
        "ConferenceDialog": Entry(lambda w: help_plan.ConferenceDialog(_none)),
        "StageDialog": Entry(lambda w: help_plan.StageDialog(_none)),
        "ApplicationDialog": Entry(lambda w: apps_ui.ApplicationDialog(_none, [])),
        "applications.DecisionDialog": Entry(lambda w: apps_ui.DecisionDialog(_none, _application(w))),
        "ObjectionDialog": Entry(lambda w: apps_ui.ObjectionDialog(_none, [])),
        "ObjectionDecisionDialog": Entry(lambda w: apps_ui.ObjectionDecisionDialog(_none)),
        # Variants that show other rows or buttons: "Class (how)".
        "LandlordDialog (Vorschlag)": Entry(lambda w: landlord_dialogs.LandlordDialog(_none, propose=True)),
        "OfferDialog (Meldung)": Entry(lambda w: offer_dialogs.OfferDialog(
            _none, [(uuid.uuid4(), "Wohnbau Werre GmbH")], propose=True)),
        "StatusDialog (Kreis)": Entry(lambda w: offer_dialogs.StatusDialog(_none, "frei", True)),
        "ChangePasswordDialog (Startpasswort)": Entry(lambda w: change_password.ChangePasswordDialog(
            *w.counsellor, old_password=COUNSELLOR_PASSWORD, forced=True)),
        "AccountDialog (Passwort)": Entry(lambda w: account_dialog.AccountDialog(
            [Role.BERATUNG], _none, mode="reset", username=COUNSELLOR, display_name="Birgit Schulz")),
        "EntryDialog (Ansicht)": Entry(lambda w: address_book.EntryDialog(
            _none, EntryData("jobcenter", "Jobcenter Herford"), read_only=True), form=False),
        "duplicates.DecisionDialog (verschieden)": Entry(lambda w: duplicates.DecisionDialog(_none, False, "A – B")),
        "ProgressDialog": Entry(lambda w: workers.ProgressDialog("Sicherung läuft …", None, True), form=False),
    }


# Not windows of their own: the base class every small form derives from.
ABSTRACT = {"FormDialog", "FormWindow"}  # bases: their subclasses are walked

ROLES = {"Beratung": "counsellor", "Verwaltung": "admin", "Kreis": "kreis"}


def registry() -> dict[str, Entry]:
    return _dialogs()


def class_key(name: str) -> str:
    """The dialog class a registry entry opens: its name without the variant in brackets."""
    return name.split(" (")[0]


def dialog_key(cls: type) -> str:
    """The registry name of a dialog class: its name, with the module where two classes share it."""
    return f"{cls.__module__.rsplit('.', 1)[-1]}.{cls.__name__}" if cls.__name__ == "DecisionDialog" \
        else cls.__name__


# ---- the walk -------------------------------------------------------------------------------------------------
def settle(_window: QWidget | None = None) -> None:
    """Let the windows come to rest before anything is measured: background jobs an area starts when first shown
    (Berichte computes its reports) end and deliver their results first. Under load a result used to land between
    the layout and the measurement (a label 6 px wide in the 150 % walk of the Kreis)."""
    for _ in range(3):
        QApplication.processEvents()
    for _ in range(5):  # a job's result may start another one
        if not workers.running_jobs():
            break
        workers.wait_all(30_000)
        for _ in range(3):
            QApplication.processEvents()


def show(qtbot, window: QWidget) -> None:
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    settle(window)


def problems(window: QWidget) -> list[str]:
    return too_big(window) + mnemonic_clashes(window) + overflows(window)


def fit_to_screen(window: QWidget) -> None:
    screen = screen_size()
    if window.width() > screen.width() or window.height() > screen.height():
        window.resize(window.size().boundedTo(screen))
        settle(window)


def _params() -> list:
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=entry.known)) if entry.known else name
            for name, entry in sorted(registry().items())]


@pytest.mark.parametrize("name", _params())
def test_dialog(qtbot, world, name) -> None:
    entry = registry()[name]
    dialog = entry.make(world)
    show(qtbot, dialog)
    found = (focus_problem(dialog) if entry.form else []) + opens_too_big(dialog)
    fit_to_screen(dialog)
    found += problems(dialog)
    if isinstance(dialog, QWizard):
        found += _wizard_pages(qtbot, dialog)
    for tabs in dialog.findChildren(QTabWidget):
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            settle(dialog)
            found += [f"Reiter {_plain(tabs.tabText(i))}: {p}" for p in problems(dialog)]
    if isinstance(dialog, Protected):  # the wizard's later pages filled in suggestions: nothing to ask about here
        dialog.closing_without_asking()
    dialog.close()
    assert not sorted(set(found)), f"{name}:\n  " + "\n  ".join(sorted(set(found)))


def _wizard_pages(qtbot, wizard: QWizard) -> list[str]:
    """Each later page, shown by restarting the wizard on it (walking there needs valid input on every page)."""
    found: list[str] = []
    for page_id in wizard.pageIds()[1:]:
        wizard.setStartId(page_id)
        wizard.restart()
        settle(wizard)
        title = wizard.currentPage().title() or str(page_id)
        found += [f"Seite {title}: {p}" for p in focus_problem(wizard) + problems(wizard)]
    return found


def _walk_main(qtbot, world: World, role: str) -> list[str]:
    from whh_desktop.core.domain.enums import Role
    from whh_desktop.ui.main_window import MainWindow

    store, user = getattr(world, ROLES[role])
    win = MainWindow(store, user)
    qtbot.addWidget(win)
    win.show()
    settle(win)
    found = opens_too_big(win) + too_big(win)
    win.resize(screen_size())  # maximised: the walk checks what fits on the whole screen
    settle(win)
    for row in range(win.nav.count()):
        win.nav.setCurrentRow(row)
        settle(win)
        area = win.nav.item(row).text()
        page = win.pages.currentWidget()
        tab_widgets = [t for t in page.findChildren(QTabWidget) if t.isVisible()]
        views = [(area, None, 0)] + [(area, t, i) for t in tab_widgets for i in range(t.count())]
        for label, tabs, index in views:
            where = label
            if tabs is not None:
                tabs.setCurrentIndex(index)
                settle(win)
                where = f"{label} / {_plain(tabs.tabText(index))}"
            found += [f"{where}: {p}" for p in mnemonic_clashes(win) + overflows(win)]
    if user.role is Role.BERATUNG:  # the case as a page of the main window, each of its parts
        page = win.open_case_page(world.case_id)
        settle(win)
        for index in range(page.parts.count()):
            page.select_part(index)
            settle(win)
            where = f"Fall / {page.parts.item(index).text()}"
            found += [f"{where}: {p}" for p in mnemonic_clashes(win) + overflows(win)]
    win.close()
    return sorted(set(found))


@pytest.mark.parametrize("role", sorted(ROLES))
def test_main_window(qtbot, world, role) -> None:
    found = _walk_main(qtbot, world, role)
    assert not found, f"Hauptfenster ({role}):\n  " + "\n  ".join(found)

