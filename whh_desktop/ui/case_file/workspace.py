"""The case workspace: one case as a page of the main window (or, without one, inside a plain dialog).

A header with the case's state and urgent warnings, the parts of the case file as a side list with their counts
(never a tab bar that overflows) beside a stack of the panels, and the whole-case actions below. The page reads
the case file read model once, and again after every operation whose broadcast touches the case — at once while
it is shown, else when it is shown next (``ops.listen``); the main window re-reads it when the user comes back to
it, so a colleague's change shows too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.changes import Changes
from whh_desktop.core.domain.enums import Outcome
from whh_desktop.core.domain.formatting import fmt_date, plural
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import NotFound
from whh_desktop.core.services import case_file
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.case_file.actions import CaseActions
from whh_desktop.ui.case_file.documents import DocumentsPanel
from whh_desktop.ui.case_file.housing import HousingPanel
from whh_desktop.ui.case_file.overview import HistoryPanel, OverviewPanel
from whh_desktop.ui.case_file.panel import CasePanel
from whh_desktop.ui.case_file.records import ConsentsPanel, ContactsPanel, DeadlinesPanel, ReferralsPanel
from whh_desktop.ui.case_file.tenancy import TenancyPanel
from whh_desktop.ui.ops import listen
from whh_desktop.ui.widgets.applications import ApplicationsTab
from whh_desktop.ui.widgets.help_plan import HelpPlanPanel, SuchthilfePanel
from whh_desktop.ui.widgets.screen_fit import PageStack

Count = Callable[[CaseFile], int] | None


def _help_plan_count(cf: CaseFile) -> int:
    return len(cf.help_plan.goals) if cf.help_plan is not None else 0


# The parts in the order of the side list: name (as My Day and the lists name them) and what the count counts.
PARTS: tuple[tuple[str, Count], ...] = (
    ("Überblick", None),
    ("Kontakte", lambda cf: len(cf.contacts)),
    ("Miete und Räumung", lambda cf: len(cf.proceedings)),
    ("Fristen", lambda cf: len(cf.deadlines)),
    ("Anträge", lambda cf: len(cf.applications)),
    ("Vermittlungen", lambda cf: len(cf.referrals)),
    ("Einwilligungen", lambda cf: len(cf.consents)),
    ("Dokumente", lambda cf: len(cf.documents)),
    ("Wohnungssuche", lambda cf: len(cf.searches)),
    ("Hilfeplan", _help_plan_count),
    ("Suchthilfe", lambda cf: len(cf.suchthilfe or ())),
    ("Verlauf", None),
)
# Alt+1 … Alt+9, Alt+0 pick the first ten parts; Ctrl+1 … Ctrl+9 are the main window's areas, and Alt+letters
# are the panels' buttons' mnemonics. Alt+Bild ab/auf step through all parts.
PART_KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0")
CONTACT_KEY = "Ctrl+K"
CLOSE_KEY = "Ctrl+W"


class CaseWorkspace(CaseActions, QWidget):
    """One case: every change made from here is an operation, and its broadcast re-reads the page."""

    close_requested = Signal()  # the user closes the page (Strg+W, the button) or the case was erased
    title_changed = Signal(str)

    def __init__(self, store: Store, user: CurrentUser, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user, self.case_id = store, user, case_id
        self.erased = False
        self.closed_page = False
        self.setObjectName("case_workspace")
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b71c1c; font-weight: bold;")
        args = (store, user, case_id)
        self.overview_panel, self.contacts_panel = OverviewPanel(*args), ContactsPanel(*args)
        self.tenancy_panel, self.deadlines_panel = TenancyPanel(*args), DeadlinesPanel(*args)
        self.applications_tab = ApplicationsTab(store, user, case_id, standalone=False)
        self.referrals_panel, self.consents_panel = ReferralsPanel(*args), ConsentsPanel(*args)
        self.documents_panel, self.housing_panel = DocumentsPanel(*args), HousingPanel(*args)
        self.help_plan, self.suchthilfe_panel = HelpPlanPanel(*args), SuchthilfePanel(*args)
        self.history_panel = HistoryPanel(*args)
        self.panels: tuple[CasePanel, ...] = (
            self.overview_panel, self.contacts_panel, self.tenancy_panel, self.deadlines_panel,
            self.applications_tab, self.referrals_panel, self.consents_panel, self.documents_panel,
            self.housing_panel, self.help_plan, self.suchthilfe_panel, self.history_panel)

        self.parts = QListWidget()
        self.parts.setObjectName("case_parts")
        self.parts.setAccessibleName("Teile der Fallakte")
        self.parts.setAccessibleDescription("Mit den Pfeiltasten wählen; Alt+1 bis Alt+0 springen direkt, "
                                            "Alt+Bild ab/auf zum nächsten/vorigen Teil")
        self.parts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.parts.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.parts.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.parts.setStyleSheet("QListWidget#case_parts::item { padding: 5px 8px; }")
        self.stack = PageStack()  # sized by the shown part only: one wide part must not widen every other one
        self.stack.setObjectName("case_part_pages")
        self.stack.currentChanged.connect(lambda _index: self.stack.updateGeometry())
        for index, ((name, _count), panel) in enumerate(zip(PARTS, self.panels, strict=True)):
            item = QListWidgetItem(name, self.parts)
            key = f"Alt+{PART_KEYS[index]}" if index < len(PART_KEYS) else ""
            item.setToolTip(f"{name} – {key}" if key else f"{name} – Alt+Bild ab/auf")
            self.stack.addWidget(panel)
            if key:
                self._shortcut(key, lambda i=index: self.select_part(i))
        self._shortcut("Alt+PgDown", lambda: self.select_part((self.parts.currentRow() + 1) % len(PARTS)))
        self._shortcut("Alt+PgUp", lambda: self.select_part((self.parts.currentRow() - 1) % len(PARTS)))
        self._shortcut(CONTACT_KEY, self.add_contact)
        self.parts.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.parts.setCurrentRow(0)

        self.build_actions()
        self.contact_button = QPushButton("Neuer Kontakt…")
        self.contact_button.setToolTip(f"Einen Kontakt erfassen – {_german(CONTACT_KEY)}")
        self.contact_button.clicked.connect(self.add_contact)
        self.done_button = QPushButton("Akte s&chließen")
        self.done_button.setToolTip(f"Die Akte aus der Ansicht nehmen; am Fall ändert das nichts – "
                                    f"{_german(CLOSE_KEY)}")
        self.done_button.clicked.connect(self.close_page)
        buttons = QHBoxLayout()
        buttons.addWidget(self.contact_button)
        buttons.addWidget(self.privacy_button)
        buttons.addStretch()
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.reopen_button)
        buttons.addWidget(self.done_button)
        body = QHBoxLayout()
        body.addWidget(self.parts)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.warning)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        self.setFocusProxy(self.parts)
        # re-read at once while shown, else when shown next (a hidden page costs nothing)
        listen(self, self._wants, self.reload)
        self._show(case_file.open_case(store, user, case_id))  # a case that is gone raises NotFound here

    def _shortcut(self, key: str, slot: Callable[[], object]) -> QShortcut:
        shortcut = QShortcut(QKeySequence(key), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)
        return shortcut

    def _wants(self, changes: Changes) -> bool:
        return not self.erased and not self.closed_page and changes.touches_case(self.case_id)

    # ---- parts -----------------------------------------------------------------------------------------------
    def part_names(self) -> list[str]:
        return [name for name, _count in PARTS]

    def current_part(self) -> str:
        return PARTS[self.parts.currentRow()][0]

    def hasHeightForWidth(self) -> bool:
        """No: the main window's scroll area would size the page by the header's wrapped height at the preferred
        size of every part (887 px at 1366×768) and scroll it; the page fits its minimum and its parts stretch."""
        return False

    def select_part(self, index: int) -> None:
        self.parts.setCurrentRow(index)
        self.parts.setFocus()

    def show_part(self, name: str) -> QWidget:
        """Bring the part called ``name`` to the front (an unknown or empty name leaves the page as it is)."""
        names = self.part_names()
        if name in names:
            self.parts.setCurrentRow(names.index(name))
        return self.stack.currentWidget()

    def add_contact(self) -> None:
        """Strg+K: a contact is the most frequent entry — from anywhere in the page, one keystroke."""
        if not self.contacts_panel.add_contact_button.isEnabled():
            QApplication.beep()
            return
        self.show_part("Kontakte")
        self.contacts_panel.add_contact()

    def close_page(self) -> None:
        if not self.closed_page:
            self.closed_page = True
            self.close_requested.emit()

    def refresh(self) -> None:
        """The main window calls this when the page is shown: a colleague's change shows too."""
        if not self.erased and not self.closed_page:
            self.reload()

    # ---- showing ---------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the case file once and show it in every part."""
        try:
            cf = case_file.open_case(self.store, self.user, self.case_id)
        except NotFound:  # deleted or erased elsewhere: nothing left to show
            self.erased = True
            self.close_page()
            return
        self._show(cf)

    def _show(self, cf: CaseFile) -> None:
        self.data = cf
        self.read_only = cf.read_only
        c = cf.case
        self.setWindowTitle(f"Fallakte {cf.title}")
        self.title_changed.emit(cf.title)
        self.header.setText(f"<b style='font-size:14pt'>{cf.title}</b><br>Status: {labels.case_status(c.status)} · "
                            f"aufgenommen am {fmt_date(c.opened_on)} · fallführend: {cf.who(c.counsellor)}"
                            + (f" · abgeschlossen am {fmt_date(c.closed_on)} ({Outcome(c.outcome).label})"
                               if c.closed_on and c.outcome else "")
                            + (" · <b>Verarbeitung eingeschränkt (Art. 18)</b>" if c.restricted else "")
                            + (f"<br><b>Nur lesen:</b> Fall des Standorts {_site_label(c.owner_site)} – Änderungen "
                               "macht nur der Standort." if cf.read_only else ""))
        warnings = cf.warnings() + [f"{d.kind.label}: fällig am {fmt_date(d.due_on)}" for d in cf.urgent]
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))
        for panel in self.panels:
            panel.show_file(cf)
        self._show_counts(cf)
        self.enable_actions()
        self.contact_button.setEnabled(cf.editable)

    def _show_counts(self, cf: CaseFile) -> None:
        for row, (name, count) in enumerate(PARTS):
            n = count(cf) if count is not None else 0
            item = self.parts.item(row)
            item.setText(f"{name} ({n})" if n else name)
            spoken = f"{name}, {plural(n, 'Eintrag', 'Einträge')}" if n else name
            item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
        self._fit_parts()

    def _fit_parts(self) -> None:
        """As wide as the longest part name with its count (at least three digits wide, so the list does not
        jump from case to case): nothing elided, no sideways scrolling."""
        metrics = self.parts.fontMetrics()
        texts = [f"{name} (999)" for name, _count in PARTS] + [self.parts.item(r).text()
                                                                for r in range(self.parts.count())]
        widest = max(metrics.horizontalAdvance(text) for text in texts)
        scrollbar = self.parts.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.parts.setFixedWidth(widest + 2 * 8 + 2 * self.parts.frameWidth() + scrollbar + 12)


def _german(key: str) -> str:
    """A shortcut as a German keyboard labels it (Qt names it in English without a translation loaded)."""
    return key.replace("Ctrl", "Strg").replace("Shift", "Umschalt").replace("PgDown", "Bild ab").replace(
        "PgUp", "Bild auf")


def _site_label(code: str) -> str:
    try:
        return SiteCode(code).label
    except ValueError:
        return code
