"""Requests of the sites about the district's registry, and the district's decisions (DESIGN.md §10).

A site writes ``RegistryRequest`` rows (new landlord, new offer, offer reserved / let / free again); they reach the
district with the site's bundle. District staff list the open ones (``pending``) and accept or reject each; the
decision is a district row of its own that travels back, so the site sees what became of its request.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.housing import OfferStatus, RequestDecision, RequestKind
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import landlords, offers
from whh_desktop.core.services.kdu_tables import require_district_staff
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import FlatOffer, RegistryDecision, RegistryRequest
from whh_desktop.core.store.rows import get_live


@dataclass(frozen=True)
class RequestRow:
    id: uuid.UUID
    kind: str
    site: str
    requested_on: date
    target_id: uuid.UUID | None
    payload: dict[str, Any]
    note: str
    decision: str | None = None
    decision_reason: str | None = None
    result_id: uuid.UUID | None = None
    target_label: str = ""  # the address of the offer a status request is about

    @property
    def kind_label(self) -> str:
        return RequestKind(self.kind).label

    @property
    def summary(self) -> str:
        p = self.payload
        if self.kind == RequestKind.LANDLORD_NEW.value:
            return f"{p.get('name', '')} ({p.get('city') or 'ohne Ort'})"
        if self.kind == RequestKind.OFFER_NEW.value:
            return f"{p.get('street', '')}, {p.get('municipality', '')}"
        return f"{self.kind_label}: {self.target_label}" if self.target_label else self.kind_label


def requests(session: Session, only_pending: bool = True) -> list[RequestRow]:
    """Requests with their decision (if any), oldest first."""
    decisions = {d.request_id: d for d in session.execute(select(RegistryDecision).where(
        RegistryDecision.deleted_at.is_(None))).scalars()}
    requests = session.execute(select(RegistryRequest).where(RegistryRequest.deleted_at.is_(None))
                               .order_by(RegistryRequest.requested_on, RegistryRequest.created_at)).scalars()
    rows = [r for r in requests if not (only_pending and r.id in decisions)]
    targets = {r.target_id for r in rows if r.target_id is not None}
    labels = {i: f"{street}, {muni}" for i, street, muni in session.execute(
        select(FlatOffer.id, FlatOffer.street, FlatOffer.municipality).where(FlatOffer.id.in_(targets)))} \
        if targets else {}
    out = []
    for r in rows:
        d = decisions.get(r.id)
        out.append(RequestRow(r.id, r.kind, r.origin_site, r.requested_on, r.target_id, dict(r.payload or {}),
                              r.note or "", d.decision if d else None, d.reason if d else None,
                              d.result_id if d else None, labels.get(r.target_id, "") if r.target_id else ""))
    return out


def pending(session: Session) -> list[RequestRow]:
    return requests(session, only_pending=True)


def _open_request(session: Session, request_id: uuid.UUID) -> RegistryRequest:
    request = get_live(session, RegistryRequest, request_id, "Diese Anfrage", gone="gibt es nicht")
    if session.execute(select(RegistryDecision.id).where(RegistryDecision.request_id == request_id)).first():
        raise InvalidInput("Über diese Anfrage wurde bereits entschieden.")
    return request


def accept(store: Store, user: CurrentUser, request_id: uuid.UUID,
           landlord: landlords.LandlordData | None = None, offer: offers.OfferData | None = None) -> uuid.UUID | None:
    """Apply a site's request to the registry. For a new landlord or offer, the district may pass corrected data
    (``landlord`` / ``offer``); otherwise the site's data is taken. Returns the registry row created or changed."""
    require_district_staff(store, user, "Das Vermieterregister")
    with store.session(user.username) as s:
        request = _open_request(s, request_id)
        kind = RequestKind(request.kind)
        result: uuid.UUID | None
        if kind is RequestKind.LANDLORD_NEW:
            data = landlord or landlords.LandlordData.from_payload(request.payload or {})
            result = landlords.create_in(s, data).id
        elif kind is RequestKind.OFFER_NEW:
            data_offer = offer or offers.OfferData.from_payload(request.payload or {})
            result = offers.create_in(s, data_offer).id
        else:
            if request.target_id is None:
                raise InvalidInput("Die Anfrage nennt kein Wohnungsangebot.")
            row = offers.get_offer(s, request.target_id)
            status = OfferStatus((request.payload or {}).get("status", ""))
            if row.status in (OfferStatus.VERGEBEN.value, OfferStatus.ZURUECKGEZOGEN.value) and \
                    status is not OfferStatus.FREI:
                raise InvalidInput(f"Die Wohnung ist bereits {OfferStatus(row.status).label}. Bitte die Anfrage "
                                   "mit einem Grund ablehnen und mit der Beratungsstelle klären.")
            row.status = status.value
            result = row.id
        s.add(RegistryDecision(request_id=request.id, decision=RequestDecision.ANGENOMMEN.value, result_id=result,
                               decided_on=date.today()))
        audit.append(s, user.username, "registry_request_accepted", object_type="registry_request",
                     object_id=str(request.id), detail=kind.value)
        return result


def reject(store: Store, user: CurrentUser, request_id: uuid.UUID, reason: str) -> None:
    """Decline a request, with a reason the site will see."""
    require_district_staff(store, user, "Das Vermieterregister")
    if not reason.strip():
        raise InvalidInput("Bitte einen Grund angeben; die Beratungsstelle sieht ihn.", "reason")
    with store.session(user.username) as s:
        request = _open_request(s, request_id)
        s.add(RegistryDecision(request_id=request.id, decision=RequestDecision.ABGELEHNT.value,
                               reason=reason.strip(), decided_on=date.today()))
        audit.append(s, user.username, "registry_request_rejected", object_type="registry_request",
                     object_id=str(request.id))
