"""THE read model of a case file: everything its tabs show, loaded in one go and masked for the user; opening a
case is audited. The parts are frozen views (``case_file_views``); the screen gets no ORM object."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import deadlines as rules
from whh_desktop.core.domain import labels
from whh_desktop.core.domain.enums import Category, ConsentRecipient, ContactKind, ReferralStatus, ReferralTarget
from whh_desktop.core.domain.legal_state import LegalState
from whh_desktop.core.services import (
    applications,
    casework,
    consent,
    courts,
    fristen,
    help_plans,
    housing_search,
    intake,
    legal_state,
    proposals,
    suchthilfe,
)
from whh_desktop.core.services.access import HIDDEN_NOTE, may_see_health, require_case_worker
from whh_desktop.core.services.case_file_views import (
    ApplicationRecord,
    ApplicationRow,
    CaseView,
    CategoryView,
    ConferenceView,
    ConsentView,
    DeadlineRecord,
    DocumentView,
    GoalView,
    HelpPlanView,
    HouseholdView,
    IncomeView,
    ObjectionRecord,
    ObjectionRow,
    PersonView,
    ProceedingView,
    ProposalView,
    RentView,
    SearchView,
    snap,
)
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.suchthilfe import StageView
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Account,
    AuditEntry,
    Case,
    CategoryEntry,
    Document,
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


# Deadlines due within this many days (or overdue) are repeated in red above the tabs.
WARN_DAYS = 7


@dataclass(frozen=True)
class CaseFile:
    """THE read model of one case file: every part a tab shows, masked for the user, plus what the user may do."""

    case: CaseView
    person: PersonView
    household: list[HouseholdView]
    incomes: list[IncomeView]
    categories: list[CategoryView]
    contacts: list[casework.ContactView]  # masked for the user (access.health_mask)
    proceedings: list[ProceedingView]
    referrals: list[casework.ReferralView]
    consents: list[ConsentView]
    deadlines: list[fristen.DueItem]
    documents: list[DocumentView]
    rent_entries: list[RentView]
    risk: rules.TerminationRisk | None
    log: list[LogEntry]
    health_visible: bool  # the user is the case's counsellor or a named substitute
    legal: LegalState | None = None  # the case's legal state today (the Überblick shows it)
    staff: dict[str, str] = field(default_factory=dict)  # user name -> display name
    read_only: bool = False  # another site's case: the district's merged view or a handed-over stub
    searches: list[SearchView] = field(default_factory=list)
    proposals: list[ProposalView] = field(default_factory=list)
    applications: list[ApplicationRow] = field(default_factory=list)
    help_plan: HelpPlanView | None = None
    suchthilfe: list[StageView] | None = None  # None: the user may not see the pathway at all
    court_proposal: tuple[str | None, str | None] = (None, None)  # (flat's municipality, Amtsgericht)
    tenancy: intake.Tenancy = field(default_factory=intake.Tenancy)  # flat and landlord typed at the intake
    sharing: dict[str, consent.SharingCheck] = field(default_factory=dict)  # ConsentRecipient value -> check
    urgent: list[fristen.DueItem] = field(default_factory=list)  # due within WARN_DAYS or overdue

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

    @property
    def editable(self) -> bool:
        """Things may be recorded: the case is this site's and its processing is not restricted (Art. 18)."""
        return not self.read_only and not self.case.restricted

    @property
    def active(self) -> bool:
        """Deadlines may be handled and the case closed: editable and not closed."""
        return self.editable and not self.case.closed

    @property
    def reopenable(self) -> bool:
        return self.editable and self.case.closed

    def warnings(self) -> list[str]:
        """The red lines above the tabs except the deadlines (``urgent``): termination risk, barred Schonfrist."""
        found = [self.risk.explanation] if self.risk and self.risk.at_risk else []
        if self.legal is not None and self.legal.schonfrist.barred:
            found.append(self.legal.schonfrist.not_applicable_reason or "")
        return found

    def referral_consent(self, target: str) -> tuple[bool, str]:
        """May data go to this referral target (by the consents read with the file), and the text that says so."""
        recipient = REFERRAL_RECIPIENTS.get(target)
        if recipient is None:
            return True, "Für diese Stelle wird keine Einwilligung geprüft; Daten nur mit Einverständnis weitergeben."
        check = self.sharing[recipient.value]
        return check.allowed, check.message

    def letters(self, letter_types: set[str] | None = None) -> list[DocumentView]:
        """The case's letters (optionally of some types), newest first: to link an application to its letter."""
        return [d for d in self.documents if d.kind == "letter" and (not letter_types or d.letter_type in letter_types)]


def open_case(store: Store, user: CurrentUser, case_id: uuid.UUID, today: date | None = None) -> CaseFile:
    require_case_worker(user)
    today = today or date.today()
    with store.session(user.username) as s:
        # an erased case (Art. 17 DSGVO) keeps only statistics: no case file to show, as in letters and the legal state
        case = get_live(s, Case, case_id, "Diesen Fall", where=lambda c: c.erased_on is None)
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
        legal = legal_state.state_of(s, case, today)
        staff = dict(s.execute(select(Account.username, Account.display_name)).all())
        case_file = CaseFile(
            case=snap(CaseView, case), person=snap(PersonView, person),
            household=[snap(HouseholdView, m) for m in live(HouseholdMember)],
            incomes=[snap(IncomeView, i) for i in live(Income)],
            categories=[snap(CategoryView, c) for c in categories], contacts=contacts,
            proceedings=[snap(ProceedingView, p) for p in casework.proceedings(s, case_id)], referrals=referrals,
            consents=[snap(ConsentView, c, valid_today=consent.is_valid(c, today)) for c in consents],
            deadlines=deadlines, documents=[snap(DocumentView, d) for d in documents], risk=legal.termination_risk,
            rent_entries=[snap(RentView, r) for r in sorted(live(RentDueEntry), key=lambda r: r.due_on,
                                                            reverse=True)],
            log=_log(s, case, categories, contacts, referrals, consents, documents, staff), health_visible=health,
            staff=staff, legal=legal, read_only=case.owner_site != store.info.site_code,
            searches=[snap(SearchView, x) for x in housing_search.searches_of_case(s, case_id)],
            proposals=proposal_views(s, case_id), applications=application_rows(s, case_id, today),
            help_plan=_help_plan(s, user, case_id, today),
            suchthilfe=suchthilfe.stages(s, user, case_id) if suchthilfe.may_see(user, case) else None,
            court_proposal=courts.propose_court_for_case(s, case_id),
            tenancy=intake.tenancy_of(s, case),
            sharing={r.value: consent.check_sharing(s, case_id, r, health=r in HEALTH_RECIPIENTS, on=today)
                     for r in ConsentRecipient},
            urgent=[d for d in deadlines if (d.due_on - today).days <= WARN_DAYS])
        audit.append(s, user.username, "case_opened", object_type="case", object_id=str(case_id))
        return case_file


# Recipients that receive health data with a referral (SpDi, Suchthilfe): their consent needs the health tick.
HEALTH_RECIPIENTS = (ConsentRecipient.SPDI, ConsentRecipient.SUCHTHILFE)
# The consent recipient a referral shares data with; other targets are not checked.
REFERRAL_RECIPIENTS = {ReferralTarget.SPDI.value: ConsentRecipient.SPDI,
                       ReferralTarget.SUCHTHILFE.value: ConsentRecipient.SUCHTHILFE,
                       ReferralTarget.JOBCENTER.value: ConsentRecipient.JOBCENTER}


def proposal_views(session: Session, case_id: uuid.UUID) -> list[ProposalView]:
    return [snap(ProposalView, p) for p in proposals.proposals_of_case(session, case_id)]


def case_proposals(store: Store, user: CurrentUser, case_id: uuid.UUID) -> list[ProposalView]:
    """The proposals of one case (Wohnungsvorschläge) for a panel outside the case file."""
    require_case_worker(user)
    with store.read_session() as s:
        return proposal_views(s, case_id)


def application_rows(session: Session, case_id: uuid.UUID, today: date | None = None) -> list[ApplicationRow]:
    rows = []
    for v in applications.application_views(session, case_id, today):
        d = v.deadline
        rows.append(ApplicationRow(
            snap(ApplicationRecord, v.application), v.kind_label, v.status, v.reminder_due, v.reminder_offered,
            v.inaction, DeadlineRecord(d.effective_due, d.rule, d.done_on) if d is not None else None,
            tuple(ObjectionRow(snap(ObjectionRecord, o.objection), o.inaction) for o in v.objections),
            v.untaetigkeitsklage))
    return rows


def case_applications(store: Store, user: CurrentUser, case_id: uuid.UUID,
                      today: date | None = None) -> list[ApplicationRow]:
    """The »Anträge« of one case on its own (the tab outside a case file)."""
    require_case_worker(user)
    with store.read_session() as s:
        return application_rows(s, case_id, today)


def _help_plan(s: Session, user: CurrentUser, case_id: uuid.UUID, today: date) -> HelpPlanView:
    return HelpPlanView(
        tuple(snap(GoalView, g) for g in help_plans.goals(s, case_id)),
        tuple(help_plans.services(s, user, case_id)),
        tuple(snap(ConferenceView, c, participants=tuple(c.participants or ()))
              for c in help_plans.conferences(s, case_id)),
        {k.value: help_plans.check_service_consent(s, case_id, k, today) for k in help_plans.ServiceKind})


def document_content(store: Store, user: CurrentUser, document_id: uuid.UUID) -> bytes:
    """The stored bytes of one document of a case file (to save it elsewhere)."""
    require_case_worker(user)
    with store.read_session() as s:
        return casework.document_bytes(s, document_id)


# The audit actions the case log shows (labels from the one label table).
_AUDIT_LOG_ACTIONS = ("case_created", "case_closed", "case_reopened", "eviction_saved", "deadline_overridden",
                      "case_restricted", "case_unrestricted", "consent_revoked", "letter_printed", "contact_changed",
                      "referral_changed", "consent_replaced")


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

