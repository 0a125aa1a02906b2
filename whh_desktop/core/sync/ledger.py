"""The ledger of imported bundles: replay protection, per-site sequences and gaps, import history."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import WhhError
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.models import AuditEntry, ExportState, ImportedBundle

# A bundle's sequence may run ahead of the next expected one by at most this much. Exports are numbered one by one
# and a site writes a few a day, so 10 000 missing files would be decades of lost media; a number beyond that can
# only be a fault or an attack, and accepting it would open a gap nobody can ever fill.
SEQUENCE_WINDOW = 10_000
# The first bundle of a sender may name an epoch up to this (a store restored before its first exchange); after
# that each bundle at most one epoch above the highest seen (one restore or new laptop at a time).
FIRST_EPOCH_MAX = 100
MAX_GAPS_SHOWN = 5
REFUSED_ACTION = "sync_import_refused"


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
    # The bounds first: they compare in Python, so a sequence beyond the column's range (PostgreSQL's integer is
    # 32 bits) is refused with its message before any query binds it.
    _check_bounds(session, kind=kind, sender_site=sender_site, epoch=epoch, sequence=sequence)
    same = session.execute(select(ImportedBundle.bundle_id).where(
        ImportedBundle.kind == kind, ImportedBundle.sender_site == sender_site,
        ImportedBundle.sender_store_id == sender_store_id, ImportedBundle.epoch == epoch,
        ImportedBundle.sequence == sequence)).first()
    if same:
        raise ImportRefused(f"Export {sequence} von {site_label(sender_site)} wurde bereits mit einer anderen Datei "
                            "eingelesen. Diese Datei ist eine Wiederholung und wird nicht übernommen.", "replay")


def _check_bounds(session: Session, *, kind: str, sender_site: str, epoch: int, sequence: int) -> None:
    """The epoch at most one above the highest seen from this sender, the sequence within ``SEQUENCE_WINDOW`` of
    the next expected one in that epoch (a gap below it stays fillable)."""
    label = site_label(sender_site)
    mine = (ImportedBundle.kind == kind, ImportedBundle.sender_site == sender_site)
    current = session.execute(select(func.max(ImportedBundle.epoch)).where(*mine)).scalar()
    limit = FIRST_EPOCH_MAX if current is None or current < 1 else current + 1
    if not 1 <= epoch <= limit:
        raise ImportRefused(f"Die Exportdatei von {label} nennt die Epoche {epoch}, erwartet ist höchstens {limit}. "
                            "Sie wird nicht übernommen; bitte beim Absender nachfragen.", "epoch_window")
    last = session.execute(select(func.max(ImportedBundle.sequence)).where(
        *mine, ImportedBundle.epoch == epoch)).scalar()
    expected = 1 if last is None or last < 1 else last + 1
    if not 1 <= sequence <= expected + SEQUENCE_WINDOW:
        raise ImportRefused(f"Export {sequence} von {label} liegt außerhalb der erwarteten Nummern (nächster Export: "
                            f"{expected}, höchstens {SEQUENCE_WINDOW} darüber). Die Datei wird nicht übernommen; "
                            "bitte beim Absender nachfragen.", "sequence_window")


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
    missing: list[tuple[int, int]]  # the first MAX_GAPS_SHOWN gaps as (first, last) missing number
    messages: list[str]
    missing_count: int = 0          # all missing numbers in the latest epoch
    gaps: int = 0                   # all gaps

    @property
    def gap_text(self) -> str:
        """``2–8999, 12`` (and how many more), for one line of the Systemcheck."""
        parts = [str(a) if a == b else f"{a}–{b}" for a, b in self.missing]
        if self.gaps > len(self.missing):
            parts.append(f"und {plural(self.gaps - len(self.missing), 'weitere Lücke', 'weitere Lücken')}")
        return ", ".join(parts) + (f" ({self.missing_count} Exporte)" if self.missing_count > 1 else "")


def gaps_of(sequences: list[int]) -> tuple[list[tuple[int, int]], int, int]:
    """The gaps below the highest number as intervals (never a range of numbers: a ledger entry may claim 2^63),
    the first ``MAX_GAPS_SHOWN`` of them, the count of missing numbers and of gaps."""
    shown: list[tuple[int, int]] = []
    missing = gaps = 0
    prev = 0
    for n in sorted({s for s in sequences if s >= 1}):
        if n > prev + 1:
            gaps += 1
            missing += n - prev - 1
            if len(shown) < MAX_GAPS_SHOWN:
                shown.append((prev + 1, n - 1))
        prev = n
    return shown, missing, gaps


def site_status(session: Session) -> list[SiteStatus]:
    """Per sending site: the last bundle, its sequence and the gaps ("Export 41 von Bünde fehlt") in its latest
    epoch (a restore starts a new epoch with a full export, so older gaps no longer matter). Survives any ledger
    content: gaps are intervals, at most ``MAX_GAPS_SHOWN`` are listed plus a count."""
    rows = session.execute(select(ImportedBundle.sender_site, ImportedBundle.epoch, ImportedBundle.sequence,
                                  ImportedBundle.imported_at)).all()
    by_site: dict[str, list[Any]] = {}
    for r in rows:
        by_site.setdefault(r.sender_site, []).append(r)
    out = []
    for site in sorted(by_site, key=site_label):
        entries = by_site[site]
        epoch = max(e.epoch for e in entries)
        seqs = [e.sequence for e in entries if e.epoch == epoch]
        shown, missing, gaps = gaps_of(seqs)
        label = site_label(site)
        messages = [f"Export {a} von {label} fehlt" if a == b
                    else f"Export {a} bis {b} von {label} fehlen ({b - a + 1})" for a, b in shown]
        if gaps > len(shown):
            messages.append(f"… und {plural(gaps - len(shown), 'weitere Lücke', 'weitere Lücken')} "
                            f"({missing} Exporte von {label} fehlen insgesamt)")
        out.append(SiteStatus(site, label, max(e.imported_at for e in entries), max(seqs), epoch, len(entries),
                              shown, messages, missing, gaps))
    return out


@dataclass(frozen=True)
class HistoryRow:
    imported_at: datetime
    sender_site: str
    label: str
    sequence: int | None
    epoch: int | None
    full: bool
    imported_by: str
    counts: dict[str, int]
    skipped: int
    refused: str | None = None  # the refusal code (German label in REFUSAL_LABELS) of a file not imported
    file: str | None = None

    @property
    def refused_label(self) -> str:
        return REFUSAL_LABELS.get(self.refused or "", "abgelehnt") if self.refused else ""


REFUSAL_LABELS = {
    "already_imported": "bereits eingelesen", "replay": "Wiederholung", "payload_invalid": "Inhalt ungültig",
    "ownership": "Daten eines anderen Standorts", "sequence_window": "Exportnummer außerhalb des Bereichs",
    "epoch_window": "Epoche außerhalb des Bereichs", "internal_error": "unerwarteter Fehler",
    "conflict": "passt nicht zum Datenbestand", "unreadable": "nicht lesbar", "not_for_us": "nicht für uns",
    "payload_too_large": "zu groß", "bad_signature": "Signatur ungültig", "unknown_sender": "Absender unbekannt",
    "revoked_sender": "Absender gesperrt", "decrypt_failed": "nicht entschlüsselbar",
}


def refusal_detail(*, file: str, code: str, sender_site: str | None, sequence: int | None,
                   epoch: int | None) -> str:
    """The audit detail of a refused file: file name, code, sender and numbers — never content."""
    return json.dumps({"file": file, "code": code, "site": sender_site, "sequence": sequence, "epoch": epoch},
                      ensure_ascii=False)


def _refusals(session: Session, limit: int) -> list[HistoryRow]:
    entries = session.execute(select(AuditEntry).where(AuditEntry.action == REFUSED_ACTION)
                              .order_by(AuditEntry.seq.desc()).limit(limit)).scalars()
    out = []
    for a in entries:
        try:
            d = json.loads(a.detail or "")
        except ValueError:  # an entry of an older version: "file: code"
            name, _, code = (a.detail or "").rpartition(": ")
            d = {"file": name, "code": code}
        if type(d) is not dict:
            continue
        site = given if isinstance(given := d.get("site"), str) else ""
        out.append(HistoryRow(a.at, site, site_label(site) if site else "", _int(d.get("sequence")),
                              _int(d.get("epoch")), False, a.actor, {}, 0, str(d.get("code") or "abgelehnt"),
                              str(d.get("file") or "")))
    return out


def _int(v: Any) -> int | None:
    return v if type(v) is int else None


def import_history(session: Session, limit: int = 500, *, with_refusals: bool = False) -> list[HistoryRow]:
    """The imported bundles, newest first; ``with_refusals`` adds the files refused (from the audit log, so a
    refusal leaves every other table unchanged)."""
    rows = session.execute(select(ImportedBundle).order_by(ImportedBundle.id.desc()).limit(limit)).scalars()
    out = [HistoryRow(r.imported_at, r.sender_site, site_label(r.sender_site), r.sequence, r.epoch, r.full,
                      r.imported_by, dict(r.counts or {}), len(r.skipped or [])) for r in rows]
    if with_refusals:
        out = sorted(out + _refusals(session, limit), key=lambda h: h.imported_at, reverse=True)[:limit]
    return out


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
    state = session.get(ExportState, SiteCode.KREIS.value)  # payload.DISTRICT, without the payload codec
    if state is None:
        return DistrictAck(None, None, None, None)
    return DistrictAck(state.acked_sequence, state.acked_epoch, state.acked_at, state.last_sequence or None)
