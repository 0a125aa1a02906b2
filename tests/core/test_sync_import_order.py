"""Property (hypothesis): importing any permutation of a site's bundles gives the same district state, and
importing them all a second time changes nothing."""

from __future__ import annotations

import itertools
import shutil
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.conftest import KREIS_PASSWORD, KREIS_USER, _pg_server_string
from tests.core.test_sync_import_fixtures import district_state, exchange, give_consent, new_case  # noqa: F401
from whh_desktop.core.services import consent, login, sync
from whh_desktop.core.store import pg_backup
from whh_desktop.core.store.backend import PostgresBackend, parse_server_url
from whh_desktop.core.store.backup import create_backup
from whh_desktop.core.store.location import write_server_url
from whh_desktop.core.store.models import Case, Contact
from whh_desktop.paths import DataPaths

pytestmark = pytest.mark.slow  # up to fourteen import runs of four bundles each: scheduled first (tests/conftest.py)


def test_any_import_order_gives_the_same_district_state(exchange, tmp_path, request) -> None:  # noqa: F811
    ex = exchange
    u = ex.site_user
    kept = new_case(ex.site, u, "Bleibt", kreis_consent=True)
    later = new_case(ex.site, u, "Spaeter")
    revoked = new_case(ex.site, u, "Widerruf")
    revoked_consent = give_consent(ex.site, u, revoked)
    bundles = [ex.export()]
    with ex.site.session(u.username) as s:  # 2: case work on two cases, a new case
        s.add(Contact(case_id=kept, on=date.today(), minutes=20, kind="telefon", bausteine=["1", "2"],
                      counsellor=u.username))
        s.add(Contact(case_id=revoked, on=date.today(), minutes=10, kind="buero", bausteine=["3"],
                      counsellor=u.username))
        s.get(Case, kept).housing_note = "zweiter Stand"
    new_case(ex.site, u, "Neu", kreis_consent=True)
    bundles.append(ex.export())
    give_consent(ex.site, u, later)  # 3: consent given later
    bundles.append(ex.export())
    consent.revoke(ex.site, u, revoked_consent, date.today())  # 4: consent revoked, and more work on kept
    with ex.site.session(u.username) as s:
        s.get(Case, kept).housing_note = "vierter Stand"
    bundles.append(ex.export())

    snapshot = create_backup(ex.district, "manual", tmp_path / "snap")  # sqlcipher_export / pg_dump
    clean = tmp_path / "clean-district"
    shutil.copytree(ex.district.paths.root, clean)
    clean_paths = DataPaths(clean)
    on_server = isinstance(ex.district.backend, PostgresBackend)
    if on_server:  # the snapshot restored once into a database that serves as the template of each run
        cluster = request.getfixturevalue("pg_cluster")
        template = cluster.create_database()
        pg_backup.restore_backup(snapshot.path, cluster.url(template), ex.district.info.store_id)
    else:
        for suffix in ("-wal", "-shm"):
            Path(str(clean_paths.store) + suffix).unlink(missing_ok=True)
        shutil.copyfile(snapshot.path, clean_paths.store)
    counter = itertools.count()
    states: list[str] = []

    def run(order: list[int]) -> str:
        target = tmp_path / f"d{next(counter)}"
        shutil.copytree(clean, target)
        if on_server:
            name = f"whh_{uuid.uuid4().hex[:12]}"
            with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            request.addfinalizer(lambda: cluster.drop_database(name))
            write_server_url(DataPaths(target), parse_server_url(_pg_server_string(cluster, name)))
        store, user = login.unlock(DataPaths(target), KREIS_USER, KREIS_PASSWORD)
        try:
            reports = sync.import_bundles(store, user, [bundles[i] for i in order], backup=False)
            assert all(r.applied for r in reports), [r.reason for r in reports]
            state = district_state(store)
            again = sync.import_bundles(store, user, [bundles[i] for i in reversed(order)], backup=False)
            assert all(not r.applied and r.code == "already_imported" for r in again)
            assert district_state(store) == state
            with store.read_session() as s:
                assert s.get(Case, revoked) is None and s.get(Case, later) is not None
                assert s.get(Case, kept).housing_note == "vierter Stand"
                assert len(s.execute(select(Case)).all()) == 3
            return state
        finally:
            store.close()

    states.append(run([0, 1, 2, 3]))

    # PostgreSQL restores a template database per order: fewer orders there, the same rule
    @settings(max_examples=12 if ex.district.engine.dialect.name == "sqlite" else 5, deadline=None)
    @given(st.permutations(range(len(bundles))))
    def check(order: list[int]) -> None:
        assert run(list(order)) == states[0]

    check()
    assert run([3, 2, 1, 0]) == states[0]
