"""The five counselling sites and the district office."""

from __future__ import annotations

from enum import StrEnum

from whh_desktop.core.errors import InvalidInput


class StoreMode(StrEnum):
    SITE = "site"
    DISTRICT = "district"

    @property
    def label(self) -> str:
        return {StoreMode.SITE: "Beratungsstelle", StoreMode.DISTRICT: "Kreis (Kreisverwaltung)"}[self]


class SiteCode(StrEnum):
    """Codes as used on the command line and in bundles; ``case_prefix`` goes into case numbers."""

    LOEHNE = "loehne"
    VLOTHO = "vlotho"
    BUENDE = "buende"
    ENGER_SPENGE = "enger-spenge"
    HIDDENHAUSEN = "hiddenhausen"
    KREIS = "kreis"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def case_prefix(self) -> str:
        return _PREFIXES[self]

    @property
    def is_district(self) -> bool:
        return self is SiteCode.KREIS

    @classmethod
    def counselling_sites(cls) -> list[SiteCode]:
        return [s for s in cls if not s.is_district]

    @classmethod
    def parse(cls, text: str) -> SiteCode:
        """Accept the code or the German name (``Bünde``, ``Enger/Spenge``)."""
        wanted = text.strip().casefold()
        for site in cls:
            if wanted in (site.value, site.label.casefold()):
                return site
        names = ", ".join(s.value for s in cls)
        raise InvalidInput(f"Unbekannter Standort '{text}'. Möglich sind: {names}.", "site")


_LABELS = {
    SiteCode.LOEHNE: "Löhne",
    SiteCode.VLOTHO: "Vlotho",
    SiteCode.BUENDE: "Bünde",
    SiteCode.ENGER_SPENGE: "Enger/Spenge",
    SiteCode.HIDDENHAUSEN: "Hiddenhausen",
    SiteCode.KREIS: "Kreis Herford",
}
_PREFIXES = {
    SiteCode.LOEHNE: "LOE",
    SiteCode.VLOTHO: "VLO",
    SiteCode.BUENDE: "BUE",
    SiteCode.ENGER_SPENGE: "ENS",
    SiteCode.HIDDENHAUSEN: "HID",
    SiteCode.KREIS: "KRS",
}
