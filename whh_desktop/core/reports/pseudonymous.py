"""Pseudonymous records at the district (DESIGN.md §10 "Pseudonymous records") as input of the reports.

The district holds most cases of the sites only as pseudonymous records: ``sync_pseudonyms`` rows with
``identified`` false and the whitelisted statistics as JSON in ``data`` (exactly what ``sync.exporter._statistics``
writes: site, municipality, category history with months, sex, 5-year age band at the opening of the case,
nationality group, household type and size, opening and closing month, outcome, contacts per Baustein, deleted).

No double counting: a row with ``identified`` true is the link of a pseudonym to an identified case (consent given
later; the importer then sets ``data`` to NULL and ``case_id``/``person_id``). Such a case counts through its
identified rows only; linked pseudonyms are never read as pseudonymous records. The link's ``person_id`` also
lets a pseudonymous case of a person whose other case at the same site is identified count that person once.

Why Python here: the fields sit inside a JSON document, and reading JSON in SQL needs dialect functions (SQLite
``json_extract``, PostgreSQL ``->>``) that DESIGN.md §10 (Scale) keeps out of services and reports. So one narrow,
portable SELECT reads (id, site, pseudonym, person pseudonym, data) once per report, the few fields needed are
derived in this one pass, and the reports put them into their temporary tables and aggregate them in SQL together
with the identified cases.

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

import uuid
from calendar import monthrange
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from whh_desktop.core.reports import common
from whh_desktop.core.store.models import PseudonymEntry

# Stable person keys for pseudonymous persons (site + person pseudonym): never collide with real person ids
# (random uuid4), and the same person's cases at one site share the key.
_PERSON_NS = uuid.UUID("6f1d3c1e-2b7a-5d8e-9c4f-0a1b2c3d4e5f")

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


def band_lower(text: str | None) -> int | None:
    """"25-29" → 25; "unbekannt" → None."""
    if not text or "-" not in text:
        return None
    try:
        return int(text.split("-", 1)[0])
    except ValueError:
        return None


NATIONALITY = {"deutsch": "deutsch", "eu": "andere", "andere": "andere"}  # the Stichtag groups; "unbekannt" → None


@dataclass(frozen=True, slots=True)
class Record:
    id: int                 # sync_pseudonyms.id
    site: str
    pseudonym: str
    person: uuid.UUID       # the (canonical) identified person where known, else a key of site + person pseudonym
    municipality: str | None
    categories: tuple[tuple[str, int], ...]  # (category, month index of "since"), in history order
    sex: str | None
    band: int | None        # lower bound of the 5-year age band at the opening of the case
    nationality: str | None  # "deutsch" / "andere" / None
    htype: str | None
    hsize: int
    opened: int | None      # month indexes
    closed: int | None
    outcome: str | None
    contacts: dict[str, int]

    @property
    def label(self) -> str:
        return f"Pseudonym {self.pseudonym[:12]}"

    @property
    def category(self) -> str | None:
        """The current category (the last history entry)."""
        return self.categories[-1][0] if self.categories else None

    # ---- periods: whole months ----
    @property
    def opened_day(self) -> date | None:
        return None if self.opened is None else first_day(self.opened)

    @property
    def closed_day(self) -> date | None:
        return None if self.closed is None else last_day(self.closed)

    def open_in(self, von: date, bis: date) -> bool:
        if self.opened is None or first_day(self.opened) > bis:
            return False
        return self.closed is None or last_day(self.closed) >= von

    @property
    def contact_total(self) -> int:
        return sum(self.contacts.values())

    # ---- Stichtag: only what is certain on the day ----
    def known_on(self, day: date) -> bool:
        if self.opened is None or last_day(self.opened) > day:
            return False
        return self.closed is None or first_day(self.closed) >= day

    def category_on(self, day: date) -> tuple[str, int] | None:
        """(category, since month index) valid on ``day``: the last entry whose month has certainly begun."""
        found = None
        for category, since in self.categories:
            if last_day(since) <= day:
                found = (category, since)
        return found


def identified_persons(session: Session, sites: Sequence[str] | None) -> dict[tuple[str, str], uuid.UUID]:
    """(site, person pseudonym) → canonical person id, from the links of pseudonyms to identified cases."""
    canon = common.canonical_persons()
    p = PseudonymEntry
    stmt = select(p.site, p.person_pseudonym, func.coalesce(canon.c.canon, p.person_id)) \
        .outerjoin(canon, canon.c.person_id == p.person_id) \
        .where(p.identified.is_(True), p.person_id.is_not(None), common.site_filter(p.site, sites))
    return {(site, pp): person for site, pp, person in session.execute(stmt)}


def _person_key(site: str, person_pseudonym: str) -> uuid.UUID:
    """The HMAC hex itself as the key (per-site secrets: no clash across sites in practice; cheaper than uuid5)."""
    try:
        return uuid.UUID(hex=person_pseudonym[:32])
    except ValueError:
        return uuid.uuid5(_PERSON_NS, f"{site}:{person_pseudonym}")


def load(session: Session, sites: Sequence[str] | None = None) -> list[Record]:
    """Every live pseudonymous record (not linked to an identified case, not deleted at the site) of ``sites``."""
    linked = identified_persons(session, sites)
    p = PseudonymEntry
    stmt = select(p.id, p.site, p.pseudonym, p.person_pseudonym, p.data) \
        .where(p.identified.is_(False), p.data.is_not(None), common.site_filter(p.site, sites))
    out: list[Record] = []
    months: dict[str, int | None] = {}

    def month(text: str | None) -> int | None:
        if text not in months:
            months[text] = month_index(text)
        return months[text]

    for rid, site, pseudonym, person_pseudonym, d in session.execute(stmt):
        if not isinstance(d, dict) or d.get("deleted"):
            continue
        person = linked.get((site, person_pseudonym)) or _person_key(site, person_pseudonym)
        cats = tuple((c, month(s)) for c, s in d.get("categories") or () if s)
        sex = d.get("sex") or None
        out.append(Record(rid, site, pseudonym, person, d.get("municipality") or None, cats,  # type: ignore[arg-type]
                          sex, band_lower(d.get("age_band")), NATIONALITY.get(d.get("nationality_group") or ""),
                          d.get("household_type"), max(1, int(d.get("household_size") or 1)),
                          month(d.get("opened_month")), month(d.get("closed_month")), d.get("outcome"),
                          d.get("contacts_per_baustein") or {}))
    return out
