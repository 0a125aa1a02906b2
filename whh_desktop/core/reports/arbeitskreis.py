"""Figures for the Arbeitskreis with the Jobcenter (issue 08, point 4): where do procedures stall?

Per kind of application and per quarter and site: processing time (submission to decision, in days; median and
90th percentile), approval and rejection rates, the share of successful Widersprüche and the evictions averted after
a Mietschulden approval (§ 22 Abs. 8 SGB II, § 36 SGB XII). An application counts in the period in which it was
decided; withdrawn applications count as decided but have no processing time and no place in the rates.

At the district most cases are pseudonymous records: their applications (``sync_pseudonym_applications``, written
by the importer from the record's whitelisted application statistics) count alongside the identified ones
(``_applications``/``_objections``: one UNION ALL each). They carry months only — submitted (and Widerspruch
lodged) on the 1st, decided on the last day of the month, the rule of ``pseudonymous.py`` — but the processing time
as exact whole days. A record linked to an identified case (consent given later) has no such rows, so the case
counts once, through its identified applications. Pseudonymous records carry one Widerspruch per application (the
last one lodged).

Grouping and counting run in SQL; only the list of durations per group comes back to Python for the percentiles
(integers, one per decided application, already sorted by SQLite). Medians of an even count are the mean of the two
middle values; the 90th percentile is the nearest rank (the smallest duration at least 90 % of the group reach).

What leaves the district goes through ``protect`` after the usual suppression (``suppress.py``): in a row with a
suppressed count, the percentages and durations are hidden as well, since they would give the count (or a single
person's processing time) away.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import and_, case, func, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery
from sqlalchemy.sql.elements import ColumnElement

from whh_desktop.core.domain.deadlines import add_months
from whh_desktop.core.domain.formatting import fmt_number
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.reports.common import site_filter
from whh_desktop.core.reports.suppress import HIDDEN
from whh_desktop.core.reports.tables import Cell, Column, ColumnKind, ReportTable, Row, percent, total_row
from whh_desktop.core.store.dialect import days_between, year_quarter
from whh_desktop.core.store.models.applications import (
    Application,
    ApplicationKind,
    Decision,
    Objection,
    ObjectionDecision,
)
from whh_desktop.core.store.models.sync import PseudonymApplication

PREFIX = "ak_"
DAYS = "_days"
RENT_ARREARS = (ApplicationKind.MIETSCHULDEN.value, ApplicationKind.MIETSCHULDEN_SGB12.value)
GRANTED = (Decision.BEWILLIGT.value, Decision.TEILWEISE.value)
DECIDED_BY_AUTHORITY = (*GRANTED, Decision.ABGELEHNT.value)
SUCCESS = (ObjectionDecision.ABGEHOLFEN.value, ObjectionDecision.TEILWEISE.value)
OBJECTION_DECIDED = (*SUCCESS, ObjectionDecision.ZURUECKGEWIESEN.value)
FOOTNOTES = (
    "Bearbeitungsdauer: Tage vom Antrag bis zum Bescheid; Median und 90. Perzentil der im Zeitraum entschiedenen "
    "Anträge (zurückgenommene Anträge ohne Dauer).",
    "Quoten: Anteil an den von der Behörde entschiedenen Anträgen (bewilligt, teilweise, abgelehnt); "
    "Bewilligungsquote einschließlich teilweiser Bewilligungen.",
    "Widerspruch erfolgreich: abgeholfen oder teilweise abgeholfen.",
    "Anträge pseudonymer Fälle (ohne Einwilligung für den Kreis) zählen mit; sie tragen nur Monate (gestellt am 1., "
    "entschieden am Letzten des Monats), die Bearbeitungsdauer aber in Tagen, und je Antrag nur den letzten "
    "Widerspruch. Später mit Einwilligung übermittelte Fälle zählen einmal.",
)


# ---- statistics ----------------------------------------------------------------------------------------------
def median(values: Sequence[int]) -> float | None:
    """``values`` sorted ascending."""
    n = len(values)
    if not n:
        return None
    mid = n // 2
    return float(values[mid]) if n % 2 else (values[mid - 1] + values[mid]) / 2


def percentile(values: Sequence[int], p: int) -> int | None:
    """Nearest-rank percentile of ascending ``values``."""
    if not values:
        return None
    return values[max(1, math.ceil(p * len(values) / 100)) - 1]


def days_text(value: float | int | None) -> str | None:
    if value is None:
        return None
    return fmt_number(value, 0 if float(value).is_integer() else 1, trim=False)


def _days() -> ColumnElement[int]:
    return days_between(Application.decided_on, Application.submitted_on)


def _applications(sites: Sequence[str] | None) -> Subquery:
    """Every live application of ``sites``: the identified ones plus those of the pseudonymous records
    (``sync_pseudonym_applications``, month dates: submitted the 1st, decided the last day of the month; ``days``
    sent as an exact integer). A record linked to an identified case has no such rows (``write_pseudonym_facts``), so
    a case counts once. Columns: kind, site, submitted_on, decision, decided_on, eviction_averted, days."""
    p = PseudonymApplication
    identified = select(Application.kind, Application.owner_site.label("site"), Application.submitted_on,
                        Application.decision, Application.decided_on, Application.eviction_averted,
                        _days().label("days")).where(*_alive_apps(sites))
    pseudonymous = select(p.kind, p.site, p.submitted, p.decision, p.decided, p.eviction_averted, p.days) \
        .where(site_filter(p.site, sites))
    return union_all(identified, pseudonymous).subquery("ak_applications")


def _objections(sites: Sequence[str] | None) -> Subquery:
    """Every live Widerspruch of ``sites`` with the kind of its application, identified plus pseudonymous (one per
    application: the last lodged; lodged the 1st, decided the last day of the month). Columns: kind, site,
    lodged_on, decision, decided_on, days."""
    p = PseudonymApplication
    o_days = days_between(Objection.decided_on, Objection.lodged_on)
    where = [Objection.deleted_at.is_(None), Application.deleted_at.is_(None)]
    if sites:
        where.append(Objection.owner_site.in_(list(sites)))
    identified = select(Application.kind, Objection.owner_site.label("site"), Objection.lodged_on,
                        Objection.decision, Objection.decided_on, o_days.label("days")) \
        .join(Application, Application.id == Objection.application_id).where(*where)
    pseudonymous = select(p.kind, p.site, p.objection_lodged, p.objection_decision, p.objection_decided,
                          p.objection_days).where(p.objection_lodged.is_not(None), site_filter(p.site, sites))
    return union_all(identified, pseudonymous).subquery("ak_objections")


def _quarter(column: ColumnElement[date]) -> ColumnElement[str]:
    """``YYYY-Qn`` of a date column, in SQL."""
    return year_quarter(column)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _cell_count(cell: Cell) -> int:
    """A count cell of a total row as a number (empty = 0)."""
    if isinstance(cell, date):
        raise TypeError(f"not a count: {cell!r}")
    return int(cell or 0)


def _in_period(column: ColumnElement[date], von: date, bis: date) -> ColumnElement[bool]:
    return and_(column >= von, column <= bis)


def _alive_apps(sites: Sequence[str] | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [Application.deleted_at.is_(None)]
    if sites:
        where.append(Application.owner_site.in_(list(sites)))
    return where


def _durations(session: Session, group: ColumnElement[str], where: Iterable[ColumnElement[bool]],
               days: ColumnElement[int]) -> dict[str, list[int]]:
    """Group key → ascending durations (the only per-application values that come back from SQL)."""
    stmt = select(group, days).where(*where).order_by(group, days)
    out: dict[str, list[int]] = defaultdict(list)
    for k, d in session.execute(stmt):
        out[str(k)].append(int(d))
    return out


# ---- tables --------------------------------------------------------------------------------------------------
def _rate_cells(granted: int, partial: int, rejected: int) -> tuple[int | None, int | None]:
    base = granted + partial + rejected
    return percent(granted + partial, base), percent(rejected, base)


KIND_COLUMNS = (
    Column("kind", "Antragsart", ColumnKind.TEXT),
    Column("submitted", "gestellt", short="gestellt"),
    Column("decided", "entschieden", short="entsch."),
    Column("median_days", "Bearbeitungsdauer Median (Tage)", ColumnKind.TEXT, short="Median"),
    Column("p90_days", "Bearbeitungsdauer 90. Perzentil (Tage)", ColumnKind.TEXT, short="P90"),
    Column("bewilligt", "bewilligt"),
    Column("teilweise", "teilweise bewilligt", short="teilw."),
    Column("abgelehnt", "abgelehnt"),
    Column("zurueckgenommen", "zurückgenommen", short="zurückg."),
    Column("approval_rate", "Bewilligungsquote", ColumnKind.PERCENT, short="Bew.-Quote"),
    Column("rejection_rate", "Ablehnungsquote", ColumnKind.PERCENT, short="Abl.-Quote"),
    Column("stalled", "offen länger als 6 Monate", short="> 6 Mon."),
)


def kinds_table(session: Session, von: date, bis: date, sites: Sequence[str] | None = None) -> ReportTable:
    a = _applications(sites).c
    decided = and_(a.decision.is_not(None), _in_period(a.decided_on, von, bis))
    stalled_from = _six_months_before(bis)
    stmt = (select(a.kind,
                   _count(_in_period(a.submitted_on, von, bis)),
                   _count(decided),
                   *[_count(and_(decided, a.decision == d.value)) for d in Decision],
                   _count(and_(a.submitted_on <= stalled_from, (a.decision.is_(None)) | (a.decided_on > bis))))
            .group_by(a.kind))
    counts = {row[0]: row[1:] for row in session.execute(stmt)}
    timed = [a.decision.in_(DECIDED_BY_AUTHORITY), _in_period(a.decided_on, von, bis), a.days.is_not(None)]
    durations = _durations(session, a.kind, timed, a.days)
    rows = []
    for kind in ApplicationKind:
        if kind.value not in counts:
            continue
        submitted, n, granted, partial, rejected, withdrawn, stalled = counts[kind.value]
        d = durations.get(kind.value, [])
        rows.append(Row(kind.value, (kind.label, submitted, n, days_text(median(d)), days_text(percentile(d, 90)),
                                     granted, partial, rejected, withdrawn, *_rate_cells(granted, partial, rejected),
                                     stalled)))
    every = sorted(x for d in durations.values() for x in d)
    totals = None
    if rows:
        sums = total_row(KIND_COLUMNS, rows)
        c = {col.key: sums.cells[i] for i, col in enumerate(KIND_COLUMNS)}
        rates = _rate_cells(_cell_count(c["bewilligt"]), _cell_count(c["teilweise"]), _cell_count(c["abgelehnt"]))
        totals = total_row(KIND_COLUMNS, rows, overrides={
            "median_days": days_text(median(every)), "p90_days": days_text(percentile(every, 90)),
            "approval_rate": rates[0], "rejection_rate": rates[1]})
    return ReportTable(f"{PREFIX}kinds", "Anträge je Antragsart: Bearbeitungsdauer und Entscheidungen",
                       KIND_COLUMNS, tuple(rows), totals, FOOTNOTES, dimension="application_kind")


def _six_months_before(day: date) -> date:
    return add_months(day, -6)


QS_COLUMNS = (
    Column("quarter", "Quartal", ColumnKind.TEXT),
    Column("site", "Standort", ColumnKind.TEXT),
    Column("decided", "Anträge entschieden", short="entsch."),
    Column("median_days", "Bearbeitungsdauer Median (Tage)", ColumnKind.TEXT, short="Median"),
    Column("p90_days", "Bearbeitungsdauer 90. Perzentil (Tage)", ColumnKind.TEXT, short="P90"),
    Column("granted", "bewilligt (ganz oder teilweise)", short="bewilligt"),
    Column("abgelehnt", "abgelehnt"),
    Column("approval_rate", "Bewilligungsquote", ColumnKind.PERCENT, short="Bew.-Quote"),
    Column("rejection_rate", "Ablehnungsquote", ColumnKind.PERCENT, short="Abl.-Quote"),
    Column("objections_decided", "Widersprüche entschieden", short="Wid. entsch."),
    Column("objections_successful", "davon erfolgreich", short="erfolgreich"),
    Column("objection_success_rate", "Anteil erfolgreicher Widersprüche", ColumnKind.PERCENT, short="Erfolg"),
    Column("arrears_granted", "Mietschulden übernommen (§ 22 Abs. 8 SGB II, § 36 SGB XII)", short="Mietschulden"),
    Column("evictions_averted", "davon Räumung abgewendet", short="Räumung abgew."),
)


def _quarter_label(key: str) -> str:
    year, q = key.split("-Q")
    return f"{q}. Quartal {year}"


def quarter_site_table(session: Session, von: date, bis: date, sites: Sequence[str] | None = None) -> ReportTable:
    a = _applications(sites).c
    in_period = _in_period(a.decided_on, von, bis)
    quarter = _quarter(a.decided_on)
    arrears_granted = and_(a.kind.in_(RENT_ARREARS), a.decision.in_(GRANTED))
    stmt = (select(quarter, a.site,
                   func.count(),
                   _count(a.decision.in_(GRANTED)),
                   _count(a.decision == Decision.ABGELEHNT.value),
                   _count(arrears_granted),
                   _count(and_(arrears_granted, a.eviction_averted.is_(True))))
            .where(a.decision.is_not(None), in_period)
            .group_by(quarter, a.site))
    apps = {(q, site): rest for q, site, *rest in session.execute(stmt)}
    o = _objections(sites).c
    o_quarter = _quarter(o.decided_on)
    ostmt = (select(o_quarter, o.site, func.count(), _count(o.decision.in_(SUCCESS)))
             .where(o.decision.in_(OBJECTION_DECIDED), _in_period(o.decided_on, von, bis))
             .group_by(o_quarter, o.site))
    objections = {(q, site): rest for q, site, *rest in session.execute(ostmt)}
    group = quarter.concat("|").concat(a.site)
    durations = _durations(session, group, [a.decision.in_(DECIDED_BY_AUTHORITY), in_period, a.days.is_not(None)],
                           a.days)
    rows = []
    for q, site in sorted(set(apps) | set(objections)):
        n, granted, rejected, arrears, averted = apps.get((q, site), (0, 0, 0, 0, 0))
        o_n, o_ok = objections.get((q, site), (0, 0))
        d = durations.get(f"{q}|{site}", [])
        try:
            site_name = SiteCode(site).label
        except ValueError:
            site_name = site
        rows.append(Row(f"{q}|{site}", (
            _quarter_label(q), site_name, n, days_text(median(d)), days_text(percentile(d, 90)), granted, rejected,
            percent(granted, granted + rejected), percent(rejected, granted + rejected), o_n, o_ok,
            percent(o_ok, o_n), arrears, averted)))
    totals = None
    if rows:
        sums = total_row(QS_COLUMNS, rows)
        c = {col.key: sums.cells[i] for i, col in enumerate(QS_COLUMNS)}
        g, r, on, ok = (_cell_count(c[k]) for k in ("granted", "abgelehnt", "objections_decided",
                                                 "objections_successful"))
        every = sorted(x for d in durations.values() for x in d)
        totals = total_row(QS_COLUMNS, rows, overrides={
            "site": None, "median_days": days_text(median(every)), "p90_days": days_text(percentile(every, 90)),
            "approval_rate": percent(g, g + r), "rejection_rate": percent(r, g + r),
            "objection_success_rate": percent(ok, on)})
    return ReportTable(f"{PREFIX}quarter_site", "Anträge und Widersprüche je Quartal und Standort", QS_COLUMNS,
                       tuple(rows), totals, FOOTNOTES, dimension="quarter_site")


OBJ_COLUMNS = (
    Column("kind", "Antragsart", ColumnKind.TEXT),
    Column("lodged", "Widersprüche eingelegt", short="eingelegt"),
    Column("decided", "entschieden", short="entsch."),
    Column("successful", "erfolgreich"),
    Column("success_rate", "Anteil erfolgreich", ColumnKind.PERCENT, short="Erfolg"),
    Column("median_days", "Dauer Median (Tage)", ColumnKind.TEXT, short="Median"),
)


def objections_table(session: Session, von: date, bis: date, sites: Sequence[str] | None = None) -> ReportTable:
    o = _objections(sites).c
    decided = and_(o.decision.in_(OBJECTION_DECIDED), _in_period(o.decided_on, von, bis))
    stmt = (select(o.kind, _count(_in_period(o.lodged_on, von, bis)), _count(decided),
                   _count(and_(decided, o.decision.in_(SUCCESS))))
            .group_by(o.kind))
    counts = {k: rest for k, *rest in session.execute(stmt)}
    durations = _durations(session, o.kind, [decided, o.days.is_not(None)], o.days)
    rows = []
    for kind in ApplicationKind:
        if kind.value not in counts:
            continue
        lodged, n, ok = counts[kind.value]
        rows.append(Row(kind.value, (kind.label, lodged, n, ok, percent(ok, n),
                                     days_text(median(durations.get(kind.value, []))))))
    totals = None
    if rows:
        sums = total_row(OBJ_COLUMNS, rows)
        n, ok = _cell_count(sums.cells[2]), _cell_count(sums.cells[3])
        every = sorted(x for d in durations.values() for x in d)
        totals = total_row(OBJ_COLUMNS, rows, overrides={"success_rate": percent(ok, n),
                                                         "median_days": days_text(median(every))})
    return ReportTable(f"{PREFIX}objections", "Widersprüche je Antragsart", OBJ_COLUMNS, tuple(rows), totals,
                       FOOTNOTES[2:], dimension="application_kind")


def arbeitskreis_tables(session: Session, von: date, bis: date,
                        sites: Sequence[str] | None = None) -> list[ReportTable]:
    return [kinds_table(session, von, bis, sites), quarter_site_table(session, von, bis, sites),
            objections_table(session, von, bis, sites)]


# ---- export --------------------------------------------------------------------------------------------------
def protect(table: ReportTable) -> ReportTable:
    """After ``suppress.suppress``: in each row with a suppressed count, hide the rates and durations as well.
    Other tables pass through unchanged."""
    if not table.key.startswith(PREFIX):
        return table
    counts = [i for i, c in enumerate(table.columns) if c.kind is ColumnKind.COUNT]
    derived = [i for i, c in enumerate(table.columns) if c.kind is ColumnKind.PERCENT or c.key.endswith(DAYS)]

    def fix(row: Row) -> Row:
        if not any(isinstance(row.cells[i], str) for i in counts):
            return row
        cells: list[Cell] = list(row.cells)
        for i in derived:
            if cells[i] is not None:
                cells[i] = HIDDEN
        return Row(row.key, tuple(cells))

    totals = fix(table.totals) if table.totals is not None else None
    return table.with_rows(tuple(fix(r) for r in table.rows), totals)
