"""Fristen: every open deadline, overdue first, with its rule and inputs; override with a reason, mark done."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.services import fristen
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.dialogs.case_file import open_case
from whh_desktop.ui.dialogs.case_forms import OverrideDialog, rule_html
from whh_desktop.ui.modal import accepted
from whh_desktop.ui.ops import Op, listen, wants
from whh_desktop.ui.widgets.tables import ReadOnlyTable

SHOWN = 500  # the most urgent first; a longer list is not a work list any more
STATE_COLORS = {"überfällig": "#ffcdd2", "heute": "#ffe0b2", "bald": "#fff9c4"}


class FristenView(QWidget):
    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None) -> None:
        super().__init__()
        self.store, self.user, self.shell = store, user, shell
        self.mine = QCheckBox("Nur &meine Fristen")
        self.mine.setChecked(True)
        self.mine.toggled.connect(self.refresh)
        self.table = ReadOnlyTable(["Fällig", "Stand", "Art", "Aktenzeichen", "Person", "Zuständig", "Hinweis"],
                                   "Fristen", "deadline_table")
        self.table.itemSelectionChanged.connect(self._show_rule)
        self.table.itemActivated.connect(lambda _item: self.open_case())
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.rule.setAccessibleName("Regel und Eingaben")
        self.override_button = QPushButton("Frist a&bweichend setzen…")
        self.override_button.clicked.connect(self.override)
        self.done_button = QPushButton("&Erledigt")
        self.done_button.clicked.connect(self.mark_done)
        top = QHBoxLayout()
        top.addWidget(self.mine)
        top.addStretch()
        top.addWidget(self.override_button)
        top.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.rule)
        listen(self, wants(Aggregate.DEADLINES, Aggregate.CASES, Aggregate.PERSONS), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        today = date.today()
        items = fristen.work_list(self.store, self.user, mine=self.mine.isChecked(), limit=SHOWN + 1)
        self.more = len(items) > SHOWN
        self.items = items[:SHOWN]
        self.table.fill([[fmt_date(i.due_on), i.state(today), i.kind.label, i.case_number, i.person, i.assigned_name,
                          (f"abweichend: {i.override_reason}" if i.override_reason else (i.note or ""))]
                         for i in self.items])
        for row, item in enumerate(self.items):
            color = STATE_COLORS.get(item.state(today))
            if color:
                for col in range(self.table.columnCount()):
                    self.table.item(row, col).setBackground(QColor(color))
        self._show_rule()

    def selected(self) -> fristen.DueItem | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) and self.table.selectedItems() else None

    def _show_rule(self) -> None:
        item = self.selected()
        self.override_button.setEnabled(item is not None)
        self.done_button.setEnabled(item is not None)
        if item is None:
            more = f" Es werden die {SHOWN} dringendsten gezeigt." if self.more else ""
            self.rule.setText("Eine Frist auswählen, um Regel und Eingaben zu sehen." + more if self.items else
                              "Keine offenen Fristen." + (" (Nur die eigenen werden gezeigt.)"
                                                          if self.mine.isChecked() else ""))
            return
        self.rule.setText(rule_html(item))

    def override(self) -> None:
        item = self.selected()
        if item is None:
            return
        accepted(OverrideDialog(lambda v: fristen.override(self.store, self.user, item.id, *v), item, self))

    def mark_done(self) -> None:
        item = self.selected()
        if item is not None:
            Op(self, lambda: fristen.mark_done(self.store, self.user, item.id)).run()

    def open_case(self) -> None:
        """Double-click or Enter: the case file of the deadline, to act on it (its operations refresh this list)."""
        item = self.selected()
        if item is not None:
            open_case(self, self.store, self.user, item.case_id, "Fristen")


def badge_count(store: Store, user: CurrentUser) -> int:
    return fristen.my_badge_count(store, user)


def badge_label(store: Store, user: CurrentUser) -> str:
    count = badge_count(store, user)
    return f"Fristen ({count})" if count else "Fristen"
