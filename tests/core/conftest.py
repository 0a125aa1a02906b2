"""Core-only fixtures: a district store (Kreis) beside the site store of tests/conftest.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import ADMIN, ADMIN_PASSWORD, make_request
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.services import login
from whh_desktop.core.services.store_setup import create_store
from whh_desktop.paths import DataPaths

KREIS_USER = "c.krueger"
KREIS_PASSWORD = "Wiesenweg-Hecke-Amsel-9"


@pytest.fixture(scope="session")
def _district_template(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
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
def district(_district_template: DataPaths, tmp_path: Path):
    """A fresh district store opened by the district employee c.krueger (role Kreis)."""
    target = tmp_path / "district"
    shutil.copytree(_district_template.root, target)
    store, user = login.unlock(DataPaths(target), KREIS_USER, KREIS_PASSWORD)
    yield store, user
    store.close()
