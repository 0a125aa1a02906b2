"""Brief schreiben from a case: filled fields, a missing field named instead of a broken letter, live preview,
consent warning, print / save / file, and the copy in the case (issue 04, points 1 and 2)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from sqlalchemy import select

from tests.core.pdf_reading import pdf_pages, pdf_text
from whh_desktop.core.domain.deadlines import schonfrist
from whh_desktop.core.services import case_file, casework, consent, intake
from whh_desktop.core.services.casework import EvictionData
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import AuditEntry
from whh_desktop.ui import files, printing
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.dialogs import letter as letter_dialog
from whh_desktop.ui.dialogs.letter import ForceDialog, LetterDialog

TODAY = date.today()
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
          "Dezember")


def long_date(day: date) -> str:
    """The letters' long German date, written out here independently of the code under test."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


@pytest.fixture
def tenancy_case(counsellor):
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Nguyễn", given_names="Thị Minh Khai", birth_date=date(1984, 5, 6), municipality="Löhne",
        category="raeumungsklage", category_since=TODAY - timedelta(days=20), street="Lübbecker Straße 12",
        plz="32584", city="Löhne", landlord_name="Łukasz Żółkiewski", landlord_address="Bahnhofstraße 3, 32584 Löhne",
        tenancy_street="Lübbecker Straße 12", tenancy_plz="32584", tenancy_city="Löhne", cold_rent=38000,
        utilities=9000, arrears=141000, arrears_since=TODAY - timedelta(days=100)), draft=False,
        today=TODAY - timedelta(days=20))
    return store, user, case_id


def give_reason(answers, reason: str) -> None:
    """Answer the next »Trotzdem senden« dialog: first an empty reason (refused in German), then ``reason``."""

    def answer(d: ForceDialog) -> None:
        d.submit()
        assert d.isVisible() and "warum der Brief trotz der Prüfung" in d.message.text()
        d.reason.setPlainText(reason)
        d.submit()

    answers.on(ForceDialog, answer)


def click_force(dialog: LetterDialog) -> None:
    assert dialog.force_button.isEnabled()
    dialog.force_button.click()


def choose(dialog: LetterDialog, code: str, recipient_text: str) -> None:
    dialog.kind.setCurrentIndex(dialog.kind.findData(code))
    index = next(i for i in range(dialog.recipient.count()) if recipient_text in dialog.recipient.itemText(i))
    dialog.recipient.setCurrentIndex(index)


def test_missing_field_is_named_then_typed_and_the_letter_filed(qtbot, tenancy_case, answers) -> None:
    store, user, case_id = tenancy_case
    dialog = LetterDialog(store, user, case_id)
    qtbot.addWidget(dialog)
    choose(dialog, "vermieter_aussetzung_raeumung", "Żółkiewski")
    assert "fehlt" in dialog.preview_state.text() and "Zustellung der Räumungsklage" in dialog.preview_state.text()
    assert not dialog.print_button.isEnabled() and dialog.preview.page_count == 0
    assert "Einwilligung" in dialog.consent.text()  # no consent names the landlord
    assert "Thị Minh Khai Nguyễn" in dialog.inputs["klient_name"].text()
    for key, value in (("klage_zugestellt", "3. November 2026"), ("antrag_datum", "20. November 2026")):
        dialog.inputs[key].setText(value)
        dialog.inputs[key].setModified(True)
    dialog.update_preview()
    dialog.free_text.setPlainText("Die Mieterin hat die laufende Miete für November bereits gezahlt.")
    dialog.recipient.setCurrentIndex(dialog.recipient.currentIndex())  # typed values survive a refresh
    assert dialog.inputs["antrag_datum"].text() == "20. November 2026"
    dialog.update_preview()
    assert dialog.pdf is None and not dialog.print_button.isEnabled()  # no consent names the landlord
    assert any("Einwilligung für Vermieter" in dialog.check_list.item(i).text()
               for i in range(dialog.check_list.count()))
    give_reason(answers, "Einwilligung liegt in Papierform vor")
    click_force(dialog)
    assert dialog.pdf is not None and dialog.print_button.isEnabled()
    answers.ok()
    dialog.file_letter()
    assert dialog.recorded is not None and not dialog.isVisible()
    with store.read_session() as s:
        forced = s.execute(select(AuditEntry).where(AuditEntry.action == "letter_check_overridden")).scalars().all()
    assert len(forced) == 1 and "einwilligung" in forced[0].detail and "Papierform" in forced[0].detail
    assert any("liegt jetzt in der Akte" in t for t in answers.texts)
    cf = case_file.open_case(store, user, case_id)
    assert [d.letter_type for d in cf.documents] == ["vermieter_aussetzung_raeumung"]
    assert cf.contacts[0].kind == "schriftlich" and "Żółkiewski" in cf.contacts[0].note
    with store.read_session() as s:
        assert casework.document_bytes(s, cf.documents[0].id).startswith(b"%PDF")


def test_print_with_consent_needs_no_question_and_files_a_copy(qtbot, tenancy_case, answers, tmp_path,
                                                               monkeypatch) -> None:
    store, user, case_id = tenancy_case
    casework.save_eviction(store, user, case_id, EvictionData(
        termination_kind="fristlos_verzug", suit_served_on=TODAY - timedelta(days=10)))
    consent.record(store, user, case_id, ConsentData(["vermieter"], "Sicherung der Wohnung", ["stammdaten",
                   "raeumung"], False, TODAY, TODAY))
    out = tmp_path / "gedruckt.pdf"

    def printer(parent, title):
        p = QPrinter(QPrinter.PrinterMode.HighResolution)
        p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        p.setOutputFileName(str(out))
        return p

    monkeypatch.setattr(printing, "ask_printer", printer)
    dialog = LetterDialog(store, user, case_id)
    qtbot.addWidget(dialog)
    choose(dialog, "vermieter_aussetzung_raeumung", "Żółkiewski")
    assert dialog.consent.isHidden() and dialog.consent.text() == ""
    assert "Zustellung der Räumungsklage" not in dialog.preview_state.text()  # filled from the proceeding
    dialog.inputs["antrag_datum"].setText("20. November 2026")
    dialog.update_preview()
    dialog.print_letter()
    assert dialog.recorded is not None
    printed = dialog.pdf
    assert pdf_pages(out.read_bytes()) == pdf_pages(printed) == 1  # the printer got the letter's page
    served = TODAY - timedelta(days=10)
    text = pdf_text(printed)
    assert "Łukasz Żółkiewski\nBahnhofstraße 3\n32584 Löhne" in text  # the address field
    assert "Mietverhältnis Thị Minh Khai Nguyễn, Lübbecker Straße 12, 32584 Löhne" in text  # the subject
    flowing = " ".join(text.split())  # where the lines of a paragraph break depends on the dates' lengths
    assert f"Die Räumungsklage wurde am {long_date(served)} zugestellt." in flowing
    assert "Übernahme des Mietrückstands von 1.410,00 € beantragt" in flowing
    # The Schonfrist end computed from the day the suit was served (two months, moved off a weekend or holiday).
    assert f"bis zum {long_date(schonfrist(served).due)} zu, wird die fristlose Kündigung" in flowing
    cf = case_file.open_case(store, user, case_id)
    with store.read_session() as s:  # the copy in the case is the letter that was printed
        assert casework.document_bytes(s, cf.documents[0].id) == printed


def test_save_as_pdf_and_a_hand_typed_recipient(qtbot, tenancy_case, answers, tmp_path, monkeypatch) -> None:
    store, user, case_id = tenancy_case
    target = tmp_path / "brief.pdf"
    monkeypatch.setattr(files, "choose_save_path", lambda *a: target)
    dialog = LetterDialog(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("jc_kaution"))
    dialog.recipient.setCurrentIndex(dialog.recipient.findData("__other__"))
    assert not dialog.other.isHidden() and "Anschrift" in dialog.preview_state.text()
    dialog.other.setPlainText("Jobcenter Herford\nTeam Löhne\nMusterweg 1\n32584 Löhne")
    dialog.update_preview()
    assert dialog.draft is not None and dialog.draft.recipient.name == "Jobcenter Herford"
    for key, widget in dialog.inputs.items():
        if not widget.text():
            widget.setText("1.200,00 €" if "kaution" in key else "Teststraße 1, 32584 Löhne")
    dialog.update_preview()
    assert dialog.pdf is None  # no consent for the Jobcenter
    give_reason(answers, "Einwilligung liegt in Papierform vor")
    click_force(dialog)
    assert dialog.pdf is not None, dialog.preview_state.text()
    dialog.save_letter()
    assert target.read_bytes().startswith(b"%PDF") and dialog.recorded is not None


def test_case_file_opens_the_letter_dialog_and_shows_the_copy(qtbot, tenancy_case, answers) -> None:
    store, user, case_id = tenancy_case
    file_dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(file_dialog)
    file_dialog.show()  # a page re-reads while shown (or when shown next)

    def write(d: LetterDialog) -> None:
        choose(d, "vermieter_ruecknahme_kuendigung", "Żółkiewski")
        for key, widget in d.inputs.items():
            if not widget.text():
                widget.setText("1. Oktober 2026" if "datum" in key else "150,00 €")
        d.update_preview()
        give_reason(answers, "Einwilligung liegt in Papierform vor")
        click_force(d)
        answers.ok()
        d.file_letter()

    answers.on(LetterDialog, write)
    file_dialog.documents_panel.write_letter()
    documents = file_dialog.documents_panel.documents
    assert documents.rowCount() == 1 and documents.cell(0, 2) == "Brief"


def test_print_to_returns_the_pages_printed(qtbot, tmp_path) -> None:
    from whh_desktop.core.letters.data_report_pdf import render_data_report
    from whh_desktop.core.services.data_report import ReportSection
    from whh_desktop.core.services.site_settings import Letterhead

    pdf = render_data_report([ReportSection("Fall", [("Kontakt", f"Gespräch {i}") for i in range(90)])],
                             Letterhead("Beratungsstelle Löhne (Fiktiv)", "Musterstraße 1", "32584", "Löhne"))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "out.pdf"))
    assert printing.print_to(printer, pdf) >= 2


def test_dialog_lists_the_check_beside_the_preview(qtbot, counsellor, answers) -> None:
    from tests.core.letters_fixtures import make_case

    store, user = counsellor
    case_id = make_case(store, user)
    with store.session("test") as s:
        from whh_desktop.core.store.models import Case

        s.get(Case, case_id).cold_rent = 52000  # the current flat over the KdU limit
    dialog = LetterDialog(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("jc_mietschulden"))
    items = [dialog.check_list.item(i).text() for i in range(dialog.check_list.count())]
    assert any(t.startswith("Hinweis: Die Wohnung liegt nach der KdU-Prüfung") for t in items), items
    assert dialog.pdf is not None and dialog.print_button.isEnabled()  # a warning does not stop the letter
    dialog.free_text.setPlainText("Die Wohnung ist angemessen.")
    dialog.update_preview()
    items = [dialog.check_list.item(i).text() for i in range(dialog.check_list.count())]
    assert any(t.startswith("Widerspruch: ") and "nennt sie aber angemessen" in t for t in items), items
    assert dialog.pdf is None and not dialog.file_button.isEnabled() and dialog.force_button.isEnabled()
    answers.on(ForceDialog, lambda d: d.reject())  # cancelled: still blocked
    click_force(dialog)
    assert dialog.pdf is None and dialog.forced_reason is None
    dialog.free_text.setPlainText("")
    dialog.update_preview()
    assert dialog.pdf is not None


def test_the_preview_takes_at_least_half_the_width_and_the_form_cannot_collapse(qtbot, tenancy_case) -> None:
    """Issue 18, point 7: at 1366×768 the page is readable (»Seitenbreite«), the form pane stays usable."""
    store, user, case_id = tenancy_case
    dialog = LetterDialog(store, user, case_id)
    qtbot.addWidget(dialog)
    choose(dialog, "vermieter_aussetzung_raeumung", "Żółkiewski")
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.splitter.sizes()[1] > 0)
    assert dialog.width() <= 1366 and dialog.height() <= 768
    assert dialog.preview.width() >= dialog.width() / 2, (dialog.preview.width(), dialog.width())
    assert dialog.form_pane.width() >= letter_dialog.FORM_MIN_WIDTH
    assert dialog.preview.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert not dialog.splitter.childrenCollapsible()
    # the user drags the handle all the way: the form keeps its minimum, and their split stays on resizing
    dialog.splitter.moveSplitter(0, 1)
    assert dialog.form_pane.width() >= letter_dialog.FORM_MIN_WIDTH
    dialog.splitter.moveSplitter(dialog.splitter.width(), 1)
    assert dialog.form_pane.width() >= letter_dialog.FORM_MIN_WIDTH and dialog.preview.width() > 0
    dialog.resize(1200, 700)
    qtbot.waitUntil(lambda: dialog.width() == 1200)
    assert dialog.form_pane.width() >= letter_dialog.FORM_MIN_WIDTH
    # a smaller screen: still half for the page until the user moves the handle
    other = LetterDialog(store, user, case_id)
    qtbot.addWidget(other)
    other.resize(1024, 700)
    other.show()
    qtbot.waitUntil(lambda: other.splitter.sizes()[1] > 0)
    assert other.preview.width() >= other.width() / 2 and other.form_pane.width() >= letter_dialog.FORM_MIN_WIDTH
