"""The district story through the services on a PostgreSQL district store (issue 14 / 19): a store made by
``whh init --mode district --db`` searches, imports and backs up through the same services as the SQLCipher one;
two clerks work at once; bad input (the server gone mid-import) leaves nothing half-applied."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.conftest import ADMIN, ADMIN_PASSWORD, KREIS_PASSWORD, KREIS_USER, _pg_server_string
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


# ---- point 3: backups through services/backups -----------------------------------------------------------------
def test_backups_of_a_server_district_through_the_backup_service(district_pg_paths, pg_cluster, tmp_path):
    """``backup_now`` dumps with pg_dump under the store's retention; ``list_backups`` shows the dumps; a restore
    checks first (no target, the database in use, a foreign dump: refused, nothing changed), then goes into a new,
    empty database with a raised epoch, and the data folder names it; the old database stays as it was."""
    from whh_desktop.core.errors import BackupFailed, InvalidInput, NotAStore
    from whh_desktop.core.services import backups, site_settings
    from whh_desktop.core.store import pg_backup
    from whh_desktop.core.store.location import read_server_url

    store, _admin = login.unlock(district_pg_paths, ADMIN, ADMIN_PASSWORD)
    old_url = read_server_url(district_pg_paths)
    with store.session(ADMIN) as s:
        site_settings.save(s, replace(site_settings.load(s), backup_keep_last=2, backup_keep_monthly=1))
    made = [backups.backup_now(store, ADMIN) for _ in range(3)]
    listed = backups.list_backups(district_pg_paths)
    assert all(b.path.suffix == pg_backup.SUFFIX for b in listed)
    assert [b.path for b in listed] == [made[2].path, made[1].path]  # keep_last 2 (the newest is this month's)
    (tmp_path / "usb").mkdir()
    external = backups.backup_to_external(store, ADMIN, tmp_path / "usb")
    assert external.path.parent == tmp_path / "usb" and external.size > 0

    with pytest.raises(InvalidInput, match="neue, leere Datenbank"):
        backups.restore(store, ADMIN, made[2].path)
    same = _pg_server_string(pg_cluster, make_url(str(old_url)).database)
    with pytest.raises(InvalidInput, match="gerade benutzt"):
        backups.restore(store, ADMIN, made[2].path, same)
    damaged = tmp_path / "kaputt.whhpg"
    damaged.write_bytes(made[2].path.read_bytes()[:500])
    target = pg_cluster.create_database()
    with pytest.raises(BackupFailed, match="beschädigt"):
        backups.restore(store, ADMIN, damaged, _pg_server_string(pg_cluster, target))
    assert len(backups.list_backups(district_pg_paths)) == 2  # refused before the pre-restore dump
    with store.session(ADMIN) as s:  # a change after the dump: the restore takes it back
        s.query(Account).filter_by(username=KREIS_USER).update({"display_name": "Nach der Sicherung"})
    epoch = store.info.epoch
    backups.restore(store, ADMIN, made[2].path, _pg_server_string(pg_cluster, target))
    assert make_url(str(read_server_url(district_pg_paths))).database == target
    again, _ = login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)
    try:
        assert again.info.epoch == epoch + 1
        with again.read_session() as s:
            assert s.query(Account).filter_by(username=KREIS_USER).one().display_name == "Clara Krüger"
        assert again.quick_check() == "ok"
    finally:
        again.close()
    assert any(b.reason == "restore" for b in backups.list_backups(district_pg_paths))
    with pytest.raises(NotAStore):
        pg_backup.check_dump(made[2].path, "00000000-0000-0000-0000-000000000000")
    pg_cluster.drop_database(target)
