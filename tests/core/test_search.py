"""Search as you type over cases: folding, phonetic matches, dates, phone, case number, filters."""

from __future__ import annotations

from datetime import date

import pytest

from whh_desktop.core.domain.enums import Category, Outcome
from whh_desktop.core.services import cases, intake
from whh_desktop.core.services.cases import CaseFilter
from whh_desktop.core.services.intake import IntakeData

PEOPLE = [
    ("Müller", "Anna", date(1970, 3, 12), "05221 990001", "Löhne", Category.KUENDIGUNG),
    ("Mueller", "Bernd", date(1982, 7, 1), None, "Vlotho", Category.OHNE_UNTERKUNFT),
    ("Maier", "Claudia", date(1990, 1, 5), "0151 000111", "Löhne", Category.KUENDIGUNG),
    ("Kowalczyk", "Łukasz", date(1988, 9, 9), None, "Bünde", Category.BEI_BEKANNTEN),
    ("Nguyễn", "Thị Minh Khai", date(1979, 12, 24), None, "Löhne", Category.UNZUMUTBAR),
    ("Straßburger", "Jörg", date(1965, 2, 28), None, "Herford", Category.RAEUMUNGSKLAGE),
]


@pytest.fixture
def filled(counsellor):
    store, user = counsellor
    ids = {}
    for family, given, born, phone, muni, category in PEOPLE:
        ids[family], _ = intake.save_intake(store, user, IntakeData(
            family_name=family, given_names=given, birth_date=born, phone=phone or "", municipality=muni,
            category=category.value, category_since=date(2026, 1, 1)), draft=False, today=date(2026, 11, 25))
    return store, user, ids


def names(store, query: str, flt: CaseFilter | None = None) -> tuple[list[str], list[str]]:
    with store.read_session() as s:
        result = cases.search(s, query, flt or CaseFilter())
        exact = [r.family_name for r in cases.rows(s, result.exact)]
        phonetic = [r.family_name for r in cases.rows(s, result.phonetic)]
    return exact, phonetic


@pytest.mark.parametrize(("query", "expected"), [
    ("Müller", ["Müller", "Mueller"]), ("mueller", ["Müller", "Mueller"]), ("Muller", ["Müller", "Mueller"]),
    ("Lukasz", ["Kowalczyk"]), ("łuk", ["Kowalczyk"]), ("Nguyen", ["Nguyễn"]), ("strass", ["Straßburger"]),
    ("12.3.1970", ["Müller"]), ("1970", ["Müller"]), ("05221 99", ["Müller"]), ("0151 00", ["Maier"]),
    ("LOE-2026", ["Müller", "Mueller", "Maier", "Kowalczyk", "Nguyễn", "Straßburger"]),
    ("LOE-2026-0003", ["Maier"]), ("anna mül", ["Müller"]),
])
def test_exact_and_folded_hits(filled, query: str, expected: list[str]) -> None:
    store, _, _ = filled
    assert sorted(names(store, query)[0]) == sorted(expected)


def test_short_numbers_match_whole_tokens_not_every_phone_prefix(filled) -> None:
    store, _, _ = filled
    assert names(store, "0151")[0] == []  # a mobile prefix alone would match thousands
    assert names(store, "1970")[0] == ["Müller"]  # a birth year


def test_phonetic_matches_come_below_the_exact_hits(filled) -> None:
    store, _, _ = filled
    exact, phonetic = names(store, "Meier")
    assert exact == [] and phonetic == ["Maier"]
    exact, phonetic = names(store, "Maier")
    assert exact == ["Maier"] and "Maier" not in phonetic


def test_filters(filled) -> None:
    store, user, ids = filled
    assert sorted(names(store, "", CaseFilter(municipality="Löhne"))[0]) == ["Maier", "Müller", "Nguyễn"]
    assert names(store, "", CaseFilter(category="ohne_unterkunft"))[0] == ["Mueller"]
    cases.close_case(store, user, ids["Mueller"], Outcome.UNTERBRINGUNG, date.today())
    assert "Mueller" not in names(store, "mu")[0]
    assert names(store, "mu", CaseFilter(status="closed"))[0] == ["Mueller"]
    assert names(store, "", CaseFilter(counsellor="niemand"))[0] == []


def test_single_letter_uses_the_sort_key_and_german_order(filled) -> None:
    store, _, _ = filled
    assert names(store, "m")[0] == ["Maier", "Mueller", "Müller"]  # ü sorts as u (DIN 5007-1)


def test_reopen_after_close(filled) -> None:
    store, user, ids = filled
    cases.close_case(store, user, ids["Maier"], Outcome.NEUE_WOHNUNG, date.today())
    cases.reopen_case(store, user, ids["Maier"])
    assert names(store, "Maier")[0] == ["Maier"]
