"""Start in a second (issue 20 point 2): the navigation names every area, but an area's widget is built when it is
first shown, and then reads current data; the first paint imports only what the first view needs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from tests.conftest import ADMIN, ADMIN_PASSWORD, COUNSELLOR, COUNSELLOR_PASSWORD
from tests.ui.conftest import open_window
from whh_desktop.core.services import fristen, intake
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.ops import Op

TODAY = date.today()
ROOT = Path(__file__).resolve().parents[2]


def _case(store, user, family: str):
    return intake.save_intake(store, user, IntakeData(
        family_name=family, given_names="Test", birth_date=date(1981, 3, 4), municipality="Herford",
        category="raeumungsklage", category_since=TODAY, cold_rent=40000, utilities=8000), draft=False)[0]


def test_only_the_first_area_is_built_and_a_later_one_reads_current_data_when_first_shown(qtbot, site_paths) -> None:
    win = open_window(qtbot, site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    try:
        labels = win.nav_labels()
        assert labels[0] == "Mein Tag" and {"Fälle", "Fristen", "Berichte", "Austausch"} <= set(labels)
        assert [label for label in labels if win.views.is_built(label)] == ["Mein Tag"]
        assert set(win.views) == set(labels) and "Fristen" in win.views  # every area is known, built or not
        assert [win.pages.widget(i) for i in range(win.pages.count())] == [win.views["Mein Tag"]]

        # A deadline written while Fristen is not built: its badge follows, and the list shows it once built.
        op = Op(None, lambda: _case(win.store, win.user, "Albers"))
        assert op.run()
        assert Op(None, lambda: fristen.add_follow_up(win.store, win.user, op.result, TODAY + timedelta(days=2),
                                                      "Mietbescheinigung")).run()
        row = labels.index("Fristen")
        assert win.nav.item(row).text() == "Fristen  (1)" and not win.views.is_built("Fristen")
        win.area_actions.actions()[row].trigger()  # Strg+3, or the Ansicht menu
        view = win.views.built("Fristen")
        assert view is not None and win.pages.currentWidget() is view and view.isVisible()
        assert view.table.rowCount() == 1 and view.table.item(0, 4).text() == "Albers, Test"
        assert win.area_actions.actions()[row].isChecked()
        built = [label for label in labels if win.views.is_built(label)]
        assert built == ["Mein Tag", "Fristen"]
    finally:
        win.close()
        win.store.close()


def test_asking_for_an_area_builds_it_without_showing_it(qtbot, site_paths) -> None:
    win = open_window(qtbot, site_paths, ADMIN, ADMIN_PASSWORD)
    try:
        assert not win.views.is_built("Verwaltung")
        admin = win.views["Verwaltung"]  # what a test or a shortcut asks for exists at once
        assert win.views.is_built("Verwaltung") and win.pages.currentWidget() is win.views["Übersicht"]
        assert win.show_area("Verwaltung") is admin and win.pages.currentWidget() is admin
    finally:
        win.close()
        win.store.close()


_PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from whh_desktop.core.services import login
from whh_desktop.paths import DataPaths
store, user = login.unlock(DataPaths(Path(sys.argv[1])), sys.argv[2], sys.argv[3])
after_unlock = set(sys.modules)
from whh_desktop.ui.main_window import MainWindow
window = MainWindow(store, user)
window.show()
app.processEvents()
print(json.dumps({"unlock": sorted(after_unlock), "window": sorted(sys.modules)}))
window.close()
store.close()
"""
# Not needed to paint the first view: each loads when its area, dialog or document is first used.
HEAVY = ("alembic", "mako", "reportlab", "jinja2", "openpyxl", "rapidfuzz", "holidays", "psycopg",
         "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtCharts", "PySide6.QtPrintSupport",
         "whh_desktop.ui.case_file.workspace", "whh_desktop.ui.views.cases", "whh_desktop.ui.views.reports",
         "whh_desktop.core.services.sync")


def test_the_first_paint_imports_only_what_the_first_view_needs(site_paths) -> None:
    for user, password, first in ((COUNSELLOR, COUNSELLOR_PASSWORD, "whh_desktop.ui.views.my_day"),
                                  (ADMIN, ADMIN_PASSWORD, "whh_desktop.ui.views.overview")):
        out = subprocess.run([sys.executable, "-c", _PROBE, str(site_paths.root), user, password],
                             capture_output=True, text=True, cwd=ROOT, timeout=300,
                             env={**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"})
        assert out.returncode == 0, out.stderr[-2000:]
        modules = json.loads(out.stdout.splitlines()[-1])
        assert not [m for m in modules["unlock"] if m.split(".")[0] in ("alembic", "mako")]  # no migration due
        loaded = set(modules["window"])
        assert first in loaded
        assert [m for m in HEAVY if m in loaded] == [], user
