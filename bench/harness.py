"""Measure, compare against the target and the raw limit, print a table, write results.json."""

from __future__ import annotations

import json
import math
import platform
import resource
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

NEAR = 0.2  # a value (or ratio) within 20 % of its bound is measured three times and the median reported
RUNS_NEAR = 3


@dataclass
class Result:
    measure: str
    value: float
    unit: str
    target: float | None = None          # the DESIGN.md §7 target (same unit); None: informational
    raw: float | None = None             # the same work done by the raw tool (plain SQLite, reportlab, AES)
    raw_label: str = ""
    ratio_bound: float | None = None     # the bound of value/raw (e.g. 1.5: at most 1.5× the raw tool)
    # Runs the measured work (and its raw side) again: (value, raw or None to keep the raw). With it, ``settle``
    # replaces a result near its bound by the median of three runs.
    remeasure: Callable[[], tuple[float, float | None]] | None = field(default=None, repr=False, compare=False)
    runs: list[float] = field(default_factory=list)  # every run's value when more than one was taken

    @property
    def ratio(self) -> float | None:
        return self.value / self.raw if self.raw else None

    @property
    def met(self) -> bool | None:
        checks = []
        if self.target is not None:
            checks.append(self.value <= self.target)
        if self.ratio_bound is not None and self.ratio is not None:
            checks.append(self.ratio <= self.ratio_bound)
        return all(checks) if checks else None

    @property
    def near_bound(self) -> bool:
        """Within ``NEAR`` of its target or of its ratio bound (either side): one run does not decide it."""
        shares = []
        if self.target:
            shares.append(self.value / self.target)
        if self.ratio_bound and self.ratio is not None:
            shares.append(self.ratio / self.ratio_bound)
        return any(abs(share - 1) <= NEAR for share in shares)

    def as_json(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "remeasure"}
        return out | {"ratio": self.ratio, "met": self.met}


def settle(results: list[Result]) -> list[Result]:
    """Every result near its bound that can be measured again is measured twice more; the run with the median
    ratio (or value, without a raw side) is reported, its value and raw together, and all runs are kept."""
    for r in results:
        if r.remeasure is None or not r.near_bound or len(r.runs) >= RUNS_NEAR:
            continue
        pairs = [(r.value, r.raw)]
        for _ in range(RUNS_NEAR - 1):
            value, raw = r.remeasure()
            pairs.append((value, r.raw if raw is None else raw))
        pairs.sort(key=lambda p: p[0] / p[1] if r.ratio_bound and p[1] else p[0])
        r.value, r.raw = pairs[len(pairs) // 2]
        r.runs = [p[0] for p in pairs]
    return results


def percentiles(samples: Sequence[float], points: Sequence[int] = (50, 95, 99)) -> dict[int, float]:
    """Nearest-rank percentiles: the smallest sample with at least p % of the samples at or below it (p99 of 100
    samples is the 99th, of fewer than 100 the largest). Never interpolated, so p99 is a latency that occurred."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    return {p: ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] for p in points}


def percentile_results(measure: str, samples: Sequence[float], unit: str, *,
                       targets: dict[int, float] | None = None, raw: float | None = None, raw_label: str = "",
                       scale: float = 1.0) -> list[Result]:
    """Rows "<measure> p50", "… p95", "… p99" of ``samples`` (each times ``scale``, e.g. 1000 for s → ms), each
    with its own target from ``targets`` (by percentile) and the same raw limit."""
    points = percentiles(samples)
    return [Result(f"{measure} p{p}", value * scale, unit, (targets or {}).get(p), raw, raw_label)
            for p, value in points.items()]


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


def _ratio_text(r: Result) -> str:
    if not r.ratio:
        return "–"
    return f"{r.ratio:.2f}×" + (f" (≤ {r.ratio_bound:g}×)" if r.ratio_bound else "")


def _measure_text(r: Result) -> str:
    if len(r.runs) < 2:
        return r.measure
    return f"{r.measure} [Median aus {len(r.runs)} Läufen: {', '.join(fmt(v) for v in r.runs)}]"


def report(results: list[Result], out: Path) -> None:
    header = ("measure", "value", "target", "raw limit", "ratio", "ok")
    rows = [(_measure_text(r), fmt(r.value, r.unit), fmt(r.target, r.unit) if r.target else "–",
             f"{fmt(r.raw, r.unit)} ({r.raw_label})" if r.raw else "–",
             _ratio_text(r), {True: "yes", False: "NO", None: ""}[r.met]) for r in results]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    out.write_text(json.dumps({
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine()},
        "results": [r.as_json() for r in results],
    }, indent=2), encoding="utf-8")
    print(f"\nwritten to {out}")
