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
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.services.consent import check_sharing
from whh_desktop.core.store import bulk_sql, search_index
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.models import ExportState, Handover
from whh_desktop.core.store.models.sync import write_pseudonym_facts
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.export_rows import chunks as _chunks
from whh_desktop.core.sync.export_rows import index as _index

REASON_OLDER = "älterer oder gleicher Stand als vorhanden"
REASON_OWNER = "gehört einem anderen Standort"
REASON_HANDED = "Fall wurde an einen anderen Standort übergeben"
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


class _Owners:
    """What the sender may write here; raises the whole bundle's refusal for anything else."""

    def __init__(self, session: Session, p: pl.Payload) -> None:
        self.conn = session.connection()
        self.p = p
        self.sender = p.site
        self.incoming = {h["case_hex"] for h in p.handovers if h["state"] == "incoming"}
        self._handed: set[str] | None = None
        self._handed_persons: set[str] | None = None
        self._bundle_ids: dict[str, set[str]] = {}

    def in_bundle(self, entity: str) -> set[str]:
        """Ids of the bundle's own rows of ``entity`` that need no second look: their stored copy (if any) is
        checked by ``_upsert``, which refuses the whole bundle for another owner; the sender's stale copies of
        handed-over cases are not among them."""
        got = self._bundle_ids.get(entity)
        if got is None:
            names = pl.column_names(entity)
            id_at = names.index("id")
            got = {r[id_at] for r in self.p.rows.get(entity, ())}
            got -= self.handed() if entity == "cases" else self.handed_persons() if entity == "persons" else set()
            self._bundle_ids[entity] = got
        return got

    def handed(self) -> set[str]:
        """At the district: the cases the sender handed to another site (its stale copies are skipped)."""
        if self._handed is None:
            self._handed = {r[0] for r in self.conn.exec_driver_sql(
                "SELECT case_id FROM sync_handovers WHERE from_site = ?", (self.sender,)).fetchall()}
        return self._handed

    def handed_persons(self) -> set[str]:
        if self._handed_persons is None:
            self._handed_persons = set()
            for chunk in _chunks(sorted(self.handed())):
                self._handed_persons |= {r[0] for r in self.conn.exec_driver_sql(
                    f"SELECT person_id FROM cases WHERE id IN ({','.join('?' * len(chunk))})", tuple(chunk))}
        return self._handed_persons

    def refuse(self, owner: str | None, entity: str, detail: str = "") -> pl.PayloadInvalid:
        return pl.ownership_refusal(self.sender, owner, entity, detail)

    def foreign_row(self, entity: str, row: tuple[Any, ...], stored_owner: str) -> str | None:
        """A stored row of another owner: None to apply it as an owner change (a handover arriving at a site), a
        skip reason for a stale copy of a handed-over case, else the bundle is refused."""
        names = pl.column_names(entity)
        if self.p.kind == pl.DISTRICT_TO_SITE:
            case = row[names.index("id")] if entity == "cases" else (
                row[names.index("case_id")] if entity in pl.CHILD_TABLES else None)
            persons = {r[pl.column_names("cases").index("person_id")] for r in self.p.rows.get("cases", ())}
            if case in self.incoming or (entity == "persons" and row[names.index("id")] in persons):
                return None
            raise self.refuse(stored_owner, entity)
        row_id = row[names.index("id")]
        if entity == "persons":
            stale = row_id in self.handed_persons()
        else:
            stale = (row_id if entity == "cases" else row[names.index("case_id")] if entity in pl.CHILD_TABLES
                     else None) in self.handed()
        if stale:
            return REASON_HANDED
        raise self.refuse(stored_owner, entity)

    def foreign_owners(self, table: str, ids: set[str]) -> dict[str, str]:
        """Of these ids, the stored rows of ``table`` that belong to someone other than the sender."""
        out: dict[str, str] = {}
        for chunk in _chunks(sorted(i for i in ids if i)):
            out.update(self.conn.exec_driver_sql(
                f'SELECT id, owner_site FROM "{table}" WHERE owner_site != ? AND id IN '
                f"({','.join('?' * len(chunk))})", (self.sender, *chunk)).fetchall())
        return out


def apply_payload(session: Session, p: pl.Payload) -> ApplyResult:
    result = ApplyResult()
    cases_to_index: set[str] = set()
    persons_touched: set[str] = set()
    owners = _Owners(session, p)
    if p.kind == pl.SITE_TO_DISTRICT:
        blocked_cases, blocked_persons = _apply_pseudonyms(session, p, result, cases_to_index, owners)
        order = pl.SITE_MODELS
    else:
        blocked_cases, blocked_persons = set(), set()
        order = (*pl.DISTRICT_MODELS, *[m for m in pl.HANDOVER_MODELS])
        _check_incoming_handovers(session, p, owners)
    for model in order:
        entity = model.__tablename__
        rows = p.rows.get(entity)
        if not rows:
            continue
        rows = _without_blocked(entity, rows, blocked_cases, blocked_persons, result)
        if p.kind == pl.SITE_TO_DISTRICT:
            if entity == "cases":
                _check_cases(session, rows, owners, result, cases_to_index)
            elif entity in pl.CHILD_TABLES:
                rows = _children_of_own_cases(entity, rows, owners, result)
        written = _upsert(session, entity, rows, result, owners)
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


def _check_cases(session: Session, rows: list[tuple[Any, ...]], owners: _Owners, result: ApplyResult,
                 cases_to_index: set[str]) -> None:
    """At the district, before the sender's cases are written: a case of another origin site only when it was
    handed to the sender; its person is the sender's; its number is not another case's, and a number a squatter
    took earlier goes back to the case whose series it is (DESIGN.md §10, case numbers carry the site)."""
    names = pl.column_names("cases")
    id_at, number_at, origin_at, person_at = (names.index(n) for n in ("id", "case_number", "origin_site",
                                                                       "person_id"))
    sender = owners.sender
    foreign_origin = {r[id_at]: r for r in rows if r[origin_at] != sender}
    if foreign_origin:
        stored = _owners_of(owners, foreign_origin)
        for case_id, r in foreign_origin.items():
            if stored.get(case_id) != sender and case_id not in owners.handed():
                raise pl.PayloadInvalid(
                    f"Das Paket von {ledger_label(sender)} enthält einen Fall mit dem Aktenzeichen "
                    f"{r[number_at]} aus der Reihe von {ledger_label(r[origin_at])}, der {ledger_label(sender)} "
                    "nicht übergeben wurde. Es wurde nichts übernommen.")
    foreign_persons = owners.foreign_owners("persons", {r[person_at] for r in rows} - owners.in_bundle("persons"))
    for person_id, owner in foreign_persons.items():
        if person_id not in owners.handed_persons():
            raise owners.refuse(owner, "persons", "(Fall verweist auf die Person)")
    by_number = {r[number_at]: r[id_at] for r in rows}
    for chunk in _chunks(sorted(by_number)):
        clashes = owners.conn.exec_driver_sql(
            "SELECT id, case_number, owner_site, origin_site FROM cases WHERE case_number IN "
            f"({','.join('?' * len(chunk))})", tuple(chunk)).fetchall()
        for stored_id, number, owner, origin in clashes:
            if stored_id == by_number[number]:
                continue
            if _holds_number(owners, stored_id, number, owner, origin):
                raise pl.PayloadInvalid(
                    f"Das Aktenzeichen {number} im Paket von {ledger_label(sender)} ist beim Kreis bereits für "
                    f"einen anderen Fall ({ledger_label(owner)}) vergeben. Es wurde nichts übernommen.")
            # A squatter (let in by an older version): the owner of the series gets its number back.
            aside = f"X-{stored_id[:16]}"
            owners.conn.exec_driver_sql("UPDATE cases SET case_number = ? WHERE id = ?", (aside, stored_id))
            cases_to_index.add(stored_id)
            result.skip("cases", stored_id, f"Aktenzeichen {number} war von {ledger_label(owner)} besetzt; dort "
                                            f"jetzt {aside}")


def _owners_of(owners: _Owners, ids: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in _chunks(sorted(ids)):
        out.update(owners.conn.exec_driver_sql(
            f"SELECT id, owner_site FROM cases WHERE id IN ({','.join('?' * len(chunk))})", tuple(chunk)).fetchall())
    return out


def _holds_number(owners: _Owners, case_id: str, number: str, owner: str, origin: str) -> bool:
    """Whether a stored case rightly holds its number: the number is in its origin site's series, and the case is
    still with its origin site or was handed over through the district."""
    try:
        in_series = number.startswith(SiteCode(origin).case_prefix + "-")
    except ValueError:
        return False
    if not in_series:
        return False
    return owner == origin or owners.conn.exec_driver_sql(
        "SELECT 1 FROM sync_handovers WHERE case_id = ?", (case_id,)).first() is not None


def _children_of_own_cases(entity: str, rows: list[tuple[Any, ...]], owners: _Owners,
                           result: ApplyResult) -> list[tuple[Any, ...]]:
    """Child rows go only under the sender's cases (or cases not arrived yet); rows under a case the sender handed
    over are its stale copies and are skipped."""
    names = pl.column_names(entity)
    case_at, id_at = names.index("case_id"), names.index("id")
    foreign = owners.foreign_owners("cases", {r[case_at] for r in rows} - owners.in_bundle("cases"))
    if not foreign:
        return rows
    kept = []
    for r in rows:
        owner = foreign.get(r[case_at])
        if owner is None:
            kept.append(r)
        elif r[case_at] in owners.handed():
            result.skip(entity, r[id_at], REASON_HANDED)
        else:
            raise owners.refuse(owner, entity, "(unter einem Fall dieses Standorts)")
    return kept


def _check_incoming_handovers(session: Session, p: pl.Payload, owners: _Owners) -> None:
    """At a site: the district may hand it a case, but never rewrite one of the site's own cases through a
    handover (the site holds no handover record for a case it already owns), and a case leaves the site only when
    the site asked for that handover itself."""
    for h in p.handovers:
        case_hex = h["case_hex"]
        owner = owners.conn.exec_driver_sql("SELECT owner_site FROM cases WHERE id = ?", (case_hex,)).scalar()
        local = session.get(Handover, uuid.UUID(hex=case_hex))
        if h["state"] == "incoming" and owner == p.for_site and local is None:
            raise pl.PayloadInvalid("Das Paket des Kreises überschreibt mit einer Übergabe einen eigenen Fall dieses "
                                    "Standorts. Es wurde nichts übernommen.")
        if h["state"] == "done" and owner is not None and (
                local is None or local.from_site != p.for_site or local.to_site != h["to_site"]):
            raise pl.PayloadInvalid("Das Paket des Kreises meldet die Übergabe eines Falls, die dieser Standort nicht "
                                    "beantragt hat. Es wurde nichts übernommen.")


def ledger_label(site: str | None) -> str:
    try:
        return SiteCode(site or "").label
    except ValueError:
        return str(site)[:20]


def _upsert(session: Session, entity: str, rows: list[tuple[Any, ...]], result: ApplyResult,
            owners: _Owners | None = None) -> set[str]:
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
        conn.exec_driver_sql(f'INSERT INTO "{entity}" ({cols}) VALUES ({", ".join("?" * len(names))})', inserts)
    if updates:
        sets = ", ".join(f'"{n}" = ?' for n in names if n != "id")
        conn.exec_driver_sql(f'UPDATE "{entity}" SET {sets} WHERE id = ?', updates)
    if written:
        result.counts[entity] = result.counts.get(entity, 0) + len(written)
    return written


# ---- pseudonyms (district) --------------------------------------------------------------------------------------
def _apply_pseudonyms(session: Session, p: pl.Payload, result: ApplyResult,
                      cases_to_index: set[str], owners: _Owners) -> tuple[set[str], set[str]]:
    """Apply the pseudonym entries in rev order; return the cases/persons whose rows must not be applied because a
    newer pseudonymous state (consent revoked) is already stored. An identified entry may only name the sender's
    own case and person (or ones not arrived yet)."""
    conn = session.connection()
    identified = [e for e in p.pseudonyms if e["identified"]]
    if identified:
        for table, key in (("cases", "case_id"), ("persons", "person_id")):
            foreign = owners.foreign_owners(table, {e[key] for e in identified} - owners.in_bundle(table))
            handed = owners.handed() if table == "cases" else owners.handed_persons()
            for row_id, owner in foreign.items():
                if row_id not in handed:
                    raise owners.refuse(owner, table, "(Pseudonym-Eintrag »identifiziert«)")
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
                _withdraw(session, have[3], have[4], result, owners)
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


def _withdraw(session: Session, case_hex: str, person_hex: str | None, result: ApplyResult,
              owners: _Owners) -> None:
    """Consent revoked: the district's identified records of this case go; the pseudonymous record replaces them.
    Only the sender's own rows: a stored entry naming another site's case refuses the bundle, and a case the sender
    has handed over since stays with its new site."""
    conn = session.connection()
    site = owners.sender
    owner = conn.exec_driver_sql("SELECT owner_site FROM cases WHERE id = ?", (case_hex,)).scalar()
    if owner is not None and owner != site:
        if case_hex in owners.handed():
            return
        raise owners.refuse(owner, "cases", "(Widerruf einer Einwilligung)")
    doc = conn.exec_driver_sql("SELECT id FROM search_docs WHERE case_id = ?", (case_hex,)).scalar()
    if doc is not None:
        conn.exec_driver_sql("DELETE FROM search_fts WHERE rowid = ?", (doc,))
        conn.exec_driver_sql("DELETE FROM search_docs WHERE id = ?", (doc,))
    conn.exec_driver_sql("DELETE FROM cases WHERE id = ? AND owner_site = ?", (case_hex, site))
    for entity in pl.CHILD_TABLES:
        conn.exec_driver_sql(f'DELETE FROM "{entity}" WHERE case_id = ? AND owner_site = ?', (case_hex, site))
    if person_hex and not conn.exec_driver_sql("SELECT 1 FROM cases WHERE person_id = ? LIMIT 1",
                                               (person_hex,)).first():
        conn.exec_driver_sql("DELETE FROM persons WHERE id = ? AND owner_site = ?", (person_hex, site))
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
    if owner is None:
        result.skip("handover", h["case_hex"], "Fall ist beim Kreis nicht vorhanden")
        return
    if owner != p.site:
        raise pl.ownership_refusal(p.site, owner, "handover", "(Übergabe eines fremden Falls)")
    for doc_hex, _data in h["documents"]:
        doc = conn.exec_driver_sql("SELECT case_id, owner_site FROM documents WHERE id = ?", (doc_hex,)).first()
        if doc is not None and (doc[0] != h["case_hex"] or doc[1] != p.site):
            raise pl.ownership_refusal(p.site, doc[1], "documents", "(Dokument einer Übergabe)")
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
        rows = conn.exec_driver_sql(
            f'SELECT t.id, t."{column}", t.owner_site FROM "{entity}" t LEFT JOIN "{parent}" p ON p.id = t."{column}" '
            f"WHERE p.id IS NULL LIMIT ?", (limit - len(out),)).fetchall()
        out += [Dangling(entity, pl.hyphenated(i), column, pl.hyphenated(m), s) for i, m, s in rows]
        if len(out) >= limit:
            break
    return out


def counts_by_entity(rows: dict[str, list[Any]]) -> dict[str, int]:
    return defaultdict(int, {k: len(v) for k, v in rows.items()})
