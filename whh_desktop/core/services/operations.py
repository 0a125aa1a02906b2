"""Run a use case and learn what it changed: the core half of the UI's operations (``ui/ops.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from whh_desktop.core.domain.changes import Changes
from whh_desktop.core.store import changes

T = TypeVar("T")


def run_recorded(fn: Callable[[], T]) -> tuple[T, Changes]:
    """Call ``fn`` and return its result with the changes of every transaction it committed (in this thread)."""
    with changes.recording() as recorder:
        result = fn()
    return result, recorder.changes
