"""Publishing an export atomically with its sequence (issue 10 point 7).

The steps, in this order: the bundle is written to a temporary name beside its final one and fsynced → the export
(target, epoch, sequence, SHA-256 and the bytes themselves) is recorded in the store in the same transaction that
advances the export counters → the file is renamed into place and the folder fsynced → the record is dropped.

A crash between any two steps leaves either nothing recorded (the next export builds the same changes again under
the same sequence, nobody has seen the temporary file) or a recorded but unpublished export. ``publish_pending``
finishes the latter on the next start or before the next export: it renames the temporary file when it is still
there with the recorded hash, or writes the recorded bytes again, so a sequence never stands for two contents and
no row is lost.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from whh_desktop.core.store.keys import fsync_dir
from whh_desktop.core.store.models import PendingExport
from whh_desktop.core.store.permissions import PRIVATE_FILE

CRASH_ENV = "WHH_TEST_EXPORT_CRASH"  # test-only: the step after which the process dies (kill -9 stand-in)
CRASH_STEPS = ("temp_written", "recorded", "renamed")


def crash_point(step: str) -> None:
    """Ends the process at once when the test hook names this step: no cleanup, no rollback, like a power cut."""
    if os.environ.get(CRASH_ENV) == step:
        os._exit(86)


def temp_name(final: Path) -> Path:
    return final.with_name(f".{final.name}.tmp")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_temp(final: Path, data: bytes) -> Path:
    """Write ``data`` user-only to the temporary name of ``final`` and fsync it; raises ``OSError``."""
    tmp = temp_name(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()  # a stale one from an earlier crash: never written into, never trusted
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def record(session: Session, *, target: str, epoch: int, sequence: int, final: Path, data: bytes) -> None:
    """Remember the export as not yet published, in the caller's transaction (the one that advances the counters)."""
    session.add(PendingExport(target=target, epoch=epoch, sequence=sequence, directory=str(final.parent),
                              file_name=final.name, sha256=digest(data), data=data))
    session.flush()


def rename_into_place(final: Path) -> None:
    os.replace(temp_name(final), final)
    fsync_dir(final.parent)


def forget(session: Session, *, target: str, epoch: int, sequence: int) -> None:
    session.execute(delete(PendingExport).where(PendingExport.target == target, PendingExport.epoch == epoch,
                                                PendingExport.sequence == sequence))


@dataclass(frozen=True)
class Published:
    target: str
    sequence: int
    path: Path


def _matches(path: Path, sha256: str) -> bool:
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest() == sha256
    except OSError:
        return False


def publish_pending(read: Callable[[], AbstractContextManager[Session]],
                    write: Callable[[], AbstractContextManager[Session]],
                    fallback_dir: Path | None = None) -> list[Published]:
    """Finish every recorded but unpublished export. ``read``/``write`` open sessions (context managers) of the
    store. A file whose folder is gone (a USB stick pulled) goes to ``fallback_dir`` when given, else it waits for
    the next attempt; ``OSError`` of the fallback reaches the caller."""
    with read() as s:
        pending = [(p.target, p.epoch, p.sequence, Path(p.directory) / p.file_name, p.sha256)
                   for p in s.execute(select(PendingExport).order_by(PendingExport.id)).scalars()]
    done: list[Published] = []
    for target, epoch, sequence, final, sha in pending:
        try:
            path = _publish_one(read, target, epoch, sequence, final, sha)
        except OSError:
            if fallback_dir is None or Path(fallback_dir) == final.parent:
                if fallback_dir is None:
                    continue
                raise
            path = _publish_one(read, target, epoch, sequence, Path(fallback_dir) / final.name, sha)
        with write() as s:
            forget(s, target=target, epoch=epoch, sequence=sequence)
        done.append(Published(target, sequence, path))
    return done


def _publish_one(read: Callable[[], AbstractContextManager[Session]], target: str, epoch: int, sequence: int,
                 final: Path, sha: str) -> Path:
    if _matches(final, sha):
        with contextlib.suppress(OSError):
            temp_name(final).unlink()
        return final
    if not _matches(temp_name(final), sha):
        with read() as s:
            data = s.execute(select(PendingExport.data).where(
                PendingExport.target == target, PendingExport.epoch == epoch,
                PendingExport.sequence == sequence)).scalar_one()
        if digest(data) != sha:  # the store is encrypted and authenticated; this would be a bug, never publish it
            raise RuntimeError("recorded export does not match its hash")
        write_temp(final, data)
    rename_into_place(final)
    return final
