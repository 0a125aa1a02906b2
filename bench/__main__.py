"""``make bench``: every measured target, as a table and as bench/results.json."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench import harness


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.pop("WHH_UNSAFE_TEST_KDF", None)  # measure production Argon2 parameters
    results: list[harness.Result] = []
    from bench import store_bench

    results += store_bench.run(args.persons)
    harness.report(results, Path(__file__).parent / "results.json")


if __name__ == "__main__":
    main()
