"""Consents (Einwilligung / Schweigepflichtentbindung) and the gate before anything is shared."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.consent import SharingCheck, sharing_check
from whh_desktop.core.domain.consent import is_valid as is_valid  # the rule callers know as consent.is_valid
from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.errors import InvalidInput, NotFound
from whh_desktop.core.services.cases import get_for_change
from whh_desktop.core.services.casework import require_own
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Consent
from whh_desktop.core.sync import health_filter

DATA_CATEGORIES = labels.CONSENT_CATEGORIES  # the German names live in the one label table


@dataclass(frozen=True)
class ConsentData:
    recipients: list[str]
    purpose: str
    categories: list[str]
    health_data: bool
    signed_on: date
    valid_from: date
    valid_until: date | None = None
    recipient_note: str = ""


def validate(data: ConsentData) -> None:
    if not data.recipients:
        raise InvalidInput("Bitte mindestens eine empfangende Stelle ankreuzen.", "recipients")
    unknown = set(data.recipients) - {r.value for r in ConsentRecipient}
    if unknown:
        raise InvalidInput(f"Unbekannte Stelle: {', '.join(sorted(unknown))}.", "recipients")
    if not data.purpose.strip():
        raise InvalidInput("Bitte den Zweck der Einwilligung angeben.", "purpose")
    if not data.categories:
        raise InvalidInput("Bitte die Datenarten ankreuzen, die weitergegeben werden dürfen.", "categories")
    if "gesundheit" in data.categories and not data.health_data:
        raise InvalidInput("Gesundheitsdaten brauchen ein eigenes Häkchen (besondere Kategorie).", "health_data")
    if data.valid_until and data.valid_until < data.valid_from:
        raise InvalidInput("»Gültig bis« liegt vor »gültig ab«.", "valid_until")
    if data.signed_on > date.today():
        raise InvalidInput("Das Unterschriftsdatum liegt in der Zukunft.", "signed_on")


def record(store: Store, user: CurrentUser, case_id: uuid.UUID, data: ConsentData) -> uuid.UUID:
    validate(data)
    with store.session(user.username) as s:
        case = get_for_change(s, case_id, user)
        consent = Consent(case_id=case_id, person_id=case.person_id, recipients=sorted(set(data.recipients)),
                          recipient_note=data.recipient_note or None, purpose=data.purpose.strip(),
                          categories=sorted(set(data.categories)), health_data=data.health_data,
                          signed_on=data.signed_on, valid_from=data.valid_from, valid_until=data.valid_until)
        s.add(consent)
        s.flush()
        _resend_health_rows(s, consent)
        audit.append(s, user.username, "consent_recorded", object_type="case", object_id=str(case_id))
        return consent.id


def revoke(store: Store, user: CurrentUser, consent_id: uuid.UUID, on: date) -> None:
    with store.session(user.username) as s:
        consent = s.get(Consent, consent_id)
        if consent is None:
            raise NotFound("Diese Einwilligung gibt es nicht.")
        get_for_change(s, consent.case_id, user)
        if consent.revoked_on:
            raise InvalidInput(f"Die Einwilligung wurde bereits am {fmt_date(consent.revoked_on)} widerrufen.")
        if on < consent.signed_on:
            raise InvalidInput("Der Widerruf kann nicht vor der Unterschrift liegen.", "revoked_on")
        consent.revoked_on = on
        _resend_health_rows(s, consent)
        audit.append(s, user.username, "consent_revoked", object_type="case", object_id=str(consent.case_id))


def replace(store: Store, user: CurrentUser, consent_id: uuid.UUID, data: ConsentData,
            today: date | None = None) -> uuid.UUID:
    """A consent recorded wrongly is not rewritten: what was shared under it stays documented as it was. The
    corrected consent is recorded anew and the old one ends today (revoked, if it was not already)."""
    validate(data)
    today = today or date.today()
    with store.session(user.username) as s:
        old = s.get(Consent, consent_id)
        if old is None or old.deleted_at is not None:
            raise NotFound("Diese Einwilligung gibt es nicht.")
        case = get_for_change(s, old.case_id, user)
        require_own(s, old)
        new = Consent(case_id=case.id, person_id=case.person_id, recipients=sorted(set(data.recipients)),
                      recipient_note=data.recipient_note or None, purpose=data.purpose.strip(),
                      categories=sorted(set(data.categories)), health_data=data.health_data,
                      signed_on=data.signed_on, valid_from=data.valid_from, valid_until=data.valid_until)
        s.add(new)
        if old.revoked_on is None:
            old.revoked_on = max(today, old.signed_on)
        s.flush()
        _resend_health_rows(s, old)
        _resend_health_rows(s, new)
        audit.append(s, user.username, "consent_replaced", object_type="case", object_id=str(case.id))
        return new.id


def _resend_health_rows(session: Session, consent: Consent) -> None:
    """A Kreis consent with the health tick given or revoked changes what the district may hold of the case's health
    content: the rows go out again, with it or without it (``core/sync/health_filter.py``)."""
    if ConsentRecipient.KREIS.value not in (consent.recipients or []) or not consent.health_data:
        return
    health_filter.resend(health_filter.health_rows(session, [consent.case_id]))


def check_sharing(session: Session, case_id: uuid.UUID, recipient: ConsentRecipient, *, health: bool = False,
                  on: date | None = None) -> SharingCheck:
    """Before sending or exporting anything personal: is there a valid consent naming this recipient?"""
    on = on or date.today()
    consents = session.execute(select(Consent).where(Consent.case_id == case_id)).scalars().all()
    return sharing_check(consents, recipient, health=health, on=on)


def list_for_case(session: Session, case_id: uuid.UUID) -> list[Consent]:
    stmt = select(Consent).where(Consent.case_id == case_id, Consent.deleted_at.is_(None)).order_by(Consent.signed_on)
    return list(session.execute(stmt).scalars())
