"""Typed once (issue 18, point 6): the Kommune follows PLZ and Ort in the intake and the flat offer; the intake's
tenancy and landlord reach the eviction form."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from tests.ui.conftest import set_text
from whh_desktop.core.services import intake
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.dialogs.case_file import CaseFileDialog
from whh_desktop.ui.dialogs.case_forms import EvictionDialog
from whh_desktop.ui.dialogs.intake import IntakeDialog
from whh_desktop.ui.dialogs.offer_dialogs import OfferDialog
from whh_desktop.ui.widgets.fields import is_marked


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


def test_eviction_form_starts_with_the_intakes_flat_and_landlord_and_corrects_them_in_the_case(
        qtbot, counsellor, answers) -> None:
    store, user = counsellor
    since = date.today() - timedelta(days=10)
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Kowalczyk", given_names="Jan", birth_date=date(1981, 7, 9), municipality="Löhne",
        street="Königstraße 911", plz="32584", city="Löhne", category="kuendigung", category_since=since,
        landlord_name="Werre Wohnen GmbH", landlord_address="Am Markt 912, 32584 Löhne", cold_rent=38_000,
        arrears=90_000, arrears_since=since), draft=False, today=since)
    dialog = CaseFileDialog(store, user, case_id)
    qtbot.addWidget(dialog)
    overview = dialog.workspace.overview_panel.overview.text()
    assert "Königstraße 911, 32584 Löhne; Vermieter: Werre Wohnen GmbH" in overview
    seen = {}

    def eviction(d: EvictionDialog) -> None:
        seen.update(street=d.flat_street.text(), plz=d.flat_plz.text(), city=d.flat_city.text(),
                    landlord=d.landlord_name.text(), address=d.landlord_address.text(), court=d.court.text())
        d.kind.setCurrentIndex(d.kind.findData("fristlos_verzug"))
        set_text(d.flat_plz, "3258")
        d.accept()
        assert d.isVisible() and "fünf Ziffern" in d.message.text() and is_marked(d.flat_plz)
        set_text(d.flat_plz, "32584")
        set_text(d.landlord_name, "Werre Wohnen GmbH & Co. KG")
        d.accept()
        assert not d.isVisible(), d.message.text()

    answers.on(EvictionDialog, eviction)
    dialog.workspace.tenancy_panel.edit_eviction(None)
    assert seen == {"street": "Königstraße 911", "plz": "32584", "city": "Löhne", "landlord": "Werre Wohnen GmbH",
                    "address": "Am Markt 912, 32584 Löhne", "court": "Amtsgericht Bad Oeynhausen"}  # by the flat's PLZ
    flat = intake.tenancy(store, user, case_id)
    assert (flat.landlord_name, flat.address) == ("Werre Wohnen GmbH & Co. KG", "Königstraße 911, 32584 Löhne")
    assert flat.arrears == 90_000  # the form changes the flat and landlord, never the money


def test_eviction_form_of_a_homeless_client_starts_empty(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Kowalczyk", given_names="Ewa", birth_date=date(1990, 2, 3), municipality="Löhne",
        street="Postfach 913", plz="32584", city="Löhne", category="ohne_unterkunft",
        category_since=date.today()), draft=False)
    dialog = CaseFileDialog(store, user, case_id)
    qtbot.addWidget(dialog)
    seen = []
    answers.on(EvictionDialog, lambda d: seen.append((d.flat_street.text(), d.landlord_name.text())))
    dialog.workspace.tenancy_panel.edit_eviction(None)
    assert seen == [("", "")]


def test_audit_log_shows_the_person_beside_the_login(qtbot, unlocked) -> None:
    from whh_desktop.ui.views.admin.audit import AuditTab

    store, _user = unlocked
    tab = AuditTab(store, _user)
    qtbot.addWidget(tab)
    shown = {tab.table.item(r, 1).text() for r in range(tab.table.rowCount())}
    assert "Anna Becker (a.becker)" in shown and "a.becker" not in shown


def test_letter_dialog_fills_the_mietschulden_letter_from_the_intake_and_names_what_is_missing(
        qtbot, counsellor, answers) -> None:
    from whh_desktop.ui.dialogs.letter import LetterDialog

    store, user = counsellor
    form = IntakeDialog(store, user)  # typed once, in the intake form: no separate address of the flat
    qtbot.addWidget(form)
    for name, text in (("family_name", "Lindemann"), ("given_names", "Ole"), ("birth_date", "04.05.1977"),
                       ("street", "Herforder Straße 915"), ("plz", "32278"), ("city", "Kirchlengern"),
                       ("category_since", date.today().strftime("%d.%m.%Y")), ("landlord_name", "Else Vogt"),
                       ("landlord_address", "Mühlenweg 916, 32278 Kirchlengern"), ("cold_rent", "400,00"),
                       ("utilities", "90,00")):
        set_text(form.w[name], text)
    form.w["category"].setCurrentIndex(form.w["category"].findData("kuendigung"))
    assert form.w["municipality"].currentData() == "Kirchlengern"
    assert form.save(draft=False), form.message.text()
    dialog = LetterDialog(store, user, form.case_id)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("jc_mietschulden"))
    assert dialog.inputs["mietwohnung"].text() == "Herforder Straße 915, 32278 Kirchlengern"
    assert dialog.inputs["vermieter_name"].text() == "Else Vogt"
    # the arrears were not typed at the intake: the letter says which field is missing instead of assuming it
    assert dialog.preview_state.text() == "Für diesen Brief fehlt: Höhe des Mietrückstands"
    assert is_marked(dialog.inputs["mietrueckstand"]) and dialog.pdf is None

    dialog.kind.setCurrentIndex(dialog.kind.findData("vermieter_ruecknahme_kuendigung"))
    assert "Else Vogt" in dialog.recipient.currentText()  # the intake's landlord comes first
    assert dialog.chosen_recipient().lines == ("Else Vogt", "Mühlenweg 916", "32278 Kirchlengern")
