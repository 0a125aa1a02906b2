"""The letter screens' reads and the sample letter of Verwaltung → Briefe.

The windows call these with the store; each opens its own read session and returns frozen values. The sample
preview renders a letter text with fictional values (nobody real), as it would print with the site's letterhead,
footer and logo, so an admin sees a text before a client's letter uses it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from whh_desktop.core.domain.letter_catalogue import RECIPIENT_KINDS, LetterType
from whh_desktop.core.letters import fields, templates
from whh_desktop.core.letters.fields import FIELDS as FIELDS  # field labels the text editor lists
from whh_desktop.core.letters.templates import TemplateBroken as TemplateBroken
from whh_desktop.core.services import letters, site_settings
from whh_desktop.core.services.address_book import Recipient
from whh_desktop.core.services.letters import LetterSettings
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.site_settings import Letterhead
from whh_desktop.core.store.engine import Store

# Fictional values for the preview of a letter text: every field filled, nobody real.
SAMPLE: dict[str, str] = {
    "ihr_zeichen": "M-4711", "aktenzeichen": "LOE-2026-0001", "anrede": "Sehr geehrte Damen und Herren,",
    "klient_name": "Erika Musterfrau", "klient_vorname": "Erika", "klient_nachname": "Musterfrau",
    "klient_geburtsdatum": "17. Mai 1984", "klient_anschrift": "Beispielweg 99, 32584 Löhne",
    "haushalt_personen": "2", "haushalt_mitglieder": "Max Musterfrau (Kind, 11 Jahre)",
    "bg_nummer": "32584BG0009999", "mietwohnung": "Beispielweg 99, 32584 Löhne",
    "vermieter_name": "Wohnbau Beispiel GmbH", "kaltmiete": "380,00 €", "nebenkosten": "90,00 €",
    "heizkosten": "70,00 €", "gesamtmiete": "540,00 €", "mietrueckstand": "1.410,00 €",
    "rueckstand_seit": "1. August 2026", "kuendigung_datum": "2. Oktober 2026",
    "kuendigung_art": "fristlose Kündigung wegen Zahlungsverzugs", "klage_zugestellt": "20. Oktober 2026",
    "gericht": "Amtsgericht Musterstadt", "gericht_az": "12 C 345/26", "verhandlung_datum": "1. Dezember 2026",
    "raeumungstermin": "", "schonfrist_ende": "20. Dezember 2026",
    "wohnung_anschrift": "Lindenstraße 999, 32584 Löhne", "wohnung_vermieter": "Wohnungsgenossenschaft Beispiel eG",
    "wohnung_flaeche": "58,5 m²", "wohnung_zimmer": "2", "wohnung_kaltmiete": "350,00 €",
    "wohnung_nebenkosten": "80,00 €", "wohnung_heizkosten": "70,00 €", "wohnung_bruttokaltmiete": "430,00 €",
    "wohnung_kaution": "1.050,00 €", "wohnung_frei_ab": "1. Dezember 2026",
    "kdu_ergebnis": "angemessen", "kdu_grenze": "452,00 €", "kdu_vergleichsraum": "Löhne",
    "kdu_tabelle": "KdU-Richtwerte Kreis Herford (Beispiel)", "antrag_datum": "3. November 2026",
    "antrag_gegenstand": "Übernahme der Mietschulden", "bescheid_datum": "2. November 2026",
    "bescheid_az": "BG 32584-0009999", "widerspruch_gruende": "Die Kosten der Unterkunft wurden zu niedrig angesetzt.",
    "ratenhoehe": "50,00 €", "einzug_datum": "1. Dezember 2026", "nachsorge_bis": "31. Mai 2027",
    "umzugskosten": "450,00 €", "erstausstattung_grund": "Einzug nach Wohnungslosigkeit, kein eigener Hausrat.",
    "vermieter_iban": "DE00 0000 0000 0000 0000 00", "einwilligung_empfaenger": "Jobcenter, Vermieter",
    "berater_name": "Beispiel-Beraterin",
}
SAMPLE_RECIPIENT_LINES = ("Beispiel-Stelle", "Musterabteilung", "Musterstraße 1", "32000 Musterstadt")
SAMPLE_CLIENT_LINES = (SAMPLE["klient_name"], "Beispielweg 99", "32584 Löhne")


@dataclass(frozen=True)
class LetterRow:
    """One catalogue letter in Verwaltung → Briefe, and whether the site uses its own text for it."""

    kind: LetterType
    own: bool

    @property
    def recipients(self) -> str:
        return ", ".join(RECIPIENT_KINDS.get(k, k) for k in self.kind.recipient_kinds)


def shipped_template(code: str) -> str:
    """The letter text as the program ships it (the editor's "Zurücksetzen")."""
    return templates.shipped_source(code)


def template_fields(source: str) -> set[str]:
    """The field names a letter text uses."""
    return templates.variables(source)


def letter_rows(store: Store, user: CurrentUser) -> list[LetterRow]:
    with store.read_session() as s:
        own = templates.overrides(s)
    return [LetterRow(kind, kind.code in own) for kind in letters.letter_types()]


def settings_of(store: Store) -> LetterSettings:
    with store.read_session() as s:
        return letters.letter_settings(s)


def letterhead_of(store: Store) -> Letterhead:
    with store.read_session() as s:
        return site_settings.load(s).letterhead


def template_source(store: Store, code: str) -> tuple[str, bool]:
    """The text a letter uses (the site's own or the shipped one) and whether it is the site's own."""
    with store.read_session() as s:
        return templates.source_for(s, code)


def sample_values(kind: LetterType, letterhead: Letterhead, today: date) -> tuple[Recipient, dict[str, str]]:
    """The fictional recipient and every field of the catalogue filled (the sender from the letterhead)."""
    sender = fields.Sender(SAMPLE["berater_name"], letterhead.name, letterhead.street, letterhead.plz,
                           letterhead.city, letterhead.phone, letterhead.email)
    values = dict.fromkeys(fields.FIELDS, "") | fields.sender_values(sender, today) | SAMPLE
    recipient_kind = kind.recipient_kinds[0]
    lines = SAMPLE_CLIENT_LINES if recipient_kind == "klient" else SAMPLE_RECIPIENT_LINES
    recipient = Recipient(recipient_kind, lines[0], lines, "frei")
    values["empfaenger_name"] = recipient.name
    return recipient, values


def sample_preview(store: Store, user: CurrentUser, kind: LetterType, source: str,
                   today: date | None = None) -> letters.Rendered:
    """The letter with fictional data, as it would print with this text, footer and logo (a broken text raises
    :class:`~whh_desktop.core.letters.templates.TemplateBroken` with its line)."""
    templates.check(kind.template, source)
    head, extra = letterhead_of(store), settings_of(store)
    today = today or date.today()
    recipient, values = sample_values(kind, head, today)
    draft = letters.Draft(kind, None, recipient, values, [], None, [], source, True, head, extra.footer,
                          extra.logo, today=today)
    return letters.render_full(draft)


def case_letter_recipients(store: Store, user: CurrentUser, letter_type: str | LetterType,
                           case_id: uuid.UUID | None) -> list[Recipient]:
    """Who a letter of this case can go to, the default first (see :func:`letters.recipients`)."""
    with store.read_session() as s:
        return letters.recipients(s, letter_type, case_id)
