"""Retention and data-subject rights: deletion after the retention period, erasure on request, restriction
(Art. 18 GDPR). The data report for one person (Art. 15 GDPR / § 19 DSG-EKD) is ``data_report.py``."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.errors import InvalidInput, NotFound
from whh_desktop.core.services import site_settings
from whh_desktop.core.services.access import require_case_worker
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.base import Base, SyncMixin
from whh_desktop.core.store.changes import tombstone
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Case,
    Contact,
    Document,
    DocumentContent,
    Person,
)

DEFAULT_RETENTION_YEARS = 3  # after the end of the closing year (DOMAIN.md); the site setting decides
def case_child_models() -> list[type[Any]]:
    """Every synced table that belongs to a case (has ``case_id``): erasure and the data report cover each table a
    later issue adds without being told about it."""
    children = [m.class_ for m in Base.registry.mappers
                if issubclass(m.class_, SyncMixin) and "case_id" in m.columns and m.class_ is not Case]
    return sorted(children, key=lambda c: c.__tablename__)


def years_text(years: int) -> str:
    """»1 Jahr«, »3 Jahre«."""
    return plural(years, "Jahr", "Jahre")


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
                     years: int | None = None) -> list[DueForDeletion]:
    """Closed cases past the retention period (``years``, by default the site setting »Aufbewahrungsfrist«)."""
    today = today or date.today()
    years = site_settings.retention_years(session) if years is None else years
    latest_closing = date(today.year - years - 1, 12, 31)
    stmt = (select(Case.id, Case.case_number, Case.closed_on)
            .where(Case.status == "closed", Case.deleted_at.is_(None), Case.erased_on.is_(None),
                   Case.closed_on <= latest_closing)
            .order_by(Case.closed_on))
    return [DueForDeletion(i, n, c, retention_end(c, years)) for i, n, c in session.execute(stmt)
            if c is not None]  # always: the query asks for closed cases


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
            raise NotFound("Diesen Fall gibt es nicht.")
        require_case_worker(user)
        case.restricted = restricted
        audit.append(s, user.username, "case_restricted" if restricted else "case_unrestricted",
                     object_type="case", object_id=str(case_id))


@dataclass(frozen=True)
class DeletionList:
    """Datenschutz → Löschfristen: the site's retention period and the closed cases past it."""

    years: int
    items: tuple[DueForDeletion, ...]


def deletion_list(store: Store, user: CurrentUser, today: date | None = None) -> DeletionList:
    with store.read_session() as s:
        years = site_settings.retention_years(s)
        return DeletionList(years, tuple(due_for_deletion(s, today or date.today(), years)))
