"""What every tab of the case file shares: the store and user, the case, the last read model, and the layout
helpers (a button row over a table, or over a list with a detail pane that shows the selected item in full)."""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QTextOption
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

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
        self.show_detail()

    def fill(self, cf: CaseFile) -> None:
        raise NotImplementedError

    def enable(self) -> None:
        """Buttons after the read model's rules (``editable``/``active``) and the selection."""

    def show_detail(self) -> None:
        """The selected item in the detail pane (parts with a list and a detail pane)."""

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


EMPTY = "–"  # what fmt_date shows for no date
SHORT = 60  # a value up to this long runs on with its neighbours in the detail pane


class DetailPane(QTextBrowser):
    """The selected item in full: every field, long notes wrapped at the pane's width (never sideways)."""

    def __init__(self, accessible_name: str = "Einzelheiten") -> None:
        super().__init__()
        self.setObjectName("detail")
        self.setAccessibleName(accessible_name)
        self.setOpenLinks(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setLineWrapMode(QTextBrowser.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)

    def show_fields(self, fields: Sequence[tuple[str, str]], hint: str = "") -> None:
        """``(label, value)`` pairs, empty ones left out: short ones run on in one paragraph, a long or multi-line
        one (a note) stands in its own; then an optional hint in italics."""
        parts: list[str] = []
        short: list[str] = []
        for label, value in fields:
            if not value or value == EMPTY:
                continue
            item = f"<b>{html.escape(label)}:</b> {text_html(value)}"
            if len(value) <= SHORT and "\n" not in value:
                short.append(item)
                continue
            if short:
                parts.append(" &nbsp;·&nbsp; ".join(short))
                short = []
            parts.append(item)
        if short:
            parts.append(" &nbsp;·&nbsp; ".join(short))
        if hint:
            parts.append(f"<i>{html.escape(hint)}</i>")
        self.setHtml("".join(f"<p>{part}</p>" for part in parts))

    def show_text(self, text: str) -> None:
        self.setHtml(f"<p><i>{html.escape(text)}</i></p>")

    def text(self) -> str:
        return self.toPlainText()


def text_html(value: str) -> str:
    """Plain text as HTML with its line breaks kept."""
    return html.escape(value).replace("\n", "<br>")


def list_detail_tab(panel: CasePanel, table: ReadOnlyTable, detail: DetailPane, *buttons: QPushButton,
                    on_open: Callable[[], Any] | None = None) -> QSplitter:
    """A part as a list with a detail pane below it: selecting a row shows it in full (``panel.show_detail``),
    Enter or a double-click opens it (``on_open``)."""
    splitter = QSplitter(Qt.Orientation.Vertical)
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(table)
    splitter.addWidget(detail)
    splitter.setStretchFactor(0, 1)
    splitter.setStretchFactor(1, 1)
    layout = QVBoxLayout(panel)
    layout.addLayout(button_row(*buttons))
    layout.addWidget(splitter, 1)
    table.itemSelectionChanged.connect(lambda: _selection_changed(panel))
    if on_open is not None:
        open_on_enter(table, on_open)
    return splitter


class _EnterOpens(QObject):
    """Enter/Return on a list with a current row opens it, and the key goes no further (inside a dialog it would
    also press the dialog's default button)."""

    def __init__(self, table: ReadOnlyTable, on_open: Callable[[], Any]) -> None:
        super().__init__(table)
        self.table, self.on_open = table, on_open

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
                and self.table.currentRow() >= 0):
            self.on_open()
            return True
        return False


def open_on_enter(table: ReadOnlyTable, on_open: Callable[[], Any]) -> None:
    """Enter or a double-click on a row opens it (``on_open`` works on the selected item)."""
    table.installEventFilter(_EnterOpens(table, on_open))
    table.doubleClicked.connect(lambda _index: on_open())


def _selection_changed(panel: CasePanel) -> None:
    if panel.data is not None:
        panel.enable()
        panel.show_detail()


def stretch(table: ReadOnlyTable, *columns: int) -> None:
    """These columns share the width left by the others and cut their text (the detail pane shows all of it), so
    the list does not scroll sideways for a long note."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column in columns:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)


def fill_by_id(table: ReadOnlyTable, rows: Sequence[Sequence[str]], ids: Sequence[object]) -> None:
    """Fill the table and keep the selected item selected by its id (a new contact moves the rows down)."""
    row = table.selected_row()
    old = getattr(table, "row_ids", [])
    wanted = old[row] if row is not None and row < len(old) else None
    table.row_ids = list(ids)  # type: ignore[attr-defined]
    table.fill(rows)
    if wanted in table.row_ids:  # type: ignore[attr-defined]
        table.selectRow(table.row_ids.index(wanted))  # type: ignore[attr-defined]
