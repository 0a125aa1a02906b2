"""get_live: the one rule for "the row the user acts on must still be there", and the German text when it is not."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from whh_desktop.core.errors import InvalidInput, NotFound, WhhError
from whh_desktop.core.services import address_book, help_plans, intake
from whh_desktop.core.services.address_book import EntryData
from whh_desktop.core.services.help_plans import GoalData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.changes import tombstone
from whh_desktop.core.store.models import Case
from whh_desktop.core.store.rows import get_live

TODAY = date.today()


def _new_case(store, user, family_name: str) -> uuid.UUID:
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name=family_name, given_names="Jana", birth_date=date(1984, 5, 17), municipality="Löhne",
        category="raeumungsklage", category_since=TODAY - timedelta(days=10)), draft=False, today=TODAY)
    return case_id


@pytest.fixture
def case(counsellor):
    store, user = counsellor
    return store, user, _new_case(store, user, "Beispiel")


def test_a_live_row_is_returned(case) -> None:
    store, _, case_id = case
    with store.read_session() as s:
        row = get_live(s, Case, case_id, "Diesen Fall")
        assert row.id == case_id and row.deleted_at is None


def test_an_unknown_id_is_not_found_with_the_german_text(case) -> None:
    store, _, _ = case
    with store.read_session() as s, pytest.raises(NotFound) as err:
        get_live(s, Case, uuid.uuid4(), "Diesen Fall")
    assert str(err.value) == "Diesen Fall gibt es nicht (mehr)."
    assert err.value.field is None
    assert isinstance(err.value, WhhError) and not isinstance(err.value, InvalidInput)


def test_a_deleted_row_is_not_found(case) -> None:
    store, user, case_id = case
    with store.session(user.username) as s:
        tombstone(s.get(Case, case_id))
    with store.read_session() as s, pytest.raises(NotFound, match=r"^Diesen Fall gibt es nicht \(mehr\)\.$"):
        get_live(s, Case, case_id, "Diesen Fall")


def test_a_row_failing_the_condition_is_not_found_and_names_the_field(case) -> None:
    store, _, case_id = case
    with store.read_session() as s, pytest.raises(NotFound) as err:
        get_live(s, Case, case_id, "Diesen Fall", where=lambda c: c.status == "closed", field="case")
    assert (str(err.value), err.value.field) == ("Diesen Fall gibt es nicht (mehr).", "case")


def test_the_rest_of_the_sentence_can_say_more(case) -> None:
    store, _, _ = case
    with store.read_session() as s, pytest.raises(NotFound) as err:
        get_live(s, Case, uuid.uuid4(), "Der Fall", gone="existiert nicht mehr")
    assert str(err.value) == "Der Fall existiert nicht mehr."


def test_a_goal_of_another_case_is_not_found_through_the_service(case) -> None:
    store, user, case_id = case
    goal_id = help_plans.save_goal(store, user, case_id, GoalData(what="Wohnung finden"))
    other = _new_case(store, user, "Muster")
    with pytest.raises(NotFound, match=r"^Dieses Ziel gibt es nicht \(mehr\)\.$"):
        help_plans.save_goal(store, user, other, GoalData(what="Wohnung finden"), goal_id)
    # the goal of its own case can still be changed
    assert help_plans.save_goal(store, user, case_id, GoalData(what="Wohnung halten"), goal_id) == goal_id


def test_an_address_entry_deleted_meanwhile_keeps_its_message(unlocked) -> None:
    store, user = unlocked
    entry_id = address_book.save_entry(store, user, EntryData(
        kind="jobcenter", name="Jobcenter Beispielstadt", street="Musterweg 1", plz="32584", city="Löhne"))
    address_book.delete_entry(store, user, entry_id)
    with pytest.raises(NotFound, match=r"^Diesen Adressbuch-Eintrag gibt es nicht \(mehr\)\.$"):
        address_book.delete_entry(store, user, entry_id)
