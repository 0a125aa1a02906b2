"""The audit log as the UI sees it: the latest entries with the chain check, and the session events of a window.

Only these functions open a session for the log on behalf of the UI (Verwaltung → Protokoll, lock/unlock/logout
of the main window); the entries come back as frozen rows, never as ORM objects.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from whh_desktop.core.services import staff
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.audit import ChainCheck
from whh_desktop.core.store.engine import Store

log = logging.getLogger("whh_desktop.audit")

SESSION_EVENTS = ("lock", "unlock", "logout")


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    action: str
    object_type: str | None
    detail: str | None
    actor_name: str = ""  # the person's display name; the log keeps the login as the identifier


@dataclass(frozen=True)
class AuditLog:
    """The newest entries first, and whether the hash chain over the whole log is intact."""

    entries: tuple[AuditRow, ...]
    check: ChainCheck


def latest(store: Store, user: CurrentUser, limit: int = 500) -> AuditLog:
    with store.read_session() as s:
        who = staff.names(s)
        entries = tuple(AuditRow(e.at, e.actor, e.action, e.object_type, e.detail, who.get(e.actor, ""))
                        for e in audit.recent(s, limit))
        return AuditLog(entries, audit.verify_chain(s))


def record_session_event(store: Store, user: CurrentUser, action: str) -> None:
    """Lock, unlock, logout: the window's own doing must never fail because of the log, so a failure is logged
    (without personal data) and swallowed."""
    if action not in SESSION_EVENTS:
        raise ValueError(f"not a session event: {action}")
    try:
        with store.session(user.username) as s:
            audit.append(s, user.username, action)
    except Exception:
        log.exception("audit entry %s failed", action)
