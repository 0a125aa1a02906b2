"""Hash-chained, append-only audit log. Entries name actions and object ids, never personal content."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.models.journal import AuditEntry

GENESIS = "0" * 64

# German labels of the actions live with all other labels; kept here under the old name for callers.
ACTION_LABELS = labels.AUDIT_ACTIONS


def _digest(prev: str, at: datetime, actor: str, action: str, object_type: str | None,
            object_id: str | None, detail: str | None) -> str:
    payload = json.dumps([prev, at.isoformat(), actor, action, object_type, object_id, detail],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(session: Session, actor: str, action: str, *, object_type: str | None = None,
           object_id: str | None = None, detail: str | None = None, at: datetime | None = None) -> AuditEntry:
    # Entries are hashed with second precision so the value read back from SQLite hashes the same.
    at = (at or utcnow()).replace(microsecond=0)
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
    prev = last or GENESIS
    entry = AuditEntry(at=at, actor=actor, action=action, object_type=object_type, object_id=object_id,
                       detail=detail, prev_hash=prev,
                       hash=_digest(prev, at, actor, action, object_type, object_id, detail))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    first_bad_seq: int | None = None

    @property
    def message(self) -> str:
        if self.ok:
            return f"Protokoll unverändert ({plural(self.entries, 'Eintrag', 'Einträge')})."
        return f"Protokoll wurde verändert: Eintrag {self.first_bad_seq} passt nicht zur Kette."


def verify_chain(session: Session) -> ChainCheck:
    prev = GENESIS
    count = 0
    for e in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        count += 1
        expected = _digest(prev, e.at, e.actor, e.action, e.object_type, e.object_id, e.detail)
        if e.prev_hash != prev or e.hash != expected:
            return ChainCheck(False, count, e.seq)
        prev = e.hash
    return ChainCheck(True, count)


def recent(session: Session, limit: int = 500) -> list[AuditEntry]:
    stmt = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
    return list(session.execute(stmt).scalars())
