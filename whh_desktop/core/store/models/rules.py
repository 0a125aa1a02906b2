"""Rule tables the district maintains and sends to the sites in its bundle (like the KdU tables): the Karenzzeit
rules (``domain/karenzzeit.py``) and the Amtsgericht for eviction suits by the flat's municipality. Seeded by
migration 0014 with fixed ids, so every store holds the same rows and only the district's edits travel."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base, SyncMixin


class KarenzzeitRuleVersion(SyncMixin, Base):
    """One version of the Karenzzeit rule; ``cap_percent`` 150 = 1.5 × the limit, NULL = no cap."""

    __tablename__ = "karenzzeit_rules"

    label: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date, index=True)
    valid_until: Mapped[date | None] = mapped_column(Date)
    months: Mapped[int] = mapped_column(Integer)
    cap_percent: Mapped[int | None] = mapped_column(Integer)
    exceptions: Mapped[list[str]] = mapped_column(JSON, default=list)
    cost_reduction_months: Mapped[int] = mapped_column(Integer)
    max_rent_per_m2: Mapped[int | None] = mapped_column(Integer)  # cents per m²; NULL = none set
    source: Mapped[str] = mapped_column(Text)


class LocalCourt(SyncMixin, Base):
    """The Amtsgericht competent for eviction suits about flats in ``municipality``."""

    __tablename__ = "local_courts"

    municipality: Mapped[str] = mapped_column(String(40), index=True)
    court: Mapped[str] = mapped_column(String(120))
    source: Mapped[str | None] = mapped_column(Text)
