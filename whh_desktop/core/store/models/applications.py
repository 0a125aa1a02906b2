"""Applications (Anträge) to the Jobcenter or Sozialamt and the Widersprüche against their decisions.

Both are site-owned rows under a case (DESIGN.md §3, §10); like the case aggregate they reference the case, the
letter document and the generated deadline by plain UUID columns, so a bundle may bring them in any order.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, Uuid, false, text
from sqlalchemy.orm import Mapped, mapped_column

# the enums live in the domain; this module re-exports them for the callers that know them here
from whh_desktop.core.domain.enums import ApplicationKind as ApplicationKind
from whh_desktop.core.domain.enums import Decision as Decision
from whh_desktop.core.domain.enums import ObjectionDecision as ObjectionDecision
from whh_desktop.core.domain.enums import SubmittedVia as SubmittedVia
from whh_desktop.core.store.base import Base, SyncMixin


class Application(SyncMixin, Base):
    """An Antrag: kind, how and when it was submitted, reminders sent, and the authority's decision."""

    __tablename__ = "applications"
    __personal_fields__ = ("file_no", "note")

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    authority: Mapped[str | None] = mapped_column(String(200))  # Jobcenter Herford, Sozialamt Bünde …
    file_no: Mapped[str | None] = mapped_column(String(60))  # Aktenzeichen / BG-Nummer of the procedure
    submitted_on: Mapped[date] = mapped_column(Date, index=True)
    submitted_via: Mapped[str] = mapped_column(String(12), default="post")  # post, persoenlich, online
    expected_on: Mapped[date | None] = mapped_column(Date)  # expected decision
    letter_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the letter document that produced it
    amount_requested: Mapped[int | None] = mapped_column(Integer)  # cents
    # Sachstandsanfragen sent: [{"on": "2027-01-04", "document_id": "…"}]
    reminders: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    decision: Mapped[str | None] = mapped_column(String(16))  # bewilligt, teilweise, abgelehnt, zurueckgenommen
    decided_on: Mapped[date | None] = mapped_column(Date)  # date of the Bescheid
    posted_on: Mapped[date | None] = mapped_column(Date)  # Aufgabe zur Post
    # how the decision was notified (deadlines.NotificationKind); formal service runs from served_on
    notification: Mapped[str] = mapped_column(String(8), default="post", server_default=text("'post'"))
    served_on: Mapped[date | None] = mapped_column(Date)
    without_instructions: Mapped[bool] = mapped_column(Boolean, default=False)  # ohne Rechtsbehelfsbelehrung
    amount_granted: Mapped[int | None] = mapped_column(Integer)  # cents
    deadline_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the Widerspruch deadline the decision created
    eviction_averted: Mapped[bool | None] = mapped_column(Boolean)  # § 22 Abs. 8: flat kept after the approval
    note: Mapped[str | None] = mapped_column(Text)


class Objection(SyncMixin, Base):
    """A Widerspruch against an application's decision: the follow-up procedure of that application."""

    __tablename__ = "application_objections"
    __personal_fields__ = ("note",)

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    application_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    lodged_on: Mapped[date] = mapped_column(Date)
    letter_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the jc_widerspruch letter
    decision: Mapped[str | None] = mapped_column(String(16))  # abgeholfen, teilweise, zurueckgewiesen, zurueckgenommen
    decided_on: Mapped[date | None] = mapped_column(Date)
    posted_on: Mapped[date | None] = mapped_column(Date)
    notification: Mapped[str] = mapped_column(String(8), default="post", server_default=text("'post'"))
    served_on: Mapped[date | None] = mapped_column(Date)
    without_instructions: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    note: Mapped[str | None] = mapped_column(Text)
