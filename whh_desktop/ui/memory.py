"""Giving freed memory back to the system after large work (issue 20 point 4).

A report at 1 000 000 persons builds its temporary tables in memory (``temp_store = MEMORY``: SQLCipher does not
encrypt temporary files) and drops them again; the C heap keeps the freed pages, so the GUI stayed 150 MB larger
after Berichte than before. ``give_back`` asks the C library to return them: glibc's ``malloc_trim`` (all arenas,
also the worker threads'), the Windows CRT's ``_heapmin``; elsewhere it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable


@functools.cache
def _trim() -> Callable[[], object] | None:
    try:
        if sys.platform == "win32":
            heapmin = ctypes.CDLL("ucrtbase")._heapmin
            return lambda: heapmin()
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        malloc_trim = libc.malloc_trim  # glibc only (not musl, not macOS): AttributeError there
    except (OSError, AttributeError, TypeError):
        return None
    malloc_trim.argtypes = [ctypes.c_size_t]
    return lambda: malloc_trim(0)


def give_back() -> bool:
    """Return the C heap's free pages to the system; True where the platform can."""
    trim = _trim()
    if trim is None:
        return False
    trim()
    return True
