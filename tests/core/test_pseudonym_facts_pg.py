"""The report facts of pseudonymous records derived inside PostgreSQL (json operators) follow the same rules as
on SQLite: the plain-Python statement of tests/core/test_pseudonym_facts_sql.py on the same generated records."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.bare_store import BareStore
from tests.core.test_pseudonym_facts_sql import HEX, expected, record
from whh_desktop.core.store import dialect
from whh_desktop.core.store.models.sync import write_pseudonym_facts

TABLES = ("sync_pseudonym_facts", "sync_pseudonym_categories", "sync_pseudonym_contacts",
          "sync_pseudonym_applications")


@pytest.fixture(scope="module")
def pg_store(pg_cluster):
    name = pg_cluster.create_database()
    store = BareStore(pg_cluster.url(name))
    yield store
    store.dispose()
    pg_cluster.drop_database(name)


def _stored(conn) -> dict[str, list[tuple]]:
    q = {"facts": "SELECT pseudonym_id, site, person_pseudonym, person_key, municipality, sex, age_band, age_band_on, "
                  "nationality, household_type, household_size, opened, closed, outcome, category, contacts, "
                  "bausteine FROM sync_pseudonym_facts",
         "cats": "SELECT pseudonym_id, position, category, since FROM sync_pseudonym_categories",
         "contacts": "SELECT pseudonym_id, baustein, contacts FROM sync_pseudonym_contacts",
         "apps": "SELECT pseudonym_id, position, site, kind, submitted, decision, decided, days, eviction_averted, "
                 "objection_lodged, objection_decision, objection_decided, objection_days "
                 "FROM sync_pseudonym_applications"}
    return {k: sorted(tuple(r) for r in dialect.rows(conn, sql)) for k, sql in q.items()}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=st.lists(st.tuples(HEX, st.booleans(), record), min_size=1, max_size=6), rewrite=record)
def test_postgresql_facts_match_the_rules(pg_store, records, rewrite) -> None:
    with pg_store.engine.begin() as conn:
        for t in ("sync_pseudonyms", *TABLES):
            conn.exec_driver_sql(f"DELETE FROM {t}")
        ids, want = [], {"facts": [], "cats": [], "contacts": [], "apps": []}
        for n, (person, identified, data) in enumerate(records):
            pid = dialect.scalar(
                conn, "INSERT INTO sync_pseudonyms(site, pseudonym, person_pseudonym, identified, data, rev_epoch, "
                "rev_seq, updated_at) VALUES ('loehne', ?, ?, ?, ?, 1, 1, '2026-01-01 00:00:00.000000') RETURNING id",
                (f"{n:064x}", person, int(identified), None if identified else json.dumps(data)))
            ids.append(pid)
            for k, rows in expected(pid, "loehne", person, identified, data).items():
                want[k] += rows
        write_pseudonym_facts(conn, ids, replace=False)
        assert _stored(conn) == {k: sorted(v) for k, v in want.items()}
        dialect.run(conn, "UPDATE sync_pseudonyms SET identified = ?, data = ? WHERE id = ?",
                    (0, json.dumps(rewrite), ids[0]))
        write_pseudonym_facts(conn, [ids[0]])
        again = expected(ids[0], "loehne", records[0][0], False, rewrite)
        for n, (p, identified, data) in enumerate(records[1:], 1):
            for k, rows in expected(ids[n], "loehne", p, identified, data).items():
                again[k] += rows
        assert _stored(conn) == {k: sorted(v) for k, v in again.items()}
