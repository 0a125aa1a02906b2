"""Tables that never leave the store: document bytes and the search index rows."""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, Index, Integer, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base


class DocumentContent(Base):
    __tablename__ = "document_contents"

    document_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class SearchDoc(Base):
    """Maps the FTS5 rowid (its own INTEGER PRIMARY KEY) to a case UUID (DESIGN.md §10, Search).

    One row per case: the FTS body holds the person's names, birth date and phone plus the case number; this row
    holds what the list filters (open/closed, category, municipality, counsellor) and sorts on.
    """

    __tablename__ = "search_docs"
    __table_args__ = (
        # The list's order with its filter columns: an index-only scan serves "all open cases, sorted".
        Index("ix_search_docs_list", "sort_key", "case_number", "status", "case_id"),
        Index("ix_search_docs_case_number", "case_number", "status", "case_id"),
    )

    # In list order (core/store/list_order.py), handed out by search_index, never by the database: 62 bits, which on
    # SQLite is the rowid itself (INTEGER PRIMARY KEY is 64 bits there).
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True,
                                    autoincrement=False)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    # A narrow copy of what the case list filters and sorts on, so broad searches never read the wide rows.
    sort_key: Mapped[str] = mapped_column(String(400), default="")
    case_number: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(10), default="")  # "" for deleted cases
    category: Mapped[str | None] = mapped_column(String(30))
    municipality: Mapped[str | None] = mapped_column(String(40))
    counsellor: Mapped[str | None] = mapped_column(String(64))
