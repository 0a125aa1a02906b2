"""Mein Tag on screen: each line opens its place, the page and the navigation count follow the broadcast; the
district and the admin keep their own start pages."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from tests.conftest import ADMIN, ADMIN_PASSWORD, COUNSELLOR, COUNSELLOR_PASSWORD, KREIS_PASSWORD, KREIS_USER
from tests.core.test_duplicates import add
from tests.ui.conftest import open_window
from whh_desktop.core.services import fristen, intake, login
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.ops import Op
from whh_desktop.ui.views.my_day import DistrictDayView, MyDayView, days_text

TODAY = date.today()


def _case(store, user, family: str, opened: date = TODAY - timedelta(days=2)):
    return intake.save_intake(store, user, IntakeData(
        family_name=family, given_names="Test", birth_date=date(1981, 3, 4), municipality="Herford",
        category="raeumungsklage", category_since=opened, cold_rent=40000, utilities=8000),
        draft=False, today=opened)[0]


def _open_window(qtbot, site_paths):
    return open_window(qtbot, site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)


def test_mein_tag_is_the_counsellors_start_page_and_enter_opens_the_case_file(qtbot, site_paths, answers) -> None:
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    case_id = _case(store, user, "Brandt")
    fristen.add_follow_up(store, user, case_id, TODAY, "Unterlagen nachfragen")
    store.close()
    win = _open_window(qtbot, site_paths)
    try:
        page = win.pages.currentWidget()
        assert isinstance(page, MyDayView) and win.nav_labels()[0] == "Mein Tag"
        assert win.nav.item(0).text() == "Mein Tag  (1)"
        follow_ups = page.sections["follow_ups"]
        assert follow_ups.heading.text() == "Wiedervorlagen (1)"
        assert follow_ups.texts() == [f"{TODAY.strftime('%d.%m.%Y')} (heute) · "
                                      f"{page.day.follow_ups[0].case_number} Brandt, Test"]
        assert page.sections["recent"].texts()[0].startswith(page.day.recent[0].case_number)
        assert page.sections["overdue"].texts() == []  # only the German "none" line, which opens nothing
        follow_ups.list.setFocus()
        follow_ups.list.setCurrentRow(0)
        qtbot.keyClick(follow_ups.list, Qt.Key.Key_Return)
        case_page = win.pages.currentWidget()  # the deadline's case, as a page, at its deadlines
        assert isinstance(case_page, CaseWorkspace) and case_page.case_id == case_id
        assert case_page.current_part() == "Fristen"
    finally:
        win.close()
        win.store.close()


def test_a_deadline_added_elsewhere_reaches_the_page_and_the_count_through_the_broadcast(qtbot, site_paths) -> None:
    win = _open_window(qtbot, site_paths)
    try:
        page = win.views["Mein Tag"]
        assert page.isVisible() and page.sections["follow_ups"].texts() == []
        assert win.nav.item(0).text() == "Mein Tag"
        op = Op(None, lambda: _case(win.store, win.user, "Kaiser"))
        assert op.run()
        case_id = op.result
        assert [c.case_id for c in page.day.recent] == [case_id]  # the intake's broadcast refreshed the page
        assert Op(None, lambda: fristen.add_follow_up(win.store, win.user, case_id, TODAY + timedelta(days=3),
                                                      "Mietbescheinigung")).run()
        assert len(page.sections["follow_ups"].texts()) == 1
        assert "(in 3 Tagen)" in page.sections["follow_ups"].texts()[0]
        assert win.nav.item(0).text() == "Mein Tag  (1)"
    finally:
        win.close()
        win.store.close()


def test_the_district_and_the_admin_keep_their_own_start_pages(qtbot, district_paths, site_paths) -> None:
    store, _user = login.unlock(district_paths, KREIS_USER, KREIS_PASSWORD)
    add(store, "loehne", "Müller", "Anna", date(1980, 3, 12))
    add(store, "buende", "Mueller", "Anna", date(1980, 3, 12))
    store.close()
    win = open_window(qtbot, district_paths, KREIS_USER, KREIS_PASSWORD)
    try:
        page = win.pages.currentWidget()
        assert isinstance(page, DistrictDayView) and win.nav_labels()[0] == "Kreisübersicht"
        assert "Mein Tag" not in win.nav_labels() and "Übersicht" not in win.nav_labels()
        assert any(text.startswith("Löhne: noch kein Paket") for text in page.sections["sites"].texts())
        assert page.sections["sites"].heading.text() == "Pakete je Standort"
        reports = page.sections["reports"].texts()
        assert len(reports) == 2 and all("Stichtag" in text for text in reports)
        exchange = win.views["Austausch"]
        exchange.tabs.setCurrentIndex(exchange.tabs.count() - 1)
        page.sections["sites"].list.setCurrentRow(0)
        qtbot.keyClick(page.sections["sites"].list, Qt.Key.Key_Return)
        assert win.pages.currentWidget() is exchange
        assert exchange.tabs.tabText(exchange.tabs.currentIndex()) == "&Pakete"
        pairs = page.sections["duplicates"]
        assert pairs.texts() == ["1 Paar zu prüfen (Austausch → Mögliche Doppelungen)"]
        win.show_area("Kreisübersicht")
        pairs.list.setCurrentRow(0)
        qtbot.keyClick(pairs.list, Qt.Key.Key_Return)
        assert exchange.tabs.currentWidget() is exchange.duplicates
    finally:
        win.close()
        win.store.close()
    admin = open_window(qtbot, site_paths, ADMIN, ADMIN_PASSWORD)
    try:
        assert admin.nav_labels()[0] == "Übersicht" and "Mein Tag" not in admin.nav_labels()
    finally:
        admin.close()
        admin.store.close()


def test_days_are_counted_in_german() -> None:
    assert [days_text(d) for d in (-2, -1, 0, 1, 5)] == [
        "seit 2 Tagen überfällig", "seit 1 Tag überfällig", "heute", "morgen", "in 5 Tagen"]


def test_a_long_section_counts_the_rest_and_its_last_line_opens_the_area_with_all(qtbot, site_paths,
                                                                                    monkeypatch) -> None:
    from whh_desktop.core.services import my_day
    from whh_desktop.ui.views.fristen import FristenView

    monkeypatch.setattr(my_day, "SHOWN", 2)
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    case_id = _case(store, user, "Vielfrist")
    for days in range(5):
        fristen.add_follow_up(store, user, case_id, TODAY - timedelta(days=days), f"Nachfrage {days}")
    store.close()
    win = _open_window(qtbot, site_paths)
    try:
        page = win.pages.currentWidget()
        follow_ups = page.sections["follow_ups"]
        assert follow_ups.heading.text() == "Wiedervorlagen (5)" and win.nav.item(0).text() == "Mein Tag  (5)"
        assert len(follow_ups.texts()) == 2
        last = follow_ups.list.item(follow_ups.list.count() - 1)
        assert last.text() == "… und 3 weitere – im Bereich »Fristen«"
        follow_ups.list.setFocus()
        follow_ups.list.setCurrentRow(follow_ups.list.count() - 1)
        qtbot.keyClick(follow_ups.list, Qt.Key.Key_Return)
        assert isinstance(win.pages.currentWidget(), FristenView)
    finally:
        win.close()
        win.store.close()
