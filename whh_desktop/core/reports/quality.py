"""The data quality list: open and closed cases missing what the reports need, each with the case to fix.

Checked (in SQL, one query): the advised person has no birth date (age groups), the case has no municipality
(municipality breakdowns, AGS), the case has a category but no dated category history (Stichtag reports), the
case has no category at all. Drafts and deleted or erased cases are left out.

Pseudonymous records of the sites (``reports.pseudonymous``) are listed after them with the same checks on what
they carry (age band unknown, no municipality, no category) — keyed ``pseudonym:<site>:<pseudonym>``, so the UI
opens nothing: they can only be completed at the site. They are checked in SQL on their facts table
(``sync_pseudonym_facts``, written by the importer), like the cases.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case, literal, or_, select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.reports import common, pseudonymous
from whh_desktop.core.reports.tables import Column, ColumnKind, ReportTable, Row
from whh_desktop.core.store.models import Account, Case, CategoryEntry, Person, PseudonymEntry
from whh_desktop.core.store.models.accounts import staff_name

PROBLEMS = {
    "birth_date": "Geburtsdatum fehlt",
    "municipality": "Gemeinde fehlt",
    "category_undated": "Kategorie ohne Datum (keine Kategorie-Historie)",
    "category": "Wohnungsnotfall-Kategorie fehlt",
}


def quality_table(session: Session, sites: Sequence[str] | None = None, limit: int = 10_000) -> ReportTable:
    """Rows keyed by the case id (hyphenated), so the UI opens the case to fix it."""
    dated = Case.id.in_(select(CategoryEntry.case_id).where(CategoryEntry.deleted_at.is_(None)))
    # IN (subquery): SQLite builds each set once, instead of looking up 100 000 persons one by one
    no_birth = Case.person_id.in_(select(Person.id).where(Person.birth_date.is_(None)))
    no_municipality = or_(Case.municipality.is_(None), Case.municipality == "")
    undated = (Case.current_category.is_not(None)) & ~dated
    no_category = Case.current_category.is_(None)
    flags = [case((cond, literal(1)), else_=literal(0)).label(name) for name, cond in
             (("birth_date", no_birth), ("municipality", no_municipality), ("category_undated", undated),
              ("category", no_category))]
    stmt = select(Case.id, Case.case_number, Case.owner_site, staff_name(Case.counsellor), *flags) \
        .outerjoin(Account, Account.username == Case.counsellor) \
        .where(Case.deleted_at.is_(None), Case.erased_on.is_(None), Case.status != "draft",
               common.site_filter(Case.owner_site, sites),
               or_(no_birth, no_municipality, undated, no_category)) \
        .order_by(Case.case_number).limit(limit)
    rows = []
    for case_id, number, site, counsellor, *bits in session.execute(stmt):
        missing = "; ".join(label for bit, label in zip(bits, PROBLEMS.values(), strict=True) if bit)
        rows.append(Row(str(case_id), (number, common.site_label(site), counsellor, missing)))
    pseudonymous_rows = 0
    if len(rows) < limit:
        f, p = pseudonymous.Facts, PseudonymEntry
        p_flags = [case((cond, literal(1)), else_=literal(0)) for cond in
                   (f.age_band.is_(None), f.municipality.is_(None), f.category.is_(None))]
        p_labels = ("Altersangabe fehlt", PROBLEMS["municipality"], PROBLEMS["category"])
        stmt = select(f.site, p.pseudonym, *p_flags).join(p, p.id == f.pseudonym_id) \
            .where(common.site_filter(f.site, sites),
                   or_(f.age_band.is_(None), f.municipality.is_(None), f.category.is_(None))) \
            .order_by(f.site, p.pseudonym).limit(limit - len(rows))
        for site, pseudonym, *bits in session.execute(stmt):
            missing = "; ".join(label for bit, label in zip(bits, p_labels, strict=True) if bit)
            rows.append(Row(f"pseudonym:{site}:{pseudonym}", (f"Pseudonym {pseudonym[:12]}", common.site_label(site),
                                                              "", missing + " (am Standort ergänzen)")))
            pseudonymous_rows += 1
    cols = (Column("case_number", "Aktenzeichen", ColumnKind.TEXT), Column("site", "Standort", ColumnKind.TEXT),
            Column("counsellor", "Beratung", ColumnKind.TEXT), Column("missing", "Es fehlt", ColumnKind.TEXT))
    return ReportTable("data_quality", "Datenqualität: Fälle mit fehlenden Angaben für die Berichte", cols,
                       tuple(rows), footnotes=(f"{plural(len(rows), 'Fall', 'Fälle')}. "
                                               "Doppelklick oder »Fall öffnen« öffnet den Fall "
                                               "zum Ergänzen.",
                                               f"Davon {pseudonymous_rows} pseudonyme Datensätze (ohne Einwilligung "
                                               "für den Kreis): nur am Standort zu ergänzen."),
                       dimension="case")
