"""The read models of cases, Wohnungssuche, the landlord registry and the rule pages: frozen values read in their
own session, with the rules (who edits the registry, which offers count as free) decided in the services."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from whh_desktop.core.domain.housing import OfferStatus
from whh_desktop.core.services import (
    cases,
    duplicates,
    housing_views,
    intake,
    landlords,
    offers,
    registry_views,
    rules_views,
    site_settings,
)
from whh_desktop.core.services.housing_search import SearchData, save_search
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.landlords import LandlordData
from whh_desktop.core.services.offers import OfferData, OfferFilter
from whh_desktop.core.store.models import FlatOffer

TODAY = date.today()


def flat(**kw) -> OfferData:
    base = dict(street="Lindenstraße 5", municipality="Löhne", plz="32584", floor_space_m2=58.5, rooms=2,
                cold_rent=35000, utilities=8000, heating=7000, deposit=105000, floor=1)
    return OfferData(**(base | kw))


def test_only_district_staff_may_edit_the_registry(counsellor, district_any) -> None:
    assert registry_views.may_edit_registry(*district_any)
    assert not registry_views.may_edit_registry(*counsellor)


def test_landlord_and_offer_details_are_frozen_values(district_any) -> None:
    store, user = district_any
    keep = landlords.save_landlord(store, user, LandlordData(name="Wohnbau Werre", city="Löhne"))
    other = landlords.save_landlord(store, user, LandlordData(name="Wohnbau Mueller", city="Löhne"))
    offer_id = offers.save_offer(store, user, flat(landlord_id=other))
    landlords.merge(store, user, keep, other)

    detail = registry_views.landlord_detail(store, user, keep)
    assert detail.data.name == "Wohnbau Werre" and detail.merged_into_name == ""
    assert [m.name for m in detail.merged] == ["Wohnbau Mueller"]
    assert [o.id for o in detail.offers] == [offer_id]  # the merged entry's flat counts here
    assert registry_views.landlord_detail(store, user, other).merged_into_name == "Wohnbau Werre"
    with pytest.raises(dataclasses.FrozenInstanceError):
        detail.merged_into_name = "x"  # type: ignore[misc]
    assert registry_views.landlord_choices(store, user, leave_out=keep) == []

    offer = registry_views.offer_detail(store, user, offer_id)
    assert offer.data.street == "Lindenstraße 5" and offer.landlord_name == "Wohnbau Mueller"
    assert len(offer.checks) == registry_views.KDU_PERSONS and offer.reported_status is None
    assert registry_views.offer_check(store, user, offer_id, 2).gross_rent == 43000
    listed = registry_views.offer_list(store, user, OfferFilter(), shown=0)
    assert listed.rows == [] and listed.total == 1 and listed.reported == {}


def test_a_flat_reported_reserved_here_is_no_longer_free_for_matching(counsellor) -> None:
    store, user = counsellor
    with store.session("kreis-import") as s:  # the district's offer as it arrives with its bundle
        row = FlatOffer(street="Lindenstraße 5", plz="32584", municipality="Löhne", floor_space_m2=58.5, rooms=2,
                        floor=1, cold_rent=35000, utilities=8000, heating=7000, deposit=105000, gross_rent=43000,
                        origin_site="kreis", owner_site="kreis")
        s.add(row)
        s.flush()
        offer_id = row.id
    free = OfferFilter()
    assert [r.id for r in housing_views.free_flats(store, user, free)] == [offer_id]
    offers.set_status(store, user, offer_id, OfferStatus.RESERVIERT, "Zusage")
    assert housing_views.free_flats(store, user, free) == []
    listed = registry_views.offer_list(store, user, OfferFilter(status=None), shown=10)
    assert listed.reported == {offer_id: OfferStatus.RESERVIERT.value}  # a site sees its open report
    [request] = registry_views.pending_requests(store, user)
    assert request.content == "Wohnung reserviert: Lindenstraße 5, Löhne"


def test_case_list_search_form_and_settings_read_models(counsellor) -> None:
    store, user = counsellor
    case_id, number = intake.save_intake(store, user, IntakeData(
        family_name="Okonkwo", given_names="Ada", birth_date=date(1981, 5, 4), municipality="Vlotho",
        category="bei_bekannten", category_since=TODAY - timedelta(days=3)), draft=False,
        today=TODAY - timedelta(days=3))
    found = cases.search_cases(store, user, "okonkwo")
    [row] = cases.case_rows(store, user, found.exact)
    assert row.case_number == number and row.status_label == "offen"
    assert cases.counsellor_names(store, user) == [(user.username, "Birgit Schulz")]
    assert row.counsellor == user.username and row.counsellor_name == "Birgit Schulz"

    assert housing_views.newest_search_of_case(store, user, case_id) is None
    search_id = save_search(store, user, case_id, SearchData(household_size=1, wanted_municipalities=("Vlotho",),
                                                             max_rent=45000))
    assert housing_views.newest_search_of_case(store, user, case_id) == search_id
    form = housing_views.search_form(store, user, search_id)
    assert form.saved == SearchData(household_size=1, wanted_municipalities=("Vlotho",), max_rent=45000)
    assert housing_views.search_form(store, user, None).saved is None
    assert [r.case_number for r in housing_views.searching_households(store, user)] == [number]
    limits = housing_views.default_limits(store, user, ["Vlotho", "Löhne"], 1)
    assert set(limits) == {"Vlotho", "Löhne"} and all(v > 0 for v in limits.values())
    assert site_settings.current(store, user).autolock_minutes > 0


def test_rule_pages_read_models(district_any) -> None:
    store, user = district_any
    versions = rules_views.kdu_versions(store, user)
    assert [v.valid_from for v in versions.versions] == [versions.current_from]
    age = rules_views.table_age(store, user)
    assert age.max_months == 24 and "älter als 24 Monate" in age.warning
    assert len(rules_views.karenzzeit_versions(store, user)) == 2
    courts = {c.municipality: c.court for c in rules_views.court_list(store, user)}
    assert courts["Vlotho"] == "Amtsgericht Bad Oeynhausen"
    check = rules_views.kdu_check(store, user, "Löhne", 2, cold_rent=35000, utilities=8000, heating=None,
                                  benefit=None)
    assert check.limit == 42445 and not check.appropriate
    review = duplicates.review(store, user)
    assert review.candidates == [] and review.decisions == []
