"""The district derives the report facts of pseudonymous records inside SQLite (JSON functions); this checks them
against a plain-Python statement of the same rules on generated records: every field, month ends, empty and odd
values, deleted and identified records, and a rewrite of the same record."""

from __future__ import annotations

import json
import uuid
from calendar import monthrange
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whh_desktop.core.store.models.sync import write_pseudonym_facts
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync import payload_pseudonyms as pp

MONTHS = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(1990, 2035), st.integers(1, 12))
OPT_MONTH = st.one_of(st.none(), MONTHS)
SMALL = st.one_of(st.none(), st.integers(0, 400))


def _first(text):
    return date(int(text[:4]), int(text[5:7]), 1).isoformat() if text else None


def _last(text):
    if not text:
        return None
    y, m = int(text[:4]), int(text[5:7])
    return date(y, m, monthrange(y, m)[1]).isoformat()


def expected(pid: int, site: str, person_pseudonym: str, identified: bool, data) -> dict[str, list[tuple]]:
    """The rules of DESIGN.md §10 Scale, written out plainly (the storage form: dates as ISO text, uuid as hex)."""
    out: dict[str, list[tuple]] = {"facts": [], "cats": [], "contacts": [], "apps": []}
    if identified or not isinstance(data, dict) or data.get("deleted"):
        return out
    cats = [(pid, n, c, _first(s)) for n, (c, s) in enumerate((c, s) for c, s in data.get("categories") or () if s)]
    per = {str(b): int(n) for b, n in (data.get("contacts_per_baustein") or {}).items() if n}
    opened = _first(data.get("opened_month"))
    band_text = data.get("age_band")
    band = int(band_text.split("-", 1)[0]) if band_text and "-" in band_text else None
    nationality = {"deutsch": "deutsch", "eu": "andere", "andere": "andere"}.get(data.get("nationality_group") or "")
    out["facts"].append((
        pid, site, person_pseudonym, uuid.UUID(hex=person_pseudonym[:32]).hex, data.get("municipality") or None,
        data.get("sex") or None, band, opened if band is not None else None, nationality, data.get("household_type"),
        max(1, int(data.get("household_size") or 1)), opened, _last(data.get("closed_month")), data.get("outcome"),
        cats[-1][2] if cats else None, sum(per.values()), ",".join(f'"{b}"' for b in sorted(per))))
    out["cats"] = cats
    out["contacts"] = [(pid, b, n) for b, n in sorted(per.items())]
    for n, a in enumerate(data.get("applications") or ()):
        averted = a.get("eviction_averted")
        out["apps"].append((pid, n, site, a["kind"], _first(a["submitted_month"]), a.get("decision"),
                            _last(a.get("decided_month")), a.get("days"), None if averted is None else int(averted),
                            _first(a.get("objection_month")), a.get("objection_decision"),
                            _last(a.get("objection_decided_month")), a.get("objection_days")))
    return out


application = st.fixed_dictionaries({
    "kind": st.sampled_from(sorted(pp.APP_KINDS)), "submitted_month": MONTHS,
    "decision": st.one_of(st.none(), st.sampled_from(sorted(pp.APP_DECISIONS))), "decided_month": OPT_MONTH,
    "days": SMALL, "eviction_averted": st.one_of(st.none(), st.booleans()), "objection_month": OPT_MONTH,
    "objection_decision": st.one_of(st.none(), st.sampled_from(sorted(pp.OBJ_DECISIONS))),
    "objection_decided_month": OPT_MONTH, "objection_days": SMALL})

record = st.fixed_dictionaries({
    "site": st.just("loehne"),
    "municipality": st.one_of(st.none(), st.just(""), st.sampled_from(["Löhne", "Bünde", "Vlotho"])),
    "categories": st.lists(st.tuples(st.sampled_from(sorted(pp.CATEGORIES)),
                                     st.one_of(st.none(), st.just(""), MONTHS)).map(list), max_size=4),
    "sex": st.one_of(st.just(""), st.sampled_from(sorted(pp.SEXES))),
    "age_band": st.sampled_from(["0-4", "18-20", "25-29", "65-69", "100-104", "unbekannt"]),
    "nationality_group": st.sampled_from(sorted(pl.NATIONALITY_GROUPS)),
    "household_type": st.sampled_from(sorted(pl.HOUSEHOLD_TYPES)),
    "household_size": st.integers(0, 12), "opened_month": OPT_MONTH, "closed_month": OPT_MONTH,
    "outcome": st.one_of(st.none(), st.sampled_from(sorted(pp.OUTCOMES))),
    "contacts_per_baustein": st.dictionaries(st.sampled_from(sorted(pp.BAUSTEINE)), st.integers(0, 30)),
    "deleted": st.booleans(),
}, optional={"applications": st.lists(application, max_size=3)})

HEX = st.text("0123456789abcdef", min_size=64, max_size=64)


def _stored(conn) -> dict[str, list[tuple]]:
    q = {"facts": "SELECT * FROM sync_pseudonym_facts",
         "cats": "SELECT pseudonym_id, position, category, since FROM sync_pseudonym_categories",
         "contacts": "SELECT pseudonym_id, baustein, contacts FROM sync_pseudonym_contacts",
         "apps": "SELECT pseudonym_id, position, site, kind, submitted, decision, decided, days, eviction_averted, "
                 "objection_lodged, objection_decision, objection_decided, objection_days "
                 "FROM sync_pseudonym_applications"}
    cols = [c[1] for c in conn.exec_driver_sql("PRAGMA table_info(sync_pseudonym_facts)").fetchall()]
    assert cols[:4] == ["pseudonym_id", "site", "person_pseudonym", "person_key"]
    return {k: sorted(tuple(r) for r in conn.exec_driver_sql(sql).fetchall()) for k, sql in q.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.tuples(HEX, st.booleans(), record), min_size=1, max_size=6), rewrite=record)
def test_sql_facts_match_the_rules(unlocked, records, rewrite) -> None:
    store, _user = unlocked
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM sync_pseudonyms")
        for t in ("sync_pseudonym_facts", "sync_pseudonym_categories", "sync_pseudonym_contacts",
                  "sync_pseudonym_applications"):
            conn.exec_driver_sql(f"DELETE FROM {t}")
        ids, want = [], {"facts": [], "cats": [], "contacts": [], "apps": []}
        for n, (person, identified, data) in enumerate(records):
            pid = conn.exec_driver_sql(
                "INSERT INTO sync_pseudonyms(site, pseudonym, person_pseudonym, identified, data, rev_epoch, rev_seq, "
                "updated_at) VALUES ('loehne', ?, ?, ?, ?, 1, 1, '2026-01-01 00:00:00.000000') RETURNING id",
                (f"{n:064x}", person, int(identified), None if identified else json.dumps(data))).scalar_one()
            ids.append(pid)
            for k, rows in expected(pid, "loehne", person, identified, data).items():
                want[k] += rows
        write_pseudonym_facts(conn, ids, replace=False)
        assert _stored(conn) == {k: sorted(v) for k, v in want.items()}
        # the first record changes: its facts are replaced, the others stay
        conn.exec_driver_sql("UPDATE sync_pseudonyms SET identified = 0, data = ? WHERE id = ?",
                             (json.dumps(rewrite), ids[0]))
        write_pseudonym_facts(conn, [ids[0]])
        person = records[0][0]
        again = expected(ids[0], "loehne", person, False, rewrite)
        for n, (p, identified, data) in enumerate(records[1:], 1):
            for k, rows in expected(ids[n], "loehne", p, identified, data).items():
                again[k] += rows
        assert _stored(conn) == {k: sorted(v) for k, v in again.items()}
