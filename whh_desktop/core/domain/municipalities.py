"""The nine municipalities of Kreis Herford (DOMAIN.md): PLZ, AGS and the default counselling site."""

from __future__ import annotations

import re
from dataclasses import dataclass

from whh_desktop.core.domain.sites import SiteCode


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
