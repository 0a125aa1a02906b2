"""The Fristen view: everything due, overdue first, per counsellor; overrides and Wiedervorlagen."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.deadlines import DeadlineKind, fmt
from whh_desktop.core.errors import InvalidInput, NotFound
from whh_desktop.core.services.cases import get_for_change
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Account,
    Application,
    Case,
    DeadlineEntry,
    EvictionProceeding,
    Objection,
    Person,
)
from whh_desktop.core.store.models.accounts import staff_name


@dataclass(frozen=True)
class DueItem:
    id: uuid.UUID
    case_id: uuid.UUID
    case_number: str
    person: str
    kind: DeadlineKind
    due_on: date            # effective (override if set)
    computed_on: date
    target_on: date | None
    rule: str | None
    inputs: dict[str, str]
    warnings: list[str]
    override_reason: str | None
    assigned_to: str        # login name (filters "Nur meine Fristen")
    note: str | None
    assigned_name: str      # the person shown under "Zuständig": the account's display name

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days

    def state(self, today: date) -> str:
        left = self.days_left(today)
        return "überfällig" if left < 0 else "heute" if left == 0 else "bald" if left <= 7 else "offen"


def effective_due() -> ColumnElement[date]:
    return func.coalesce(DeadlineEntry.override_on, DeadlineEntry.due_on)


def _open():  # type: ignore[no-untyped-def]
    """Open deadlines of active cases (the join to the case is the caller's)."""
    return (DeadlineEntry.done_on.is_(None), DeadlineEntry.deleted_at.is_(None), Case.status != "closed",
            Case.deleted_at.is_(None))


def due_list(session: Session, *, counsellor: str | None = None, until: date | None = None,
             case_id: uuid.UUID | None = None, limit: int | None = None) -> list[DueItem]:
    """Open deadlines, overdue first (sorted by date), of active cases (or of one case)."""
    stmt = (select(DeadlineEntry, Case.case_number, Person.family_name, Person.given_names,
                   staff_name(DeadlineEntry.assigned_to))
            .join(Case, Case.id == DeadlineEntry.case_id).join(Person, Person.id == Case.person_id)
            .outerjoin(Account, Account.username == DeadlineEntry.assigned_to)
            .where(*_open())
            .order_by(effective_due(), Case.case_number))
    if counsellor:
        stmt = stmt.where(DeadlineEntry.assigned_to == counsellor)
    if case_id:
        stmt = stmt.where(DeadlineEntry.case_id == case_id)
    if until:
        stmt = stmt.where(effective_due() <= until)
    if limit:
        stmt = stmt.limit(limit)
    return [DueItem(d.id, d.case_id, number, f"{family}, {given}".strip(", "), DeadlineKind(d.kind),
                    d.effective_due, d.due_on, d.target_on, d.rule, dict(d.inputs or {}), list(d.warnings or []),
                    d.override_reason, d.assigned_to, d.note, assigned_name)
            for d, number, family, given, assigned_name in session.execute(stmt)]


def _mine_due(counsellor: str, until: date, where: Sequence[ColumnElement[bool]]):  # type: ignore[no-untyped-def]
    """A counsellor's open deadlines due by ``until``, narrowed by ``where``: what ``due_dates`` lists and
    ``due_count`` counts."""
    return (*_open(), DeadlineEntry.assigned_to == counsellor, effective_due() <= until, *where)


@dataclass(frozen=True)
class DueDate:
    """A deadline as a start page lists it: what, when, which case (none of the rule's text and inputs)."""

    id: uuid.UUID
    case_id: uuid.UUID
    case_number: str
    person: str
    kind: DeadlineKind
    due_on: date  # effective: the override when there is one


def due_dates(session: Session, counsellor: str, until: date, *, limit: int | None = None,
              where: Sequence[ColumnElement[bool]] = ()) -> list[DueDate]:
    """The counsellor's open deadlines due by ``until``, overdue first, as ``due_list`` orders them; only the
    columns a start page shows (no full rows, no accounts); ``where`` narrows further (e.g. only Wiedervorlagen)."""
    due = effective_due()
    stmt = (select(DeadlineEntry.id, DeadlineEntry.case_id, Case.case_number, Person.family_name, Person.given_names,
                   DeadlineEntry.kind, due)
            .join(Case, Case.id == DeadlineEntry.case_id).join(Person, Person.id == Case.person_id)
            .where(*_mine_due(counsellor, until, where))
            .order_by(due, Case.case_number))
    rows = session.execute(stmt.limit(limit) if limit else stmt)
    return [DueDate(did, case_id, number, f"{family}, {given}".strip(", "), DeadlineKind(kind), due_on)
            for did, case_id, number, family, given, kind, due_on in rows]


def due_count(session: Session, *, counsellor: str, until: date,
              where: Sequence[ColumnElement[bool]] = ()) -> int:
    """How many lines ``due_dates`` would give with the same filters, without reading them."""
    stmt = (select(func.count()).select_from(DeadlineEntry).join(Case, Case.id == DeadlineEntry.case_id)
            .where(*_mine_due(counsellor, until, where)))
    return int(session.execute(stmt).scalar_one())


def badge_count(session: Session, counsellor: str, today: date | None = None, horizon_days: int = 7) -> int:
    """Overdue or due within a week: the number on the navigation badge."""
    today = today or date.today()
    stmt = (select(func.count()).select_from(DeadlineEntry).join(Case, Case.id == DeadlineEntry.case_id)
            .where(DeadlineEntry.done_on.is_(None), DeadlineEntry.deleted_at.is_(None),
                   DeadlineEntry.assigned_to == counsellor, Case.status != "closed",
                   effective_due() <= today + timedelta(days=horizon_days)))
    return int(session.execute(stmt).scalar_one())


def work_list(store: Store, user: CurrentUser, *, mine: bool, limit: int | None = None) -> list[DueItem]:
    """The Fristen view's rows: the user's own (or everyone's) open deadlines, overdue first."""
    with store.read_session() as s:
        return due_list(s, counsellor=user.username if mine else None, limit=limit)


def my_badge_count(store: Store, user: CurrentUser) -> int:
    with store.read_session() as s:
        return badge_count(s, user.username)


def add_follow_up(store: Store, user: CurrentUser, case_id: uuid.UUID, due_on: date, note: str,
                  assigned_to: str | None = None) -> uuid.UUID:
    """A Wiedervorlage: a manual follow-up date."""
    if not note.strip():
        raise InvalidInput("Bitte kurz notieren, worum es bei der Wiedervorlage geht.", "note")
    with store.session(user.username) as s:
        get_for_change(s, case_id, user)
        entry = DeadlineEntry(case_id=case_id, kind=DeadlineKind.WIEDERVORLAGE.value, due_on=due_on,
                              target_on=due_on, rule="Wiedervorlage, von Hand gesetzt.",
                              inputs={"gesetzt am": fmt(date.today())}, assigned_to=assigned_to or user.username,
                              note=note.strip())
        s.add(entry)
        s.flush()
        return entry.id


def override(store: Store, user: CurrentUser, deadline_id: uuid.UUID, due_on: date, reason: str) -> None:
    """A counsellor may set another date, always with a reason (shown beside the computed one)."""
    if len(reason.strip()) < 5:
        raise InvalidInput("Bitte begründen, warum die Frist abweichend gesetzt wird.", "reason")
    with store.session(user.username) as s:
        entry = s.get(DeadlineEntry, deadline_id)
        if entry is None:
            raise NotFound("Diese Frist gibt es nicht.")
        get_for_change(s, entry.case_id, user)
        _check_override(s, entry, due_on)
        entry.override_on, entry.override_reason = due_on, reason.strip()
        audit.append(s, user.username, "deadline_overridden", object_type="case", object_id=str(entry.case_id))


def _check_override(session: Session, entry: DeadlineEntry, due_on: date) -> None:
    """A period cannot end before the event it runs from: the Schonfrist not before the suit was served, a
    Widerspruch/Klage period not before the decision."""
    if entry.kind == DeadlineKind.SCHONFRIST.value and entry.source_id is not None:
        proc = session.get(EvictionProceeding, entry.source_id)
        if proc is not None and proc.suit_served_on and due_on < proc.suit_served_on:
            raise InvalidInput(f"Die Schonfrist kann nicht vor der Zustellung der Räumungsklage "
                               f"({fmt(proc.suit_served_on)}) enden. Bitte das Datum prüfen.", "due_on")
    if entry.kind in (DeadlineKind.WIDERSPRUCH.value, DeadlineKind.KLAGE.value) and entry.source_id is not None:
        source = session.get(Application, entry.source_id) or session.get(Objection, entry.source_id)
        if source is not None and source.decided_on and due_on < source.decided_on:
            raise InvalidInput(f"Die Frist kann nicht vor dem Bescheid vom {fmt(source.decided_on)} enden. Bitte "
                               "das Datum prüfen.", "due_on")


def mark_done(store: Store, user: CurrentUser, deadline_id: uuid.UUID, on: date | None = None) -> None:
    with store.session(user.username) as s:
        entry = s.get(DeadlineEntry, deadline_id)
        if entry is None:
            raise NotFound("Diese Frist gibt es nicht.")
        get_for_change(s, entry.case_id, user)
        entry.done_on = on or date.today()
