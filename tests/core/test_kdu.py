"""KdU check against the 2019 Kreis Herford table (DOMAIN.md): integer cents, versioned tables, German messages."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.domain import kdu
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.errors import InvalidInput
from whh_desktop.resources import resource


@pytest.fixture(scope="module")
def table() -> kdu.KduTable:
    return kdu.table_from_dict(json.loads(resource("data", "kdu-herford-2019.json").read_text(encoding="utf-8")))


def test_the_seed_table_is_valid_and_covers_all_nine_municipalities(table) -> None:
    kdu.validate_table(table)
    assert table.valid_from == date(2019, 11, 1)
    assert {m for a in table.areas for m in a.municipalities} == {m.name for m in MUNICIPALITIES}


def test_two_persons_in_loehne_at_430_are_5_55_over_the_limit(table) -> None:
    result = kdu.check(table, "Löhne", 2, cold_rent=35000, utilities=8000)
    assert result.gross_rent == 43000
    assert result.limit == 42445
    assert not result.appropriate
    assert result.verdict == "nicht angemessen"
    assert result.difference == 555
    assert "5,55 €" in result.summary() and "424,45 €" in result.summary()
    assert result.area == "Löhne, Vlotho"
    assert "01.11.2019" in result.table_version


def test_four_persons_in_buende_exactly_on_the_limit_are_appropriate(table) -> None:
    result = kdu.check(table, "Bünde", 4, gross_rent=58900)
    assert result.appropriate and result.difference == 0
    assert result.verdict == "angemessen"
    assert "genau auf der Grenze" in result.summary()


def test_seven_persons_in_herford_add_two_further_persons(table) -> None:
    assert table.limit("Herford", 7) == 78650 + 2 * 10725 == 100100
    result = kdu.check(table, "herford", 7, gross_rent=100100)
    assert result.appropriate and result.municipality == "Herford"


def test_floor_space_and_heating_are_shown_but_do_not_decide(table) -> None:
    result = kdu.check(table, "Vlotho", 1, cold_rent=30000, utilities=5000, heating=7000, floor_space_m2=70.5)
    assert result.reasonable_floor_space_m2 == 50
    assert result.floor_space_within is False
    assert result.appropriate  # 350,00 € ≤ 367,00 € although the flat is larger than 50 m²
    text = "\n".join(result.lines())
    assert "Heizkosten: 70,00 €" in text and "70,5 m²" in text and "angemessen bis 50 m²" in text
    assert table.reasonable_floor_space(4) == 95


def test_household_size_zero_is_refused_in_german(table) -> None:
    with pytest.raises(InvalidInput, match="mindestens 1 Person") as err:
        kdu.check(table, "Löhne", 0, gross_rent=1000)
    assert err.value.field == "persons"


def test_a_municipality_outside_the_district_is_refused(table) -> None:
    with pytest.raises(InvalidInput, match="keine Gemeinde im Kreis Herford"):
        kdu.check(table, "Bielefeld", 2, gross_rent=40000)


def test_a_table_with_a_missing_household_size_is_a_gap(table) -> None:
    areas = list(table.areas)
    areas[0] = dataclasses.replace(areas[0], limits=areas[0].limits[:4])
    with pytest.raises(InvalidInput, match="fehlt ein Wert"):
        kdu.validate_table(dataclasses.replace(table, areas=tuple(areas)))


def test_a_table_without_a_municipality_is_a_gap(table) -> None:
    areas = list(table.areas)
    areas[1] = dataclasses.replace(areas[1], municipalities=("Löhne",))
    with pytest.raises(InvalidInput, match="Lücke in der Tabelle: Vlotho"):
        kdu.validate_table(dataclasses.replace(table, areas=tuple(areas)))


def test_a_municipality_in_two_areas_is_refused(table) -> None:
    areas = list(table.areas)
    areas[1] = dataclasses.replace(areas[1], municipalities=("Löhne", "Vlotho", "Herford"))
    with pytest.raises(InvalidInput, match="zwei Vergleichsräumen"):
        kdu.validate_table(dataclasses.replace(table, areas=tuple(areas)))


def test_a_missing_limit_value_is_refused(table) -> None:
    areas = list(table.areas)
    areas[2] = dataclasses.replace(areas[2], per_further_person=0)
    with pytest.raises(InvalidInput, match="jede weitere Person"):
        kdu.validate_table(dataclasses.replace(table, areas=tuple(areas)))


def test_versions_with_the_same_valid_from_overlap(table) -> None:
    again = dataclasses.replace(table, label="Doppelt")
    with pytest.raises(InvalidInput, match="nicht am selben Tag beginnen"):
        kdu.validate_versions([table, again])


def test_versions_with_overlapping_validity_are_refused(table) -> None:
    old = dataclasses.replace(table, valid_until=date(2024, 3, 1))
    new = dataclasses.replace(table, label="2024", valid_from=date(2024, 1, 1))
    with pytest.raises(InvalidInput, match="überschneidet sich"):
        kdu.validate_versions([old, new])


def test_versions_with_a_gap_between_them_are_refused(table) -> None:
    old = dataclasses.replace(table, valid_until=date(2023, 11, 30))
    new = dataclasses.replace(table, label="2024", valid_from=date(2024, 1, 1))
    with pytest.raises(InvalidInput, match=r"Lücke: zwischen 30\.11\.2023"):
        kdu.validate_versions([old, new])


def test_the_version_valid_on_a_day_is_chosen(table) -> None:
    new = dataclasses.replace(table, label="2024", valid_from=date(2024, 1, 1))
    kdu.validate_versions([table, new])
    assert kdu.table_for([table, new], date(2023, 12, 31)) is table
    assert kdu.table_for([table, new], date(2024, 1, 1)) is new
    with pytest.raises(InvalidInput, match="keine KdU-Tabelle"):
        kdu.table_for([table, new], date(2019, 10, 31))


def test_surcharges_raise_the_limit_in_integer_cents(table) -> None:
    bonus = kdu.Surcharge("klimabonus", "Klimabonus", amount=0, basis_points=1000)
    with_bonus = dataclasses.replace(table, surcharges=(bonus,))
    kdu.validate_table(with_bonus)
    result = kdu.check(with_bonus, "Löhne", 2, gross_rent=43000, attributes={"klimabonus"})
    assert result.base_limit == 42445 and result.limit == 42445 + 4245  # 10 % rounded half up: 4244.5 → 4245
    assert result.appropriate and result.surcharges == ("Klimabonus",)


def test_the_table_survives_a_round_trip_through_its_dict(table) -> None:
    assert kdu.table_from_dict(json.loads(json.dumps(table.to_dict()))) == table


def test_a_table_in_float_euros_is_refused(table) -> None:
    data = table.to_dict()
    data["areas"][0]["limits"][0] = 396.5
    with pytest.raises(InvalidInput, match="ganzen Cent"):
        kdu.table_from_dict(data)


def test_floor_space_of_zero_or_ten_thousand_is_refused() -> None:
    with pytest.raises(InvalidInput, match="größer als 0"):
        kdu.check_floor_space(0)
    with pytest.raises(InvalidInput, match="nicht plausibel"):
        kdu.parse_area("10000")
    assert kdu.parse_area("54,5 m²") == 54.5
    assert kdu.format_area(60.0) == "60 m²"


municipalities = st.sampled_from([m.name for m in MUNICIPALITIES])


@given(muni=municipalities, persons=st.integers(1, kdu.MAX_PERSONS), cold=st.integers(0, 300_000),
       utilities=st.integers(0, 100_000))
def test_property_verdict_is_gross_against_limit(muni: str, persons: int, cold: int, utilities: int) -> None:
    table = _seed()
    result = kdu.check(table, muni, persons, cold_rent=cold, utilities=utilities)
    assert isinstance(result.difference, int)
    assert result.gross_rent == cold + utilities
    assert result.appropriate == (result.difference <= 0)
    assert result.limit == table.limit(muni, persons)


@given(muni=municipalities, persons=st.integers(1, kdu.MAX_PERSONS - 1))
def test_property_limit_and_floor_space_grow_with_the_household(muni: str, persons: int) -> None:
    table = _seed()
    assert table.limit(muni, persons + 1) > table.limit(muni, persons)
    assert table.reasonable_floor_space(persons + 1) == table.reasonable_floor_space(persons) + 15


def _seed() -> kdu.KduTable:
    return kdu.table_from_dict(json.loads(resource("data", "kdu-herford-2019.json").read_text(encoding="utf-8")))
