"""IBAN (ISO 13616) and BIC (ISO 9362) of a landlord's account, for the Direktzahlung (§ 22 Abs. 7 SGB II).

Pure functions. An IBAN is stored normalised (no spaces, upper case) and shown in groups of four. Its two check
digits make ``int(rearranged) % 97 == 1`` (mod 97-10, ISO 7064); a typing error in one character or a swap of two
neighbours always breaks that, so a wrong IBAN is refused with a German message naming the field.
"""

from __future__ import annotations

import re

from whh_desktop.core.errors import InvalidInput

# Length per country (IBAN registry of SWIFT as the ISO 13616 registration authority): the SEPA countries and
# the neighbours a landlord in Kreis Herford may bank in. Other countries: 15..34 characters.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24,
    "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GI": 23, "GL": 18, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26,
    "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25,
    "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TR": 26, "UA": 29, "VA": 22,
}
MIN_LENGTH, MAX_LENGTH = 15, 34
_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]+$")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
_SEPARATORS = re.compile(r"[\s\-.]+")


def normalise(text: str) -> str:
    """``de89 3704-0044 0532 0130 00`` → ``DE89370400440532013000`` (no check; see ``parse``)."""
    cleaned = _SEPARATORS.sub("", text or "").upper()
    return cleaned.removeprefix("IBAN")


def checksum_ok(iban: str) -> bool:
    """ISO 7064 mod 97-10 over a normalised IBAN: country and check digits moved to the end, letters as 10..35."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def parse(text: str, field: str = "iban", label: str = "IBAN") -> str:
    """The normalised IBAN of ``text``, or InvalidInput with a German message naming ``label``."""
    iban = normalise(text)
    shown = (text or "").strip()
    if not iban:
        raise InvalidInput(f"{label}: bitte eine IBAN eingeben.", field)
    if not iban.isalnum() or not iban.isascii():
        raise InvalidInput(f"{label}: »{shown}« enthält Zeichen, die in einer IBAN nicht vorkommen "
                           "(nur Buchstaben und Ziffern).", field)
    if not _SHAPE.match(iban):
        raise InvalidInput(f"{label}: »{shown}« beginnt nicht wie eine IBAN (Länderkennung und zwei Prüfziffern, "
                           "z. B. DE89 …).", field)
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        raise InvalidInput(f"{label}: Eine IBAN aus {iban[:2]} hat {expected} Zeichen, eingegeben sind "
                           f"{len(iban)}. Bitte prüfen.", field)
    if expected is None and not MIN_LENGTH <= len(iban) <= MAX_LENGTH:
        raise InvalidInput(f"{label}: Eine IBAN hat {MIN_LENGTH} bis {MAX_LENGTH} Zeichen, eingegeben sind "
                           f"{len(iban)}.", field)
    if not checksum_ok(iban):
        raise InvalidInput(f"{label}: Die Prüfziffer von »{grouped(iban)}« stimmt nicht – vermutlich ein Tippfehler. "
                           "Bitte mit dem Kontoauszug oder Schreiben des Vermieters vergleichen.", field)
    return iban


def grouped(iban: str) -> str:
    """Groups of four, as printed on statements: ``DE89 3704 0044 0532 0130 00``."""
    plain = normalise(iban)
    return " ".join(plain[i:i + 4] for i in range(0, len(plain), 4))


def parse_bic(text: str, field: str = "bic", label: str = "BIC") -> str:
    """The normalised BIC (8 or 11 characters) of ``text``; empty stays empty (the BIC is optional in SEPA)."""
    bic = _SEPARATORS.sub("", text or "").upper()
    if bic and not _BIC.match(bic):
        raise InvalidInput(f"{label}: »{(text or '').strip()}« ist kein BIC (8 oder 11 Zeichen, z. B. "
                           "COBADEFFXXX). Das Feld darf leer bleiben.", field)
    return bic
