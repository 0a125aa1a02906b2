"""Applying a validated payload to the store (DESIGN.md §3, §4, §10, import semantics).

Single owner: an incoming row whose stored copy belongs to another site, or whose version is not newer than the
stored one, is skipped and listed in the report, never applied silently. References between aggregates are UUIDs
without foreign keys, so children may arrive before their parents (``dangling_references`` lists them). Rows go in
with ``executemany`` on the storage form that ``payload.parse`` produced; the search index is refreshed for the
cases touched. The caller runs all of this in one ``BEGIN IMMEDIATE`` transaction with the ledger entry.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.services.consent import check_sharing
from whh_desktop.core.store import bulk_sql, search_index
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.models import ExportState, Handover
from whh_desktop.core.store.models.sync import write_pseudonym_facts
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.exporter import _chunks, _index

REASON_OLDER = "älterer oder gleicher Stand als vorhanden"
REASON_OWNER = "gehört einem anderen Standort"
REASON_WITHDRAWN = "Einwilligung inzwischen widerrufen (pseudonymer Stand ist neuer)"
MAX_SKIPPED_LISTED = 1000


@dataclass
class ApplyResult:
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[dict[str, str]] = field(default_factory=list)
    skipped_total: int = 0

    def skip(self, entity: str, hex_id: str, reason: str) -> None:
        self.skipped_total += 1
        if len(self.skipped) < MAX_SKIPPED_LISTED:
            self.skipped.append({"entity": entity, "id": pl.hyphenated(hex_id), "reason": reason})


def apply_payload(session: Session, p: pl.Payload) -> ApplyResult:
    result = ApplyResult()
    cases_to_index: set[str] = set()
    persons_touched: set[str] = set()
    if p.kind == pl.SITE_TO_DISTRICT:
        blocked_cases, blocked_persons = _apply_pseudonyms(session, p, result, cases_to_index)
        order = pl.SITE_MODELS
    else:
        blocked_cases, blocked_persons = set(), set()
        order = (*pl.DISTRICT_MODELS, *[m for m in pl.HANDOVER_MODELS])
    for model in order:
        entity = model.__tablename__
        rows = p.rows.get(entity)
        if not rows:
            continue
        rows = _without_blocked(entity, rows, blocked_cases, blocked_persons, result)
        written = _upsert(session, entity, rows, result)
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


def _upsert(session: Session, entity: str, rows: list[tuple[Any, ...]], result: ApplyResult,
            *, owner_change: bool = False) -> set[str]:
    """Insert new rows, update newer versions, skip the rest; returns the ids written."""
    names = pl.column_names(entity)
    id_at, version_at, owner_at = names.index("id"), names.index("version"), names.index("owner_site")
    conn = session.connection()
    stored: dict[str, tuple[int, str]] = {}
    for chunk in _chunks([r[id_at] for r in rows]):
        found = conn.exec_driver_sql(f'SELECT id, version, owner_site FROM "{entity}" WHERE id IN '
                                     f"({','.join('?' * len(chunk))})", tuple(chunk)).fetchall()
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
        elif have[1] != r[owner_at] and not owner_change:
            result.skip(entity, row_id, REASON_OWNER)
            continue
        elif r[version_at] <= have[0] and not (owner_change and have[1] != r[owner_at]):
            result.skip(entity, row_id, REASON_OLDER)
            continue
        else:
            updates.append((*[v for i, v in enumerate(r) if i != id_at], row_id))
        written.add(row_id)
    cols = ", ".join(f'"{n}"' for n in names)
    if inserts:
        conn.exec_driver_sql(f'INSERT INTO "{entity}" ({cols}) VALUES ({", ".join("?" * len(names))})', inserts)
    if updates:
        sets = ", ".join(f'"{n}" = ?' for n in names if n != "id")
        conn.exec_driver_sql(f'UPDATE "{entity}" SET {sets} WHERE id = ?', updates)
    if written:
        result.counts[entity] = result.counts.get(entity, 0) + len(written)
    return written


# ---- pseudonyms (district) --------------------------------------------------------------------------------------
def _apply_pseudonyms(session: Session, p: pl.Payload, result: ApplyResult,
                      cases_to_index: set[str]) -> tuple[set[str], set[str]]:
    """Apply the pseudonym entries in rev order; return the cases/persons whose rows must not be applied because a
    newer pseudonymous state (consent revoked) is already stored."""
    conn = session.connection()
    stored: dict[str, tuple[int, int, int, str | None, str | None]] = {}
    keys = [e["pseudonym"] for e in p.pseudonyms]
    for chunk in _chunks(keys):
        for row in conn.exec_driver_sql(
                "SELECT pseudonym, rev_epoch, rev_seq, identified, case_id, person_id FROM sync_pseudonyms "
                f"WHERE site = ? AND pseudonym IN ({','.join('?' * len(chunk))})", (p.site, *chunk)).fetchall():
            stored[row[0]] = tuple(row[1:])  # type: ignore[assignment]
    blocked_cases: set[str] = set()
    persons_blocked: set[str] = set()
    persons_ok: set[str] = set()
    inserts, updates = [], []
    written: set[str] = set()  # the pseudonyms applied: their report facts follow them
    now = utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    applied = 0
    for e in p.pseudonyms:
        have = stored.get(e["pseudonym"])
        if have is not None and (have[0], have[1]) >= e["rev"]:
            if e["identified"] and not have[2]:
                blocked_cases.add(e["case_id"])
                persons_blocked.add(e["person_id"])
            elif e["identified"]:
                persons_ok.add(e["person_id"])
            continue
        if e["identified"]:
            persons_ok.add(e["person_id"])
        values = (e["person_pseudonym"], int(e["identified"]), e["case_id"], e["person_id"],
                  None if e["data"] is None else pl.dumps(e["data"]).decode(), e["rev"][0],
                  e["rev"][1], now)
        if have is None:
            inserts.append((p.site, e["pseudonym"], *values))
        else:
            updates.append((*values, p.site, e["pseudonym"]))
            if have[2] and not e["identified"] and have[3]:
                _withdraw(session, have[3], have[4], result)
        written.add(e["pseudonym"])
        applied += 1
    if inserts:
        inserts.sort(key=_by_pseudonym)  # in key order: the unique index grows at its end instead of at random pages
        conn.exec_driver_sql("INSERT INTO sync_pseudonyms(site, pseudonym, person_pseudonym, identified, case_id, "
                             "person_id, data, rev_epoch, rev_seq, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", inserts)
    if updates:
        conn.exec_driver_sql("UPDATE sync_pseudonyms SET person_pseudonym=?, identified=?, case_id=?, person_id=?, "
                             "data=?, rev_epoch=?, rev_seq=?, updated_at=? WHERE site=? AND pseudonym=?", updates)
    if written:  # the report facts of the records, in the same transaction (models.sync.PseudonymFacts)
        ids = []
        for chunk in _chunks(list(written)):
            ids += [row[0] for row in conn.exec_driver_sql(
                f"SELECT id FROM sync_pseudonyms WHERE site = ? AND pseudonym IN ({','.join('?' * len(chunk))})",
                (p.site, *chunk)).fetchall()]
        write_pseudonym_facts(conn, ids, replace=bool(updates))
    if applied:
        result.counts["pseudonyms"] = applied
    return blocked_cases, persons_blocked - persons_ok


def _by_pseudonym(values: tuple[Any, ...]) -> str:
    return values[1]


def _withdraw(session: Session, case_hex: str, person_hex: str | None, result: ApplyResult) -> None:
    """Consent revoked: the district's identified records of this case go; the pseudonymous record replaces them."""
    conn = session.connection()
    doc = conn.exec_driver_sql("SELECT id FROM search_docs WHERE case_id = ?", (case_hex,)).scalar()
    if doc is not None:
        conn.exec_driver_sql("DELETE FROM search_fts WHERE rowid = ?", (doc,))
        conn.exec_driver_sql("DELETE FROM search_docs WHERE id = ?", (doc,))
    conn.exec_driver_sql("DELETE FROM cases WHERE id = ?", (case_hex,))
    for entity in pl.CHILD_TABLES:
        conn.exec_driver_sql(f'DELETE FROM "{entity}" WHERE case_id = ?', (case_hex,))
    if person_hex and not conn.exec_driver_sql("SELECT 1 FROM cases WHERE person_id = ? LIMIT 1",
                                               (person_hex,)).first():
        conn.exec_driver_sql("DELETE FROM persons WHERE id = ?", (person_hex,))
    result.counts["withdrawn"] = result.counts.get("withdrawn", 0) + 1


# ---- handovers --------------------------------------------------------------------------------------------------
def _receive_handover(session: Session, p: pl.Payload, h: dict[str, Any], result: ApplyResult) -> None:
    """At the district: the case changes owner (with a valid consent for the Kreis); its document bytes wait for
    the bundle to the new site."""
    case_uuid = uuid.UUID(hex=h["case_hex"])
    if session.get(Handover, case_uuid) is not None:
        return
    conn = session.connection()
    owner = conn.exec_driver_sql("SELECT owner_site FROM cases WHERE id = ?", (h["case_hex"],)).scalar()
    if owner != p.site:
        result.skip("handover", h["case_hex"], REASON_OWNER)
        return
    if not check_sharing(session, case_uuid, ConsentRecipient.KREIS).allowed:
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
    person = conn.exec_driver_sql("SELECT person_id FROM cases WHERE id = ?", (case_hex,)).scalar()
    conn.exec_driver_sql(f"UPDATE cases SET owner_site = ?{version} WHERE id = ?", (to_site, case_hex))
    for entity in pl.CHILD_TABLES:
        conn.exec_driver_sql(f'UPDATE "{entity}" SET owner_site = ?{version} WHERE case_id = ?', (to_site, case_hex))
    if person:
        conn.exec_driver_sql(f"UPDATE persons SET owner_site = ?{version} WHERE id = ?", (to_site, person))


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
        rows = conn.exec_driver_sql(
            f'SELECT t.id, t."{column}", t.owner_site FROM "{entity}" t LEFT JOIN "{parent}" p ON p.id = t."{column}" '
            f"WHERE p.id IS NULL LIMIT ?", (limit - len(out),)).fetchall()
        out += [Dangling(entity, pl.hyphenated(i), column, pl.hyphenated(m), s) for i, m, s in rows]
        if len(out) >= limit:
            break
    return out


def counts_by_entity(rows: dict[str, list[Any]]) -> dict[str, int]:
    return defaultdict(int, {k: len(v) for k, v in rows.items()})
