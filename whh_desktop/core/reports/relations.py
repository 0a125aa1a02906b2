"""The linear relations a reader knows between the counts of one report (DOMAIN.md "Suppression must hold against
subtraction"): the input of the complementary suppression and of the disclosure audit.

Every count cell of every table of the report is a variable. A relation is ``Σ coef·x ≤ 0`` or ``= 0`` over them:

- **Totals.** A column's totals row is the sum of its rows, a row's total column the sum of its other counts. Where a
  total is not a sum (distinct counts: persons over months, a contact serving several Bausteine) the reader still
  knows that every part is at most the total and the parts add up to at least it.
- **Linked tables.** The same figure printed twice is one figure: the overview value of an indicator and the totals
  of its column in every breakdown, the Stichtag's persons and households in every table, persons by sex in the
  age × sex table and in the sex table, the providers in the accommodation table.
- **Facts of the domain** a reader can know: new cases and prevented losses are households of the same row; a
  household of ``k`` persons has ``k`` persons (the Stichtag's household sizes), every household at least one;
  decisions add up to the decided applications, successful Widersprüche are among the decided ones, and the
  Arbeitskreis tables count the same decided applications and Widersprüche.

A relation is only kept if it holds for the true figures (which it always does for the semantic ones — the check
keeps the audit's linear program feasible even for an unusual table, and a data-inferred "total = sum" that holds
only by chance is stricter than the truth, which errs on the safe side). Only ``COUNT`` columns take part; rates
and durations are hidden with their row's counts (``arbeitskreis.protect``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from whh_desktop.core.reports.stichtag import PROVIDERS
from whh_desktop.core.reports.tables import ColumnKind, ReportTable

CellRef = tuple[int, int, int]  # (table index, row index in all_rows(), column index)
EQ, LE = "=", "<="


@dataclass(frozen=True)
class Relation:
    terms: tuple[tuple[int, float], ...]  # (variable, coefficient)
    sense: str  # EQ: Σ = 0, LE: Σ ≤ 0


@dataclass
class Relations:
    cells: list[CellRef] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    index: dict[CellRef, int] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    totals: set[int] = field(default_factory=set)  # variables that are a total (row or column) of their table

    def add(self, terms: Sequence[tuple[int, float]], sense: str) -> None:
        merged: dict[int, float] = {}
        for var, coef in terms:
            merged[var] = merged.get(var, 0.0) + coef
        clean = tuple((v, c) for v, c in merged.items() if c != 0)
        if not clean:
            return
        value = sum(c * self.values[v] for v, c in clean)
        if (sense == EQ and value != 0) or (sense == LE and value > 0):
            return  # not true for these figures: never assume it
        self.relations.append(Relation(clean, sense))

    def equal(self, a: int | None, b: int | None) -> None:
        if a is not None and b is not None and a != b:
            self.add([(a, 1.0), (b, -1.0)], EQ)

    def at_most(self, small: int | None, big: int | None, factor: float = 1.0) -> None:
        """``small ≤ factor · big``."""
        if small is not None and big is not None:
            self.add([(small, 1.0), (big, -factor)], LE)

    def sum_of(self, parts: Sequence[int], total: int) -> None:
        """``total = Σ parts`` where the figures say so, else ``part ≤ total ≤ Σ parts``."""
        if sum(self.values[p] for p in parts) == self.values[total]:
            self.add([*((p, 1.0) for p in parts), (total, -1.0)], EQ)
            return
        for p in parts:
            self.at_most(p, total)
        self.add([(total, 1.0), *((p, -1.0) for p in parts)], LE)


def _count_value(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def build(tables: Sequence[ReportTable]) -> Relations:
    """The relations of one report (the tables as computed, before any suppression)."""
    rel = Relations()
    for t, table in enumerate(tables):
        for r, row in enumerate(table.all_rows()):
            for c, column in enumerate(table.columns):
                value = _count_value(row.cells[c])
                if column.kind is ColumnKind.COUNT and value is not None and value >= 0:
                    rel.index[(t, r, c)] = len(rel.cells)
                    rel.cells.append((t, r, c))
                    rel.values.append(value)
    for t, table in enumerate(tables):
        _within(rel, t, table)
    _links(rel, tables)
    _domain(rel, tables)
    return rel


def _var(rel: Relations, t: int, r: int | None, c: int | None) -> int | None:
    if r is None or c is None:
        return None
    return rel.index.get((t, r, c))


def _within(rel: Relations, t: int, table: ReportTable) -> None:
    counts = [c for c, col in enumerate(table.columns) if col.kind is ColumnKind.COUNT]
    body = range(len(table.rows))
    last = len(table.rows) if table.totals is not None else None
    total_col = table.column_index(table.total_column) if table.total_column else None
    if last is not None:
        for c in counts:
            total = _var(rel, t, last, c)
            parts = [v for r in body if (v := _var(rel, t, r, c)) is not None]
            if total is not None and len(parts) == len(body):
                rel.totals.add(total)
                rel.sum_of(parts, total)
    if total_col is not None:
        for r in range(len(table.all_rows())):
            total = _var(rel, t, r, total_col)
            parts = [v for c in counts if c != total_col and (v := _var(rel, t, r, c)) is not None]
            if total is not None and len(parts) == len(counts) - 1:
                rel.totals.add(total)
                rel.sum_of(parts, total)


def _column(table: ReportTable, key: str) -> int | None:
    try:
        return table.column_index(key)
    except KeyError:
        return None


def _row(table: ReportTable, key: str) -> int | None:
    return next((r for r, row in enumerate(table.rows) if row.key == key), None)


def _links(rel: Relations, tables: Sequence[ReportTable]) -> None:
    keys = {table.key: t for t, table in enumerate(tables)}
    overview = keys.get("overview")
    if overview is not None:
        ov = tables[overview]
        value_col = _column(ov, "value")
        for r, row in enumerate(ov.rows):
            figure = _var(rel, overview, r, value_col)
            for t, table in enumerate(tables):
                if t == overview or table.totals is None:
                    continue
                # the Stichtag's age × sex table holds the persons in its total column
                key = "total" if table.key == "sex_age" and row.key == "persons" else row.key
                rel.equal(figure, _var(rel, t, len(table.rows), _column(table, key)))
    sex_age, sex = keys.get("sex_age"), keys.get("sex")
    if sex_age is not None and sex is not None:
        grid, single = tables[sex_age], tables[sex]
        persons = _column(single, "persons")
        for r, row in enumerate(single.all_rows()):
            column = "total" if row.key == "total" else row.key
            rel.equal(_var(rel, sex, r, persons), _var(rel, sex_age, len(grid.rows), _column(grid, column)))
    _arbeitskreis_links(rel, tables, keys)
    provider, accommodation = keys.get("provider"), keys.get("accommodation")
    if provider is not None and accommodation is not None:
        prov, acc = tables[provider], tables[accommodation]
        for category, provider_key in PROVIDERS.items():
            for column in ("households", "persons"):
                rel.equal(_var(rel, provider, _row(prov, provider_key), _column(prov, column)),
                          _var(rel, accommodation, _row(acc, category), _column(acc, column)))


def _arbeitskreis_links(rel: Relations, tables: Sequence[ReportTable], keys: dict[str, int]) -> None:
    """The Arbeitskreis tables count the same decided applications and Widersprüche (their totals rows)."""
    kinds, qs, objections = keys.get("ak_kinds"), keys.get("ak_quarter_site"), keys.get("ak_objections")

    def total(t: int | None, column: str) -> int | None:
        if t is None or tables[t].totals is None:
            return None
        return _var(rel, t, len(tables[t].rows), _column(tables[t], column))

    rel.equal(total(kinds, "decided"), total(qs, "decided"))
    rel.equal(total(kinds, "abgelehnt"), total(qs, "abgelehnt"))
    granted, parts = total(qs, "granted"), [total(kinds, "bewilligt"), total(kinds, "teilweise")]
    if granted is not None and all(p is not None for p in parts):
        rel.add([*((p, 1.0) for p in parts if p is not None), (granted, -1.0)], EQ)
    rel.equal(total(objections, "decided"), total(qs, "objections_decided"))
    rel.equal(total(objections, "successful"), total(qs, "objections_successful"))


def _per_row(rel: Relations, t: int, table: ReportTable, small: str, big: str, factor: float = 1.0) -> None:
    a, b = _column(table, small), _column(table, big)
    if a is None or b is None:
        return
    for r in range(len(table.all_rows())):
        rel.at_most(_var(rel, t, r, a), _var(rel, t, r, b), factor)


def _domain(rel: Relations, tables: Sequence[ReportTable]) -> None:
    for t, table in enumerate(tables):
        if table.key.startswith("by_") and table.key != "by_baustein":  # indicators per breakdown
            _per_row(rel, t, table, "new_cases", "households")
            _per_row(rel, t, table, "prevented", "households")
        elif table.key == "by_baustein":
            _per_row(rel, t, table, "cases", "contacts")
        elif table.key in ("household_type", "household_size", "accommodation", "municipality", "site", "since",
                           "provider") and _column(table, "households") is not None:
            _per_row(rel, t, table, "households", "persons")  # every household has a person
            if table.key == "household_size":
                _household_sizes(rel, t, table)
            if table.key == "household_type":
                h, p, r = _column(table, "households"), _column(table, "persons"), _row(table, "allein")
                rel.equal(_var(rel, t, r, h), _var(rel, t, r, p))
        elif table.key == "ak_kinds":
            cols = [_column(table, k) for k in ("bewilligt", "teilweise", "abgelehnt", "zurueckgenommen")]
            decided = _column(table, "decided")
            for r in range(len(table.all_rows())):
                parts = [_var(rel, t, r, c) for c in cols]
                total = _var(rel, t, r, decided)
                if total is not None and all(p is not None for p in parts):
                    rel.add([*((p, 1.0) for p in parts if p is not None), (total, -1.0)], EQ)
        elif table.key == "ak_quarter_site":
            g, a, d = (_column(table, k) for k in ("granted", "abgelehnt", "decided"))
            for r in range(len(table.all_rows())):
                parts, total = [_var(rel, t, r, g), _var(rel, t, r, a)], _var(rel, t, r, d)
                if total is not None and all(p is not None for p in parts):  # withdrawn ones are the rest
                    rel.add([*((p, 1.0) for p in parts if p is not None), (total, -1.0)], LE)
            _per_row(rel, t, table, "objections_successful", "objections_decided")
            _per_row(rel, t, table, "evictions_averted", "arrears_granted")
            _per_row(rel, t, table, "arrears_granted", "granted")
        elif table.key == "ak_objections":
            _per_row(rel, t, table, "successful", "decided")


def _household_sizes(rel: Relations, t: int, table: ReportTable) -> None:
    """``k`` persons per household of size ``k``; "5 und mehr" at least five."""
    h, p = _column(table, "households"), _column(table, "persons")
    for r, row in enumerate(table.rows):
        if not row.key.isdigit():
            continue
        hv, pv, k = _var(rel, t, r, h), _var(rel, t, r, p), float(row.key)
        if hv is None or pv is None:
            continue
        if row.key == "5":
            rel.at_most(hv, pv, 1 / 5)  # households ≤ persons / 5
        else:
            rel.add([(pv, 1.0), (hv, -k)], EQ)
