"""The address book of letter recipients (Jobcenter branches, Sozialamt, SpDi, Suchtberatung, Amtsgericht).

DESIGN.md §10: a district part (``owner_site == "kreis"``, distributed with the district bundle) and a local part
owned by the site that wrote it. Entries are offices, not persons, so none of the columns is personal data.
"""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base, SyncMixin


class AddressEntry(SyncMixin, Base):
    __tablename__ = "address_book"

    kind: Mapped[str] = mapped_column(String(20), index=True)   # jobcenter, sozialamt, spdi, suchtberatung, …
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(200))  # second address line, e.g. "Leistungsabteilung"
    street: Mapped[str | None] = mapped_column(String(200))
    plz: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(200))
    municipalities: Mapped[str | None] = mapped_column(String(300))  # served municipalities, comma-separated
    note: Mapped[str | None] = mapped_column(Text)
    sort_key: Mapped[str] = mapped_column(String(200), index=True, default="")
