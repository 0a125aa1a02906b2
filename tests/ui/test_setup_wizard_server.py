"""The setup wizard's district path onto a PostgreSQL server (issue 14)."""

from __future__ import annotations

import random

import pytest
from PySide6.QtWidgets import QWizard
from sqlalchemy.engine import make_url

from tests.conftest import _pg_server_string
from tests.ui.test_setup_wizard import next_page, type_back_groups
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.store.keys import KdfParams
from whh_desktop.paths import DataPaths
from whh_desktop.ui.dialogs.setup_wizard import SITES, SetupWizard

ADMIN_PW = "Sonnenblumen-Feld-77"


@pytest.fixture
def wizard(qtbot, tmp_path) -> SetupWizard:
    w = SetupWizard(DataPaths(tmp_path / "data"), kdf=KdfParams.for_tests(), rng=random.Random(3))
    qtbot.addWidget(w)
    w.show()
    yield w
    if w.store is not None:
        w.store.close()


def test_the_server_option_is_only_for_the_district(qtbot, wizard) -> None:
    page = wizard.mode_page
    assert not page.place_server.isEnabled() and not page.server.isEnabled()
    page.group.button(SITES.index(SiteCode.KREIS)).click()
    assert page.place_server.isEnabled() and not page.server.isEnabled()
    page.place_server.click()
    assert page.server.isEnabled() and page.server_url == ""
    next_page(wizard)
    assert wizard.currentPage() is page and "Verbindungsangabe" in page.error.text()
    qtbot.keyClicks(page.server, "postgresql://kreis@db.kreis-herford.example/whh")
    next_page(wizard)
    assert wizard.currentPage() is page and "verschlüsselt" in page.error.text()
    page.server.clear()
    qtbot.keyClicks(page.server, "postgresql://kreis:geheim@db.kreis-herford.example/whh?sslmode=verify-full")
    next_page(wizard)
    assert wizard.currentPage() is page and "Passwort gehört nicht" in page.error.text()


def test_the_wizard_creates_the_district_store_on_the_server(qtbot, wizard, pg_cluster, pg_url) -> None:
    page = wizard.mode_page
    page.group.button(SITES.index(SiteCode.KREIS)).click()
    page.place_server.click()
    qtbot.keyClicks(page.server, _pg_server_string(pg_cluster, make_url(pg_url).database))
    next_page(wizard)
    assert wizard.currentPage() is wizard.site_page
    fields = wizard.site_page.fields
    qtbot.keyClicks(fields["street"], "Amtshausstraße 2")
    qtbot.keyClicks(fields["plz"], "32051")
    next_page(wizard)
    admin = wizard.admin_page
    qtbot.keyClicks(admin.username, "k.nowak")
    qtbot.keyClicks(admin.display_name, "Katarzyna Nowak")
    qtbot.keyClicks(admin.password, ADMIN_PW)
    qtbot.keyClicks(admin.repeat, ADMIN_PW)
    next_page(wizard)
    next_page(wizard)
    type_back_groups(qtbot, wizard)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.store is not None, timeout=60000)
    assert wizard.store.backend.name == "postgresql" and wizard.user.username == "k.nowak"
    assert wizard.paths.server_config.exists() and not wizard.paths.store.exists()
