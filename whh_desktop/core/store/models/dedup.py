"""Possible duplicates across sites (district only): a reviewed pair of persons, linked or dismissed.

A link never merges: both records stay as they are, the link says "same person" and can be undone. The pair is
stored in a fixed order (smaller id first) so it exists once; an undone decision keeps its row with ``undone_at``
set, so the history of decisions stays visible."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base, UtcDateTime, new_id, utcnow


class PersonLink(Base):
    __tablename__ = "person_links"
    __table_args__ = (Index("ix_person_links_pair", "person_a", "person_b"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_a: Mapped[uuid.UUID] = mapped_column(Uuid)
    person_b: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    decision: Mapped[str] = mapped_column(String(12))  # "linked" or "dismissed"
    score: Mapped[int] = mapped_column(default=0)  # the similarity shown when decided (0..100)
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    undone_by: Mapped[str | None] = mapped_column(String(64))
    undone_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(Text)
