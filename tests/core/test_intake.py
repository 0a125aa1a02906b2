"""Intake as a counsellor does it: validation in German, drafts, case numbers, duplicate warning."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from whh_desktop.core.domain.enums import Category, IncomeKind, Relation, Sex
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import cases, intake
from whh_desktop.core.services.intake import HouseholdData, IncomeData, IntakeData
from whh_desktop.core.store.models import Case, CategoryEntry, ChangeLog, HouseholdMember, Person

TODAY = date(2026, 11, 25)


def full(**overrides) -> IntakeData:
    data = IntakeData(
        family_name="Öztürk", given_names="Şükrü", birth_date=date(1975, 4, 2), sex=Sex.MAENNLICH.value,
        nationality="TR", phone="05732 990123", municipality="Löhne", plz="32584", city="Löhne",
        street="Lindenstraße 4", category=Category.KUENDIGUNG.value, category_since=date(2026, 11, 2),
        landlord_name="Wohnbau Musterstadt eG", cold_rent=35000, utilities=8000, heating=6000, arrears=86000,
        arrears_since=date(2026, 9, 3), came_via="jobcenter", bausteine=["2", "3"],
        household=[HouseholdData(Relation.KIND.value, "Öztürk", "Elif", date(2015, 6, 1), Sex.WEIBLICH.value)],
        incomes=[IncomeData(IncomeKind.BUERGERGELD.value, date(2025, 2, 1), "12345BG0001234")])
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def messages(data: IntakeData, draft: bool = False) -> dict[str, str]:
    return {i.field: i.message for i in intake.validate(data, draft=draft, today=TODAY)}


def test_complete_intake_is_valid() -> None:
    assert intake.blocking(intake.validate(full(), draft=False, today=TODAY)) == []


@pytest.mark.parametrize(("overrides", "field", "text"), [
    ({"birth_date": date(2027, 1, 1)}, "birth_date", "Zukunft"),
    ({"birth_date": date(1899, 5, 5)}, "birth_date", "vor 1900"),
    ({"plz": "33602"}, "plz", "nicht im Kreis Herford"),
    ({"cold_rent": -100}, "cold_rent", "negativ"),
    ({"arrears_since": None}, "arrears_since", "seit wann"),
    ({"municipality": "Bielefeld"}, "municipality", "neun"),
    ({"nationality": "Türkei"}, "nationality", "Ländercode"),
    ({"first_needs": "x" * 20_001}, "first_needs", "zu lang"),
    ({"given_names": ""}, "given_names", "Vornamen"),
])
def test_bad_input_gets_a_german_message_on_its_field(overrides: dict, field: str, text: str) -> None:
    assert text in messages(full(**overrides)).get(field, ""), messages(full(**overrides))


def test_moved_in_person_may_have_a_plz_outside_with_a_warning() -> None:
    issues = intake.validate(full(plz="33602", moved_in=True), draft=False, today=TODAY)
    assert intake.blocking(issues) == []
    assert any("außerhalb" in i.message for i in issues)


def test_emoji_and_rtl_names_are_kept_with_a_warning() -> None:
    issues = intake.validate(full(given_names="Amal أمل 🌻"), draft=False, today=TODAY)
    assert intake.blocking(issues) == []
    assert any("rechts nach links" in i.message for i in issues)


def test_a_draft_needs_only_the_family_name() -> None:
    assert intake.blocking(intake.validate(IntakeData(family_name="Nguyễn"), draft=True, today=TODAY)) == []
    assert "family_name" in messages(IntakeData(), draft=True)


def test_save_creates_person_case_household_and_logs(counsellor) -> None:
    store, user = counsellor
    case_id, number = intake.save_intake(store, user, full(), draft=False, today=TODAY)
    assert number == "LOE-2026-0001"
    _, number2 = intake.save_intake(store, user, full(family_name="Nguyễn", given_names="Thị Minh Khai"),
                                    draft=True, today=TODAY)
    assert number2 == "LOE-2026-0002"
    with store.read_session() as s:
        case = s.get(Case, case_id)
        person = s.get(Person, case.person_id)
        assert (case.status, case.current_category, case.arrears) == ("open", "kuendigung", 86000)
        assert person.phonetic_key and person.sort_key.startswith("ozturk")
        members = select(HouseholdMember.given_names).where(HouseholdMember.case_id == case_id)
        assert s.execute(members).scalars().all() == ["Elif"]
        since = select(CategoryEntry.since).where(CategoryEntry.case_id == case_id)
        assert s.execute(since).scalars().all() == [date(2026, 11, 2)]
        entities = {c.entity for c in s.execute(select(ChangeLog)).scalars()}
        assert {"persons", "cases", "household_members", "incomes", "case_categories"} <= entities


def test_completing_a_draft_keeps_the_case_number(counsellor) -> None:
    store, user = counsellor
    case_id, number = intake.save_intake(store, user, IntakeData(family_name="Kowalczyk"), draft=True, today=TODAY)
    with pytest.raises(InvalidInput, match=r"^Bitte den Vornamen angeben\.$"):  # completing needs the full data
        intake.save_intake(store, user, IntakeData(family_name="Kowalczyk"), draft=False, case_id=case_id,
                           today=TODAY)
    same_id, same_number = intake.save_intake(store, user, full(family_name="Kowalczyk", given_names="Łukasz"),
                                              draft=False, case_id=case_id, today=TODAY)
    assert (same_id, same_number) == (case_id, number)
    with store.read_session() as s:
        assert s.get(Case, case_id).status == "open"


def test_duplicate_candidates_by_sound_and_birth_date(counsellor) -> None:
    store, user = counsellor
    intake.save_intake(store, user, full(family_name="Meier", given_names="Hans-Peter"), draft=False, today=TODAY)
    intake.save_intake(store, user, full(family_name="Schulz", given_names="Anna"), draft=False, today=TODAY)
    with store.read_session() as s:
        found = cases.similar_persons(s, "Mayer", "Hans Peter", date(1975, 4, 2))
        other_birthday = cases.similar_persons(s, "Mayer", "Hans Peter", date(1980, 1, 1))
    assert [p.family_name for p in found] == ["Meier"]
    assert found[0].case_number == "LOE-2026-0001"
    assert other_birthday == []


def test_case_numbers_count_on_past_9999(counsellor) -> None:
    store, user = counsellor
    with store.session(user.username) as s:
        p = Person(family_name="Viele")
        s.add(p)
        s.flush()
        for n in (9998, 9999, 10000):
            s.add(Case(case_number=f"LOE-2026-{n:04d}", person_id=p.id, counsellor=user.username,
                       opened_on=TODAY))
        s.flush()
        from whh_desktop.core.domain.sites import SiteCode

        assert intake.next_case_number(s, SiteCode.LOEHNE, 2026) == "LOE-2026-10001"
        assert intake.next_case_number(s, SiteCode.LOEHNE, 2027) == "LOE-2027-0001"


def test_children_in_the_household_raise_no_minor_hint_but_impossible_dates_do() -> None:
    data = IntakeData(family_name="Kaya", birth_date=date(1980, 1, 1),
                      household=[HouseholdData(Relation.KIND.value, "Kaya", "Deniz", date(2020, 5, 1))])
    assert intake.validate(data, draft=True, today=date(2026, 11, 25)) == []
    data.household[0].birth_date = date(2030, 1, 1)
    issues = intake.validate(data, draft=True, today=date(2026, 11, 25))
    assert [i.field for i in issues] == ["household.0.birth_date"] and issues[0].blocking


def test_a_saved_draft_loads_back_into_the_form(counsellor) -> None:
    store, user = counsellor
    data = IntakeData(family_name="Nguyễn", given_names="Văn An", birth_date=date(1990, 2, 3), phone="05731 4711",
                      municipality="Vlotho", cold_rent=39900, first_needs="Schlafplatz",
                      household=[HouseholdData(Relation.PARTNER.value, "Trần", "Thị Lan", date(1991, 7, 8))],
                      incomes=[IncomeData(IncomeKind.WOHNGELD.value, date(2026, 1, 1))])
    case_id, _ = intake.save_intake(store, user, data, draft=True)
    loaded = intake.load_intake(store, user, case_id)
    assert loaded == data
