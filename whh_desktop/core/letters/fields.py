"""Fill a letter's fields from the store: case, person, household, tenancy, eviction proceeding, offer with its
KdU check, counsellor and letterhead. Values are display strings (dates in the text as ``24. November 2026``,
money as ``1.234,56 €``); the form may change any of them before rendering.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import deadlines
from whh_desktop.core.domain.enums import TerminationKind
from whh_desktop.core.domain.kdu import format_area
from whh_desktop.core.domain.validation import format_money, parse_date
from whh_desktop.core.errors import InvalidInput
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
    Proposal,
)

# key → German label, in the order the form shows them
FIELDS: dict[str, str] = {
    "ihr_zeichen": "Ihr Zeichen",
    "aktenzeichen": "Unser Zeichen (Aktenzeichen)",
    "datum": "Datum des Briefes",
    "anrede": "Anrede",
    "klient_name": "Name der Klientin / des Klienten",
    "klient_vorname": "Vorname",
    "klient_nachname": "Familienname",
    "klient_geburtsdatum": "Geburtsdatum",
    "klient_anschrift": "Anschrift der Klientin / des Klienten",
    "haushalt_personen": "Zahl der Personen im Haushalt",
    "haushalt_mitglieder": "Weitere Personen im Haushalt",
    "bg_nummer": "Nummer der Bedarfsgemeinschaft",
    "mietwohnung": "Anschrift der Mietwohnung",
    "vermieter_name": "Name des Vermieters",
    "kaltmiete": "Kaltmiete",
    "nebenkosten": "Kalte Nebenkosten",
    "heizkosten": "Heizkosten",
    "gesamtmiete": "Gesamtmiete",
    "mietrueckstand": "Höhe des Mietrückstands",
    "rueckstand_seit": "Mietrückstand seit",
    "kuendigung_datum": "Datum der Kündigung",
    "kuendigung_art": "Art der Kündigung",
    "klage_zugestellt": "Datum der Zustellung der Räumungsklage",
    "gericht": "Gericht",
    "gericht_az": "Aktenzeichen des Gerichts",
    "verhandlung_datum": "Termin zur mündlichen Verhandlung",
    "raeumungstermin": "Räumungstermin",
    "schonfrist_ende": "Ende der Schonfrist",
    "wohnung_anschrift": "Anschrift der neuen Wohnung",
    "wohnung_vermieter": "Vermieter der neuen Wohnung",
    "wohnung_flaeche": "Wohnfläche",
    "wohnung_zimmer": "Zimmer",
    "wohnung_kaltmiete": "Kaltmiete der neuen Wohnung",
    "wohnung_nebenkosten": "Kalte Nebenkosten der neuen Wohnung",
    "wohnung_heizkosten": "Heizkosten der neuen Wohnung",
    "wohnung_bruttokaltmiete": "Bruttokaltmiete der neuen Wohnung",
    "wohnung_kaution": "Höhe der Kaution",
    "wohnung_frei_ab": "Bezugsfertig ab",
    "kdu_ergebnis": "Ergebnis der KdU-Prüfung",
    "kdu_grenze": "Angemessenheitsgrenze",
    "kdu_vergleichsraum": "Vergleichsraum",
    "kdu_tabelle": "KdU-Tabelle",
    "kdu_begruendung": "Begründung der höheren Miete",
    "antrag_datum": "Datum des Antrags",
    "antrag_gegenstand": "Gegenstand des Antrags",
    "bescheid_datum": "Datum des Bescheids",
    "bescheid_az": "Aktenzeichen des Bescheids",
    "widerspruch_gruende": "Begründung des Widerspruchs",
    "ratenhoehe": "Monatliche Rate",
    "einzug_datum": "Datum des Einzugs",
    "nachsorge_bis": "Nachbetreuung bis",
    "umzugskosten": "Voraussichtliche Umzugskosten",
    "erstausstattung_grund": "Grund für die Erstausstattung",
    "vermieter_iban": "IBAN des Vermieters",
    "einwilligung_empfaenger": "Stellen der Einwilligung",
    "einwilligung_kategorien": "Datenarten der Einwilligung",
    "einwilligung_gueltigkeit": "Gültigkeit der Einwilligung",
    "empfaenger_name": "Empfänger",
    "berater_name": "Name der Beraterin / des Beraters",
    "berater_telefon": "Telefon",
    "berater_email": "E-Mail",
    "stelle_name": "Name der Beratungsstelle",
    "stelle_anschrift": "Anschrift der Beratungsstelle",
    "stelle_ort": "Ort der Beratungsstelle",
    "freitext": "Zusätzlicher Text",
    "anlagen": "Anlagen",
}
# What the case's legal state says, for the templates' conditions (services.letter_state): not in the form, so a
# letter's legal sentences follow the state, never a typed value.
STATE_FIELDS: dict[str, str] = {
    "kdu_angemessen": "KdU-Prüfung der Wohnung des Briefs: »ja«, »nein« oder leer (nicht geprüft)",
    "kdu_ueberschreitung": "Betrag über der Angemessenheitsgrenze (leer, wenn angemessen)",
    "schonfrist_stand": "offen, abgelaufen, gesperrt (Zwei-Jahres-Sperre), genutzt, keine_verzugskuendigung; "
                        "leer ohne zugestellte Räumungsklage",
    "ordentliche_kuendigung_bleibt": "»ja«, wenn auch hilfsweise ordentlich gekündigt wurde",
    "antrag_ueber_sechs_monate": "»ja«, wenn der Antrag seit sechs Monaten unbeschieden ist (§ 88 SGG)",
    "klient_bez": "unsere Klientin / unser Klient / die von uns beratene Person",
    "klient_bez_gen": "unserer Klientin / unseres Klienten / der von uns beratenen Person",
    "klient_bez_dat": "unserer Klientin / unserem Klienten / der von uns beratenen Person",
    "klient_pron": "sie / er / der Name (ohne erfasstes Geschlecht)",
}
DATE_FIELDS = frozenset({"datum", "klient_geburtsdatum", "rueckstand_seit", "kuendigung_datum", "klage_zugestellt",
                         "verhandlung_datum", "raeumungstermin", "schonfrist_ende", "wohnung_frei_ab",
                         "antrag_datum", "bescheid_datum", "einzug_datum", "nachsorge_bis"})
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")
_SHORT_DATE = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{4}\s*$")


class MissingFields(InvalidInput):
    """Required fields are empty: ``str(err)`` is "Für diesen Brief fehlt: …"; ``labels`` lists them."""

    def __init__(self, labels: list[str]) -> None:
        super().__init__(f"Für diesen Brief fehlt: {', '.join(labels)}", "fields")
        self.labels = labels


def long_date(day: date | None) -> str:
    """``24. November 2026`` (in the text of a letter)."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}" if day else ""


def normalise(key: str, value: str) -> str:
    """A date typed as 24.11.2026 becomes 24. November 2026; everything else is only trimmed."""
    value = value.strip()
    if key in DATE_FIELDS and _SHORT_DATE.match(value):
        return long_date(parse_date(value, key, FIELDS.get(key, key)))
    return value


def missing(required: Iterable[str], values: Mapping[str, str]) -> list[str]:
    """German labels of required fields that are empty."""
    return [FIELDS.get(key, key) for key in required if not str(values.get(key, "")).strip()]


def _money(cents: int | None) -> str:
    return format_money(cents) if cents is not None else ""


def _address(street: str | None, plz: str | None, city: str | None) -> str:
    place = f"{plz or ''} {city or ''}".strip()
    return ", ".join(x for x in (street, place) if x)


@dataclass(frozen=True)
class Sender:
    """The counsellor and site as they sign and head a letter."""

    counsellor: str
    site_name: str
    street: str
    plz: str
    city: str
    phone: str
    email: str


def sender_values(sender: Sender, today: date) -> dict[str, str]:
    return {"berater_name": sender.counsellor, "berater_telefon": sender.phone, "berater_email": sender.email,
            "stelle_name": sender.site_name, "stelle_anschrift": _address(sender.street, sender.plz, sender.city),
            "stelle_ort": sender.city, "datum": long_date(today), "anrede": "Sehr geehrte Damen und Herren,"}


def case_values(session: Session, case_id: uuid.UUID, today: date) -> dict[str, str]:
    """Client, household, tenancy, income and eviction fields of a case."""
    case = session.get(Case, case_id)
    if case is None or case.deleted_at is not None or case.erased_on is not None:
        raise InvalidInput("Diesen Fall gibt es nicht (mehr).", "case")
    person = session.get(Person, case.person_id)
    values: dict[str, str] = {"aktenzeichen": case.case_number}
    if person is not None:
        values |= {"klient_vorname": person.given_names or "", "klient_nachname": person.family_name or "",
                   "klient_name": " ".join(x for x in (person.given_names, person.family_name) if x),
                   "klient_geburtsdatum": long_date(person.birth_date),
                   "klient_anschrift": _address(person.street, person.plz, person.city)}
    members = live_rows(session, HouseholdMember, case_id)
    values["haushalt_personen"] = str(1 + len(members))
    values["haushalt_mitglieder"] = ", ".join(
        " ".join(x for x in (m.given_names, m.family_name) if x) for m in members if m.family_name or m.given_names)
    values["bg_nummer"] = next((i.bg_number for i in live_rows(session, Income, case_id) if i.bg_number), "")
    gross = (case.cold_rent or 0) + (case.utilities or 0)
    values |= {"mietwohnung": _address(case.tenancy_street, case.tenancy_plz, case.tenancy_city),
               "vermieter_name": case.landlord_name or "", "kaltmiete": _money(case.cold_rent),
               "nebenkosten": _money(case.utilities), "heizkosten": _money(case.heating),
               "gesamtmiete": _money(gross + (case.heating or 0)) if gross else "",
               "mietrueckstand": _money(case.arrears), "rueckstand_seit": long_date(case.arrears_since)}
    values |= eviction_values(session, case_id)
    values |= _consent_values(session, case_id, today)
    return values


def live_rows(session: Session, model: type[Any], case_id: uuid.UUID) -> list:
    """The case's rows of ``model`` that are not deleted."""
    return list(session.execute(select(model).where(model.case_id == case_id, model.deleted_at.is_(None))
                                ).scalars())


def _consent_values(session: Session, case_id: uuid.UUID, today: date) -> dict[str, str]:
    """Recipients, data categories and validity of the consents valid today (the consent form ticks them)."""
    from whh_desktop.core.services.consent import is_valid

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
        until = f"bis zum {long_date(newest.valid_until)}" if newest.valid_until else "bis zum Widerruf"
        validity = f"vom {long_date(newest.valid_from)} {until}"
    return {"einwilligung_empfaenger": ",".join(sorted(names)), "einwilligung_kategorien": ",".join(sorted(categories)),
            "einwilligung_gueltigkeit": validity}


def parse_long_date(text: str) -> date | None:
    """``24. November 2026`` or ``24.11.2026`` → the date; None when the text is no such date."""
    text = text.strip().replace("*", "")
    try:
        if _SHORT_DATE.match(text):
            day, month, year = (int(x) for x in text.split("."))
        else:
            day_text, month_text, year_text = text.replace(".", " ").split()
            day, month, year = int(day_text), MONTHS.index(month_text) + 1, int(year_text)
        return date(year, month, day)
    except ValueError:
        return None


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
    values = {"kuendigung_datum": long_date(proc.termination_on), "kuendigung_art": kind,
              "klage_zugestellt": long_date(proc.suit_served_on), "gericht": proc.court or "",
              "gericht_az": proc.court_file_no or "", "verhandlung_datum": long_date(proc.hearing_on),
              "raeumungstermin": long_date(proc.eviction_on)}
    if proc.suit_served_on:
        values["schonfrist_ende"] = long_date(deadlines.schonfrist(proc.suit_served_on).due)
    return values


def proposed_offer(session: Session, case_id: uuid.UUID) -> uuid.UUID | None:
    """The flat of the newest proposal of a case that was not declined."""
    stmt = (select(Proposal.offer_id).where(Proposal.case_id == case_id, Proposal.deleted_at.is_(None),
                                            Proposal.declined_on.is_(None))
            .order_by(Proposal.proposed_on.desc(), Proposal.created_at.desc()).limit(1))
    return session.execute(stmt).scalar_one_or_none()


def offer_values(session: Session, offer_id: uuid.UUID, case_id: uuid.UUID | None, persons: int) -> dict[str, str]:
    """A flat offer with its landlord and the KdU check for the household (DOMAIN.md, § 22 SGB II)."""
    from whh_desktop.core.services import offers

    offer = session.get(FlatOffer, offer_id)
    if offer is None or offer.deleted_at is not None:
        raise InvalidInput("Dieses Wohnungsangebot gibt es nicht (mehr).", "offer")
    landlord = session.get(Landlord, offer.landlord_id) if offer.landlord_id else None
    search = None
    if case_id is not None:
        search = session.execute(select(HousingSearch).where(HousingSearch.case_id == case_id,
                                                             HousingSearch.deleted_at.is_(None))
                                 .order_by(HousingSearch.created_at.desc()).limit(1)).scalar_one_or_none()
    if search is not None:
        persons = search.household_size
    values = {"wohnung_anschrift": _address(offer.street, offer.plz, offer.municipality),
              "wohnung_vermieter": landlord.name if landlord else "",
              "wohnung_flaeche": format_area(offer.floor_space_m2),
              "wohnung_zimmer": f"{offer.rooms:g}".replace(".", ","),
              "wohnung_kaltmiete": _money(offer.cold_rent), "wohnung_nebenkosten": _money(offer.utilities),
              "wohnung_heizkosten": _money(offer.heating), "wohnung_bruttokaltmiete": _money(offer.gross_rent),
              "wohnung_kaution": _money(offer.deposit) if offer.deposit else "",
              "wohnung_frei_ab": long_date(offer.available_from), "haushalt_personen": str(persons)}
    attributes = tuple(search.kdu_attributes) if search is not None else ()
    try:
        check = offers.kdu_check(session, offer_id, persons, attributes)
    except InvalidInput:  # no table for the date or an unknown municipality: the counsellor fills it in
        return values
    values |= {"kdu_ergebnis": check.summary(), "kdu_grenze": format_money(check.limit),
               "kdu_vergleichsraum": check.area, "kdu_tabelle": check.table_version}
    return values
