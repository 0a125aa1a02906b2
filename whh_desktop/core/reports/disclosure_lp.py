"""The linear programs of the disclosure control, on HiGHS (``highspy``): a thin layer over the solver.

One ``Lp`` holds the relations of a report (``relations.py``) as rows ``lo ≤ Σ coef·x ≤ hi`` and per-cell bounds;
``extreme`` minimises or maximises one cell, re-using the model (HiGHS warm-starts when only the objective
changes). numpy and highspy are imported on first use: they cost start-up time and only exports need them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from whh_desktop.core.errors import WhhError
from whh_desktop.core.reports.relations import EQ, Relation

INF = math.inf


class LpFailed(WhhError):
    """The solver found no answer (it never should: the true figures are feasible). The export is refused."""

    def __init__(self, status: str) -> None:
        super().__init__("Die Prüfung der Sperrung kleiner Zahlen ist nicht zu Ende gekommen (Rechenfehler: "
                         f"{status}); der Bericht wird deshalb nicht ausgegeben.")


def _solver() -> tuple[Any, Any]:
    import highspy
    import numpy as np

    # highspy.Highs prints a banner on stdout when it is created (it would end up in ``--json`` output);
    # the plain binding does not, and with output_flag off stays quiet
    h = highspy._Highs()  # type: ignore[attr-defined]  # the binding's private class: no banner (see above)
    h.setOptionValue("output_flag", False)
    h.setOptionValue("presolve", "off")
    h.setOptionValue("solver", "simplex")
    return h, np


class Lp:
    def __init__(self, n: int, lower: Sequence[float], upper: Sequence[float], relations: Sequence[Relation],
                 extra_rows: Sequence[tuple[Sequence[tuple[int, float]], float, float]] = ()) -> None:
        import highspy

        self._hs = highspy
        self.h, np = _solver()
        self.np = np
        self.n = n
        inf = highspy.kHighsInf
        lo = np.array([-inf if v == -INF else v for v in lower], dtype=np.float64)
        hi = np.array([inf if v == INF else v for v in upper], dtype=np.float64)
        if n:
            self.h.addVars(n, lo, hi)
        rows: list[tuple[Sequence[tuple[int, float]], float, float]] = [
            (rel.terms, 0.0 if rel.sense == EQ else -inf, 0.0) for rel in relations]
        rows += [(terms, -inf if row_lo == -INF else row_lo, inf if row_hi == INF else row_hi)
                 for terms, row_lo, row_hi in extra_rows]
        if rows:  # all rows in one call (compressed row form)
            starts: list[int] = []
            index: list[int] = []
            value: list[float] = []
            for terms, _, _ in rows:
                starts.append(len(index))
                index += [v for v, _ in terms]
                value += [c for _, c in terms]
            self.h.addRows(len(rows), np.array([r[1] for r in rows], dtype=np.float64),
                           np.array([r[2] for r in rows], dtype=np.float64), len(index),
                           np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32),
                           np.array(value, dtype=np.float64))

    def set_bounds(self, var: int, lo: float, hi: float) -> None:
        inf = self._hs.kHighsInf
        self.h.changeColBounds(var, -inf if lo == -INF else lo, inf if hi == INF else hi)

    def _solve(self) -> str:
        self.h.run()
        status = self.h.getModelStatus()
        ms = self._hs.HighsModelStatus
        if status not in (ms.kOptimal, ms.kUnbounded, ms.kUnboundedOrInfeasible, ms.kInfeasible):
            # rarely the warm-started simplex gives up ("Unknown"): once more from scratch, with presolve
            self.h.clearSolver()
            self.h.setOptionValue("presolve", "on")
            try:
                self.h.run()
            finally:
                self.h.setOptionValue("presolve", "off")
            status = self.h.getModelStatus()
        if status == ms.kOptimal:
            return "optimal"
        if status == ms.kUnbounded:
            return "unbounded"
        if status == ms.kUnboundedOrInfeasible:
            return "unbounded or infeasible"
        if status == ms.kInfeasible:
            return "infeasible"
        raise LpFailed(self.h.modelStatusToString(status))

    def optimise(self, costs: dict[int, float], maximise: bool) -> tuple[float, list[float] | None]:
        """Minimise (maximise) ``Σ cost·x``: the optimum (±``INF`` if unbounded) and a solution if there is one."""
        np = self.np
        idx = np.array(list(costs), dtype=np.int32)
        self.h.changeColsCost(len(idx), idx, np.array(list(costs.values()), dtype=np.float64))
        self.h.changeObjectiveSense(self._hs.ObjSense.kMaximize if maximise else self._hs.ObjSense.kMinimize)
        try:
            status = self._solve()
        finally:
            self.h.changeColsCost(len(idx), idx, np.zeros(len(idx), dtype=np.float64))
        if status == "infeasible":
            raise LpFailed("infeasible")
        if status != "optimal":  # the true figures are feasible, so "unbounded or infeasible" is unbounded
            return (INF if maximise else -INF), None
        solution = list(self.h.getSolution().col_value)
        return sum(c * solution[v] for v, c in costs.items()), solution

    def extreme(self, var: int, maximise: bool) -> float:
        """The smallest (largest) value of ``var`` over the feasible set; ``INF`` if it has no upper limit."""
        return self.optimise({var: 1.0}, maximise)[0]

    def minimise(self, costs: dict[int, float]) -> list[float] | None:
        """Minimise ``Σ cost·x``; the solution, or None if infeasible."""
        np = self.np
        idx = np.array(list(costs), dtype=np.int32)
        self.h.changeColsCost(len(idx), idx, np.array(list(costs.values()), dtype=np.float64))
        self.h.changeObjectiveSense(self._hs.ObjSense.kMinimize)
        status = self._solve()
        if status != "optimal":
            return None
        return list(self.h.getSolution().col_value)
