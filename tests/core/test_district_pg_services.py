"""The district story through the services on a PostgreSQL district store (issue 14 / 19): a store made by
``whh init --mode district --db`` searches, imports and backs up through the same services as the SQLCipher one;
two clerks work at once; bad input (the server gone mid-import) leaves nothing half-applied."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.conftest import ADMIN, KREIS_PASSWORD, KREIS_USER, _pg_server_string
from tests.core.test_sync_import_fixtures import Exchange, new_case, pair_keys
from whh_desktop.core.services import accounts, cases, login
from whh_desktop.core.services.cases import CaseFilter
from whh_desktop.core.store.backend import PostgresBackend
from whh_desktop.core.store.models import Account, Role
from whh_desktop.paths import DataPaths


def test_cli_init_on_server_leaves_a_store_whose_search_works(pg_cluster, pg_url, counsellor, tmp_path: Path):
    """The migrations make the tsvector search table on the server; an imported case is found by name, by a
    prefix and by its case number, and ``refresh_statistics`` runs ANALYZE there."""
    from tests.core.test_cli import PW, whh

    name = make_url(pg_url).database
    data_dir = tmp_path / "kreis"
    made = whh(data_dir, "init", "--mode", "district", "--admin", ADMIN, "--admin-name", "Anna Becker",
               "--street", "Amtshausstraße 2", "--plz", "32051", "--city", "Herford", "--json",
               "--db", _pg_server_string(pg_cluster, name))
    assert made.returncode == 0, made.stderr
    paths = DataPaths(data_dir)
    admin_store, admin = login.unlock(paths, ADMIN, PW)
    try:
        accounts.create_account(admin_store, admin, KREIS_USER, "Clara Krüger", Role.KREIS, KREIS_PASSWORD)
        with admin_store.session(ADMIN) as s:
            s.query(Account).filter_by(username=KREIS_USER).update({"must_change_password": False})
            kind = s.execute(text("SELECT data_type FROM information_schema.columns "
                                  "WHERE table_name = 'search_fts' AND column_name = 'tsv'")).scalar()
        assert kind == "tsvector"
    finally:
        admin_store.close()
    store, clerk = login.unlock(paths, KREIS_USER, KREIS_PASSWORD)
    try:
        assert isinstance(store.backend, PostgresBackend)
        site, site_user = counsellor
        pair_keys(site, store)
        ex = Exchange(site, site_user, store, clerk, tmp_path / "out")
        new_case(site, site_user, "Kowalczyk", kreis_consent=True, birth=date(1979, 2, 3))
        new_case(site, site_user, "Brandt", kreis_consent=True)
        [report] = ex.import_district(ex.export())
        assert report.applied, report.reason
        store.refresh_statistics()
        with store.read_session() as s:
            analysed = s.execute(text("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables "
                                      "WHERE relname = 'search_docs'")).scalar()
        assert analysed
        found = cases.search_cases(store, clerk, "Kowalczyk", CaseFilter())
        assert len(found.exact) == 1
        number = cases.case_rows(store, clerk, found.exact)[0].case_number
        assert cases.search_cases(store, clerk, "kowal", CaseFilter()).exact == found.exact
        assert cases.search_cases(store, clerk, number, CaseFilter()).exact == found.exact
        assert len(cases.search_cases(store, clerk, "", CaseFilter()).exact) == 2
    finally:
        store.close()
