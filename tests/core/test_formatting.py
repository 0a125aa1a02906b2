"""The one German formatting module: what each variant shows, and that what is shown reads back the same."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.domain.formatting import (
    fmt_count,
    fmt_date,
    fmt_datetime,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_size,
    long_date,
)
from whh_desktop.core.domain.validation import parse_date, parse_money

CENTS = st.integers(min_value=-10**12, max_value=10**12)


@given(CENTS)
def test_money_shown_reads_back_as_the_same_cents(cents: int) -> None:
    assert parse_money(fmt_money(cents), allow_negative=True) == cents
    assert parse_money(fmt_money(cents, unit=False, thousands=False), allow_negative=True) == cents


@given(CENTS)
def test_money_for_csv_is_the_display_text_without_points_and_unit(cents: int) -> None:
    shown, plain = fmt_money(cents), fmt_money(cents, unit=False, thousands=False)
    assert shown.endswith(" €") and " €" not in plain and "." not in plain
    assert shown.removesuffix(" €").replace(".", "") == plain


def test_money_examples() -> None:
    assert fmt_money(123456) == "1.234,56 €"
    assert fmt_money(-5) == "-0,05 €"
    assert fmt_money(100000000) == "1.000.000,00 €"
    assert fmt_money(123456, unit=False) == "1.234,56"
    assert fmt_money(None) == "" and fmt_money(None, empty="–") == "–"


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_a_date_shown_reads_back(day: date) -> None:
    assert parse_date(fmt_date(day)) == day
    assert fmt_date(day, empty="") == fmt_date(day)
    assert fmt_date(None, empty="") == ""


def test_dates_and_moments() -> None:
    assert fmt_date(date(2026, 1, 31)) == "31.01.2026"
    assert fmt_date(None) == "–" and fmt_date(None, empty="") == ""
    assert long_date(date(2026, 11, 24)) == "24. November 2026" and long_date(None) == ""
    moment = datetime(2026, 3, 1, 23, 30, 5, tzinfo=UTC)
    local = moment.astimezone()
    assert fmt_datetime(moment) == local.strftime("%d.%m.%Y %H:%M")
    assert fmt_datetime(moment, seconds=True) == local.strftime("%d.%m.%Y %H:%M:%S")
    assert fmt_datetime(moment.replace(tzinfo=None)) == fmt_datetime(moment)  # naive from the store is UTC
    assert fmt_date(moment) == local.strftime("%d.%m.%Y")  # a moment on its local calendar day
    plus_two = datetime(2026, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=2)))
    assert fmt_datetime(plus_two) == plus_two.astimezone().strftime("%d.%m.%Y %H:%M")
    assert fmt_datetime(None) == "–"


def test_counts_percent_decimals() -> None:
    assert fmt_count(0) == "0" and fmt_count(1234567) == "1.234.567"
    assert fmt_percent(1234) == "12,34 %" and fmt_percent(-5, unit=False) == "-0,05"
    assert fmt_number(2.5) == "2,5" and fmt_number(3.0) == "3"
    assert fmt_number(54.5, 2) == "54,5" and fmt_number(60.0, 2) == "60"
    assert fmt_number(2.25, 1) == "2,2"  # 2.25 is exact in binary: rounded half to even
    assert fmt_number(2.96, 1, trim=False) == "3,0" and fmt_number(7.0, 0, trim=False) == "7"


def test_sizes() -> None:
    assert fmt_size(10) == "1 KB" and fmt_size(500 * 1024) == "500 KB"
    assert fmt_size(3 * 1_048_576 + 104_858) == "3,1 MB"
    assert fmt_size(10, smallest="MB") == "0,0 MB"
    assert fmt_size(20 * 1_073_741_824, smallest="MB") == "20480,0 MB"
    assert fmt_size(20 * 1_073_741_824, smallest="MB", largest="GB") == "20,0 GB"

