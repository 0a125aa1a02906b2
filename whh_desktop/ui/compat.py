"""Work-around for a reference-count bug of the installed PySide6/shiboken6 6.12 on CPython 3.11.

Every call of a non-static ``void`` Qt method (``setText``, ``show``, ``click``…) returns ``None`` without taking a
reference, and ``Signal.emit()`` does the same with ``True``/``False``. CPython 3.12 made these singletons immortal
(PEP 683), so the bug is invisible there; on 3.11 each call takes one reference away, and after some ten thousand
calls the interpreter aborts with "Fatal Python error: none_dealloc" (or "bool_dealloc") – in a long session or at
exit. Until the bindings are fixed (or the project moves to Python ≥ 3.12), the singletons get the same treatment
as under PEP 683: a reference count so large that it can never reach zero. They are statically allocated and never
freed, so nothing else changes.
"""

from __future__ import annotations

import ctypes
import sys

_PIN = 1 << 40  # far beyond any number of calls in a session, far below overflow of Py_ssize_t


def pin_singletons() -> bool:
    """Make None, True and False effectively immortal on CPython < 3.12; True when something was done."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for obj in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field of every object
        if refcount.value < _PIN:
            refcount.value += _PIN
    return True
