"""Long work off the GUI thread (DESIGN.md §6), after Anki's background operations.

A :class:`Job` runs one callable ``fn(progress, cancelled)`` in its own ``QThread``:
``progress(done, total)`` reports progress (total 0 = unknown), ``cancelled()`` says whether the user pressed
"Abbrechen". The GUI hears about the end through ``succeeded(result)`` / ``failed(exception)`` and always ``done``.
The thread never waits for the GUI, so joining it (``Job.wait``, :func:`wait_all`) cannot deadlock.

Python code never listens to ``QThread.finished``: that C++ signal is emitted while the worker thread winds down,
and PySide6 6.12 crashes now and then delivering it to a Python slot (seen under load, cf. PYSIDE-3124). ``done`` is
our own signal, emitted from Python at the end of ``run``.

While a job runs, Python's cyclic garbage collector is paused. If it ran in the worker thread, it could free a Qt
wrapper there; shiboken then hands the deletion to the GUI thread and 6.12 crashes doing so
(``BindingManager::runDeletionInMainThread``, seen under load). Afterwards it runs again in the GUI thread.

:func:`run_in_background` adds a small progress dialog and German error messages; :func:`run_blocking` waits for
the result while the window keeps painting (for steps like "create the store" that must finish before the next).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEventLoop, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from whh_desktop.ui import memory

log = logging.getLogger("whh_desktop.ui")

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]
Work = Callable[[ProgressFn, CancelledFn], Any]

_running: set[Job] = set()  # strong references until the thread has ended
_gc_holds = 0
_gc_was_enabled = True


def _hold_gc() -> None:
    """GUI thread: keep the cyclic garbage collector from running (in a worker) until the jobs are done."""
    global _gc_holds, _gc_was_enabled
    if _gc_holds == 0:
        _gc_was_enabled = gc.isenabled()
        gc.disable()
    _gc_holds += 1


def _release_gc() -> None:
    global _gc_holds
    _gc_holds = max(0, _gc_holds - 1)
    if _gc_holds == 0:
        if _gc_was_enabled:
            gc.enable()
        memory.give_back()  # a report's temporary tables were freed in the worker: the heap shrinks again


class Job(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    done = Signal()  # after succeeded/failed; use this, never QThread.finished (see above)

    def __init__(self, fn: Work, name: str = "whh-worker") -> None:
        super().__init__()
        self.setObjectName(name)
        self._fn = fn
        self._cancel = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None
        self._holds_gc = False
        self.done.connect(self._release)

    def start(self) -> None:  # type: ignore[override]
        _prune()
        _running.add(self)
        _hold_gc()
        self._holds_gc = True
        super().start()

    @Slot()
    def _release(self) -> None:
        """GUI thread, after the work: let the garbage collector run again."""
        if self._holds_gc:
            self._holds_gc = False
            _release_gc()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            self.result = self._fn(self.progressed.emit, self._cancel.is_set)
        except BaseException as exc:  # handed to the GUI thread, never lost and never a crash
            self.error = exc
            self.failed.emit(exc)
        else:
            self.succeeded.emit(self.result)
        finally:
            self.done.emit()



def _prune() -> None:
    """Drop the references of jobs whose thread has ended completely.

    Only a thread that ``wait`` has joined may be destroyed; ``done`` arrives a moment before that, so jobs are
    never dropped from one of their own slots.
    """
    for job in list(_running):
        if not shiboken6.isValid(job):
            _running.discard(job)
        elif job.wait(0):
            job._release()
            _running.discard(job)


def running_jobs() -> list[Job]:
    return [job for job in _running if shiboken6.isValid(job)]


def wait_all(timeout_ms: int = 60_000) -> bool:
    """Join every running worker (window close, test teardown). True when all have ended."""
    done = all(job.wait(timeout_ms) for job in running_jobs())
    _prune()
    return done


class ProgressDialog(QProgressDialog):
    """Appears only when the work takes longer than a moment; a cancel button when the work can stop."""

    def __init__(self, text: str, parent: QWidget | None, cancellable: bool) -> None:
        super().__init__(text, "Abbrechen" if cancellable else "", 0, 0, parent)
        self.setWindowTitle("Bitte warten")
        self.setAccessibleName("Fortschritt")
        self.setAccessibleDescription(text)
        self.setWindowModality(Qt.WindowModality.WindowModal if parent else Qt.WindowModality.ApplicationModal)
        self.setMinimumDuration(400)
        self.setAutoReset(False)
        self.setAutoClose(False)
        if not cancellable:
            self.setCancelButton(None)
        self.setMinimumWidth(360)

    def attach(self, job: Job) -> None:
        job.progressed.connect(self._on_progress)
        self.canceled.connect(job.cancel)
        job.done.connect(self._finish)

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.setMaximum(total)
            self.setValue(min(done, total))

    @Slot()
    def _finish(self) -> None:
        self.setProperty("whh_finished", True)  # the lock must not show it again
        self.reset()
        self.close()
        self.deleteLater()


def run_in_background(parent: QWidget | None, text: str, fn: Work, *,
                      on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None,
                      cancellable: bool = False) -> Job:
    """Start ``fn`` in a worker with a progress dialog; errors are shown in German unless ``on_error`` is given."""
    from whh_desktop.ui import messages

    job = Job(fn)
    dialog = ProgressDialog(text, parent, cancellable)
    dialog.attach(job)
    if on_done is not None:
        job.succeeded.connect(on_done)
    job.failed.connect(on_error or (lambda exc: messages.show_error(parent, exc)))
    job.start()
    return job


def run_blocking(parent: QWidget | None, text: str, fn: Work, *, cancellable: bool = False) -> Any:
    """Run ``fn`` in a worker and return its result (or raise its exception); the GUI keeps painting meanwhile."""
    job = Job(fn)
    dialog = ProgressDialog(text, parent, cancellable)
    dialog.attach(job)
    loop = QEventLoop()
    job.done.connect(loop.quit)
    job.start()
    if not job.isFinished():
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    job.wait()
    if job.error is not None:
        raise job.error
    return job.result
