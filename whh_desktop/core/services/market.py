"""The "Wohnungsmarkt" overview: free offers per municipality and rent band (Bruttokaltmiete)."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.formatting import fmt_money
from whh_desktop.core.domain.housing import OfferStatus
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.store.models import FlatOffer

# Upper bounds of the bands in cents; the last band is open. Around the KdU limits of 1–5 persons.
DEFAULT_BANDS: tuple[int, ...] = (40_000, 50_000, 60_000, 70_000)


def band_labels(bands: tuple[int, ...] = DEFAULT_BANDS) -> list[str]:
    """``bis 400,00 €``, ``400,01 – 500,00 €``, …, ``über 700,00 €``."""
    labels = [f"bis {fmt_money(bands[0])}"]
    labels += [f"{fmt_money(lo + 1)} – {fmt_money(hi)}" for lo, hi in pairwise(bands)]
    labels.append(f"über {fmt_money(bands[-1])}")
    return labels


def band_of(gross_rent: int, bands: tuple[int, ...] = DEFAULT_BANDS) -> int:
    return next((i for i, hi in enumerate(bands) if gross_rent <= hi), len(bands))


@dataclass(frozen=True)
class MarketOverview:
    bands: list[str]
    municipalities: list[str]
    counts: dict[str, list[int]] = field(default_factory=dict)  # municipality → count per band

    def total(self, municipality: str) -> int:
        return sum(self.counts.get(municipality, []))

    @property
    def band_totals(self) -> list[int]:
        return [sum(row[i] for row in self.counts.values()) for i in range(len(self.bands))]

    @property
    def grand_total(self) -> int:
        return sum(self.band_totals)


def overview(session: Session, bands: tuple[int, ...] = DEFAULT_BANDS,
             status: str = OfferStatus.FREI.value) -> MarketOverview:
    """Count of offers (free by default) per municipality of the district and rent band; counted in SQL."""
    if list(bands) != sorted(set(bands)) or not bands:
        raise ValueError("bands must be strictly increasing")
    band = sum((cast(FlatOffer.gross_rent > hi, Integer) for hi in bands[1:]),
               cast(FlatOffer.gross_rent > bands[0], Integer))  # index of the band, counted in SQL
    stmt = (select(FlatOffer.municipality, band.label("band"), func.count())
            .where(FlatOffer.status == status, FlatOffer.deleted_at.is_(None))
            .group_by(FlatOffer.municipality, "band"))
    names = [m.name for m in MUNICIPALITIES]
    counts = {m: [0] * (len(bands) + 1) for m in names}
    for municipality, index, n in session.execute(stmt):
        counts.setdefault(municipality, [0] * (len(bands) + 1))[int(index)] += n
    return MarketOverview(band_labels(bands), names, counts)

