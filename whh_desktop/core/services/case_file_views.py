"""The parts of the case file read model: frozen snapshots of the rows a case file shows (no ORM object leaves the
services). Each view names the columns the screens and forms use; ``snap`` copies them from a row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

from whh_desktop.core.domain.housing import ProposalStep
from whh_desktop.core.services.applications import Inaction
from whh_desktop.core.services.help_plans import ServiceConsent, ServiceView

V = TypeVar("V")


def snap(view: type[V], row: Any, **computed: Any) -> V:
    """The view's fields copied from the row's attributes of the same names (JSON lists become tuples); fields
    the row does not have come as keywords."""
    values = dict(computed)
    for f in fields(view):  # type: ignore[arg-type]
        if f.name not in values:
            value = getattr(row, f.name)
            values[f.name] = tuple(value) if isinstance(value, list) else value
    return view(**values)


@dataclass(frozen=True)
class CaseView:
    id: uuid.UUID
    case_number: str
    person_id: uuid.UUID
    counsellor: str
    substitutes: tuple[str, ...]
    status: str
    opened_on: date
    closed_on: date | None
    outcome: str | None
    restricted: bool
    municipality: str | None
    bausteine: tuple[str, ...]
    landlord_name: str | None
    tenancy_street: str | None
    tenancy_plz: str | None
    tenancy_city: str | None
    cold_rent: int | None
    utilities: int | None
    heating: int | None
    arrears: int | None
    arrears_since: date | None
    owner_site: str

    @property
    def closed(self) -> bool:
        return self.status == "closed"


@dataclass(frozen=True)
class PersonView:
    id: uuid.UUID
    family_name: str
    given_names: str
    birth_date: date | None
    municipality: str | None


@dataclass(frozen=True)
class HouseholdView:
    id: uuid.UUID
    relation: str
    family_name: str | None
    given_names: str | None
    birth_date: date | None
    sex: str


@dataclass(frozen=True)
class IncomeView:
    id: uuid.UUID
    kind: str
    since: date | None


@dataclass(frozen=True)
class CategoryView:
    category: str
    since: date


@dataclass(frozen=True)
class ProceedingView:
    """An eviction proceeding with every field the form edits."""

    id: uuid.UUID
    termination_on: date | None
    termination_kind: str | None
    suit_filed_on: date | None
    suit_served_on: date | None
    hearing_on: date | None
    eviction_on: date | None
    court: str | None
    court_file_no: str | None
    previous_cure_on: date | None
    cure_used_on: date | None
    cure_method: str | None
    notice_received_on: date | None
    notice_rent: int | None
    notice_arrears: int | None
    note: str | None


@dataclass(frozen=True)
class RentView:
    due_on: date
    amount_due: int
    amount_paid: int

    @property
    def arrears(self) -> int:
        return max(self.amount_due - self.amount_paid, 0)


@dataclass(frozen=True)
class ConsentView:
    id: uuid.UUID
    recipients: tuple[str, ...]
    purpose: str
    health_data: bool
    signed_on: date
    valid_from: date
    valid_until: date | None
    revoked_on: date | None
    categories: tuple[str, ...] = ()
    recipient_note: str | None = None
    valid_today: bool = False  # set by the service (consent.is_valid)


@dataclass(frozen=True)
class DocumentView:
    id: uuid.UUID
    title: str
    kind: str
    mime: str
    size: int
    recipient: str | None
    letter_type: str | None
    created_at: datetime


@dataclass(frozen=True)
class SearchView:
    """The case's housing search as the case file summarises it."""

    id: uuid.UUID
    status: str
    household_size: int
    wanted_municipalities: tuple[str, ...]
    max_rent: int | None
    earliest_move: date | None


@dataclass(frozen=True)
class ProposalView:
    id: uuid.UUID
    case_id: uuid.UUID
    offer_address: str
    landlord_name: str
    gross_rent: int
    step: str
    proposed_on: date
    viewing_on: date | None
    accepted_on: date | None
    declined_on: date | None
    decline_reason: str | None
    lease_signed_on: date | None
    note: str | None

    @property
    def final(self) -> bool:
        return ProposalStep(self.step).is_final


@dataclass(frozen=True)
class ApplicationRecord:
    """An application with every field its forms and letters use."""

    id: uuid.UUID
    kind: str
    authority: str | None
    file_no: str | None
    submitted_on: date
    submitted_via: str
    expected_on: date | None
    letter_id: uuid.UUID | None
    amount_requested: int | None
    reminders: tuple[dict, ...]
    decision: str | None
    decided_on: date | None
    posted_on: date | None
    notification: str
    served_on: date | None
    without_instructions: bool
    amount_granted: int | None
    eviction_averted: bool | None
    note: str | None


@dataclass(frozen=True)
class ObjectionRecord:
    id: uuid.UUID
    lodged_on: date
    decision: str | None
    decided_on: date | None


@dataclass(frozen=True)
class DeadlineRecord:
    effective_due: date
    rule: str | None
    done_on: date | None


@dataclass(frozen=True)
class ObjectionRow:
    objection: ObjectionRecord
    inaction: Inaction | None


@dataclass(frozen=True)
class ApplicationRow:
    """One line of the »Anträge« tab (the read-model twin of ``applications.ApplicationView``)."""

    application: ApplicationRecord
    kind_label: str
    status: str
    reminder_due: date | None
    reminder_offered: bool
    inaction: Inaction | None
    deadline: DeadlineRecord | None
    objections: tuple[ObjectionRow, ...] = ()
    untaetigkeitsklage: Inaction | None = None  # the view's first open § 88 SGG option, computed by the service

    @property
    def pending_objections(self) -> tuple[ObjectionRecord, ...]:
        return tuple(o.objection for o in self.objections if o.objection.decision is None)


@dataclass(frozen=True)
class GoalView:
    id: uuid.UUID
    what: str
    steps: str | None
    responsible: str | None
    due_on: date | None
    review_on: date | None
    status: str
    result: str | None


@dataclass(frozen=True)
class ConferenceView:
    id: uuid.UUID
    kind: str
    held_on: date
    participants: tuple[str, ...]
    agreements: str | None
    next_review_on: date | None


@dataclass(frozen=True)
class HelpPlanView:
    """Goals, services (masked), conferences, and the consent gate for each kind of service."""

    goals: tuple[GoalView, ...]
    services: tuple[ServiceView, ...]
    conferences: tuple[ConferenceView, ...]
    service_consent: dict[str, ServiceConsent]  # ServiceKind value -> what the gate says today

    @property
    def next_review(self) -> date | None:
        return self.conferences[-1].next_review_on if self.conferences else None
