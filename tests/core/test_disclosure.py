"""Statistics that cannot be subtracted (issue 16, point 3): complementary suppression and its LP audit.

Each test builds report tables as the reports do, suppresses them and has the audit (a linear program over all
published tables, built independently from the unsuppressed figures) check that no hidden cell can be worked out.
"""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from whh_desktop.core.reports import audit, relations, suppress
from whh_desktop.core.reports.audit import HIDDEN, SMALL, DisclosureRisk
from whh_desktop.core.reports.disclosure_lp import Lp
from whh_desktop.core.reports.relations import EQ, Relation
from whh_desktop.core.reports.tables import Column, ColumnKind, ReportTable, Row, total_row
from whh_desktop.core.services import reports


def table(key: str, grid: list[list[int]], *, row_total: bool = False, totals: bool = True,
          columns: list[str] | None = None, rows: list[str] | None = None) -> ReportTable:
    names = columns or [f"c{i}" for i in range(len(grid[0]) if grid else 1)]
    cols = (Column("label", "Merkmal", ColumnKind.TEXT), *(Column(n, n) for n in names))
    if row_total:
        cols = (*cols, Column("total", "Insgesamt"))
    keys = rows or [f"r{i}" for i in range(len(grid))]
    body = [Row(k, (f"Zeile {k}", *line, *((sum(line),) if row_total else ()))) for k, line in zip(keys, grid,
                                                                                                   strict=True)]
    return ReportTable(key, f"Tabelle {key}", cols, tuple(body), total_row(cols, body) if totals else None,
                       total_column="total" if row_total else None)


def cells(t: ReportTable) -> list[list[object]]:
    return [list(r.cells[1:]) for r in t.all_rows()]


def assert_protected(original: list[ReportTable], published: list[ReportTable]) -> audit.AuditResult:
    """The audit passes, every hidden cell truly was hidden, every visible one is exact, and small counts never
    show as figures."""
    result = audit.audit(original, published)
    assert result.ok, result.failures
    for before, after in zip(original, published, strict=True):
        for row_b, row_a in zip(before.all_rows(), after.all_rows(), strict=True):
            for col, b, a in zip(before.columns, row_b.cells, row_a.cells, strict=True):
                if col.kind is not ColumnKind.COUNT or not isinstance(b, int):
                    continue
                if a == SMALL:
                    assert b in (1, 2)
                elif a == HIDDEN:
                    assert b >= 1
                else:
                    assert a == b and b not in (1, 2)
    for i in result.intervals:  # the interval always holds the true value
        assert i.lo - 1e-6 <= _true(original, i) <= i.hi + 1e-6
    return result


def _true(tables: list[ReportTable], i: audit.Interval) -> int:
    t = next(t for t in tables if t.key == i.table)
    return int(t.value(i.row, i.column))


# ---- the examples --------------------------------------------------------------------------------------
def test_three_months_below_three_with_total_three() -> None:
    months = table("by_month", [[1], [1], [1], [0], [5]], columns=["referrals_spdi"])
    # primary suppression alone: three "< 3" and the total 8 minus the visible 5 gives 3 = 1 + 1 + 1
    naive = months.with_rows(tuple(Row(r.key, (r.cells[0], SMALL if r.cells[1] in (1, 2) else r.cells[1]))
                                   for r in months.rows), months.totals, suppressed=True)
    with pytest.raises(DisclosureRisk, match="ließe sich aus den übrigen Zahlen berechnen"):
        audit.ensure_safe([months], [naive])
    out = suppress.suppress(months)
    assert_protected([months], [out])
    assert cells(out)[:3] == [[SMALL]] * 3 and HIDDEN in (cells(out)[4][0], cells(out)[5][0])


def test_three_months_below_three_with_total_three_in_the_overview() -> None:
    """The total stands in the overview too: hiding it in the month table alone would not help."""
    overview = ReportTable("overview", "Kennzahlen", (Column("indicator", "Kennzahl", ColumnKind.TEXT),
                                                      Column("value", "Anzahl")),
                           (Row("referrals_spdi", ("Vermittlung an SpDi/GPV", 3)),), dimension="indicator")
    months = table("by_month", [[1], [1], [1], [0]], columns=["referrals_spdi"])
    sites = table("by_site", [[3], [0]], columns=["referrals_spdi"])
    out = suppress.suppress_all([overview, months, sites])
    assert_protected([overview, months, sites], out)
    assert out[0].rows[0].cells[1] == HIDDEN  # the 3 of the overview is the sum of the three "< 3"
    assert cells(out[2])[0][0] == HIDDEN and cells(out[2])[2][0] == HIDDEN


def test_household_size_below_three_next_to_four_persons() -> None:
    """WoBerichtsG: two households of two persons. "< 3" households next to 4 persons gave the 2 away."""
    sizes = table("household_size", [[0, 0], [2, 4], [3, 9], [0, 0], [0, 0]], columns=["households", "persons"],
                  rows=["1", "2", "3", "4", "5"])
    naive = sizes.with_rows(tuple(Row(r.key, (r.cells[0], SMALL if r.cells[1] == 2 else r.cells[1], r.cells[2]))
                                  for r in sizes.rows), sizes.totals, suppressed=True)
    assert not audit.audit([sizes], [naive]).ok
    out = suppress.suppress(sizes)
    assert_protected([sizes], [out])
    assert cells(out)[1] == [SMALL, HIDDEN]


def test_stichtag_tables_share_their_persons_and_households() -> None:
    overview = ReportTable("overview", "Stichtag", (Column("label", "Merkmal", ColumnKind.TEXT),
                                                    Column("value", "Anzahl")),
                           (Row("persons", ("Personen", 12)), Row("households", ("Haushalte", 6))))
    sizes = table("household_size", [[2, 2], [1, 2], [1, 3], [2, 5], [0, 0]], columns=["households", "persons"],
                  rows=["1", "2", "3", "4", "5"])
    site = table("site", [[5, 10], [1, 2]], columns=["households", "persons"])
    sizes_sizes = [overview, sizes, site]
    rel = relations.build(sizes_sizes)
    assert len(rel.relations) > 10
    out = suppress.suppress_all(sizes_sizes)
    assert_protected(sizes_sizes, out)


# ---- bad input -------------------------------------------------------------------------------------------------
def test_every_cell_small() -> None:
    t = table("t", [[1, 2, 1], [2, 1, 2]], row_total=True)
    out = suppress.suppress(t)
    result = assert_protected([t], [out])
    assert all(v == SMALL for line in cells(out)[:2] for v in line[:3])  # no inner cell printed as a figure
    assert all(i.hi - i.lo >= 1 for i in result.intervals)


def test_a_single_non_zero_cell() -> None:
    t = table("t", [[0, 0, 0], [0, 1, 0], [0, 0, 0]], row_total=True)
    out = suppress.suppress(t)
    assert_protected([t], [out])
    grid = cells(out)
    assert grid[1][1] == SMALL and grid[1][3] == SMALL and grid[3][1] == SMALL and grid[3][3] == SMALL
    assert grid[0] == [0, 0, 0, 0]


def test_a_row_with_one_cell() -> None:
    for value in (1, 2, 3, 7):
        t = table("t", [[value]], row_total=True)
        out = suppress.suppress(t)
        assert_protected([t], [out])
        if value <= 2:
            assert set(v for line in cells(out) for v in line) <= {SMALL, HIDDEN}


def test_a_table_without_rows_or_counts() -> None:
    empty = table("t", [], columns=["n"])
    assert cells(suppress.suppress(empty)) == [[0]]
    text = ReportTable("q", "Qualität", (Column("a", "Aktenzeichen", ColumnKind.TEXT),), (Row("1", ("A-1",)),))
    assert suppress.suppress(text).rows == text.rows


def test_a_period_without_data(district_any) -> None:
    store, _user = district_any
    with store.read_session() as s:
        tables = reports.indicators(s, date(2019, 1, 1), date(2019, 12, 31))
        stichtag = reports.stichtag_wobericht(s, 2019)
    for report in (tables, stichtag):
        out = reports.suppress_for_export(report)
        assert_protected(report, out)
        assert not any(isinstance(v, str) and v in (SMALL, HIDDEN) for t in out for r in t.all_rows()
                       for v in r.cells)


def test_a_total_of_two_small_cells_is_not_shown_as_small() -> None:
    # 1 + 1 = 2: "< 3" would be pinned at 2 (zeros are printed, so both parts are at least 1)
    t = table("t", [[1], [1]])
    out = suppress.suppress(t)
    assert_protected([t], [out])
    assert cells(out) == [[SMALL], [SMALL], [HIDDEN]]


def test_idempotent_and_refusing_message_is_german() -> None:
    t = table("t", [[1, 12], [7, 9]], row_total=True)
    out = suppress.suppress(t)
    assert suppress.suppress(out) is out
    # primary suppression only: the row total 13 and the column total 8 give the 1 back
    tampered = out.with_rows(tuple(Row(r.key, (r.cells[0], SMALL if r.cells[1] == 1 else r.cells[1],
                                               *r.cells[2:])) for r in t.rows), t.totals)
    with pytest.raises(DisclosureRisk) as err:
        audit.ensure_safe([t], [tampered])
    assert "Zeile »Zeile r0«" in str(err.value) and "Spalte »c0«" in str(err.value)


# ---- generated tables ------------------------------------------------------------------------------------------
small_counts = st.one_of(st.integers(0, 3), st.integers(0, 40))


@st.composite
def reports_(draw) -> list[ReportTable]:
    """A two-dimensional table with row and column totals, its overview and a second breakdown of the same
    population sharing the column totals (as by_month and by_site share an indicator's total)."""
    n_rows, n_cols = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    grid = [[draw(small_counts) for _ in range(n_cols)] for _ in range(n_rows)]
    names = [f"i{c}" for c in range(n_cols)]
    main = table("by_month", grid, row_total=draw(st.booleans()), columns=names)
    totals = [sum(line[c] for line in grid) for c in range(n_cols)]
    other_rows = draw(st.integers(1, 3))
    other = []
    for c in range(n_cols):  # split each column's total over the other breakdown's rows
        cuts = sorted(draw(st.integers(0, totals[c])) for _ in range(other_rows - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, totals[c]], strict=True)]
        other.append(parts)
    second = table("by_site", [[other[c][r] for c in range(n_cols)] for r in range(other_rows)], columns=names)
    overview = ReportTable("overview", "Kennzahlen", (Column("indicator", "Kennzahl", ColumnKind.TEXT),
                                                      Column("value", "Anzahl")),
                           tuple(Row(n, (n, totals[c])) for c, n in enumerate(names)), dimension="indicator")
    return [overview, main, second]


def _reference_intervals(published: list[ReportTable]) -> list[tuple[str, float, float]]:
    """The attacker's LP written out by hand for the generated shape (not through ``relations.build``): every
    total row and total column is a sum, each overview value is the total of its column in both breakdowns."""
    var: dict[tuple[int, int, int], int] = {}
    for t, tab in enumerate(published):
        for r in range(len(tab.all_rows())):
            for c, column in enumerate(tab.columns):
                if column.kind is ColumnKind.COUNT:
                    var[(t, r, c)] = len(var)
    rows: list[Relation] = []

    def equal_sum(parts: list[int], total: int) -> None:
        rows.append(Relation((*((p, 1.0) for p in parts), (total, -1.0)), EQ))

    for t in (1, 2):
        tab = published[t]
        n = len(tab.rows)
        for c, column in enumerate(tab.columns):
            if column.kind is ColumnKind.COUNT:
                equal_sum([var[(t, r, c)] for r in range(n)], var[(t, n, c)])
        if tab.total_column:
            tc = tab.column_index("total")
            for r in range(n + 1):
                equal_sum([var[(t, r, c)] for c in range(1, tc)], var[(t, r, tc)])
    for r, row in enumerate(published[0].rows):
        for t in (1, 2):
            tab = published[t]
            equal_sum([var[(0, r, 1)]], var[(t, len(tab.rows), tab.column_index(row.key))])
    lower, upper, hidden = [], [], []
    for (t, r, c), v in var.items():
        shown = published[t].all_rows()[r].cells[c]
        lo, hi = {SMALL: (1.0, 2.0), HIDDEN: (1.0, math.inf)}.get(shown, (shown, shown))
        lower.append(float(lo))
        upper.append(float(hi))
        if shown in (SMALL, HIDDEN):
            hidden.append((v, str(shown)))
    lp = Lp(len(var), lower, upper, rows)
    return [(shown, lp.extreme(v, False), lp.extreme(v, True)) for v, shown in hidden]


def _check_generated(tables: list[ReportTable]) -> None:
    out = suppress.suppress_all(tables)
    assert_protected(tables, out)
    for shown, lo, hi in _reference_intervals(out):
        if shown == SMALL:
            assert lo <= 1 + 1e-6 and hi >= 2 - 1e-6
        else:
            assert hi - lo >= 1 - 1e-6


@settings(max_examples=40)
@given(reports_())
def test_generated_reports_pass_the_audit(tables: list[ReportTable]) -> None:
    _check_generated(tables)


@pytest.mark.slow
@settings(max_examples=1000)
@given(reports_())
def test_generated_reports_pass_the_audit_1000(tables: list[ReportTable]) -> None:
    _check_generated(tables)


# ---- the demo district -----------------------------------------------------------------------------------------
@pytest.mark.slow
def test_demo_district_yearly_reports_pass_the_audit(tmp_path) -> None:
    """The reports bench's district (five sites of demo cases, most of them pseudonymous records), small: every
    yearly report leaves through ``suppress_for_export`` and the audit finds no hidden cell it could work out."""
    from bench.reports_bench import make_district_store
    from bench.store_bench import PASSWORD
    from whh_desktop.core.services import login

    paths = make_district_store(tmp_path / "data", per_site=120)
    store, _user = login.unlock(paths, "bench", PASSWORD)
    try:
        with store.read_session() as s:
            yearly = {"indicators": reports.indicators(s, date(2025, 1, 1), date(2025, 12, 31)),
                      "nrw": reports.stichtag_nrw(s, 2025), "wobericht": reports.stichtag_wobericht(s, 2026),
                      "arbeitskreis": reports.arbeitskreis(s, date(2025, 1, 1), date(2025, 12, 31))}
    finally:
        store.close()
    hidden = 0
    for report in yearly.values():
        out = reports.suppress_for_export(report)
        result = assert_protected(report, out)
        hidden += len(result.intervals)
    assert hidden > 0  # small counts exist at this size, and they are protected


def primary_only(tables: list[ReportTable]) -> list[ReportTable]:
    """What primary suppression alone would print: 1 and 2 as "< 3", everything else as it is."""
    def row(r: Row, t: ReportTable) -> Row:
        return Row(r.key, tuple(SMALL if c.kind is ColumnKind.COUNT and v in (1, 2) else v
                                for c, v in zip(t.columns, r.cells, strict=True)))
    return [t.with_rows(tuple(row(r, t) for r in t.rows), row(t.totals, t) if t.totals else None, suppressed=True)
            for t in tables]


def test_real_reports_link_their_tables(district_any) -> None:
    """The reports world: five new cases fall into five months as "< 3" each, so the year's 5 (in the overview
    and every breakdown) gives every month away; the Stichtag's persons stand in every table. Primary suppression
    alone is refused by the audit, the export passes it."""
    from tests.core import reports_world

    store, user = district_any
    world = reports_world.build(store, user)
    with world.store.read_session() as s:
        year = reports.indicators(s, date(2025, 1, 1), date(2025, 12, 31))
        wob = reports.stichtag_wobericht(s, 2026)
    naive = audit.audit(year, primary_only(year))
    assert not naive.ok
    assert any(f.table == "by_month" and f.column == "new_cases" for f in naive.failures)
    out = {t.key: t for t in reports.suppress_for_export(year)}
    assert_protected(year, list(out.values()))
    assert out["overview"].value("new_cases", "value") == HIDDEN
    assert all(out[k].totals.cells[out[k].column_index("new_cases")] == HIDDEN
               for k in ("by_month", "by_site", "by_municipality", "by_category"))
    rel = relations.build(wob)
    linked = {(wob[rel.cells[a][0]].key, wob[rel.cells[b][0]].key) for r in rel.relations if r.sense == relations.EQ
              and len(r.terms) == 2 for (a, _), (b, _) in [r.terms]}
    assert {("overview", "sex_age"), ("sex", "sex_age"), ("provider", "accommodation"),
            ("overview", "household_size")} <= linked
    assert_protected(wob, reports.suppress_for_export(wob))
