"""The case file's tabs »Hilfeplan« and »Suchthilfe«: consent gate in the service form, conference into the Fristen
tab, the PDF, and the pathway hidden from a counsellor who may not see health data."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QMessageBox

from tests.core.pdf_reading import pdf_text
from tests.ui.conftest import set_text
from whh_desktop.core.services import consent, intake
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.models import Role
from whh_desktop.ui import printing
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.widgets.help_plan import ConferenceDialog, GoalDialog, ServiceDialog, StageDialog

TODAY = date.today()


def _d(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _case(store, user):
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Demir", given_names="Elif", birth_date=date(1988, 1, 4), municipality="Löhne",
        category="kuendigung", category_since=TODAY - timedelta(days=30), cold_rent=35000, utilities=8000),
        draft=False, today=TODAY - timedelta(days=30))
    return case_id



def test_help_plan_tab(qtbot, counsellor, answers, monkeypatch) -> None:
    store, user = counsellor
    case_id = _case(store, user)
    consent.record(store, user, case_id, ConsentData(["spdi"], "Hilfeplanung", ["stammdaten"], False,
                                                     TODAY - timedelta(days=2), TODAY - timedelta(days=2)))
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    dialog.show_part("Hilfeplan")
    panel = dialog.help_plan

    def goal(d: GoalDialog) -> None:
        d.what.setPlainText("Wohnung erhalten")
        set_text(d.responsible, "Beratung")
        set_text(d.review_on, _d(TODAY + timedelta(days=14)))
        d.accept()

    answers.on(GoalDialog, goal)
    panel.add_goal_button.click()
    assert panel.goals.rowCount() == 1

    def spdi_without_health_tick(d: ServiceDialog) -> None:
        d.kind.setCurrentIndex(d.kind.findData("spdi"))
        assert "Gesundheitsdaten" in d.consent.text() and not d.confirmed.isVisible()
        set_text(d.name, "SpDi Kreis Herford")
        d.accept()
        assert d.isVisible() and "Häkchen »Gesundheitsdaten«" in d.message.text()
        d.kind.setCurrentIndex(d.kind.findData("betreuung"))  # no recipient kind: explicit confirmation
        assert d.confirmed.isVisible()
        set_text(d.name, "Betreuungsverein Herford")
        set_text(d.person, "Herr Vogt")
        d.accept()
        assert d.isVisible() and "bestätigen" in d.message.text()
        d.confirmed.setChecked(True)
        d.accept()

    answers.on(ServiceDialog, spdi_without_health_tick)
    panel.add_service_button.click()
    assert panel.services.rowCount() == 1
    assert panel.services.item(0, 0).text() == "Betreuungsverein Herford"

    def conference(d: ConferenceDialog) -> None:
        d.participants.setPlainText("Frau Demir\nBetreuungsverein, Herr Vogt")
        d.agreements.setPlainText("Betreuer stellt Antrag beim Jobcenter.")
        set_text(d.next_review, _d(TODAY + timedelta(days=60)))
        d.accept()

    answers.on(ConferenceDialog, conference)
    panel.add_conference_button.click()
    assert panel.conferences.rowCount() == 1
    assert _d(TODAY + timedelta(days=60)) in panel.review.text()
    deadlines = dialog.deadlines_panel.deadlines
    kinds = [deadlines.item(r, 1).text() for r in range(deadlines.rowCount())]
    assert kinds == ["Überprüfung Hilfeplan", "Überprüfung Hilfeplan"]  # the goal's review and the plan's

    printed = []
    monkeypatch.setattr(printing, "print_pdf", lambda parent, data, title: printed.append(data) or True)
    panel.print_button.click()
    assert "Betreuer stellt Antrag beim Jobcenter." in " ".join(pdf_text(printed[0]).split())


def test_suchthilfe_tab_for_the_counsellor_and_hidden_for_another(qtbot, counsellor, answers) -> None:
    store, user = counsellor
    case_id = _case(store, user)
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    dialog.show_part("Suchthilfe")
    panel = dialog.suchthilfe_panel
    assert panel.allowed

    def therapy(d: StageDialog) -> None:
        d.stage.setCurrentIndex(d.stage.findData("entwoehnung"))
        set_text(d.planned_on, _d(TODAY + timedelta(days=21)))
        d.accept()
        assert d.isVisible() and "Wohnen" in d.message.text()
        d.flat_kept.setChecked(True)
        d.housing.setPlainText("Miete läuft über das Jobcenter weiter.")
        d.accept()

    answers.on(StageDialog, therapy)
    panel.add_button.click()
    assert panel.stages.rowCount() == 1
    assert "Wohnung bleibt erhalten" in panel.stages.item(0, 6).text()

    other = CurrentUser("d.wagner", "Dirk Wagner", Role.BERATUNG)
    foreign = CaseWorkspace(store, other, case_id)
    qtbot.addWidget(foreign)
    foreign.show()  # a page re-reads while shown (or when shown next)
    hidden = foreign.suchthilfe_panel
    assert not hidden.allowed and hidden.stages.rowCount() == 0
    assert "vertraulich" in hidden.hidden.text()


def test_remove_a_service_and_a_stage_after_asking(qtbot, counsellor, answers) -> None:
    from tests.ui.conftest import click
    from whh_desktop.core.services import help_plans, suchthilfe
    from whh_desktop.core.services.help_plans import ServiceData
    from whh_desktop.core.services.suchthilfe import StageData

    store, user = counsellor
    case_id = _case(store, user)
    help_plans.add_service(store, user, case_id, ServiceData("betreuung", "Betreuungsverein Herford",
                                                             confirmed=True))
    suchthilfe.save_stage(store, user, case_id, StageData("kontakt", "laufend", started_on=TODAY))
    dialog = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    plan, path = dialog.help_plan, dialog.suchthilfe_panel
    assert not plan.remove_service_button.isEnabled()
    plan.services.selectRow(0)
    answers.on(QMessageBox, lambda box: click(box, "Abbrechen"))
    plan.remove_service_button.click()
    assert plan.services.rowCount() == 1 and "Betreuungsverein" in answers.texts[-1]
    plan.services.selectRow(0)
    answers.on(QMessageBox, lambda box: click(box, "Entfernen"))
    plan.remove_service_button.click()
    assert plan.services.rowCount() == 0
    path.stages.selectRow(0)
    answers.on(QMessageBox, lambda box: click(box, "Entfernen"))
    path.remove_button.click()
    assert path.stages.rowCount() == 0
    with store.read_session() as s:
        assert help_plans.services(s, user, case_id) == [] and suchthilfe.pathway(s, user, case_id) == []
