"""Issue 08, »Done when«: a counsellor runs the whole story in the case file — a Hilfeplan with two services and a
conference, an application sent as a letter, a Sachstandsanfrage, a rejection with its Widerspruch deadline, a
Widerspruch letter — and the district, after the bundle, sees the processing-time figures in »Arbeitskreis«."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QMessageBox

from tests.core.pdf_reading import pdf_text
from tests.core.test_sync_import_fixtures import exchange_on_file, give_consent  # noqa: F401
from tests.ui.conftest import click, set_text
from whh_desktop.core.domain import deadlines as rules
from whh_desktop.core.services import applications as apps
from whh_desktop.core.services import consent, fristen, intake
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.dialogs.letter import LetterDialog
from whh_desktop.ui.widgets.applications import DecisionDialog
from whh_desktop.ui.widgets.help_plan import ConferenceDialog, GoalDialog, ServiceDialog

TODAY = date.today()
SUBMITTED = TODAY - timedelta(days=40)  # the letter's date is today; the counsellor corrects it to the posting day
DECIDED = TODAY - timedelta(days=5)


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")



def _jobcenter(dialog: LetterDialog) -> None:
    index = next(i for i in range(dialog.recipient.count()) if "Jobcenter" in dialog.recipient.itemText(i))
    dialog.recipient.setCurrentIndex(index)


def _fill_missing(dialog: LetterDialog, values: dict[str, str]) -> None:
    for key, text in values.items():
        if key in dialog.inputs and not dialog.inputs[key].text():
            dialog.inputs[key].setText(text)
            dialog.inputs[key].setModified(True)
    dialog.update_preview()


def test_full_story_from_the_plan_to_the_arbeitskreis_figures(qtbot, exchange_on_file, answers) -> None:  # noqa: F811
    ex = exchange_on_file
    store, user = ex.site, ex.site_user
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Öztürk", given_names="Şükrü", birth_date=date(1979, 4, 2), municipality="Löhne",
        category="kuendigung", category_since=TODAY - timedelta(days=60), street="Lübbecker Straße 12",
        plz="32584", city="Löhne", landlord_name="Wohnbau Löhne eG", landlord_address="Bahnhofstraße 3, 32584 Löhne",
        tenancy_street="Lübbecker Straße 12", tenancy_plz="32584", tenancy_city="Löhne", cold_rent=38000,
        utilities=9000, arrears=152000, arrears_since=TODAY - timedelta(days=90)),
        draft=False, today=TODAY - timedelta(days=60))
    signed = TODAY - timedelta(days=50)
    consent.record(store, user, case_id, ConsentData(["spdi", "suchthilfe", "jobcenter"], "Gesamtplanung",
                                                     ["stammdaten", "gesundheit"], True, signed, signed))
    give_consent(store, user, case_id)  # the Kreis sees the case by name
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)

    # ---- the Hilfeplan: a goal, two services (health data ticked in the consent), a conference ------------------
    dialog.show_part("Hilfeplan")
    plan = dialog.help_plan

    def goal(d: GoalDialog) -> None:
        d.what.setPlainText("Wohnung erhalten, Mietschulden klären")
        set_text(d.responsible, "Beratung Löhne")
        set_text(d.review_on, _d(TODAY + timedelta(days=14)))
        d.accept()

    def service(kind: str, name: str, person: str):
        def fill(d: ServiceDialog) -> None:
            d.kind.setCurrentIndex(d.kind.findData(kind))
            assert "fehlt" not in d.consent.text()  # the consent names it, health tick included
            set_text(d.name, name)
            set_text(d.person, person)
            d.accept()
        return fill

    def conference(d: ConferenceDialog) -> None:
        d.participants.setPlainText("Herr Öztürk\nSpDi, Frau Lange\nSuchtberatung, Herr Kaya")
        d.agreements.setPlainText("Antrag auf Übernahme der Mietschulden beim Jobcenter stellen.")
        set_text(d.next_review, _d(TODAY + timedelta(days=90)))
        d.accept()

    answers.on(GoalDialog, goal)
    plan.add_goal_button.click()
    answers.on(ServiceDialog, service("spdi", "SpDi Kreis Herford", "Frau Lange"))
    plan.add_service_button.click()
    answers.on(ServiceDialog, service("suchtberatung", "Suchtberatung Herford", "Herr Kaya"))
    plan.add_service_button.click()
    answers.on(ConferenceDialog, conference)
    plan.add_conference_button.click()
    assert plan.services.rowCount() == 2 and plan.conferences.rowCount() == 1

    # ---- the application goes out as a letter and lands in »Anträge« ----------------------------------------------
    dialog.show_part("Anträge")
    tab = dialog.applications_tab
    letters: list[bytes] = []

    def application_letter(d: LetterDialog) -> None:
        d.kind.setCurrentIndex(d.kind.findData("jc_mietschulden"))
        _jobcenter(d)
        _fill_missing(d, {"raeumung_datum": "15. Januar 2027", "antrag_datum": _d(TODAY)})
        assert d.pdf is not None, d.preview_state.text()
        letters.append(d.pdf)
        d.file_letter()

    answers.on(LetterDialog, application_letter).ok()
    tab.buttons["letter"].click()
    assert tab.table.rowCount() == 1 and tab.table.cell(0, 1).startswith("Mietschulden")
    with store.read_session() as s:
        [view] = apps.application_views(s, case_id)
    assert view.application.letter_id is not None and view.application.authority
    app_id = view.application.id
    apps.update_application(store, user, app_id, apps.ApplicationData(
        "sgb2_22_8", SUBMITTED, "post", authority=view.application.authority, letter_id=view.application.letter_id))
    tab.refresh()
    assert "Sachstandsanfrage fällig" in tab.table.cell(0, 6)

    # ---- a reminder: the Sachstandsanfrage opens pre-filled with the application --------------------------------
    tab.table.selectRow(0)

    def sachstand(d: LetterDialog) -> None:
        assert d.kind.currentData() == "jc_sachstand"
        assert d.inputs["antrag_datum"].text() == rules.fmt(SUBMITTED)
        _jobcenter(d)
        assert d.pdf is not None, d.preview_state.text()
        text = " ".join(pdf_text(d.pdf).split())
        assert "Mietschulden" in text and SUBMITTED.strftime("%Y") in text
        d.file_letter()

    answers.on(LetterDialog, sachstand).ok()
    tab.buttons["remind"].click()
    assert "Sachstandsanfrage fällig" not in tab.table.cell(0, 6)

    # ---- the rejection: its Widerspruch deadline appears in Fristen ------------------------------------------------
    tab.table.selectRow(0)

    def reject(d: DecisionDialog) -> None:
        d.decision.setCurrentIndex(d.decision.findData("abgelehnt"))
        set_text(d.decided_on, _d(DECIDED))
        d.accept()

    answers.on(DecisionDialog, reject)
    tab.buttons["decide"].click()
    with store.read_session() as s:
        due = fristen.due_list(s, case_id=case_id)
    widerspruch = [d for d in due if d.kind.value == "widerspruch"]
    assert len(widerspruch) == 1 and tab.table.cell(0, 5) == _d(widerspruch[0].due_on)

    # ---- the Widerspruch letter, pre-filled with the Bescheid date; filing it records the Widerspruch ----------
    tab.table.selectRow(0)

    def objection_letter(d: LetterDialog) -> None:
        assert d.kind.currentData() == "jc_widerspruch"
        assert d.inputs["bescheid_datum"].text()  # from the decision
        _jobcenter(d)
        _fill_missing(d, {"bescheid_az": "2026-0815"})
        assert d.pdf is not None, d.preview_state.text()
        text = " ".join(pdf_text(d.pdf).split())
        assert "Widerspruch" in text and "Öztürk" in text
        d.file_letter()

    answers.on(LetterDialog, objection_letter).ok()
    tab.buttons["object_letter"].click()
    assert tab.table.cell(0, 3) == "abgelehnt, Widerspruch offen" and tab.table.cell(0, 5) == "–"
    assert answers.pending == []
    assert letters and "Mietschulden" in " ".join(pdf_text(letters[0]).split())
    titles = [doc.title for doc in dialog.data.documents]
    assert len([t for t in titles if t]) >= 3  # application, Sachstandsanfrage, Widerspruch: all in the file

    # ---- the district reads the bundle and sees the processing time ------------------------------------------------
    [report] = ex.import_district(ex.export())
    assert report.applied, report.reason
    from whh_desktop.ui.views.reports import ReportsView

    view_d = ReportsView(ex.district, ex.district_user)
    qtbot.addWidget(view_d)
    labels = [view_d.tabs.tabText(i).replace("&", "") for i in range(view_d.tabs.count())]
    ak_tab = view_d.tabs.widget(labels.index("Arbeitskreis"))
    picker = ak_tab.period_picker
    picker.kind.setCurrentIndex(picker.kind.findData("free"))
    picker.von.setDate(SUBMITTED - timedelta(days=1))
    picker.bis.setDate(TODAY)
    ak_tab.refresh()
    kinds = {t.key: t for t in ak_tab.result}["ak_kinds"]
    assert kinds.value("sgb2_22_8", "median_days") == str((DECIDED - SUBMITTED).days)


def test_an_application_letter_from_the_documents_tab_is_offered_for_the_list(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Żółkiewski", given_names="Łukasz", birth_date=date(1990, 6, 1), municipality="Bünde",
        category="kuendigung", category_since=TODAY - timedelta(days=10), cold_rent=40000, utilities=9000),
        draft=False, today=TODAY - timedelta(days=10))
    consent.record(store, user, case_id, ConsentData(["jobcenter"], "Anträge beim Jobcenter", ["stammdaten"], False,
                                                     TODAY - timedelta(days=9), TODAY - timedelta(days=9)))
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)

    def kaution(d: LetterDialog) -> None:
        d.kind.setCurrentIndex(d.kind.findData("jc_kaution"))
        _jobcenter(d)
        _fill_missing(d, {"wohnung_kaution": "1.200,00 €", "wohnung_anschrift": "Eschstraße 5, 32257 Bünde",
                          "wohnung_vermieter": "Wohnbau Bünde GmbH"})
        assert d.pdf is not None, d.preview_state.text()
        d.file_letter()

    answers.on(LetterDialog, kaution)  # one question says it was filed and asks about »Anträge«
    answers.on(QMessageBox, lambda box: click(box, "In die Anträge übernehmen"))
    dialog.documents_panel.letter_button.click()
    assert answers.pending == [] and "Mietkaution" in answers.texts[-1]
    assert len(answers.texts) == 1 and "liegt jetzt in der Akte" in answers.texts[-1]
    assert dialog.applications_tab.table.rowCount() == 1
    assert dialog.applications_tab.table.cell(0, 0) == _d(TODAY)

    def other_letter_no_question(d: LetterDialog) -> None:
        d.kind.setCurrentIndex(d.kind.findData("klient_einwilligung"))
        assert d.pdf is not None, d.preview_state.text()
        d.file_letter()

    answers.on(LetterDialog, other_letter_no_question).ok()
    dialog.documents_panel.letter_button.click()  # not an application: no question (an unexpected box would fail here)
    assert dialog.applications_tab.table.rowCount() == 1
