"""Hilfeplan: the consent gate before a service joins, review dates in the Fristen view, the conference PDF."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.core.pdf_reading import pdf_text
from whh_desktop.core.domain.deadlines import DeadlineKind
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import consent, fristen, help_plans, intake
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.help_plan_print import help_plan_pdf
from whh_desktop.core.services.help_plans import ConferenceData, GoalData, ServiceData, ServiceKind
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import AuditEntry
from whh_desktop.core.store.models.help_plans import HelpPlanService

TODAY = date.today()


@pytest.fixture
def case(counsellor):
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Yılmaz", given_names="Ayşe", birth_date=date(1979, 3, 2), municipality="Löhne",
        category="raeumungsklage", category_since=TODAY - timedelta(days=60), cold_rent=45000, utilities=9000),
        draft=False, today=TODAY - timedelta(days=60))
    return store, user, case_id


def _consent(store, user, case_id, recipients, health=False) -> None:
    consent.record(store, user, case_id, ConsentData(
        recipients, "Hilfeplanung", ["stammdaten", "wohnsituation"] + (["gesundheit"] if health else []), health,
        TODAY - timedelta(days=3), TODAY - timedelta(days=3)))


def test_service_needs_a_consent_naming_it(case) -> None:
    store, user, case_id = case
    with pytest.raises(InvalidInput, match="keine gültige Einwilligung für Jobcenter") as err:
        help_plans.add_service(store, user, case_id, ServiceData("jobcenter", "Jobcenter Kreis Herford"))
    assert err.value.field == "consent"
    _consent(store, user, case_id, ["jobcenter"])
    service_id = help_plans.add_service(store, user, case_id, ServiceData(
        "jobcenter", "Jobcenter Kreis Herford", contact_person="Herr Meier", phone="05221 0000"))
    with store.read_session() as s:
        row = s.get(HelpPlanService, service_id)
        assert row.consent_id is not None and row.consent_note is None
        assert [x.name for x in help_plans.services(s, user, case_id)] == ["Jobcenter Kreis Herford"]


def test_spdi_needs_the_health_tick(case) -> None:
    store, user, case_id = case
    _consent(store, user, case_id, ["spdi"], health=False)
    with store.read_session() as s:
        gate = help_plans.check_service_consent(s, case_id, ServiceKind.SPDI)
    assert not gate.allowed and not gate.needs_confirmation
    assert "Gesundheitsdaten" in gate.message and "SpDi" in gate.message
    with pytest.raises(InvalidInput, match="Häkchen »Gesundheitsdaten«"):
        help_plans.add_service(store, user, case_id, ServiceData("spdi", "SpDi Kreis Herford"))
    _consent(store, user, case_id, ["spdi"], health=True)
    help_plans.add_service(store, user, case_id, ServiceData("spdi", "SpDi Kreis Herford", "Frau Neumann"))


def test_revoked_consent_is_named(case) -> None:
    store, user, case_id = case
    _consent(store, user, case_id, ["vermieter"])
    with store.read_session() as s:
        consent_id = consent.list_for_case(s, case_id)[0].id
    consent.revoke(store, user, consent_id, TODAY)
    with pytest.raises(InvalidInput, match="widerrufen"):
        help_plans.add_service(store, user, case_id, ServiceData("vermieter", "Wohnbau Löhne"))


def test_service_without_recipient_kind_needs_explicit_confirmation(case) -> None:
    store, user, case_id = case
    with pytest.raises(InvalidInput, match=r"keine eigene empfangende Stelle.*bestätigen") as err:
        help_plans.add_service(store, user, case_id, ServiceData("betreuung", "Betreuungsverein Herford"))
    assert err.value.field == "consent"
    service_id = help_plans.add_service(store, user, case_id, ServiceData(
        "betreuung", "Betreuungsverein Herford", "Herr Vogt", confirmed=True))
    with store.read_session() as s:
        note = s.get(HelpPlanService, service_id).consent_note
    assert note.startswith("Schriftliche Einwilligung bestätigt von b.schulz")


def test_review_dates_flow_into_the_fristen_view(case) -> None:
    store, user, case_id = case
    review = TODAY + timedelta(days=20)
    goal_id = help_plans.save_goal(store, user, case_id, GoalData(
        "Mietrückstand ausgleichen", "Antrag § 22 Abs. 8 stellen", "Frau Yılmaz, Beratung",
        due_on=TODAY + timedelta(days=40), review_on=review))
    help_plans.save_goal(store, user, case_id, GoalData("Schuldnerberatung anbinden",
                                                        due_on=TODAY + timedelta(days=60)))
    first = help_plans.add_conference(store, user, case_id, ConferenceData(
        TODAY - timedelta(days=1), participants=["Frau Yılmaz", "SpDi, Frau Neumann", "b.schulz"],
        agreements="SpDi übernimmt Begleitung zum Jobcenter.", next_review_on=TODAY + timedelta(days=90)))
    with store.read_session() as s:
        due = fristen.due_list(s, counsellor=user.username, case_id=case_id)
        assert help_plans.next_review(s, case_id) == TODAY + timedelta(days=90)
    assert [(d.kind, d.due_on) for d in due] == [
        (DeadlineKind.HILFEPLAN, review), (DeadlineKind.HILFEPLAN, TODAY + timedelta(days=60)),
        (DeadlineKind.HILFEPLAN, TODAY + timedelta(days=90))]
    assert due[0].kind.label == "Überprüfung Hilfeplan" and "Mietrückstand" in (due[0].note or "")

    # a reached goal leaves the list; a later conference replaces the earlier review
    help_plans.save_goal(store, user, case_id, GoalData("Mietrückstand ausgleichen", status="erreicht",
                                                        result="Jobcenter hat übernommen"), goal_id)
    help_plans.add_conference(store, user, case_id, ConferenceData(
        TODAY, kind="hilfeplangespraech", participants=["Frau Yılmaz"], agreements="Weiter wie vereinbart.",
        next_review_on=TODAY + timedelta(days=120)))
    with store.read_session() as s:
        due = fristen.due_list(s, case_id=case_id)
    assert [d.due_on for d in due] == [TODAY + timedelta(days=60), TODAY + timedelta(days=120)]
    assert first not in {d.id for d in due}


def test_goal_and_conference_validation(case) -> None:
    store, user, case_id = case
    with pytest.raises(InvalidInput, match="Ziel"):
        help_plans.save_goal(store, user, case_id, GoalData("  "))
    with pytest.raises(InvalidInput, match="Ergebnis"):
        help_plans.save_goal(store, user, case_id, GoalData("Wohnung sichern", status="erreicht"))
    with pytest.raises(InvalidInput, match="Teilnehmenden"):
        help_plans.add_conference(store, user, case_id, ConferenceData(TODAY, participants=[], agreements="x"))
    with pytest.raises(InvalidInput, match="nach der Konferenz"):
        help_plans.add_conference(store, user, case_id, ConferenceData(
            TODAY, participants=["A"], agreements="x", next_review_on=TODAY))


def test_the_plan_prints_for_the_conference(case) -> None:
    store, user, case_id = case
    _consent(store, user, case_id, ["spdi", "jobcenter"], health=True)
    help_plans.save_goal(store, user, case_id, GoalData("Mietrückstand ausgleichen", "Antrag stellen", "Beratung",
                                                        due_on=date(2027, 3, 31)))
    help_plans.add_service(store, user, case_id, ServiceData("spdi", "SpDi Kreis Herford", "Frau Neumann",
                                                             task="Begleitung"))
    help_plans.add_service(store, user, case_id, ServiceData("jobcenter", "Jobcenter Kreis Herford", "Herr Meier"))
    help_plans.add_conference(store, user, case_id, ConferenceData(
        TODAY, participants=["Frau Yılmaz", "SpDi, Frau Neumann"], agreements="SpDi begleitet zum Jobcenter.",
        next_review_on=date(2027, 6, 30)))
    pdf = help_plan_pdf(store, user, case_id)
    text = " ".join(pdf_text(pdf).split())
    for expected in ("Hilfeplan", "Ayşe Yılmaz", "Beratungsstelle Löhne (Fiktiv)", "Mietrückstand ausgleichen",
                     "31.03.2027", "SpDi Kreis Herford", "Frau Neumann", "Gesamtplankonferenz",
                     "SpDi begleitet zum Jobcenter.", "30.06.2027", "Nächste Überprüfung"):
        assert expected in text, expected
    with store.read_session() as s:
        assert "help_plan_printed" in set(s.execute(select(AuditEntry.action)).scalars())
