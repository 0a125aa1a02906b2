"""First start: the setup wizard as a user meets it."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QWizard

from tests.core.pdf_reading import pdf_pages, pdf_text
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.services import login, site_settings
from whh_desktop.core.store.keys import KdfParams, recovery_key_groups
from whh_desktop.core.store.models import Role
from whh_desktop.paths import DataPaths
from whh_desktop.ui import files, printing
from whh_desktop.ui.app import AppController
from whh_desktop.ui.dialogs.setup_wizard import SetupWizard

ADMIN_PW = "Sonnenblumen-Feld-77"


def next_page(wizard: SetupWizard) -> None:
    wizard.button(QWizard.WizardButton.NextButton).click()


def fill_until_key_page(qtbot, wizard: SetupWizard, site: SiteCode = SiteCode.VLOTHO,
                        password: str = ADMIN_PW) -> None:
    wizard.mode_page.group.button([*SiteCode.counselling_sites(), SiteCode.KREIS].index(site)).click()
    next_page(wizard)
    fields = wizard.site_page.fields
    qtbot.keyClicks(fields["street"], "Lange Straße 3")
    qtbot.keyClicks(fields["plz"], "32602")
    qtbot.keyClicks(fields["email"], "vlotho@example.org")
    next_page(wizard)
    page = wizard.admin_page
    qtbot.keyClicks(page.username, "k.nowak")
    qtbot.keyClicks(page.display_name, "Katarzyna Nowak")
    qtbot.keyClicks(page.password, password)
    qtbot.keyClicks(page.repeat, password)
    next_page(wizard)


def type_back_groups(qtbot, wizard: SetupWizard) -> None:
    page = wizard.confirm_page
    for field, index in zip(page.inputs, page.asked, strict=True):
        field.clear()
        qtbot.keyClicks(field, page.groups[index].lower())


@pytest.fixture
def wizard(qtbot, tmp_path) -> SetupWizard:
    w = SetupWizard(DataPaths(tmp_path / "data"), kdf=KdfParams.for_tests(), rng=random.Random(3))
    qtbot.addWidget(w)
    w.show()
    yield w
    if w.store is not None:
        w.store.close()


def test_wizard_creates_the_store_only_after_two_groups_are_typed_back(qtbot, wizard) -> None:
    fill_until_key_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.key_page
    labels = wizard.key_page.group_labels
    assert [label.text() for label in labels] == wizard.recovery_key.split("-")
    assert QFontInfo(labels[0].font()).fixedPitch()
    assert labels[0].font().pointSizeF() >= QApplication.font().pointSizeF() + 8
    next_page(wizard)

    page = wizard.confirm_page
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert page.title() == "Notfallschlüssel bestätigen" and len(page.asked) == 2
    assert [wizard.confirm_page.layout().itemAt(0).layout().labelForField(f).text().replace("&", "")
            for f in page.inputs] == [f"Gruppe {i + 1}" for i in page.asked]
    qtbot.keyClicks(page.inputs[0], page.groups[page.asked[0]])
    qtbot.keyClicks(page.inputs[1], "XXXXX" if page.groups[page.asked[1]] != "XXXXX" else "YYYYY")
    assert not finish.isEnabled()
    assert f"Gruppe {page.asked[1] + 1} stimmt nicht" in page.error.text()
    assert not wizard.paths.exists()

    type_back_groups(qtbot, wizard)  # lower case is fine
    assert finish.isEnabled()
    finish.click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert wizard.paths.exists()
    assert wizard.user.username == "k.nowak" and wizard.user.role is Role.ADMIN
    assert wizard.store.info.site_code == SiteCode.VLOTHO.value
    with wizard.store.read_session() as s:
        letterhead = site_settings.load(s).letterhead
    assert (letterhead.name, letterhead.street, letterhead.plz, letterhead.city) == (
        "Beratungsstelle Vlotho", "Lange Straße 3", "32602", "Vlotho")
    wizard.store.close()
    wizard.store = None
    store, _ = login.unlock_with_recovery(wizard.paths, "k.nowak", wizard.recovery_key, "Neu-nach-Verlust-2026")
    store.close()


def test_bad_site_data_and_a_weak_password_are_refused_in_german(qtbot, wizard) -> None:
    next_page(wizard)
    fields = wizard.site_page.fields
    qtbot.keyClicks(fields["street"], "Lange Straße 3")
    qtbot.keyClicks(fields["plz"], "326")
    next_page(wizard)
    assert wizard.currentPage() is wizard.site_page
    assert "fünf Ziffern" in wizard.site_page.error.text()
    assert fields["plz"].property("invalid") and fields["plz"].hasFocus()
    qtbot.keyClicks(fields["plz"], "02")
    next_page(wizard)
    assert wizard.currentPage() is wizard.admin_page and not fields["plz"].property("invalid")

    page = wizard.admin_page
    qtbot.keyClicks(page.username, "k.nowak")
    qtbot.keyClicks(page.display_name, "K. Nowak")
    qtbot.keyClicks(page.password, "passwort1234")
    qtbot.keyClicks(page.repeat, "passwort1234")
    assert "häufig" in page.hint.text()
    next_page(wizard)
    assert wizard.currentPage() is page
    assert "häufig benutztes Passwort" in page.error.text() and page.password.property("invalid")

    page.password.clear()
    qtbot.keyClicks(page.password, ADMIN_PW)
    next_page(wizard)
    assert wizard.currentPage() is page and "stimmen nicht überein" in page.error.text()
    assert not wizard.paths.exists()


def test_site_details_are_prefilled_from_the_site_name_only(qtbot, wizard) -> None:
    wizard.mode_page.select(SiteCode.BUENDE)
    next_page(wizard)
    fields = wizard.site_page.fields
    assert fields["name"].text() == "Beratungsstelle Bünde" and fields["city"].text() == "Bünde"
    assert fields["street"].text() == fields["plz"].text() == fields["phone"].text() == ""
    wizard.back()
    wizard.mode_page.select(SiteCode.ENGER_SPENGE)
    next_page(wizard)
    assert fields["name"].text() == "Beratungsstelle Enger/Spenge" and fields["city"].text() == ""
    fields["name"].setText("Wohnungsnotfallhilfe Enger und Spenge")
    wizard.back()
    wizard.mode_page.select(SiteCode.KREIS)
    next_page(wizard)
    assert fields["name"].text() == "Wohnungsnotfallhilfe Enger und Spenge"  # typed text is never overwritten
    assert fields["city"].text() == "Herford"


def test_recovery_sheet_is_saved_and_printed_from_memory(qtbot, wizard, monkeypatch, tmp_path) -> None:
    fill_until_key_page(qtbot, wizard)
    target = tmp_path / "schluessel"
    monkeypatch.setattr(files, "choose_save_path", lambda *a: target)
    wizard.key_page.save_button.click()
    saved = target.with_name("schluessel.pdf")
    sheet = pdf_text(saved.read_bytes())
    assert pdf_pages(saved.read_bytes()) == 1 and "Notfallschlüssel für WHH Desktop" in sheet
    assert all(group in sheet for group in recovery_key_groups(wizard.recovery_key))  # this wizard's key
    assert "Gespeichert" in wizard.key_page.status.text()

    printed = tmp_path / "drucker.pdf"

    def pdf_printer(parent, title):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    monkeypatch.setattr(printing, "ask_printer", pdf_printer)
    qtbot.mouseClick(wizard.key_page.print_button, Qt.MouseButton.LeftButton)
    assert pdf_pages(printed.read_bytes()) == 1  # the printer got the sheet's one page
    assert wizard.key_page.status.text().startswith("Gedruckt")
    assert not wizard.paths.exists()  # nothing is created before "Fertigstellen"


def test_a_failing_creation_keeps_the_wizard_open_with_everything_typed(qtbot, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    wizard = SetupWizard(DataPaths(blocker / "data"), kdf=KdfParams.for_tests())
    qtbot.addWidget(wizard)
    wizard.show()
    fill_until_key_page(qtbot, wizard)
    next_page(wizard)
    type_back_groups(qtbot, wizard)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.isVisible() and wizard.currentPage() is wizard.confirm_page
    assert wizard.confirm_page.error.text() and "Traceback" not in wizard.confirm_page.error.text()
    assert wizard.store is None and wizard.admin_page.username.text() == "k.nowak"


def test_first_start_runs_the_wizard_and_opens_the_main_window(qtbot, tmp_path, answers, monkeypatch) -> None:
    monkeypatch.setenv("WHH_UNSAFE_TEST_KDF", "1")
    paths = DataPaths(tmp_path / "data")

    def finish(w: SetupWizard) -> None:
        fill_until_key_page(qtbot, w, site=SiteCode.HIDDENHAUSEN)
        next_page(w)
        type_back_groups(qtbot, w)
        w.button(QWizard.WizardButton.FinishButton).click()

    answers.on(SetupWizard, finish)
    controller = AppController(paths)
    assert controller.start()
    win = controller.window
    qtbot.addWidget(win)
    assert win.user_label.text() == "Angemeldet: Katarzyna Nowak (Admin)"
    assert "Hiddenhausen" in win.site_label.text()
    controller.quit_requested.connect(lambda: None)
    win.close()
    assert controller.store is None
