"""Single-instance lock: restore, import or a second GUI must not run under a live store."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType

from whh_desktop.core.errors import StoreLocked

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt
else:
    import fcntl


class InstanceLock:
    _held: set[Path] = set()  # lock files this process holds (a second flock here would fail, not tell)

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: object | None = None

    @classmethod
    def held_here(cls, path: Path) -> bool:
        return Path(path).absolute() in cls._held

    def acquire(self) -> InstanceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+")  # noqa: SIM115 - held for the lifetime of the lock
        if os.name == "posix":
            os.chmod(self.path, 0o600)
        try:
            if sys.platform == "win32":  # pragma: no cover
                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise StoreLocked("WHH Desktop ist mit diesem Datenbestand bereits geöffnet, oder eine Sicherung "
                              "läuft gerade. Bitte das andere Fenster schließen und erneut versuchen.") from None
        self._fh = fh
        InstanceLock._held.add(self.path.absolute())
        return self

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()  # type: ignore[attr-defined]
            self._fh = None
            InstanceLock._held.discard(self.path.absolute())

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
