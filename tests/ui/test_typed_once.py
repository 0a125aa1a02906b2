"""Typed once (issue 18, point 6): the Kommune follows PLZ and Ort in the intake and the flat offer; the intake's
tenancy and landlord reach the eviction form."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import set_text
from whh_desktop.ui.dialogs.intake import IntakeDialog
from whh_desktop.ui.dialogs.offer_dialogs import OfferDialog


def test_intake_fills_the_kommune_from_plz_and_ort_and_keeps_a_manual_choice(qtbot, counsellor) -> None:
    store, user = counsellor
    dialog = IntakeDialog(store, user)
    qtbot.addWidget(dialog)
    dialog.show()
    w, note = dialog.w, dialog.kommune.note
    set_text(w["plz"], "32584")
    assert w["municipality"].currentData() == ""  # the Ort is not known yet
    set_text(w["city"], "Löhne-Gohfeld")
    assert w["municipality"].currentData() == "Löhne" and note.isHidden()

    set_text(w["plz"], "33602")  # Bielefeld: outside the district; the Kommune filled before stays
    set_text(w["city"], "Bielefeld")
    assert note.isVisible()
    assert note.text() == "Die PLZ 33602 liegt nicht im Kreis Herford – bitte die Kommune selbst wählen."

    set_text(w["plz"], "32602")  # Vlotho's PLZ with the Ort of another Kommune: the user decides
    set_text(w["city"], "Herford")
    assert "gehört zu Vlotho" in note.text() and "Herford" in note.text() and note.isVisible()
    set_text(w["city"], "Vlotho")
    assert w["municipality"].currentData() == "Vlotho" and note.isHidden()

    # The user chooses another Kommune (a flat across the border): later typing does not overwrite it.
    combo = w["municipality"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Up)  # Vlotho is the last entry
    chosen = combo.currentData()
    assert chosen not in ("", "Vlotho") and dialog.kommune.manual
    set_text(w["city"], "Vlotho-Exter")
    set_text(w["plz"], "32602")
    assert combo.currentData() == chosen


def test_a_saved_draft_keeps_its_kommune(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    first = IntakeDialog(store, user)
    qtbot.addWidget(first)
    for name, text in (("family_name", "Nowak"), ("plz", "32257"), ("city", "Bünde")):
        set_text(first.w[name], text)
    assert first.w["municipality"].currentData() == "Bünde"
    first.w["municipality"].setCurrentIndex(first.w["municipality"].findData("Kirchlengern"))  # chosen by hand
    answers.ok()  # the intake's note that PLZ and Kommune differ
    assert first.save(draft=True)
    assert "passt nicht zu Kirchlengern" in answers.texts[-1]
    again = IntakeDialog(store, user, case_id=first.case_id)
    qtbot.addWidget(again)
    assert again.w["municipality"].currentData() == "Kirchlengern" and again.kommune.manual
    set_text(again.w["city"], "Bünde-Ennigloh")
    assert again.w["municipality"].currentData() == "Kirchlengern"


def test_offer_form_fills_the_gemeinde_from_the_plz(qtbot) -> None:
    dialog = OfferDialog(lambda v: None, [])
    qtbot.addWidget(dialog)
    set_text(dialog.plz, "32278")
    assert dialog.municipality.currentText() == "Kirchlengern"
    set_text(dialog.plz, "49324")
    assert "nicht im Kreis Herford" in dialog.municipality_note.text()
    assert dialog.municipality.currentText() == "Kirchlengern"
