"""Test-only hooks that let the kill -9 tests aim exactly (issue 10): production never sets the variable.

``WHH_TEST_IMPORT_HOLD=<stage>:<signal file>`` makes the import create the signal file when it reaches ``stage``
and then wait, so the test kills the process at that very point — ``begun`` (the write transaction is open, nothing
written), ``written`` (rows, ledger entry and audit written, not committed) or ``committed``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

HOLD_ENV = "WHH_TEST_IMPORT_HOLD"
HOLD_STAGES = ("begun", "written", "committed")


def hold_point(stage: str) -> None:
    wanted = os.environ.get(HOLD_ENV)
    if not wanted:
        return
    name, _, signal_file = wanted.partition(":")
    if name != stage or not signal_file:
        return
    Path(signal_file).write_text(f"{os.getpid()}\n", encoding="ascii")
    while True:  # until the test kills this process
        time.sleep(60)
