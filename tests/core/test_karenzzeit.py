"""Karenzzeit rules as data (DOMAIN.md "Rent costs"): which rule applies to a rent on a day, the reform's cap from
1 July 2026 with its exceptions, the six months to reduce costs, bad input, overlapping versions, table age."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.domain import karenzzeit as kz
from whh_desktop.core.domain import kdu
from whh_desktop.core.errors import InvalidInput
from whh_desktop.resources import resource

TODAY = date(2026, 12, 3)
LIMIT_1P_LOEHNE = 36700


@pytest.fixture(scope="module")
def rules() -> list[kz.KarenzzeitRule]:
    data = json.loads(resource("data", "karenzzeit-rules.json").read_text(encoding="utf-8"))
    return [kz.rule_from_dict(r) for r in data["rules"]]


@pytest.fixture(scope="module")
def table() -> kdu.KduTable:
    return kdu.table_from_dict(json.loads(resource("data", "kdu-herford-2019.json").read_text(encoding="utf-8")))


def test_the_seed_rules_are_valid_do_not_overlap_and_cite_their_source(rules) -> None:
    for rule in rules:
        kz.validate_rule(rule)
        assert "§ 22 Abs. 1 SGB II" in rule.source
    kz.validate_rules(rules)
    before, reform = rules
    assert (before.valid_from, before.cap_percent, before.months) == (date(2023, 1, 1), None, 12)
    assert (reform.valid_from, reform.cap_percent, reform.months) == (date(2026, 7, 1), 150, 12)
    assert set(reform.exceptions) == {"unvermeidbar", "kinder"}
    assert reform.max_rent_per_m2 is None  # empty by default; the district may fill it
    assert "§ 35 Abs. 3 SGB XII" in reform.source
    assert kz.rule_for(rules, date(2026, 6, 30)) is before and kz.rule_for(rules, date(2026, 7, 1)) is reform
    assert kz.rule_for(rules, date(2022, 12, 31)) is None


def run(rules, start: date, on: date, rent: int, limit: int = LIMIT_1P_LOEHNE, **facts) -> kz.KarenzzeitResult:
    return kz.apply(rules, kz.BenefitFacts(start, **facts), on=on, gross_rent=rent, limit=limit)


@pytest.mark.parametrize(("start", "on", "rent", "phase", "recognised", "words"), [
    # inside the Karenzzeit before the reform: the actual rent, however high
    (date(2025, 3, 1), date(2025, 12, 1), 60000, kz.IN_KARENZZEIT, 60000,
     "Karenzzeit bis 28.02.2026 (Grenze greift ab 01.03.2026): die tatsächliche Miete wird anerkannt"),
    # the last day of the Karenzzeit still counts
    (date(2025, 3, 1), date(2026, 2, 28), 60000, kz.IN_KARENZZEIT, 60000, "Karenzzeit bis 28.02.2026"),
    # after it, over the limit: six more months to reduce costs (until 31.08.2026)
    (date(2025, 3, 1), date(2026, 3, 1), 60000, kz.IN_COST_REDUCTION, 60000, "längstens bis 31.08.2026"),
    # after it, within the limit: nothing to reduce
    (date(2025, 3, 1), date(2026, 3, 1), 36000, kz.LIMIT_APPLIES, 36000, "die Miete liegt innerhalb"),
    # after the six months: the limit
    (date(2024, 6, 1), date(2026, 6, 10), 60000, kz.LIMIT_APPLIES, LIMIT_1P_LOEHNE,
     "Frist zur Kostensenkung (6 Monate) am 30.11.2025; anerkannt wird bis zur Grenze (367,00 €)"),
    # the reform caps at 1.5 × the limit from the first month: 550,50 €
    (date(2026, 9, 1), TODAY, 60000, kz.IN_KARENZZEIT, 55050,
     "anerkannt wird höchstens das 1,5-Fache der Grenze, 550,50 €; die Miete liegt 49,50 € darüber"),
    (date(2026, 9, 1), date(2026, 9, 1), 60000, kz.IN_KARENZZEIT, 55050, "1,5-Fache"),
    (date(2026, 9, 1), TODAY, 50000, kz.IN_KARENZZEIT, 50000, "höchstens das 1,5-Fache der Grenze: 550,50 €"),
    (date(2026, 9, 1), TODAY, 55050, kz.IN_KARENZZEIT, 55050, "tatsächliche Miete wird anerkannt"),
])
def test_which_rule_applies(rules, start, on, rent, phase, recognised, words) -> None:
    result = run(rules, start, on, rent)
    assert (result.phase, result.recognised) == (phase, recognised)
    assert words in result.text
    assert result.rule_source and result.rule_label


@pytest.mark.parametrize("exception", ["kinder", "unvermeidbar"])
def test_an_exception_lifts_the_reform_cap(rules, exception) -> None:
    result = run(rules, date(2026, 9, 1), TODAY, 60000, exceptions=(exception,))
    assert result.recognised == 60000 and result.cap is None
    assert result.cap_lifted_by == (kz.EXCEPTIONS[exception],)
    assert "Kappung entfällt" in result.text


def test_the_karenzzeit_is_extended_by_full_months_without_benefits(rules) -> None:
    plain = run(rules, date(2025, 3, 1), date(2026, 4, 15), 60000)
    extended = run(rules, date(2025, 3, 1), date(2026, 4, 15), 60000, months_without_benefits=2)
    assert plain.phase == kz.IN_COST_REDUCTION
    assert extended.phase == kz.IN_KARENZZEIT and extended.ends_on == date(2026, 4, 30)
    assert any("2 volle Monat" in n for n in extended.notes)


def test_no_karenzzeit_after_an_earlier_cost_reduction_and_a_move_without_zusicherung_counts_to_the_limit(
        rules) -> None:
    lowered = run(rules, date(2025, 3, 1), date(2025, 6, 1), 60000, earlier_cost_reduction=True)
    assert lowered.phase == kz.LIMIT_APPLIES and lowered.recognised == LIMIT_1P_LOEHNE
    assert "früheren Kostensenkungsverfahren" in lowered.text
    moved = run(rules, date(2025, 3, 1), date(2025, 6, 1), 60000, moved_without_assurance=True)
    assert moved.recognised == LIMIT_1P_LOEHNE and "ohne vorherige Zusicherung" in moved.text


def test_an_existing_case_switches_to_the_reform_at_its_next_approval_period(rules) -> None:
    unknown = run(rules, date(2026, 3, 1), TODAY, 60000)
    assert unknown.rule_label == rules[1].label
    assert any("nächsten Bewilligungszeitraum" in n and rules[0].label in n for n in unknown.notes)
    running = run(rules, date(2026, 3, 1), TODAY, 60000, approval_from=date(2026, 3, 1))
    assert running.rule_label == rules[0].label and running.recognised == 60000 and running.cap is None
    assert any(f"gilt »{rules[1].label}«" in n for n in running.notes)


def test_before_any_rule_the_limit_applies(rules) -> None:
    result = run(rules, date(2022, 1, 1), date(2022, 6, 1), 60000)
    assert result.phase == kz.NO_RULE and result.recognised == LIMIT_1P_LOEHNE and result.limit_bites


def test_a_local_maximum_rent_per_m2_caps_when_the_district_sets_it(rules) -> None:
    with_max = [rules[0], dataclasses.replace(rules[1], max_rent_per_m2=900)]
    result = kz.apply(with_max, kz.BenefitFacts(date(2026, 9, 1)), on=TODAY, gross_rent=50000,
                      limit=LIMIT_1P_LOEHNE, floor_space_m2=50.0)
    assert result.recognised == 45000 and "örtliche Höchstmiete (9,00 € je m²)" in result.text
    no_space = kz.apply(with_max, kz.BenefitFacts(date(2026, 9, 1)), on=TODAY, gross_rent=50000,
                        limit=LIMIT_1P_LOEHNE)
    assert no_space.recognised == 50000 and any("keine Wohnfläche" in n for n in no_space.notes)


# ---- bad input ----------------------------------------------------------------------------------------------
def test_a_karenzzeit_start_in_the_future_is_refused_in_german(rules) -> None:
    with pytest.raises(InvalidInput) as exc:
        run(rules, date(2027, 1, 5), TODAY, 40000)
    assert exc.value.field == "benefit_start"
    assert "05.01.2027 liegt in der Zukunft" in str(exc.value)


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"valid_until": date(2026, 7, 31)}, "valid_from", "überschneidet sich"),
    ({"valid_from": date(2026, 7, 1), "valid_until": None}, "valid_from", "nicht am selben Tag beginnen"),
])
def test_a_rule_table_with_overlapping_validity_is_refused(rules, change, field, words) -> None:
    with pytest.raises(InvalidInput) as exc:
        kz.validate_rules([dataclasses.replace(rules[0], **change), rules[1]])
    assert exc.value.field == field and words in str(exc.value)


def test_a_gap_between_rules_is_allowed_the_limit_applies_there(rules) -> None:
    gap = [dataclasses.replace(rules[0], valid_until=date(2026, 5, 31)), rules[1]]
    kz.validate_rules(gap)
    result = kz.apply(gap, kz.BenefitFacts(date(2026, 6, 10)), on=date(2026, 6, 15), gross_rent=50000, limit=40000)
    assert (result.phase, result.recognised) == (kz.NO_RULE, 40000)
    assert result.text == "Für den 15.06.2026 ist keine Karenzzeit-Regel hinterlegt; es gilt die Grenze."


@pytest.mark.parametrize(("change", "field"), [
    ({"source": " "}, "source"), ({"cap_percent": 90}, "cap_percent"), ({"exceptions": ("alter",)}, "exceptions"),
    ({"months": -1}, "months"), ({"label": ""}, "label"), ({"max_rent_per_m2": 0}, "max_rent_per_m2"),
    ({"valid_until": date(2026, 6, 1)}, "valid_until"),
])
def test_an_incomplete_rule_is_refused_naming_the_field(rules, change, field) -> None:
    with pytest.raises(InvalidInput) as exc:
        kz.validate_rule(dataclasses.replace(rules[1], **change))
    assert exc.value.field == field


def test_cap_factor_is_typed_the_german_way() -> None:
    assert kz.parse_factor("1,5") == 150 and kz.parse_factor("") is None and kz.parse_factor("2") == 200
    assert kz.format_factor(150) == "1,5"
    with pytest.raises(InvalidInput, match="keine Zahl"):
        kz.parse_factor("anderthalb")


# ---- the KdU check states the rule and the table's age ------------------------------------------------------
def test_the_kdu_check_states_the_rule_applied_and_its_source(table, rules) -> None:
    result = kdu.check(table, "Loehne", 1, gross_rent=60000, on=TODAY, benefit_start=date(2026, 9, 1), rules=rules)
    assert result.municipality == "Löhne" and result.verdict == kdu.NOT_APPROPRIATE
    assert result.karenzzeit is not None and result.karenzzeit.recognised == 55050
    text = "\n".join(result.lines())
    assert "Leistungsbeginn: 01.09.2026" in text
    assert "Regel: Karenzzeit bis 31.08.2027" in text and "Quelle: Gesetz zur Neuen Grundsicherung" in text
    data = result.as_dict()
    assert data["karenzzeit"]["anerkannt_cent"] == 55050 and data["karenzzeit"]["karenzzeit_bis"] == "2027-08-31"


def test_without_benefit_start_the_check_says_it_compared_with_the_limit(table, rules) -> None:
    result = kdu.check(table, "Löhne", 1, gross_rent=30000, on=TODAY, rules=rules)
    assert result.karenzzeit is None and "Ohne Leistungsbeginn" in result.rule_text


def test_the_2019_table_in_december_2026_warns(table) -> None:
    result = kdu.check(table, "Löhne", 1, gross_rent=30000, on=TODAY)
    assert result.table_outdated and result.table_age_months == 85
    assert "seit 01.11.2019, also seit 7 Jahren und 1 Monat – älter als 24 Monate" in result.table_warning
    assert any(line.startswith("Warnung: Die KdU-Tabelle") for line in result.lines())
    assert result.as_dict()["tabelle_veraltet"] is True


@pytest.mark.parametrize(("on", "max_months", "warns"), [
    (date(2021, 10, 31), 24, False), (date(2021, 11, 1), 24, False), (date(2021, 12, 1), 24, True),
    (TODAY, 100, False), (TODAY, 84, True),
])
def test_table_age_is_measured_in_full_months_against_a_configurable_limit(table, on, max_months, warns) -> None:
    assert bool(kdu.table_age_warning(table, on, max_months)) is warns


@pytest.mark.parametrize("typed", ["Loehne", "LOEHNE", "löhne", " Löhne "])
def test_municipality_names_fold_like_search(typed) -> None:
    assert kdu.check_municipality(typed) == "Löhne"
    assert kdu.check_municipality("Roedinghausen") == "Rödinghausen"
    assert kdu.check_municipality("Buende") == "Bünde"


# ---- properties ---------------------------------------------------------------------------------------------
@given(start=st.dates(date(2023, 1, 1), TODAY), days=st.integers(0, 1500), rent=st.integers(0, 300_000),
       limit=st.integers(20_000, 150_000), children=st.booleans())
def test_recognised_never_exceeds_the_rent_and_the_limit_bites_after_the_six_months(rules, start, days, rent, limit,
                                                                                    children) -> None:
    on = date.fromordinal(min(start.toordinal() + days, date(2030, 1, 1).toordinal()))
    facts = kz.BenefitFacts(start, exceptions=("kinder",) if children else (), approval_from=start)
    result = kz.apply(rules, facts, on=on, gross_rent=rent, limit=limit)
    assert 0 <= result.recognised <= rent
    if result.phase == kz.LIMIT_APPLIES:
        assert result.recognised == min(rent, limit)
    if result.phase == kz.IN_KARENZZEIT:
        rule = kz.rule_for(rules, start)
        if rule.cap_percent is None or children:
            assert result.recognised == rent
        else:
            assert result.recognised == min(rent, rule.cap_on(limit))
