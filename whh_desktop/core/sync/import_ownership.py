"""Single owner at import (DESIGN.md §10): what the sender of a bundle may write here. A bundle that writes, points
at or deletes a row of another site refuses as a whole; the one exception is the sender's stale copy of a case it
handed over (its export may cross the handover), which is skipped and listed.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.store import dialect
from whh_desktop.core.store.models import Handover
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.export_rows import chunks as _chunks
from whh_desktop.core.sync.import_result import REASON_HANDED, ApplyResult
from whh_desktop.core.sync.payload_rules import site_label


class Owners:
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
        checked by ``importer.upsert``, which refuses the whole bundle for another owner; the sender's stale copies of
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
            self._handed = {r[0] for r in dialect.rows(self.conn,
                "SELECT case_id FROM sync_handovers WHERE from_site = ?", (self.sender,))}
        return self._handed

    def handed_persons(self) -> set[str]:
        if self._handed_persons is None:
            self._handed_persons = set()
            for chunk in _chunks(sorted(self.handed())):
                self._handed_persons |= {r[0] for r in dialect.rows(self.conn,
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
            out.update(dialect.rows(self.conn,
                f'SELECT id, owner_site FROM "{table}" WHERE owner_site != ? AND id IN '
                f"({','.join('?' * len(chunk))})", (self.sender, *chunk)))
        return out


def check_cases(session: Session, rows: list[tuple[Any, ...]], owners: Owners, result: ApplyResult,
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
                    f"Das Paket von {site_label(sender)} enthält einen Fall mit dem Aktenzeichen "
                    f"{r[number_at]} aus der Reihe von {site_label(r[origin_at])}, der {site_label(sender)} "
                    "nicht übergeben wurde. Es wurde nichts übernommen.")
    foreign_persons = owners.foreign_owners("persons", {r[person_at] for r in rows} - owners.in_bundle("persons"))
    for person_id, owner in foreign_persons.items():
        if person_id not in owners.handed_persons():
            raise owners.refuse(owner, "persons", "(Fall verweist auf die Person)")
    by_number = {r[number_at]: r[id_at] for r in rows}
    for chunk in _chunks(sorted(by_number)):
        clashes = dialect.rows(owners.conn,
            "SELECT id, case_number, owner_site, origin_site FROM cases WHERE case_number IN "
            f"({','.join('?' * len(chunk))})", tuple(chunk))
        for stored_id, number, owner, origin in clashes:
            if stored_id == by_number[number]:
                continue
            if _holds_number(owners, stored_id, number, owner, origin):
                raise pl.PayloadInvalid(
                    f"Das Aktenzeichen {number} im Paket von {site_label(sender)} ist beim Kreis bereits für "
                    f"einen anderen Fall ({site_label(owner)}) vergeben. Es wurde nichts übernommen.")
            # A squatter (let in by an older version): the owner of the series gets its number back.
            aside = f"X-{stored_id[:16]}"
            dialect.run(owners.conn, "UPDATE cases SET case_number = ? WHERE id = ?", (aside, stored_id))
            cases_to_index.add(stored_id)
            result.skip("cases", stored_id, f"Aktenzeichen {number} war von {site_label(owner)} besetzt; dort "
                                            f"jetzt {aside}")


def _owners_of(owners: Owners, ids: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in _chunks(sorted(ids)):
        out.update(dialect.rows(owners.conn,
            f"SELECT id, owner_site FROM cases WHERE id IN ({','.join('?' * len(chunk))})", tuple(chunk)))
    return out


def _holds_number(owners: Owners, case_id: str, number: str, owner: str, origin: str) -> bool:
    """Whether a stored case rightly holds its number: the number is in its origin site's series, and the case is
    still with its origin site or was handed over through the district."""
    try:
        in_series = number.startswith(SiteCode(origin).case_prefix + "-")
    except ValueError:
        return False
    if not in_series:
        return False
    return owner == origin or dialect.first(owners.conn,
        "SELECT 1 FROM sync_handovers WHERE case_id = ?", (case_id,)) is not None


def children_of_own_cases(entity: str, rows: list[tuple[Any, ...]], owners: Owners,
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


def check_incoming_handovers(session: Session, p: pl.Payload, owners: Owners) -> None:
    """At a site: the district may hand it a case, but never rewrite one of the site's own cases through a
    handover (the site holds no handover record for a case it already owns), and a case leaves the site only when
    the site asked for that handover itself."""
    for h in p.handovers:
        case_hex = h["case_hex"]
        owner = dialect.scalar(owners.conn, "SELECT owner_site FROM cases WHERE id = ?", (case_hex,))
        local = session.get(Handover, uuid.UUID(hex=case_hex))
        if h["state"] == "incoming" and owner == p.for_site and local is None:
            raise pl.PayloadInvalid("Das Paket des Kreises überschreibt mit einer Übergabe einen eigenen Fall dieses "
                                    "Standorts. Es wurde nichts übernommen.")
        if h["state"] == "done" and owner is not None and (
                local is None or local.from_site != p.for_site or local.to_site != h["to_site"]):
            raise pl.PayloadInvalid("Das Paket des Kreises meldet die Übergabe eines Falls, die dieser Standort nicht "
                                    "beantragt hat. Es wurde nichts übernommen.")
