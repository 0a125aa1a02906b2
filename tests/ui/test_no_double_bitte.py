"""The intake's summary lists every problem without putting »Bitte prüfen:« before messages that already say
»Bitte …«."""

from __future__ import annotations

from whh_desktop.ui.dialogs.intake import IntakeDialog


def test_the_intake_summary_asks_once(qtbot, counsellor) -> None:
    store, user = counsellor
    dialog = IntakeDialog(store, user)
    qtbot.addWidget(dialog)
    dialog.w["family_name"].setText("Öztürk")
    dialog.w["category_since"].clear()  # prefilled with today
    assert not dialog.save(draft=False)
    text = dialog.message.text()
    lines = text.splitlines()
    assert lines[0] == "5 Angaben fehlen oder stimmen nicht:" and "• Bitte den Vornamen angeben." in lines
    assert "Bitte prüfen" not in text and all(line.count("Bitte") <= 1 for line in lines)
