"""What goes into a bundle: the payload a site sends the district and the part the district sends each site.

Site → district: everything after the last exported ``change_log`` sequence (or everything, for a full export or a
new epoch). The consent gate (DESIGN.md §4, §10) decides per case: with a valid consent naming the Kreis the case
aggregate goes out identified (and a link from its pseudonym); without one only a pseudonymous record with the
whitelisted statistics, keyed by an HMAC-SHA256 of the case id with a per-site secret that never leaves the store.
A case whose consent is given later goes out whole and identified; a revoked consent sends the pseudonymous record,
which replaces the identified one at the district.

District → site: the district-owned registry rows (landlords, offers, KdU tables, district address book, district
landlord notes), the decisions on that site's registry requests, case handovers (only to the two sites concerned)
and the acknowledgement "Kreis hat Stand bis Export N".

The payload is built inside one read transaction; ``commit_*`` records what went out only after the bundle file
was written, so a failed write exports the same changes again next time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.services.consent import is_valid
from whh_desktop.core.store import bulk_sql
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.models import ExportState, Handover, Setting
from whh_desktop.core.sync import health_filter
from whh_desktop.core.sync import payload as pl

SECRET_KEY = "sync_pseudonym_secret"
IN_CHUNK = 900  # ids per IN (...) — below SQLite's default variable limit
EU = frozenset({"AT", "BE", "BG", "CY", "CZ", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
                "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})
KREIS = ConsentRecipient.KREIS.value


@dataclass
class ExportPlan:
    """The payload plus what to record once the bundle file is written."""

    target: str
    payload: dict[str, Any]
    counts: dict[str, int]
    sequence: int
    epoch: int
    full: bool
    change_seq: int
    share: dict[str, bool] = field(default_factory=dict)      # case hex → identified
    handovers: list[tuple[str, str]] = field(default_factory=list)  # (case id, what was sent) of handovers


# ---- helpers ------------------------------------------------------------------------------------------------------
def _chunks(ids: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(ids), IN_CHUNK):
        yield ids[i:i + IN_CHUNK]


def _raw(session: Session) -> Any:
    """The DB-API connection of the session's transaction: plain tuples, no per-row SQLAlchemy ``Row``."""
    return session.connection().connection.dbapi_connection


def _select(session: Session, entity: str, where: str = "", params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    cols = ", ".join(f'"{c}"' for c in pl.column_names(entity))
    sql = f'SELECT {cols} FROM "{entity}"' + (f" WHERE {where}" if where else "")
    return _raw(session).execute(sql, params).fetchall()


def _select_in(session: Session, entity: str, column: str, ids: Iterable[str], extra: str = "",
               params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for chunk in _chunks(sorted(set(ids))):
        marks = ",".join("?" * len(chunk))
        out += _select(session, entity, f'"{column}" IN ({marks})' + extra, (*chunk, *params))
    return out


@cache
def _index(entity: str, column: str) -> int:
    return pl.column_names(entity).index(column)


def pseudonym_secret(session: Session) -> bytes:
    """The per-site HMAC key (a ``Setting`` row, never exported); made on first use."""
    row = session.get(Setting, SECRET_KEY)
    if row is None:
        row = Setting(key=SECRET_KEY, value=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return bytes.fromhex(str(row.value))


def pseudonym(secret: bytes, kind: str, hex_id: str) -> str:
    return hmac.digest(secret, f"{kind}:{pl.hyphenated(hex_id)}".encode(), hashlib.sha256).hex()


def _state(session: Session, target: str) -> ExportState:
    state = session.get(ExportState, target)
    return state if state is not None else ExportState(target=target, epoch=0, last_sequence=0, last_change_seq=0)


def _max_change(session: Session) -> int:
    return int(session.connection().exec_driver_sql("SELECT COALESCE(MAX(seq), 0) FROM change_log").scalar() or 0)


def _changed(session: Session, since: int, upto: int) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    rows = session.connection().exec_driver_sql(
        "SELECT entity, row_id FROM change_log WHERE seq > ? AND seq <= ?", (since, upto)).fetchall()
    for entity, row_id in rows:
        out[entity].add(row_id.replace("-", ""))
    return out


# ---- site → district --------------------------------------------------------------------------------------------
@dataclass
class _Aggregate:
    case: tuple[Any, ...]
    children: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))


# What a pseudonymous record is made of (the DESIGN.md §10 whitelist) and what decides the consent gate, as narrow
# column lists: a full export reads only these for the cases that go out pseudonymous (most of them, DESIGN.md §7)
# and whole rows only for the cases that go out identified.
_STAT_CASE = ("municipality", "opened_on", "closed_on", "outcome", "deleted_at")
_STAT_PERSON = ("birth_date", "sex", "nationality")
_STAT_CHILD = {"case_categories": ("category", "since", "deleted_at"),
               "household_members": ("relation", "deleted_at"),
               "contacts": ("bausteine", "deleted_at"),
               "applications": ("id", "kind", "submitted_on", "decision", "decided_on", "eviction_averted",
                                "deleted_at"),
               "application_objections": ("application_id", "lodged_on", "decision", "decided_on", "deleted_at")}
_SHARE_COLS = ("recipients", "valid_from", "valid_until", "revoked_on", "deleted_at")


@dataclass
class _Stats:
    """One case's statistics inputs: narrow tuples in the ``_STAT_*`` column orders."""

    case: tuple[Any, ...]
    children: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))


def _select_cols(session: Session, entity: str, cols: tuple[str, ...], where: str,
                 params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    quoted = ", ".join(f'"{c}"' for c in cols)
    return _raw(session).execute(f'SELECT {quoted} FROM "{entity}" WHERE {where}', params).fetchall()


def _project(entity: str, cols: tuple[str, ...]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    at = [_index(entity, c) for c in cols]
    return lambda r: tuple(r[i] for i in at)


def needs_full(session: Session, epoch: int, target: str = pl.DISTRICT) -> bool:
    state = _state(session, target)
    return state.last_sequence == 0 or state.epoch != epoch


def build_site_payload(session: Session, *, site: str, store_id: str, epoch: int, full: bool = False,
                       today: date | None = None) -> ExportPlan:
    today = today or date.today()
    state = _state(session, pl.DISTRICT)
    full = full or state.last_sequence == 0 or state.epoch != epoch
    sequence = 1 if state.epoch != epoch else state.last_sequence + 1
    hi = _max_change(session)
    secret = pseudonym_secret(session) if session.get(Setting, SECRET_KEY) else None
    if secret is None:
        raise RuntimeError("pseudonym secret missing: call ensure_secret() in a write transaction first")

    case_idx = {e: _index(e, "case_id") for e in pl.CHILD_TABLES}
    cases_id_at, person_at = _index("cases", "id"), _index("cases", "person_id")
    pending = {h.case_id.hex: h for h in session.execute(
        select(Handover).where(Handover.state == "requested", Handover.from_site == site)).scalars()}

    touched: dict[str, list[tuple[Any, ...]]] = {}
    aggregates: dict[str, _Aggregate] = {}   # whole rows: the cases that go out identified (all affected, if not full)
    persons: dict[str, tuple[Any, ...]] = {}
    stats: dict[str, _Stats] = {}            # per affected case: what its pseudonymous record needs
    person_stats: dict[str, tuple[Any, ...]] = {}
    person_of: dict[str, str] = {}
    consents: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    if full:
        for name in ("registry_requests", "landlord_notes"):
            touched[name] = _select(session, name, "owner_site = ?", (site,))
        for r in _select_cols(session, "cases", ("id", "person_id", *_STAT_CASE), "owner_site = ?", (site,)):
            stats[r[0]] = _Stats(r[2:])
            person_of[r[0]] = r[1]
        affected = set(stats)
        for r in _select_cols(session, "consents", ("case_id", *_SHARE_COLS), "owner_site = ?", (site,)):
            consents[r[0]].append(r[1:])
        shares = _shares(stats, consents, today)
        identified = [c for c, ok in shares.items() if ok]
        for r in _select_in(session, "cases", "id", identified, " AND owner_site = ?", (site,)):
            aggregates[r[cases_id_at]] = _Aggregate(r)
        for entity in pl.CHILD_TABLES:
            at = case_idx[entity]
            for r in _select_in(session, entity, "case_id", identified, " AND owner_site = ?", (site,)):
                aggregates[r[at]].children[entity].append(r)
        for entity, cols in _STAT_CHILD.items():
            for r in _select_cols(session, entity, ("case_id", *cols), "owner_site = ?", (site,)):
                st = stats.get(r[0])
                if st is not None and not shares[r[0]]:
                    st.children[entity].append(r[1:])
        person_stats = {r[0]: r[1:] for r in _select_cols(session, "persons", ("id", *_STAT_PERSON),
                                                            "owner_site = ?", (site,))}
        persons = {r[_index("persons", "id")]: r for r in _select_in(
            session, "persons", "id", {person_of[c] for c in identified}, " AND owner_site = ?", (site,))}
    else:
        changed = _changed(session, state.last_change_seq, hi)
        for model in pl.SITE_MODELS:
            name = model.__tablename__
            touched[name] = _select_in(session, name, "id", changed.get(name, ()), " AND owner_site = ?",
                                       (site,)) if changed.get(name) else []
        affected = {r[cases_id_at] for r in touched["cases"]}
        for entity in pl.CHILD_TABLES:
            affected |= {r[case_idx[entity]] for r in touched[entity]}
        person_ids = {r[_index("persons", "id")] for r in touched["persons"]}
        if person_ids:
            affected |= {r[cases_id_at] for r in _select_in(session, "cases", "person_id", person_ids,
                                                            " AND owner_site = ?", (site,))}
        affected |= _expired_shares(session, today) | set(pending)
        for r in _select_in(session, "cases", "id", affected, " AND owner_site = ?", (site,)):
            aggregates[r[cases_id_at]] = _Aggregate(r)
        for entity in pl.CHILD_TABLES:
            for r in _select_in(session, entity, "case_id", aggregates):
                aggregates[r[case_idx[entity]]].children[entity].append(r)
        persons = {r[_index("persons", "id")]: r for r in _select_in(
            session, "persons", "id", {a.case[person_at] for a in aggregates.values()})}
        affected &= set(aggregates)
        case_stat, share_cols = _project("cases", _STAT_CASE), _project("consents", _SHARE_COLS)
        child_stat = {e: _project(e, cols) for e, cols in _STAT_CHILD.items()}
        for case_hex, agg in aggregates.items():
            person_of[case_hex] = agg.case[person_at]
            st = stats[case_hex] = _Stats(case_stat(agg.case))
            for entity, project in child_stat.items():
                st.children[entity] = [project(r) for r in agg.children.get(entity, ())]
            consents[case_hex] = [share_cols(r) for r in agg.children.get("consents", ())]
        person_stat = _project("persons", _STAT_PERSON)
        person_stats = {p: person_stat(r) for p, r in persons.items()}
        shares = _shares(aggregates, consents, today)

    prev = {} if full else _previous_shares(session, affected)  # a full export sends every identified case whole
    out: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    entries: list[dict[str, Any]] = []
    identified_persons: set[str] = set()
    whole: set[str] = set()
    parsed: dict[str, Any] = {}
    for case_hex in sorted(affected):
        person_hex = person_of[case_hex]
        entry: dict[str, Any] = {"pseudonym": pseudonym(secret, "case", case_hex),
                 "person_pseudonym": pseudonym(secret, "person", person_hex), "rev": [epoch, hi]}
        if shares[case_hex]:
            entry |= {"identified": True, "case_id": pl.hyphenated(case_hex), "person_id": pl.hyphenated(person_hex),
                      "data": None}
            identified_persons.add(person_hex)
            if full or not prev.get(case_hex) or case_hex in pending:
                whole.add(case_hex)
        else:
            entry |= {"identified": False, "case_id": None, "person_id": None,
                      "data": _statistics(stats[case_hex], person_stats.get(person_hex), site, parsed)}
        entries.append(entry)

    # rows: whole aggregates, plus the touched rows of cases already known identified (never in a full export,
    # where every identified case is whole)
    for case_hex in whole:
        agg = aggregates[case_hex]
        out["cases"].append(agg.case)
        for entity, rows in agg.children.items():
            out[entity] += rows
    if not full:
        whole_rows = {e: {r[_index(e, "id")] for r in rows} for e, rows in out.items()}
        for entity in ("cases", *pl.CHILD_TABLES):
            at = cases_id_at if entity == "cases" else case_idx[entity]
            id_at = _index(entity, "id")
            for r in touched[entity]:
                if shares.get(r[at]) and r[at] not in whole and r[id_at] not in whole_rows.get(entity, ()):
                    out[entity].append(r)
    person_rows = [persons[p] for p in sorted(identified_persons) if p in persons]
    if not full:  # a touched person goes out with each of its identified cases; others only when a case is whole
        need = {aggregates[c].case[person_at] for c in whole} | (
            {r[_index("persons", "id")] for r in touched["persons"]} & identified_persons)
        person_rows = [r for r in person_rows if r[_index("persons", "id")] in need]
    out["persons"] = person_rows
    out["registry_requests"] = touched["registry_requests"]
    out["landlord_notes"] = touched["landlord_notes"]
    health_filter.withhold_health(session, out, today)  # health content only with the consent's health tick

    handovers: list[dict[str, Any]] = []
    for case_hex, h in pending.items():
        if not shares.get(case_hex):
            continue  # no consent (any more): the handover waits; handover_case checked it when asked
        docs = []
        for doc in aggregates[case_hex].children.get("documents", []):
            doc_hex = doc[_index("documents", "id")]
            data = session.connection().exec_driver_sql(
                "SELECT data FROM document_contents WHERE document_id = ?", (doc_hex,)).scalar()
            if data is not None:
                docs.append({"document_id": pl.hyphenated(doc_hex), "data": base64.b64encode(data).decode()})
        handovers.append({"case_id": pl.hyphenated(case_hex), "case_number": h.case_number, "from_site": site,
                          "to_site": h.to_site, "state": "requested", "documents": docs})

    body = {"format": pl.FORMAT_VERSION, "kind": pl.SITE_TO_DISTRICT, "site": site, "store_id": store_id,
            "epoch": epoch, "sequence": sequence, "full": full, "for_site": pl.DISTRICT,
            "entities": _encode(out), "pseudonyms": entries, "handovers": handovers, "ack": None}
    counts = {e: len(rows) for e, rows in out.items() if rows}
    counts["pseudonymous"] = sum(1 for e in entries if not e["identified"])
    counts["identified"] = len(entries) - counts["pseudonymous"]
    if handovers:
        counts["handovers"] = len(handovers)
    return ExportPlan(pl.DISTRICT, body, {k: v for k, v in counts.items() if v}, sequence, epoch, full, hi,
                      share=shares, handovers=[(h["case_id"], "exported") for h in handovers])


def _encode(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for entity, raw in rows.items():
        if raw:
            enc = pl.row_encoder(entity)
            out[entity] = [enc(r) for r in raw]
    return out


def _shares(case_ids: Iterable[str], consents: dict[str, list[tuple[Any, ...]]], today: date) -> dict[str, bool]:
    """Per case: may it go out identified? The same rule as ``consent.check_sharing(…, KREIS)``, in bulk.
    ``consents`` holds each case's consent rows as ``_SHARE_COLS`` tuples."""
    out = {}
    for case_hex in case_ids:
        ok = False
        for recipients, valid_from, valid_until, revoked_on, deleted_at in consents.get(case_hex, ()):
            if KREIS not in (recipients or ""):
                continue
            consent = SimpleNamespace(deleted_at=deleted_at, valid_from=_d(valid_from), valid_until=_d(valid_until),
                                      revoked_on=_d(revoked_on))
            if is_valid(consent, today):  # type: ignore[arg-type]
                ok = True
                break
        out[case_hex] = ok
    return out


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _previous_shares(session: Session, case_ids: set[str] | None) -> dict[str, bool]:
    sql = "SELECT case_id, identified FROM sync_case_share"
    if case_ids is None:
        return {c: bool(i) for c, i in session.connection().exec_driver_sql(sql).fetchall()}
    out = {}
    for chunk in _chunks(sorted(case_ids)):
        rows = session.connection().exec_driver_sql(
            f"{sql} WHERE case_id IN ({','.join('?' * len(chunk))})", tuple(chunk)).fetchall()
        out.update({c: bool(i) for c, i in rows})
    return out


def _expired_shares(session: Session, today: date) -> set[str]:
    """Cases sent identified whose Kreis consent has run out since (no change_log row marks that)."""
    rows = session.connection().exec_driver_sql(
        "SELECT DISTINCT c.case_id FROM consents c JOIN sync_case_share s ON s.case_id = c.case_id "
        "WHERE s.identified = 1 AND c.valid_until IS NOT NULL AND c.valid_until < ?", (today.isoformat(),))
    return {r[0] for r in rows}


def expired_flips(session: Session, today: date) -> list[tuple[str, int]]:
    """The Kreis consents (id, version) of cases sent identified that may no longer go out identified only because
    a »gültig bis« date has passed. Nothing wrote a change_log row for that; ``mark_expired`` writes one per consent,
    so the pseudonymous record of the next export carries a newer revision than the identified one the district
    holds (an equal revision is not applied there)."""
    cases = _expired_shares(session, today)
    if not cases:
        return []
    consents: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    ids: list[tuple[str, int, str]] = []
    for chunk in _chunks(sorted(cases)):
        for r in _raw(session).execute(
                f'SELECT case_id, id, version, {", ".join(_SHARE_COLS)} FROM consents WHERE case_id IN '
                f"({','.join('?' * len(chunk))})", tuple(chunk)).fetchall():
            consents[r[0]].append(r[3:])
            if r[5] is not None and r[5] < today.isoformat():  # valid_until passed
                ids.append((r[1], r[2], r[0]))
    shares = _shares(cases, consents, today)
    return [(consent_id, version) for consent_id, version, case_hex in ids if not shares[case_hex]]


def mark_expired(session: Session, consents: list[tuple[str, int]]) -> None:
    if consents:
        at = utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        _raw(session).executemany("INSERT INTO change_log(entity, row_id, version, op, at) VALUES "
                                  "('consents', ?, ?, 'update', ?)", [(pl.hyphenated(c), v, at) for c, v in consents])


def _statistics(st: _Stats, person: tuple[Any, ...] | None, site: str, parsed: dict[str, Any]) -> dict[str, Any]:
    """The DESIGN.md §10 whitelist, nothing else. ``parsed`` caches decoded ``bausteine`` JSON across cases."""
    municipality, opened, closed, outcome, deleted_at = st.case
    birth, sex, nat = person if person is not None else (None, None, None)
    age_band = "unbekannt"
    if birth and opened:
        b, o = date.fromisoformat(birth), date.fromisoformat(opened)
        age = o.year - b.year - ((o.month, o.day) < (b.month, b.day))
        if age >= 0:
            age_band = f"{age // 5 * 5}-{age // 5 * 5 + 4}"
    group = "unbekannt" if not nat else "deutsch" if nat == "DE" else "eu" if nat in EU else "andere"
    cats = sorted(st.children.get("case_categories", ()), key=lambda c: (c[1], c[0]))
    categories = [[category, since[:7]] for category, since, gone in cats if gone is None]
    relations = [relation for relation, gone in st.children.get("household_members", ()) if gone is None]
    partner, kids = "partner" in relations, "kind" in relations
    htype = ("allein" if not relations else "paar_mit_kind" if partner and kids else "paar" if partner
             and len(relations) == 1 else "alleinerziehend" if kids and not partner
             and all(r == "kind" for r in relations) else "sonstige")
    per_baustein: dict[str, int] = defaultdict(int)
    for text, gone in st.children.get("contacts", ()):
        if gone is None:
            if text in parsed:
                values = parsed[text]
            else:
                values = parsed[text] = pl._out_json(text)
            for b in values or ():
                per_baustein[str(b)] += 1
    return {"site": site, "municipality": municipality, "categories": categories,
            "sex": sex or "ohne_angabe", "age_band": age_band, "nationality_group": group,
            "household_type": htype, "household_size": 1 + len(relations),
            "opened_month": opened[:7] if opened else None,
            "closed_month": closed[:7] if closed else None, "outcome": outcome,
            "contacts_per_baustein": dict(sorted(per_baustein.items())), "deleted": deleted_at is not None,
            "applications": _application_statistics(st)}


def _days_between(start: str | None, end: str | None) -> int | None:
    """Whole days; None for an impossible span (a decision dated before the submission is an entry error at the site
    and must not make the district refuse the whole bundle)."""
    if not start or not end:
        return None
    days = (date.fromisoformat(end[:10]) - date.fromisoformat(start[:10])).days
    return days if 0 <= days <= pl.MAX_DAYS else None


def _application_statistics(st: _Stats) -> list[dict[str, Any]]:
    """Per live application (in submission order): kind, months, decision, the processing time in whole days (an
    integer, no date), the eviction averted flag and its last Widerspruch (month lodged, outcome, month and days)."""
    last: dict[str, tuple[Any, ...]] = {}
    for app_id, lodged, decision, decided, gone in sorted(st.children.get("application_objections", ()),
                                                         key=lambda o: (o[1] or "", o[3] or "")):
        if gone is None:
            last[app_id] = (lodged, decision, decided)
    out = []
    for app_id, kind, submitted, decision, decided, averted, gone in sorted(
            st.children.get("applications", ()), key=lambda a: (a[2] or "", a[0])):
        if gone is not None or not submitted:
            continue
        o_lodged, o_decision, o_decided = last.get(app_id, (None, None, None))
        out.append({"kind": kind, "submitted_month": submitted[:7], "decision": decision,
                    "decided_month": decided[:7] if decision and decided else None,
                    "days": _days_between(submitted, decided) if decision else None,
                    "eviction_averted": None if averted is None else bool(averted),
                    "objection_month": o_lodged[:7] if o_lodged else None,
                    "objection_decision": o_decision if o_lodged else None,
                    "objection_decided_month": o_decided[:7] if o_lodged and o_decision and o_decided else None,
                    "objection_days": _days_between(o_lodged, o_decided) if o_lodged and o_decision else None})
    return out


def commit_export(session: Session, plan: ExportPlan) -> None:
    """Record what went out (after the file was written), in a write transaction."""
    state = session.get(ExportState, plan.target)
    if state is None:
        state = ExportState(target=plan.target, epoch=plan.epoch, last_sequence=0, last_change_seq=0)
        session.add(state)
    now = utcnow()
    state.epoch, state.last_sequence, state.last_change_seq = plan.epoch, plan.sequence, plan.change_seq
    state.last_export_at = now
    if plan.full:
        state.last_full_at = now
    if plan.share:
        conn = session.connection()
        stamp = now.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        bulk_sql.replace_rows(conn, "sync_case_share", ("case_id", "identified", "exported_at"),
                              [(c, int(i), stamp) for c, i in plan.share.items()])
    for case_id, sent in plan.handovers:
        h = session.get(Handover, _uuid(case_id))
        if h is not None:
            h.state = _next_handover_state(h.state, sent)
    session.flush()


def _uuid(text: str) -> Any:
    import uuid

    return uuid.UUID(text)


def _next_handover_state(current: str, sent: str) -> str:
    if sent in ("in_sent", "out_sent") and current in ("in_sent", "out_sent") and current != sent:
        return "forwarded"
    return sent if current not in ("forwarded",) else current


# ---- district → site --------------------------------------------------------------------------------------------
def build_district_payload(session: Session, *, site: str, store_id: str, epoch: int,
                           today: date | None = None) -> ExportPlan:
    state = _state(session, site)
    first = state.last_sequence == 0 or state.epoch != epoch
    sequence = 1 if state.epoch != epoch else state.last_sequence + 1
    hi = _max_change(session)
    out: dict[str, list[tuple[Any, ...]]] = {}
    changed = None if first else _changed(session, state.last_change_seq, hi)
    for model in pl.DISTRICT_MODELS:
        name = model.__tablename__
        extra = " AND owner_site = ?"
        params: tuple[str, ...] = (pl.DISTRICT,)
        if name == "registry_decisions":  # only answers to this site's requests
            extra += " AND request_id IN (SELECT id FROM registry_requests WHERE owner_site = ?)"
            params = (pl.DISTRICT, site)
        if first:
            out[name] = _select(session, name, extra[5:], params)
        else:
            ids = changed.get(name, set()) if changed else set()
            out[name] = _select_in(session, name, "id", ids, extra, params) if ids else []
    handovers, sent = [], []
    incoming = session.execute(select(Handover).where(Handover.to_site == site,
                                                      Handover.state.in_(("received", "out_sent")))).scalars()
    for h in incoming:
        case_hex = h.case_id.hex
        case_rows = _select(session, "cases", "id = ?", (case_hex,))
        if not case_rows:
            continue
        out.setdefault("cases", []).extend(case_rows)
        out.setdefault("persons", []).extend(
            _select(session, "persons", "id = ?", (case_rows[0][_index("cases", "person_id")],)))
        for model in pl.CASE_CHILDREN:
            out.setdefault(model.__tablename__, []).extend(
                _select(session, model.__tablename__, "case_id = ?", (case_hex,)))
        docs = [{"document_id": pl.hyphenated(d), "data": base64.b64encode(b).decode()}
                for d, b in session.connection().exec_driver_sql(
                    "SELECT document_id, data FROM sync_handover_documents WHERE case_id = ?", (case_hex,))]
        handovers.append({"case_id": str(h.case_id), "case_number": h.case_number, "from_site": h.from_site,
                          "to_site": h.to_site, "state": "incoming", "documents": docs})
        sent.append((str(h.case_id), "in_sent"))
    outgoing = session.execute(select(Handover).where(Handover.from_site == site,
                                                      Handover.state.in_(("received", "in_sent")))).scalars()
    for h in outgoing:
        handovers.append({"case_id": str(h.case_id), "case_number": h.case_number, "from_site": h.from_site,
                          "to_site": h.to_site, "state": "done", "documents": []})
        sent.append((str(h.case_id), "out_sent"))
    ack = acknowledgement(session, site)
    body = {"format": pl.FORMAT_VERSION, "kind": pl.DISTRICT_TO_SITE, "site": pl.DISTRICT, "store_id": store_id,
            "epoch": epoch, "sequence": sequence, "full": first, "for_site": site, "entities": _encode(out),
            "pseudonyms": [], "handovers": handovers, "ack": ack}
    counts = {e: len(rows) for e, rows in out.items() if rows}
    if handovers:
        counts["handovers"] = len(handovers)
    return ExportPlan(site, body, counts, sequence, epoch, first, hi, handovers=sent)


def acknowledgement(session: Session, site: str) -> dict[str, int] | None:
    """The highest sequence N such that exports 1…N of the site's latest epoch have all arrived."""
    rows = session.connection().exec_driver_sql(
        "SELECT epoch, sequence FROM sync_imported_bundles WHERE sender_site = ? AND kind = ?",
        (site, pl.SITE_TO_DISTRICT)).fetchall()
    if not rows:
        return None
    epoch = max(e for e, _ in rows)
    have = {s for e, s in rows if e == epoch}
    n = 0
    while n + 1 in have:
        n += 1
    return {"epoch": epoch, "sequence": n}
