"""Gather a letter's fields from the store: case, person, household, tenancy, eviction proceeding, consents, the
offer with its KdU check. Values are display strings (``core/letters/fields.py`` formats them); the form may change
any of them before rendering.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import deadlines
from whh_desktop.core.domain.consent import is_valid
from whh_desktop.core.domain.enums import TerminationKind
from whh_desktop.core.domain.formatting import fmt_money, fmt_number
from whh_desktop.core.domain.kdu import format_area
from whh_desktop.core.errors import InvalidInput, NotFound
from whh_desktop.core.letters import fields
from whh_desktop.core.services import intake, offers
from whh_desktop.core.store.models import (
    Case,
    Consent,
    EvictionProceeding,
    FlatOffer,
    HouseholdMember,
    HousingSearch,
    Income,
    Landlord,
    Person,
)
from whh_desktop.core.store.rows import get_live


def case_values(session: Session, case_id: uuid.UUID, today: date) -> dict[str, str]:
    """Client, household, tenancy, income and eviction fields of a case."""
    case = get_live(session, Case, case_id, "Diesen Fall", where=lambda c: c.erased_on is None, field="case")
    person = session.get(Person, case.person_id)
    values: dict[str, str] = {"aktenzeichen": case.case_number}
    if person is not None:
        values |= {"klient_vorname": person.given_names or "", "klient_nachname": person.family_name or "",
                   "klient_name": " ".join(x for x in (person.given_names, person.family_name) if x),
                   "klient_geburtsdatum": fields.long_date(person.birth_date),
                   "klient_anschrift": fields.address(person.street, person.plz, person.city)}
    members = live_rows(session, HouseholdMember, case_id)
    values["haushalt_personen"] = str(1 + len(members))
    values["haushalt_mitglieder"] = ", ".join(
        " ".join(x for x in (m.given_names, m.family_name) if x) for m in members if m.family_name or m.given_names)
    values["bg_nummer"] = next((i.bg_number for i in live_rows(session, Income, case_id) if i.bg_number), "")
    flat = intake.tenancy_of(session, case)  # the intake's tenancy: flat, landlord, rent and arrears typed once
    gross = (flat.cold_rent or 0) + (flat.utilities or 0)
    values |= {"mietwohnung": flat.address,
               "vermieter_name": flat.landlord_name, "kaltmiete": fields.money(flat.cold_rent),
               "nebenkosten": fields.money(flat.utilities), "heizkosten": fields.money(flat.heating),
               "gesamtmiete": fields.money(gross + (flat.heating or 0)) if gross else "",
               "mietrueckstand": fields.money(flat.arrears), "rueckstand_seit": fields.long_date(flat.arrears_since)}
    values |= eviction_values(session, case_id)
    values |= consent_values(session, case_id, today)
    return values


def live_rows(session: Session, model: type[Any], case_id: uuid.UUID) -> list[Any]:
    """The case's rows of ``model`` that are not deleted."""
    return list(session.execute(select(model).where(model.case_id == case_id, model.deleted_at.is_(None))
                                ).scalars())


def consent_values(session: Session, case_id: uuid.UUID, today: date) -> dict[str, str]:
    """Recipients, data categories and validity of the consents valid today (the consent form ticks them)."""
    names: set[str] = set()
    categories: set[str] = set()
    valid = [c for c in live_rows(session, Consent, case_id) if is_valid(c, today)]
    for consent in valid:
        names.update(consent.recipients)
        categories.update(consent.categories)
        if consent.health_data:
            categories.add("gesundheit")
    validity = ""
    if valid:
        newest = max(valid, key=lambda c: (c.signed_on, c.valid_from))
        until = f"bis zum {fields.long_date(newest.valid_until)}" if newest.valid_until else "bis zum Widerruf"
        validity = f"vom {fields.long_date(newest.valid_from)} {until}"
    return {"einwilligung_empfaenger": ",".join(sorted(names)), "einwilligung_kategorien": ",".join(sorted(categories)),
            "einwilligung_gueltigkeit": validity}


def eviction_values(session: Session, case_id: uuid.UUID) -> dict[str, str]:
    """The newest eviction proceeding, with the Schonfrist (§ 569 Abs. 3 Nr. 2 BGB) if the suit was served."""
    rows = live_rows(session, EvictionProceeding, case_id)
    if not rows:
        return {}
    proc = max(rows, key=lambda p: (p.created_at, p.suit_served_on or date.min))
    kind = ""
    if proc.termination_kind:
        try:
            kind = TerminationKind(proc.termination_kind).label
        except ValueError:
            kind = proc.termination_kind
    values = {"kuendigung_datum": fields.long_date(proc.termination_on), "kuendigung_art": kind,
              "klage_zugestellt": fields.long_date(proc.suit_served_on), "gericht": proc.court or "",
              "gericht_az": proc.court_file_no or "", "verhandlung_datum": fields.long_date(proc.hearing_on),
              "raeumungstermin": fields.long_date(proc.eviction_on)}
    if proc.suit_served_on:
        values["schonfrist_ende"] = fields.long_date(deadlines.schonfrist(proc.suit_served_on).due)
    return values



def offer_values(session: Session, offer_id: uuid.UUID, case_id: uuid.UUID | None, persons: int) -> dict[str, str]:
    """A flat offer with its landlord and the KdU check for the household (DOMAIN.md, § 22 SGB II)."""
    offer = get_live(session, FlatOffer, offer_id, "Dieses Wohnungsangebot", field="offer")
    landlord = session.get(Landlord, offer.landlord_id) if offer.landlord_id else None
    search = None
    if case_id is not None:
        search = session.execute(select(HousingSearch).where(HousingSearch.case_id == case_id,
                                                             HousingSearch.deleted_at.is_(None))
                                 .order_by(HousingSearch.created_at.desc()).limit(1)).scalar_one_or_none()
    if search is not None:
        persons = search.household_size
    values = {"wohnung_anschrift": fields.address(offer.street, offer.plz, offer.municipality),
              "wohnung_vermieter": landlord.name if landlord else "",
              "wohnung_flaeche": format_area(offer.floor_space_m2),
              "wohnung_zimmer": fmt_number(offer.rooms),
              "wohnung_kaltmiete": fields.money(offer.cold_rent),
              "wohnung_nebenkosten": fields.money(offer.utilities), "wohnung_heizkosten": fields.money(offer.heating),
              "wohnung_bruttokaltmiete": fields.money(offer.gross_rent),
              "wohnung_kaution": fields.money(offer.deposit) if offer.deposit else "",
              "wohnung_frei_ab": fields.long_date(offer.available_from), "haushalt_personen": str(persons)}
    attributes = tuple(search.kdu_attributes) if search is not None else ()
    try:
        check = offers.kdu_check(session, offer_id, persons, attributes)
    except (InvalidInput, NotFound):  # no table for the date or an unknown municipality: the counsellor fills it in
        return values
    values |= {"kdu_ergebnis": check.summary(), "kdu_grenze": fmt_money(check.limit),
               "kdu_vergleichsraum": check.area, "kdu_tabelle": check.table_version}
    return values
