"""Run as a separate process: unlock a district store and import bundles (for sync_bench). It reports its own peak
RSS (VmHWM of its address space: ``ru_maxrss`` of a child also counts the parent it was forked from), and one
import never inherits the memory of the one before."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main() -> None:
    data_dir, user, bundles = sys.argv[1], sys.argv[2], [Path(p) for p in sys.argv[3:]]
    from whh_desktop.core.services import login, sync
    from whh_desktop.paths import DataPaths

    store, current = login.unlock(DataPaths(Path(data_dir)), user, os.environ["WHH_PASSWORD"])
    try:
        start = time.perf_counter()
        reports = sync.import_bundles(store, current, bundles)
        seconds = time.perf_counter() - start
    finally:
        store.close()
    peak_kb = next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines()
                   if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "applied": [r.applied for r in reports],
                      "reasons": [r.reason for r in reports],
                      "rows": sum(sum(r.counts.values()) for r in reports)}), flush=True)


if __name__ == "__main__":
    main()
