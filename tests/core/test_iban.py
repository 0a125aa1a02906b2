"""IBAN/BIC of a landlord (ISO 13616 mod 97): normalised, grouped, a wrong checksum refused in German."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.domain import iban
from whh_desktop.core.errors import InvalidInput

VALID_DE = ["DE89370400440532013000", "DE02120300000000202051", "DE02100100100006820101",
            "DE12500105170648489890", "DE75512108001245126199"]


@pytest.mark.parametrize("text", [*VALID_DE, "GB82WEST12345698765432", "NL91ABNA0417164300"])
def test_published_example_ibans_pass(text: str) -> None:
    assert iban.parse(text) == text


@pytest.mark.parametrize(("typed", "stored"), [
    ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ("de89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ("  de02-1203-0000-0000-2020-51 ", "DE02120300000000202051"),
    ("IBAN DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
])
def test_spaces_dashes_and_lowercase_are_normalised(typed: str, stored: str) -> None:
    assert iban.parse(typed) == stored


def test_iban_is_shown_in_groups_of_four() -> None:
    assert iban.grouped("DE89370400440532013000") == "DE89 3704 0044 0532 0130 00"


@pytest.mark.parametrize(("typed", "words"), [
    ("DE89370400440532013001", "Prüfziffer"),         # last digit typed wrong
    ("DE89370400440532031000", "Prüfziffer"),         # two neighbours swapped
    ("DE8937040044053201300", "22 Zeichen"),          # one digit missing
    ("DE89 3704 0044 0532 0130 00X", "22 Zeichen"),
    ("3704 0044 0532 0130 00", "Länderkennung"),
    ("DE89 3704 0044 0532 0130 €0", "Zeichen"),
    ("", "bitte eine IBAN"),
])
def test_a_wrong_iban_is_refused_in_german_naming_the_field(typed: str, words: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        iban.parse(typed, "iban", "IBAN des Vermieters")
    assert exc.value.field == "iban"
    assert str(exc.value).startswith("IBAN des Vermieters:")
    assert words in str(exc.value)


def test_bic_is_optional_normalised_and_checked() -> None:
    assert iban.parse_bic("") == ""
    assert iban.parse_bic("cobadeffxxx") == "COBADEFFXXX"
    assert iban.parse_bic("WELA DE D1 HFD") == "WELADED1HFD"
    with pytest.raises(InvalidInput, match="kein BIC"):
        iban.parse_bic("COBA12")


@given(st.sampled_from(VALID_DE), st.lists(st.sampled_from([" ", "  ", "-", ""]), min_size=22, max_size=22),
       st.lists(st.booleans(), min_size=22, max_size=22))
def test_any_spacing_and_case_of_a_valid_iban_normalises_to_the_same(valid: str, gaps: list[str],
                                                                     lower: list[bool]) -> None:
    typed = "".join((ch.lower() if low else ch) + gap for ch, gap, low in zip(valid, gaps, lower, strict=True))
    assert iban.parse(typed) == valid
    assert iban.normalise(iban.grouped(typed)) == valid


@given(st.sampled_from(VALID_DE), st.integers(min_value=4, max_value=21), st.integers(min_value=1, max_value=9))
def test_any_single_digit_typo_breaks_the_checksum(valid: str, position: int, shift: int) -> None:
    digit = (int(valid[position]) + shift) % 10
    typo = valid[:position] + str(digit) + valid[position + 1:]
    with pytest.raises(InvalidInput, match="Prüfziffer"):
        iban.parse(typo)
