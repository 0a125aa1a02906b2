"""Parsing what counsellors type: dates, money, birth dates, PLZ."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.domain.formatting import fmt_date, fmt_money
from whh_desktop.core.domain.validation import (
    check_birth_date,
    check_plz,
    parse_date,
    parse_money,
)
from whh_desktop.core.errors import InvalidInput


@pytest.mark.parametrize(("text", "expected"), [
    ("31.01.2026", date(2026, 1, 31)), ("1.3.2026", date(2026, 3, 1)), (" 12.3.1970 ", date(1970, 3, 12)),
    ("2026-02-28", date(2026, 2, 28)), ("1.3.26", date(2026, 3, 1)), ("1.3.70", date(1970, 3, 1)),
])
def test_parse_date(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("30.02.2026", "gibt es nicht"), ("31.13.2026", "gibt es nicht"), ("morgen", "TT.MM.JJJJ"), ("", "TT.MM.JJJJ"),
])
def test_parse_date_errors_are_german(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_date(text, "served_on", "Zustellung")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_format_and_parse_date_roundtrip(day: date) -> None:
    assert parse_date(fmt_date(day)) == day


@pytest.mark.parametrize(("text", "cents"), [
    ("430,00", 43000), ("430", 43000), ("1.234,56", 123456), ("1234,56", 123456), ("12,5", 1250),
    ("0,01", 1), ("424,45 €", 42445), ("1.000", 100000), ("5.55", 555), ("1.001,00", 100100),
])
def test_parse_money(text: str, cents: int) -> None:
    assert parse_money(text) == cents


@pytest.mark.parametrize(("text", "message"), [
    ("-5,00", "Kaltmiete: der Betrag darf nicht negativ sein."),
    ("abc", "Kaltmiete: »abc« ist kein Betrag (Beispiel: 1.234,56)."),
    ("1,234", "Kaltmiete: »1,234« ist kein Betrag (Beispiel: 1.234,56)."),
    ("12,345", "Kaltmiete: »12,345« ist kein Betrag (Beispiel: 1.234,56)."),
    ("1.23.4", "Kaltmiete: »1.23.4« ist kein Betrag (Beispiel: 1.234,56)."),
    ("", "Kaltmiete: bitte einen Betrag eingeben."),
])
def test_parse_money_rejects_with_german_message(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=f"^{re.escape(message)}$") as err:
        parse_money(text, "rent", "Kaltmiete")
    assert err.value.field == "rent"


@given(st.integers(min_value=0, max_value=10**11))
def test_format_and_parse_money_roundtrip(cents: int) -> None:
    assert parse_money(fmt_money(cents)) == cents


def test_format_money_german() -> None:
    assert fmt_money(123456) == "1.234,56 €"
    assert fmt_money(5) == "0,05 €"
    assert fmt_money(-100100) == "-1.001,00 €"


def test_birth_date_rules() -> None:
    today = date(2026, 11, 25)
    with pytest.raises(InvalidInput, match="Zukunft"):
        check_birth_date(date(2026, 11, 26), today)
    with pytest.raises(InvalidInput, match="vor 1900"):
        check_birth_date(date(1899, 12, 31), today)
    assert check_birth_date(date(2008, 11, 26), today).warnings  # 17
    assert not check_birth_date(date(2008, 11, 25), today).warnings  # 18 today


def test_plz_rules() -> None:
    assert check_plz("32584").warnings == ()
    with pytest.raises(InvalidInput, match="nicht im Kreis Herford"):
        check_plz("33602")
    assert "außerhalb" in check_plz("33602", moved_in=True).warnings[0]
    with pytest.raises(InvalidInput, match="fünf Ziffern"):
        check_plz("3258")
