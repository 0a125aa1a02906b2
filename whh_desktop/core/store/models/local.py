"""Tables that never leave the store: document bytes and the search index rows."""

from __future__ import annotations

import uuid

from sqlalchemy import Integer, LargeBinary, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base


class DocumentContent(Base):
    __tablename__ = "document_contents"

    document_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SearchDoc(Base):
    """Maps the FTS5 rowid (its own INTEGER PRIMARY KEY) to a case UUID (DESIGN.md §10, Search).

    One row per case: the person's names, birth date and phone plus the case number, so a search yields case ids
    that the list filters (open/closed, category, municipality, counsellor) apply to directly.
    """

    __tablename__ = "search_docs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
