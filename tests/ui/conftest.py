"""UI test harness: real stores, real dialogs, and no modal loop that could ever block a test.

Every modal dialog of the app goes through ``whh_desktop.ui.modal.run_modal``. Here it is replaced by
``ModalAnswers``: a test says which dialog it expects and how the user answers it (``answers.on(Type, fn)``);
``fn`` gets the real, shown dialog, types and clicks like a user. An unexpected dialog fails the test instead of
hanging it. File choosers and the print dialog fail the same way unless a test patches them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget

from tests.conftest import ADMIN, ADMIN_PASSWORD, COUNSELLOR, COUNSELLOR_PASSWORD
from whh_desktop.core.services import login
from whh_desktop.ui import modal, printing, workers
from whh_desktop.ui.dirty import Protected
from whh_desktop.ui.main_window import MainWindow

Handler = Callable[[QDialog], object]


class UnexpectedDialog(AssertionError):
    pass


class ModalAnswers:
    def __init__(self) -> None:
        self._handlers: list[tuple[type, Handler]] = []
        self.seen: list[QDialog] = []
        self.texts: list[str] = []  # the text of every message box, in order

    def on(self, kind: type, handler: Handler) -> ModalAnswers:
        """Answer the next dialog of type ``kind`` with ``handler`` (once; register again for more)."""
        self._handlers.append((kind, handler))
        return self

    def ok(self, times: int = 1) -> ModalAnswers:
        """Acknowledge the next message box(es) with OK."""
        for _ in range(times):
            self.on(QMessageBox, lambda box: click(box, "OK"))
        return self

    @property
    def pending(self) -> list[str]:
        return [kind.__name__ for kind, _ in self._handlers]

    def __call__(self, dialog: QDialog) -> int:
        self.seen.append(dialog)
        if isinstance(dialog, QMessageBox):
            self.texts.append(dialog.text())
        for i, (kind, handler) in enumerate(self._handlers):
            if isinstance(dialog, kind):
                del self._handlers[i]
                dialog.show()
                handler(dialog)
                if dialog.isVisible():  # the handler left it open: as if the user closed it and discarded the input
                    _close(dialog)
                return dialog.result()
        text = dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle()
        _close(dialog)
        raise UnexpectedDialog(f"unexpected modal dialog {type(dialog).__name__}: {text}")


def _close(dialog: QDialog) -> None:
    dialog.discard() if isinstance(dialog, Protected) else dialog.reject()


def click(box: QMessageBox, label: str) -> None:
    for button in box.buttons():
        if button.text().replace("&", "") == label:
            button.click()
            return
    raise AssertionError(f"no button {label!r} in {[b.text() for b in box.buttons()]}")


def _fail(name: str):
    def fail(*args, **kwargs):
        raise UnexpectedDialog(f"{name} would open a native dialog in a test; patch it")

    return fail


@pytest.fixture(autouse=True)
def answers(monkeypatch, qapp) -> ModalAnswers:
    answers = ModalAnswers()
    monkeypatch.setattr(modal, "run_modal", answers)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", _fail("QFileDialog.getSaveFileName"))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", _fail("QFileDialog.getOpenFileName"))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", _fail("QFileDialog.getOpenFileNames"))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", _fail("QFileDialog.getExistingDirectory"))
    monkeypatch.setattr(printing, "ask_printer", _fail("QPrintDialog"))
    monkeypatch.setattr(QDialog, "exec", _fail("QDialog.exec"))
    yield answers
    # Join worker threads before the store's folder goes away.
    assert workers.wait_all(20_000), "a worker thread did not end"
    QApplication.processEvents()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item):
    """Before pytest-qt closes the test's widgets: a form a test left open with typed input is discarded, not asked
    about (the question would be an unexpected dialog in the teardown)."""
    if QApplication.instance() is not None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, Protected):
                widget.closing_without_asking()
    yield


def open_window(qtbot, paths, username: str, password: str) -> MainWindow:
    store, user = login.unlock(paths, username, password)
    win = MainWindow(store, user)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def window(qtbot, site_paths):
    """The main window of the admin a.becker on a fresh Löhne store."""
    win = open_window(qtbot, site_paths, ADMIN, ADMIN_PASSWORD)
    yield win
    win.close()
    win.store.close()


@pytest.fixture
def counsellor_window(qtbot, site_paths):
    win = open_window(qtbot, site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    yield win
    win.close()
    win.store.close()


def set_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    widget.clear()
    widget.insert(text)
