"""Every message box goes through here (German texts, never a traceback), so tests can answer them."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from whh_desktop.core.errors import WhhError
from whh_desktop.ui import modal

log = logging.getLogger("whh_desktop.ui")

UNEXPECTED = ("Ein unerwarteter Fehler ist aufgetreten. Bitte den Vorgang wiederholen; wenn er wieder scheitert, "
              "den Support informieren. Einzelheiten stehen in der Protokolldatei.")


def error_text(exc: BaseException) -> str:
    """The German message for the user: a WhhError speaks for itself, anything else is logged, not shown."""
    if isinstance(exc, WhhError):
        return str(exc)
    log.error("unexpected error in the UI", exc_info=(type(exc), exc, exc.__traceback__))
    return UNEXPECTED


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setAccessibleName(title)
    box.setAccessibleDescription(text)
    return box


def show_error(parent: QWidget | None, exc: BaseException | str, title: str = "WHH Desktop") -> None:
    box = _box(parent, QMessageBox.Icon.Warning, title, exc if isinstance(exc, str) else error_text(exc))
    box.addButton("OK", QMessageBox.ButtonRole.AcceptRole)
    modal.run_modal(box)


def inform(parent: QWidget | None, text: str, title: str = "WHH Desktop") -> None:
    box = _box(parent, QMessageBox.Icon.Information, title, text)
    box.addButton("OK", QMessageBox.ButtonRole.AcceptRole)
    modal.run_modal(box)


def confirm(parent: QWidget | None, text: str, title: str = "Bitte bestätigen", yes: str = "&Ja") -> bool:
    box = _box(parent, QMessageBox.Icon.Question, title, text)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton("Abbrechen", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)  # Enter never confirms by accident
    box.setEscapeButton(cancel)
    modal.run_modal(box)
    return box.clickedButton() is ok
