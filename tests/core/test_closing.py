"""Closing a case safely: the category rule (DOMAIN.md), the warning about what is still open, the choice to settle
it with the close, and reopening that restores the category from before the close."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from whh_desktop.core.domain.closing import category_on_closing
from whh_desktop.core.domain.enums import ApplicationKind, Category, Outcome, ReferralStatus, ReferralTarget
from whh_desktop.core.services import applications, cases, casework, fristen, intake
from whh_desktop.core.services.applications import ApplicationData
from whh_desktop.core.services.casework import EvictionData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import Case, CategoryEntry, DeadlineEntry, Referral

TODAY = date.today()
HOMELESS = [c for c in Category if c.group == "aktuell wohnungslos"]


@given(st.sampled_from(list(Category)), st.sampled_from(list(Outcome)))
def test_only_homeless_people_who_got_a_flat_become_ehemals(category: Category, outcome: Outcome) -> None:
    after = category_on_closing(category, outcome)
    got_a_flat = outcome in (Outcome.NEUE_WOHNUNG, Outcome.WOHNUNG_ERHALTEN)
    assert (after is Category.EHEMALS) == (category in HOMELESS and got_a_flat)
    assert after is None or after is Category.EHEMALS  # closing never writes any other category


@given(st.sampled_from(list(Outcome)))
def test_a_case_without_category_keeps_none(outcome: Outcome) -> None:
    assert category_on_closing(None, outcome) is None


def test_examples_from_the_issue() -> None:
    assert category_on_closing(Category.RAEUMUNGSKLAGE, Outcome.WOHNUNG_ERHALTEN) is None
    assert category_on_closing(Category.KUENDIGUNG, Outcome.NEUE_WOHNUNG) is None
    assert category_on_closing(Category.ORDNUNGSRECHTLICH, Outcome.NEUE_WOHNUNG) is Category.EHEMALS
    assert category_on_closing(Category.OHNE_UNTERKUNFT, Outcome.UNTERBRINGUNG) is None


def _case(store, user, category: str) -> object:
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Brinkmann", given_names="Greta", birth_date=date(1979, 3, 2), municipality="Bünde",
        category=category, category_since=TODAY - timedelta(days=30)), draft=False, today=TODAY - timedelta(days=30))
    return case_id


def _category(store, case_id) -> str | None:
    with store.read_session() as s:
        return s.get(Case, case_id).current_category


def _history(store, case_id) -> list[str]:
    with store.read_session() as s:
        return list(s.execute(select(CategoryEntry.category).where(CategoryEntry.case_id == case_id)
                              .order_by(CategoryEntry.since, CategoryEntry.created_at)).scalars())


def test_threatened_person_who_kept_the_flat_stays_threatened(counsellor) -> None:
    store, user = counsellor
    case_id = _case(store, user, "raeumungsklage")
    cases.close_case(store, user, case_id, Outcome.WOHNUNG_ERHALTEN, TODAY)
    assert _category(store, case_id) == "raeumungsklage"
    assert _history(store, case_id) == ["raeumungsklage"]
    cases.reopen_case(store, user, case_id)
    assert _category(store, case_id) == "raeumungsklage"
    assert _history(store, case_id) == ["raeumungsklage"]


def test_homeless_person_placed_becomes_ehemals_and_reopening_restores(counsellor) -> None:
    store, user = counsellor
    case_id = _case(store, user, "ordnungsrechtlich")
    cases.close_case(store, user, case_id, Outcome.NEUE_WOHNUNG, TODAY - timedelta(days=2))
    assert _category(store, case_id) == "ehemals"
    cases.reopen_case(store, user, case_id)
    assert _category(store, case_id) == "ordnungsrechtlich"
    # the history keeps the placement and the return, so a Stichtag in between still counts "ehemals"
    assert _history(store, case_id) == ["ordnungsrechtlich", "ehemals", "ordnungsrechtlich"]


def test_reopening_the_same_day_restores_too(counsellor) -> None:
    store, user = counsellor
    case_id = _case(store, user, "bei_bekannten")
    cases.close_case(store, user, case_id, Outcome.WOHNUNG_ERHALTEN, TODAY)
    cases.reopen_case(store, user, case_id)
    assert _category(store, case_id) == "bei_bekannten"
    cases.close_case(store, user, case_id, Outcome.KONTAKTABBRUCH, TODAY)
    assert _category(store, case_id) == "bei_bekannten"


def test_reopening_undoes_an_ehemals_that_an_older_version_wrote_for_a_threatened_person(counsellor) -> None:
    store, user = counsellor
    case_id = _case(store, user, "kuendigung")
    cases.close_case(store, user, case_id, Outcome.WOHNUNG_ERHALTEN, TODAY)
    with store.session(user.username) as s:  # what the old close did
        s.add(CategoryEntry(case_id=case_id, category="ehemals", since=TODAY))
        s.get(Case, case_id).current_category = "ehemals"
    cases.reopen_case(store, user, case_id)
    assert _category(store, case_id) == "kuendigung"


def test_a_move_in_the_same_day_stays_when_the_case_is_reopened(counsellor) -> None:
    store, user = counsellor
    case_id = _case(store, user, "einrichtung")
    with store.session(user.username) as s:  # what a proposal's move-in records (proposals._move_in)
        s.add(CategoryEntry(case_id=case_id, category="ehemals", since=TODAY))
        s.get(Case, case_id).current_category = "ehemals"
    cases.close_case(store, user, case_id, Outcome.NEUE_WOHNUNG, TODAY)
    cases.reopen_case(store, user, case_id)
    assert _category(store, case_id) == "ehemals"  # the close set nothing, so reopening restores nothing
    assert _history(store, case_id) == ["einrichtung", "ehemals"]


def test_closing_twice_after_a_reopen_restores_each_time(counsellor) -> None:
    store, user = counsellor
    case_id = _case(store, user, "ohne_unterkunft")
    for _ in range(2):
        cases.close_case(store, user, case_id, Outcome.NEUE_WOHNUNG, TODAY)
        assert _category(store, case_id) == "ehemals"
        cases.reopen_case(store, user, case_id)
        assert _category(store, case_id) == "ohne_unterkunft"


def _open_items(store, user, case_id):
    proc = casework.save_eviction(store, user, case_id, EvictionData(
        termination_kind="fristlos_verzug", suit_served_on=TODAY - timedelta(days=10)))
    fristen.add_follow_up(store, user, case_id, TODAY + timedelta(days=3), "Vermieter anrufen")
    running = casework.add_referral(store, user, case_id, ReferralTarget.SCHULDNERBERATUNG, TODAY,
                                    "Schuldnerberatung Herford")
    settled = casework.add_referral(store, user, case_id, ReferralTarget.JOBCENTER, TODAY)
    casework.update_referral(store, user, settled, ReferralStatus.ABGELEHNT)
    applications.add_application(store, user, case_id, ApplicationData(
        kind=ApplicationKind.DIREKTZAHLUNG.value, authority="Jobcenter Herford", submitted_on=TODAY))
    return proc, running, settled


def test_closing_check_lists_what_is_open(counsellor) -> None:
    store, user = counsellor
    case_id = _case(store, user, "raeumungsklage")
    assert not cases.closing_check(store, user, case_id).anything_open
    _, running, _ = _open_items(store, user, case_id)
    check = cases.closing_check(store, user, case_id)
    assert check.anything_open and check.settleable
    texts = [i.text for i in check.deadlines]
    assert len(texts) == 2 and any(t.startswith("Schonfrist (§ 569 Abs. 3 Nr. 2 BGB): fällig am ") for t in texts)
    assert any(t.startswith("Wiedervorlage: fällig am ") and t.endswith("– Vermieter anrufen") for t in texts)
    assert [i.id for i in check.referrals] == [running]
    assert check.referrals[0].text.startswith("Vermittlung an Schuldnerberatung Herford vom ")
    assert [i.text for i in check.applications] == [
        f"Direktzahlung an den Vermieter (§ 22 Abs. 7 SGB II), gestellt am {TODAY:%d.%m.%Y} (noch kein Bescheid)"]


@pytest.mark.parametrize("settle", [True, False])
def test_the_close_settles_open_items_only_when_chosen(counsellor, settle: bool) -> None:
    store, user = counsellor
    case_id = _case(store, user, "raeumungsklage")
    _, running, settled = _open_items(store, user, case_id)
    cases.close_case(store, user, case_id, Outcome.WOHNUNG_ERHALTEN, TODAY, settle_open=settle)
    with store.read_session() as s:
        done = [d.done_on for d in s.execute(select(DeadlineEntry).where(DeadlineEntry.case_id == case_id)).scalars()]
        statuses = {r.id: r.status for r in s.execute(select(Referral)).scalars()}
    assert done == ([TODAY, TODAY] if settle else [None, None])
    assert statuses == {running: "abgeschlossen" if settle else "angeregt", settled: "abgelehnt"}
    cases.reopen_case(store, user, case_id)
    check = cases.closing_check(store, user, case_id)
    assert len(check.applications) == 1  # an application waits for its Bescheid either way
    assert (len(check.deadlines), len(check.referrals)) == ((0, 0) if settle else (2, 1))
