"""What goes into a bundle: the payload a site sends the district and the part the district sends each site.

Site → district: everything after the last exported ``change_log`` sequence (or everything, for a full export or a
new epoch). The consent gate (DESIGN.md §4, §10) decides per case: with a valid consent naming the Kreis the case
aggregate goes out identified (and a link from its pseudonym); without one only a pseudonymous record with the
whitelisted statistics, keyed by an HMAC-SHA256 of the case id with a per-site secret that never leaves the store.
A case whose consent is given later goes out whole and identified; a revoked consent sends the pseudonymous record,
which replaces the identified one at the district.

``build_site_payload`` composes four steps, each in its own unit: the selection (``export_selection``: which rows
are read), the pseudonym entries (``pseudonym_records``), the identified rows (the consent gate, here) and the
handovers (``export_handovers``). District → site is ``district_export``.

The payload is built inside one read transaction; ``commit_export`` records what went out only after the bundle
file was written, so a failed write exports the same changes again next time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy.orm import Session

from whh_desktop.core.domain.consent import is_valid
from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.store import dialect
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.models import Setting
from whh_desktop.core.sync import export_handovers, export_selection, health_filter
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.district_export import acknowledgement, build_district_payload
from whh_desktop.core.sync.export_plan import ExportPlan, commit_export, encode_rows
from whh_desktop.core.sync.export_rows import Row, changed, chunks, export_state, index, max_change, raw
from whh_desktop.core.sync.export_selection import SHARE_COLS, Selection
from whh_desktop.core.sync.pseudonym_records import SECRET_KEY, pseudonym, pseudonym_entries, pseudonym_secret

# the public names of the exporter, wherever they live (the services call them through this module)
__all__ = ["SECRET_KEY", "ExportPlan", "Setting", "acknowledgement", "build_district_payload", "build_site_payload",
           "commit_export", "consent_gate", "date", "expired_flips", "identified_rows", "mark_expired", "needs_full",
           "pseudonym", "pseudonym_secret"]

KREIS = ConsentRecipient.KREIS.value


def needs_full(session: Session, epoch: int, target: str = pl.DISTRICT) -> bool:
    state = export_state(session, target)
    return state.last_sequence == 0 or state.epoch != epoch


def build_site_payload(session: Session, *, site: str, store_id: str, epoch: int, full: bool = False,
                       today: date | None = None) -> ExportPlan:
    """The site → district payload: selection, consent gate, pseudonym entries, identified rows, handovers."""
    today = today or date.today()
    state = export_state(session, pl.DISTRICT)
    full = full or state.last_sequence == 0 or state.epoch != epoch
    sequence = 1 if state.epoch != epoch else state.last_sequence + 1
    hi = max_change(session)
    secret = pseudonym_secret(session) if session.get(Setting, SECRET_KEY) else None
    if secret is None:
        raise RuntimeError("pseudonym secret missing: call ensure_secret() in a write transaction first")
    pending = export_handovers.pending(session, site)

    if full:
        sel = export_selection.full_statistics(session, site)
        shares = consent_gate(sel.stats, sel.consents, today)
        export_selection.add_full_rows(session, site, sel, shares)
    else:
        since = changed(session, state.last_change_seq, hi)
        sel = export_selection.changes(session, site, since, _expired_shares(session, today) | set(pending))
        shares = consent_gate(sel.aggregates, sel.consents, today)

    # a full export sends every identified case whole; otherwise a case the district already holds identified
    # gets only its touched rows
    previous = {} if full else _previous_shares(session, sel.affected)
    entries = pseudonym_entries(secret, sorted(sel.affected), person_of=sel.person_of, shares=shares,
                                stats=sel.stats, person_stats=sel.person_stats, site=site, rev=[epoch, hi])
    out = identified_rows(sel, shares, previous, full=full, pending=pending)
    out["registry_requests"] = sel.touched["registry_requests"]
    out["landlord_notes"] = sel.touched["landlord_notes"]
    health_filter.withhold_health(session, out, today)  # health content only with the consent's health tick
    handovers = export_handovers.site_entries(session, site, pending, shares, sel.aggregates)

    body = {"format": pl.FORMAT_VERSION, "kind": pl.SITE_TO_DISTRICT, "site": site, "store_id": store_id,
            "epoch": epoch, "sequence": sequence, "full": full, "for_site": pl.DISTRICT,
            "entities": encode_rows(out), "pseudonyms": entries, "handovers": handovers, "ack": None}
    counts = {e: len(rows) for e, rows in out.items() if rows}
    counts["pseudonymous"] = sum(1 for e in entries if not e["identified"])
    counts["identified"] = len(entries) - counts["pseudonymous"]
    if handovers:
        counts["handovers"] = len(handovers)
    return ExportPlan(pl.DISTRICT, body, {k: v for k, v in counts.items() if v}, sequence, epoch, full, hi,
                      share=shares, handovers=[(h["case_id"], "exported") for h in handovers])


# ---- the consent gate ---------------------------------------------------------------------------------------------
def consent_gate(case_ids: Iterable[str], consents: Mapping[str, list[Row]], today: date) -> dict[str, bool]:
    """Per case: may it go out identified? The same rule as ``consent.check_sharing(…, KREIS)``, in bulk.
    ``consents`` holds each case's consent rows as ``SHARE_COLS`` tuples."""
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


def identified_rows(sel: Selection, shares: Mapping[str, bool], previous: Mapping[str, bool], *, full: bool,
                    pending: Mapping[str, Any]) -> dict[str, list[Row]]:
    """The rows of the cases that may go out identified: whole aggregates (every identified case in a full export;
    otherwise a case newly identified or being handed over), plus the touched rows of cases the district already
    holds identified, and their persons. Nothing of a case without a valid Kreis consent."""
    identified_persons: set[str] = set()
    whole: set[str] = set()
    for case_hex in sorted(sel.affected):
        if shares[case_hex]:
            identified_persons.add(sel.person_of[case_hex])
            if full or not previous.get(case_hex) or case_hex in pending:
                whole.add(case_hex)
    out: dict[str, list[Row]] = defaultdict(list)
    for case_hex in whole:
        agg = sel.aggregates[case_hex]
        out["cases"].append(agg.case)
        for entity, rows in agg.children.items():
            out[entity] += rows
    if not full:  # a full export has no touched case rows: every identified case is whole
        whole_rows = {e: {r[index(e, "id")] for r in rows} for e, rows in out.items()}
        for entity in ("cases", *pl.CHILD_TABLES):
            at = index("cases", "id") if entity == "cases" else index(entity, "case_id")
            id_at = index(entity, "id")
            for r in sel.touched[entity]:
                if shares.get(r[at]) and r[at] not in whole and r[id_at] not in whole_rows.get(entity, ()):
                    out[entity].append(r)
    person_rows = [sel.persons[p] for p in sorted(identified_persons) if p in sel.persons]
    if not full:  # a touched person goes out with each of its identified cases; others only when a case is whole
        person_at, id_at = index("cases", "person_id"), index("persons", "id")
        need = {sel.aggregates[c].case[person_at] for c in whole} | (
            {r[id_at] for r in sel.touched["persons"]} & identified_persons)
        person_rows = [r for r in person_rows if r[id_at] in need]
    out["persons"] = person_rows
    return out


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _previous_shares(session: Session, case_ids: set[str] | None) -> dict[str, bool]:
    """Per case: did the last export send it identified?"""
    sql = "SELECT case_id, identified FROM sync_case_share"
    if case_ids is None:
        return {c: bool(i) for c, i in dialect.rows(session.connection(), sql)}
    out = {}
    for chunk in chunks(sorted(case_ids)):
        rows = dialect.rows(session.connection(), f"{sql} WHERE case_id IN ({','.join('?' * len(chunk))})", chunk)
        out.update({c: bool(i) for c, i in rows})
    return out


def _expired_shares(session: Session, today: date) -> set[str]:
    """Cases sent identified whose Kreis consent has run out since (no change_log row marks that)."""
    rows = dialect.rows(
        session.connection(),
        "SELECT DISTINCT c.case_id FROM consents c JOIN sync_case_share s ON s.case_id = c.case_id "
        "WHERE s.identified = TRUE AND c.valid_until IS NOT NULL AND c.valid_until < ?", (today.isoformat(),))
    return {r[0] for r in rows}


def expired_flips(session: Session, today: date) -> list[tuple[str, int]]:
    """The Kreis consents (id, version) of cases sent identified that may no longer go out identified only because
    a »gültig bis« date has passed. Nothing wrote a change_log row for that; ``mark_expired`` writes one per consent,
    so the pseudonymous record of the next export carries a newer revision than the identified one the district
    holds (an equal revision is not applied there)."""
    cases = _expired_shares(session, today)
    if not cases:
        return []
    consents: dict[str, list[Row]] = defaultdict(list)
    ids: list[tuple[str, int, str]] = []
    for chunk in chunks(sorted(cases)):
        for r in raw(session).execute(
                f'SELECT case_id, id, version, {", ".join(SHARE_COLS)} FROM consents WHERE case_id IN '
                f"({','.join('?' * len(chunk))})", tuple(chunk)).fetchall():
            consents[r[0]].append(r[3:])
            if r[5] is not None and r[5] < today.isoformat():  # valid_until passed
                ids.append((r[1], r[2], r[0]))
    shares = consent_gate(cases, consents, today)
    return [(consent_id, version) for consent_id, version, case_hex in ids if not shares[case_hex]]


def mark_expired(session: Session, consents: list[tuple[str, int]]) -> None:
    if consents:
        at = utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        raw(session).executemany("INSERT INTO change_log(entity, row_id, version, op, at) VALUES "
                                 "('consents', ?, ?, 'update', ?)", [(pl.hyphenated(c), v, at) for c, v in consents])

