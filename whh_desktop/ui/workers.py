"""Long work off the GUI thread: a QThread running one callable, with progress, cancel and a result signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from whh_desktop.ui.messages import show_error


class Job(QObject):
    """Runs ``fn(progress, cancelled)`` in a thread; ``progress(done, total)``, ``cancelled() -> bool``."""

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, fn: Callable[[Callable[[int, int], None], Callable[[], bool]], Any]) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = False
        self._thread = QThread()
        self.moveToThread(self._thread)
        self._thread.started.connect(self._run)
        self.finished.connect(self._thread.quit)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        self._cancel = True

    def wait(self, ms: int = 30_000) -> bool:
        return self._thread.wait(ms)

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def _run(self) -> None:
        try:
            result = self._fn(lambda done, total: self.progressed.emit(done, total), lambda: self._cancel)
        except BaseException as exc:  # reported to the GUI thread, never lost
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            self.finished.emit()


def run_with_progress(parent: QWidget | None, title: str, fn: Callable[..., Any], *,
                      on_done: Callable[[Any], None] | None = None, cancellable: bool = False,
                      on_error: Callable[[BaseException], None] | None = None) -> Job:
    """Start ``fn`` in a worker with a progress dialog; errors are shown in German."""
    dialog = QProgressDialog(title, "Abbrechen" if cancellable else "", 0, 0, parent)
    dialog.setWindowTitle("Bitte warten")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    if not cancellable:
        dialog.setCancelButton(None)
    job = Job(fn)
    job.progressed.connect(lambda done, total: (dialog.setMaximum(total), dialog.setValue(done)))
    dialog.canceled.connect(job.cancel)
    job.succeeded.connect(lambda result: on_done(result) if on_done else None)
    job.failed.connect(lambda exc: (on_error or (lambda e: show_error(parent, e)))(exc))
    job.finished.connect(dialog.reset)
    job.finished.connect(dialog.deleteLater)
    parent_jobs = getattr(parent, "_jobs", None)
    if isinstance(parent_jobs, list):  # keep a reference until done; joined at teardown
        parent_jobs.append(job)
    job.start()
    return job
