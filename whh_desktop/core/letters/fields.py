"""The fields of a letter: their keys and German labels, and the display form of their values (dates in the
text as ``24. November 2026``, money as ``1.234,56 €``); the form may change any of them before rendering.
Gathering the values from a case is the services' job (``services/letter_fields.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from whh_desktop.core.domain.formatting import MONTHS, fmt_money, long_date
from whh_desktop.core.domain.validation import parse_date
from whh_desktop.core.errors import InvalidInput

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
_SHORT_DATE = re.compile(r"^\s*\d{1,2}\.\d{1,2}\.\d{4}\s*$")


class MissingFields(InvalidInput):
    """Required fields are empty: ``str(err)`` is "Für diesen Brief fehlt: …"; ``labels`` lists them."""

    def __init__(self, labels: list[str]) -> None:
        super().__init__(f"Für diesen Brief fehlt: {', '.join(labels)}", "fields")
        self.labels = labels


def normalise(key: str, value: str) -> str:
    """A date typed as 24.11.2026 becomes 24. November 2026; everything else is only trimmed."""
    value = value.strip()
    if key in DATE_FIELDS and _SHORT_DATE.match(value):
        return long_date(parse_date(value, key, FIELDS.get(key, key)))
    return value


def missing(required: Iterable[str], values: Mapping[str, str]) -> list[str]:
    """German labels of required fields that are empty."""
    return [FIELDS.get(key, key) for key in required if not str(values.get(key, "")).strip()]


def money(cents: int | None) -> str:
    """``1.234,56 €``; empty when no amount is recorded."""
    return fmt_money(cents)


def address(street: str | None, plz: str | None, city: str | None) -> str:
    """``Musterstraße 1, 32584 Löhne``, leaving out what is not recorded."""
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
            "stelle_name": sender.site_name, "stelle_anschrift": address(sender.street, sender.plz, sender.city),
            "stelle_ort": sender.city, "datum": long_date(today), "anrede": "Sehr geehrte Damen und Herren,"}


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
