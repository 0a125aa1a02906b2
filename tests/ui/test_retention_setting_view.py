"""Verwaltung → Einstellungen shows and saves the retention period; the deletion list (Datenschutz) follows it."""

from __future__ import annotations

from datetime import date

from whh_desktop.core.domain.enums import Outcome
from whh_desktop.core.services import cases, intake, site_settings
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import Setting
from whh_desktop.ui.views.privacy import PrivacyView


def test_settings_show_and_save_the_retention_period(qtbot, window) -> None:
    tab = window.show_area("Verwaltung").show_tab("Einstellungen")
    assert tab.retention.value() == 3 and tab.retention.accessibleName().startswith("Aufbewahrungsfrist")
    tab.retention.setValue(6)
    tab.save_button.click()
    assert tab.message.text() == "Gespeichert."
    with window.store.read_session() as s:
        assert site_settings.retention_years(s) == 6
    tab.retention.setValue(2)
    tab.revert_button.click()  # »Verwerfen« shows the stored value again
    assert tab.retention.value() == 6


def test_the_deletion_list_follows_the_setting(qtbot, counsellor) -> None:
    store, user = counsellor
    year = date.today().year
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Frist", given_names="Ida", birth_date=date(1970, 1, 1), municipality="Löhne",
        category="bei_bekannten", category_since=date(year - 6, 1, 1)), draft=False, today=date(year - 6, 1, 3))
    cases.close_case(store, user, case_id, Outcome.KONTAKTABBRUCH, date(year - 5, 6, 30))  # 5 years ago
    view = PrivacyView(store, user)
    qtbot.addWidget(view)
    assert view.table.rowCount() == 1 and "3 Jahre nach Ende" in view.intro.text()
    with store.session(user.username) as s:
        s.merge(Setting(key="retention_years", value=5))
    view.refresh()
    assert view.table.rowCount() == 0 and "5 Jahre nach Ende" in view.intro.text()
