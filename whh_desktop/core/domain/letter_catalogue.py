"""The catalogue of letters (DOMAIN.md "Letters"): German titles, who receives them, what they must contain.
Plain domain data: the letters render it, the label table names letter types by its titles.

Each entry has a Jinja2 template ``resources/letters/<code>.j2``. ``required`` names fields that must be filled
before a letter renders; the form shows these and every other field the template uses
(see ``core/letters/templates.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from whh_desktop.core.domain.enums import Baustein
from whh_desktop.core.errors import InvalidInput

# Recipient kinds: the address book's kinds plus the landlord registry and the client.
RECIPIENT_KINDS = {
    "vermieter": "Vermieter",
    "jobcenter": "Jobcenter",
    "sozialamt": "Sozialamt",
    "spdi": "Sozialpsychiatrischer Dienst",
    "suchtberatung": "Suchtberatung",
    "amtsgericht": "Amtsgericht",
    "sonstige": "andere Stelle",
    "klient": "Klientin/Klient",
}

GROUPS = {
    "vermieter": "An Vermieter",
    "antrag": "Anträge an Jobcenter/Sozialamt",
    "verfahren": "Zu einem Verfahren beim Jobcenter/Sozialamt",
    "klient": "Zum Unterschreiben für die Klientin/den Klienten",
}


@dataclass(frozen=True)
class LetterType:
    code: str
    title: str
    group: str
    recipient_kinds: tuple[str, ...]
    required: tuple[str, ...]
    bausteine: tuple[str, ...]
    uses_offer: bool = False
    serial: bool = False         # meant for many recipients, needs no case
    client_signs: bool = False   # printed for the client to sign (no consent check, signature lines)
    notes: tuple[str, ...] = ()  # above the return address, e.g. "Einschreiben"

    @property
    def template(self) -> str:
        return f"{self.code}.j2"

    @property
    def needs_case(self) -> bool:
        return not self.serial

    @property
    def group_label(self) -> str:
        return GROUPS[self.group]


_B1, _B2, _B3, _B6 = (Baustein.WOHNUNGSMARKT.value, Baustein.EINZELFALLHILFE.value, Baustein.JOBCENTER.value,
                      Baustein.WOHNRAUMVERMITTLUNG.value)
_JC = ("jobcenter", "sozialamt")
_TENANCY = ("klient_name", "mietwohnung", "vermieter_name")

CATALOGUE: tuple[LetterType, ...] = (
    LetterType("vermieter_ruecknahme_kuendigung", "Bitte um Rücknahme der Kündigung und Ratenzahlung", "vermieter",
               ("vermieter",), (*_TENANCY, "kuendigung_datum", "mietrueckstand", "ratenhoehe"), (_B2,)),
    LetterType("vermieter_aussetzung_raeumung", "Übernahme beim Jobcenter beantragt – Bitte um Aussetzung der Räumung",
               "vermieter", ("vermieter",), (*_TENANCY, "klage_zugestellt", "mietrueckstand", "antrag_datum"),
               (_B2, _B3)),
    LetterType("vermieter_bewerbung", "Bewerbung um eine Wohnung mit Empfehlung (Soziale Wohnraumvermittlung)",
               "vermieter", ("vermieter",), ("klient_name", "haushalt_personen", "wohnung_anschrift"), (_B1, _B6),
               uses_offer=True),
    LetterType("vermieter_nachbetreuung", "Bestätigung der Nachbetreuung nach dem Einzug", "vermieter", ("vermieter",),
               ("klient_name", "wohnung_anschrift", "einzug_datum", "nachsorge_bis"), (_B6,), uses_offer=True),
    LetterType("vermieter_vorstellung_swv", "Vorstellung der Sozialen Wohnraumvermittlung (Serienbrief)", "vermieter",
               ("vermieter",), ("stelle_name",), (_B1, _B6), serial=True),
    LetterType("jc_zusicherung", "Antrag auf Zusicherung für eine neue Unterkunft (§ 22 Abs. 4 SGB II)", "antrag", _JC,
               ("klient_name", "haushalt_personen", "wohnung_anschrift", "wohnung_kaltmiete", "wohnung_nebenkosten",
                "wohnung_heizkosten", "wohnung_bruttokaltmiete", "kdu_ergebnis"), (_B3, _B6), uses_offer=True),
    LetterType("jc_kaution", "Antrag auf Übernahme der Mietkaution als Darlehen (§ 22 Abs. 6 SGB II)", "antrag", _JC,
               ("klient_name", "wohnung_anschrift", "wohnung_vermieter", "wohnung_kaution"), (_B3,), uses_offer=True),
    LetterType("jc_mietschulden", "Antrag auf Übernahme von Mietschulden (§ 22 Abs. 8 SGB II / § 36 SGB XII)",
               "antrag", _JC, (*_TENANCY, "mietrueckstand"), (_B2, _B3)),
    LetterType("jc_direktzahlung", "Antrag auf Direktzahlung der Miete an den Vermieter (§ 22 Abs. 7 SGB II)",
               "antrag", _JC, (*_TENANCY, "gesamtmiete"), (_B3,)),
    LetterType("jc_umzugskosten", "Antrag auf Übernahme von Umzugs- und Wohnungsbeschaffungskosten "
               "(§ 22 Abs. 6 SGB II)", "antrag", _JC, ("klient_name", "wohnung_anschrift", "umzugskosten"), (_B3,),
               uses_offer=True),
    LetterType("jc_erstausstattung", "Antrag auf Erstausstattung der Wohnung (§ 24 Abs. 3 Satz 1 Nr. 1 SGB II)",
               "antrag", _JC, ("klient_name", "wohnung_anschrift", "erstausstattung_grund"), (_B3,), uses_offer=True),
    LetterType("jc_sachstand", "Sachstandsanfrage", "verfahren", _JC,
               ("klient_name", "antrag_datum", "antrag_gegenstand"), (_B3,)),
    LetterType("jc_widerspruch", "Widerspruch gegen einen Bescheid (§ 84 SGG)", "verfahren", _JC,
               ("klient_name", "bescheid_datum", "bescheid_az"), (_B3,), notes=("Per Fax vorab",)),
    LetterType("klient_einwilligung", "Einwilligung in die Datenweitergabe und Entbindung von der Schweigepflicht",
               "klient", ("klient",), ("klient_name",), (_B2,), client_signs=True),
    LetterType("klient_vollmacht", "Vollmacht", "klient", ("klient",), ("klient_name", "klient_geburtsdatum"), (_B2,),
               client_signs=True),
)

_BY_CODE = {t.code: t for t in CATALOGUE}


def get(code: str) -> LetterType:
    """The letter type, or a German error listing the codes."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise InvalidInput(f"Diesen Brief gibt es nicht: »{code}«. Möglich sind: {', '.join(_BY_CODE)}.",
                           "letter_type") from None
