"""Anträge (issue 08, point 2): applications to the Jobcenter or Sozialamt, their reminders, decisions and
Widersprüche.

A decision creates the Widerspruch deadline (``core/domain/deadlines.py``: posting date, fourth day, month end,
holidays, one year without Rechtsbehelfsbelehrung) as a ``DeadlineEntry`` the Fristen view lists; a rejected
Widerspruch creates the Klagefrist the same way. An override or a done mark made by hand on such a deadline is
kept when the decision is edited. No decision after six months (application) or three months (Widerspruch) shows
the option of an Untätigkeitsklage (§ 88 SGG) as a computed flag with its rule text; nothing is stored for it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import deadlines as rules
from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.services.cases import get_for_change
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.changes import tombstone
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Case, DeadlineEntry, Document, Setting
from whh_desktop.core.store.models.applications import (
    Application,
    ApplicationKind,
    Decision,
    Objection,
    ObjectionDecision,
    SubmittedVia,
)
from whh_desktop.core.store.rows import get_live

__all__ = [
    "ADVERSE",
    "APPLICATION_MONTHS",
    "OBJECTION_MONTHS",
    "Application",
    "ApplicationData",
    "ApplicationKind",
    "ApplicationView",
    "Decision",
    "DecisionData",
    "Inaction",
    "Objection",
    "ObjectionDecision",
    "SubmittedVia",
    "add_application",
    "add_from_letter",
    "add_objection",
    "application_views",
    "decide_objection",
    "inaction",
    "kind_for_letter",
    "letter_documents",
    "record_decision",
    "record_reminder",
    "reminder_due_on",
    "reminder_weeks",
    "sachstand_values",
    "set_reminder_weeks",
    "update_application",
    "widerspruch_values",
]

REMINDER_KEY = "applications.reminder_weeks"
DEFAULT_REMINDER_WEEKS = 4
APPLICATION_MONTHS = 6  # § 88 Abs. 1 SGG
OBJECTION_MONTHS = 3    # § 88 Abs. 2 SGG
# Decisions against which a Widerspruch is worth a deadline (a full approval or a withdrawal needs none).
ADVERSE = frozenset({Decision.TEILWEISE.value, Decision.ABGELEHNT.value})
OBJECTION_ADVERSE = frozenset({ObjectionDecision.TEILWEISE.value, ObjectionDecision.ZURUECKGEWIESEN.value})
SUCCESSFUL_OBJECTION = frozenset({ObjectionDecision.ABGEHOLFEN.value, ObjectionDecision.TEILWEISE.value})

# The application letters of issue 04 and the kind of application each one produces.
LETTER_KINDS: dict[str, ApplicationKind] = {
    "jc_zusicherung": ApplicationKind.KDU_ZUSICHERUNG,
    "jc_kaution": ApplicationKind.KAUTION,
    "jc_direktzahlung": ApplicationKind.DIREKTZAHLUNG,
    "jc_mietschulden": ApplicationKind.MIETSCHULDEN,
    "jc_umzugskosten": ApplicationKind.UMZUGSKOSTEN,
    "jc_erstausstattung": ApplicationKind.ERSTAUSSTATTUNG,
}
SACHSTAND = "jc_sachstand"
WIDERSPRUCH = "jc_widerspruch"
MAX_NOTE = 20_000


def _enum(cls: type, value: str | None, field_name: str, what: str) -> str:
    if value not in {m.value for m in cls}:  # type: ignore[attr-defined]
        raise InvalidInput(f"Bitte {what} wählen.", field_name)
    return str(value)


# ---- settings ------------------------------------------------------------------------------------------------
def reminder_weeks(session: Session) -> int:
    """After how many weeks without a decision a Sachstandsanfrage is offered (local setting, default 4)."""
    row = session.get(Setting, REMINDER_KEY)
    try:
        weeks = int(row.value) if row is not None else DEFAULT_REMINDER_WEEKS  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return DEFAULT_REMINDER_WEEKS
    return weeks if 1 <= weeks <= 52 else DEFAULT_REMINDER_WEEKS


def set_reminder_weeks(store: Store, user: CurrentUser, weeks: int) -> None:
    if not user.is_admin:
        raise PermissionDenied("Nur ein Admin-Konto ändert Einstellungen.")
    if not 1 <= weeks <= 52:
        raise InvalidInput("Die Erinnerung liegt zwischen 1 und 52 Wochen nach dem Antrag.", "weeks")
    with store.session(user.username) as s:
        s.merge(Setting(key=REMINDER_KEY, value=weeks))
        audit.append(s, user.username, "setting_changed", detail=REMINDER_KEY)


# ---- pure rules ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Inaction:
    """§ 88 SGG: an Untätigkeitsklage is possible from ``possible_from`` on (the day after the period ends)."""

    possible: bool
    possible_from: date
    rule: str


def inaction(started_on: date, today: date, *, objection: bool = False) -> Inaction:
    """Six months after the application, three months after the Widerspruch, without a decision (§ 88 SGG).

    The period ends on the same day number months later (§ 64 SGG, §§ 187, 188 BGB, month end when shorter);
    the action may be brought from the following day. Whether the authority has a sufficient reason for the delay
    is for the court: the flag only shows the option."""
    months = OBJECTION_MONTHS if objection else APPLICATION_MONTHS
    end = rules.add_months(started_on, months)
    start = end + timedelta(days=1)
    what, norm, since = (("über den Widerspruch", "§ 88 Abs. 2 SGG", "Einlegung des Widerspruchs")
                         if objection else ("über den Antrag", "§ 88 Abs. 1 SGG", "Antragstellung"))
    rule = (f"Untätigkeitsklage ({norm}): Ist {what} nicht binnen {'drei' if objection else 'sechs'} Monaten seit "
            f"{since} ({rules.fmt(started_on)}) entschieden, kann Klage beim Sozialgericht erhoben werden – ab dem "
            f"{rules.fmt(start)}. Hat die Behörde einen zureichenden Grund für die Verzögerung, setzt das Gericht "
            "das Verfahren aus.")
    return Inaction(today >= start, start, rule)


def reminder_due_on(app: Application, weeks: int) -> date | None:
    """When a Sachstandsanfrage is due: ``weeks`` after submission or after the last reminder; None once decided."""
    if app.decision is not None:
        return None
    last = max((date.fromisoformat(r["on"]) for r in (app.reminders or []) if r.get("on")), default=None)
    return (last or app.submitted_on) + timedelta(weeks=weeks)


def kind_for_letter(letter_type: str | None) -> ApplicationKind | None:
    return LETTER_KINDS.get(letter_type or "")


# ---- applications --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApplicationData:
    kind: str
    submitted_on: date
    submitted_via: str = SubmittedVia.POST.value
    authority: str = ""
    file_no: str = ""
    expected_on: date | None = None
    amount_requested: int | None = None  # cents
    letter_id: uuid.UUID | None = None
    note: str = ""


def _validate(data: ApplicationData, today: date) -> None:
    _enum(ApplicationKind, data.kind, "kind", "die Art des Antrags")
    _enum(SubmittedVia, data.submitted_via, "submitted_via", "aus, wie der Antrag gestellt wurde,")
    if data.submitted_on > today:
        raise InvalidInput("Der Antrag kann nicht in der Zukunft gestellt sein.", "submitted_on")
    if data.expected_on and data.expected_on < data.submitted_on:
        raise InvalidInput("Die erwartete Entscheidung liegt vor dem Antrag.", "expected_on")
    if data.amount_requested is not None and data.amount_requested < 0:
        raise InvalidInput("Der Betrag darf nicht negativ sein.", "amount_requested")
    if len(data.note) > MAX_NOTE:
        raise InvalidInput(f"Die Notiz ist zu lang (höchstens {MAX_NOTE} Zeichen).", "note")


def _check_letter(session: Session, case_id: uuid.UUID, letter_id: uuid.UUID | None) -> Document | None:
    if letter_id is None:
        return None
    doc = session.get(Document, letter_id)
    if doc is None or doc.deleted_at is not None or doc.case_id != case_id or doc.kind != "letter":
        raise InvalidInput("Dieser Brief gehört nicht zu diesem Fall.", "letter_id")
    return doc


def _apply(app: Application, data: ApplicationData) -> None:
    app.kind, app.submitted_on, app.submitted_via = data.kind, data.submitted_on, data.submitted_via
    app.authority = data.authority.strip() or None
    app.file_no = data.file_no.strip() or None
    app.expected_on, app.amount_requested, app.letter_id = data.expected_on, data.amount_requested, data.letter_id
    app.note = data.note.strip() or None


def add_application(store: Store, user: CurrentUser, case_id: uuid.UUID, data: ApplicationData,
                    today: date | None = None) -> uuid.UUID:
    _validate(data, today or date.today())
    with store.session(user.username) as s:
        get_for_change(s, case_id, user)
        _check_letter(s, case_id, data.letter_id)
        app = Application(case_id=case_id, reminders=[])
        _apply(app, data)
        s.add(app)
        s.flush()
        audit.append(s, user.username, "application_added", object_type="case", object_id=str(case_id),
                     detail=data.kind)
        return app.id


def add_from_letter(store: Store, user: CurrentUser, document_id: uuid.UUID,
                    submitted_via: str = SubmittedVia.POST.value, kind: str | None = None,
                    on: date | None = None) -> uuid.UUID:
    """The application a recorded letter (``letters.record``) made: kind from the letter type, date of the letter."""
    with store.read_session() as s:
        doc = get_live(s, Document, document_id, "Diesen Brief", gone="gibt es nicht",
                       where=lambda d: d.kind == "letter", field="letter_id")
        case_id, letter_type, created = doc.case_id, doc.letter_type, doc.created_at
        authority = (doc.recipient or "")[:200]
    guessed = kind_for_letter(letter_type)
    kind = kind or (guessed.value if guessed else None)
    if kind is None:
        raise InvalidInput("Aus diesem Brief geht keine Antragsart hervor; bitte die Art wählen.", "kind")
    data = ApplicationData(kind=kind, submitted_on=on or created.date(), submitted_via=submitted_via,
                           authority=authority, letter_id=document_id)
    return add_application(store, user, case_id, data)


def _get(session: Session, application_id: uuid.UUID, user: CurrentUser) -> tuple[Case, Application]:
    app = get_live(session, Application, application_id, "Diesen Antrag")
    return get_for_change(session, app.case_id, user), app


def update_application(store: Store, user: CurrentUser, application_id: uuid.UUID, data: ApplicationData,
                       today: date | None = None) -> None:
    _validate(data, today or date.today())
    with store.session(user.username) as s:
        case, app = _get(s, application_id, user)
        _check_letter(s, case.id, data.letter_id)
        _apply(app, data)
        if app.decided_on and app.decided_on < app.submitted_on:
            raise InvalidInput("Der Antrag liegt nach der Entscheidung.", "submitted_on")
        audit.append(s, user.username, "application_changed", object_type="case", object_id=str(case.id))


def delete_application(store: Store, user: CurrentUser, application_id: uuid.UUID) -> None:
    """Tombstones the application, its Widersprüche and their open computed deadlines."""
    with store.session(user.username) as s:
        case, app = _get(s, application_id, user)
        objections = _objections(s, app.id)
        for source in (app.id, *(o.id for o in objections)):
            for entry in _deadlines_of(s, source):
                if entry.done_on is None:
                    tombstone(entry)
        for obj in objections:
            tombstone(obj)
        tombstone(app)
        audit.append(s, user.username, "application_deleted", object_type="case", object_id=str(case.id))


def record_reminder(store: Store, user: CurrentUser, application_id: uuid.UUID, on: date | None = None,
                    document_id: uuid.UUID | None = None) -> None:
    """A Sachstandsanfrage was sent (usually the ``jc_sachstand`` letter, ``document_id`` its document)."""
    on = on or date.today()
    with store.session(user.username) as s:
        case, app = _get(s, application_id, user)
        if on < app.submitted_on:
            raise InvalidInput("Die Sachstandsanfrage liegt vor dem Antrag.", "on")
        _check_letter(s, case.id, document_id)
        entry = {"on": on.isoformat()}
        if document_id is not None:
            entry["document_id"] = str(document_id)
        app.reminders = [*(app.reminders or []), entry]
        audit.append(s, user.username, "application_reminded", object_type="case", object_id=str(case.id))


def sachstand_values(app: Application) -> dict[str, str]:
    """Field values for the ``jc_sachstand`` letter about this application."""
    return {"antrag_datum": rules.fmt(app.submitted_on),
            "antrag_gegenstand": ApplicationKind(app.kind).label}


def widerspruch_values(app: Application) -> dict[str, str]:
    """Field values for the ``jc_widerspruch`` letter against the decision on this application."""
    values = {"bescheid_datum": rules.fmt(app.decided_on)} if app.decided_on else {}
    if app.file_no:
        values["bescheid_az"] = app.file_no
    return values


# ---- decisions and their deadlines ---------------------------------------------------------------------------
@dataclass(frozen=True)
class DecisionData:
    decision: str
    decided_on: date
    posted_on: date | None = None  # Aufgabe zur Post; the decision date when empty
    without_instructions: bool = False  # ohne Rechtsbehelfsbelehrung: one year (§ 66 SGG)
    amount_granted: int | None = None  # cents
    eviction_averted: bool | None = None  # § 22 Abs. 8 / § 36: flat kept after the approval
    notification: str = rules.NotificationKind.POST.value  # formal service: the period runs from served_on
    served_on: date | None = None


def _notification(value: str, decided_on: date, posted_on: date | None,
                  served_on: date | None) -> rules.NotificationKind:
    """The notification kind of a decision, checked (German message for a bad value or date)."""
    try:
        kind = rules.NotificationKind(value or rules.NotificationKind.POST.value)
    except ValueError:
        raise InvalidInput("Bitte wählen, wie der Bescheid bekanntgegeben wurde.", "notification") from None
    if served_on is not None and not kind.formal:
        raise InvalidInput("Ein Zustelldatum gilt nur bei förmlicher Zustellung (Postzustellungsurkunde, "
                           "Empfangsbekenntnis, Übergabe von Hand). Bitte die Art der Bekanntgabe wählen oder das "
                           "Datum leeren.", "notification")
    rules.check_notification(decided_on, posted_on, kind, served_on)
    return kind


def _deadlines_of(session: Session, source_id: uuid.UUID) -> list[DeadlineEntry]:
    return list(session.execute(select(DeadlineEntry).where(
        DeadlineEntry.source_id == source_id, DeadlineEntry.deleted_at.is_(None))).scalars())


def _sync_deadline(session: Session, case: Case, source_id: uuid.UUID, wanted: rules.Deadline | None,
                   note: str) -> uuid.UUID | None:
    """The computed deadline follows the decision; an override or a done mark made by hand is kept."""
    existing = _deadlines_of(session, source_id)
    entry = next((d for d in existing if wanted is not None and d.kind == wanted.kind.value), None)
    for stale in existing:
        if stale is not entry:
            tombstone(stale)
    if wanted is None:
        return None
    if entry is None:
        entry = DeadlineEntry(case_id=case.id, kind=wanted.kind.value, source_id=source_id,
                              assigned_to=case.counsellor)
        session.add(entry)
    entry.due_on, entry.target_on, entry.rule = wanted.due, wanted.target, wanted.rule
    entry.inputs, entry.warnings, entry.note = dict(wanted.inputs), list(wanted.warnings), note
    session.flush()
    return entry.id


def record_decision(store: Store, user: CurrentUser, application_id: uuid.UUID, data: DecisionData,
                    today: date | None = None) -> uuid.UUID | None:
    """Store the decision; for a partial approval or a rejection create (or move) the Widerspruch deadline.
    Returns the deadline's id (None when the decision needs none)."""
    today = today or date.today()
    _enum(Decision, data.decision, "decision", "die Entscheidung")
    if data.decided_on > today:
        raise InvalidInput("Die Entscheidung kann nicht in der Zukunft liegen.", "decided_on")
    notification = _notification(data.notification, data.decided_on, data.posted_on, data.served_on)
    if data.amount_granted is not None and data.amount_granted < 0:
        raise InvalidInput("Der Betrag darf nicht negativ sein.", "amount_granted")
    with store.session(user.username) as s:
        case, app = _get(s, application_id, user)
        if data.decided_on < app.submitted_on:
            raise InvalidInput("Die Entscheidung liegt vor dem Antrag.", "decided_on")
        app.decision, app.decided_on, app.posted_on = data.decision, data.decided_on, data.posted_on
        app.without_instructions, app.amount_granted = data.without_instructions, data.amount_granted
        app.eviction_averted = data.eviction_averted
        app.notification = notification.value
        app.served_on = data.served_on if notification.formal else None
        wanted = (rules.widerspruchsfrist(data.decided_on, posted_on=data.posted_on,
                                          with_instructions=not data.without_instructions,
                                          notification=notification, served_on=app.served_on)
                  if data.decision in ADVERSE else None)
        note = f"Widerspruch gegen {Decision(data.decision).label}en Antrag: {ApplicationKind(app.kind).label}"
        app.deadline_id = _sync_deadline(s, case, app.id, wanted, note)
        audit.append(s, user.username, "application_decided", object_type="case", object_id=str(case.id),
                     detail=data.decision)
        return app.deadline_id


def clear_decision(store: Store, user: CurrentUser, application_id: uuid.UUID) -> None:
    """Undo a decision entered by mistake; its open Widerspruch deadline goes with it."""
    with store.session(user.username) as s:
        case, app = _get(s, application_id, user)
        app.decision = app.decided_on = app.posted_on = app.amount_granted = app.eviction_averted = None
        app.without_instructions, app.notification, app.served_on = False, rules.NotificationKind.POST.value, None
        app.deadline_id = _sync_deadline(s, case, app.id, None, "")
        audit.append(s, user.username, "application_changed", object_type="case", object_id=str(case.id))


# ---- Widersprüche --------------------------------------------------------------------------------------------
def _objections(session: Session, application_id: uuid.UUID) -> list[Objection]:
    return list(session.execute(select(Objection).where(
        Objection.application_id == application_id, Objection.deleted_at.is_(None))
        .order_by(Objection.lodged_on)).scalars())


def add_objection(store: Store, user: CurrentUser, application_id: uuid.UUID, lodged_on: date,
                  letter_id: uuid.UUID | None = None, note: str = "", today: date | None = None) -> uuid.UUID:
    """A Widerspruch against the application's decision; it marks the Widerspruch deadline as done."""
    if lodged_on > (today or date.today()):
        raise InvalidInput("Der Widerspruch kann nicht in der Zukunft eingelegt sein.", "lodged_on")
    with store.session(user.username) as s:
        case, app = _get(s, application_id, user)
        if app.decision is None or app.decided_on is None:
            raise InvalidInput("Ein Widerspruch braucht zuerst die Entscheidung über den Antrag.", "decision")
        if lodged_on < app.decided_on:
            raise InvalidInput("Der Widerspruch liegt vor dem Bescheid.", "lodged_on")
        _check_letter(s, case.id, letter_id)
        obj = Objection(case_id=case.id, application_id=app.id, lodged_on=lodged_on, letter_id=letter_id,
                        note=note.strip() or None)
        s.add(obj)
        deadline = s.get(DeadlineEntry, app.deadline_id) if app.deadline_id else None
        if deadline is not None and deadline.deleted_at is None and deadline.done_on is None:
            deadline.done_on = lodged_on
        s.flush()
        audit.append(s, user.username, "objection_added", object_type="case", object_id=str(case.id))
        return obj.id


def decide_objection(store: Store, user: CurrentUser, objection_id: uuid.UUID, decision: str, decided_on: date,
                     posted_on: date | None = None, without_instructions: bool = False,
                     today: date | None = None, notification: str = rules.NotificationKind.POST.value,
                     served_on: date | None = None) -> uuid.UUID | None:
    """The Widerspruchsbescheid; a (partial) rejection creates the Klagefrist (§ 87 SGG). Returns its id."""
    _enum(ObjectionDecision, decision, "decision", "die Entscheidung über den Widerspruch")
    if decided_on > (today or date.today()):
        raise InvalidInput("Die Entscheidung kann nicht in der Zukunft liegen.", "decided_on")
    kind = _notification(notification, decided_on, posted_on, served_on)
    with store.session(user.username) as s:
        obj = get_live(s, Objection, objection_id, "Diesen Widerspruch")
        case = get_for_change(s, obj.case_id, user)
        if decided_on < obj.lodged_on:
            raise InvalidInput("Die Entscheidung liegt vor dem Widerspruch.", "decided_on")
        obj.decision, obj.decided_on, obj.posted_on = decision, decided_on, posted_on
        obj.notification, obj.served_on = kind.value, served_on if kind.formal else None
        obj.without_instructions = without_instructions
        wanted = (rules.klagefrist(decided_on, posted_on=posted_on, with_instructions=not without_instructions,
                                   notification=kind, served_on=obj.served_on)
                  if decision in OBJECTION_ADVERSE else None)
        deadline_id = _sync_deadline(s, case, obj.id, wanted, "Klage gegen den Widerspruchsbescheid")
        audit.append(s, user.username, "objection_decided", object_type="case", object_id=str(case.id),
                     detail=decision)
        return deadline_id


# ---- the list in the case file -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ObjectionView:
    objection: Objection
    inaction: Inaction | None  # set while undecided


@dataclass(frozen=True)
class ApplicationView:
    application: Application
    kind_label: str
    status: str
    reminder_due: date | None
    reminder_offered: bool  # a Sachstandsanfrage is due (and no decision yet)
    inaction: Inaction | None  # § 88 Abs. 1 SGG, set while undecided
    deadline: DeadlineEntry | None
    objections: list[ObjectionView] = field(default_factory=list)

    @property
    def untaetigkeitsklage(self) -> Inaction | None:
        """The first § 88 SGG option that is open now (application or a pending Widerspruch)."""
        for flag in (self.inaction, *(o.inaction for o in self.objections)):
            if flag is not None and flag.possible:
                return flag
        return None


def _status(app: Application, objections: list[Objection]) -> str:
    if app.decision is None:
        return "offen"
    text = Decision(app.decision).label
    if objections:
        last = objections[-1]
        text += ", Widerspruch " + (ObjectionDecision(last.decision).label if last.decision else "offen")
    return text


def application_views(session: Session, case_id: uuid.UUID, today: date | None = None) -> list[ApplicationView]:
    """The case's applications, newest first, with reminder, § 88 SGG flag, deadline and Widersprüche."""
    today = today or date.today()
    weeks = reminder_weeks(session)
    apps = list(session.execute(select(Application).where(
        Application.case_id == case_id, Application.deleted_at.is_(None))
        .order_by(Application.submitted_on.desc(), Application.created_at.desc())).scalars())
    objections: dict[uuid.UUID, list[Objection]] = {}
    for obj in session.execute(select(Objection).where(
            Objection.case_id == case_id, Objection.deleted_at.is_(None)).order_by(Objection.lodged_on)).scalars():
        objections.setdefault(obj.application_id, []).append(obj)
    result = []
    for app in apps:
        due = reminder_due_on(app, weeks)
        deadline = session.get(DeadlineEntry, app.deadline_id) if app.deadline_id else None
        if deadline is not None and deadline.deleted_at is not None:
            deadline = None
        objs = objections.get(app.id, [])
        result.append(ApplicationView(
            app, ApplicationKind(app.kind).label, _status(app, objs), due, due is not None and due <= today,
            inaction(app.submitted_on, today) if app.decision is None else None, deadline,
            [ObjectionView(o, inaction(o.lodged_on, today, objection=True) if o.decision is None else None)
             for o in objs]))
    return result


def letter_documents(session: Session, case_id: uuid.UUID,
                     letter_types: set[str] | None = None) -> list[Document]:
    """The case's letters (optionally of some types), newest first: to link an application to its letter."""
    stmt = (select(Document).where(Document.case_id == case_id, Document.kind == "letter",
                                   Document.deleted_at.is_(None)).order_by(Document.created_at.desc()))
    if letter_types:
        stmt = stmt.where(Document.letter_type.in_(sorted(letter_types)))
    return list(session.execute(stmt).scalars())
