"""Kölner Phonetik: published examples and the name variants a counsellor types."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.domain.phonetics import cologne, name_key
from whh_desktop.core.domain.text import fold


@pytest.mark.parametrize(("word", "code"), [
    ("Wikipedia", "3412"),
    ("Müller-Lüdenscheidt", "65752682"),  # the example of Postel's paper, as one word
    ("Breschnew", "17863"),
    ("Meier", "67"), ("Mayer", "67"), ("Maier", "67"), ("Meyer", "67"),
    ("Schmidt", "862"), ("Schmitt", "862"), ("Schmid", "862"),
    ("Christoph", "47823"), ("Xaver", "4837"), ("Pfeiffer", "1337"), ("Hoffmann", "0366"),
])
def test_published_codes(word: str, code: str) -> None:
    assert cologne(word) == code


def test_name_key_codes_each_part_of_a_double_name() -> None:
    assert name_key("Müller-Lüdenscheidt") == "657 52682"


def test_name_variants_meet() -> None:
    assert name_key("Müller") == name_key("Mueller") == name_key("Muller") == name_key("Möller")
    assert name_key("Łukasz") == name_key("Lukasz")
    assert name_key("Nguyễn") == name_key("Nguyen")
    assert name_key("") == ""


@given(st.text(max_size=40))
def test_any_text_gives_digits_only(text: str) -> None:
    key = name_key(text)
    assert all(part.isdigit() for part in key.split())
    assert name_key(fold(text)) == key
