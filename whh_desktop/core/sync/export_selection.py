"""Which rows a site export reads (the first step of ``exporter.build_site_payload``).

A full export reads the statistics inputs of every case of the site (narrow columns), lets the consent gate
decide, and then whole rows only for the cases that go out identified. An incremental export reads the rows
changed since the last export, widens them to the cases they belong to (plus the cases the caller adds: expired
shares, pending handovers) and reads those cases whole, since the consent gate may send any of them whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.export_rows import Row, index, project, select_cols, select_in, select_rows
from whh_desktop.core.sync.pseudonym_records import STAT_CASE, STAT_CHILD, STAT_PERSON, Stats

# the consent rows' columns the gate needs, in this order (``exporter.consent_gate``)
SHARE_COLS = ("recipients", "valid_from", "valid_until", "revoked_on", "deleted_at")


@dataclass
class Aggregate:
    """A case's whole row and its children's whole rows."""

    case: Row
    children: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))


@dataclass
class Selection:
    """What an export read. ``affected`` are the cases that get a pseudonym entry; ``aggregates`` holds whole rows
    (of the identified cases in a full export, of every affected case otherwise); ``stats``/``person_stats`` the
    statistics inputs; ``consents`` each case's consent rows as ``SHARE_COLS`` tuples; ``touched`` the changed
    rows per site entity (a full export: only the registry requests and landlord notes)."""

    touched: dict[str, list[Row]] = field(default_factory=dict)
    affected: set[str] = field(default_factory=set)
    aggregates: dict[str, Aggregate] = field(default_factory=dict)
    persons: dict[str, Row] = field(default_factory=dict)
    stats: dict[str, Stats] = field(default_factory=dict)
    person_stats: dict[str, Row] = field(default_factory=dict)
    person_of: dict[str, str] = field(default_factory=dict)
    consents: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))


def _case_index() -> dict[str, int]:
    return {e: index(e, "case_id") for e in pl.CHILD_TABLES}


def full_statistics(session: Session, site: str) -> Selection:
    """A full export, before the gate: every case of ``site`` with its statistics case columns and consents, and
    the site's registry requests and landlord notes."""
    sel = Selection()
    for name in ("registry_requests", "landlord_notes"):
        sel.touched[name] = select_rows(session, name, "owner_site = ?", (site,))
    for r in select_cols(session, "cases", ("id", "person_id", *STAT_CASE), "owner_site = ?", (site,)):
        sel.stats[r[0]] = Stats(r[2:])
        sel.person_of[r[0]] = r[1]
    sel.affected = set(sel.stats)
    for r in select_cols(session, "consents", ("case_id", *SHARE_COLS), "owner_site = ?", (site,)):
        sel.consents[r[0]].append(r[1:])
    return sel


def add_full_rows(session: Session, site: str, sel: Selection, shares: Mapping[str, bool]) -> None:
    """A full export, after the gate: whole rows of the identified cases and their persons, the statistics child
    columns of the others, and the statistics person columns of all."""
    identified = [c for c, ok in shares.items() if ok]
    case_idx = _case_index()
    for r in select_in(session, "cases", "id", identified, " AND owner_site = ?", (site,)):
        sel.aggregates[r[index("cases", "id")]] = Aggregate(r)
    for entity in pl.CHILD_TABLES:
        at = case_idx[entity]
        for r in select_in(session, entity, "case_id", identified, " AND owner_site = ?", (site,)):
            sel.aggregates[r[at]].children[entity].append(r)
    for entity, cols in STAT_CHILD.items():
        for r in select_cols(session, entity, ("case_id", *cols), "owner_site = ?", (site,)):
            st = sel.stats.get(r[0])
            if st is not None and not shares[r[0]]:
                st.children[entity].append(r[1:])
    sel.person_stats = {r[0]: r[1:] for r in select_cols(session, "persons", ("id", *STAT_PERSON),
                                                         "owner_site = ?", (site,))}
    sel.persons = {r[index("persons", "id")]: r for r in select_in(
        session, "persons", "id", {sel.person_of[c] for c in identified}, " AND owner_site = ?", (site,))}


def changes(session: Session, site: str, changed: Mapping[str, set[str]], extra_cases: Iterable[str]) -> Selection:
    """An incremental export: the changed rows of ``site``, and every case they touch (or ``extra_cases`` names)
    read whole, with its statistics inputs and consents projected from those whole rows."""
    sel = Selection()
    case_idx = _case_index()
    cases_id_at, person_at = index("cases", "id"), index("cases", "person_id")
    touched = sel.touched
    for model in pl.SITE_MODELS:
        name = model.__tablename__
        touched[name] = select_in(session, name, "id", changed.get(name, ()), " AND owner_site = ?",
                                  (site,)) if changed.get(name) else []
    affected = {r[cases_id_at] for r in touched["cases"]}
    for entity in pl.CHILD_TABLES:
        affected |= {r[case_idx[entity]] for r in touched[entity]}
    person_ids = {r[index("persons", "id")] for r in touched["persons"]}
    if person_ids:
        affected |= {r[cases_id_at] for r in select_in(session, "cases", "person_id", person_ids,
                                                       " AND owner_site = ?", (site,))}
    affected |= set(extra_cases)
    aggregates = sel.aggregates
    for r in select_in(session, "cases", "id", affected, " AND owner_site = ?", (site,)):
        aggregates[r[cases_id_at]] = Aggregate(r)
    for entity in pl.CHILD_TABLES:
        for r in select_in(session, entity, "case_id", aggregates):
            aggregates[r[case_idx[entity]]].children[entity].append(r)
    sel.persons = {r[index("persons", "id")]: r for r in select_in(
        session, "persons", "id", {a.case[person_at] for a in aggregates.values()})}
    sel.affected = affected & set(aggregates)
    case_stat, share_cols = project("cases", STAT_CASE), project("consents", SHARE_COLS)
    child_stat = {e: project(e, cols) for e, cols in STAT_CHILD.items()}
    for case_hex, agg in aggregates.items():
        sel.person_of[case_hex] = agg.case[person_at]
        st = sel.stats[case_hex] = Stats(case_stat(agg.case))
        for entity, cut in child_stat.items():
            st.children[entity] = [cut(r) for r in agg.children.get(entity, ())]
        sel.consents[case_hex] = [share_cols(r) for r in agg.children.get("consents", ())]
    person_stat = project("persons", STAT_PERSON)
    sel.person_stats = {p: person_stat(r) for p, r in sel.persons.items()}
    return sel
