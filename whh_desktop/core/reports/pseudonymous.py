"""Pseudonymous records at the district (DESIGN.md §10 "Pseudonymous records") as input of the reports.

The district holds most cases of the sites only as pseudonymous records: ``sync_pseudonyms`` rows with
``identified`` false and the whitelisted statistics as JSON in ``data`` (exactly what ``pseudonym_records.statistics``
writes: site, municipality, category history with months, sex, 5-year age band at the opening of the case,
nationality group, household type and size, opening and closing month, outcome, contacts per Baustein, deleted).

No double counting: a row with ``identified`` true is the link of a pseudonym to an identified case (consent given
later; the importer then sets ``data`` to NULL and ``case_id``/``person_id``). Such a case counts through its
identified rows only; linked pseudonyms are never read as pseudonymous records. The link's ``person_id`` also
lets a pseudonymous case of a person whose other case at the same site is identified count that person once.

Plain columns, SQL only: the importer writes each live pseudonymous record's report facts into
``sync_pseudonym_facts`` (with ``sync_pseudonym_categories``, the category history, and ``sync_pseudonym_contacts``,
the counts per Baustein) in the same transaction as the pseudonym row (``store.models.sync.PseudonymFacts``); months
are stored as dates by the period rule below (opened: the 1st, closed: the last day of the month). The reports
aggregate those tables with the same portable SQL as the identified cases (no JSON in SQL, DESIGN.md §10 Scale; no
JSON decoding per report either). ``facts`` is the one source: one row per record with the person key (the linked
identified person where known) and the columns of the temporary tables. The application statistics of the records
(kind, months, decision, processing days, Widerspruch, eviction averted) are in ``sync_pseudonym_applications``, one
row per application, written alongside and read by ``arbeitskreis.py`` (the Arbeitskreis figures).

Month precision (footnoted in the tables, ``PERIOD_NOTE`` and ``STICHTAG_NOTE``):
- Period reports: a pseudonymous case spans whole months — opened on the 1st of its opening month, closed on the
  last day of its closing month. "Neue Fälle" counts it on that 1st, "Wohnungsverlust verhindert" on that last
  day; "Haushalte/Personen beraten" when that span touches the period. For whole months, quarters and years (what
  the dashboard offers) this is exactly "opened/closed/open in that month".
- Contacts carry no date in the record (only counts per Baustein): they count all at once on the closing day, so
  each contact counts in exactly one period; contacts of open cases count once the case is closed.
- Stichtag: only what is certain on the day counts. A month-precision start (case opened, category since) is taken
  as the last day of its month, a month-precision end (case closed) as the first day of its month: a category
  "since 2026-06" is valid on 30.06.2026 (the last day of June) but not yet on 15.06.2026; a case closed "2026-06"
  no longer counts on 30.06.2026 (a closing on the Stichtag itself would count, but the record cannot say so).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.sql import Subquery

from whh_desktop.core.reports import common
from whh_desktop.core.store.dialect import min_id
from whh_desktop.core.store.models import PseudonymEntry
from whh_desktop.core.store.models.sync import PseudonymCategory, PseudonymContacts, PseudonymFacts

Facts = PseudonymFacts
Categories = PseudonymCategory
Contacts = PseudonymContacts

PERIOD_NOTE = ("Pseudonyme Datensätze (ohne Einwilligung für den Kreis) zählen mit; sie tragen nur Monate: ein solcher "
               "Fall gilt vom 1. des Aufnahmemonats bis zum Letzten des Abschlussmonats als offen, als neuer Fall am "
               "1. des Aufnahmemonats, als abgeschlossen am Letzten des Abschlussmonats. Später mit Einwilligung "
               "übermittelte Fälle zählen einmal (als identifizierter Fall).")
CONTACTS_NOTE = ("Kontakte pseudonymer Fälle tragen kein Datum (nur die Zahl je Baustein): sie zählen gesammelt am "
                 "Letzten des Abschlussmonats, Kontakte noch offener Fälle erst nach dem Abschluss; ein Kontakt zu "
                 "mehreren Bausteinen zählt bei ihnen je Baustein.")
PERSONS_NOTE = ("Personen pseudonymer Fälle: die Haushaltsgröße; dieselbe Person zählt nur innerhalb eines "
                "Standorts einmal (über Standorte hinweg ist sie ohne Einwilligung nicht erkennbar).")
STICHTAG_NOTE = ("Pseudonyme Datensätze zählen mit, soweit am Stichtag sicher: ein Monat als Beginn (Aufnahme, "
                 "Kategorie »seit«) gilt ab dem Letzten des Monats, ein Monat als Abschluss ab dem 1. des Monats – "
                 "eine Kategorie »seit 06/2026« gilt am 30.06.2026, am 15.06.2026 noch nicht; ein im Juni "
                 "abgeschlossener Fall zählt am 30.06. nicht mehr.")


def month_index(text: str | None) -> int | None:
    """"2026-03" → 2026 * 12 + 2 (months since year 0), None for none."""
    if not text:
        return None
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def day_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def first_day(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def last_day(index: int) -> date:
    year, month = index // 12, index % 12 + 1
    return date(year, month, monthrange(year, month)[1])


def identified_persons(sites: Sequence[str] | None) -> Subquery:
    """(site, person_pseudonym, person): the canonical identified person of a person pseudonym, from the links of
    pseudonyms to identified cases (consent given later)."""
    canon = common.canonical_persons()
    p = PseudonymEntry
    return select(p.site, p.person_pseudonym, min_id(func.coalesce(canon.c.canon, p.person_id)).label("person")) \
        .outerjoin(canon, canon.c.person_id == p.person_id) \
        .where(p.identified.is_(True), p.person_id.is_not(None), common.site_filter(p.site, sites)) \
        .group_by(p.site, p.person_pseudonym).subquery("linked_persons")


def facts(sites: Sequence[str] | None = None) -> Subquery:
    """Every live pseudonymous record of ``sites`` (not linked to an identified case, not deleted at the site), one
    row each: ``pid`` (sync_pseudonyms.id), ``person`` (the linked identified person, else the key of site + person
    pseudonym), the columns of the temporary tables (``extra`` the household members) and the raw facts."""
    f = Facts
    linked = identified_persons(sites)
    return select(f.pseudonym_id.label("pid"), f.site, func.coalesce(linked.c.person, f.person_key).label("person"),
                  f.municipality, f.category, f.opened, f.closed, (f.household_size - 1).label("extra"), f.outcome,
                  f.contacts, f.bausteine.label("bs"), f.age_band.label("band"), f.age_band_on.label("band_on"),
                  f.nationality, f.sex, f.household_type.label("htype"), f.household_size.label("hsize")) \
        .outerjoin(linked, (linked.c.site == f.site) & (linked.c.person_pseudonym == f.person_pseudonym)) \
        .where(common.site_filter(f.site, sites)).subquery("pseudonymous")
