"""The sync ledger (issue 05, DESIGN.md §4, §10): what was imported, what was exported, pseudonyms and handovers.

None of these tables travels in bundles; they describe this store's side of the exchange. They live in the same
transaction as the import they record, so a bundle and its ledger entry are applied together or not at all.
"""

from __future__ import annotations

import uuid
from calendar import monthrange
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    delete,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base, UtcDateTime, utcnow


class ImportedBundle(Base):
    """One applied bundle. Refused bundles leave the store unchanged and are recorded in the audit log only."""

    __tablename__ = "sync_imported_bundles"
    __table_args__ = (Index("ix_sync_imported_bundles_sender", "sender_site", "sender_store_id", "epoch",
                            "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bundle_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # site_to_district, district_to_site
    sender_site: Mapped[str] = mapped_column(String(20))
    sender_store_id: Mapped[str] = mapped_column(String(36))
    epoch: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # as the sender wrote it
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(64))
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)   # applied rows per entity
    skipped: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # entity, id, reason (no content)


class ExportState(Base):
    """This store's export counters, one row per target (``kreis`` at a site, each site code at the district)."""

    __tablename__ = "sync_export_state"

    target: Mapped[str] = mapped_column(String(20), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, default=1)       # the store epoch of the last export
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_change_seq: Mapped[int] = mapped_column(Integer, default=0)  # change_log.seq covered by the last export
    last_export_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    last_full_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # At a site: "Kreis hat Stand bis Export N" from the district's acknowledgement
    acked_epoch: Mapped[int | None] = mapped_column(Integer)
    acked_sequence: Mapped[int | None] = mapped_column(Integer)
    acked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class CaseShareState(Base):
    """At a site: how a case was last sent to the district (identified or pseudonymous), so a consent given or
    revoked later switches the record with the next export."""

    __tablename__ = "sync_case_share"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    identified: Mapped[bool] = mapped_column(Boolean)
    exported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PseudonymEntry(Base):
    """At the district: one case of a site, either pseudonymous (``data`` holds the whitelisted statistics) or
    identified (``case_id``/``person_id`` link the pseudonym to the identified records). ``rev_epoch``/``rev_seq``
    order the switches, so bundles applied in any order end in the same state."""

    __tablename__ = "sync_pseudonyms"
    __table_args__ = (UniqueConstraint("site", "pseudonym"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(20), index=True)
    pseudonym: Mapped[str] = mapped_column(String(64))         # HMAC-SHA256 of the case id (site secret)
    person_pseudonym: Mapped[str] = mapped_column(String(64), index=True)  # HMAC-SHA256 of the person id
    identified: Mapped[bool] = mapped_column(Boolean, default=False)
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    rev_epoch: Mapped[int] = mapped_column(Integer, default=0)
    rev_seq: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class PseudonymFacts(Base):
    """At the district: the report facts of one live pseudonymous record (``sync_pseudonyms`` row with
    ``identified`` false, ``data`` set, not deleted at the site) in plain columns, so the reports aggregate them in
    SQL instead of decoding the JSON (DESIGN.md §10 Scale). Written in the same transaction as the pseudonym row
    (``write_pseudonym_facts``: the importer, and the ORM events below); a record that becomes identified or deleted
    loses its facts. Months become dates: ``opened`` the first, ``closed`` the last day of the month."""

    __tablename__ = "sync_pseudonym_facts"
    __table_args__ = (Index("ix_sync_pseudonym_facts_person", "site", "person_pseudonym"),)

    pseudonym_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # sync_pseudonyms.id
    site: Mapped[str] = mapped_column(String(20))
    person_pseudonym: Mapped[str] = mapped_column(String(64))
    person_key: Mapped[uuid.UUID] = mapped_column(Uuid)  # stable person key of site + person pseudonym
    municipality: Mapped[str | None] = mapped_column(String(40))
    sex: Mapped[str | None] = mapped_column(String(20))
    age_band: Mapped[int | None] = mapped_column(Integer)     # lower bound of the 5-year band …
    age_band_on: Mapped[date | None] = mapped_column(Date)    # … at this month (the opening month, first day)
    nationality: Mapped[str | None] = mapped_column(String(8))  # deutsch / andere / NULL (unknown)
    household_type: Mapped[str | None] = mapped_column(String(20))
    household_size: Mapped[int] = mapped_column(Integer, default=1)
    opened: Mapped[date | None] = mapped_column(Date)   # first day of the opening month
    closed: Mapped[date | None] = mapped_column(Date)   # last day of the closing month
    outcome: Mapped[str | None] = mapped_column(String(20))
    category: Mapped[str | None] = mapped_column(String(30))  # current: the last history entry
    contacts: Mapped[int] = mapped_column(Integer, default=0)  # all contacts (per Baustein added up)
    bausteine: Mapped[str] = mapped_column(String(40), default="")  # Bausteine with contacts as '"1","3"'


class PseudonymCategory(Base):
    """The category history of a pseudonymous record (``position`` the order of the history)."""

    __tablename__ = "sync_pseudonym_categories"

    pseudonym_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    category: Mapped[str] = mapped_column(String(30))
    since: Mapped[date] = mapped_column(Date)  # first day of the month


class PseudonymContacts(Base):
    """The contact counts of a pseudonymous record per Baustein (only those with contacts)."""

    __tablename__ = "sync_pseudonym_contacts"

    pseudonym_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    baustein: Mapped[str] = mapped_column(String(8), primary_key=True)
    contacts: Mapped[int] = mapped_column(Integer)


class PseudonymApplication(Base):
    """The application statistics of a pseudonymous record (issue 08 point 4, the Arbeitskreis figures): one row per
    application, ``position`` its order in the record. Months become dates like the case facts: ``submitted`` and
    ``objection_lodged`` the first, ``decided`` and ``objection_decided`` the last day of the month (a start counts
    from the 1st, an end on the last day). ``days``/``objection_days`` are the exact durations in whole days (sent as
    integers, no dates). One Widerspruch per application: the last one lodged."""

    __tablename__ = "sync_pseudonym_applications"

    pseudonym_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    site: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    submitted: Mapped[date] = mapped_column(Date)
    decision: Mapped[str | None] = mapped_column(String(16))
    decided: Mapped[date | None] = mapped_column(Date)
    days: Mapped[int | None] = mapped_column(Integer)
    eviction_averted: Mapped[bool | None] = mapped_column(Boolean)
    objection_lodged: Mapped[date | None] = mapped_column(Date)
    objection_decision: Mapped[str | None] = mapped_column(String(16))
    objection_decided: Mapped[date | None] = mapped_column(Date)
    objection_days: Mapped[int | None] = mapped_column(Integer)


_PERSON_NS = uuid.UUID("6f1d3c1e-2b7a-5d8e-9c4f-0a1b2c3d4e5f")
_NATIONALITY = {"deutsch": "deutsch", "eu": "andere", "andere": "andere"}  # the Stichtag groups; else unknown


def person_key(site: str, person_pseudonym: str) -> uuid.UUID:
    """The HMAC hex itself as the key (per-site secrets: no clash across sites in practice); never collides with
    real person ids (random uuid4) in practice, and the same person's cases at one site share it."""
    try:
        return uuid.UUID(hex=person_pseudonym[:32])
    except ValueError:
        return uuid.uuid5(_PERSON_NS, f"{site}:{person_pseudonym}")


def _first(text: str | None) -> date | None:
    return date(int(text[:4]), int(text[5:7]), 1) if text else None


def _last(text: str | None) -> date | None:
    if not text:
        return None
    year, month = int(text[:4]), int(text[5:7])
    return date(year, month, monthrange(year, month)[1])


def _band(text: str | None) -> int | None:
    if not text or "-" not in text:
        return None
    try:
        return int(text.split("-", 1)[0])
    except ValueError:
        return None


def application_facts(pid: int, site: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``sync_pseudonym_applications`` rows of a record's ``data`` (none for records without ``applications``:
    older exports)."""
    return [{"pseudonym_id": pid, "position": n, "site": site, "kind": a["kind"],
             "submitted": _first(a["submitted_month"]), "decision": a.get("decision"),
             "decided": _last(a.get("decided_month")), "days": a.get("days"),
             "eviction_averted": a.get("eviction_averted"), "objection_lodged": _first(a.get("objection_month")),
             "objection_decision": a.get("objection_decision"),
             "objection_decided": _last(a.get("objection_decided_month")), "objection_days": a.get("objection_days")}
            for n, a in enumerate(data.get("applications") or ())]


def pseudonym_facts(pid: int, site: str, person_pseudonym: str, data: Any
                    ) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]] | None:
    """(facts, category rows, contact rows) of a pseudonymous record's ``data``; None if it counts nowhere."""
    if not isinstance(data, dict) or data.get("deleted"):
        return None
    cats = [{"pseudonym_id": pid, "position": n, "category": c, "since": _first(s)}
            for n, (c, s) in enumerate((c, s) for c, s in data.get("categories") or () if s)]
    per = {str(b): int(n) for b, n in (data.get("contacts_per_baustein") or {}).items() if n}
    opened = _first(data.get("opened_month"))
    band = _band(data.get("age_band"))
    facts = {"pseudonym_id": pid, "site": site, "person_pseudonym": person_pseudonym,
             "person_key": person_key(site, person_pseudonym), "municipality": data.get("municipality") or None,
             "sex": data.get("sex") or None, "age_band": band, "age_band_on": opened if band is not None else None,
             "nationality": _NATIONALITY.get(data.get("nationality_group") or ""),
             "household_type": data.get("household_type"),
             "household_size": max(1, int(data.get("household_size") or 1)), "opened": opened,
             "closed": _last(data.get("closed_month")), "outcome": data.get("outcome"),
             "category": cats[-1]["category"] if cats else None, "contacts": sum(per.values()),
             "bausteine": ",".join(f'"{b}"' for b in sorted(per))}
    return facts, cats, [{"pseudonym_id": pid, "baustein": b, "contacts": n} for b, n in sorted(per.items())]


_FACT_TABLES = ("sync_pseudonym_facts", "sync_pseudonym_categories", "sync_pseudonym_contacts",
                "sync_pseudonym_applications")


def write_pseudonym_facts(conn: Connection, entries: Iterable[tuple[int, str, str, bool, Any]],
                          *, replace: bool = True) -> None:
    """Replace the facts of the pseudonym rows ``(id, site, person_pseudonym, identified, data)`` — ``data`` as
    stored (dict or JSON text) — inside the caller's transaction. ``replace=False`` skips the delete (new rows)."""
    import json

    entries = list(entries)
    if not entries:
        return
    if replace:
        ids = [e[0] for e in entries]
        for at in range(0, len(ids), 500):
            chunk = ids[at:at + 500]
            for name in _FACT_TABLES:
                table = Base.metadata.tables[name]
                conn.execute(delete(table).where(table.c.pseudonym_id.in_(chunk)))
    facts, cats, contacts, apps = [], [], [], []
    for pid, site, person_pseudonym, identified, data in entries:
        if identified or data is None:
            continue
        decoded = json.loads(data) if isinstance(data, str) else data
        got = pseudonym_facts(pid, site, person_pseudonym, decoded)
        if got is not None:
            facts.append(got[0])
            cats += got[1]
            contacts += got[2]
            apps += application_facts(pid, site, decoded)
    for rows, table in ((facts, PseudonymFacts), (cats, PseudonymCategory), (contacts, PseudonymContacts),
                        (apps, PseudonymApplication)):
        if rows:
            _bulk_insert(conn, table.__table__, rows)


def _bulk_insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``conn.execute(insert(table), rows)`` without SQLAlchemy's per-row parameter work (a third of a district
    import): the columns' own bind processors, applied once per value, then one DB-API executemany."""
    names = list(rows[0])
    dialect = conn.dialect
    processors = [(i, proc) for i, name in enumerate(names)
                  if (proc := table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) is not None]
    get = itemgetter(*names)
    values = []
    for row in rows:
        value = list(get(row))
        for i, proc in processors:
            if value[i] is not None:
                value[i] = proc(value[i])
        values.append(tuple(value))
    quoted = ", ".join(f'"{name}"' for name in names)
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({", ".join("?" * len(names))})', values)


def delete_pseudonym_facts(conn: Connection, ids: Sequence[int]) -> None:
    write_pseudonym_facts(conn, [(i, "", "", True, None) for i in ids])


class Handover(Base):
    """A case handed from one site to another via the district.

    At the old site: ``state`` goes requested → exported → done; ``done`` marks the read-only stub (the case rows
    are then owned by the new site, so the flush hook refuses any change). At the district: the handover to be
    forwarded to the new site, with the document contents (``documents``: id → base64) until it went out."""

    __tablename__ = "sync_handovers"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(20), default="")
    from_site: Mapped[str] = mapped_column(String(20))
    to_site: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12))  # requested, exported, received, forwarded, done
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(Text)


class HandoverDocument(Base):
    """At the district: document bytes of a handed-over case, held until the bundle for the new site is written."""

    __tablename__ = "sync_handover_documents"

    document_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


# ORM writes of pseudonym rows (tests, tools) keep their facts in step; the importer writes with plain SQL and calls
# ``write_pseudonym_facts`` itself.
@event.listens_for(PseudonymEntry, "after_insert")
def _facts_on_insert(_mapper: Any, conn: Connection, target: PseudonymEntry) -> None:
    write_pseudonym_facts(conn, [(target.id, target.site, target.person_pseudonym, bool(target.identified),
                                  target.data)], replace=False)


@event.listens_for(PseudonymEntry, "after_update")
def _facts_on_update(_mapper: Any, conn: Connection, target: PseudonymEntry) -> None:
    write_pseudonym_facts(conn, [(target.id, target.site, target.person_pseudonym, bool(target.identified),
                                  target.data)])


@event.listens_for(PseudonymEntry, "after_delete")
def _facts_on_delete(_mapper: Any, conn: Connection, target: PseudonymEntry) -> None:
    delete_pseudonym_facts(conn, [target.id])
