"""Pseudonym entries at the district (DESIGN.md §10): applied in revision order; an entry that turns a case
pseudonymous (consent revoked) withdraws the district's identified rows of it, and the identified rows of a case
whose newer pseudonymous state is already stored are not applied.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from whh_desktop.core.store import dialect, search_index
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.models.sync import write_pseudonym_facts
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.export_rows import chunks as _chunks
from whh_desktop.core.sync.import_ownership import Owners
from whh_desktop.core.sync.import_result import ApplyResult


def apply_pseudonyms(session: Session, p: pl.Payload, result: ApplyResult,
                      cases_to_index: set[str], owners: Owners) -> tuple[set[str], set[str]]:
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
    if len(keys) > 1000:
        dialect.analyze_if_stale(conn, "sync_pseudonyms")
    for chunk in _chunks(keys):
        for row in dialect.rows(conn,
                "SELECT pseudonym, rev_epoch, rev_seq, identified, case_id, person_id FROM sync_pseudonyms "
                f"WHERE site = ? AND pseudonym IN ({','.join('?' * len(chunk))})", (p.site, *chunk)):
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
        dialect.run_many(conn, "INSERT INTO sync_pseudonyms(site, pseudonym, person_pseudonym, identified, case_id, "
                             "person_id, data, rev_epoch, rev_seq, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", inserts)
    if updates:
        dialect.run_many(conn, "UPDATE sync_pseudonyms SET person_pseudonym=?, identified=?, case_id=?, person_id=?, "
                             "data=?, rev_epoch=?, rev_seq=?, updated_at=? WHERE site=? AND pseudonym=?", updates)
    if written:  # the report facts of the records, in the same transaction (models.sync.PseudonymFacts)
        ids = []
        for chunk in _chunks(list(written)):
            ids += [row[0] for row in dialect.rows(conn,
                f"SELECT id FROM sync_pseudonyms WHERE site = ? AND pseudonym IN ({','.join('?' * len(chunk))})",
                (p.site, *chunk))]
        write_pseudonym_facts(conn, ids, replace=bool(updates))
    if applied:
        result.counts["pseudonyms"] = applied
    return blocked_cases, persons_blocked - persons_ok


def _by_pseudonym(values: tuple[Any, ...]) -> str:
    return values[1]


def _withdraw(session: Session, case_hex: str, person_hex: str | None, result: ApplyResult,
              owners: Owners) -> None:
    """Consent revoked: the district's identified records of this case go; the pseudonymous record replaces them.
    Only the sender's own rows: a stored entry naming another site's case refuses the bundle, and a case the sender
    has handed over since stays with its new site."""
    conn = session.connection()
    site = owners.sender
    owner = dialect.scalar(conn, "SELECT owner_site FROM cases WHERE id = ?", (case_hex,))
    if owner is not None and owner != site:
        if case_hex in owners.handed():
            return
        raise owners.refuse(owner, "cases", "(Widerruf einer Einwilligung)")
    search_index.drop_case(conn, case_hex)
    dialect.run(conn, "DELETE FROM cases WHERE id = ? AND owner_site = ?", (case_hex, site))
    for entity in pl.CHILD_TABLES:
        dialect.run(conn, f'DELETE FROM "{entity}" WHERE case_id = ? AND owner_site = ?', (case_hex, site))
    if person_hex and not dialect.first(conn, "SELECT 1 FROM cases WHERE person_id = ? LIMIT 1",
                                               (person_hex,)):
        dialect.run(conn, "DELETE FROM persons WHERE id = ? AND owner_site = ?", (person_hex, site))
    result.counts["withdrawn"] = result.counts.get("withdrawn", 0) + 1
