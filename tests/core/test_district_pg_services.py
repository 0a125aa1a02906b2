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


# ---- point 4: two clerks at once ---------------------------------------------------------------------------------
def test_two_clerks_import_and_review_at_once(district_pg_paths, counsellor, tmp_path, monkeypatch):
    """Clerk A imports (held inside its write transaction); meanwhile clerk B links a duplicate pair and keeps
    the landlord registry — both succeed at once — and B's import of the SAME bundle waits (told so) and then
    reports it as already imported; A's rows arrive whole, nothing interleaved."""
    import threading

    from tests.core.test_duplicates import add
    from tests.core.test_registry import LANDLORD
    from whh_desktop.core.services import duplicates, landlords, sync
    from whh_desktop.core.store.models import Case
    from whh_desktop.core.store.models.sync import ImportedBundle
    from whh_desktop.core.sync import hooks

    admin_store, admin = login.unlock(district_pg_paths, ADMIN, ADMIN_PASSWORD)
    accounts.create_account(admin_store, admin, "d.wolf", "Dana Wolf", Role.KREIS, KREIS_PASSWORD)
    with admin_store.session(ADMIN) as s:
        s.query(Account).filter_by(username="d.wolf").update({"must_change_password": False})
    admin_store.close()
    a_store, a_user = login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)
    b_store, b_user = login.unlock(district_pg_paths, "d.wolf", KREIS_PASSWORD)
    site, site_user = counsellor
    pair_keys(site, a_store)
    for n in range(3):
        new_case(site, site_user, f"Zeitgleich{n}", kreis_consent=True)
    bundle = sync.export_for_district(site, site_user, tmp_path / "out").path
    one = add(b_store, "loehne", "Müller", "Anna", date(1980, 3, 12))
    other = add(b_store, "buende", "Mueller", "Anna", date(1980, 3, 12))

    in_transaction, release = threading.Event(), threading.Event()
    real_hold = hooks.hold_point

    def hold(stage: str) -> None:
        if stage == "written" and threading.current_thread().name == "clerk-a":
            in_transaction.set()
            assert release.wait(60)
        real_hold(stage)

    monkeypatch.setattr(hooks, "hold_point", hold)
    results: dict[str, list[sync.ImportReport]] = {}
    told: list[str] = []

    def import_as(name: str, store, user, **kw) -> None:
        results[name] = sync.import_bundles(store, user, [bundle], backup=False, **kw)

    a = threading.Thread(target=import_as, args=("a", a_store, a_user), name="clerk-a")
    b = threading.Thread(target=import_as, args=("b", b_store, b_user), kwargs={"waiting": told.append},
                         name="clerk-b")
    try:
        a.start()
        assert in_transaction.wait(30)
        # B works while A's import transaction is open: review duplicates, keep the registry
        with b_store.read_session() as s:
            pair = next(c for c in duplicates.candidates(s) if {c.a.id, c.b.id} == {one, other})
        link_id = duplicates.link(b_store, b_user, pair.a.id, pair.b.id, pair.score, "gleiche Person")
        landlord_id = landlords.save_landlord(b_store, b_user, LANDLORD)
        with b_store.read_session() as s:  # A's rows are not visible before its commit
            assert s.query(Case).count() == 0
        b.start()
        b.join(1.5)
        assert b.is_alive() and told and "wartet" in told[0]  # B's import waits for A's
        release.set()
        a.join(60)
        b.join(60)
        assert not a.is_alive() and not b.is_alive()
        [ra], [rb] = results["a"], results["b"]
        assert ra.applied and ra.counts["cases"] == 3
        assert not rb.applied and rb.code == "already_imported" and "bereits eingelesen" in rb.reason
        with a_store.read_session() as s:
            assert s.query(Case).count() == 3
            assert s.query(ImportedBundle).count() == 1
            assert duplicates.same_person(s, one) == {one, other}
            assert landlords.get_landlord(s, landlord_id).name == LANDLORD.name
        assert link_id in {d.id for d in duplicates.review(a_store, a_user).decisions}  # A sees B's decision
    finally:
        release.set()
        a_store.close()
        b_store.close()


# ---- point 5: bad input ------------------------------------------------------------------------------------------
def test_server_connections_lost_during_an_import_leave_nothing_half_applied(district_pg_paths, counsellor,
                                                                               pg_cluster, tmp_path, monkeypatch):
    """The server ends every connection of the district (a restart, a network cut) after the import wrote its rows
    but before the commit: the file is refused with a German message, no row of it is stored, the ledger does not
    know it — and reading it again imports it whole."""
    import psycopg

    from whh_desktop.core.services import sync
    from whh_desktop.core.store.models import Case
    from whh_desktop.core.store.models.sync import ImportedBundle
    from whh_desktop.core.sync import hooks

    store, clerk = login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)
    database = make_url(str(store.backend.url)).database
    site, site_user = counsellor
    pair_keys(site, store)
    for n in range(2):
        new_case(site, site_user, f"Abbruch{n}", kreis_consent=True)
    bundle = sync.export_for_district(site, site_user, tmp_path / "out").path
    real_hold = hooks.hold_point
    cut = []

    def server_restart(stage: str) -> None:
        if stage == "written" and not cut:
            cut.append(stage)
            with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
                ended = conn.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                     "WHERE datname = %s AND pid <> pg_backend_pid()", (database,)).fetchone()
            assert ended and ended[0] >= 2  # the import's transaction and its advisory lock
        real_hold(stage)

    monkeypatch.setattr(hooks, "hold_point", server_restart)
    try:
        [refused] = sync.import_bundles(store, clerk, [bundle], backup=False)
        assert cut and not refused.applied
        assert "nicht erreichbar" in refused.reason and "keine Daten verloren" in refused.reason
        with store.read_session() as s:
            assert s.query(Case).count() == 0 and s.query(ImportedBundle).count() == 0
        [again] = sync.import_bundles(store, clerk, [bundle], backup=False)
        assert again.applied and again.counts["cases"] == 2, again.reason
        with store.read_session() as s:
            assert s.query(Case).count() == 2 and s.query(ImportedBundle).count() == 1
        assert store.quick_check() == "ok"
    finally:
        store.close()
