"""The intake's summary does not put »Bitte prüfen:« before messages that already say »Bitte …«."""

from __future__ import annotations

from whh_desktop.ui.dialogs.intake import IntakeDialog


def test_the_intake_summary_asks_once(qtbot, counsellor) -> None:
    store, user = counsellor
    dialog = IntakeDialog(store, user)
    qtbot.addWidget(dialog)
    dialog.w["family_name"].setText("Öztürk")
    assert not dialog.save(draft=False)
    text = dialog.message.text()
    assert text.startswith("Bitte den Vornamen angeben.") and "Bitte prüfen: Bitte" not in text
