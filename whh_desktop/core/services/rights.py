"""Retention and data-subject rights: deletion after the retention period, erasure on request, restriction
(Art. 18 GDPR), and the data report for one person (Art. 15 GDPR / § 19 DSG-EKD)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.enums import Category, ContactKind, Outcome, ReferralTarget, Relation
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services.access import require_case_worker
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.base import Base, SyncMixin
from whh_desktop.core.store.changes import tombstone
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Case,
    CategoryEntry,
    Consent,
    Contact,
    Document,
    DocumentContent,
    HouseholdMember,
    Person,
    Referral,
)

DEFAULT_RETENTION_YEARS = 3  # after the end of the closing year (DOMAIN.md, configurable)
def case_child_models() -> list[type]:
    """Every synced table that belongs to a case (has ``case_id``): erasure and the data report cover each table a
    later issue adds without being told about it."""
    children = [m.class_ for m in Base.registry.mappers
                if issubclass(m.class_, SyncMixin) and "case_id" in m.columns and m.class_ is not Case]
    return sorted(children, key=lambda c: c.__tablename__)


# What the Art. 15 report calls the rows of tables it has no own section for.
OTHER_LABELS = {"help_plan_goals": "Hilfeplan: Ziel", "help_plan_services": "Hilfeplan: beteiligte Stelle",
                "help_plan_conferences": "Hilfeplan: Konferenz", "suchthilfe_stages": "Suchthilfe: Abschnitt",
                "applications": "Antrag", "application_objections": "Widerspruch",
                "eviction_proceedings": "Räumungsverfahren", "rent_due": "Mietkonto", "deadlines": "Frist",
                "incomes": "Einkommen", "housing_searches": "Wohnungssuche", "proposals": "Wohnungsvorschlag"}


def retention_end(closed_on: date, years: int = DEFAULT_RETENTION_YEARS) -> date:
    """Closed in 2026 with three years: deletable from 1 January 2030."""
    return date(closed_on.year + years + 1, 1, 1)


@dataclass(frozen=True)
class DueForDeletion:
    case_id: uuid.UUID
    case_number: str
    closed_on: date
    deletable_from: date


def due_for_deletion(session: Session, today: date | None = None,
                     years: int = DEFAULT_RETENTION_YEARS) -> list[DueForDeletion]:
    today = today or date.today()
    latest_closing = date(today.year - years - 1, 12, 31)
    stmt = (select(Case.id, Case.case_number, Case.closed_on)
            .where(Case.status == "closed", Case.deleted_at.is_(None), Case.erased_on.is_(None),
                   Case.closed_on <= latest_closing)
            .order_by(Case.closed_on))
    return [DueForDeletion(i, n, c, retention_end(c, years)) for i, n, c in session.execute(stmt)]


def erase_case(store: Store, user: CurrentUser, case_id: uuid.UUID, reason: str) -> None:
    """Erase personal data of a case and all under it; tombstones and the anonymous statistics stay
    (category history, dates, outcome, municipality, contact counts)."""
    if reason not in ("retention", "request"):
        raise ValueError(reason)
    require_case_worker(user)
    with store.session(user.username) as s:
        case = s.get(Case, case_id)
        if case is None or case.deleted_at is not None or case.erased_on is not None:
            raise InvalidInput("Dieser Fall ist bereits gelöscht.")
        if reason == "retention" and case.status != "closed":
            raise InvalidInput("Nur abgeschlossene Fälle werden nach Ablauf der Aufbewahrungsfrist gelöscht.")
        for model in case_child_models():
            for row in s.execute(select(model).where(model.case_id == case_id, model.deleted_at.is_(None))).scalars():
                if model is Contact:  # keep the contact as a statistical fact (date, kind, Bausteine)
                    row.note = row.next_step = None
                    continue
                if model is Document:
                    content = s.get(DocumentContent, row.id)
                    if content is not None:
                        s.delete(content)
                tombstone(row)
        person = s.get(Person, case.person_id)
        others = s.execute(select(Case.id).where(Case.person_id == case.person_id, Case.id != case_id,
                                                 Case.deleted_at.is_(None))).first()
        if person is not None and person.deleted_at is None and others is None:
            tombstone(person)
        for name in case.__personal_fields__:
            setattr(case, name, None)
        case.restricted = False
        case.erased_on = date.today()
        audit.append(s, user.username, "case_erased", object_type="case", object_id=str(case_id), detail=reason)


def erase_due(store: Store, user: CurrentUser, case_ids: list[uuid.UUID],
              progress: Callable[[int, int], object] = lambda done, total: None,
              cancelled: Callable[[], bool] = lambda: False) -> int:
    """Erase closed cases past retention one by one (each its own transaction, so a cancel or a crash keeps
    what is done); returns how many were erased."""
    erased = 0
    for index, case_id in enumerate(case_ids):
        if cancelled():
            break
        erase_case(store, user, case_id, "retention")
        erased += 1
        progress(index + 1, len(case_ids))
    return erased


def set_restricted(store: Store, user: CurrentUser, case_id: uuid.UUID, restricted: bool) -> None:
    with store.session(user.username) as s:
        case = s.get(Case, case_id)
        if case is None:
            raise InvalidInput("Diesen Fall gibt es nicht.")
        require_case_worker(user)
        case.restricted = restricted
        audit.append(s, user.username, "case_restricted" if restricted else "case_unrestricted",
                     object_type="case", object_id=str(case_id))


@dataclass(frozen=True)
class ReportSection:
    title: str
    rows: list[tuple[str, str]]


def data_report(store: Store, user: CurrentUser, person_id: uuid.UUID) -> list[ReportSection]:
    """Everything stored about one person, in German, for printing (Art. 15 GDPR / § 19 DSG-EKD)."""
    require_case_worker(user)
    with store.session(user.username) as s:
        person = s.get(Person, person_id)
        if person is None or person.deleted_at is not None:
            raise InvalidInput("Zu dieser Person sind keine Daten (mehr) gespeichert.")
        d = _d
        sections = [ReportSection("Stammdaten", [
            ("Name", f"{person.given_names} {person.family_name}".strip()), ("Geburtsdatum", d(person.birth_date)),
            ("Geschlecht", person.sex), ("Staatsangehörigkeit", person.nationality or ""),
            ("Sprache", person.language or ""), ("Dolmetscher nötig", "ja" if person.interpreter_needed else "nein"),
            ("Telefon", person.phone or ""), ("E-Mail", person.email or ""),
            ("Anschrift", " ".join(x for x in (person.street, person.plz, person.city) if x)),
            ("Kommune", person.municipality or ""), ("Gespeichert seit", d(person.created_at.date()))])]
        for case in s.execute(select(Case).where(Case.person_id == person_id, Case.deleted_at.is_(None))).scalars():
            rows = [("Aktenzeichen", case.case_number), ("Aufgenommen am", d(case.opened_on)),
                    ("Status", case.status), ("Abgeschlossen am", d(case.closed_on)),
                    ("Ergebnis", Outcome(case.outcome).label if case.outcome else ""),
                    ("Wohnsituation", case.housing_note or ""), ("Vermieter", case.landlord_name or ""),
                    ("Mietschulden (Cent)", str(case.arrears or ""))]
            for c in s.execute(select(CategoryEntry).where(CategoryEntry.case_id == case.id)).scalars():
                rows.append(("Kategorie", f"{Category(c.category).label} seit {d(c.since)}"))
            for m in s.execute(select(HouseholdMember).where(HouseholdMember.case_id == case.id,
                                                             HouseholdMember.deleted_at.is_(None))).scalars():
                rows.append(("Haushalt", f"{Relation(m.relation).label}: {m.given_names or ''} "
                                         f"{m.family_name or ''} {d(m.birth_date)}".strip()))
            for c in s.execute(select(Contact).where(Contact.case_id == case.id,
                                                     Contact.deleted_at.is_(None))).scalars():
                rows.append(("Kontakt", f"{d(c.on)} {ContactKind(c.kind).label}: {c.note or ''}"))
            for r in s.execute(select(Referral).where(Referral.case_id == case.id,
                                                      Referral.deleted_at.is_(None))).scalars():
                rows.append(("Vermittlung", f"{d(r.on)} {ReferralTarget(r.target).label} ({r.status})"))
            for c in s.execute(select(Consent).where(Consent.case_id == case.id)).scalars():
                rows.append(("Einwilligung", f"vom {d(c.signed_on)} für {', '.join(c.recipients)}"
                                             + (f", widerrufen am {d(c.revoked_on)}" if c.revoked_on else "")))
            for doc in s.execute(select(Document).where(Document.case_id == case.id,
                                                        Document.deleted_at.is_(None))).scalars():
                rows.append(("Dokument", f"{doc.title} ({d(doc.created_at.date())})"))
            for model in case_child_models():
                if model in OWN_SECTIONS:
                    continue
                label = OTHER_LABELS.get(model.__tablename__, model.__tablename__)
                for row in s.execute(select(model).where(model.case_id == case.id,
                                                         model.deleted_at.is_(None))).scalars():
                    rows.append((label, _describe(row)))
            sections.append(ReportSection(f"Fall {case.case_number}", rows))
        audit.append(s, user.username, "data_report_printed", object_type="person", object_id=str(person_id))
        return sections


OWN_SECTIONS = {CategoryEntry, HouseholdMember, Contact, Referral, Consent, Document}
_SKIPPED = {"id", "case_id", "origin_site", "owner_site", "created_at", "updated_at", "updated_by", "version",
            "deleted_at"}


def _describe(row: object) -> str:
    """The stored values of a row in one line (dates German, empty ones left out), for the data report."""
    parts = []
    for column in row.__table__.columns:  # type: ignore[attr-defined]
        value = getattr(row, column.key)
        if column.key in _SKIPPED or column.key.endswith("_id") or value in (None, "", [], {}):
            continue
        if isinstance(value, date):
            value = _d(value)
        elif isinstance(value, bool):
            value = "ja" if value else "nein"
        parts.append(f"{column.key}: {value}")
    return "; ".join(parts)


def _d(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""
