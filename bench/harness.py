"""Measure, compare against the target and the raw limit, print a table, write results.json."""

from __future__ import annotations

import json
import platform
import resource
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Result:
    measure: str
    value: float
    unit: str
    target: float | None = None          # the DESIGN.md §7 target (same unit); None: informational
    raw: float | None = None             # the same work done by the raw tool (plain SQLite, reportlab, AES)
    raw_label: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.raw if self.raw else None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value <= self.target


def timed(fn: Callable[[], object], repeat: int = 1) -> float:
    """Best of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = f"{value:,.3f}" if value < 10 else f"{value:,.1f}"
    return f"{text} {unit}".strip()


def report(results: list[Result], out: Path) -> None:
    header = ("measure", "value", "target", "raw limit", "ratio", "ok")
    rows = [(r.measure, fmt(r.value, r.unit), fmt(r.target, r.unit) if r.target else "–",
             f"{fmt(r.raw, r.unit)} ({r.raw_label})" if r.raw else "–",
             f"{r.ratio:.2f}×" if r.ratio else "–", {True: "yes", False: "NO", None: ""}[r.met]) for r in results]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    out.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()},
        "results": [asdict(r) | {"ratio": r.ratio, "met": r.met} for r in results],
    }, indent=2), encoding="utf-8")
    print(f"\nwritten to {out}")
