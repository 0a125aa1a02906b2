"""Applying a validated payload to the store (DESIGN.md §3, §4, §10, import semantics).

Single owner: a bundle that writes, points at or deletes a row of another site refuses as a whole
(``PayloadInvalid`` inside the transaction, so nothing stays): stored rows of another owner, child rows, cases and
pseudonym entries pointing at another site's case or person, revocations of another site's case, handovers of
another site's case, case numbers of another site's series. The one exception is the sender's stale copy of a case
it handed over (its export may cross the handover): those rows are skipped and listed. A row whose version is not
newer than the stored one is skipped and listed, never applied silently. References between aggregates are UUIDs
without foreign keys, so children may arrive before their parents (``dangling_references`` lists them). Rows go in
with ``executemany`` on the storage form that ``payload.parse`` produced; the search index is refreshed for the
cases touched. The caller runs all of this in one ``BEGIN IMMEDIATE`` transaction with the ledger entry.

The ownership checks are ``import_ownership``, the pseudonym entries ``import_pseudonyms``, the result value
``import_result``; this module writes the rows, handovers and the acknowledgement, and lists dangling references.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.consent import sharing_check
from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.store import bulk_sql, dialect, search_index
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.models import Consent, ExportState, Handover
from whh_desktop.core.sync import import_pseudonyms
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.export_rows import chunks as _chunks
from whh_desktop.core.sync.export_rows import index as _index
from whh_desktop.core.sync.import_ownership import (
    Owners,
    check_cases,
    check_incoming_handovers,
    children_of_own_cases,
)
from whh_desktop.core.sync.import_result import (
    MAX_SKIPPED_LISTED,
    REASON_HANDED,
    REASON_OLDER,
    REASON_OWNER,
    REASON_WITHDRAWN,
    ApplyResult,
)

# the names callers import from here, wherever they live
__all__ = ["MAX_SKIPPED_LISTED", "REASON_HANDED", "REASON_OLDER", "REASON_OWNER", "REASON_WITHDRAWN", "ApplyResult",
           "Dangling", "apply_payload", "counts_by_entity", "dangling_references", "upsert"]


def apply_payload(session: Session, p: pl.Payload) -> ApplyResult:
    result = ApplyResult()
    cases_to_index: set[str] = set()
    persons_touched: set[str] = set()
    owners = Owners(session, p)
    if p.kind == pl.SITE_TO_DISTRICT:
        blocked_cases, blocked_persons = import_pseudonyms.apply_pseudonyms(session, p, result, cases_to_index, owners)
        order = pl.SITE_MODELS
    else:
        blocked_cases, blocked_persons = set(), set()
        order = (*pl.DISTRICT_MODELS, *[m for m in pl.HANDOVER_MODELS])
        check_incoming_handovers(session, p, owners)
    for model in order:
        entity = model.__tablename__
        rows = p.rows.get(entity)
        if not rows:
            continue
        rows = _without_blocked(entity, rows, blocked_cases, blocked_persons, result)
        if p.kind == pl.SITE_TO_DISTRICT:
            if entity == "cases":
                check_cases(session, rows, owners, result, cases_to_index)
            elif entity in pl.CHILD_TABLES:
                rows = children_of_own_cases(entity, rows, owners, result)
        written = upsert(session, entity, rows, result, owners)
        if entity == "cases":
            cases_to_index |= written
        elif entity == "persons":
            persons_touched |= written
    if p.kind == pl.SITE_TO_DISTRICT:
        for h in p.handovers:
            _receive_handover(session, p, h, result)
    else:
        for h in p.handovers:
            _apply_handover_at_site(session, h, result, cases_to_index)
        if p.ack is not None:
            _store_ack(session, p.ack)
    if persons_touched:
        cases_to_index |= set(bulk_sql.select_where_in(session.connection(), "cases", "id", "person_id",
                                                       persons_touched))
    if cases_to_index:
        session.flush()
        search_index.index_cases_bulk(session, sorted(cases_to_index))
    return result


def _without_blocked(entity: str, rows: list[tuple[Any, ...]], blocked_cases: set[str], blocked_persons: set[str],
                     result: ApplyResult) -> list[tuple[Any, ...]]:
    if not blocked_cases and not blocked_persons:
        return rows
    id_at = _index(entity, "id")
    if entity == "persons":
        at, blocked = id_at, blocked_persons
    elif entity == "cases":
        at, blocked = id_at, blocked_cases
    elif entity in pl.CHILD_TABLES:
        at, blocked = _index(entity, "case_id"), blocked_cases
    else:
        return rows
    kept = []
    for r in rows:
        if r[at] in blocked:
            result.skip(entity, r[id_at], REASON_WITHDRAWN)
        else:
            kept.append(r)
    return kept


def upsert(session: Session, entity: str, rows: list[tuple[Any, ...]], result: ApplyResult,
            owners: Owners | None = None) -> set[str]:
    """Insert new rows, update newer versions, skip the rest; returns the ids written."""
    names = pl.column_names(entity)
    id_at, version_at, owner_at = names.index("id"), names.index("version"), names.index("owner_site")
    conn = session.connection()
    stored: dict[str, tuple[int, str]] = {}
    for chunk in _chunks([r[id_at] for r in rows]):
        found = dialect.rows(conn, f'SELECT id, version, owner_site FROM "{entity}" WHERE id IN '
                                     f"({','.join('?' * len(chunk))})", tuple(chunk))
        stored.update({i: (v, o) for i, v, o in found})
    inserts, updates, written = [], [], set()
    latest: dict[str, tuple[Any, ...]] = {}
    for r in rows:  # the same row twice in one payload: the newest version counts
        prev = latest.get(r[id_at])
        if prev is None or r[version_at] > prev[version_at]:
            latest[r[id_at]] = r
    for row_id, r in latest.items():
        have = stored.get(row_id)
        if have is None:
            inserts.append(r)
        elif have[1] != r[owner_at]:
            reason = owners.foreign_row(entity, r, have[1]) if owners is not None else REASON_OWNER
            if reason is not None:
                result.skip(entity, row_id, reason)
                continue
            updates.append((*[v for i, v in enumerate(r) if i != id_at], row_id))  # a handover: the owner changes
        elif r[version_at] <= have[0]:
            result.skip(entity, row_id, REASON_OLDER)
            continue
        else:
            updates.append((*[v for i, v in enumerate(r) if i != id_at], row_id))
        written.add(row_id)
    cols = ", ".join(f'"{n}"' for n in names)
    if inserts:
        dialect.run_many(conn, f'INSERT INTO "{entity}" ({cols}) VALUES ({", ".join("?" * len(names))})', inserts)
    if updates:
        sets = ", ".join(f'"{n}" = ?' for n in names if n != "id")
        dialect.run_many(conn, f'UPDATE "{entity}" SET {sets} WHERE id = ?', updates)
    if written:
        result.counts[entity] = result.counts.get(entity, 0) + len(written)
    return written


# ---- handovers --------------------------------------------------------------------------------------------------
def _receive_handover(session: Session, p: pl.Payload, h: dict[str, Any], result: ApplyResult) -> None:
    """At the district: the case changes owner (with a valid consent for the Kreis); its document bytes wait for
    the bundle to the new site."""
    case_uuid = uuid.UUID(hex=h["case_hex"])
    if session.get(Handover, case_uuid) is not None:
        return
    conn = session.connection()
    owner = dialect.scalar(conn, "SELECT owner_site FROM cases WHERE id = ?", (h["case_hex"],))
    if owner is None:
        result.skip("handover", h["case_hex"], "Fall ist beim Kreis nicht vorhanden")
        return
    if owner != p.site:
        raise pl.ownership_refusal(p.site, owner, "handover", "(Übergabe eines fremden Falls)")
    for doc_hex, _data in h["documents"]:
        doc = dialect.first(conn, "SELECT case_id, owner_site FROM documents WHERE id = ?", (doc_hex,))
        if doc is not None and (doc[0] != h["case_hex"] or doc[1] != p.site):
            raise pl.ownership_refusal(p.site, doc[1], "documents", "(Dokument einer Übergabe)")
    consents = session.scalars(select(Consent).where(Consent.case_id == case_uuid))
    if not sharing_check(consents, ConsentRecipient.KREIS, on=date.today()).allowed:
        result.skip("handover", h["case_hex"], "keine gültige Einwilligung für den Kreis")
        return
    _change_owner(session, h["case_hex"], h["to_site"], bump=True)
    session.add(Handover(case_id=case_uuid, case_number=h["case_number"], from_site=h["from_site"],
                         to_site=h["to_site"], state="received", requested_by="", note=None))
    bulk_sql.replace_rows(conn, "sync_handover_documents", ("document_id", "case_id", "data"),
                          [(doc_hex, h["case_hex"], data) for doc_hex, data in h["documents"]])
    session.flush()
    result.counts["handovers"] = result.counts.get("handovers", 0) + 1


def _change_owner(session: Session, case_hex: str, to_site: str, *, bump: bool) -> None:
    conn = session.connection()
    version = ", version = version + 1" if bump else ""
    person = dialect.scalar(conn, "SELECT person_id FROM cases WHERE id = ?", (case_hex,))
    dialect.run(conn, f"UPDATE cases SET owner_site = ?{version} WHERE id = ?", (to_site, case_hex))
    for entity in pl.CHILD_TABLES:
        dialect.run(conn, f'UPDATE "{entity}" SET owner_site = ?{version} WHERE case_id = ?', (to_site, case_hex))
    if person:
        dialect.run(conn, f"UPDATE persons SET owner_site = ?{version} WHERE id = ?", (to_site, person))


def _apply_handover_at_site(session: Session, h: dict[str, Any], result: ApplyResult,
                            cases_to_index: set[str]) -> None:
    case_uuid = uuid.UUID(hex=h["case_hex"])
    conn = session.connection()
    existing = session.get(Handover, case_uuid)
    if h["state"] == "incoming":
        bulk_sql.replace_rows(conn, "document_contents", ("document_id", "data"), h["documents"])
        if existing is None:
            session.add(Handover(case_id=case_uuid, case_number=h["case_number"], from_site=h["from_site"],
                                 to_site=h["to_site"], state="done", requested_by="", done_at=utcnow(),
                                 note="übernommen"))
        cases_to_index.add(h["case_hex"])
    else:  # done: this site handed the case over; it keeps a read-only stub (rows now owned by the new site)
        _change_owner(session, h["case_hex"], h["to_site"], bump=False)
        if existing is None:
            existing = Handover(case_id=case_uuid, case_number=h["case_number"], from_site=h["from_site"],
                                to_site=h["to_site"], state="done", requested_by="")
            session.add(existing)
        existing.state, existing.done_at = "done", utcnow()
    session.flush()
    result.counts["handovers"] = result.counts.get("handovers", 0) + 1


def _store_ack(session: Session, ack: dict[str, int]) -> None:
    state = session.get(ExportState, pl.DISTRICT)
    if state is None:
        state = ExportState(target=pl.DISTRICT, epoch=0, last_sequence=0, last_change_seq=0)
        session.add(state)
    if (ack["epoch"], ack["sequence"]) > (state.epoch, state.last_sequence):
        return  # the district cannot confirm an export this site never wrote
    if (state.acked_epoch or 0, state.acked_sequence or 0) <= (ack["epoch"], ack["sequence"]):
        state.acked_epoch, state.acked_sequence, state.acked_at = ack["epoch"], ack["sequence"], utcnow()
    session.flush()


# ---- dangling references ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dangling:
    entity: str
    row_id: str
    column: str
    missing_id: str
    site: str


def dangling_references(session: Session, limit: int = 1000) -> list[Dangling]:
    """Rows pointing at a case or person that has not arrived (yet); the gap fills when the bundle comes."""
    conn = session.connection()
    checks = [("cases", "person_id", "persons")] + [(e, "case_id", "cases") for e in sorted(pl.CHILD_TABLES)]
    out: list[Dangling] = []
    for entity, column, parent in checks:
        rows = dialect.rows(conn,
            f'SELECT t.id, t."{column}", t.owner_site FROM "{entity}" t LEFT JOIN "{parent}" p ON p.id = t."{column}" '
            f"WHERE p.id IS NULL LIMIT ?", (limit - len(out),))
        out += [Dangling(entity, pl.hyphenated(i), column, pl.hyphenated(m), s) for i, m, s in rows]
        if len(out) >= limit:
            break
    return out


def counts_by_entity(rows: dict[str, list[Any]]) -> dict[str, int]:
    return defaultdict(int, {k: len(v) for k, v in rows.items()})
