"""The case file read model: frozen parts without ORM rows, and the rules the tabs used to compute themselves
(what may be done, which deadlines are urgent, whether a referral may share data)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from whh_desktop.core.domain.enums import Outcome
from whh_desktop.core.services import case_file, cases, consent, fristen, intake, rights
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.base import Base

TODAY = date.today()


@pytest.fixture
def case(counsellor):
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Nowak", given_names="Zofia", birth_date=date(1981, 2, 3), municipality="Bünde",
        category="kuendigung", category_since=TODAY - timedelta(days=30)), draft=False,
        today=TODAY - timedelta(days=30))
    return store, user, case_id


def _orm_rows(value, seen=None) -> list[str]:
    """Every ORM object reachable from a read model (there must be none)."""
    seen = seen if seen is not None else set()
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, Base):
        return [type(value).__name__]
    if dataclasses.is_dataclass(value):
        return [n for f in dataclasses.fields(value) for n in _orm_rows(getattr(value, f.name), seen)]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _orm_rows(v, seen)]
    if isinstance(value, list | tuple | set | frozenset):
        return [n for v in value for n in _orm_rows(v, seen)]
    return []


def test_the_read_model_holds_no_orm_row_and_is_frozen(case) -> None:
    store, user, case_id = case
    consent.record(store, user, case_id, ConsentData(["jobcenter"], "Mietschulden", ["stammdaten"], False,
                                                     TODAY, TODAY))
    cf = case_file.open_case(store, user, case_id)
    assert _orm_rows(cf) == []
    assert cf.case.case_number and cf.person.family_name == "Nowak" and cf.help_plan is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        cf.case.status = "closed"  # type: ignore[misc]
    assert cf.consents[0].valid_today


def test_editable_and_active_follow_status_and_restriction(case) -> None:
    store, user, case_id = case
    cf = case_file.open_case(store, user, case_id)
    assert (cf.editable, cf.active, cf.reopenable, cf.read_only) == (True, True, False, False)
    cases.close_case(store, user, case_id, Outcome.WOHNUNG_ERHALTEN, TODAY, "")
    cf = case_file.open_case(store, user, case_id)
    assert (cf.editable, cf.active, cf.reopenable) == (True, False, True)
    cases.reopen_case(store, user, case_id)
    rights.set_restricted(store, user, case_id, True)
    cf = case_file.open_case(store, user, case_id)
    assert (cf.editable, cf.active, cf.reopenable) == (False, False, False)


def test_urgent_deadlines_are_those_due_within_a_week_or_overdue(case) -> None:
    store, user, case_id = case
    for days in (7, 8):
        fristen.add_follow_up(store, user, case_id, TODAY + timedelta(days=days), f"in {days} Tagen")
    cf = case_file.open_case(store, user, case_id)
    assert [d.note for d in cf.urgent] == ["in 7 Tagen"]
    assert len(cf.deadlines) == 2
    later = case_file.open_case(store, user, case_id, today=TODAY + timedelta(days=30))
    assert len(later.urgent) == 2  # both overdue by then


def test_referral_consent_checks_the_recipient_of_the_target(case) -> None:
    store, user, case_id = case
    cf = case_file.open_case(store, user, case_id)
    assert cf.referral_consent("schuldnerberatung") == (
        True, "Für diese Stelle wird keine Einwilligung geprüft; Daten nur mit Einverständnis weitergeben.")
    allowed, text = cf.referral_consent("jobcenter")
    assert not allowed and "keine gültige Einwilligung für Jobcenter" in text
    consent.record(store, user, case_id, ConsentData(["jobcenter", "spdi"], "Hilfeplanung", ["stammdaten"], False,
                                                     TODAY, TODAY))
    cf = case_file.open_case(store, user, case_id)
    assert cf.referral_consent("jobcenter")[0]
    allowed, text = cf.referral_consent("spdi")  # SpDi gets health data: the consent lacks the health tick
    assert not allowed and "Gesundheitsdaten" in text
