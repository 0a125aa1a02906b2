"""Opening a case: as a page of the main window (``ui/case_file/workspace.CaseWorkspace``); where there is no
main window (a view built on its own, e.g. in a test), the same workspace inside a plain dialog."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFrame, QScrollArea, QVBoxLayout, QWidget

from whh_desktop.core.services import cases
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import modal
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.dialogs.case_forms import CloseDialog, ContactDialog
from whh_desktop.ui.dialogs.intake import IntakeDialog
from whh_desktop.ui.widgets.screen_fit import resize_within_screen

__all__ = ["CaseFileDialog", "CaseWorkspace", "CloseDialog", "ContactDialog", "open_case"]


class CaseFileDialog(QDialog):
    """The workspace of one case in a window of its own: only where no main window hosts it as a page."""

    def __init__(self, store: Store, user: CurrentUser, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case_id = case_id
        self.workspace = CaseWorkspace(store, user, case_id, self)
        self.workspace.close_requested.connect(self.accept)
        self.workspace.title_changed.connect(lambda title: self.setWindowTitle(f"Fallakte {title}"))
        self.setWindowTitle(self.workspace.windowTitle())
        # Bounded by the screen (1366×768 at 150 % leaves about 910×512): the workspace is sized by its current
        # part and scrolls where that part needs more room than the screen has.
        area = QScrollArea()
        area.setWidget(self.workspace)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.workspace.stack.resized.connect(lambda: area.setWidgetResizable(True))  # measure the new part again
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(area)
        resize_within_screen(self, 1180, 700)
        self.workspace.parts.setFocus()


def open_case(parent: QWidget, store: Store, user: CurrentUser, case_id: uuid.UUID, tab: str = "") -> QWidget:
    """The case on its part named ``tab``: a page of the main window (an open one comes to the front); a draft
    opens in the intake form first, to be completed. What either changes reaches the lists and badges through the
    operations' broadcast. Returns the workspace (or the intake form when the draft stays a draft)."""
    found = cases.case_rows(store, user, [case_id.hex])
    if found and found[0].status == "draft":
        form = IntakeDialog(store, user, parent, case_id=case_id)
        modal.run_modal(form)
        if form.result() != QDialog.DialogCode.Accepted or form.saved_draft:
            return form
    open_page = getattr(parent.window(), "open_case_page", None) if parent is not None else None
    if callable(open_page):
        workspace: CaseWorkspace = open_page(case_id, tab)
        return workspace
    dialog = CaseFileDialog(store, user, case_id, parent)
    dialog.workspace.show_part(tab)
    modal.run_modal(dialog)
    return dialog.workspace
