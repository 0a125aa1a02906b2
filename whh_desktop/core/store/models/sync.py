"""The sync ledger (issue 05, DESIGN.md §4, §10): what was imported, what was exported, pseudonyms and handovers.

None of these tables travels in bundles; they describe this store's side of the exchange. They live in the same
transaction as the import they record, so a bundle and its ledger entry are applied together or not at all.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
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
    Text,
    UniqueConstraint,
    Uuid,
    event,
    text,
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


class PendingExport(Base):
    """An export recorded with its sequence but not yet renamed into place (``core.sync.outbox``): a crash between
    the two steps is finished on the next start with exactly these bytes, so a sequence never means two contents."""

    __tablename__ = "sync_pending_exports"
    __table_args__ = (UniqueConstraint("target", "epoch", "sequence", name="uq_sync_pending_exports_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[str] = mapped_column(String(20))
    epoch: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    directory: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


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


# The report facts are derived inside SQLite from the stored JSON (one statement per table, no row passes through
# Python): a district import writes them for every pseudonymous record, and in Python that was a third of it.
# Months become dates: a start month its first day, an end month its last. The rules are checked against a plain
# Python statement of them in tests/core/test_pseudonym_facts_sql.py.
_IDS = "SELECT value FROM json_each(:ids)"


def _live(join: str = "") -> str:
    """The live pseudonymous records among ``:ids`` (a JSON array), each row joined with ``join`` if given."""
    return (f"FROM sync_pseudonyms p{', ' + join if join else ''} WHERE p.id IN ({_IDS}) AND p.identified = 0 "
            "AND p.data IS NOT NULL AND json_type(p.data) = 'object' "
            "AND coalesce(json_extract(p.data, '$.deleted'), 0) = 0")


def _first_sql(month: str) -> str:
    return (f"CASE WHEN coalesce({month}, '') <> '' "
            f"THEN substr({month}, 1, 4) || '-' || substr({month}, 6, 2) || '-01' END")


def _last_sql(month: str) -> str:
    return f"date({_first_sql(month)}, '+1 month', '-1 day')"


_DATED = "coalesce(json_extract(j.value, '$[1]'), '') <> ''"  # a category entry without a month counts nowhere
# The person key: the HMAC hex itself (the same person's records at a site share it; per-site secrets, so no clash
# across sites in practice). A pseudonym that is not hex never comes from a checked bundle; it gets a key of its own.
_PERSON_KEY = ("CASE WHEN p.person_pseudonym GLOB '" + "[0-9a-f]" * 32 + "*' THEN substr(p.person_pseudonym, 1, 32) "
               "ELSE printf('%032x', p.id) END")
_BAND = "CASE WHEN instr(age, '-') > 0 THEN CAST(substr(age, 1, instr(age, '-') - 1) AS INTEGER) END"
_CONTACTS = "json_each(p.data, '$.contacts_per_baustein') c"

# Written after the categories and contacts of the same records: the current category and the contact counts are
# read back from those rows (an index lookup) instead of walking the JSON again; the record's fields are extracted
# once (MATERIALIZED: SQLite would otherwise evaluate each extraction once per use).
_FACTS_SQL = f"""
WITH src AS MATERIALIZED (
    SELECT p.id AS id, p.site AS site, p.person_pseudonym AS pp, {_PERSON_KEY} AS person_key,
        json_extract(p.data, '$.municipality') AS municipality, json_extract(p.data, '$.sex') AS sex,
        json_extract(p.data, '$.age_band') AS age, json_extract(p.data, '$.nationality_group') AS nationality,
        json_extract(p.data, '$.household_type') AS household_type,
        json_extract(p.data, '$.household_size') AS household_size, json_extract(p.data, '$.opened_month') AS opened,
        json_extract(p.data, '$.closed_month') AS closed, json_extract(p.data, '$.outcome') AS outcome
    {_live()})
INSERT INTO sync_pseudonym_facts (pseudonym_id, site, person_pseudonym, person_key, municipality, sex, age_band,
    age_band_on, nationality, household_type, household_size, opened, closed, outcome, category, contacts, bausteine)
SELECT id, site, pp, person_key, nullif(municipality, ''), nullif(sex, ''), {_BAND},
    CASE WHEN {_BAND} IS NOT NULL THEN {_first_sql("opened")} END,
    CASE nationality WHEN 'deutsch' THEN 'deutsch' WHEN 'eu' THEN 'andere' WHEN 'andere' THEN 'andere' END,
    household_type, max(1, coalesce(CAST(household_size AS INTEGER), 1)), {_first_sql("opened")},
    {_last_sql("closed")}, outcome,
    (SELECT category FROM sync_pseudonym_categories WHERE pseudonym_id = src.id ORDER BY position DESC LIMIT 1),
    coalesce((SELECT sum(contacts) FROM sync_pseudonym_contacts WHERE pseudonym_id = src.id), 0),
    coalesce((SELECT group_concat('"' || baustein || '"', ',' ORDER BY baustein) FROM sync_pseudonym_contacts
              WHERE pseudonym_id = src.id), '')
FROM src"""

_CATEGORIES_SQL = f"""
INSERT INTO sync_pseudonym_categories (pseudonym_id, position, category, since)
SELECT p.id, row_number() OVER (PARTITION BY p.id ORDER BY j.key) - 1, json_extract(j.value, '$[0]'),
    {_first_sql("json_extract(j.value, '$[1]')")}
{_live("json_each(p.data, '$.categories') j")} AND {_DATED}"""

_CONTACTS_SQL = f"""
INSERT INTO sync_pseudonym_contacts (pseudonym_id, baustein, contacts)
SELECT p.id, c.key, c.value {_live(_CONTACTS)} AND c.value <> 0"""


def _app(field: str) -> str:
    return f"json_extract(a.value, '$.{field}')"


_APPLICATIONS_SQL = f"""
INSERT INTO sync_pseudonym_applications (pseudonym_id, position, site, kind, submitted, decision, decided, days,
    eviction_averted, objection_lodged, objection_decision, objection_decided, objection_days)
SELECT p.id, a.key, p.site, {_app("kind")}, {_first_sql(_app("submitted_month"))}, {_app("decision")},
    {_last_sql(_app("decided_month"))}, {_app("days")}, {_app("eviction_averted")},
    {_first_sql(_app("objection_month"))}, {_app("objection_decision")},
    {_last_sql(_app("objection_decided_month"))}, {_app("objection_days")}
{_live("json_each(p.data, '$.applications') a")}"""

_FACT_TABLES = ("sync_pseudonym_facts", "sync_pseudonym_categories", "sync_pseudonym_contacts",
                "sync_pseudonym_applications")

# The same statements for PostgreSQL (a district on a server, DESIGN.md §10 Scale): json operators instead of
# json_extract/json_each, typed casts where SQLite stores text, the ids as an integer array.
_PG_IDS = "ANY(CAST(:ids AS integer[]))"


def _pg_live(join: str = "") -> str:
    return (f"FROM sync_pseudonyms p{', ' + join if join else ''} WHERE p.id = {_PG_IDS} AND NOT p.identified "
            "AND p.data IS NOT NULL AND json_typeof(p.data) = 'object' "
            "AND coalesce(p.data->>'deleted', 'false') NOT IN ('true', '1')")


def _pg_first(month: str) -> str:
    return (f"CASE WHEN coalesce({month}, '') <> '' "
            f"THEN CAST(substr({month}, 1, 4) || '-' || substr({month}, 6, 2) || '-01' AS date) END")


def _pg_last(month: str) -> str:
    return f"CAST({_pg_first(month)} + interval '1 month' - interval '1 day' AS date)"


def _pg_array(path: str) -> str:
    """The elements of a JSON array member with their 0-based position (none if the member is not an array)."""
    return (f"json_array_elements(CASE WHEN json_typeof(p.data->'{path}') = 'array' THEN p.data->'{path}' "
            "ELSE '[]'::json END) WITH ORDINALITY")


_PG_PERSON_KEY = ("CAST(CASE WHEN p.person_pseudonym ~ '^[0-9a-f]{32}' THEN substr(p.person_pseudonym, 1, 32) "
                  "ELSE lpad(to_hex(p.id), 32, '0') END AS uuid)")
_PG_BAND = ("CASE WHEN strpos(age, '-') > 1 AND substr(age, 1, strpos(age, '-') - 1) ~ '^[0-9]+$' "
            "THEN CAST(substr(age, 1, strpos(age, '-') - 1) AS integer) END")
_PG_DATED = "coalesce(j.value->>1, '') <> ''"

_PG_FACTS_SQL = f"""
WITH src AS MATERIALIZED (
    SELECT p.id AS id, p.site AS site, p.person_pseudonym AS pp, {_PG_PERSON_KEY} AS person_key,
        p.data->>'municipality' AS municipality, p.data->>'sex' AS sex, p.data->>'age_band' AS age,
        p.data->>'nationality_group' AS nationality, p.data->>'household_type' AS household_type,
        p.data->>'household_size' AS household_size, p.data->>'opened_month' AS opened,
        p.data->>'closed_month' AS closed, p.data->>'outcome' AS outcome
    {_pg_live()})
INSERT INTO sync_pseudonym_facts (pseudonym_id, site, person_pseudonym, person_key, municipality, sex, age_band,
    age_band_on, nationality, household_type, household_size, opened, closed, outcome, category, contacts, bausteine)
SELECT id, site, pp, person_key, nullif(municipality, ''), nullif(sex, ''), {_PG_BAND},
    CASE WHEN {_PG_BAND} IS NOT NULL THEN {_pg_first("opened")} END,
    CASE nationality WHEN 'deutsch' THEN 'deutsch' WHEN 'eu' THEN 'andere' WHEN 'andere' THEN 'andere' END,
    household_type, greatest(1, coalesce(CAST(CAST(household_size AS numeric) AS integer), 1)),
    {_pg_first("opened")}, {_pg_last("closed")}, outcome,
    (SELECT category FROM sync_pseudonym_categories WHERE pseudonym_id = src.id ORDER BY position DESC LIMIT 1),
    coalesce((SELECT sum(contacts) FROM sync_pseudonym_contacts WHERE pseudonym_id = src.id), 0),
    coalesce((SELECT string_agg('"' || baustein || '"', ',' ORDER BY baustein) FROM sync_pseudonym_contacts
              WHERE pseudonym_id = src.id), '')
FROM src"""

_PG_CATEGORIES_SQL = f"""
INSERT INTO sync_pseudonym_categories (pseudonym_id, position, category, since)
SELECT p.id, row_number() OVER (PARTITION BY p.id ORDER BY j.key) - 1, j.value->>0, {_pg_first("j.value->>1")}
{_pg_live(_pg_array("categories") + " AS j(value, key)")} AND {_PG_DATED}"""

_PG_CONTACTS_SQL = f"""
INSERT INTO sync_pseudonym_contacts (pseudonym_id, baustein, contacts)
SELECT p.id, c.key, CAST(CAST(c.value::text AS numeric) AS integer)
{_pg_live("json_each(CASE WHEN json_typeof(p.data->'contacts_per_baustein') = 'object' "
          "THEN p.data->'contacts_per_baustein' ELSE '{}'::json END) c")} AND CAST(c.value::text AS numeric) <> 0"""


def _pg_app(field: str) -> str:
    return f"a.value->>'{field}'"


_PG_APPLICATIONS_SQL = f"""
INSERT INTO sync_pseudonym_applications (pseudonym_id, position, site, kind, submitted, decision, decided, days,
    eviction_averted, objection_lodged, objection_decision, objection_decided, objection_days)
SELECT p.id, a.key - 1, p.site, {_pg_app("kind")}, {_pg_first(_pg_app("submitted_month"))}, {_pg_app("decision")},
    {_pg_last(_pg_app("decided_month"))}, CAST({_pg_app("days")} AS integer),
    CAST({_pg_app("eviction_averted")} AS boolean), {_pg_first(_pg_app("objection_month"))},
    {_pg_app("objection_decision")}, {_pg_last(_pg_app("objection_decided_month"))},
    CAST({_pg_app("objection_days")} AS integer)
{_pg_live(_pg_array("applications") + " AS a(value, key)")}"""


def _facts_statements(conn: Connection, ids: list[int]) -> tuple[tuple[str, ...], dict[str, Any], str]:
    """The four statements (facts last: they read the first two), their parameters and the id condition."""
    if conn.dialect.name == "postgresql":
        return ((_PG_CATEGORIES_SQL, _PG_CONTACTS_SQL, _PG_APPLICATIONS_SQL, _PG_FACTS_SQL), {"ids": ids},
                f"= {_PG_IDS}")
    return ((_CATEGORIES_SQL, _CONTACTS_SQL, _APPLICATIONS_SQL, _FACTS_SQL), {"ids": json.dumps(ids)},
            f"IN ({_IDS})")


def write_pseudonym_facts(conn: Connection, ids: Iterable[int], *, replace: bool = True) -> None:
    """Derive the facts of the stored pseudonym rows ``ids`` from their ``data``, inside the caller's transaction;
    ``replace=False`` skips removing earlier facts (new rows). Identified or deleted records get none."""
    ids = list(ids)
    if not ids:
        return
    if replace:
        delete_pseudonym_facts(conn, ids)
    statements, params, _ = _facts_statements(conn, ids)
    for sql in statements:
        conn.execute(text(sql), params)


def delete_pseudonym_facts(conn: Connection, ids: Sequence[int]) -> None:
    _, params, where = _facts_statements(conn, list(ids))
    for name in _FACT_TABLES:
        conn.execute(text(f"DELETE FROM {name} WHERE pseudonym_id {where}"), params)


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
    write_pseudonym_facts(conn, [target.id], replace=False)


@event.listens_for(PseudonymEntry, "after_update")
def _facts_on_update(_mapper: Any, conn: Connection, target: PseudonymEntry) -> None:
    write_pseudonym_facts(conn, [target.id])


@event.listens_for(PseudonymEntry, "after_delete")
def _facts_on_delete(_mapper: Any, conn: Connection, target: PseudonymEntry) -> None:
    delete_pseudonym_facts(conn, [target.id])
