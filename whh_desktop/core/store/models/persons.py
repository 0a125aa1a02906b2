"""Persons: the people advised. Owned by the site that recorded them (DESIGN.md §3)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base, SyncMixin


class Person(SyncMixin, Base):
    __tablename__ = "persons"
    __personal_fields__ = ("family_name", "given_names", "birth_date", "phone", "email", "street",
                           "search_text", "sort_key", "phonetic_key")

    family_name: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(12), default="ohne_angabe")
    nationality: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    language: Mapped[str | None] = mapped_column(String(40))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(200))
    plz: Mapped[str | None] = mapped_column(String(5))
    city: Mapped[str | None] = mapped_column(String(100))
    municipality: Mapped[str | None] = mapped_column(String(40), index=True)
    # Folded text for search and a German sort key (ä sorts with a), both kept by the services.
    search_text: Mapped[str] = mapped_column(String(500), default="")
    sort_key: Mapped[str] = mapped_column(String(400), default="", index=True)
    phonetic_key: Mapped[str] = mapped_column(String(200), default="")
