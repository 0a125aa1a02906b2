"""The disclosure audit: can anything hidden in an exported report be worked out from what it prints?

For every hidden count a linear program over the whole report (``relations.py``: totals, linked tables, facts of
the domain; every count nonnegative) finds the smallest and largest value consistent with the printed figures. What
a reader knows of a hidden cell is what its sign says (``FOOTNOTE`` in ``suppress.py``): "< 3" is 1 or 2, "x" is
some value of at least 1 (zeros are always printed). Integrality is not used: the bounds are those of the linear
relaxation, which are never narrower than the integer ones.

The rule (DOMAIN.md "Suppression must hold against subtraction"):
- a "< 3" cell must keep its whole protection range: both 1 and 2 stay possible (smallest ≤ 1, largest ≥ 2);
- an "x" cell must not be pinned: largest − smallest ≥ 1.
A report that breaks the rule is not exported (``DisclosureRisk``, a German message).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.errors import WhhError
from whh_desktop.core.reports import relations as _relations
from whh_desktop.core.reports.disclosure_lp import Lp
from whh_desktop.core.reports.relations import Relations
from whh_desktop.core.reports.tables import ReportTable

SMALL = "< 3"
HIDDEN = "x"
EPS = 1e-6
INF = math.inf


class DisclosureRisk(WhhError):
    """The export would let a hidden count be worked out; nothing is written."""


@dataclass(frozen=True)
class Interval:
    table: str     # the table's key
    row: str       # the row's key
    column: str    # the column's key
    shown: str     # "< 3" or "x"
    lo: float
    hi: float

    @property
    def ok(self) -> bool:
        return safe(self.shown, self.lo, self.hi)

    def describe(self, tables: Sequence[ReportTable]) -> str:
        """German, for the message: table title, row label, column header (no figures)."""
        table = next(t for t in tables if t.key == self.table)
        row = next(r for r in table.all_rows() if r.key == self.row)
        label = next((v for v in row.cells if isinstance(v, str) and v not in (SMALL, HIDDEN)), row.key)
        header = table.columns[table.column_index(self.column)].header
        return f"»{table.title}«, Zeile »{label}«, Spalte »{header}«"


def bounds(rel: Relations, published: Sequence[ReportTable]) -> tuple[list[float], list[float], list[int]]:
    """Per variable what the printed report says of it; and the hidden variables."""
    lower, upper, hidden = [], [], []
    for var, (t, r, c) in enumerate(rel.cells):
        shown = published[t].all_rows()[r].cells[c]
        if shown == SMALL:
            lo, hi = 1.0, 2.0
        elif shown == HIDDEN:
            lo, hi = 1.0, INF
        elif isinstance(shown, int) and not isinstance(shown, bool):
            lo = hi = float(shown)
        else:
            raise ValueError(f"unexpected cell {shown!r}")
        lower.append(lo)
        upper.append(hi)
        if shown in (SMALL, HIDDEN):
            hidden.append(var)
    return lower, upper, hidden


def safe(shown: str, lo: float, hi: float) -> bool:
    if shown == SMALL:
        return lo <= 1 + EPS and hi >= 2 - EPS
    return hi - lo >= 1 - EPS


def certify(lp: Lp, hidden: Sequence[int], shown: Sequence[str],
            known: Sequence[float] | None = None) -> dict[int, tuple[float, float]]:
    """Per hidden variable a range of values the feasible set is known to reach: exact (its minimum and maximum)
    where the rule fails, else at least wide enough to pass it. Every solution the solver returns is a feasible
    point for all cells at once, so a few solutions settle most cells and only the rest need their own pair of
    programs (``known``: a feasible point to start from, the true figures). ``shown[i]`` is the sign of
    ``hidden[i]``."""
    seen_lo = {v: (known[v] if known else INF) for v in hidden}
    seen_hi = {v: (known[v] if known else -INF) for v in hidden}

    def note(solution: list[float] | None) -> None:
        if solution is not None:
            for v in hidden:
                seen_lo[v] = min(seen_lo[v], solution[v])
                seen_hi[v] = max(seen_hi[v], solution[v])

    sign = dict(zip(hidden, shown, strict=True))
    if hidden:
        note(lp.optimise({v: 1.0 for v in hidden}, False)[1])  # everything hidden as small as it may be
        small = [v for v in hidden if sign[v] == SMALL]
        if small:
            note(lp.optimise({v: 1.0 for v in small}, True)[1])  # and the "< 3" as large
    out: dict[int, tuple[float, float]] = {}
    for v in hidden:
        if not safe(sign[v], seen_lo[v], seen_hi[v]):
            lo, solution = lp.optimise({v: 1.0}, False)
            note(solution)
            seen_lo[v] = min(seen_lo[v], lo)
            if not safe(sign[v], seen_lo[v], seen_hi[v]):
                hi, solution = lp.optimise({v: 1.0}, True)
                note(solution)
                seen_hi[v] = max(seen_hi[v], hi)
        out[v] = (seen_lo[v], seen_hi[v])
    return out


def intervals(rel: Relations, published: Sequence[ReportTable]) -> list[Interval]:
    """Per hidden cell its interval (exact where the rule fails; else a part of it wide enough to pass: see
    ``certify``)."""
    lower, upper, hidden = bounds(rel, published)
    if not hidden:
        return []
    lp = Lp(len(rel.cells), lower, upper, rel.relations)
    signs = [str(published[rel.cells[v][0]].all_rows()[rel.cells[v][1]].cells[rel.cells[v][2]]) for v in hidden]
    ranges = certify(lp, hidden, signs, [float(v) for v in rel.values])
    out = []
    for var, shown in zip(hidden, signs, strict=True):
        t, r, c = rel.cells[var]
        table = published[t]
        out.append(Interval(table.key, table.all_rows()[r].key, table.columns[c].key, shown, *ranges[var]))
    return out


@dataclass(frozen=True)
class AuditResult:
    intervals: tuple[Interval, ...]

    @property
    def failures(self) -> tuple[Interval, ...]:
        return tuple(i for i in self.intervals if not i.ok)

    @property
    def ok(self) -> bool:
        return not self.failures


def audit(original: Sequence[ReportTable], published: Sequence[ReportTable],
          rel: Relations | None = None) -> AuditResult:
    """The intervals of every hidden cell of ``published`` (the same tables as ``original``, suppressed)."""
    rel = rel if rel is not None else _relations.build(original)
    return AuditResult(tuple(intervals(rel, published)))


def ensure_safe(original: Sequence[ReportTable], published: Sequence[ReportTable],
                rel: Relations | None = None) -> AuditResult:
    result = audit(original, published, rel)
    if not result.ok:
        first = result.failures[0]
        more = len(result.failures) - 1
        raise DisclosureRisk(
            "Der Bericht wird nicht ausgegeben: ein gesperrter kleiner Wert ließe sich aus den übrigen Zahlen "
            f"berechnen ({first.describe(published)}"
            + (f" und {plural(more, 'weitere Stelle', 'weitere Stellen')}" if more else "")
            + "). Bitte einen längeren Zeitraum oder mehr Standorte wählen.")
    return result
