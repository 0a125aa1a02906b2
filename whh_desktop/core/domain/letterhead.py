"""The sender details of a site (Briefkopf): a value the letters, key sheets and report pages print, and the
settings store keeps."""

from __future__ import annotations

import re
from dataclasses import dataclass

from whh_desktop.core.domain.municipalities import is_valid_plz
from whh_desktop.core.domain.validation import is_valid_email
from whh_desktop.core.errors import InvalidInput

_PHONE_RE = re.compile(r"^[+0-9][0-9 ()/\-]{4,30}$")


@dataclass(frozen=True)
class Letterhead:
    """Sender details for letters and the recovery sheet."""

    name: str = ""
    street: str = ""
    plz: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""

    def validate(self) -> None:
        if not self.name.strip():
            raise InvalidInput("Bitte den Namen der Stelle angeben.", "name")
        if not self.street.strip():
            raise InvalidInput("Bitte Straße und Hausnummer angeben.", "street")
        if not is_valid_plz(self.plz):
            raise InvalidInput("Die Postleitzahl hat fünf Ziffern, z. B. 32584.", "plz")
        if not self.city.strip():
            raise InvalidInput("Bitte den Ort angeben.", "city")
        if self.phone and not _PHONE_RE.match(self.phone.strip()):
            raise InvalidInput("Die Telefonnummer enthält ungültige Zeichen (erlaubt: Ziffern, +, /, -, Leerzeichen).",
                               "phone")
        if self.email and not is_valid_email(self.email):
            raise InvalidInput("Die E-Mail-Adresse ist ungültig (Beispiel: beratung@example.org).", "email")

    def address_lines(self) -> list[str]:
        return [line for line in (self.name, self.street, f"{self.plz} {self.city}".strip()) if line]
