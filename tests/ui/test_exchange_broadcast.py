"""An import in the Austausch area reaches the other areas only through the broadcast of its operation: the case
list on screen shows the imported case and the Fristen badge is counted again, with no reload by hand and no
switch of areas (the badge timer runs once a minute, far beyond this test)."""

from __future__ import annotations

import dataclasses

from tests.core.test_sync_import_fixtures import exchange_on_file, new_case  # noqa: F401  (fixture)
from whh_desktop.core.services import sync
from whh_desktop.ui.main_window import MainWindow
from whh_desktop.ui.workers import wait_all


def test_an_import_refreshes_the_case_list_and_the_fristen_badge_through_the_broadcast(
        qtbot, exchange_on_file, tmp_path) -> None:  # noqa: F811
    ex = exchange_on_file
    new_case(ex.site, ex.site_user, "Kowalski", kreis_consent=True)
    out = tmp_path / "stick"
    out.mkdir()
    sync.export_for_district(ex.site, ex.site_user, out, True)
    bundle = next(out.glob("*.whhb"))

    window = MainWindow(ex.district, ex.district_user)
    qtbot.addWidget(window)
    window.show()
    cases_view = window.show_area("Fälle")
    assert cases_view.isVisible() and cases_view.model.rowCount() == 0
    badge_row = window.nav_labels().index("Fristen")
    assert window.nav.item(badge_row).text() == "Fristen"
    counted: list[str] = []

    def badge(store, user) -> int:  # the real count stays 0 at the Kreis: this one says that it was asked
        counted.append(user.username)
        return 2

    window.areas[badge_row] = dataclasses.replace(window.areas[badge_row], badge=badge)

    importer = window.views["Austausch"].exchange.importer
    importer.run([bundle])  # the Austausch page stays hidden; the Fälle page stays in front
    qtbot.waitUntil(lambda: importer.table.rowCount() == 1, timeout=30_000)
    wait_all()
    assert importer.table.cell(0, 1) == "eingelesen"
    assert window.pages.currentWidget() is cases_view
    assert cases_view.model.rowCount() == 1
    assert counted == [ex.district_user.username]
    assert window.nav.item(badge_row).text() == "Fristen  (2)"
