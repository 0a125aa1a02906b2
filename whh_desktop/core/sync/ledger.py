"""The ledger of imported bundles: replay protection, per-site sequences and gaps, import history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import WhhError
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.models import ExportState, ImportedBundle
from whh_desktop.core.sync import payload as pl


class ImportRefused(WhhError):
    """A bundle refused after it was opened (already imported, replay, wrong direction, invalid content)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def site_label(site: str) -> str:
    try:
        return SiteCode(site).label
    except ValueError:
        return site


def check_new(session: Session, *, bundle_id: str, kind: str, sender_site: str, sender_store_id: str, epoch: int,
              sequence: int) -> None:
    """Refuse a bundle imported before, or another bundle claiming the same sender, epoch and sequence."""
    if session.execute(select(ImportedBundle.id).where(ImportedBundle.bundle_id == bundle_id)).first():
        raise ImportRefused(f"Diese Exportdatei ({site_label(sender_site)}, Export {sequence}) wurde bereits "
                            "eingelesen.", "already_imported")
    same = session.execute(select(ImportedBundle.bundle_id).where(
        ImportedBundle.kind == kind, ImportedBundle.sender_site == sender_site,
        ImportedBundle.sender_store_id == sender_store_id, ImportedBundle.epoch == epoch,
        ImportedBundle.sequence == sequence)).first()
    if same:
        raise ImportRefused(f"Export {sequence} von {site_label(sender_site)} wurde bereits mit einer anderen Datei "
                            "eingelesen. Diese Datei ist eine Wiederholung und wird nicht übernommen.", "replay")


def record(session: Session, *, bundle_id: str, kind: str, sender_site: str, sender_store_id: str, epoch: int,
           sequence: int, full: bool, created_at: str | None, actor: str, counts: dict[str, int],
           skipped: list[dict[str, str]]) -> None:
    created = None
    if created_at:
        try:
            created = datetime.fromisoformat(created_at)
        except ValueError:
            created = None
    session.add(ImportedBundle(bundle_id=bundle_id, kind=kind, sender_site=sender_site,
                               sender_store_id=sender_store_id, epoch=epoch, sequence=sequence, full=full,
                               created_at=created, imported_at=utcnow(), imported_by=actor, counts=counts,
                               skipped=skipped))
    session.flush()


@dataclass(frozen=True)
class SiteStatus:
    site: str
    label: str
    last_bundle_at: datetime | None
    last_sequence: int | None
    epoch: int | None
    imported: int
    missing: list[int]
    messages: list[str]


def site_status(session: Session) -> list[SiteStatus]:
    """Per sending site: the last bundle, its sequence and the gaps ("Export 41 von Bünde fehlt") in its latest
    epoch (a restore starts a new epoch with a full export, so older gaps no longer matter)."""
    rows = session.execute(select(ImportedBundle.sender_site, ImportedBundle.epoch, ImportedBundle.sequence,
                                  ImportedBundle.imported_at)).all()
    by_site: dict[str, list[Any]] = {}
    for r in rows:
        by_site.setdefault(r.sender_site, []).append(r)
    out = []
    for site in sorted(by_site, key=site_label):
        entries = by_site[site]
        epoch = max(e.epoch for e in entries)
        seqs = sorted({e.sequence for e in entries if e.epoch == epoch})
        missing = [n for n in range(1, seqs[-1]) if n not in set(seqs)]
        label = site_label(site)
        messages = [f"Export {n} von {label} fehlt" for n in missing]
        out.append(SiteStatus(site, label, max(e.imported_at for e in entries), seqs[-1], epoch, len(entries),
                              missing, messages))
    return out


@dataclass(frozen=True)
class HistoryRow:
    imported_at: datetime
    sender_site: str
    label: str
    sequence: int
    epoch: int
    full: bool
    imported_by: str
    counts: dict[str, int]
    skipped: int


def import_history(session: Session, limit: int = 500) -> list[HistoryRow]:
    rows = session.execute(select(ImportedBundle).order_by(ImportedBundle.id.desc()).limit(limit)).scalars()
    return [HistoryRow(r.imported_at, r.sender_site, site_label(r.sender_site), r.sequence, r.epoch, r.full,
                       r.imported_by, dict(r.counts or {}), len(r.skipped or [])) for r in rows]


@dataclass(frozen=True)
class DistrictAck:
    sequence: int | None
    epoch: int | None
    at: datetime | None
    last_export: int | None

    @property
    def message(self) -> str:
        if self.sequence is None:
            return "Vom Kreis liegt noch keine Bestätigung vor."
        return f"Kreis hat Stand bis Export {self.sequence}"


def district_ack(session: Session) -> DistrictAck:
    """At a site: what the district confirmed it has received."""
    state = session.get(ExportState, pl.DISTRICT)
    if state is None:
        return DistrictAck(None, None, None, None)
    return DistrictAck(state.acked_sequence, state.acked_epoch, state.acked_at, state.last_sequence or None)
