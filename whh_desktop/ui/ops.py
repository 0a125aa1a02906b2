"""Operations: run a service call, learn what it changed, tell every view (Anki's ``CollectionOp``, STYLE.md).

A write from the UI goes through :class:`Op` (short, in the GUI thread) or :class:`LongOp` (in a worker with
progress and cancel). Both record the :class:`~whh_desktop.core.domain.changes.Changes` of every transaction the
call committed and broadcast them on the application's :class:`ChangeHub`. Views subscribe with :func:`listen`
and decide themselves whether the changes concern them; nobody calls another view's ``refresh`` by hand::

    Op(self, lambda: casework.add_contact(store, user, case_id, data)).success(lambda _: self.accept()).run()

    listen(self, lambda ch: ch.touches(Aggregate.DEADLINES), self.refresh)   # in a view's __init__
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from whh_desktop.core.domain.changes import Aggregate, Changes
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services.operations import run_recorded
from whh_desktop.ui import messages, workers

log = logging.getLogger("whh_desktop.ui")

T = TypeVar("T")


class ChangeHub(QObject):
    """One per application: ``changed(Changes)`` after every operation that wrote something."""

    changed = Signal(object)


_HUB_NAME = "whh_change_hub"


def hub() -> ChangeHub:
    app = QCoreApplication.instance()
    found = app.findChild(ChangeHub, _HUB_NAME) if app is not None else None
    if found is None:
        found = ChangeHub(app)
        found.setObjectName(_HUB_NAME)
    return found


def broadcast(changes: Changes) -> None:
    if changes:
        log.debug("broadcast %s", changes.describe())
        hub().changed.emit(changes)


class Op(Generic[T]):
    """A short write in the GUI thread. ``run()`` returns True when it succeeded; the result is in ``result``.

    A :class:`WhhError` is shown as its German message unless ``failure`` takes it (e.g. to mark a field);
    anything else is a programming error and propagates to the excepthook.
    """

    def __init__(self, parent: QWidget | None, fn: Callable[[], T]) -> None:
        self._parent, self._fn = parent, fn
        self._on_success: Callable[[T], Any] | None = None
        self._on_failure: Callable[[WhhError], Any] | None = None
        self.result: T | None = None
        self.changes = Changes()

    def success(self, fn: Callable[[T], Any]) -> Op[T]:
        self._on_success = fn
        return self

    def failure(self, fn: Callable[[WhhError], Any]) -> Op[T]:
        self._on_failure = fn
        return self

    def run(self) -> bool:
        try:
            self.result, self.changes = run_recorded(self._fn)
        except WhhError as exc:
            if self._on_failure is not None:
                self._on_failure(exc)
            else:
                messages.show_error(self._parent, exc)
            return False
        broadcast(self.changes)
        if self._on_success is not None:
            self._on_success(self.result)
        return True


class LongOp(Generic[T]):
    """Long work (import, export, serial letters, reports) in a worker with a progress dialog.

    ``fn(progress, cancelled)`` runs off the GUI thread; ``success`` and ``failure`` run in the GUI thread.
    """

    def __init__(self, parent: QWidget | None, text: str, fn: Callable[[workers.ProgressFn, workers.CancelledFn], T],
                 *, cancellable: bool = False) -> None:
        self._parent, self._text, self._fn, self._cancellable = parent, text, fn, cancellable
        self._on_success: Callable[[T], Any] | None = None
        self._on_failure: Callable[[BaseException], Any] | None = None

    def success(self, fn: Callable[[T], Any]) -> LongOp[T]:
        self._on_success = fn
        return self

    def failure(self, fn: Callable[[BaseException], Any]) -> LongOp[T]:
        self._on_failure = fn
        return self

    def _work(self, progress: workers.ProgressFn, cancelled: workers.CancelledFn) -> tuple[T, Changes]:
        return run_recorded(lambda: self._fn(progress, cancelled))

    def _done(self, outcome: tuple[T, Changes]) -> None:
        result, changes = outcome
        broadcast(changes)
        if self._on_success is not None:
            self._on_success(result)

    def run(self) -> workers.Job:
        return workers.run_in_background(self._parent, self._text, self._work, on_done=self._done,
                                         on_error=self._on_failure, cancellable=self._cancellable)

    def run_blocking(self) -> T:
        """Wait for the result while the window keeps painting (raises the work's exception)."""
        outcome: tuple[T, Changes] = workers.run_blocking(self._parent, self._text, self._work,
                                                          cancellable=self._cancellable)
        broadcast(outcome[1])
        return outcome[0]


Wants = Callable[[Changes], bool]


def wants(*aggregates: Aggregate | Iterable[Aggregate]) -> Wants:
    """The usual filter: any of these aggregates (or groups) changed."""
    return lambda changes: changes.touches(*aggregates)


class _Subscription(QObject):
    """Lives as a child of the view: refreshes it on matching changes, at once when visible, else when shown."""

    def __init__(self, view: QWidget, want: Wants, refresh: Callable[[], Any]) -> None:
        super().__init__(view)
        self._view, self._want, self._refresh = view, want, refresh
        self.stale = False
        hub().changed.connect(self._on_changes)
        view.installEventFilter(self)

    def _on_changes(self, changes: Changes) -> None:
        if not self._want(changes):
            return
        if self._view.isVisible():
            self.stale = False
            self._refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self._refresh()
        return False


def listen(view: QWidget, want: Wants, refresh: Callable[[], Any]) -> None:
    """Refresh ``view`` whenever an operation changed what ``want`` asks about (the subscription dies with it)."""
    _Subscription(view, want, refresh)


def mark_fresh(view: QWidget) -> None:
    """The caller re-reads ``view`` itself right now: its pending refreshes would only repeat that."""
    for subscription in view.findChildren(_Subscription, options=Qt.FindChildOption.FindDirectChildrenOnly):
        subscription.stale = False  # only the view's own: a tab inside it keeps its own pending refresh
