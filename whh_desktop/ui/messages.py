"""Every message box goes through here, so tests can answer them without a modal loop."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from whh_desktop.core.errors import WhhError

log = logging.getLogger("whh_desktop.ui")


def error_text(exc: BaseException) -> str:
    if isinstance(exc, WhhError):
        return str(exc)
    log.error("unexpected %s", type(exc).__name__, exc_info=False)
    return ("Ein unerwarteter Fehler ist aufgetreten. Es wurde nichts halb gespeichert. Bitte den Support "
            "informieren; Einzelheiten stehen in der Protokolldatei.")


def show_error(parent: QWidget | None, exc: BaseException | str, title: str = "WHH Desktop") -> None:
    text = exc if isinstance(exc, str) else error_text(exc)
    QMessageBox.warning(parent, title, text)


def inform(parent: QWidget | None, text: str, title: str = "WHH Desktop") -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, text: str, title: str = "Bitte bestätigen", yes: str = "Ja") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Abbrechen", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is ok
