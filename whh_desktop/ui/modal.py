"""Modal dialogs that survive the auto-lock.

``QDialog.exec()`` ends when the dialog is hidden, and the lock hides every open dialog. ``run_modal`` runs its own
event loop that only ends when the dialog is finished (accepted or rejected), so a dialog hidden by the lock comes
back with everything typed into it. Every ``ask()`` classmethod goes through here, which also gives tests one
place to make sure no modal loop ever blocks.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QDialog


def run_modal(dialog: QDialog) -> int:
    """Show ``dialog`` modally and wait until it is finished; returns ``dialog.result()``."""
    loop = QEventLoop()
    dialog.finished.connect(loop.quit)
    if dialog.windowModality() == Qt.WindowModality.NonModal:
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    loop.exec()
    return dialog.result()


def accepted(dialog: QDialog) -> bool:
    return run_modal(dialog) == QDialog.DialogCode.Accepted
