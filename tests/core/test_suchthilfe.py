"""The Suchthilfe pathway: stages with housing arranged around them, visible only with the right to see health data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.services import intake, suchthilfe
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.suchthilfe import StageData
from whh_desktop.core.store.models import Case, Role
from whh_desktop.core.sync import payload

TODAY = date.today()
OTHER = CurrentUser("d.wagner", "Dirk Wagner", Role.BERATUNG)


@pytest.fixture
def case(counsellor):
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Nowak", given_names="Piotr", birth_date=date(1970, 8, 9), municipality="Löhne",
        category="raeumungsklage", category_since=TODAY - timedelta(days=30), cold_rent=38000, utilities=8000),
        draft=False, today=TODAY - timedelta(days=30))
    return store, user, case_id


def _story(store, user, case_id) -> None:
    suchthilfe.save_stage(store, user, case_id, StageData("kontakt", "abgeschlossen", started_on=TODAY - timedelta(
        days=20), ended_on=TODAY - timedelta(days=20), facility="Suchtberatung Herford"))
    suchthilfe.save_stage(store, user, case_id, StageData(
        "entwoehnung", "geplant", planned_on=TODAY + timedelta(days=30), facility="Fachklinik",
        housing="Wohnung bleibt erhalten; Jobcenter zahlt die Miete während der Therapie weiter (§ 22 SGB II).",
        flat_kept=True))
    suchthilfe.save_stage(store, user, case_id, StageData(
        "entgiftung", "laufend", started_on=TODAY - timedelta(days=2), facility="Klinikum Herford",
        housing="Wohnung bleibt erhalten, Nachbarin leert den Briefkasten.", flat_kept=True))


def test_pathway_in_order_for_the_counsellor(case) -> None:
    store, user, case_id = case
    _story(store, user, case_id)
    with store.read_session() as s:
        stages = suchthilfe.pathway(s, user, case_id)
    assert [x.stage for x in stages] == ["kontakt", "entgiftung", "entwoehnung"]
    assert stages[2].flat_kept and "Therapie" in stages[2].housing


def test_another_counsellor_does_not_see_the_pathway(case) -> None:
    store, user, case_id = case
    _story(store, user, case_id)
    with store.read_session() as s:
        assert not suchthilfe.may_see(OTHER, s.get(Case, case_id))
        with pytest.raises(PermissionDenied, match="Gesundheitsdaten"):
            suchthilfe.pathway(s, OTHER, case_id)
    with pytest.raises(PermissionDenied):
        suchthilfe.save_stage(store, OTHER, case_id, StageData("nachsorge", planned_on=TODAY))


def test_a_named_substitute_sees_it(case) -> None:
    store, user, case_id = case
    _story(store, user, case_id)
    with store.session(user.username) as s:
        s.get(Case, case_id).substitutes = [OTHER.username]
    with store.read_session() as s:
        assert len(suchthilfe.pathway(s, OTHER, case_id)) == 3


def test_housing_must_be_arranged_for_detox_and_therapy(case) -> None:
    store, user, case_id = case
    with pytest.raises(InvalidInput, match="Wohnen") as err:
        suchthilfe.save_stage(store, user, case_id, StageData("entwoehnung", planned_on=TODAY + timedelta(days=9)))
    assert err.value.field == "housing"
    with pytest.raises(InvalidInput, match="Ende liegt vor dem Beginn"):
        suchthilfe.save_stage(store, user, case_id, StageData(
            "selbsthilfe", "abgeschlossen", started_on=TODAY, ended_on=TODAY - timedelta(days=1)))


def test_pathway_stays_at_the_site_and_the_plan_travels() -> None:
    assert "suchthilfe_stages" not in payload.ALL_MODELS
    assert {"help_plan_goals", "help_plan_services", "help_plan_conferences"} <= payload.CHILD_TABLES
