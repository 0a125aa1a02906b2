"""The import panel says that it waits while a colleague's import runs (issue 19: several clerks at once), and
the note goes once its own import has run."""

from __future__ import annotations

from tests.conftest import ADMIN, ADMIN_PASSWORD
from whh_desktop.core.services import login
from whh_desktop.ui.views.exchange import ImportPanel
from whh_desktop.ui.workers import wait_all


def test_the_import_panel_shows_the_wait_message(qtbot, district_any, district_any_paths) -> None:
    store, user = district_any
    colleague, _ = login.unlock(district_any_paths, ADMIN, ADMIN_PASSWORD)
    panel = ImportPanel(store, user, "Pakete einlesen…")
    qtbot.addWidget(panel)
    panel.show()
    try:
        with colleague.import_lock():
            panel.run([])
            qtbot.waitUntil(panel.notice.isVisible, timeout=10_000)
            assert "wartet" in panel.notice.text() and not panel.button.isEnabled()
            assert not panel.job.isFinished()
        qtbot.waitUntil(lambda: panel.job.isFinished(), timeout=20_000)
        wait_all()
        assert panel.job.error is None, repr(panel.job.error)
        qtbot.waitUntil(lambda: not panel.notice.isVisible(), timeout=5_000)
        assert panel.button.isEnabled()
    finally:
        colleague.close()
