"""User-only files on POSIX (issue 10 point 8) and the removal of what a kill leaves behind.

The store, its WAL/SHM, the key file and its ``.bak``, backups with their key copies, the escrow secret and
exports are created ``0600`` in folders ``0700`` (``os.open`` with a mode, never the process umask, which the
user's session decides). ``secure_data_dir`` also tightens what an older version wrote world-readable. On Windows
the data folder lies in the user's profile, whose ACL already admits only that user (installer/README.md).

``remove_stale`` deletes temporary backups, key temp files, restore and probe copies and their SQLite journals
that a killed process left; it runs only while this process holds the single-instance lock, so no live process
can own them.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from whh_desktop.core.errors import StoreLocked
from whh_desktop.core.store.lock import InstanceLock
from whh_desktop.paths import DataPaths

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_POSIX = os.name == "posix"
# Names a kill can leave: backup temp files (and the journal SQLite keeps beside an attached database), key file
# temp files, restore copies and verification probes. The store's own -wal is committed data: never matched here.
_STALE_SUFFIXES = (".tmp", ".tmp-journal", ".tmp-wal", ".tmp-shm", ".probe", ".probe-journal", ".probe-wal",
                   ".probe-shm")


def chmod_private(path: Path) -> None:
    """``0600`` for a file, ``0700`` for a folder; a missing path is fine."""
    if not _POSIX:
        return
    with contextlib.suppress(FileNotFoundError):
        mode = PRIVATE_DIR if path.is_dir() else PRIVATE_FILE
        if stat.S_IMODE(path.stat().st_mode) != mode:
            os.chmod(path, mode)


def private_dir(path: Path) -> Path:
    """Create the folder (and missing parents) user-only; an existing one is tightened."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    chmod_private(path)
    return path


def create_private(path: Path) -> None:
    """An empty user-only file (a database SQLite will fill keeps the mode it finds); replaces a stale one."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def write_private(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write a secret user-only (escrow key, key copies); ``exclusive`` refuses an existing file
    (``FileExistsError``). An existing file is tightened before it is overwritten."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0) | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as fh:
        if _POSIX:
            os.fchmod(fh.fileno(), PRIVATE_FILE)
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def store_files(paths: DataPaths) -> list[Path]:
    store = paths.store
    return [store, Path(f"{store}-wal"), Path(f"{store}-shm"), Path(f"{store}-journal"), paths.key_file,
            paths.key_file.with_name(paths.key_file.name + ".bak"), paths.lock_file]


def secure_data_dir(paths: DataPaths) -> None:
    """Tighten the data folder, its store files and the backups (with their key copies) to user-only."""
    if not _POSIX or not paths.root.exists():
        return
    chmod_private(paths.root)
    for path in store_files(paths):
        chmod_private(path)
    if paths.backups.is_dir():
        chmod_private(paths.backups)
        for path in paths.backups.iterdir():
            if path.is_file():
                chmod_private(path)


def is_stale_name(name: str, *, in_backups: bool = False) -> bool:
    """Temporary names only: hidden ones in the data folder; in ``backups`` also the key copy's ``.key.tmp``."""
    return (name.startswith(".") or in_backups) and name.endswith(_STALE_SUFFIXES)


def remove_stale(paths: DataPaths) -> list[Path]:
    """Remove temporary files a kill left in the data folder and the backups, if no live process holds the
    single-instance lock (this process holding it counts as free: nothing of ours is in flight at start)."""
    if not InstanceLock.held_here(paths.lock_file):
        try:
            with InstanceLock(paths.lock_file):
                return _remove_stale(paths)
        except StoreLocked:
            return []
    return _remove_stale(paths)


def _remove_stale(paths: DataPaths) -> list[Path]:
    removed = []
    for folder in (paths.root, paths.backups):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.is_file() and is_stale_name(path.name, in_backups=folder == paths.backups):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed
