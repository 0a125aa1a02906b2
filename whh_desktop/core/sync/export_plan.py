"""An export's plan: the payload plus what to record once the bundle file is written (``commit_export``), so a
failed write exports the same changes again next time."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from whh_desktop.core.store import bulk_sql
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.models import ExportState, Handover
from whh_desktop.core.sync import payload as pl


@dataclass
class ExportPlan:
    """The payload plus what to record once the bundle file is written."""

    target: str
    payload: dict[str, Any]
    counts: dict[str, int]
    sequence: int
    epoch: int
    full: bool
    change_seq: int
    share: dict[str, bool] = field(default_factory=dict)      # case hex → identified
    handovers: list[tuple[str, str]] = field(default_factory=list)  # (case id, what was sent) of handovers


def encode_rows(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[dict[str, Any]]]:
    """Storage rows per entity → wire dicts, in the given entity order; empty entities left out."""
    out = {}
    for entity, raw in rows.items():
        if raw:
            enc = pl.row_encoder(entity)
            out[entity] = [enc(r) for r in raw]
    return out


def commit_export(session: Session, plan: ExportPlan) -> None:
    """Record what went out (after the file was written), in a write transaction."""
    state = session.get(ExportState, plan.target)
    if state is None:
        state = ExportState(target=plan.target, epoch=plan.epoch, last_sequence=0, last_change_seq=0)
        session.add(state)
    now = utcnow()
    state.epoch, state.last_sequence, state.last_change_seq = plan.epoch, plan.sequence, plan.change_seq
    state.last_export_at = now
    if plan.full:
        state.last_full_at = now
    if plan.share:
        conn = session.connection()
        stamp = now.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        bulk_sql.replace_rows(conn, "sync_case_share", ("case_id", "identified", "exported_at"),
                              [(c, int(i), stamp) for c, i in plan.share.items()])
    for case_id, sent in plan.handovers:
        h = session.get(Handover, uuid.UUID(case_id))
        if h is not None:
            h.state = next_handover_state(h.state, sent)
    session.flush()


def next_handover_state(current: str, sent: str) -> str:
    """A handover the district has sent both ways is ``forwarded``; ``forwarded`` stays."""
    if sent in ("in_sent", "out_sent") and current in ("in_sent", "out_sent") and current != sent:
        return "forwarded"
    return sent if current not in ("forwarded",) else current
