"""The nine municipalities of Kreis Herford (DOMAIN.md): PLZ, AGS and the default counselling site."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.domain.text import fold


@dataclass(frozen=True)
class Municipality:
    name: str
    plz: tuple[str, ...]
    ags: str
    default_site: SiteCode | None  # None: the district decides (Herford Stadt)


MUNICIPALITIES: tuple[Municipality, ...] = (
    Municipality("Bünde", ("32257",), "05758004", SiteCode.BUENDE),
    Municipality("Enger", ("32130",), "05758008", SiteCode.ENGER_SPENGE),
    Municipality("Herford", ("32049", "32051", "32052"), "05758012", None),
    Municipality("Hiddenhausen", ("32120",), "05758016", SiteCode.HIDDENHAUSEN),
    Municipality("Kirchlengern", ("32278",), "05758020", SiteCode.BUENDE),
    Municipality("Löhne", ("32584",), "05758024", SiteCode.LOEHNE),
    Municipality("Rödinghausen", ("32289",), "05758028", SiteCode.BUENDE),
    Municipality("Spenge", ("32139",), "05758032", SiteCode.ENGER_SPENGE),
    Municipality("Vlotho", ("32602",), "05758036", SiteCode.VLOTHO),
)

_PLZ_RE = re.compile(r"^\d{5}$")


def by_name(name: str) -> Municipality | None:
    wanted = name.strip().casefold()
    return next((m for m in MUNICIPALITIES if m.name.casefold() == wanted), None)


def by_plz(plz: str) -> Municipality | None:
    return next((m for m in MUNICIPALITIES if plz.strip() in m.plz), None)


def is_valid_plz(plz: str) -> bool:
    """A German PLZ has five digits and does not start with 00."""
    plz = plz.strip()
    return bool(_PLZ_RE.match(plz)) and not plz.startswith("00")


@dataclass(frozen=True)
class KommuneGuess:
    """The Kommune an address belongs to, as far as PLZ and Ort tell it.

    ``municipality`` is None when the user has to choose; ``note`` then says why (empty while the address is
    incomplete: nothing to say before PLZ and Ort are both typed)."""

    municipality: str | None
    note: str = ""


def _named(ort: str, table: Sequence[Municipality]) -> list[Municipality]:
    """Municipalities the Ort names: the name itself or the name with a district ("Löhne-Gohfeld", "Herford Laar")."""
    wanted = fold(ort)
    return [m for m in table if wanted == fold(m.name) or wanted.startswith(fold(m.name) + " ")]


def kommune_from_address(plz: str, ort: str | None, table: Sequence[Municipality] = MUNICIPALITIES) -> KommuneGuess:
    """The Kommune of an address in Kreis Herford from its PLZ and Ort (``None``: a form without an Ort field).

    A PLZ of one municipality gives it, unless the Ort names another one of the district (then the user decides);
    a PLZ shared by several municipalities is decided by the Ort; a PLZ outside the district gives none."""
    plz, ort = plz.strip(), None if ort is None else " ".join(ort.split())
    if not is_valid_plz(plz) or (ort is not None and not fold(ort)):
        return KommuneGuess(None)
    by_code = [m for m in table if plz in m.plz]
    if not by_code:
        return KommuneGuess(None, f"Die PLZ {plz} liegt nicht im Kreis Herford – bitte die Kommune selbst wählen.")
    named = _named(ort, table) if ort is not None else []
    if len(by_code) == 1:
        only = by_code[0]
        if named and only not in named:
            return KommuneGuess(None, f"Die PLZ {plz} gehört zu {only.name}, der Ort »{ort}« zu "
                                      f"{' / '.join(m.name for m in named)} – bitte die Kommune selbst wählen.")
        return KommuneGuess(only.name)
    decided = [m for m in by_code if m in named]
    if len(decided) == 1:
        return KommuneGuess(decided[0].name)
    names = [m.name for m in by_code]
    listed = f"{', '.join(names[:-1])} und {names[-1]}"
    undecided = "ohne Ort ist das offen" if ort is None else f"der Ort »{ort}« entscheidet das nicht"
    return KommuneGuess(None, f"Die PLZ {plz} gehört zu {listed}; {undecided} – bitte die Kommune selbst wählen.")
