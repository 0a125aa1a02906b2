"""What every tab of the case file shares: the store and user, the case, the last read model, and the layout
helpers (a button row over a table)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.ops import Op
from whh_desktop.ui.widgets.tables import ReadOnlyTable


class CasePanel(QWidget):
    """A tab of the case file. ``show_file`` gets the whole read model after every read and shows its part;
    writes go through :meth:`run` (an operation: the case file re-reads when it broadcast)."""

    def __init__(self, store: Store, user: CurrentUser, case_id: uuid.UUID) -> None:
        super().__init__()
        self.store, self.user, self.case_id = store, user, case_id
        self.data: CaseFile | None = None

    def show_file(self, cf: CaseFile) -> None:
        self.data = cf
        self.fill(cf)
        self.enable()

    def fill(self, cf: CaseFile) -> None:
        raise NotImplementedError

    def enable(self) -> None:
        """Buttons after the read model's rules (``editable``/``active``) and the selection."""

    def run(self, fn: Callable[[], Any]) -> bool:
        return Op(self, fn).run()

    def on_case(self, service: Callable[..., Any]) -> Callable[..., Any]:
        """``service(store, user, case_id, *args)`` as a one-argument-list call for a form's ``save``."""
        return lambda *args: service(self.store, self.user, self.case_id, *args)


def enum_label(enum, value: str | None) -> str:
    """The label of a stored enum value; an unknown one (a newer version's) as it is."""
    try:
        return enum(value).label if value else ""
    except ValueError:
        return value or ""


def button_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch()
    return row


def button(text: str, slot: Callable[[], Any]) -> QPushButton:
    b = QPushButton(text)
    b.clicked.connect(lambda _checked=False: slot())
    return b


def table_tab(panel: QWidget, table: ReadOnlyTable, *buttons: QPushButton, below: QWidget | None = None) -> None:
    """The usual tab: buttons, the table, optionally a line below it."""
    layout = QVBoxLayout(panel)
    layout.addLayout(button_row(*buttons))
    layout.addWidget(table, 1)
    if below is not None:
        layout.addWidget(below)
    table.itemSelectionChanged.connect(lambda: panel.enable() if isinstance(panel, CasePanel) and panel.data
                                       else None)
