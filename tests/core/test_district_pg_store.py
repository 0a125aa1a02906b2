"""The district store on PostgreSQL (issue 14): set-up, keys inside the database, login, bad input, import lock."""

from __future__ import annotations

import json
import threading
import time

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from tests.conftest import ADMIN, ADMIN_PASSWORD, KREIS_PASSWORD, KREIS_USER, _pg_server_string, make_request
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import (
    AccountInactive,
    InvalidInput,
    ServerUnreachable,
    StoreNotFound,
    StoreTooNew,
    WhhError,
    WrongPassword,
)
from whh_desktop.core.services import accounts, login, sync_keys
from whh_desktop.core.services.store_setup import create_store
from whh_desktop.core.store.backend import PostgresBackend, parse_server_url
from whh_desktop.core.store.models import Setting
from whh_desktop.paths import DataPaths


def test_init_on_server_keeps_only_the_connection_string_and_wraps_in_the_database(pg_cluster, pg_url, tmp_path):
    name = make_url(pg_url).database
    paths = DataPaths(tmp_path / "kreis")
    result = create_store(paths, make_request(SiteCode.KREIS), server=_pg_server_string(pg_cluster, name))
    config = json.loads(paths.server_config.read_text(encoding="utf-8"))
    assert config["backend"] == "postgresql" and name in config["url"]
    assert not paths.store.exists() and not paths.key_file.exists()
    with psycopg.connect(pg_cluster.conninfo(name)) as conn:
        body = json.loads(conn.execute("SELECT body FROM whh_keyring").fetchone()[0])
        own = conn.execute("SELECT value FROM settings WHERE key = 'sync.own_keys'").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert set(body["accounts"]) == {ADMIN} and body["recovery"]
    assert "ciphertext" in body["accounts"][ADMIN] and result.recovery_key not in json.dumps(body)
    # The private sync keys are sealed: a dump shows no private key.
    assert own["format"] == "whh-sealed-v1" and "ed25519_private" not in json.dumps(own)
    assert {"cases", "store_meta", "alembic_version", "accounts"} <= tables

    store, user = login.unlock(paths, ADMIN, ADMIN_PASSWORD)
    try:
        assert store.backend.name == "postgresql" and user.is_admin
        assert store.quick_check() == "ok" and store.integrity_check() == "ok"
        assert sync_keys.sender_identity(store).signing_private  # the sealed keys open after login
        with store.read_session() as s:
            assert s.get(Setting, "sync.own_keys").value["format"] == "whh-sealed-v1"
    finally:
        store.close()


def test_init_refuses_a_database_that_is_not_empty(pg_cluster, pg_url, tmp_path):
    name = make_url(pg_url).database
    with psycopg.connect(pg_cluster.conninfo(name), autocommit=True) as conn:
        conn.execute("CREATE TABLE fremd (x int)")
    with pytest.raises(WhhError, match="nicht leer"):
        create_store(DataPaths(tmp_path / "k"), make_request(SiteCode.KREIS),
                     server=_pg_server_string(pg_cluster, name))
    assert not (tmp_path / "k" / "server.json").exists()


@pytest.mark.parametrize(("url", "needle"), [
    ("mysql://kreis@db/whh", "postgresql://"),
    ("postgresql://kreis:geheim@db.example/whh?sslmode=verify-full", "Passwort gehört nicht"),
    ("postgresql://kreis@db.kreis-herford.example/whh", "verschlüsselt"),
    ("postgresql://kreis@db.kreis-herford.example/whh?sslmode=prefer", "sslmode=verify-full"),
    ("postgresql://kreis@db.example", "Name der Datenbank"),
    ("postgresql://kreis@/whh?password=geheim", "Passwort gehört nicht"),
    ("postgresql://kreis@/whh?host=/var/run/postgresql,db2.kreis-herford.example", "»db2.kreis-herford.example«"),
    ("postgresql://kreis@localhost/whh?hostaddr=192.0.2.7", "»192.0.2.7«"),
    ("::nix::", "keine gültige"),
])
def test_bad_connection_strings_are_refused_in_german(url, needle):
    with pytest.raises(InvalidInput, match=needle):
        parse_server_url(url)


def test_local_connections_need_no_tls():
    assert parse_server_url("postgresql://kreis@localhost/whh")
    assert parse_server_url("postgresql://kreis@/whh?host=/var/run/postgresql")
    assert parse_server_url("postgresql://kreis@db.example/whh?sslmode=require").query["sslmode"] == "require"


def test_unreachable_server_is_a_german_message(tmp_path):
    paths = DataPaths(tmp_path / "k")
    with pytest.raises(ServerUnreachable, match="nicht erreichbar"):
        create_store(paths, make_request(SiteCode.KREIS),
                     server=f"postgresql://kreis@/whh?host={tmp_path}&port=5999")
    assert not paths.exists()


def test_missing_database_is_named(pg_cluster, tmp_path):
    with pytest.raises(StoreNotFound, match="gibt es auf dem Server nicht"):
        create_store(DataPaths(tmp_path / "k"), make_request(SiteCode.KREIS),
                     server=_pg_server_string(pg_cluster, "gibt_es_nicht"))


def test_login_to_a_server_that_is_gone(district_pg_paths, pg_cluster, tmp_path):
    from whh_desktop.core.store.location import write_server_url

    write_server_url(district_pg_paths, parse_server_url(f"postgresql://kreis@/whh?host={tmp_path}&port=5999"))
    with pytest.raises(ServerUnreachable, match="nicht erreichbar"):
        login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)
    assert login.login_delay(district_pg_paths) == 0.0


def test_wrong_password_is_counted_in_the_database(district_pg_paths):
    for _ in range(3):
        with pytest.raises(WrongPassword):
            login.unlock(district_pg_paths, KREIS_USER, "Falsches-Passwort-123")
    assert login.login_delay(district_pg_paths) > 0
    assert login.load_key_file(district_pg_paths).failed_logins == 3


def test_schema_newer_than_the_program_is_refused(district_pg_paths):
    url = json.loads(district_pg_paths.server_config.read_text())["url"]
    engine = PostgresBackend(parse_server_url(url)).make_engine()
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_aus_der_zukunft'"))
    engine.dispose()
    with pytest.raises(StoreTooNew, match="neueren Version"):
        login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)


def test_clerk_deactivated_while_logged_in_is_refused_at_the_next_operation(district_pg_paths):
    clerk, _ = login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)
    admin_store, admin = login.unlock(district_pg_paths, ADMIN, ADMIN_PASSWORD)
    try:
        with clerk.read_session() as s:
            assert s.execute(select(Setting.key)).first()
        accounts.deactivate(admin_store, admin, KREIS_USER)
        with pytest.raises(AccountInactive, match="deaktiviert"), clerk.session(KREIS_USER):
            pytest.fail("the session must not start")
        time.sleep(clerk.ACCOUNT_CHECK_SECONDS)  # reads are checked at most every two seconds
        with pytest.raises(AccountInactive), clerk.read_session():
            pass
        with pytest.raises(WrongPassword):  # and the wrap is gone: the password opens nothing any more
            login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)
    finally:
        clerk.close()
        admin_store.close()


def test_two_clerks_importing_at_once_never_interleave(district_any_paths):
    """The second import waits for the lock (advisory lock on PostgreSQL, a file lock beside an SQLCipher store)
    and is told so, then runs after the first."""
    first, _ = login.unlock(district_any_paths, KREIS_USER, KREIS_PASSWORD)
    second, _ = login.unlock(district_any_paths, ADMIN, ADMIN_PASSWORD)
    events: list[str] = []
    told: list[str] = []
    inside = threading.Event()

    def run(store, name: str, hold: float) -> None:
        with store.import_lock(told.append):
            events.append(f"{name}+")
            inside.set()
            time.sleep(hold)
            events.append(f"{name}-")

    try:
        a = threading.Thread(target=run, args=(first, "a", 0.6))
        a.start()
        assert inside.wait(10)
        b = threading.Thread(target=run, args=(second, "b", 0.0))
        b.start()
        a.join(20)
        b.join(20)
        assert events == ["a+", "a-", "b+", "b-"]
        assert told and "wartet" in told[0]
    finally:
        first.close()
        second.close()


def test_cli_init_on_server_then_commands_open_it(pg_cluster, pg_url, tmp_path):
    from tests.core.test_cli import whh

    name = make_url(pg_url).database
    data_dir = tmp_path / "kreis"
    args = ("init", "--mode", "district", "--admin", "a.becker", "--admin-name", "Anna Becker",
            "--street", "Amtshausstraße 2", "--plz", "32051", "--city", "Herford", "--json")
    refused = whh(data_dir, *args, "--db", "postgresql://kreis@db.kreis-herford.example/whh")
    assert refused.returncode != 0 and "verschlüsselt" in refused.stderr and "Traceback" not in refused.stderr
    site = whh(data_dir, "init", "--mode", "site", "--site", "buende", "--admin", "a.becker", "--street", "x",
               "--plz", "32257", "--city", "Bünde", "--db", _pg_server_string(pg_cluster, name))
    assert site.returncode != 0 and "nur für --mode district" in site.stderr
    made = whh(data_dir, *args, "--db", _pg_server_string(pg_cluster, name))
    assert made.returncode == 0, made.stderr
    assert name in json.loads(made.stdout)["database"]
    r = whh(data_dir, "konto", "liste", "--json")
    assert r.returncode == 0, r.stderr
    assert [a["benutzername"] for a in json.loads(r.stdout)] == ["a.becker"]
    r = whh(data_dir, "selftest")
    assert r.returncode == 0, r.stdout + r.stderr


def test_import_bundles_holds_the_import_lock(district_pg_paths):
    """``sync.import_bundles`` itself waits while a colleague's import holds the lock."""
    from whh_desktop.core.services import sync

    first, _ = login.unlock(district_pg_paths, ADMIN, ADMIN_PASSWORD)
    second, clerk = login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)
    told: list[str] = []
    done = threading.Event()
    try:
        with first.import_lock():
            worker = threading.Thread(target=lambda: (sync.import_bundles(second, clerk, [], waiting=told.append),
                                                      done.set()))
            worker.start()
            assert not done.wait(1.0)  # waiting for the colleague's import
            assert told and "wartet" in told[0]
        worker.join(20)
        assert done.is_set()
    finally:
        first.close()
        second.close()


def test_a_colleagues_simultaneous_change_is_refused_not_lost(district_pg_paths):
    """REPEATABLE READ: the later of two writers to the same row gets a German message; the first change stays."""
    from whh_desktop.core.errors import ConcurrentChange
    from whh_desktop.core.store.models import Account

    a, _ = login.unlock(district_pg_paths, ADMIN, ADMIN_PASSWORD)
    b, _ = login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)
    try:
        with pytest.raises(ConcurrentChange, match="gleichzeitig geändert"), b.session(KREIS_USER) as sb:
            mine = sb.execute(select(Account).where(Account.username == ADMIN)).scalar_one()  # snapshot taken
            with a.session(ADMIN) as sa_:
                sa_.execute(select(Account).where(Account.username == ADMIN)).scalar_one().display_name = "A. Becker"
            mine.display_name = "Anna B."
        with a.read_session() as s:
            assert s.execute(select(Account.display_name).where(Account.username == ADMIN)).scalar() == "A. Becker"
    finally:
        a.close()
        b.close()


def test_an_older_schema_on_the_server_is_migrated_at_login(district_pg_paths):
    """The same Alembic migrations run on PostgreSQL: a store one revision behind is brought to the head (in one
    transaction, under an advisory lock) by the first login of the new program."""
    from alembic import command

    from whh_desktop.core.store import schema

    url = json.loads(district_pg_paths.server_config.read_text())["url"]
    engine = PostgresBackend(parse_server_url(url)).make_engine()
    with engine.connect() as conn:
        cfg = schema._config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "-1")
        conn.commit()
    behind = schema.current_revision(engine)
    engine.dispose()
    assert behind != schema.head_revision()
    store, _ = login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)
    try:
        assert schema.current_revision(store.engine) == schema.head_revision()
        assert store.integrity_check() == "ok"
    finally:
        store.close()


def test_systemcheck_names_the_server_not_a_file(district_pg):
    from whh_desktop.core.services import about

    store, _ = district_pg
    rows = {(r.section, r.label): r for r in about.systemcheck(store, quick_check=True)}
    assert not [r for r in rows.values() if "nicht ermittelbar" in r.value]
    assert "postgresql://" in rows[("Datenbestand", "Datenbank")].value
    assert "auf dem Server" in rows[("Datenbestand", "Größe")].value
    assert int(rows[("Programm", "PostgreSQL")].value.split(".")[0]) >= 15
    info = about.system_info(store, full_check=True)
    assert info.integrity == "ok" and ("PostgreSQL", rows[("Programm", "PostgreSQL")].value) in info.rows()


def test_passwords_and_the_recovery_key_work_on_the_server(pg_cluster, pg_url, tmp_path):
    """Password change (re-wrap in the database), the recovery key and the new passwords, as with store.key."""
    paths = DataPaths(tmp_path / "kreis")
    result = create_store(paths, make_request(SiteCode.KREIS),
                          server=_pg_server_string(pg_cluster, make_url(pg_url).database))
    store, admin = login.unlock(paths, ADMIN, ADMIN_PASSWORD)
    try:
        with pytest.raises(WrongPassword):
            accounts.change_own_password(store, admin, "Nicht-das-Passwort-1", "Neues-Passwort-Kreis-55")
        accounts.change_own_password(store, admin, ADMIN_PASSWORD, "Neues-Passwort-Kreis-55")
    finally:
        store.close()
    with pytest.raises(WrongPassword):
        login.unlock(paths, ADMIN, ADMIN_PASSWORD)
    store, _ = login.unlock(paths, ADMIN, "Neues-Passwort-Kreis-55")
    store.close()
    store, _ = login.unlock_with_recovery(paths, ADMIN, result.recovery_key, "Tresor-Schluessel-Weg-88")
    store.close()
    store, user = login.unlock(paths, ADMIN, "Tresor-Schluessel-Weg-88")
    try:
        assert user.is_admin and store.keyring.load().failed_logins == 0
    finally:
        store.close()


def test_a_connection_lost_mid_transaction_leaves_nothing_half_applied(district_pg_paths):
    """The server ends the clerk's connection in the middle of a write: German message, nothing of the
    transaction stored, and the next session works on a fresh connection."""
    from whh_desktop.core.store.models import Account

    clerk, _ = login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)
    admin, _ = login.unlock(district_pg_paths, ADMIN, ADMIN_PASSWORD)
    try:
        with pytest.raises(ServerUnreachable, match="keine Daten verloren"), clerk.session(KREIS_USER) as s:
            s.execute(select(Account).where(Account.username == KREIS_USER)).scalar_one().display_name = "Halb"
            s.flush()
            pid = s.execute(text("SELECT pg_backend_pid()")).scalar()
            with admin.engine.connect() as conn:
                conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
                conn.commit()
            s.execute(text("SELECT 1"))
        with clerk.read_session() as s:
            assert s.execute(select(Account.display_name).where(Account.username == KREIS_USER)).scalar() \
                == "Clara Krüger"
    finally:
        clerk.close()
        admin.close()
