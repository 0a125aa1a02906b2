"""Rule tables in the store (issue 09, points 4–6): Karenzzeit rules and Amtsgerichte kept by the district and
travelling to the sites, the KdU check of a case with its benefit start, the table-age setting, landlord IBAN."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import select

from tests.core.test_sync_import_fixtures import exchange, new_case  # noqa: F401
from whh_desktop.core.domain import karenzzeit as kz
from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.services import courts, karenzzeit_rules, kdu_tables, landlords
from whh_desktop.core.services.landlords import LandlordData
from whh_desktop.core.store.models import HouseholdMember, Income, Landlord
from whh_desktop.core.store.models.rules import KarenzzeitRuleVersion, LocalCourt

TODAY = date(2026, 12, 3)


def test_every_store_starts_with_the_seeded_rules_and_courts(district_any, counsellor) -> None:
    for store, _ in (district_any, counsellor):
        with store.read_session() as s:
            assert karenzzeit_rules.rules(s) == list(karenzzeit_rules.seed_rules())
            assert courts.propose_court(s, "Löhne") == "Amtsgericht Bad Oeynhausen"
            assert courts.propose_court(s, "Vlotho") == "Amtsgericht Bad Oeynhausen"
            assert courts.propose_court(s, "Loehne") == "Amtsgericht Bad Oeynhausen"  # folded like search
            assert courts.propose_court(s, "Spenge") == "Amtsgericht Herford"
            assert courts.propose_court(s, "Rödinghausen") == "Amtsgericht Bünde"
            assert courts.propose_court(s, "Bielefeld") is None and courts.propose_court(s, "") is None
            assert all(c.court for c in courts.courts(s)) and len(courts.courts(s)) == 9


def test_the_district_adds_a_rule_and_an_overlapping_one_is_refused_with_nothing_saved(district_any) -> None:
    store, user = district_any
    later = kz.KarenzzeitRule("Höchstmiete Kreis Herford", date(2027, 1, 1), cap_percent=150,
                              exceptions=("kinder",), max_rent_per_m2=950, source="Beschluss des Kreises (Beispiel)")
    with pytest.raises(InvalidInput, match="Bitte ein Ende vor dem Beginn") as exc:
        # the reform rule has no end yet, so a later one is fine; one ending after the next start is not
        karenzzeit_rules.add_rule(store, user, dataclasses.replace(later, valid_from=date(2026, 1, 1),
                                                                   valid_until=date(2026, 8, 1)))
    assert exc.value.field == "valid_from"
    with pytest.raises(InvalidInput, match="nicht am selben Tag"):
        karenzzeit_rules.add_rule(store, user, dataclasses.replace(later, valid_from=date(2026, 7, 1)))
    with store.read_session() as s:
        assert len(karenzzeit_rules.rules(s)) == 2
    karenzzeit_rules.add_rule(store, user, later)
    with store.read_session() as s:
        assert [r.valid_from for r in karenzzeit_rules.rules(s)] == [date(2023, 1, 1), date(2026, 7, 1),
                                                                     date(2027, 1, 1)]


def test_the_district_fills_in_the_local_maximum_rent(district_any) -> None:
    store, user = district_any
    with store.read_session() as s:
        reform = karenzzeit_rules.versions(s)[-1]
    karenzzeit_rules.change_rule(store, user, reform.id, dataclasses.replace(reform.rule, max_rent_per_m2=900))
    with store.read_session() as s:
        assert karenzzeit_rules.rules(s)[-1].max_rent_per_m2 == 900
        result = kdu_tables.check(s, "Löhne", 1, gross_rent=50000, floor_space_m2=50.0, on=TODAY,
                                  benefit_start=date(2026, 9, 1))
    assert result.karenzzeit.recognised == 45000


def test_sites_may_not_change_rules_or_courts(counsellor) -> None:
    store, user = counsellor
    with store.read_session() as s:
        rule = karenzzeit_rules.rules(s)[-1]
    with pytest.raises(PermissionDenied, match="pflegt der Kreis"):
        karenzzeit_rules.add_rule(store, user, dataclasses.replace(rule, valid_from=date(2027, 1, 1)))
    with pytest.raises(PermissionDenied):
        courts.set_court(store, user, "Vlotho", "Amtsgericht Herford")


def test_the_district_changes_a_court_and_it_travels_to_the_site_with_the_rules(exchange) -> None:  # noqa: F811
    ex = exchange
    [first] = [r for r in ex.export_sites() if r.site == "loehne"]  # the full first bundle
    assert first.counts["local_courts"] == 9 and first.counts["karenzzeit_rules"] == 2
    assert ex.import_site(first.path)[0].applied
    courts.set_court(ex.district, ex.district_user, "Vlotho", "Amtsgericht Herford")
    with pytest.raises(InvalidInput, match="Amtsgericht für Vlotho"):
        courts.set_court(ex.district, ex.district_user, "Vlotho", "  ")
    karenzzeit_rules.add_rule(ex.district, ex.district_user, kz.KarenzzeitRule(
        "Neue Regel 2027", date(2027, 1, 1), cap_percent=140, exceptions=("kinder",), source="Beispielquelle"))
    [to_loehne] = [r for r in ex.export_sites() if r.site == "loehne"]
    assert to_loehne.counts.get("local_courts") == 1 and to_loehne.counts.get("karenzzeit_rules") == 1
    [report] = ex.import_site(to_loehne.path)
    assert report.applied, report.reason
    with ex.site.read_session() as s:
        assert courts.propose_court(s, "Vlotho") == "Amtsgericht Herford"
        assert karenzzeit_rules.rules(s)[-1].label == "Neue Regel 2027"
        assert s.execute(select(LocalCourt).where(LocalCourt.municipality == "Vlotho")).scalar_one().version == 2
        assert len(s.execute(select(KarenzzeitRuleVersion)).scalars().all()) == 3


def test_a_case_in_its_karenzzeit_is_checked_from_its_recorded_benefit_start(counsellor) -> None:
    store, user = counsellor
    case_id = new_case(store, user, "Karenz")
    with store.session(user.username) as s:
        s.add(Income(case_id=case_id, kind="buergergeld", since=date(2026, 2, 1)))
        s.add(Income(case_id=case_id, kind="erwerb", since=date(2026, 10, 1)))
    with store.read_session() as s:
        start = kdu_tables.case_benefit_start(s, case_id)
        assert start == date(2026, 2, 1)
        result = kdu_tables.check(s, "Löhne", 2, cold_rent=40000, utilities=9000, on=TODAY, benefit_start=start,
                                  benefit=kz.BenefitFacts(start, approval_from=date(2026, 8, 1)))
    assert result.verdict == "nicht angemessen"
    k = result.karenzzeit
    assert k.phase == kz.IN_KARENZZEIT and k.ends_on == date(2027, 1, 31)
    assert k.recognised == 49000  # 1.5 × 424,45 € = 636,68 € is not reached
    with store.read_session() as s:  # the case id alone brings the recorded benefit start
        by_case = kdu_tables.check(s, "Löhne", 2, cold_rent=40000, utilities=9000, on=TODAY, case_id=case_id)
    assert by_case.karenzzeit.benefit_start == date(2026, 2, 1) and by_case.karenzzeit.phase == kz.IN_KARENZZEIT
    with store.session(user.username) as s:
        s.add(HouseholdMember(case_id=case_id, relation="kind", given_names="Kind"))
    with store.read_session() as s:
        assert kdu_tables.case_benefit_facts(s, case_id).exceptions == ("kinder",)
        high = kdu_tables.check(s, "Löhne", 2, gross_rent=90000, on=TODAY, case_id=case_id)
    assert high.karenzzeit.recognised == 90000 and "Haushalt mit Kindern" in high.karenzzeit.text
    assert result.table_outdated and "älter als 24 Monate" in result.table_warning


def test_the_table_age_limit_is_configurable(district_any) -> None:
    store, user = district_any
    with store.read_session() as s:
        assert kdu_tables.max_table_age(s) == 24
        assert "älter als 24 Monate" in kdu_tables.table_warning(s, TODAY)
    kdu_tables.set_max_table_age(store, user, 120)
    with store.read_session() as s:
        assert kdu_tables.table_warning(s, TODAY) == ""
        assert not kdu_tables.check(s, "Vlotho", 1, gross_rent=30000, on=TODAY).table_outdated
    with pytest.raises(InvalidInput, match="zwischen 1 und 120"):
        kdu_tables.set_max_table_age(store, user, 0)


def test_landlord_bank_details_are_checked_normalised_and_shown_grouped(district_any) -> None:
    store, user = district_any
    data = LandlordData(name="Wohnbau Beispiel eG", kind="genossenschaft", iban="de89 3704 0044 0532 0130 00",
                        bic="cobadeffxxx", account_holder="Wohnbau Beispiel eG")
    with pytest.raises(InvalidInput) as exc:
        landlords.save_landlord(store, user, dataclasses.replace(data, iban="DE89 3704 0044 0532 0130 01"))
    assert exc.value.field == "iban" and str(exc.value).startswith("IBAN: Die Prüfziffer")
    with store.read_session() as s:
        assert s.execute(select(Landlord)).first() is None  # nothing saved
    landlord_id = landlords.save_landlord(store, user, data)
    with store.read_session() as s:
        row = s.get(Landlord, landlord_id)
        assert (row.iban, row.bic) == ("DE89370400440532013000", "COBADEFFXXX")
        shown = LandlordData.of(row)
    assert shown.iban_grouped == "DE89 3704 0044 0532 0130 00"
    with pytest.raises(InvalidInput, match="ohne IBAN"):
        landlords.save_landlord(store, user, dataclasses.replace(data, iban=""))


def test_a_site_proposal_carries_the_bank_details(counsellor) -> None:
    data = LandlordData(name="Herr Beispiel", iban="DE02120300000000202051", account_holder="Max Beispiel")
    assert LandlordData.from_payload(data.to_payload()) == data
