"""Shared fixtures: a real SQLCipher store per test, copied from a template made once per worker."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["WHH_UNSAFE_TEST_KDF"] = "1"  # cheap Argon2 parameters; production code never sets this
os.environ.setdefault("WHH_LOG_DIR", tempfile.mkdtemp(prefix="whh-test-logs-"))

settings.register_profile("ci", deadline=None, max_examples=60)
settings.load_profile("ci")

from tests.pg_server import SHARED_DIR_ENV, stop_shared_cluster  # noqa: E402
from whh_desktop.core.domain.sites import SiteCode, StoreMode  # noqa: E402
from whh_desktop.core.services import login  # noqa: E402
from whh_desktop.core.services.site_settings import Letterhead  # noqa: E402
from whh_desktop.core.services.store_setup import SetupRequest, create_store  # noqa: E402
from whh_desktop.core.store.keys import KdfParams  # noqa: E402
from whh_desktop.paths import DataPaths  # noqa: E402

ADMIN = "a.becker"
ADMIN_PASSWORD = "Rotkehlchen-Wiese-42"
COUNSELLOR = "b.schulz"
COUNSELLOR_PASSWORD = "Kastanienallee-Nord-17"
LETTERHEAD = Letterhead(name="Beratungsstelle Löhne (Fiktiv)", street="Musterstraße 1", plz="32584",
                        city="Löhne", phone="05732 000000", email="beratung-loehne@example.org")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The long tests (marked ``slow``) first, otherwise in file order: with ``--dist loadgroup`` (make test) the
    workers take one test at a time, so a long test that started last would leave one worker running it alone at
    the end while the other idles."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@dataclass(frozen=True)
class TemplateStore:
    paths: DataPaths
    recovery_key: str


def make_request(site: SiteCode = SiteCode.LOEHNE) -> SetupRequest:
    mode = StoreMode.DISTRICT if site is SiteCode.KREIS else StoreMode.SITE
    return SetupRequest(mode=mode, site=site, letterhead=LETTERHEAD, admin_username=ADMIN,
                        admin_display_name="Anna Becker", admin_password=ADMIN_PASSWORD,
                        kdf=KdfParams.for_tests())


def _site_template(paths: DataPaths, site: SiteCode) -> TemplateStore:
    """A set-up site store with the admin a.becker and the counsellor b.schulz (start password already changed)."""
    from whh_desktop.core.services import accounts
    from whh_desktop.core.store.models import Account, Role

    result = create_store(paths, make_request(site))
    store, admin = login.unlock(paths, ADMIN, ADMIN_PASSWORD)
    accounts.create_account(store, admin, COUNSELLOR, "Birgit Schulz", Role.BERATUNG, COUNSELLOR_PASSWORD)
    with store.session(ADMIN) as s:  # as if she had changed the start password already
        s.query(Account).filter_by(username=COUNSELLOR).update({"must_change_password": False})
    store.close()
    return TemplateStore(paths, result.recovery_key)


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> TemplateStore:
    return _site_template(DataPaths(tmp_path_factory.mktemp("template") / "data"), SiteCode.LOEHNE)


@pytest.fixture(scope="session")
def _buende_template(tmp_path_factory: pytest.TempPathFactory) -> TemplateStore:
    """The same for Bünde: the second site of the hostile-bundle tests (copied per test, not created per test)."""
    return _site_template(DataPaths(tmp_path_factory.mktemp("buende-template") / "data"), SiteCode.BUENDE)


@pytest.fixture
def site_paths(_template: TemplateStore, tmp_path: Path) -> DataPaths:
    """A fresh copy of a set-up Löhne store (admin a.becker, counsellor b.schulz), locked."""
    target = tmp_path / "data"
    shutil.copytree(_template.paths.root, target)
    return DataPaths(target)


@pytest.fixture
def recovery_key(_template: TemplateStore) -> str:
    return _template.recovery_key


@pytest.fixture
def counsellor(site_paths: DataPaths):
    """The store opened by the counsellor b.schulz (role Beratung): case work needs a Beratung account."""
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    yield store, user
    store.close()


@pytest.fixture
def unlocked(site_paths: DataPaths):
    store, user = login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    yield store, user
    store.close()


KREIS_USER = "c.krueger"
KREIS_PASSWORD = "Wiesenweg-Hecke-Amsel-9"


@pytest.fixture(scope="session")
def _district_template(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    """A district store (Kreis) with the admin a.becker and the district employee c.krueger (role Kreis)."""
    from whh_desktop.core.services import accounts
    from whh_desktop.core.store.models import Account, Role

    paths = DataPaths(tmp_path_factory.mktemp("district-template") / "data")
    create_store(paths, make_request(SiteCode.KREIS))
    store, admin = login.unlock(paths, ADMIN, ADMIN_PASSWORD)
    accounts.create_account(store, admin, KREIS_USER, "Clara Krüger", Role.KREIS, KREIS_PASSWORD)
    with store.session(ADMIN) as s:
        s.query(Account).filter_by(username=KREIS_USER).update({"must_change_password": False})
    store.close()
    return paths


@pytest.fixture
def district_paths(_district_template: DataPaths, tmp_path: Path) -> DataPaths:
    target = tmp_path / "district"
    shutil.copytree(_district_template.root, target)
    return DataPaths(target)


@pytest.fixture
def district(district_paths: DataPaths):
    """A fresh district store opened by c.krueger (role Kreis)."""
    store, user = login.unlock(district_paths, KREIS_USER, KREIS_PASSWORD)
    yield store, user
    store.close()


# ---- PostgreSQL (issue 14: the district store on a server) ------------------------------------------------------
_pg_skipped: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """The controlling process (not an xdist worker) names the folder where the run's one PostgreSQL cluster is
    recorded; the workers inherit it through the environment."""
    if not hasattr(config, "workerinput"):
        os.environ[SHARED_DIR_ENV] = tempfile.mkdtemp(prefix="whh-pg-run-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and os.environ.get(SHARED_DIR_ENV):
        stop_shared_cluster(Path(os.environ.pop(SHARED_DIR_ENV)))


@pytest.fixture(scope="session")
def pg_cluster():
    """The run's throw-away PostgreSQL cluster (tests/pg_server.py: one for all workers, each test makes its own
    databases); skipped without the binaries, an error under CI=true (CI installs them)."""
    from tests.pg_server import SKIP_REASON, shared_cluster

    cluster = shared_cluster(Path(os.environ[SHARED_DIR_ENV]))
    if cluster is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI: PostgreSQL-Binärdateien fehlen – .ci/run hätte sie installieren sollen.")
        _pg_skipped.append(SKIP_REASON)
        pytest.skip(SKIP_REASON)
    return cluster


@pytest.fixture
def pg_url(pg_cluster):
    """A SQLAlchemy URL (postgresql+psycopg) of a new, empty database, dropped after the test."""
    name = pg_cluster.create_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _pg_skipped or any(SKIP_MARK in str(getattr(r, "longrepr", ""))
                          for r in terminalreporter.stats.get("skipped", [])):
        terminalreporter.write_line("Hinweis: Die PostgreSQL-Tests wurden übersprungen – kein PostgreSQL-Server "
                                    "installiert (apt-get install postgresql).", yellow=True, bold=True)


SKIP_MARK = "PostgreSQL-Tests übersprungen"


# ---- the district store on PostgreSQL (issue 14, helper P1) ------------------------------------------------------
def _pg_server_string(pg_cluster, database: str) -> str:
    """The connection string a district admin would type (libpq form, Unix socket: no TLS needed)."""
    return f"postgresql://{pg_cluster.superuser}@/{database}?host={pg_cluster.socket_dir}&port={pg_cluster.port}"


@pytest.fixture(scope="session")
def _district_pg_template(pg_cluster, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A district store on the server (admin a.becker, c.krueger role Kreis), used as a CREATE DATABASE template."""
    from whh_desktop.core.services import accounts
    from whh_desktop.core.store.models import Account, Role

    name = pg_cluster.create_database("whh_tmpl")
    paths = DataPaths(tmp_path_factory.mktemp("district-pg-template") / "data")
    create_store(paths, make_request(SiteCode.KREIS), server=_pg_server_string(pg_cluster, name))
    store, admin = login.unlock(paths, ADMIN, ADMIN_PASSWORD)
    accounts.create_account(store, admin, KREIS_USER, "Clara Krüger", Role.KREIS, KREIS_PASSWORD)
    with store.session(ADMIN) as s:
        s.query(Account).filter_by(username=KREIS_USER).update({"must_change_password": False})
    store.close()
    return name


@pytest.fixture
def district_pg_paths(pg_cluster, _district_pg_template: str, tmp_path: Path):
    """A fresh copy of the PostgreSQL district store (a database made from the template) and a data folder that
    names it, locked."""
    import uuid

    import psycopg

    from whh_desktop.core.store.backend import parse_server_url
    from whh_desktop.core.store.location import write_server_url

    name = f"whh_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{_district_pg_template}"')
    paths = DataPaths(tmp_path / "district-pg")
    paths.root.mkdir(parents=True)
    write_server_url(paths, parse_server_url(_pg_server_string(pg_cluster, name)))
    yield paths
    pg_cluster.drop_database(name)


@pytest.fixture
def district_pg(district_pg_paths: DataPaths):
    """The district store on PostgreSQL opened by c.krueger (role Kreis): ``district`` on the other backend."""
    store, user = login.unlock(district_pg_paths, KREIS_USER, KREIS_PASSWORD)
    yield store, user
    store.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def district_any_paths(request: pytest.FixtureRequest) -> DataPaths:
    """The district store's folder on both backends (the PostgreSQL run skips without a server)."""
    return request.getfixturevalue("district_paths" if request.param == "sqlite" else "district_pg_paths")


@pytest.fixture
def district_any(district_any_paths: DataPaths):
    """``district`` on both backends: the district story must not know which one runs."""
    store, user = login.unlock(district_any_paths, KREIS_USER, KREIS_PASSWORD)
    yield store, user
    store.close()
