"""Everything the case file screen shows, loaded in one go; opening a case is audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from whh_desktop.core.domain import deadlines as rules
from whh_desktop.core.domain import labels
from whh_desktop.core.domain.enums import Category, ConsentRecipient, ContactKind, ReferralStatus, ReferralTarget
from whh_desktop.core.domain.legal_state import LegalState
from whh_desktop.core.services import casework, consent, fristen, legal_state
from whh_desktop.core.services.access import HIDDEN_NOTE, may_see_health, require_case_worker
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Account,
    AuditEntry,
    Case,
    CategoryEntry,
    Consent,
    Document,
    EvictionProceeding,
    HouseholdMember,
    Income,
    Person,
    RentDueEntry,
)
from whh_desktop.core.store.rows import get_live


@dataclass(frozen=True)
class LogEntry:
    on: date
    what: str


@dataclass(frozen=True)
class CaseFile:
    case: Case
    person: Person
    household: list[HouseholdMember]
    incomes: list[Income]
    categories: list[CategoryEntry]
    contacts: list[casework.ContactView]  # masked for the user (access.health_mask)
    proceedings: list[EvictionProceeding]
    referrals: list[casework.ReferralView]
    consents: list[Consent]
    deadlines: list[fristen.DueItem]
    documents: list[Document]
    rent_entries: list[RentDueEntry]
    risk: rules.TerminationRisk | None
    log: list[LogEntry]
    health_visible: bool  # the user is the case's counsellor or a named substitute
    legal: LegalState | None = None  # the case's legal state today (the Überblick shows it)
    staff: dict[str, str] = field(default_factory=dict)  # user name -> display name

    def who(self, username: str | None) -> str:
        """Staff by display name; a user name of another store (after a handover) as it is."""
        return self.staff.get(username or "", username or "")

    def note_of(self, contact: casework.ContactView) -> str:
        """The contact note as this user may see it; a masked one says why."""
        return HIDDEN_NOTE if contact.confidential and contact.note else contact.note

    @property
    def title(self) -> str:
        return f"{self.case.case_number} – {self.person.family_name}, {self.person.given_names}".rstrip(", ")

    @property
    def bausteine(self) -> list[str]:
        served = set(self.case.bausteine or [])
        for c in self.contacts:
            served.update(c.bausteine or [])
        return sorted(served)


def open_case(store: Store, user: CurrentUser, case_id: uuid.UUID) -> CaseFile:
    require_case_worker(user)
    with store.session(user.username) as s:
        case = get_live(s, Case, case_id, "Diesen Fall")
        person = s.get_one(Person, case.person_id)

        def live(model):
            return list(s.execute(select(model).where(model.case_id == case_id, model.deleted_at.is_(None))
                                  ).scalars())

        categories = sorted(live(CategoryEntry), key=lambda c: c.since)
        contacts = casework.contacts(s, user, case_id)
        referrals = casework.referrals(s, user, case_id)
        consents = consent.list_for_case(s, case_id)
        documents = sorted(live(Document), key=lambda d: d.created_at, reverse=True)
        deadlines = fristen.due_list(s, case_id=case_id)
        health = may_see_health(user, case)
        legal = legal_state.state_of(s, case, date.today())
        staff = dict(s.execute(select(Account.username, Account.display_name)).all())
        case_file = CaseFile(
            case=case, person=person, household=live(HouseholdMember), incomes=live(Income), categories=categories,
            contacts=contacts, proceedings=casework.proceedings(s, case_id), referrals=referrals, consents=consents,
            deadlines=deadlines, documents=documents, risk=legal.termination_risk,
            rent_entries=sorted(live(RentDueEntry), key=lambda r: r.due_on, reverse=True),
            log=_log(s, case, categories, contacts, referrals, consents, documents, staff), health_visible=health,
            staff=staff, legal=legal)
        audit.append(s, user.username, "case_opened", object_type="case", object_id=str(case_id))
        return case_file


# The audit actions the case log shows (labels from the one label table).
_AUDIT_LOG_ACTIONS = ("case_created", "case_closed", "case_reopened", "eviction_saved", "deadline_overridden",
                      "case_restricted", "case_unrestricted", "consent_revoked", "letter_printed")


def _log(s, case: Case, categories, contacts, referrals, consents, documents,
         staff: dict[str, str]) -> list[LogEntry]:
    entries = [LogEntry(c.since, f"Kategorie: {Category(c.category).label}") for c in categories]
    for c in contacts:
        note = "" if not c.note or c.confidential else f": {c.note[:80]}"
        entries.append(LogEntry(c.on, f"Kontakt ({ContactKind(c.kind).label}, {c.minutes} Min.){note}"))
    entries += [LogEntry(r.on, f"Vermittlung an {ReferralTarget(r.target).label} "
                               f"({labels.of(ReferralStatus, r.status)})") for r in referrals]
    entries += [LogEntry(c.signed_on, "Einwilligung für " + ", ".join(labels.of(ConsentRecipient, r)
                                                                      for r in c.recipients)) for c in consents]
    entries += [LogEntry(d.created_at.date(), f"{labels.document_kind(d.kind)}: {d.title}") for d in documents]
    audit_rows = s.execute(select(AuditEntry.at, AuditEntry.action, AuditEntry.actor)
                           .where(AuditEntry.object_id == str(case.id),
                                  AuditEntry.action.in_(_AUDIT_LOG_ACTIONS))).all()
    entries += [LogEntry(_local_date(at), f"{labels.audit_action(action)} ({staff.get(actor, actor)})")
                for at, action, actor in audit_rows]
    return sorted(entries, key=lambda e: e.on, reverse=True)


def _local_date(at: datetime) -> date:
    return at.astimezone().date()

