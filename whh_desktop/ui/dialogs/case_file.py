"""Opening a case: as a page of the main window (``ui/case_file/workspace.CaseWorkspace``); where there is no
main window (a view built on its own, e.g. in a test), the same workspace inside a plain dialog."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from whh_desktop.core.services import cases
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import modal
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.dialogs.case_forms import CloseDialog, ContactDialog
from whh_desktop.ui.dialogs.intake import IntakeDialog

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
        self.resize(1180, 700)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.workspace)
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
