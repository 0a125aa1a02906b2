"""Deadline rules: table tests of the edge cases in issue 02 and hypothesis properties."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.domain.deadlines import (
    RentDue,
    add_months,
    is_working_day,
    klagefrist,
    next_working_day,
    notification_day,
    schonfrist,
    termination_risk,
    widerspruchsfrist,
)

D = date


@pytest.mark.parametrize(("served", "target", "due", "why"), [
    (D(2026, 1, 31), D(2026, 3, 31), D(2026, 3, 31), "31.01. → 31.03., a Tuesday"),
    (D(2026, 12, 30), D(2027, 2, 28), D(2027, 3, 1), "30.12.2026 → 28.02.2027 (no 30.02.), a Sunday"),
    (D(2025, 12, 29), D(2026, 2, 28), D(2026, 3, 2), "end on a Saturday"),
    (D(2026, 2, 6), D(2026, 4, 6), D(2026, 4, 7), "Easter Monday"),
    (D(2026, 1, 3), D(2026, 3, 3), D(2026, 3, 3), "plain working day"),
    (D(2026, 4, 4), D(2026, 6, 4), D(2026, 6, 5), "Fronleichnam (NRW holiday)"),
    (D(2027, 9, 1), D(2027, 11, 1), D(2027, 11, 2), "Allerheiligen (NRW holiday)"),
    (D(2026, 10, 25), D(2026, 12, 25), D(2026, 12, 28), "Christmas into the weekend, across the year end"),
    (D(2027, 12, 29), D(2028, 2, 29), D(2028, 2, 29), "leap year: 29.02. exists"),
    (D(2027, 12, 31), D(2028, 2, 29), D(2028, 2, 29), "leap year: 31.12. → 29.02."),
    (D(2026, 12, 31), D(2027, 2, 28), D(2027, 3, 1), "non-leap year: 31.12. → 28.02. (Sunday)"),
])
def test_schonfrist_edge_cases(served: date, target: date, due: date, why: str) -> None:
    result = schonfrist(served)
    assert (result.target, result.due) == (target, due), why
    assert "§ 569 Abs. 3 Nr. 2 BGB" in result.rule
    if target != due:
        assert "verschiebt sich" in result.rule


def test_schonfrist_two_year_bar() -> None:
    barred = schonfrist(D(2026, 5, 4), termination_on=D(2026, 3, 2), previous_cure_on=D(2024, 6, 1))
    assert any("bereits" in w for w in barred.warnings)
    free = schonfrist(D(2026, 5, 4), termination_on=D(2026, 3, 2), previous_cure_on=D(2024, 3, 1))
    assert not any("bereits" in w for w in free.warnings)
    assert any("ordentliche Kündigung" in w for w in free.warnings)


@pytest.mark.parametrize(("posted", "notified"), [
    (D(2026, 3, 2), D(2026, 3, 6)),      # fourth day since 2025
    (D(2024, 12, 30), D(2025, 1, 2)),    # third day before 2025
    (D(2026, 3, 6), D(2026, 3, 10)),     # a Friday: the notification day is not moved off the weekend
    (D(2026, 3, 5), D(2026, 3, 9)),
])
def test_notification_day(posted: date, notified: date) -> None:
    assert notification_day(posted) == notified


def test_notification_on_a_sunday_is_not_moved() -> None:
    assert notification_day(D(2026, 3, 4)) == D(2026, 3, 8)  # Sunday, stays (BSG B 14 AS 12/09 R)
    assert widerspruchsfrist(D(2026, 3, 4)).target == D(2026, 4, 8)


def test_widerspruch_example_from_the_domain_reference() -> None:
    result = widerspruchsfrist(D(2026, 3, 2))  # posted the same day by default
    assert result.target == D(2026, 4, 6)  # Easter Monday
    assert result.due == D(2026, 4, 7)
    assert result.inputs["zur Post gegeben"] == "02.03.2026"


def test_without_rechtsbehelfsbelehrung_one_year() -> None:
    result = widerspruchsfrist(D(2026, 3, 2), with_instructions=False)
    assert result.target == D(2027, 3, 6) and result.due == D(2027, 3, 8)
    assert "§ 66 SGG" in result.rule


def test_klagefrist_uses_the_same_rules() -> None:
    result = klagefrist(D(2026, 11, 20), posted_on=D(2026, 11, 23))
    assert result.target == D(2026, 12, 27) and result.due == D(2026, 12, 28)
    assert "§ 87 SGG" in result.rule


RENT = 50_000  # 500,00 €


def ledger(*unpaid: int) -> list[RentDue]:
    return [RentDue(D(2026, m, 3), RENT, RENT - u) for m, u in enumerate(unpaid, start=1)]


@pytest.mark.parametrize(("unpaid", "branch"), [
    ((0, 0, 0), None),
    ((RENT, 0, 0), None),                        # one month only
    ((RENT // 2, RENT // 2), None),              # two dates, exactly one month: does not *exceed*
    ((RENT // 2, RENT // 2 + 1), "a"),           # exceeds one month by 1 cent
    ((RENT, RENT), "a"),
    ((RENT // 2, 0, RENT // 2, 0, RENT // 2, 0, RENT // 2), "b"),  # spread out, reaches two months
    ((RENT // 2, 0, RENT // 2, 0, RENT // 2, 0, RENT // 2 - 1), None),
])
def test_termination_risk_branches(unpaid: tuple[int, ...], branch: str | None) -> None:
    result = termination_risk(ledger(*unpaid), RENT)
    assert result.branch == branch
    assert result.at_risk is (branch is not None)


# ---- properties --------------------------------------------------------------------------------------------------
dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))


@given(dates, st.integers(min_value=-36, max_value=36))
def test_add_months_keeps_the_day_or_takes_the_month_end(day: date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == day.day or (result.day == last and day.day > last)


@given(dates)
def test_next_working_day_is_the_first_working_day_from_there(day: date) -> None:
    result = next_working_day(day)
    assert result >= day and is_working_day(result)
    assert all(not is_working_day(day + timedelta(days=i)) for i in range((result - day).days))
    assert (result - day).days <= 4  # at most Good Friday → Easter Tuesday


@given(dates)
def test_schonfrist_is_never_earlier_than_two_months(served: date) -> None:
    result = schonfrist(served)
    assert result.target == add_months(served, 2)
    assert result.due == next_working_day(result.target)


@given(dates, st.booleans())
def test_widerspruch_due_is_after_notification(posted: date, instructions: bool) -> None:
    result = widerspruchsfrist(posted, with_instructions=instructions)
    assert result.due > notification_day(posted) > posted
    assert is_working_day(result.due)


@given(st.lists(st.integers(min_value=0, max_value=RENT), min_size=1, max_size=12), st.integers(0, 11))
def test_more_arrears_never_remove_the_risk(unpaid: list[int], extra_at: int) -> None:
    before = termination_risk(ledger(*unpaid), RENT)
    worse = list(unpaid)
    worse[extra_at % len(worse)] = RENT
    after = termination_risk(ledger(*worse), RENT)
    assert not before.at_risk or after.at_risk
    assert termination_risk(ledger(*[0] * len(unpaid)), RENT).at_risk is False
