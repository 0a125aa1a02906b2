"""Spin boxes name their unit in the right number: »1 Minute«, »5 Minuten« (issue 18 point 9)."""

from __future__ import annotations

from whh_desktop.ui.views.kdu_rules import _months


def test_the_settings_units_follow_the_value(window) -> None:
    tab = window.show_area("Verwaltung").show_tab("Einstellungen")
    units = {tab.autolock: ("Minute", "Minuten"), tab.keep_last: ("Sicherung", "Sicherungen"),
             tab.keep_monthly: ("Monat", "Monate"), tab.reminder: ("Woche", "Wochen")}
    for spin, (one, many) in units.items():
        spin.setValue(1)
        assert spin.text() == f"1 {one}"
        spin.setValue(2)
        assert spin.text() == f"2 {many}"


def test_a_rule_page_month_box_says_1_monat(qtbot) -> None:
    box = _months("Karenzzeit in Monaten", 1)
    qtbot.addWidget(box)
    assert box.text() == "1 Monat"
    box.setValue(12)
    assert box.text() == "12 Monate"
