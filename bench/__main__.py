"""``make bench``: every measured target, as a table and as bench/results.json.

``--only PART`` measures one part (its own ``results-PART.json``, never overwriting the whole). "store" builds the
demo store and measures everything on it (fill, unlock, backup, integrity, search, case open, startup);
"search", "case-open" and "startup" build the same store and measure only their part.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from bench import (
    case_open_bench,
    district_pg_bench,
    harness,
    letters_bench,
    matching_bench,
    memory_bench,
    reports_bench,
    search_bench,
    startup_bench,
    store_bench,
    sync_bench,
)
from bench.store_bench import COUNSELLOR, PASSWORD


def _on_demo_store(persons: int, measure: Callable[..., list[harness.Result]], *, opened: bool) -> list[harness.Result]:
    """Build the demo store of ``persons`` and measure one part on it (opened by the counsellor, or closed)."""
    from whh_desktop.core.services import login

    with tempfile.TemporaryDirectory() as tmp:
        paths, _fill = store_bench.make_store(Path(tmp) / "data", persons)
        if not opened:
            return measure(paths)
        store, user = login.unlock(paths, COUNSELLOR, PASSWORD)
        try:
            return measure(store, user)
        finally:
            store.close()


PARTS: dict[str, Callable[[int], list[harness.Result]]] = {
    "store": store_bench.run,  # includes search, case open and startup on the same store
    "search": search_bench.run_all,  # site store, district store on SQLite and on PostgreSQL
    "case-open": lambda n: _on_demo_store(n, case_open_bench.run, opened=True),
    "startup": lambda n: _on_demo_store(n, lambda paths: startup_bench.run(paths.root, COUNSELLOR, PASSWORD),
                                        opened=False),
    "letters": lambda _n: letters_bench.run(),   # issue 04
    "matching": lambda _n: matching_bench.run(),
    "sync": lambda _n: sync_bench.run(),         # issue 05
    "reports": lambda _n: reports_bench.run(),   # issue 06
    "district_pg": lambda _n: district_pg_bench.run(),  # issue 19: SQLite vs PostgreSQL, the regional merge
    "memory": lambda n: _on_demo_store(n, lambda paths: memory_bench.run(paths.root, COUNSELLOR, PASSWORD, n),
                                       opened=False),  # issue 20: the GUI after a counsellor's day
}
# The full run: the store part already measures search, case open and startup.
FULL_RUN = ("store", "matching", "letters", "sync", "reports", "district_pg")


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--only", choices=list(PARTS), help="nur einen Teil messen")
    args = parser.parse_args()
    os.environ.pop("WHH_UNSAFE_TEST_KDF", None)  # measure production Argon2 parameters
    results: list[harness.Result] = []
    for part in (args.only,) if args.only else FULL_RUN:
        results += harness.settle(PARTS[part](args.persons))  # near a bound: the median of three runs
    name = "results.json" if args.only is None else f"results-{args.only}.json"  # a part never overwrites the whole
    harness.report(results, Path(__file__).parent / name)


if __name__ == "__main__":
    main()
