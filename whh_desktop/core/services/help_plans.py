"""The Hilfeplan of a case (issue 08, point 1): goals, the services involved, planning conferences.

Review dates (a goal's review, or its »bis wann« when no review is set, and the next review a conference sets)
become ``DeadlineEntry`` rows of kind ``hilfeplan_review`` so they show in the Fristen view. Before a service is
added the consent gate runs: a service with a consent recipient kind needs a valid consent naming it (and the
health tick for services that receive health data); a service without a recipient kind in the consent form
(GPV member, rechtliche Betreuung, Eingliederungshilfe, other) needs an explicit confirmation that a written
consent naming it exists, which is stored with the service.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.deadlines import DeadlineKind, fmt
from whh_desktop.core.domain.enums import ConferenceKind as ConferenceKind  # the Hilfeplan enums live in the domain
from whh_desktop.core.domain.enums import GoalStatus as GoalStatus
from whh_desktop.core.domain.enums import ServiceKind as ServiceKind
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import consent as consent_service
from whh_desktop.core.services.access import HealthMask, health_mask, is_health_service
from whh_desktop.core.services.cases import get_for_change
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.changes import tombstone
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Case, DeadlineEntry
from whh_desktop.core.store.models.help_plans import HelpPlanConference, HelpPlanGoal, HelpPlanService
from whh_desktop.core.store.rows import get_live

MAX_TEXT = 20_000


def _text(value: str | None, field: str, label: str, required: bool = False) -> str | None:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"Bitte {label} angeben.", field)
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{label}: der Text ist zu lang ({len(value)} Zeichen, höchstens {MAX_TEXT}).", field)
    return value or None


def _required_text(value: str | None, field: str, label: str) -> str:
    text = _text(value, field, label, required=True)
    assert text is not None  # an empty required text is refused above
    return text


# ---- consent gate -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServiceConsent:
    """What the consent gate says about a service kind: ``allowed`` without more; ``needs_confirmation`` when the
    consent form has no recipient kind for it (the counsellor must confirm a written consent)."""

    allowed: bool
    message: str
    needs_confirmation: bool = False
    consent_id: uuid.UUID | None = None


def check_service_consent(session: Session, case_id: uuid.UUID, kind: ServiceKind,
                          on: date | None = None) -> ServiceConsent:
    recipient = kind.recipient
    health = " einschließlich Gesundheitsdaten (Häkchen »Gesundheitsdaten«)" if kind.health else ""
    if recipient is None:
        return ServiceConsent(False, f"Für »{kind.label}« gibt es im Einwilligungsformular keine eigene "
                                     "empfangende Stelle. Bitte bestätigen, dass eine schriftliche Einwilligung "
                                     f"vorliegt, die diese Stelle namentlich nennt{health}.", needs_confirmation=True)
    on = on or date.today()
    for c in consent_service.list_for_case(session, case_id):  # any covering consent, not only the first naming it
        if recipient.value in c.recipients and consent_service.is_valid(c, on) and (c.health_data or not kind.health):
            return ServiceConsent(True, f"Einwilligung vom {fmt(c.signed_on)} liegt vor.", consent_id=c.id)
    check = consent_service.check_sharing(session, case_id, recipient, health=kind.health, on=on)
    if check.allowed:
        return ServiceConsent(True, check.message, consent_id=check.consent_id)
    if check.consent_id is not None:  # a consent names the service, but without the health tick
        return ServiceConsent(False, f"»{kind.label}« kann nicht aufgenommen werden: {check.message} Es fehlt eine "
                                     f"Einwilligung für {recipient.label} mit dem Häkchen »Gesundheitsdaten«.",
                              consent_id=check.consent_id)
    return ServiceConsent(False, f"»{kind.label}« kann nicht aufgenommen werden: {check.message} Es fehlt eine "
                                 f"gültige Einwilligung für {recipient.label}{health}.")


# ---- services -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ServiceData:
    kind: str
    name: str
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    task: str = ""
    since: date | None = None
    confirmed: bool = False  # written consent confirmed for a service without a recipient kind


def _service_kind(value: str) -> ServiceKind:
    try:
        return ServiceKind(value)
    except ValueError:
        raise InvalidInput("Bitte die Art der Stelle wählen.", "kind") from None


def add_service(store: Store, user: CurrentUser, case_id: uuid.UUID, data: ServiceData) -> uuid.UUID:
    kind = _service_kind(data.kind)
    name = _required_text(data.name, "name", "den Namen der Stelle")
    if len(name or "") > 200:
        raise InvalidInput("Der Name der Stelle ist zu lang (höchstens 200 Zeichen).", "name")
    task = _text(data.task, "task", "Aufgabe")
    today = date.today()
    with store.session(user.username) as s:
        get_for_change(s, case_id, user)
        gate = check_service_consent(s, case_id, kind, today)
        note = None
        if not gate.allowed:
            if not (gate.needs_confirmation and data.confirmed):
                raise InvalidInput(gate.message, "consent")
            note = (f"Schriftliche Einwilligung bestätigt von {user.username} am {fmt(today)}"
                    + (" (mit Gesundheitsdaten)" if kind.health else ""))
        service = HelpPlanService(case_id=case_id, kind=kind.value, name=name,
                                  contact_person=data.contact_person.strip()[:200] or None,
                                  phone=data.phone.strip()[:60] or None, email=data.email.strip()[:200] or None,
                                  task=task, since=data.since or today, consent_id=gate.consent_id,
                                  consent_note=note)
        s.add(service)
        s.flush()
        audit.append(s, user.username, "help_plan_service_added", object_type="case", object_id=str(case_id),
                     detail=kind.value)
        return service.id


def remove_service(store: Store, user: CurrentUser, service_id: uuid.UUID) -> None:
    with store.session(user.username) as s:
        service = get_live(s, HelpPlanService, service_id, "Diese Stelle", gone="gibt es im Hilfeplan nicht (mehr)")
        get_for_change(s, service.case_id, user)
        tombstone(service)
        audit.append(s, user.username, "help_plan_service_removed", object_type="case",
                     object_id=str(service.case_id))


# ---- goals --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GoalData:
    what: str
    steps: str = ""
    responsible: str = ""
    due_on: date | None = None
    review_on: date | None = None
    status: str = GoalStatus.OFFEN.value
    result: str = ""


def save_goal(store: Store, user: CurrentUser, case_id: uuid.UUID, data: GoalData,
              goal_id: uuid.UUID | None = None) -> uuid.UUID:
    what = _required_text(data.what, "what", "das Ziel")
    try:
        status = GoalStatus(data.status)
    except ValueError:
        raise InvalidInput("Bitte den Stand des Ziels wählen.", "status") from None
    if status.finished and status is not GoalStatus.AUFGEGEBEN and not data.result.strip():
        raise InvalidInput("Bitte das Ergebnis eintragen, wenn das Ziel abgeschlossen ist.", "result")
    with store.session(user.username) as s:
        case = get_for_change(s, case_id, user)
        goal = (get_live(s, HelpPlanGoal, goal_id, "Dieses Ziel", where=lambda g: g.case_id == case_id)
                if goal_id else None)
        if goal is None:
            goal = HelpPlanGoal(case_id=case_id)
            s.add(goal)
        goal.what, goal.steps = what, _text(data.steps, "steps", "Schritte")
        goal.responsible = data.responsible.strip()[:200] or None
        goal.due_on, goal.review_on, goal.status = data.due_on, data.review_on, status.value
        goal.result = _text(data.result, "result", "Ergebnis")
        s.flush()
        _sync_goal_deadline(s, case, goal)
        audit.append(s, user.username, "help_plan_goal_saved", object_type="case", object_id=str(case_id))
        return goal.id


def _review_entry(session: Session, case: Case, source_id: uuid.UUID) -> DeadlineEntry | None:
    return session.execute(select(DeadlineEntry).where(
        DeadlineEntry.source_id == source_id, DeadlineEntry.kind == DeadlineKind.HILFEPLAN.value,
        DeadlineEntry.deleted_at.is_(None))).scalars().first()


def _set_review(session: Session, case: Case, source_id: uuid.UUID, due: date | None, rule: str,
                inputs: dict[str, str], note: str, done_on: date | None = None) -> None:
    entry = _review_entry(session, case, source_id)
    if due is None:
        if entry is not None:
            tombstone(entry)
        return
    if entry is None:
        entry = DeadlineEntry(case_id=case.id, kind=DeadlineKind.HILFEPLAN.value, source_id=source_id,
                              assigned_to=case.counsellor)
        session.add(entry)
    if entry.due_on != due:
        entry.override_on, entry.override_reason = None, None
    entry.due_on, entry.target_on, entry.rule, entry.inputs = due, due, rule, inputs
    entry.note, entry.done_on = note[:300], done_on


def _sync_goal_deadline(session: Session, case: Case, goal: HelpPlanGoal) -> None:
    due = goal.review_on or goal.due_on
    status = GoalStatus(goal.status)
    rule = ("Überprüfung eines Ziels im Hilfeplan" + (" (Überprüfungsdatum)." if goal.review_on
                                                      else " (kein Überprüfungsdatum: »bis wann«)."))
    inputs = {"Ziel": goal.what[:80], "Stand": status.label}
    if goal.due_on:
        inputs["bis wann"] = fmt(goal.due_on)
    if goal.review_on:
        inputs["Überprüfung"] = fmt(goal.review_on)
    _set_review(session, case, goal.id, due, rule, inputs, f"Ziel: {goal.what}",
                done_on=date.today() if status.finished else None)


def goals(session: Session, case_id: uuid.UUID) -> list[HelpPlanGoal]:
    stmt = (select(HelpPlanGoal).where(HelpPlanGoal.case_id == case_id, HelpPlanGoal.deleted_at.is_(None))
            .order_by(HelpPlanGoal.created_at))
    return list(session.execute(stmt).scalars())


@dataclass(frozen=True)
class ServiceView:
    """A service of the plan as this user may see it: the task of a service with health involvement masked."""

    id: uuid.UUID
    case_id: uuid.UUID
    kind: str
    name: str
    contact_person: str
    phone: str
    email: str
    task: str
    since: date
    consent_id: uuid.UUID | None
    consent_note: str
    confidential: bool

    @classmethod
    def of(cls, row: HelpPlanService, mask: HealthMask) -> ServiceView:
        special = is_health_service(row.kind)
        return cls(row.id, row.case_id, row.kind, row.name, row.contact_person or "", row.phone or "",
                   row.email or "", mask.text(row.task, special), row.since, row.consent_id, row.consent_note or "",
                   mask.hides(special))


def services(session: Session, user: CurrentUser, case_id: uuid.UUID) -> list[ServiceView]:
    case = get_live(session, Case, case_id, "Diesen Fall")
    mask = health_mask(user, case)
    stmt = (select(HelpPlanService).where(HelpPlanService.case_id == case_id, HelpPlanService.deleted_at.is_(None))
            .order_by(HelpPlanService.since, HelpPlanService.created_at))
    return [ServiceView.of(row, mask) for row in session.execute(stmt).scalars()]


# ---- conferences --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConferenceData:
    held_on: date
    kind: str = ConferenceKind.GESAMTPLANKONFERENZ.value
    participants: list[str] = field(default_factory=list)
    agreements: str = ""
    next_review_on: date | None = None


def add_conference(store: Store, user: CurrentUser, case_id: uuid.UUID, data: ConferenceData) -> uuid.UUID:
    try:
        kind = ConferenceKind(data.kind)
    except ValueError:
        raise InvalidInput("Bitte die Art der Konferenz wählen.", "kind") from None
    participants = [p.strip()[:200] for p in data.participants if p.strip()]
    if not participants:
        raise InvalidInput("Bitte die Teilnehmenden eintragen (eine Person oder Stelle je Zeile).", "participants")
    if len(participants) > 50:
        raise InvalidInput("Höchstens 50 Teilnehmende.", "participants")
    agreements = _required_text(data.agreements, "agreements", "die Vereinbarungen")
    if data.next_review_on and data.next_review_on <= data.held_on:
        raise InvalidInput("Die nächste Überprüfung muss nach der Konferenz liegen.", "next_review_on")
    with store.session(user.username) as s:
        case = get_for_change(s, case_id, user)
        if data.held_on < case.opened_on:
            raise InvalidInput("Die Konferenz liegt vor der Aufnahme des Falls.", "held_on")
        earlier = conferences(s, case_id)
        conference = HelpPlanConference(case_id=case_id, kind=kind.value, held_on=data.held_on,
                                        participants=participants, agreements=agreements,
                                        next_review_on=data.next_review_on)
        s.add(conference)
        s.flush()
        # the review set by an earlier conference is done once a later conference has taken place
        for old in earlier:
            entry = _review_entry(s, case, old.id)
            if entry is not None and entry.done_on is None and old.held_on <= data.held_on:
                entry.done_on = data.held_on
        _set_review(s, case, conference.id, data.next_review_on,
                    f"Nächste Überprüfung des Hilfeplans, vereinbart in der {kind.label}.",
                    {kind.label: fmt(data.held_on)}, f"{kind.label} vom {fmt(data.held_on)}: nächste Überprüfung")
        audit.append(s, user.username, "help_plan_conference_added", object_type="case", object_id=str(case_id))
        return conference.id


def conferences(session: Session, case_id: uuid.UUID) -> list[HelpPlanConference]:
    stmt = (select(HelpPlanConference).where(HelpPlanConference.case_id == case_id,
                                             HelpPlanConference.deleted_at.is_(None))
            .order_by(HelpPlanConference.held_on, HelpPlanConference.created_at))
    return list(session.execute(stmt).scalars())


def next_review(session: Session, case_id: uuid.UUID) -> date | None:
    """The next review of the plan: the one the latest conference set."""
    held = conferences(session, case_id)
    return held[-1].next_review_on if held else None
