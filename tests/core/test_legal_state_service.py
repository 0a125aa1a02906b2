"""The legal state gathered from a real SQLCipher store: one computation for overview, Fristen and CLI."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.cli_runner import run_cli
from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD
from whh_desktop.core.domain.deadlines import DeadlineKind
from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.errors import InvalidInput, NotFound
from whh_desktop.core.services import applications, casework, consent, fristen, intake, legal_state
from whh_desktop.core.services.applications import ApplicationData, DecisionData
from whh_desktop.core.services.casework import EvictionData
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import Case, DeadlineEntry

TODAY = date.today()
SERVED = TODAY - timedelta(days=10)


def _intake(family_name: str = "Nowak") -> IntakeData:
    return IntakeData(family_name=family_name, given_names="Ewa", birth_date=date(1979, 2, 3), municipality="Löhne",
                      category="raeumungsklage", category_since=TODAY - timedelta(days=400),
                      tenancy_street="Teststraße 912", tenancy_plz="32584", tenancy_city="Löhne",
                      cold_rent=38_000, utilities=9_000, heating=5_000)


@pytest.fixture
def case(counsellor):
    store, user = counsellor
    case_id, number = intake.save_intake(store, user, _intake(), draft=False, today=TODAY - timedelta(days=400))
    return store, user, case_id, number


def _eviction(kind: str = "fristlos_verzug", **kw) -> EvictionData:
    return EvictionData(**({"termination_on": TODAY - timedelta(days=60), "termination_kind": kind,
                            "suit_filed_on": TODAY - timedelta(days=20), "suit_served_on": SERVED} | kw))


def _schonfrist_entries(store, case_id) -> list[DeadlineEntry]:
    with store.read_session() as s:
        return list(s.execute(select(DeadlineEntry).where(
            DeadlineEntry.case_id == case_id, DeadlineEntry.kind == DeadlineKind.SCHONFRIST.value,
            DeadlineEntry.deleted_at.is_(None))).scalars())


def test_a_termination_without_a_kind_is_refused_and_nothing_is_saved(case) -> None:
    store, user, case_id, _ = case
    with pytest.raises(InvalidInput, match="Art der Kündigung") as err:
        casework.save_eviction(store, user, case_id, _eviction(kind=""))
    assert err.value.field == "termination_kind"
    with store.read_session() as s:
        assert casework.proceedings(s, case_id) == []


@pytest.mark.parametrize(("data", "field"), [
    (_eviction(cure_used_on=TODAY - timedelta(days=2)), "cure_method"),
    (_eviction(cure_method="gezahlt"), "cure_used_on"),
    (_eviction(cure_used_on=TODAY + timedelta(days=2), cure_method="gezahlt"), "cure_used_on"),
])
def test_incomplete_schonfrist_genutzt_is_refused(case, data: EvictionData, field: str) -> None:
    store, user, case_id, _ = case
    with pytest.raises(InvalidInput) as err:
        casework.save_eviction(store, user, case_id, data)
    assert err.value.field == field


def test_ordinary_termination_has_no_schonfrist_anywhere(case) -> None:
    store, user, case_id, number = case
    casework.save_eviction(store, user, case_id, _eviction(kind="ordentlich"))
    state = legal_state.case_state(store, user, case_id)
    assert not state.schonfrist.applies and state.schonfrist.computed is None
    assert _schonfrist_entries(store, case_id) == []  # the Fristen list has none either
    assert state.case_number == number


def test_schonfrist_state_and_fristen_entry_agree_and_the_override_wins(case) -> None:
    store, user, case_id, _ = case
    casework.save_eviction(store, user, case_id, _eviction(kind="fristlos_ordentlich"))
    state = legal_state.case_state(store, user, case_id)
    (entry,) = _schonfrist_entries(store, case_id)
    assert state.schonfrist.applies and entry.due_on == state.schonfrist.computed_on
    assert any("ordentliche bleibt bestehen" in w for w in entry.warnings)
    with pytest.raises(InvalidInput, match="vor der Zustellung"):
        fristen.override(store, user, entry.id, SERVED - timedelta(days=1), "Datum laut Akte")
    assert _schonfrist_entries(store, case_id)[0].override_on is None  # nothing changed
    fristen.override(store, user, entry.id, SERVED + timedelta(days=40), "Zustellung an Mitmieterin später")
    state = legal_state.case_state(store, user, case_id)
    assert state.schonfrist.effective_on == SERVED + timedelta(days=40) and state.schonfrist.overridden
    with store.read_session() as s:
        (item,) = [i for i in fristen.due_list(s, case_id=case_id) if i.kind is DeadlineKind.SCHONFRIST]
    assert item.due_on == state.schonfrist.effective_on


def test_a_cure_recorded_in_an_earlier_proceeding_of_the_tenancy_bars_the_new_one(case) -> None:
    store, user, case_id, number = case
    earlier = TODAY - timedelta(days=300)
    casework.save_eviction(store, user, case_id, EvictionData(
        termination_on=earlier - timedelta(days=90), termination_kind="fristlos_verzug",
        suit_served_on=earlier - timedelta(days=40), cure_used_on=earlier, cure_method="verpflichtung"))
    casework.save_eviction(store, user, case_id, _eviction())
    state = legal_state.case_state(store, user, case_id)
    assert state.schonfrist.barred and not state.schonfrist.applies
    assert state.schonfrist.barred_by_cure_on == earlier and state.schonfrist.barred_by_case == number
    assert "(Fall" not in state.schonfrist.not_applicable_reason  # the same case: no case number to point at
    entries = {e.due_on: e for e in _schonfrist_entries(store, case_id)}
    assert any("bereits am" in w for w in entries[state.schonfrist.computed_on].warnings)
    # the used Schonfrist of the earlier proceeding is done; the Fristen list keeps only the new one
    assert [e.done_on for e in entries.values() if e.due_on != state.schonfrist.computed_on] == [earlier]
    with store.read_session() as s:
        due = [i.due_on for i in fristen.due_list(s, case_id=case_id) if i.kind is DeadlineKind.SCHONFRIST]
    assert due == [state.schonfrist.computed_on]


def test_a_cure_in_another_case_of_the_same_tenancy_bars_too(case) -> None:
    store, user, case_id, _ = case
    other_id, other_number = intake.save_intake(store, user, _intake("Nowakowa"), draft=False,
                                                today=TODAY - timedelta(days=400))
    with store.session(user.username) as s:  # the same person came back with the same flat
        s.get(Case, other_id).person_id = s.get(Case, case_id).person_id
    casework.save_eviction(store, user, case_id, _eviction())
    assert legal_state.case_state(store, user, case_id).schonfrist.applies
    casework.save_eviction(store, user, other_id, EvictionData(
        termination_on=TODAY - timedelta(days=500), termination_kind="fristlos_verzug",
        suit_served_on=TODAY - timedelta(days=450), cure_used_on=TODAY - timedelta(days=420),
        cure_method="gezahlt"))
    state = legal_state.case_state(store, user, case_id)
    assert state.schonfrist.barred and state.schonfrist.barred_by_case == other_number
    # saving the other case refreshed this case's stored Schonfrist warnings too
    assert any("bereits am" in w for w in _schonfrist_entries(store, case_id)[0].warnings)


def test_section_543_from_the_ledger_issue_example(case) -> None:
    store, user, case_id, _ = case
    rent = 52_000  # 380 + 90 + 50 €
    for month, paid in ((1, 0), (2, rent), (3, 0)):
        casework.add_rent_entry(store, user, case_id, date(2026, month, 3), rent, paid)
    risk = legal_state.case_state(store, user, case_id).termination_risk
    assert risk is not None and risk.at_risk and risk.branch == "b"


def test_consents_are_per_recipient_kind(case) -> None:
    store, user, case_id, _ = case
    consent.record(store, user, case_id, ConsentData(["jobcenter"], "Mietschulden", ["stammdaten"], False,
                                                     TODAY, TODAY, TODAY + timedelta(days=365)))
    state = legal_state.case_state(store, user, case_id)
    assert state.consent_for(ConsentRecipient.JOBCENTER).valid
    assert state.consent_for(ConsentRecipient.JOBCENTER).categories == ("stammdaten",)
    assert not state.consent_for(ConsentRecipient.SOZIALAMT).valid
    consent.record(store, user, case_id, ConsentData(["sozialamt"], "Mietschulden", ["stammdaten"], False,
                                                     TODAY, TODAY))
    assert legal_state.case_state(store, user, case_id).consent_for(ConsentRecipient.SOZIALAMT).valid


def test_decision_served_formally_opens_the_widerspruch_period_from_the_day_of_service(case) -> None:
    store, user, case_id, _ = case
    app_id = applications.add_application(store, user, case_id, ApplicationData(
        kind="sgb2_22_8", submitted_on=TODAY - timedelta(days=30), authority="Jobcenter Herford"))
    decided = TODAY - timedelta(days=8)
    with pytest.raises(InvalidInput, match="zur Post"):
        applications.record_decision(store, user, app_id, DecisionData(
            "abgelehnt", decided, posted_on=decided - timedelta(days=1)))
    with pytest.raises(InvalidInput, match="Tag der Zustellung"):
        applications.record_decision(store, user, app_id, DecisionData("abgelehnt", decided, notification="eb"))
    deadline_id = applications.record_decision(store, user, app_id, DecisionData(
        "abgelehnt", decided, notification="eb", served_on=decided + timedelta(days=1)))
    (open_deadline,) = legal_state.case_state(store, user, case_id).open_sgg_deadlines
    assert open_deadline.notified_on == decided + timedelta(days=1)
    with store.read_session() as s:
        entry = s.get(DeadlineEntry, deadline_id)
    assert entry.due_on == open_deadline.deadline.due  # Fristen and the state agree
    applications.add_objection(store, user, app_id, TODAY)
    assert legal_state.case_state(store, user, case_id).open_sgg_deadlines == ()


def test_kdu_of_the_current_flat_is_in_the_state(case) -> None:
    store, user, case_id, _ = case
    state = legal_state.case_state(store, user, case_id)
    assert state.kdu_current.known and state.kdu_current.appropriate is False   # 470,00 € > 367,00 € for 1 P
    assert state.kdu_current.over_by == 47_000 - 36_700
    assert not state.kdu_proposed.known and state.kdu_proposed.missing == "Keine Wohnung vorgeschlagen."


def test_admins_see_no_legal_state(unlocked, counsellor) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, _intake(), draft=False, today=TODAY - timedelta(days=400))
    admin_store, admin = unlocked
    from whh_desktop.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        legal_state.case_state(admin_store, admin, case_id)


def test_unknown_case_number_is_a_german_error(case) -> None:
    store, user, _, _ = case
    with pytest.raises(NotFound, match="Aktenzeichen"):
        legal_state.case_state_by_number(store, user, "LOE-1999-9999")


def test_as_dict_is_json_ready(case) -> None:
    store, user, case_id, _ = case
    casework.save_eviction(store, user, case_id, _eviction())
    data = json.loads(json.dumps(legal_state.case_state(store, user, case_id).as_dict()))
    assert data["schonfrist"]["gilt"] is True and data["kdu_aktuell"]["angemessen"] is False


# ---- the CLI reads the same state ---------------------------------------------------------------------------
def _whh(data_dir, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WHH_PASSWORD", "WHH_USER")}
    env |= {"WHH_PASSWORD": COUNSELLOR_PASSWORD, "WHH_USER": COUNSELLOR}
    return run_cli(["--data-dir", str(data_dir), *args], env)


def test_fall_status_shows_the_same_state(site_paths, counsellor) -> None:
    store, user = counsellor
    case_id, number = intake.save_intake(store, user, _intake(), draft=False, today=TODAY - timedelta(days=400))
    casework.save_eviction(store, user, case_id, _eviction(kind="fristlos_ordentlich"))
    expected = legal_state.case_state(store, user, case_id).as_dict()
    store.close()
    r = _whh(site_paths.root, "fall", "status", number, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["schonfrist"] == expected["schonfrist"]
    r = _whh(site_paths.root, "fall", "status", number)
    assert "Die hilfsweise ordentliche Kündigung bleibt bestehen." in r.stdout and "Einwilligung Sozialamt" in r.stdout
    r = _whh(site_paths.root, "fall", "status", "LOE-1999-0001")
    assert r.returncode == 1 and "Aktenzeichen" in r.stderr


def test_frist_widerspruch_refuses_posting_before_the_decision(tmp_path) -> None:
    r = _whh(tmp_path, "frist", "widerspruch", "--bescheid-vom", "02.03.2026", "--zur-post", "01.03.2026")
    assert r.returncode == 1 and "zur Post" in r.stderr
    r = _whh(tmp_path, "frist", "widerspruch", "--bescheid-vom", "20.11.2026", "--bekanntgabe", "pzu",
             "--zugestellt-am", "21.11.2026", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["fristende"] == "21.12.2026"
    r = _whh(tmp_path, "frist", "schonfrist", "--zugestellt", "30.12.2026", "--kuendigungsart", "ordentlich",
             "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["gilt"] is False
