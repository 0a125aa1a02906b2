"""Small counts in anything that leaves the district (DOMAIN.md "Suppression must hold against subtraction",
DESIGN.md §10): primary and complementary suppression over all tables of a report, checked by the audit.

**Primary.** A count of 1 or 2 shows as ``"< 3"``. Zeros stay visible: they reveal nothing about a person.

**Complementary** (secondary). Hiding a cell is worthless when a total, another row or the same figure in a linked
table gives it back. The cells to hide are chosen the way τ-ARGUS' "optimal"/"modular" and sdcTable's
``OPT``/``HITAS`` methods do it (Fischetti & Salazar's model of the attacker; Kelly, Golden & Assad's
cost-minimal protection): for a hidden cell the audit (``audit.py``) finds pinned or not fully protected, one linear
program looks for the cheapest *counter-example* — figures that satisfy every relation of the report
(``relations.py``) and every printed value except those of cells we may still hide, with the unsafe cell moved to
the value the reader must not be able to exclude (the other of 1 and 2 for "< 3"; one more or one less for "x").
The cells whose figure moves in it are hidden ("x"); then the counter-example is consistent with the new printout,
so the cell is protected, and hiding more only widens every interval (earlier cells stay protected). Repeat until
the audit passes; then every complementary cell the pattern does not need after all is printed again, largest first
(the clean-up step of the heuristics).

The cost of hiding a cell is its value (τ-ARGUS' default cost, "cell value"; the information lost is the printed
mass): small inner cells are preferred to large ones, and totals — which also stand in the overview and the other
breakdowns — are hidden last. The first attempt assumes that an "x" cell is at least 3 (as a reader who knows the
method may), so the pattern also holds against that reader; only if that is impossible (a "< 3" household count
next to the persons of two-person households, a "< 3" total of two "< 3" cells) may a small cell show as "x" too,
and "x" promises no more than "at least 1". An "x" cell the audit finds pinned is printed instead: it gives nothing
away that the report does not already. The audit runs on the result; if it fails the export is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from whh_desktop.core.reports import relations as _relations
from whh_desktop.core.reports.audit import EPS, HIDDEN, INF, SMALL, DisclosureRisk, certify, ensure_safe, safe
from whh_desktop.core.reports.disclosure_lp import Lp
from whh_desktop.core.reports.relations import Relations
from whh_desktop.core.reports.tables import Cell, ReportTable, Row

__all__ = ["FOOTNOTE", "HIDDEN", "SMALL", "Protection", "is_small", "protect_report", "suppress", "suppress_all"]

FOOTNOTE = ("< 3: ein oder zwei Fälle (zum Schutz der Betroffenen nicht genau ausgewiesen); x: gesperrt (ein Wert "
            "ab 1), weil sich sonst ein kleiner Wert aus anderen Zahlen des Berichts berechnen ließe.")
VISIBLE = "visible"
MAX_ROUNDS = 200


def is_small(value: Cell) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 2


@dataclass(frozen=True)
class Protection:
    """The exported tables, and what it cost: ``primary`` cells (counts of 1 or 2, shown "< 3" or, where that
    label would give them away, "x"), ``secondary`` cells of 3 or more hidden beyond them ("x"), of ``cells``
    count cells (``nonzero`` of them not zero)."""

    tables: tuple[ReportTable, ...]
    primary: int
    secondary: int
    cells: int
    nonzero: int

    @property
    def secondary_share(self) -> float:
        return self.secondary / self.nonzero if self.nonzero else 0.0


def _published(tables: Sequence[ReportTable], rel: Relations, state: list[str]) -> list[ReportTable]:
    grids = [[list(r.cells) for r in t.all_rows()] for t in tables]
    for var, (t, r, c) in enumerate(rel.cells):
        if state[var] != VISIBLE:
            grids[t][r][c] = state[var]
    out = []
    for table, grid in zip(tables, grids, strict=True):
        rows = tuple(Row(old.key, tuple(cells)) for old, cells in zip(table.rows, grid, strict=False))
        totals = Row(table.totals.key, tuple(grid[-1])) if table.totals is not None else None
        hidden = any(v in (SMALL, HIDDEN) for cells in grid for v in cells)
        notes = table.footnotes + ((FOOTNOTE,) if hidden and FOOTNOTE not in table.footnotes else ())
        out.append(table.with_rows(rows, totals, footnotes=notes, suppressed=True))
    return out


def _counter_example(rel: Relations, state: list[str], target: int, value: float,
                     strict: bool) -> list[str] | None:
    """The cheapest set of cells to hide so that ``target`` may take ``value``: the new states, or None."""
    n = len(rel.cells)
    lower, upper = [0.0] * n, [0.0] * n
    extra: list[tuple[list[tuple[int, float]], float, float]] = []
    costs: dict[int, float] = {}
    moves: dict[int, int] = {}   # visible cell → its first deviation variable (+, then −)
    widen: dict[int, int] = {}   # "< 3" cell → its variable "above 2" (shown as "x" then)
    col = n
    for var, a in enumerate(rel.values):
        s = state[var]
        if var == target:
            lower[var] = upper[var] = value
        elif s == SMALL:
            lower[var], upper[var] = 1.0, (2.0 if strict else INF)
            if not strict:
                widen[var] = col
                extra.append(([(var, 1.0), (col, -1.0)], -INF, 2.0))
                costs[col] = 1.0
                col += 1
        elif s == HIDDEN:
            lower[var], upper[var] = (3.0 if strict and a >= 3 else 1.0), INF
        elif a == 0:
            pass  # zeros stay printed
        else:
            lower[var], upper[var] = (3.0 if strict else 1.0), INF
            moves[var] = col
            extra.append(([(var, 1.0), (col, -1.0), (col + 1, 1.0)], float(a), float(a)))
            costs[col] = costs[col + 1] = float(a)
            col += 2
    lower += [0.0] * (col - n)
    upper += [INF] * (col - n)
    lp = Lp(col, lower, upper, rel.relations, extra)
    solution = lp.minimise(costs)
    if solution is None:
        return None
    new = list(state)
    for var, first in moves.items():
        if solution[first] + solution[first + 1] > EPS:
            new[var] = HIDDEN
    for var, above in widen.items():
        if solution[above] > EPS:
            new[var] = HIDDEN
    return new


def _protect(rel: Relations, state: list[str], var: int, lo: float, hi: float) -> list[str]:
    a = rel.values[var]
    if state[var] == SMALL:
        targets = [1.0] if lo > 1 + EPS else [2.0]
    else:
        targets = [hi + 1, lo - 1] if lo - 1 >= 1 else [hi + 1]
    for strict in (True, False):
        for value in targets:
            if value == INF or value < 1:
                continue
            new = _counter_example(rel, state, var, value, strict)
            if new is not None:
                return new
    if state[var] == SMALL:
        # A "< 3" made of hidden parts that are never 0 (a total of two "< 3" cells is at least 2): it cannot
        # keep 1 and 2 open, so it shows as "x" and is protected as one (next round).
        new = list(state)
        new[var] = HIDDEN
        return new
    raise DisclosureRisk(
        "Der Bericht lässt sich nicht so sperren, dass kein kleiner Wert aus den übrigen Zahlen berechenbar ist "
        f"(Wert {a} ist fest an andere gebunden). Bitte einen längeren Zeitraum oder mehr Standorte wählen.")


def _choose(rel: Relations) -> list[str]:
    state = [SMALL if 1 <= v <= 2 else VISIBLE for v in rel.values]
    for _ in range(MAX_ROUNDS):
        found = _unsafe(rel, state)
        if not found:
            return _clean_up(rel, state)
        for var, _lo, _hi in found:
            lo, hi = _interval(rel, state, var)
            if safe(state[var], lo, hi):
                continue  # protected by an earlier counter-example of this round
            if state[var] == HIDDEN and rel.values[var] >= 3 and hi - lo < EPS:
                state[var] = VISIBLE  # pinned anyway: printing it gives nothing away
                continue
            state = _protect(rel, state, var, lo, hi)
    raise DisclosureRisk("Die Sperrung des Berichts kommt zu keinem Ende; bitte den Zeitraum ändern.")


def _bounds(rel: Relations, state: list[str], strict: bool = False) -> tuple[list[float], list[float]]:
    """What the printout says of each cell; ``strict``: also that an "x" hiding a count of 3 or more is ≥ 3."""
    lower, upper = [], []
    for var, a in enumerate(rel.values):
        s = state[var]
        floor = 3.0 if strict and s == HIDDEN and a >= 3 else 1.0
        lower.append(float(a) if s == VISIBLE else floor)
        upper.append(float(a) if s == VISIBLE else (2.0 if s == SMALL else INF))
    return lower, upper


def _passes(rel: Relations, state: list[str]) -> bool:
    """The strict audit (a reader who knows that "x" cells chosen as complements are at least 3)."""
    hidden = [v for v, s in enumerate(state) if s != VISIBLE]
    lower, upper = _bounds(rel, state, strict=True)
    lp = Lp(len(rel.cells), lower, upper, rel.relations)
    ranges = certify(lp, hidden, [state[v] for v in hidden], [float(v) for v in rel.values])
    return all(safe(state[v], *ranges[v]) for v in hidden)


def _clean_up(rel: Relations, state: list[str]) -> list[str]:
    """Print again every complementary cell that is not needed (largest first: they lose the most), as long as
    the pattern stays safe even for the strict reader. LP counter-examples may move more cells than one needs."""
    candidates = sorted((v for v, s in enumerate(state) if s == HIDDEN and rel.values[v] >= 3),
                        key=lambda v: -rel.values[v])
    if not candidates or not _passes(rel, state):
        return state  # nothing to print again, or a fallback pattern (see the module doc): leave it as chosen
    for var in candidates:
        trial = list(state)
        trial[var] = VISIBLE
        if _passes(rel, trial):
            state = trial
    return state


def _interval(rel: Relations, state: list[str], var: int) -> tuple[float, float]:
    lower, upper = _bounds(rel, state)
    lp = Lp(len(rel.cells), lower, upper, rel.relations)
    return certify(lp, [var], [state[var]], [float(v) for v in rel.values])[var]


def _unsafe(rel: Relations, state: list[str]) -> list[tuple[int, float, float]]:
    hidden = [v for v, s in enumerate(state) if s != VISIBLE]
    if not hidden:
        return []
    lower, upper = _bounds(rel, state)
    lp = Lp(len(rel.cells), lower, upper, rel.relations)
    ranges = certify(lp, hidden, [state[v] for v in hidden], [float(v) for v in rel.values])
    out = [(v, *ranges[v]) for v in hidden if not safe(state[v], *ranges[v])]
    # "< 3" cells first: they are what must be protected; an "x" may turn out pinned and simply be printed
    out.sort(key=lambda item: (state[item[0]] != SMALL, item[0]))
    return out


def protect_report(tables: Sequence[ReportTable]) -> Protection:
    """Primary and complementary suppression over all tables of one report, audited."""
    tables = list(tables)
    rel = _relations.build(tables)
    state = _choose(rel)
    published = _published(tables, rel, state)
    ensure_safe(tables, published, rel)
    return Protection(tuple(published), primary=sum(1 <= v <= 2 for v in rel.values),
                      secondary=sum(s != VISIBLE and v >= 3 for s, v in zip(state, rel.values, strict=True)),
                      cells=len(state),
                      nonzero=sum(v > 0 for v in rel.values))


def suppress_all(tables: list[ReportTable]) -> list[ReportTable]:
    """The report as it may leave the district. Tables suppressed before pass through unchanged (idempotent)."""
    fresh = [t for t in tables if not t.suppressed]
    if not fresh:
        return list(tables)
    done = iter(protect_report(fresh).tables)
    return [t if t.suppressed else next(done) for t in tables]


def suppress(table: ReportTable) -> ReportTable:
    """One table on its own (a report of one table)."""
    return suppress_all([table])[0]
