"""The report facts of pseudonymous records: the ORM writes of the test stores keep them in step, and migration
0009 backfills them from ``sync_pseudonyms.data`` to exactly what the importer writes (same reports after)."""

from __future__ import annotations

from datetime import date

from alembic import command

from tests.core.test_reports_pseudonymous import BIS, VON, world  # noqa: F401
from whh_desktop.core.services import reports
from whh_desktop.core.store import schema

TABLES = ("sync_pseudonym_facts", "sync_pseudonym_categories", "sync_pseudonym_contacts")


def _facts(store) -> dict[str, list[tuple]]:
    with store.engine.connect() as conn:
        return {t: sorted(tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {t}").fetchall()) for t in TABLES}


def _figures(store) -> list:
    with store.read_session() as s:
        tables = [*reports.indicators(s, VON, BIS), *reports.stichtag_on(s, date(2025, 6, 30), "nrw"),
                  *reports.stichtag_on(s, date(2026, 1, 31), "wobericht"), reports.data_quality(s)]
    return [(t.key, t.rows, t.totals) for t in tables]


def test_only_live_pseudonymous_records_have_facts(world) -> None:  # noqa: F811
    facts = _facts(world.store)
    # Q1, Q2, Q5, Q6a, Q6b, Q7, Q9: not Q3 (linked) nor Q4 (deleted at the site)
    assert len(facts["sync_pseudonym_facts"]) == 7
    assert len(facts["sync_pseudonym_contacts"]) == 5  # Q1 {2, 4}, Q2 {1, 2}, Q9 {5}


def test_migration_backfills_the_facts_from_the_json(world) -> None:  # noqa: F811
    store = world.store
    before, figures = _facts(store), _figures(store)
    with store.engine.connect() as conn:
        cfg = schema._config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
        command.upgrade(cfg, "head")
        conn.commit()
    assert _facts(store) == before
    assert _figures(store) == figures
