"""How a letter speaks to and about people: the salutation from the recipient, the client's forms from the recorded
sex (neutral when none is recorded), and the default list of enclosures (Anlagen) per letter type."""

from __future__ import annotations

import re
from dataclasses import dataclass

from whh_desktop.core.domain.enums import Sex

NEUTRAL_SALUTATION = "Sehr geehrte Damen und Herren,"
# Words that mark a name as an organisation (company, cooperative, office): "Sehr geehrte Damen und Herren".
_ORGANISATION = re.compile(
    r"\b(gmbh|mbh|ag|kg|ohg|gbr|eg|e\.\s?g\.|e\.\s?v\.|ev|ug|se|stiftung|genossenschaft|verwaltung|hausverwaltung|"
    r"immobilien|wohnbau|wohnungsbau|baugenossenschaft|bauverein|gesellschaft|kanzlei|rechtsanw\w*|jobcenter|"
    r"sozialamt|amt|kreis|stadt|gemeinde|gericht|dienst|beratung\w*|diakonie|caritas|awo|werk)\b", re.IGNORECASE)
_TITLED = re.compile(r"^\s*(frau|herr|herrn)\s+(.+)$", re.IGNORECASE)


def is_organisation(name: str) -> bool:
    return bool(_ORGANISATION.search(name))


def salutation(name: str, *, person: bool | None = None, sex: str | None = None, surname: str = "") -> str:
    """The greeting line of a letter to ``name``.

    An organisation gets "Sehr geehrte Damen und Herren"; a person with recorded sex "Sehr geehrte Frau …" /
    "Sehr geehrter Herr …" (a name written as "Frau Nowak" counts as recorded); any other person "Guten Tag …".
    ``person`` None: decided from the name; ``surname`` is used after "Frau"/"Herr" when given.
    """
    name = " ".join(name.split())
    titled = _TITLED.match(name)
    if titled:
        rest = titled.group(2)
        return f"Sehr geehrte Frau {rest}," if titled.group(1).lower() == "frau" else f"Sehr geehrter Herr {rest},"
    if not name or person is False or (person is None and is_organisation(name)):
        return NEUTRAL_SALUTATION
    if sex == Sex.WEIBLICH.value:
        return f"Sehr geehrte Frau {surname or name},"
    if sex == Sex.MAENNLICH.value:
        return f"Sehr geehrter Herr {surname or name},"
    return f"Guten Tag {name},"


@dataclass(frozen=True)
class ClientForms:
    """How a letter names the client without the name: "unsere Klientin", "unser Klient" or neutral wording."""

    nominative: str   # unsere Klientin / unser Klient / die von uns beratene Person
    genitive: str     # unserer Klientin / unseres Klienten / der von uns beratenen Person
    dative: str       # unserer Klientin / unserem Klienten / der von uns beratenen Person
    pronoun: str      # sie / er / the name
    noun: str         # Klientin / Klient / Person (for "die Klientin", "der Klient", "die Person")


def client_forms(sex: str | None, name: str) -> ClientForms:
    if sex == Sex.WEIBLICH.value:
        return ClientForms("unsere Klientin", "unserer Klientin", "unserer Klientin", "sie", "Klientin")
    if sex == Sex.MAENNLICH.value:
        return ClientForms("unser Klient", "unseres Klienten", "unserem Klienten", "er", "Klient")
    return ClientForms("die von uns beratene Person", "der von uns beratenen Person", "der von uns beratenen Person",
                       name or "die Person", "Person")


# Enclosures a counsellor usually sends with each letter; the dialog lets them be changed.
ATTACHMENTS: dict[str, tuple[str, ...]] = {
    "vermieter_ruecknahme_kuendigung": ("Vollmacht",),
    "vermieter_aussetzung_raeumung": ("Vollmacht", "Kopie des Antrags beim Leistungsträger"),
    "vermieter_bewerbung": ("Selbstauskunft",),
    "vermieter_nachbetreuung": (),
    "vermieter_vorstellung_swv": (),  # the serial letter stays on one page
    "jc_zusicherung": ("Vollmacht", "Mietangebot", "Wohnungsgrundriss"),
    "jc_kaution": ("Vollmacht", "Mietangebot"),
    "jc_mietschulden": ("Vollmacht", "Kündigung", "Räumungsklage", "Mietkonto"),
    "jc_direktzahlung": ("Vollmacht", "Mietvertrag"),
    "jc_umzugskosten": ("Vollmacht", "Mietangebot", "Kostenvoranschläge"),
    "jc_erstausstattung": ("Vollmacht", "Mietvertrag"),
    "jc_sachstand": ("Vollmacht",),
    "jc_widerspruch": ("Vollmacht", "Kopie des Bescheids"),
    "klient_einwilligung": (),
    "klient_vollmacht": (),
}


def default_attachments(code: str) -> str:
    return ", ".join(ATTACHMENTS.get(code, ()))


def attachment_lines(text: str) -> tuple[str, ...]:
    """The enclosures as typed (comma or line separated), blanks dropped."""
    return tuple(x.strip() for x in re.split(r"[,;\n]", text) if x.strip())
