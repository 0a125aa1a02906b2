"""Hilfeplan (goals, services involved, planning conferences) and the Suchthilfe pathway of a case.

All rows belong to the case aggregate of the site that created the case (DESIGN.md §3). Plan rows sync with the
case; the pathway stages are health data and stay at the site (see ``core/sync/payload.py``).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, Boolean, Date, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base, SyncMixin


class HelpPlanGoal(SyncMixin, Base):
    """A goal of the Hilfeplan: what, the steps, who is responsible, by when, status and result."""

    __tablename__ = "help_plan_goals"
    __personal_fields__ = ("what", "steps", "responsible", "result")

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    what: Mapped[str] = mapped_column(Text)
    steps: Mapped[str | None] = mapped_column(Text)
    responsible: Mapped[str | None] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)          # bis wann
    review_on: Mapped[date | None] = mapped_column(Date)       # Überprüfung (into the Fristen view)
    status: Mapped[str] = mapped_column(String(20), default="offen")
    result: Mapped[str | None] = mapped_column(Text)


class HelpPlanService(SyncMixin, Base):
    """A service involved in the plan, with its contact person; added only after the consent check."""

    __tablename__ = "help_plan_services"
    __personal_fields__ = ("contact_person", "phone", "email", "task", "consent_note")

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(200))
    task: Mapped[str | None] = mapped_column(Text)
    since: Mapped[date] = mapped_column(Date)
    consent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the consent the check found
    consent_note: Mapped[str | None] = mapped_column(String(300))  # confirmation where no recipient kind exists


class HelpPlanConference(SyncMixin, Base):
    """A planning conference (Gesamtplankonferenz, Hilfeplangespräch) and the next review it set."""

    __tablename__ = "help_plan_conferences"
    __personal_fields__ = ("participants", "agreements")

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    kind: Mapped[str] = mapped_column(String(30))
    held_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    agreements: Mapped[str | None] = mapped_column(Text)
    next_review_on: Mapped[date | None] = mapped_column(Date)


class SuchthilfeStage(SyncMixin, Base):
    """A stage of the Suchthilfe pathway and the housing arranged around it (health data, site only)."""

    __tablename__ = "suchthilfe_stages"
    __personal_fields__ = ("facility", "housing", "note")

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    stage: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="geplant")
    planned_on: Mapped[date | None] = mapped_column(Date)
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    facility: Mapped[str | None] = mapped_column(String(200))
    housing: Mapped[str | None] = mapped_column(Text)  # e.g. the flat is kept during therapy: how rent is paid
    flat_kept: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
