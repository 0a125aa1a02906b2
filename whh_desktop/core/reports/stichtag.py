"""Stichtag statistics from the category history valid on that day (DOMAIN.md Reporting, issue 06).

- NRW integrierte Wohnungsnotfall-Berichterstattung, **30 June**: persons actually wohnungslos on the day
  (the five "aktuell wohnungslos" categories) and known to the provider (case opened on or before the day, not
  closed before it).
- Federal statistics (WoBerichtsG), **31 January**: only persons placed in accommodation — ordnungsrechtlich
  untergebracht (provider: the municipality) or in an Einrichtung der Wohnungslosenhilfe (provider: free
  welfare, association Diakonie).

The category of a case on the day is its history entry with the latest ``since`` on or before the day (an entry
dated on the Stichtag itself is valid on it). A person linked across sites counts once (the most recently opened
case). Persons are the advised person and the household members recorded in the case; members carry the
nationality of the advised person. Age on the Stichtag in whole years: a person born on the Stichtag 18 years
earlier is 18. One grouped SQL query each for persons and households; the breakdowns are rolled up from it.

Pseudonymous records (``reports.pseudonymous``; the district's cases without consent for the Kreis) count too, as
far as certain on the day: a month as a start (opened, category "since") counts from the last day of that month, a
month as an end (closed) from its first day. Their age is a 5-year band at the opening of the case: it is moved on
by the whole years from the opening month to the Stichtag month and placed by its middle (lower bound + 2) — e.g.
band 15–19 opened in the Stichtag's year → 17 → "unter 18"; opened two years earlier → 19 → "18 bis unter 25". For
bands starting at a multiple of 5 the middle always falls into the group containing the whole band except 15–19
(the only band across a group bound, 18). Their household members carry no sex or age (ohne Angabe), and
"untergebracht seit" counts whole calendar months from the category's month. A pseudonymous record of a person
counted through an identified case (linked at the same site) is left out; several records of one person at one
site count once (larger household, then latest opened). They are selected from their facts table
(``pseudonymous.facts``) into the same temporary table as the identified households (INSERT … SELECT), so the same
grouped SQL counts both.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from sqlalchemy import Column as SaColumn
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
    extract,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql import Select, Subquery

from whh_desktop.core.domain.enums import Category, Relation, Sex
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.reports import common, pseudonymous
from whh_desktop.core.reports.common import NONE_KEY
from whh_desktop.core.reports.tables import Column, ColumnKind, ReportTable, Row, total_row
from whh_desktop.core.store.models import Case, CategoryEntry, HouseholdMember, Person

NRW, WOBERICHT = "nrw", "wobericht"
HOMELESS = tuple(c.value for c in Category if c.is_homeless)
PLACED = (Category.ORDNUNGSRECHTLICH.value, Category.EINRICHTUNG.value)

# (key, label, lower bound in years); the groups of the Wohnungslosenberichterstattung
AGE_GROUPS = (("u18", "unter 18 Jahre", 0), ("18-24", "18 bis unter 25 Jahre", 18),
              ("25-29", "25 bis unter 30 Jahre", 25),
              ("30-39", "30 bis unter 40 Jahre", 30), ("40-49", "40 bis unter 50 Jahre", 40),
              ("50-59", "50 bis unter 60 Jahre", 50), ("60-64", "60 bis unter 65 Jahre", 60),
              ("65+", "65 Jahre und älter", 65))
NATIONALITY = (("deutsch", "deutsch"), ("andere", "andere Staatsangehörigkeit"))
HOUSEHOLD_TYPES = (("allein", "alleinstehend"), ("alleinerziehend", "alleinerziehend mit Kind(ern)"),
                   ("paar", "Paar ohne Kind"), ("paar_mit_kind", "Paar mit Kind(ern)"),
                   ("sonstige", "sonstiger Mehrpersonenhaushalt"))
HOUSEHOLD_SIZES = (("1", "1 Person"), ("2", "2 Personen"), ("3", "3 Personen"), ("4", "4 Personen"),
                   ("5", "5 und mehr Personen"))
PROVIDERS = {Category.ORDNUNGSRECHTLICH.value: "gemeinde", Category.EINRICHTUNG.value: "frei"}
PROVIDER_ROWS = (("kreis", "Kreis"), ("gemeinde", "Gemeinde (ordnungsrechtliche Unterbringung)"),
                 ("frei", "freie Wohlfahrtspflege – Verband: Diakonie"), ("gewerblich", "gewerblicher Anbieter"),
                 ("sonstige", "sonstiger Träger"))
# "since when" in the accommodation: (key, label, months back)
SINCE = (("u3m", "weniger als 3 Monate", 0), ("3-6m", "3 bis unter 6 Monate", 3),
         ("6-12m", "6 bis unter 12 Monate", 6), ("1-2j", "1 bis unter 2 Jahre", 12), ("2j+", "2 Jahre und länger", 24))


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    categories: tuple[str, ...]


KINDS = {NRW: Kind(NRW, "Wohnungsnotfall-Berichterstattung NRW", HOMELESS),
         WOBERICHT: Kind(WOBERICHT, "Statistik untergebrachter wohnungsloser Personen (WoBerichtsG)", PLACED)}


def nrw_day(year: int) -> date:
    return date(year, 6, 30)


def wobericht_day(year: int) -> date:
    return date(year, 1, 31)


def _back(day: date, years: int = 0, months: int = 0) -> date:
    """The same calendar day ``years``/``months`` earlier (29 February → 28 February)."""
    total = day.year * 12 + day.month - 1 - years * 12 - months
    year, month = divmod(total, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(d, day.day))
        except ValueError:
            continue
    raise AssertionError


def category_on(day: date) -> Subquery:
    """``(case_id, category, since)``: the history entry valid on ``day`` for every case that has one."""
    rank = func.row_number().over(partition_by=CategoryEntry.case_id,
                                  order_by=(CategoryEntry.since.desc(), CategoryEntry.created_at.desc(),
                                            CategoryEntry.id.desc()))
    ranked = select(CategoryEntry.case_id, CategoryEntry.category, CategoryEntry.since, rank.label("rn")) \
        .where(CategoryEntry.deleted_at.is_(None), CategoryEntry.since <= day).subquery("ranked")
    return select(ranked.c.case_id, ranked.c.category, ranked.c.since).where(ranked.c.rn == 1).subquery("cat_on")


def households_on(day: date, categories: Sequence[str], sites: Sequence[str] | None = None) -> Subquery:
    """One row per household counted on the day (after linking persons), with its household facts."""
    cat = category_on(day)
    canon = common.canonical_persons()
    members = select(HouseholdMember.case_id,
                     func.count().label("n"),
                     func.sum(case((HouseholdMember.relation == Relation.PARTNER.value, 1), else_=0)).label("partner"),
                     func.sum(case((HouseholdMember.relation == Relation.KIND.value, 1), else_=0)).label("kind")) \
        .where(HouseholdMember.deleted_at.is_(None)).group_by(HouseholdMember.case_id).subquery("hh_members")
    person = func.coalesce(canon.c.canon, Case.person_id)
    # A person linked across sites counts once: the case with the larger household, then the latest opened.
    pick = func.row_number().over(partition_by=person, order_by=(func.coalesce(members.c.n, 0).desc(),
                                                                 Case.opened_on.desc(), Case.id))
    candidates = select(Case.id.label("case_id"), Case.person_id, person.label("person"), Case.owner_site.label("site"),
                        Case.municipality, cat.c.category, cat.c.since, pick.label("pick"),
                        members.c.n, members.c.partner, members.c.kind) \
        .join(cat, cat.c.case_id == Case.id) \
        .outerjoin(canon, canon.c.person_id == Case.person_id) \
        .outerjoin(members, members.c.case_id == Case.id) \
        .where(Case.deleted_at.is_(None), Case.status != "draft", Case.opened_on <= day,
               or_(Case.closed_on.is_(None), Case.closed_on >= day), cat.c.category.in_(list(categories)),
               common.site_filter(Case.owner_site, sites)).subquery("candidates")
    c = candidates.c
    n = func.coalesce(c.n, 0)
    htype = case((n == 0, "allein"),
                 (and_(c.partner > 0, c.kind > 0), "paar_mit_kind"),
                 (c.partner > 0, "paar"),
                 (c.kind > 0, "alleinerziehend"), else_="sonstige")
    size = case((n >= 4, "5"), (n == 3, "4"), (n == 2, "3"), (n == 1, "2"), else_="1")
    since = case(*((c.since > _back(day, months=m), key) for (key, _, _), (_, _, m) in pairwise(SINCE)),
                 else_=SINCE[-1][0])
    return select(c.case_id, c.person_id, c.person, c.site, c.municipality,
                  c.category, htype.label("htype"), size.label("hsize"), since.label("since")) \
        .where(c.pick == 1).subquery("households")


def _age_group(birth: ColumnElement[Any] | QueryableAttribute[Any], day: date) -> ColumnElement[Any]:
    whens: list[tuple[ColumnElement[bool], str]] = [(birth.is_(None), NONE_KEY)]
    for (key, _, _), (_, _, next_lower) in pairwise(AGE_GROUPS):
        whens.append((birth > _back(day, years=next_lower), key))  # younger than the next group's bound
    return case(*whens, else_=AGE_GROUPS[-1][0])


HOUSEHOLD_DIMS = ("site", "municipality", "category", "htype", "hsize", "since")
PERSON_DIMS = (*HOUSEHOLD_DIMS, "sex", "age", "nationality")


_TEMP = MetaData()
HOUSEHOLDS = Table(  # the households counted on the Stichtag with the advised person's facts (temporary)
    "report_stichtag_households", _TEMP, SaColumn("case_id", Uuid), SaColumn("site", String(20)),
    SaColumn("municipality", String(40)), SaColumn("category", String(30)), SaColumn("htype", String(20)),
    SaColumn("hsize", String(2)), SaColumn("since", String(8)), SaColumn("sex", String(12)),
    SaColumn("birth", Date), SaColumn("nationality", String(8)),
    # the canonical person; for pseudonymous households (case_id NULL) the age group from the band and the number
    # of household members (sex and age unknown)
    SaColumn("person", Uuid), SaColumn("age", String(8)), SaColumn("members", Integer), prefixes=["TEMPORARY"])


def band_age_group(band: int | None, opened: int | None, day: date) -> str:
    """The age group of a 5-year band (lower bound ``band``, at the opening month ``opened``) on ``day``: the band
    moved on by the whole years since the opening month, placed by its middle (see the module docstring)."""
    if band is None or opened is None:
        return NONE_KEY
    age = band + 2 + max(0, pseudonymous.day_index(day) - opened) // 12
    key = AGE_GROUPS[0][0]
    for k, _, lower in AGE_GROUPS:
        if age >= lower:
            key = k
    return key


def _band_age_group(band: ColumnElement, band_on: ColumnElement, day: date) -> ColumnElement:
    """``band_age_group`` in SQL: whole years from the band's month to the Stichtag month by integer division of
    the months in between (portable: EXTRACT and integer arithmetic)."""
    months = pseudonymous.day_index(day) - (cast(extract("year", band_on), Integer) * 12
                                            + cast(extract("month", band_on), Integer) - 1)
    years = case((months < 0, 0), else_=months) // 12
    age = band + 2 + years
    whens = [(or_(band.is_(None), band_on.is_(None)), NONE_KEY)]
    whens += [(age >= lower, key) for key, _, lower in reversed(AGE_GROUPS[1:])]
    return case(*whens, else_=AGE_GROUPS[0][0])


def pseudonymous_households(day: date, categories: Sequence[str], sites: Sequence[str] | None,
                            counted: Table) -> Select:
    """The pseudonymous households counted on ``day``, selected in the column order of ``PSEUDONYMOUS_COLUMNS``
    (``counted``: the table of households already counted; their persons are left out). Only what is certain on
    the day: opened and category "since" by the last day of their month, closed by the first day of its month
    (stored as the first/last day of the month: compared with dates worked out here). Several records of one
    person count once: the larger household, then the latest opened, then the first stored."""
    f = pseudonymous.facts(sites)
    month = pseudonymous.day_index(day)
    started_by = pseudonymous.first_day(month if day == pseudonymous.last_day(month) else month - 1)
    closed_from = pseudonymous.last_day(month if day.day == 1 else month + 1)
    c = pseudonymous.Categories
    rank = func.row_number().over(partition_by=c.pseudonym_id, order_by=c.position.desc())
    ranked = select(c.pseudonym_id, c.category, c.since, rank.label("rn")) \
        .where(c.since <= started_by).subquery("p_ranked")
    cat = select(ranked.c.pseudonym_id, ranked.c.category, ranked.c.since).where(ranked.c.rn == 1) \
        .subquery("p_cat_on")
    pick = func.row_number().over(partition_by=f.c.person, order_by=(f.c.hsize.desc(), f.c.opened.desc(), f.c.pid))
    known = select(counted.c.person).where(counted.c.person.is_not(None))
    cand = select(f.c.person, f.c.site, f.c.municipality, cat.c.category, f.c.htype, f.c.hsize, cat.c.since, f.c.sex,
                  f.c.nationality, f.c.band, f.c.band_on, pick.label("pick")) \
        .join(cat, cat.c.pseudonym_id == f.c.pid) \
        .where(f.c.opened.is_not(None), f.c.opened <= started_by,
               or_(f.c.closed.is_(None), f.c.closed >= closed_from), cat.c.category.in_(list(categories)),
               f.c.person.not_in(known)).subquery("p_candidates")
    k = cand.c
    size = case((k.hsize >= 5, "5"), (k.hsize == 4, "4"), (k.hsize == 3, "3"), (k.hsize == 2, "2"), else_="1")
    since = case(*((k.since > pseudonymous.first_day(month - nxt), key)
                   for (key, _, _), (_, _, nxt) in pairwise(SINCE)), else_=SINCE[-1][0])
    return select(k.person, k.site, k.municipality, k.category, k.htype, size, since, k.sex, k.nationality,
                  _band_age_group(k.band, k.band_on, day), k.hsize - 1).where(k.pick == 1)


PSEUDONYMOUS_COLUMNS = ["person", "site", "municipality", "category", "htype", "hsize", "since", "sex", "nationality",
                        "age", "members"]


def _grouped(session: Session, day: date, kind: Kind, sites: Sequence[str] | None
             ) -> tuple[Sequence[Any], Sequence[Any]]:
    """Persons and households grouped by every breakdown at once; the households are worked out once into a
    temporary table (per connection, dropped after), then both counts read that narrow table."""
    hh = households_on(day, kind.categories, sites)
    nationality = case((Person.nationality.is_(None), NONE_KEY), (Person.nationality == "DE", "deutsch"),
                       else_="andere")
    conn = session.connection()
    HOUSEHOLDS.drop(conn, checkfirst=True)
    HOUSEHOLDS.create(conn)
    try:
        conn.execute(HOUSEHOLDS.insert().from_select(
            ["case_id", "site", "municipality", "category", "htype", "hsize", "since", "sex", "birth", "nationality",
             "person"],
            select(hh.c.case_id, hh.c.site, hh.c.municipality, hh.c.category, hh.c.htype, hh.c.hsize, hh.c.since,
                   Person.sex, Person.birth_date, nationality, hh.c.person).join(Person, Person.id == hh.c.person_id)))
        t = HOUSEHOLDS.c
        conn.execute(HOUSEHOLDS.insert().from_select(
            PSEUDONYMOUS_COLUMNS, pseudonymous_households(day, kind.categories, sites, HOUSEHOLDS)))
        base = [t.site, t.municipality, t.category, t.htype, t.hsize, t.since]
        clients = select(*base, t.sex.label("sex"),
                         case((t.age.is_not(None), t.age), else_=_age_group(t.birth, day)).label("age"),
                         t.nationality.label("nationality"), literal(1).label("weight"))
        members = select(*base, HouseholdMember.sex.label("sex"),
                         _age_group(HouseholdMember.birth_date, day).label("age"),
                         t.nationality.label("nationality"), literal(1).label("weight")) \
            .join(HouseholdMember, and_(HouseholdMember.case_id == t.case_id, HouseholdMember.deleted_at.is_(None)))
        # members of pseudonymous households: only their number is known
        unknown = select(*base, literal(Sex.OHNE_ANGABE.value).label("sex"), literal(NONE_KEY).label("age"),
                         t.nationality.label("nationality"), t.members.label("weight")).where(t.members > 0)
        people = union_all(clients, members, unknown).subquery("people")
        person_groups = [*(getattr(people.c, d) for d in HOUSEHOLD_DIMS), people.c.sex, people.c.age]
        persons = session.execute(select(*person_groups, people.c.nationality, func.sum(people.c.weight))
                                  .group_by(*person_groups, people.c.nationality)).all()
        households = session.execute(select(*base, func.count()).group_by(*base)).all()
    finally:
        HOUSEHOLDS.drop(conn, checkfirst=True)
    return persons, households


def _rollup(rows: Sequence[Any], dims: tuple[str, ...], wanted: tuple[str, ...]) -> dict[tuple[str, ...], int]:
    idx = [dims.index(w) for w in wanted]
    out: dict[tuple[str, ...], int] = defaultdict(int)
    for row in rows:
        out[tuple(NONE_KEY if row[i] in (None, "") else str(row[i]) for i in idx)] += int(row[-1])
    return out


def _rows_with_none(expected: Sequence[tuple[str, str]], found: set[str], label=str) -> list[tuple[str, str]]:
    rows = list(expected)
    known = {k for k, _ in rows}
    rows += [(k, label(k)) for k in sorted(found - known - {NONE_KEY})]
    if NONE_KEY in found:
        rows.append((NONE_KEY, "ohne Angabe"))
    return rows


def stichtag_tables(session: Session, day: date, art: str = NRW,
                    sites: Sequence[str] | None = None) -> list[ReportTable]:
    """All tables of the Stichtag report ``art`` (``nrw`` or ``wobericht``) on ``day``."""
    kind = KINDS.get(art)
    if kind is None:
        raise ValueError(art)
    persons, households = _grouped(session, day, kind, sites)
    head = f"{kind.title}, Stichtag {fmt_date(day)}"
    p_total = sum(int(r[-1]) for r in persons)
    h_total = sum(int(r[-1]) for r in households)
    note_members = ("Personen: beratene Personen und ihre im Fall erfassten Haushaltsangehörigen (mit der "
                    "Staatsangehörigkeit der beratenen Person); als dieselbe Person verknüpfte Datensätze einmal.")
    tables = [ReportTable("overview", head, (Column("label", "Merkmal", ColumnKind.TEXT), Column("value", "Anzahl")),
                          (Row("persons", ("Personen", p_total)), Row("households", ("Haushalte", h_total))),
                          footnotes=(note_members, pseudonymous.STICHTAG_NOTE, NOTE_PSEUDONYMOUS_PERSONS),
                          dimension="stichtag")]

    # Age group × sex
    sex_age = _rollup(persons, PERSON_DIMS, ("age", "sex"))
    sexes = [s for s in Sex]
    cols = (Column("label", "Altersgruppe", ColumnKind.TEXT), *(Column(s.value, s.label) for s in sexes),
            Column("total", "Insgesamt"))
    ages = _rows_with_none([(k, label) for k, label, _ in AGE_GROUPS], {a for a, _ in sex_age})
    rows = [Row(key, (label, *(sex_age.get((key, s.value), 0) for s in sexes),
                      sum(v for (a, _), v in sex_age.items() if a == key))) for key, label in ages]
    tables.append(ReportTable("sex_age", f"Personen nach Alter und Geschlecht – {head}", cols, tuple(rows),
                              total_row(cols, rows), ("Alter am Stichtag in vollendeten Jahren.", NOTE_AGE_BANDS),
                              dimension="age", total_column="total"))

    def one(key: str, dim: str, title: str, header: str, expected: Sequence[tuple[str, str]], label=str,
            with_households: bool = True, note: tuple[str, ...] = ()) -> None:
        p = _rollup(persons, PERSON_DIMS, (dim,))
        h = _rollup(households, HOUSEHOLD_DIMS, (dim,)) if with_households else {}
        found = {k[0] for k in p} | {k[0] for k in h}
        cols = (Column("label", header, ColumnKind.TEXT), *((Column("households", "Haushalte"),)
                                                            if with_households else ()), Column("persons", "Personen"))
        rows = [Row(k, (lab, *((h.get((k,), 0),) if with_households else ()), p.get((k,), 0)))
                for k, lab in _rows_with_none(expected, found, label)]
        tables.append(ReportTable(key, f"{title} – {head}", cols, tuple(rows), total_row(cols, rows), note,
                                  dimension=dim))

    one("sex", "sex", "Personen nach Geschlecht", "Geschlecht", Sex.choices(), with_households=False)
    one("nationality", "nationality", "Personen nach Staatsangehörigkeit", "Staatsangehörigkeit", NATIONALITY,
        with_households=False)
    one("household_type", "htype", "Haushaltstyp", "Haushaltstyp", HOUSEHOLD_TYPES)
    one("household_size", "hsize", "Haushaltsgröße", "Haushaltsgröße", HOUSEHOLD_SIZES)
    accommodation = [(c, Category(c).label) for c in kind.categories]
    one("accommodation", "category", "Art der Unterbringung", "Art der Unterbringung", accommodation,
        common.category_label, note=("Nach der am Stichtag gültigen Wohnungsnotfall-Kategorie des Falls.",))
    one("municipality", "municipality", "Gemeinde", "Gemeinde (AGS)",
        [(m.name, common.municipality_label(m.name)) for m in MUNICIPALITIES], common.municipality_label)
    if kind.key == WOBERICHT:
        one("since", "since", "Untergebracht seit", "Dauer bis zum Stichtag", [(k, lab) for k, lab, _ in SINCE],
            note=("Seit dem Beginn der am Stichtag gültigen Kategorie; bei pseudonymen Datensätzen volle "
                  "Kalendermonate vom Monat des Beginns bis zum Stichtagsmonat.",))
        p = _rollup(persons, PERSON_DIMS, ("category",))
        h = _rollup(households, HOUSEHOLD_DIMS, ("category",))
        cols = (Column("label", "Art des Trägers", ColumnKind.TEXT), Column("households", "Haushalte"),
                Column("persons", "Personen"))
        rows = [Row(k, (lab, sum(v for (c,), v in h.items() if PROVIDERS.get(c) == k),
                        sum(v for (c,), v in p.items() if PROVIDERS.get(c) == k))) for k, lab in PROVIDER_ROWS]
        tables.append(ReportTable("provider", f"Art des Trägers der Unterbringung – {head}", cols, tuple(rows),
                                  total_row(cols, rows),
                                  ("Ordnungsrechtliche Unterbringung: Träger ist die Gemeinde; Einrichtungen der "
                                   "Wohnungslosenhilfe: freie Wohlfahrtspflege, Verband Diakonie.",),
                                  dimension="provider"))
    one("site", "site", "Standort", "Standort", [], common.site_label)
    return tables


NOTE_AGE_BANDS = ("Pseudonyme Datensätze tragen nur eine 5-Jahres-Altersgruppe bei Fallbeginn: sie wird um die vollen "
                  "Jahre bis zum Stichtag weitergezählt und nach ihrer Mitte eingeordnet (z. B. 15–19 Jahre bei "
                  "Beginn im Stichtagsjahr: unter 18; zwei Jahre früher: 18 bis unter 25). Ihre "
                  "Haushaltsangehörigen: Alter und Geschlecht ohne Angabe.")
NOTE_PSEUDONYMOUS_PERSONS = ("Pseudonyme Datensätze: wer zugleich über einen Fall mit Einwilligung gezählt wird, "
                             "zählt nur dort; mehrere Datensätze einer Person an einem Standort einmal (über Standorte "
                             "hinweg ist sie ohne Einwilligung nicht erkennbar).")


def default_art(day: date) -> str:
    return WOBERICHT if (day.month, day.day) == (1, 31) else NRW

