"""The worker: result, German error, progress, cancel, and joining never deadlocks."""

from __future__ import annotations

import ctypes
import sys
import time

import pytest

from whh_desktop.core.errors import BackupFailed
from whh_desktop.ui import workers


def test_result_and_progress_reach_the_gui_thread(qtbot) -> None:
    seen = []

    def work(progress, cancelled):
        for i in range(3):
            progress(i + 1, 3)
        return 42

    job = workers.Job(work)
    job.progressed.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(job.succeeded, timeout=5000) as blocker:
        job.start()
    assert blocker.args == [42]
    qtbot.waitUntil(lambda: seen == [(1, 3), (2, 3), (3, 3)], timeout=2000)


def test_failure_is_handed_over_not_lost(qtbot) -> None:
    def work(progress, cancelled):
        raise BackupFailed("Das Laufwerk ist voll.")

    job = workers.Job(work)
    with qtbot.waitSignal(job.failed, timeout=5000) as blocker:
        job.start()
    assert str(blocker.args[0]) == "Das Laufwerk ist voll."


def test_cancel_is_seen_by_the_work(qtbot) -> None:
    def work(progress, cancelled):
        while not cancelled():
            time.sleep(0.01)
        return "abgebrochen"

    job = workers.Job(work)
    job.start()
    job.cancel()
    assert job.wait(5000) and job.result == "abgebrochen"


def test_run_blocking_returns_the_result_or_raises(qtbot) -> None:
    assert workers.run_blocking(None, "…", lambda p, c: "fertig") == "fertig"
    with pytest.raises(BackupFailed):
        workers.run_blocking(None, "…", lambda p, c: (_ for _ in ()).throw(BackupFailed("nein")))


def test_joining_from_a_result_slot_does_not_deadlock(qtbot) -> None:
    """The old worker quit its thread through the GUI event loop; waiting in a slot hung forever."""
    joined = []
    job = workers.run_in_background(None, "…", lambda p, c: time.sleep(0.05),
                                    on_done=lambda _r: joined.append(workers.wait_all(5000)))
    qtbot.waitUntil(lambda: joined == [True], timeout=5000)
    assert not job.isRunning()


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; glibc's malloc_trim")
def test_memory_freed_in_a_worker_goes_back_to_the_system_when_the_job_ends(qtbot) -> None:
    """Issue 20 point 4: a report frees its temporary tables in the worker thread, between blocks it keeps; the C
    heap held those pages (150 MB after Berichte at 1 000 000 persons) until the job's end gave them back."""
    kept: list[object] = []

    def work(progress, cancelled):
        blocks = [ctypes.create_string_buffer(60_000) for _ in range(3_000)]  # 180 MB, below the mmap threshold
        kept.extend(blocks[::40])  # a few stay: the pages between them are free but inside the heap
        del blocks
        return _rss_mb()

    before = _rss_mb()
    job = workers.Job(work)
    with qtbot.waitSignal(job.done, timeout=20_000):
        job.start()
    workers.wait_all()
    at_end = job.result
    assert at_end - before > 120  # the freed blocks were still counted when the work returned
    assert _rss_mb() - before < 40  # and are gone once the job has ended
