"""Indicators of the Landesinitiative for a period and site(s) (DOMAIN.md Reporting, issue 06).

Each indicator is a SQL source (one row per counted item: case, proposal, referral, contact, landlord) with the
columns the breakdowns need — site, municipality, Wohnungsnotfall category, and the day of the event (or, for
"advised", the span the case was open). Counting is SQL ``GROUP BY``: additive indicators are grouped once by
(site, municipality, category, month) and rolled up from that small result; the distinct ones (persons, and
households per month, where one case counts in every month it was open) get their own grouped queries.

Definitions (footnoted in the tables):
- Haushalte beraten: cases (not drafts, not deleted) open on at least one day of the period; a case is a household.
- Personen beraten: the advised persons of those cases, records linked as "same person" counted once, plus the
  household members recorded in the cases.
- Neue Fälle: cases opened in the period. Wohnungsverlust verhindert: cases closed in the period with the outcome
  "Wohnung erhalten". Vermittlung mit Mietvertrag: proposals with a lease signed in the period (the municipality
  of the flat). Vermieter neu gewonnen: registry entries won in the period (merged entries count once).
- Vermittlungen SpDi/GPV, Suchthilfe: referrals with that target made in the period. Kontakte: Beratungskontakte.
- Category: the case's current category.
- Pseudonymous records (the district's cases without consent for the Kreis, ``reports.pseudonymous``) count in
  households, persons, new cases, prevented losses and contacts with whole-month dates; they carry no referrals,
  proposals or landlords. They go into the same temporary table as the identified open cases (``active_cases``),
  so the same grouped SQL counts both; linked pseudonyms (consent given later) are left out, the case counts once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    Column as SaColumn,
)
from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    and_,
    case,
    cast,
    distinct,
    extract,
    func,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql import FromClause, Subquery

from whh_desktop.core.domain.enums import Baustein, Category, Outcome, ReferralTarget
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.reports import common, pseudonymous
from whh_desktop.core.reports.common import NONE_KEY
from whh_desktop.core.reports.tables import Column, ColumnKind, ReportTable, Row, total_row
from whh_desktop.core.store.models import (
    Case,
    Contact,
    HouseholdMember,
    Landlord,
    Proposal,
    PseudonymEntry,
    Referral,
)

DIMENSIONS = ("month", "site", "municipality", "category")
DIMENSION_TITLES = {"month": "je Monat", "site": "je Standort", "municipality": "je Gemeinde",
                    "category": "je Wohnungsnotfall-Kategorie"}
DIMENSION_HEADERS = {"month": "Monat", "site": "Standort", "municipality": "Gemeinde (AGS)",
                     "category": "Wohnungsnotfall-Kategorie"}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    build: Callable[[date, date, Sequence[str] | None], Subquery]
    span: bool = False      # counts in every month the item was open (opened/closed), not on one day
    distinct: bool = False  # counts distinct ``item`` (+ ``extra``): not additive over the breakdowns
    dimensions: tuple[str, ...] = DIMENSIONS
    entity: str = "case"    # what the drill-down lists
    short: str = ""         # header in narrow places (PDF)


_Column = ColumnElement[Any] | QueryableAttribute[Any]  # a Core column expression or a mapped attribute


def _live_case() -> ColumnElement[bool]:
    return and_(Case.deleted_at.is_(None), Case.status != "draft")


def _case_cols(item: _Column) -> list[ColumnElement[Any]]:
    return [item.label("item"), Case.id.label("case_id"), Case.owner_site.label("site"),
            Case.municipality.label("municipality"), Case.current_category.label("category")]


def _active(von: date, bis: date) -> ColumnElement[bool]:
    return and_(Case.opened_on <= bis, or_(Case.closed_on.is_(None), Case.closed_on >= von))


def _households(von: date, bis: date, sites: Sequence[str] | None) -> Subquery:
    return select(*_case_cols(Case.id), Case.opened_on.label("opened"), Case.closed_on.label("closed"),
                  literal(0).label("extra")) \
        .where(_live_case(), _active(von, bis), common.site_filter(Case.owner_site, sites)).subquery()


def _persons(von: date, bis: date, sites: Sequence[str] | None) -> Subquery:
    canon = common.canonical_persons()
    members = select(HouseholdMember.case_id.label("case_id"), func.count().label("n")) \
        .where(HouseholdMember.deleted_at.is_(None)).group_by(HouseholdMember.case_id).subquery("members")
    return select(*_case_cols(func.coalesce(canon.c.canon, Case.person_id)), Case.opened_on.label("opened"),
                  Case.closed_on.label("closed"), func.coalesce(members.c.n, 0).label("extra"),
                  Case.outcome.label("outcome")) \
        .outerjoin(canon, canon.c.person_id == Case.person_id) \
        .outerjoin(members, members.c.case_id == Case.id) \
        .where(_live_case(), _active(von, bis), common.site_filter(Case.owner_site, sites)).subquery()


def _case_event(day: _Column, *extra: ColumnElement[bool]) -> Callable[..., Subquery]:
    def build(von: date, bis: date, sites: Sequence[str] | None) -> Subquery:
        return select(*_case_cols(Case.id), day.label("day")) \
            .where(_live_case(), day >= von, day <= bis, common.site_filter(Case.owner_site, sites), *extra) \
            .subquery()
    return build


def _placements(von: date, bis: date, sites: Sequence[str] | None) -> Subquery:
    return select(Proposal.id.label("item"), Proposal.case_id.label("case_id"), Proposal.owner_site.label("site"),
                  Proposal.municipality.label("municipality"), Case.current_category.label("category"),
                  Proposal.lease_signed_on.label("day")) \
        .join(Case, Case.id == Proposal.case_id) \
        .where(Proposal.deleted_at.is_(None), Case.deleted_at.is_(None), Proposal.lease_signed_on >= von,
               Proposal.lease_signed_on <= bis, common.site_filter(Proposal.owner_site, sites)).subquery()


def _landlords(von: date, bis: date, sites: Sequence[str] | None) -> Subquery:
    return select(Landlord.id.label("item"), null().label("case_id"), Landlord.owner_site.label("site"),
                  cast(null(), String).label("municipality"), cast(null(), String).label("category"),
                  Landlord.won_on.label("day")) \
        .where(Landlord.deleted_at.is_(None), Landlord.merged_into.is_(None), Landlord.won_on >= von,
               Landlord.won_on <= bis, common.site_filter(Landlord.owner_site, sites)).subquery()


def _referrals(target: ReferralTarget) -> Callable[..., Subquery]:
    def build(von: date, bis: date, sites: Sequence[str] | None) -> Subquery:
        return select(*_case_cols(Referral.id), Referral.on.label("day")) \
            .join(Case, Case.id == Referral.case_id) \
            .where(Referral.deleted_at.is_(None), Case.deleted_at.is_(None), Referral.target == target.value,
                   Referral.on >= von, Referral.on <= bis, common.site_filter(Case.owner_site, sites)).subquery()
    return build


def _contacts(von: date, bis: date, sites: Sequence[str] | None) -> Subquery:
    return select(*_case_cols(Contact.id), Contact.on.label("day"), cast(Contact.bausteine, String).label("bs")) \
        .join(Case, Case.id == Contact.case_id) \
        .where(Contact.deleted_at.is_(None), Case.deleted_at.is_(None), Contact.on >= von, Contact.on <= bis,
               common.site_filter(Case.owner_site, sites)).subquery()


INDICATORS: tuple[Indicator, ...] = (
    Indicator("households", "Haushalte beraten", _households, span=True, short="Haushalte"),
    Indicator("persons", "Personen beraten", _persons, span=True, distinct=True, short="Personen"),
    Indicator("new_cases", "Neue Fälle", _case_event(Case.opened_on), short="Neue Fälle"),
    Indicator("prevented", "Wohnungsverlust verhindert", _case_event(
        Case.closed_on, Case.outcome == Outcome.WOHNUNG_ERHALTEN.value), short="Wohnung gesichert"),
    Indicator("placements", "Vermittlung in Wohnraum mit Mietvertrag", _placements, short="Wohnung mit Vertrag"),
    Indicator("landlords", "Vermieter neu gewonnen", _landlords, dimensions=("month", "site"), entity="landlord",
              short="Vermieter neu"),
    Indicator("referrals_spdi", "Vermittlung an SpDi/GPV", _referrals(ReferralTarget.SPDI), short="SpDi/ GPV"),
    Indicator("referrals_sucht", "Vermittlung an Suchthilfe", _referrals(ReferralTarget.SUCHTHILFE),
              short="Suchthilfe"),
    Indicator("contacts", "Beratungskontakte", _contacts, short="Kontakte"),
)
BY_KEY = {i.key: i for i in INDICATORS}

FOOTNOTES = (
    "Haushalte beraten: Fälle, die im Zeitraum an mindestens einem Tag offen waren (ein Fall = ein Haushalt).",
    "Personen beraten: beratene Personen (als dieselbe Person verknüpfte Datensätze einmal) und die im Fall "
    "erfassten Haushaltsangehörigen.",
    "Wohnungsverlust verhindert: im Zeitraum abgeschlossene Fälle mit dem Ergebnis »Wohnung erhalten«.",
    "Kategorie: der aktuelle Stand des Falls; Vermittlungen mit Mietvertrag nach der Gemeinde der Wohnung.",
    pseudonymous.PERIOD_NOTE,
    pseudonymous.PERSONS_NOTE,
    pseudonymous.CONTACTS_NOTE,
    "Vermittlungen an SpDi/GPV und Suchthilfe, Vermittlungen mit Mietvertrag: nur identifizierte Fälle "
    "(pseudonyme Datensätze enthalten sie nicht).",
)


def _month_key(day: ColumnElement) -> ColumnElement:
    return cast(extract("year", day) * 100 + extract("month", day), Integer)  # PostgreSQL's extract is numeric


def _key(dimension: str, value: object) -> str:
    if value is None or value == "":
        return NONE_KEY
    if dimension == "month" and isinstance(value, int):
        return f"{value // 100:04d}-{value % 100:02d}"
    return str(value)


Counts = dict[str, dict[str, int]]  # dimension ("total" too) → row key → count


MAX_BOUND = 2000  # ids bound as parameters; above that the subquery is repeated
_TEMP = MetaData()
ACTIVE = Table(  # the cases open in the period, narrow, scanned once per report (a temporary table)
    "report_active_cases", _TEMP, SaColumn("case_id", Uuid), SaColumn("person", Uuid), SaColumn("site", String(20)),
    SaColumn("municipality", String(40)), SaColumn("category", String(30)), SaColumn("opened", Date),
    SaColumn("closed", Date), SaColumn("extra", Integer), SaColumn("outcome", String(20)),
    # pseudonymous records: ``pid`` the sync_pseudonyms id (NULL for identified cases), their contacts (counted on
    # the closing day) and the Bausteine with contacts as '"1","3"' (the same LIKE test as contacts.bausteine)
    SaColumn("pid", Integer), SaColumn("contacts", Integer), SaColumn("bs", String(40)), prefixes=["TEMPORARY"])


@contextmanager
def active_cases(session: Session, von: date, bis: date, sites: Sequence[str] | None, *,
                 identified: bool = True) -> Iterator[Table]:
    """The households/persons base materialised once into a temporary table (per connection, dropped after):
    the wide case rows are decrypted and read once instead of once per breakdown. The pseudonymous records open
    in the period (whole months, ``reports.pseudonymous``) go in beside them (``pid`` set, ``case_id`` NULL),
    straight from their facts table in the same INSERT … SELECT form."""
    conn = session.connection()
    ACTIVE.drop(conn, checkfirst=True)
    ACTIVE.create(conn)
    if identified:
        src = _persons(von, bis, sites)
        conn.execute(ACTIVE.insert().from_select(
            ["case_id", "person", "site", "municipality", "category", "opened", "closed", "extra", "outcome"],
            select(src.c.case_id, src.c.item, src.c.site, src.c.municipality, src.c.category, src.c.opened,
                   src.c.closed, src.c.extra, src.c.outcome)))
    f = pseudonymous.facts(sites)
    conn.execute(ACTIVE.insert().from_select(
        ["person", "site", "municipality", "category", "opened", "closed", "extra", "outcome", "pid", "contacts", "bs"],
        select(f.c.person, f.c.site, f.c.municipality, f.c.category, f.c.opened, f.c.closed, f.c.extra, f.c.outcome,
               f.c.pid, f.c.contacts, f.c.bs)
        .where(f.c.opened.is_not(None), f.c.opened <= bis, or_(f.c.closed.is_(None), f.c.closed >= von))))
    try:
        yield ACTIVE
    finally:
        ACTIVE.drop(conn, checkfirst=True)


def _from_active(table: Table, indicator: Indicator, von: date, bis: date) -> Subquery:
    t = table.c
    if indicator.key == "new_cases":  # every case opened in the period is open in it
        return select(t.case_id.label("item"), t.case_id, t.site, t.municipality, t.category, t.opened.label("day")) \
            .where(t.opened >= von, t.opened <= bis).subquery()
    if indicator.key == "prevented":
        return select(t.case_id.label("item"), t.case_id, t.site, t.municipality, t.category, t.closed.label("day")) \
            .where(t.closed >= von, t.closed <= bis, t.outcome == Outcome.WOHNUNG_ERHALTEN.value).subquery()
    item, extra = (t.person, t.extra) if indicator.key == "persons" else (t.case_id, literal(0))
    return select(item.label("item"), t.case_id, t.site, t.municipality, t.category, t.opened, t.closed,
                  extra.label("extra")).subquery()


def _count_persons(session: Session, active: Table, von: date, bis: date) -> Counts:
    """Distinct persons without a COUNT(DISTINCT) per breakdown: every case counts its person plus its members
    (additive, one grouped query as for households), minus (k - 1) for each person with k cases in the same
    cell. Those persons (several cases, or linked records) are few, so the correction reads only their rows."""
    t = active.c
    value = func.count() + func.coalesce(func.sum(t.extra), 0)
    out: Counts = {d: defaultdict(int) for d in ("total", *DIMENSIONS)}
    dims = (("site", t.site), ("municipality", t.municipality), ("category", t.category))
    for *keys, n in session.execute(select(t.site, t.municipality, t.category, value)
                                    .group_by(t.site, t.municipality, t.category)):
        out["total"][""] += n
        for (dim, _), raw in zip(dims, keys, strict=True):
            out[dim][_key(dim, raw)] += n
    first = case((t.opened < von, 0), else_=_month_key(t.opened))
    last = case((or_(t.closed.is_(None), t.closed > bis), 999_999), else_=_month_key(t.closed))
    spans = session.execute(select(first, last, value).group_by(first, last)).all()
    for m in common.months(von, bis):
        key = m.first.year * 100 + m.first.month
        out["month"][m.key] += sum(n for a, b, n in spans if a <= key <= b)

    several = select(t.person).group_by(t.person).having(func.count() > 1)
    ids = session.execute(several.limit(MAX_BOUND + 1)).scalars().all()
    if not ids:
        return out
    dup = select(active).where(t.person.in_(ids if len(ids) <= MAX_BOUND else several)).subquery("dup")

    def minus(dim: str, group: list[ColumnElement[Any]], source: FromClause = dup) -> None:
        inner = select(*group, (func.count() - 1).label("k")).select_from(source).group_by(*group, dup.c.person) \
            .having(func.count() > 1).subquery()
        cols = [c for c in inner.c if c.name != "k"]
        for *keys, k in session.execute(select(*cols, func.sum(inner.c.k)).group_by(*cols)):
            out[dim][_key(dim, keys[0]) if keys else ""] -= int(k or 0)

    minus("total", [])
    for dim, _ in dims:
        minus(dim, [getattr(dup.c, dim)])
    mt = common.month_table(von, bis)
    overlap = and_(dup.c.opened <= mt.c.last, or_(dup.c.closed.is_(None), dup.c.closed >= mt.c.first))
    minus("month", [mt.c.key], dup.join(mt, overlap))
    return out


def count(session: Session, indicator: Indicator, von: date, bis: date, sites: Sequence[str] | None,
          active: Table | None = None) -> Counts:
    """The indicator's figure in total and per each of its dimensions (``active``: the materialised base of the
    span indicators, see ``active_cases``)."""
    if indicator.distinct and active is not None:
        return _count_persons(session, active, von, bis)
    sq = _from_active(active, indicator, von, bis) \
        if active is not None and (indicator.span or indicator.key in ("new_cases", "prevented")) \
        else indicator.build(von, bis, sites)
    out: Counts = {d: defaultdict(int) for d in ("total", *indicator.dimensions)}
    value = (func.count(distinct(sq.c.item)) + func.coalesce(func.sum(sq.c.extra), 0)) if indicator.distinct \
        else func.count()
    if not indicator.distinct:
        groups: list[ColumnElement] = [sq.c.site, sq.c.municipality, sq.c.category]
        if not indicator.span:
            groups.append(_month_key(sq.c.day))
        for *keys, n in session.execute(select(*groups, value).group_by(*groups)):
            out["total"][""] += n
            for dim, raw in zip(("site", "municipality", "category", "month"), keys, strict=False):
                if dim in out:
                    out[dim][_key(dim, raw)] += n
    else:
        out["total"][""] = session.execute(select(value).select_from(sq)).scalar_one()
        for dim, col in (("site", sq.c.site), ("municipality", sq.c.municipality), ("category", sq.c.category)):
            if dim in out:
                for raw, n in session.execute(select(col, value).group_by(col)):
                    out[dim][_key(dim, raw)] += n
    if indicator.key == "contacts" and active is not None:
        # Pseudonymous contacts: all of a record's contacts on its closing day (they carry no date).
        t = active.c
        groups = [t.site, t.municipality, t.category, _month_key(t.closed)]
        stmt = select(*groups, func.sum(t.contacts)).where(t.pid.is_not(None), t.closed >= von, t.closed <= bis,
                                                             t.contacts > 0).group_by(*groups)
        for *keys, n in session.execute(stmt):
            out["total"][""] += int(n)
            for dim, raw in zip(("site", "municipality", "category", "month"), keys, strict=True):
                out[dim][_key(dim, raw)] += int(n)
    if indicator.span and not indicator.distinct:
        # Additive: group by the (clamped) months of opening and closing, then add up each month's span.
        first = case((sq.c.opened < von, 0), else_=_month_key(sq.c.opened))
        last = case((or_(sq.c.closed.is_(None), sq.c.closed > bis), 999_999), else_=_month_key(sq.c.closed))
        spans = session.execute(select(first, last, value).group_by(first, last)).all()
        for m in common.months(von, bis):
            key = m.first.year * 100 + m.first.month
            out["month"][m.key] += sum(n for a, b, n in spans if a <= key <= b)
    elif indicator.span:
        mt = common.month_table(von, bis)
        overlap = and_(sq.c.opened <= mt.c.last, or_(sq.c.closed.is_(None), sq.c.closed >= mt.c.first))
        per_month = select(mt.c.key, value).select_from(sq.join(mt, overlap)).group_by(mt.c.key)
        for key, n in session.execute(per_month):
            out["month"][str(key)] += n
    return out


def _dimension_rows(dimension: str, von: date, bis: date, sites: Sequence[str] | None,
                    found: set[str]) -> list[tuple[str, str]]:
    """(key, label) of the rows of a breakdown: every expected value (zero rows too), then whatever else exists."""
    if dimension == "month":
        rows = [(m.key, m.label) for m in common.months(von, bis)]
    elif dimension == "site":
        codes = list(sites) if sites else [s.value for s in SiteCode.counselling_sites()]
        rows = [(c, common.site_label(c)) for c in codes]
    elif dimension == "municipality":
        rows = [(m.name, common.municipality_label(m.name)) for m in MUNICIPALITIES]
    else:
        rows = [(c.value, c.label) for c in Category]
    known = {k for k, _ in rows}
    label = {"site": common.site_label, "municipality": common.municipality_label,
             "category": common.category_label}.get(dimension, str)
    extra = sorted(k for k in found if k not in known and k != NONE_KEY)
    rows += [(k, label(k)) for k in extra]
    if NONE_KEY in found:
        rows.append((NONE_KEY, "ohne Angabe"))
    return rows


def indicator_tables(session: Session, von: date, bis: date, sites: Sequence[str] | None = None) -> list[ReportTable]:
    """Overview, the four breakdowns and contacts per Baustein, as report tables."""
    common.check_period(von, bis)
    with active_cases(session, von, bis, sites) as active:
        counts = {i.key: count(session, i, von, bis, sites, active) for i in INDICATORS}
    period = f"{fmt_date(von)} bis {fmt_date(bis)}"
    overview_cols = (Column("indicator", "Kennzahl", ColumnKind.TEXT), Column("value", "Anzahl"))
    overview = ReportTable(
        "overview", f"Kennzahlen {period}", overview_cols,
        tuple(Row(i.key, (i.label, counts[i.key]["total"][""])) for i in INDICATORS),
        footnotes=FOOTNOTES, dimension="indicator")
    tables = [overview]
    for dim in DIMENSIONS:
        shown = [i for i in INDICATORS if dim in i.dimensions]
        found = {k for i in shown for k in counts[i.key][dim]}
        cols = (Column("label", DIMENSION_HEADERS[dim], ColumnKind.TEXT, short=DIMENSION_HEADERS[dim].split("-")[-1]),
                *(Column(i.key, i.label, short=i.short) for i in shown))
        rows = [Row(key, (label, *(counts[i.key][dim].get(key, 0) for i in shown)))
                for key, label in _dimension_rows(dim, von, bis, sites, found)]
        # Totals: additive indicators sum; distinct and span ones have their own total (a case open in
        # several months counts once in the period).
        totals = total_row(cols, rows, overrides={i.key: counts[i.key]["total"][""] for i in shown})
        notes = ("Haushalte und Personen: ein Fall, der in mehreren Monaten offen war, zählt in jedem dieser "
                 "Monate, im Zeitraum aber einmal.",) if dim == "month" else ()
        if dim in ("site", "municipality", "category"):
            notes = ("Personen: wer in mehreren Zeilen vorkommt, zählt in der Summe einmal.",)
        tables.append(ReportTable(f"by_{dim}", f"Kennzahlen {DIMENSION_TITLES[dim]}, {period}", cols,
                                  tuple(rows), totals, notes, dimension=dim))
    tables.append(contacts_per_baustein(session, von, bis, sites))
    return tables


def _has_baustein(column: ColumnElement, baustein: Baustein) -> ColumnElement[bool]:
    return column.like(f'%"{baustein.value}"%')


def contacts_per_baustein(session: Session, von: date, bis: date, sites: Sequence[str] | None = None) -> ReportTable:
    """Contacts and cases with contact per Baustein: identified contacts and the pseudonymous records' counts per
    Baustein (closed in the period, see ``pseudonymous``) each in one grouped query."""
    sq = _contacts(von, bis, sites)
    aggregates = []
    for b in Baustein:
        hit = _has_baustein(sq.c.bs, b)
        aggregates += [func.coalesce(func.sum(case((hit, 1), else_=0)), 0),
                       func.count(distinct(case((hit, sq.c.case_id), else_=None)))]
    values = session.execute(select(*aggregates, func.count(), func.count(distinct(sq.c.case_id)))).one()
    cols = (Column("label", "Baustein", ColumnKind.TEXT), Column("contacts", "Kontakte"),
            Column("cases", "Fälle mit Kontakt"))
    f, k = pseudonymous.Facts, pseudonymous.Contacts
    closed = and_(f.closed.is_not(None), f.closed >= von, f.closed <= bis, f.contacts > 0,
                  common.site_filter(f.site, sites))
    # live records only: the facts table holds exactly those (linked and deleted ones have no facts)
    per = select(k.baustein, func.sum(k.contacts), func.count()) \
        .join(f, f.pseudonym_id == k.pseudonym_id).where(closed, k.contacts > 0).group_by(k.baustein)
    p_contacts: dict[str, int] = defaultdict(int)
    p_cases: dict[str, int] = defaultdict(int)
    p_total = 0
    for code, n, cases in session.execute(per):
        p_contacts[code], p_cases[code] = int(n), int(cases)
        p_total += int(n)
    p_total_cases = session.execute(select(func.count()).select_from(f).where(closed)).scalar_one()
    rows = tuple(Row(b.value, (b.label, int(values[2 * n]) + p_contacts[b.value],
                               int(values[2 * n + 1]) + p_cases[b.value])) for n, b in enumerate(Baustein))
    total_contacts, total_cases = values[-2] + p_total, values[-1] + p_total_cases
    totals = Row("total", ("Kontakte insgesamt", int(total_contacts), int(total_cases)))
    return ReportTable("by_baustein", f"Beratungskontakte je Baustein, {fmt_date(von)} bis {fmt_date(bis)}", cols,
                       rows, totals, ("Ein Kontakt kann mehreren Bausteinen dienen; die Summe zählt ihn einmal.",
                                      pseudonymous.CONTACTS_NOTE), dimension="baustein")


# ---- drill-down ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DrillItem:
    """One item behind a figure: a case (``label`` its case number, or the pseudonym where the district holds
    the case without consent), a pseudonymous record of a site (kind "pseudonym", ``label`` "Pseudonym …",
    ``id`` a handle derived from the pseudonym, not a case id: nothing to open) or, for "Vermieter neu gewonnen",
    a landlord registry entry."""

    kind: str  # "case", "pseudonym" or "landlord"
    id: uuid.UUID
    label: str
    site: str


def _cell_filter(sq: Subquery, indicator: Indicator, dimension: str, key: str, von: date,
                 bis: date) -> ColumnElement[bool] | None:
    if dimension == "month":
        first = next((m for m in common.months(von, bis) if m.key == key), None)
        if first is None:
            return None
        if indicator.span:
            return and_(sq.c.opened <= first.last, or_(sq.c.closed.is_(None), sq.c.closed >= first.first))
        return and_(sq.c.day >= first.first, sq.c.day <= first.last)
    if dimension in ("site", "municipality", "category"):
        col = getattr(sq.c, dimension)
        return col.is_(None) if key == NONE_KEY else col == key
    if dimension == "baustein" and indicator.key == "contacts":
        return _has_baustein(sq.c.bs, Baustein(key))
    return None


def drilldown(session: Session, indicator_key: str, von: date, bis: date, sites: Sequence[str] | None = None,
              cell: tuple[str, str] | None = None, limit: int = 5000) -> list[DrillItem]:
    """The cases (or landlords) behind a figure: ``cell`` is ``(dimension, row key)`` of a breakdown table, or
    None / ``("indicator", key)`` for the total."""
    indicator = BY_KEY.get(indicator_key)
    if indicator is None:
        raise KeyError(indicator_key)
    sq = indicator.build(von, bis, sites)
    condition: ColumnElement[bool] | None = None
    if cell is not None and cell[0] not in ("indicator", "total") and cell[1] != "total":
        condition = _cell_filter(sq, indicator, cell[0], cell[1], von, bis)
        if condition is None:
            return []
    if indicator.entity == "landlord":
        stmt = select(Landlord.id, Landlord.name, Landlord.owner_site).where(
            Landlord.id.in_(select(sq.c.item).where(condition if condition is not None else literal(True))))
        return [DrillItem("landlord", i, name, site)
                for i, name, site in session.execute(stmt.order_by(Landlord.sort_key).limit(limit))]
    out = _identified_items(session, sq, condition, limit)
    if indicator.key in PSEUDONYMOUS_INDICATORS and len(out) < limit:
        with active_cases(session, von, bis, sites, identified=False) as active:
            psq = _pseudonymous_source(active, indicator, von, bis)
            p_condition = None
            if cell is not None and cell[0] not in ("indicator", "total") and cell[1] != "total":
                p_condition = _cell_filter(psq, indicator, cell[0], cell[1], von, bis)
            pids = select(psq.c.pid).where(p_condition if p_condition is not None else literal(True))
            p_stmt = select(PseudonymEntry.pseudonym, PseudonymEntry.site).where(PseudonymEntry.id.in_(pids)) \
                .order_by(PseudonymEntry.site, PseudonymEntry.pseudonym).limit(limit - len(out))
            out += [DrillItem("pseudonym", _handle(site, pseudonym), f"Pseudonym {pseudonym[:12]}", site)
                    for pseudonym, site in session.execute(p_stmt)]
    return out


PSEUDONYMOUS_INDICATORS = frozenset({"households", "persons", "new_cases", "prevented", "contacts"})


def _handle(site: str, pseudonym: str) -> uuid.UUID:
    try:
        return uuid.UUID(hex=pseudonym[:32])
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"whh-pseudonym:{site}:{pseudonym}")


def _pseudonymous_source(table: Table, indicator: Indicator, von: date, bis: date) -> Subquery:
    """The pseudonymous rows of the materialised base behind ``indicator``, with the columns ``_cell_filter``
    reads (``day`` the event day on the whole-month rule)."""
    t = table.c
    base = [t.pid, t.site, t.municipality, t.category, t.opened, t.closed, t.bs]
    if indicator.key == "new_cases":
        return select(*base, t.opened.label("day")).where(t.pid.is_not(None), t.opened >= von, t.opened <= bis) \
            .subquery()
    if indicator.key == "prevented":
        return select(*base, t.closed.label("day")).where(
            t.pid.is_not(None), t.closed >= von, t.closed <= bis, t.outcome == Outcome.WOHNUNG_ERHALTEN.value) \
            .subquery()
    if indicator.key == "contacts":
        return select(*base, t.closed.label("day")).where(t.pid.is_not(None), t.closed >= von, t.closed <= bis,
                                                          t.contacts > 0).subquery()
    return select(*base).where(t.pid.is_not(None)).subquery()


def _identified_items(session: Session, sq: Subquery, condition: ColumnElement[bool] | None,
                      limit: int) -> list[DrillItem]:
    ids = select(sq.c.case_id).where(condition if condition is not None else literal(True)).distinct()
    stmt = select(Case.id, Case.case_number, Case.owner_site, PseudonymEntry.identified, PseudonymEntry.pseudonym) \
        .outerjoin(PseudonymEntry, PseudonymEntry.case_id == Case.id) \
        .where(Case.id.in_(ids)).order_by(Case.case_number).limit(limit)
    out = []
    for case_id, number, site, identified, pseudonym in session.execute(stmt):
        label = number if identified is None or identified else f"Pseudonym {pseudonym[:12]}"
        out.append(DrillItem("case", case_id, label, site))
    return out
