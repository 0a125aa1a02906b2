"""A site's full export imported into a SQLite and a PostgreSQL district schema gives the same rows, the same
pseudonymous records and report facts, the same search index and the same reports (issue 19 point 3: import/merge
on both backends). The payload is the demo site's real export, decoded as the district decodes it; the store
lifecycle around it (keys, ledger, lock) is the Store's and tested there."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from tests.core.bare_store import BareStore, open_bare
from whh_desktop.core.demo import fill_demo
from whh_desktop.core.services import cases, reports, sync
from whh_desktop.core.services.cases import CaseFilter
from whh_desktop.core.store import dialect
from whh_desktop.core.store.models import Landlord
from whh_desktop.core.sync import exporter, importer
from whh_desktop.core.sync import payload as pl

TABLES = ("sync_pseudonym_facts", "sync_pseudonym_categories", "sync_pseudonym_contacts",
          "sync_pseudonym_applications")


@pytest.fixture
def site_payload(unlocked) -> pl.Payload:
    store, user = unlocked
    fill_demo(store, user.username, 120, seed=7, today=date(2026, 6, 30))
    sync._ensure_secret(store, user.username)
    with store.read_session() as s:
        plan = exporter.build_site_payload(s, site=store.info.site_code, store_id=store.info.store_id,
                                           epoch=store.info.epoch, full=True, today=date(2026, 6, 30))
    return pl.parse(pl.encode(plan.payload), expected_kind=pl.SITE_TO_DISTRICT, sender_site=store.info.site_code,
                    recipient_site="kreis")


def _snapshot(store: BareStore, p: pl.Payload) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    with store.session() as s:
        conn = s.connection()
        for entity in p.rows:
            cols = ", ".join(f'"{c}"' for c in pl.column_names(entity))
            out[entity] = sorted(dialect.rows(conn, f'SELECT {cols} FROM "{entity}"'))
        out["sync_pseudonyms"] = sorted(dialect.rows(conn, "SELECT site, pseudonym, person_pseudonym, identified, "
                                                           "case_id, person_id, data FROM sync_pseudonyms"))
        for table in TABLES:
            out[table] = sorted(r[1:] for r in dialect.rows(conn, f"SELECT * FROM {table}"))  # ids are serial
        out["search_docs"] = sorted(r[1:] for r in dialect.rows(conn, "SELECT * FROM search_docs"))
        out["change_log"] = [(n,) for n in dialect.rows(conn, "SELECT count(*) FROM change_log")[0]]
    return out


def _apply(store: BareStore, p: pl.Payload) -> dict[str, int]:
    with store.session("import") as s:
        return importer.apply_payload(s, p).counts


def test_a_site_export_imports_the_same_on_both_backends(request, tmp_path, site_payload) -> None:
    lite = open_bare(request, "sqlite", tmp_path)
    pg = open_bare(request, "postgresql", tmp_path)
    counts = _apply(lite, site_payload)
    assert counts["cases"] > 0 and counts["persons"] > 0
    assert _apply(pg, site_payload) == counts
    want = _snapshot(lite, site_payload)
    assert sum(len(rows) for rows in want.values()) > 300
    got = _snapshot(pg, site_payload)
    for table, rows in want.items():
        assert got[table] == rows, table
    # the same import again: every row is already there at this version, nothing changes on either backend
    again = _apply(lite, site_payload)
    assert _apply(pg, site_payload) == again
    assert _snapshot(pg, site_payload) == _snapshot(lite, site_payload) == want


def test_imported_data_searches_and_reports_the_same(request, tmp_path, site_payload) -> None:
    lite = open_bare(request, "sqlite", tmp_path)
    pg = open_bare(request, "postgresql", tmp_path)
    for store in (lite, pg):
        _apply(store, site_payload)

    def seen(store: BareStore) -> dict[str, object]:
        with store.session() as s:
            names = [r.family_name for r in cases.rows(s, cases.search(s, "", CaseFilter()).exact[:40])]
            out: dict[str, object] = {f"search {n}": cases.search(s, n, CaseFilter()).exact for n in names[:15]}
            out["reports"] = [*reports.indicators(s, date(2025, 1, 1), date(2026, 6, 30)),
                              *reports.arbeitskreis(s, date(2025, 1, 1), date(2026, 6, 30)),
                              *reports.stichtag_nrw(s, 2025), *reports.stichtag_wobericht(s, 2025)]
            return out

    want = seen(lite)
    assert any(want[k] for k in want if k.startswith("search"))
    assert seen(pg) == want


def test_a_regional_merge_of_twenty_districts(request, tmp_path, site_payload) -> None:
    """20 districts' bundles (the demo export, moved into each district's own ids, pseudonyms and case numbers as
    bench/district_pg_bench does for the full 5 × 20 000 × 20 run) merge into one PostgreSQL store: every row
    arrives, none clashes, and additive report figures are twenty times one district's."""
    from bench.district_pg_bench import moved

    one = open_bare(request, "postgresql", tmp_path)
    region = open_bare(request, "postgresql", tmp_path)
    single = _apply(one, site_payload)
    for district in range(20):
        assert _apply(region, site_payload if district == 0 else moved(site_payload, district)) == single

    def figures(store: BareStore) -> tuple[dict[str, int], list]:
        with store.session() as s:
            conn = s.connection()
            counts = {t: dialect.scalar(conn, f'SELECT count(*) FROM "{t}"')
                      for t in (*site_payload.rows, "sync_pseudonyms", "sync_pseudonym_facts", "search_docs")}
            overview = reports.indicators(s, date(2025, 1, 1), date(2026, 6, 30))[0]
            return counts, [c for row in overview.rows for c in row.cells if isinstance(c, int)]

    one_counts, one_cells = figures(one)
    region_counts, region_cells = figures(region)
    assert region_counts == {t: 20 * n for t, n in one_counts.items()}
    assert any(one_cells) and region_cells == [20 * c for c in one_cells]


def test_district_to_site_bundles_carry_the_same_rows(request, tmp_path, site_payload) -> None:
    """The district's bundle for a site (registry rows owned by the Kreis, the site's own rows acknowledged) is
    built the same from both backends: the exporter reads storage-form rows through ``dialect.storage``."""
    landlord = uuid.UUID("01900000-0000-7000-8000-00000000abcd")

    def plan_of(store: BareStore) -> dict:
        _apply(store, site_payload)
        with store.session() as s:
            s.add(Landlord(id=landlord, kind="privat", name="Fiktiv Wohnbau", sort_key="fiktiv wohnbau",
                           contact_persons=[{"name": "Frau Beispiel", "role": "Vermietung"}], plz="32049",
                           accepts_direct_payment=True, accepts_schufa=False, notes="Zeile eins\nZeile zwei"))
        with store.session() as s:
            body = exporter.build_district_payload(s, site="loehne", store_id="kreis-test", epoch=1,
                                                   today=date(2026, 6, 30)).payload
        for rows in body["entities"].values():  # stamped at the flush, so different in each store
            for row in rows:
                row.pop("created_at", None)
                row.pop("updated_at", None)
        return body

    want = plan_of(open_bare(request, "sqlite", tmp_path))
    assert any(r["id"] == str(landlord) for r in want["entities"].get("landlords", []))
    assert plan_of(open_bare(request, "postgresql", tmp_path)) == want


def test_a_server_lost_during_an_import_leaves_nothing_half_applied(request, tmp_path, site_payload) -> None:
    """The connection to PostgreSQL dies after the rows are written, before the commit (the server restarted, the
    network gone): the import fails whole and the database holds none of it; run again, it applies completely."""
    import sqlalchemy as sa

    store = open_bare(request, "postgresql", tmp_path)
    with pytest.raises(sa.exc.OperationalError), store.session("import") as s:
        importer.apply_payload(s, site_payload)
        pid = s.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with store.engine.connect() as other:
            other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    store.engine.dispose()  # the pool's dead connection
    with store.session() as s:
        conn = s.connection()
        assert [dialect.scalar(conn, f'SELECT count(*) FROM "{t}"')
                for t in ("cases", "persons", "sync_pseudonyms", "sync_pseudonym_facts", "search_docs",
                          "change_log")] == [0] * 6
    assert _apply(store, site_payload)["cases"] > 0
