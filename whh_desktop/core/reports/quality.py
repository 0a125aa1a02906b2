"""The data quality list: open and closed cases missing what the reports need, each with the case to fix.

Checked (in SQL, one query): the advised person has no birth date (age groups), the case has no municipality
(municipality breakdowns, AGS), the case has a category but no dated category history (Stichtag reports), the
case has no category at all. Drafts and deleted or erased cases are left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import case, literal, or_, select
from sqlalchemy.orm import Session

from whh_desktop.core.reports import common
from whh_desktop.core.reports.tables import Column, ColumnKind, ReportTable, Row
from whh_desktop.core.store.models import Case, CategoryEntry, Person

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
    stmt = select(Case.id, Case.case_number, Case.owner_site, Case.counsellor, *flags) \
        .where(Case.deleted_at.is_(None), Case.erased_on.is_(None), Case.status != "draft",
               common.site_filter(Case.owner_site, sites),
               or_(no_birth, no_municipality, undated, no_category)) \
        .order_by(Case.case_number).limit(limit)
    rows = []
    for case_id, number, site, counsellor, *bits in session.execute(stmt):
        missing = "; ".join(label for bit, label in zip(bits, PROBLEMS.values(), strict=True) if bit)
        rows.append(Row(str(case_id), (number, common.site_label(site), counsellor, missing)))
    cols = (Column("case_number", "Aktenzeichen", ColumnKind.TEXT), Column("site", "Standort", ColumnKind.TEXT),
            Column("counsellor", "Beratung", ColumnKind.TEXT), Column("missing", "Es fehlt", ColumnKind.TEXT))
    return ReportTable("data_quality", "Datenqualität: Fälle mit fehlenden Angaben für die Berichte", cols,
                       tuple(rows), footnotes=(f"{len(rows)} Fälle. Ein Klick öffnet den Fall zum Ergänzen.",),
                       dimension="case")
