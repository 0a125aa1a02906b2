"""``make bench``: every measured target, as a table and as bench/results.json."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench import harness


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--only", choices=["store", "matching"], help="nur einen Teil messen")
    args = parser.parse_args()
    os.environ.pop("WHH_UNSAFE_TEST_KDF", None)  # measure production Argon2 parameters
    results: list[harness.Result] = []
    from bench import matching_bench, store_bench

    if args.only in (None, "store"):
        results += store_bench.run(args.persons)
    if args.only in (None, "matching"):
        results += matching_bench.run()
    results += [] if args.only else __import__("bench.letters_bench", fromlist=["run"]).run()  # letters, issue 04
    results += [] if args.only else __import__("bench.sync_bench", fromlist=["run"]).run()  # sync, issue 05
    results += [] if args.only else __import__("bench.reports_bench", fromlist=["run"]).run()  # reports, issue 06
    name = "results.json" if args.only is None else f"results-{args.only}.json"  # a part never overwrites the whole
    harness.report(results, Path(__file__).parent / name)


if __name__ == "__main__":
    main()
