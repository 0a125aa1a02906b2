"""A site's request about the district's registry: one ``RegistryRequest`` row that reaches the district with the
site's next bundle, and one audit entry. How the district decides is in ``registry.py``."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from whh_desktop.core.domain.housing import RequestKind
from whh_desktop.core.store import audit
from whh_desktop.core.store.models import RegistryRequest


def submit(session: Session, username: str, kind: RequestKind, payload: dict[str, Any], note: str,
           action: str) -> uuid.UUID:
    """Record the proposal ``payload`` (a new landlord, a new offer) with the site's ``note``; ``action`` names
    the audit entry."""
    request = RegistryRequest(kind=kind.value, payload=payload, note=note.strip() or None, requested_on=date.today())
    session.add(request)
    session.flush()
    audit.append(session, username, action, object_type="registry_request", object_id=str(request.id))
    return request.id
