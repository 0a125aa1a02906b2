"""Full-text search over cases, kept in step with every flush.

Backend-specific, so it lives in ``core/store`` behind ``index_cases``/``matching_in_id_order`` (DESIGN.md §10, Scale):
SQLite FTS5, PostgreSQL a ``search_fts`` table of the same shape (``rowid``, ``body``) with a ``tsvector`` of the
body (``simple`` configuration: the tokens are folded already, nothing to stem) under a GIN index. The body of a
case's row holds folded tokens: names, phonetic codes (``ph67``), birth date (``g19700312`` and the year), phone
digits and the case number. Query and index use the same ``fold`` on both backends, so both find the same cases.
The ids of the search rows are in list order (``list_order``), so a query reads the first page of its hits in id
order instead of sorting all of them.
"""

from __future__ import annotations

import re
import uuid
from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Select,
    String,
    TypeDecorator,
    bindparam,
    column,
    delete,
    insert,
    select,
    table,
    text,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import NullType

from whh_desktop.core.domain.phonetics import cologne
from whh_desktop.core.domain.text import fold, sort_key
from whh_desktop.core.store import bulk_sql, dialect, list_order
from whh_desktop.core.store.models import Case, Person, SearchDoc

_DATE_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
PHONE_MIN_DIGITS = 5
CASE_NUMBER_RE = re.compile(r"^[A-Za-z]{3}-(\d{1,4}(-\d*)?)?$")  # LOE-, LOE-2025, LOE-2025-00
_PHONE_RE = re.compile(r"^\+?[\d\s/()-]{4,}$")
FTS_PREFIXES = "1 2 3"  # FTS5 prefix indexes: up to three letters read one list, not every word ("muller a")


def case_body(person: Person, case: Case) -> str:
    words = fold(f"{person.family_name} {person.given_names}").split()
    tokens = list(words)
    tokens += [f"ph{code}" for code in (cologne(w) for w in words) if code]
    if person.birth_date:
        tokens += [f"g{person.birth_date:%Y%m%d}", f"{person.birth_date:%Y}"]
    if person.phone:
        digits = re.sub(r"\D", "", person.phone)
        if digits:
            tokens.append(digits)
    if case.case_number:
        # Only the serial ("0042"): whole case numbers go through the case-number index (CASE_NUMBER_RE), and a
        # site token ("lo") in every row would make each keystroke of "LOE-…" match all cases.
        tokens.append(case.case_number.rsplit("-", 1)[-1])
    return " ".join(tokens)


def index_cases(session: Session, case_ids: Iterable[uuid.UUID]) -> None:
    """(Re)write the search rows of these cases; tombstoned cases or persons leave the index. A row whose sort key
    moves to another group of the list order (a rename) gets a new id (``list_order``)."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        return
    rows = session.execute(select(Case, Person).join(Person, Person.id == Case.person_id)
                           .where(Case.id.in_(ids))).all()
    docs = dict(session.execute(select(SearchDoc.case_id, SearchDoc.id).where(SearchDoc.case_id.in_(ids))).all())
    conn = session.connection()
    new_ids = list_order.DocIds(lambda sql, params: dialect.rows(conn, sql, params))
    for case, person in rows:
        doc_id = docs.pop(case.id, None)
        values = list_columns(case, person)
        if doc_id is not None:
            conn.execute(text("DELETE FROM search_fts WHERE rowid = :r"), {"r": doc_id})
            if not list_order.same_group(doc_id, str(values["sort_key"])):
                conn.execute(delete(SearchDoc).where(SearchDoc.id == doc_id))
                doc_id = None
        if doc_id is None:  # Core, not the ORM: this also runs inside the flush hook
            doc_id = new_ids.new_id(str(values["sort_key"]))
            conn.execute(insert(SearchDoc).values(id=doc_id, case_id=case.id, **values))
        else:
            conn.execute(update(SearchDoc).where(SearchDoc.id == doc_id).values(**values))
        if case.deleted_at is None and person.deleted_at is None:
            conn.execute(text("INSERT INTO search_fts(rowid, body) VALUES (:r, :b)"),
                         {"r": doc_id, "b": case_body(person, case)})
    for doc_id in docs.values():  # cases that no longer join a person
        conn.execute(text("DELETE FROM search_fts WHERE rowid = :r"), {"r": doc_id})


_BulkCase = namedtuple("_BulkCase", "case_number status current_category municipality counsellor deleted_at")
_BulkPerson = namedtuple("_BulkPerson", "family_name given_names birth_date phone deleted_at")
_BULK_SQL = ("SELECT c.id, c.case_number, c.status, c.current_category, c.municipality, c.counsellor, c.deleted_at, "
             "p.family_name, p.given_names, p.birth_date, p.phone, p.deleted_at "
             "FROM cases c JOIN persons p ON p.id = c.person_id WHERE ")
_DOC_COLUMNS = ("sort_key", "case_number", "status", "category", "municipality", "counsellor")


def index_cases_bulk(session: Session, case_hexes: Iterable[str]) -> None:
    """``index_cases`` for many cases at once (a sync import): the same rows, written with ``executemany`` on the
    raw connection. Ids are the 32-digit hex form the store keeps; call inside the write transaction, after the
    cases and persons are written."""
    ids = list(dict.fromkeys(case_hexes))
    if not ids:
        return
    conn = session.connection()
    raw = dialect.storage(conn)
    docs: dict[str, int] = {}
    found = []
    for i in range(0, len(ids), 50_000):
        chunk = ids[i:i + 50_000]
        where, arg = bulk_sql.in_values(conn, "search_docs", "case_id", chunk)
        docs.update(raw.execute(f"SELECT case_id, id FROM search_docs WHERE {where}", (arg,)).fetchall())
        where, arg = bulk_sql.in_values(conn, "cases", "id", chunk, alias="c")
        found += raw.execute(_BULK_SQL + where, (arg,)).fetchall()
    new_docs, updates, stale, gone, bodies = [], [], [], [], []
    new_ids = list_order.DocIds(lambda sql, params: list(raw.execute(sql, tuple(params)).fetchall()))
    for r in found:
        case = _BulkCase(*r[1:7])
        person = _BulkPerson(r[7], r[8], date.fromisoformat(r[9]) if r[9] else None, r[10], r[11])
        values = list_columns(case, person)  # type: ignore[arg-type]
        row = tuple(values[c] for c in _DOC_COLUMNS)
        doc_id = docs.pop(r[0], None)
        if doc_id is not None:
            stale.append((doc_id,))
            if not list_order.same_group(doc_id, str(values["sort_key"])):  # renamed: a place elsewhere in order
                gone.append((doc_id,))
                doc_id = None
        if doc_id is None:
            doc_id = new_ids.new_id(str(values["sort_key"]))
            new_docs.append((doc_id, r[0], *row))
        else:
            updates.append((*row, doc_id))
        if case.deleted_at is None and person.deleted_at is None:
            bodies.append((doc_id, case_body(person, case)))  # type: ignore[arg-type]
    stale += [(doc_id,) for doc_id in docs.values()]  # cases that no longer join a person
    if stale:
        raw.executemany("DELETE FROM search_fts WHERE rowid = ?", stale)
    if gone:
        raw.executemany("DELETE FROM search_docs WHERE id = ?", gone)
    if new_docs:
        raw.executemany("INSERT INTO search_docs(id, case_id, sort_key, case_number, status, category, municipality, "
                        "counsellor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", new_docs)
    if updates:
        raw.executemany("UPDATE search_docs SET sort_key = ?, case_number = ?, status = ?, category = ?, "
                        "municipality = ?, counsellor = ? WHERE id = ?", updates)
    if bodies:  # in id order: FTS5 writes a segment whenever an id is not above the previous one
        raw.executemany("INSERT INTO search_fts(rowid, body) VALUES (?, ?)", sorted(bodies))


def drop_case(conn: Connection, case_hex: str) -> None:
    """Remove a case (32 hex digits) from the index: its body and its list row (the case is being deleted)."""
    doc = dialect.scalar(conn, "SELECT id FROM search_docs WHERE case_id = ?", (case_hex,))
    if doc is not None:
        dialect.run(conn, "DELETE FROM search_fts WHERE rowid = ?", (doc,))
        dialect.run(conn, "DELETE FROM search_docs WHERE id = ?", (doc,))


def create_search_table(conn: Connection, name: str = "search_fts") -> None:
    """The ``search_fts`` table of this backend (the SQLite one is made by migration 0002 in the same form and
    rebuilt by 0017 in this one)."""
    if dialect.name(conn) == dialect.POSTGRESQL:
        conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {name} (rowid bigint PRIMARY KEY, body text NOT NULL, "
                             "tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED)")
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{name}_tsv ON {name} USING gin (tsv)")
    else:
        conn.exec_driver_sql(f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5(body, "
                             f"tokenize = 'unicode61 remove_diacritics 2', prefix = '{FTS_PREFIXES}')")


def list_columns(case: Case, person: Person) -> dict[str, object]:
    gone = case.deleted_at is not None or person.deleted_at is not None
    return {"sort_key": sort_key(person.family_name or "", person.given_names or ""),
            "case_number": case.case_number or "", "status": "" if gone else case.status,
            "category": case.current_category, "municipality": case.municipality, "counsellor": case.counsellor}


def cases_of_persons(session: Session, person_ids: Iterable[uuid.UUID]) -> list[uuid.UUID]:
    ids = list(person_ids)
    if not ids:
        return []
    return list(session.execute(select(Case.id).where(Case.person_id.in_(ids))).scalars())


@dataclass(frozen=True)
class Query:
    """The FTS5 MATCH expressions for exact (prefix) and phonetic search (sounds alike, not an exact hit); None
    when the text gives no tokens."""

    exact: str | None
    phonetic: str | None


def build_query(raw: str) -> Query:
    tokens: list[str] = []
    rest = raw
    for m in _DATE_RE.finditer(raw):
        try:
            tokens.append(f'"g{date(int(m[3]), int(m[2]), int(m[1])):%Y%m%d}"')
        except ValueError:
            continue
        rest = rest.replace(m[0], " ")
    if _PHONE_RE.match(rest.strip()) and sum(ch.isdigit() for ch in rest) >= PHONE_MIN_DIGITS:
        tokens.append(f'"{re.sub(r"[^0-9]", "", rest)}"*')
        rest = ""
    words = fold(rest).split()
    # Short numbers are a year or a case serial, matched whole: as a prefix, "0151" would match every mobile number.
    tokens += [f'"{w}"' if w.isdigit() and len(w) < PHONE_MIN_DIGITS else f'"{w}"*' for w in words]
    phonetic = [f'"ph{c}"' for c in (cologne(w) for w in words if len(w) >= 3 and w.isalpha()) if c]
    exact = " ".join(tokens) or None
    if not (phonetic and len(phonetic) == len(words)):
        return Query(exact, None)
    # sounds alike and is no exact hit: the two lists never share a case, however far either is read
    return Query(exact, " ".join(phonetic) + (f" NOT ({exact})" if exact else ""))


class _MatchText(TypeDecorator[str]):
    """The bound FTS5 expression: as it is for SQLite, translated to tsquery text for PostgreSQL."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect_: Any) -> str | None:
        return to_tsquery(value) if value is not None and dialect_.name == dialect.POSTGRESQL else value


class _fts_match(FunctionElement[Any]):
    """``search_fts`` matches an FTS5 expression of ``build_query`` (the statement stays cacheable: the expression
    is a bound value)."""

    type = NullType()  # a Boolean would make SQLite render "MATCH ? = 1", which FTS5 refuses
    inherit_cache = True

    def __init__(self, match: str) -> None:
        super().__init__(bindparam(None, match, type_=_MatchText()))


@compiles(_fts_match, dialect.SQLITE)
def _match_sqlite(element: _fts_match, compiler: SQLCompiler, **kw: Any) -> str:
    return f"search_fts MATCH {compiler.process(next(iter(element.clauses)), **kw)}"


@compiles(_fts_match, dialect.POSTGRESQL)
def _match_postgresql(element: _fts_match, compiler: SQLCompiler, **kw: Any) -> str:
    return f"search_fts.tsv @@ to_tsquery('simple', {compiler.process(next(iter(element.clauses)), **kw)})"


_PHRASE = re.compile(r'"([^"]*)"(\*?)')


def to_tsquery(match: str) -> str:
    """An FTS5 expression of ``build_query`` (quoted phrases, ``*`` for a prefix, all required, then maybe
    ``NOT (…)`` of more phrases) as tsquery text. A phrase of several words (fold makes none) requires each word."""
    required, _, excluded = match.partition(" NOT (")
    return _tsquery_terms(required) + (f" & !({_tsquery_terms(excluded)})" if excluded else "")


def _tsquery_terms(match: str) -> str:
    terms = []
    for phrase, star in _PHRASE.findall(match):
        words = re.findall(r"\w+", phrase)
        terms += [f"{w}:*" if star and i == len(words) - 1 else w for i, w in enumerate(words)]
    return " & ".join(terms) or "''"


def matching_in_id_order(stmt: Select[Any], match: str, within: tuple[int, int] | None = None) -> Select[Any]:
    """``stmt`` (a select over ``search_docs``) limited to the rows matching a ``build_query`` expression, in id
    order, which is the list order by groups (``list_order``): the full-text index hands out its hits in that
    order, so a LIMIT stops early instead of sorting every hit. ``within``: only ids in these bounds (one group)."""
    fts = table("search_fts", column("rowid", BigInteger))
    stmt = stmt.join(fts, fts.c.rowid == SearchDoc.id).where(_fts_match(match))
    if within is not None:
        stmt = stmt.where(fts.c.rowid >= within[0], fts.c.rowid <= within[1])
    return stmt.order_by(_hit_order(fts.c.rowid))


class _hit_order(FunctionElement[int]):
    """The id as the ORDER BY of the hits. SQLite: FTS5 hands them out in that order and stops at the LIMIT.
    PostgreSQL: ``rowid + 0``, so the planner never walks the primary key in order filtering every row's tsvector:
    the hits of a name prefix lie together in list order, maybe after half a million rows that do not match
    ("mei" took 1.1 s); the GIN index finds them and a top-N sort orders the few thousand."""

    type = BigInteger()
    inherit_cache = True


@compiles(_hit_order, dialect.SQLITE)
def _hit_order_sqlite(element: _hit_order, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(next(iter(element.clauses)), **kw))


@compiles(_hit_order, dialect.POSTGRESQL)
def _hit_order_postgresql(element: _hit_order, compiler: SQLCompiler, **kw: Any) -> str:
    return f"{compiler.process(next(iter(element.clauses)), **kw)} + 0"
