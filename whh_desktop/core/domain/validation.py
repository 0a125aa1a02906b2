"""Parsing and checking what counsellors type: German dates, money, PLZ, birth dates. Messages are German.

Functions either return the parsed value or raise ``InvalidInput`` naming the field; ``Check`` results carry
warnings that do not block saving (e.g. a PLZ outside Kreis Herford for someone who moved here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from whh_desktop.core.domain.municipalities import by_plz, is_valid_plz
from whh_desktop.core.errors import InvalidInput

_DATE_RE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})\s*$")
_ISO_RE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_MONEY_RE = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d{1,2})?$|^-?\d+(,\d{1,2})?$|^-?\d+(\.\d{1,2})?$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EARLIEST_BIRTH = date(1900, 1, 1)


def is_valid_email(text: str) -> bool:
    return bool(_EMAIL_RE.match(text.strip()))


@dataclass(frozen=True)
class Check:
    warnings: tuple[str, ...] = ()


def parse_date(text: str, field: str = "date", label: str = "Datum") -> date:
    """``TT.MM.JJJJ`` (also ``1.3.26`` → 2026, ISO ``2026-03-01``)."""
    if m := _DATE_RE.match(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if year < 100:
            year += 2000 if year <= (date.today().year % 100) + 1 else 1900
    elif m := _ISO_RE.match(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        raise InvalidInput(f"{label}: bitte als TT.MM.JJJJ eingeben, z. B. 31.01.2026.", field)
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(f"{label}: den {day:02d}.{month:02d}.{year} gibt es nicht.", field) from None


def parse_money(text: str, field: str = "amount", label: str = "Betrag", *, allow_negative: bool = False) -> int:
    """German amounts to integer cents: ``1.234,56`` → 123456, ``430`` → 43000, ``12,5`` → 1250; never via float."""
    cleaned = text.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    if not cleaned:
        raise InvalidInput(f"{label}: bitte einen Betrag eingeben.", field)
    if not _MONEY_RE.match(cleaned):
        raise InvalidInput(f"{label}: »{text.strip()}« ist kein Betrag (Beispiel: 1.234,56).", field)
    if "," in cleaned:
        normal = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", cleaned):
        normal = cleaned.replace(".", "")  # 1.234 is a thousand separator in German
    else:
        normal = cleaned
    try:
        cents = int((Decimal(normal) * 100).to_integral_exact())
    except InvalidOperation:
        raise InvalidInput(f"{label}: »{text.strip()}« ist kein Betrag.", field) from None
    if cents < 0 and not allow_negative:
        raise InvalidInput(f"{label}: der Betrag darf nicht negativ sein.", field)
    return cents


def check_birth_date(born: date, today: date | None = None, field: str = "birth_date") -> Check:
    today = today or date.today()
    if born > today:
        raise InvalidInput("Das Geburtsdatum liegt in der Zukunft.", field)
    if born < EARLIEST_BIRTH:
        raise InvalidInput("Das Geburtsdatum liegt vor 1900. Bitte prüfen.", field)
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return Check(("Die Person ist noch nicht volljährig.",) if age < 18 else ())


def check_plz(plz: str, *, moved_in: bool = False, field: str = "plz") -> Check:
    """A PLZ of Kreis Herford, or any German PLZ with a warning when the person has just moved here."""
    if not is_valid_plz(plz):
        raise InvalidInput("Die Postleitzahl hat fünf Ziffern, z. B. 32584.", field)
    if by_plz(plz) is None:
        if not moved_in:
            raise InvalidInput(f"Die PLZ {plz.strip()} liegt nicht im Kreis Herford. Bei einer zugezogenen Person "
                               "bitte »zugezogen« ankreuzen.", field)
        return Check((f"PLZ {plz.strip()} liegt außerhalb des Kreises Herford (zugezogen).",))
    return Check()
