"""A counsellor's housing story: search, matching offers with reasons, proposal, viewing, signed lease, new flat."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from whh_desktop.core.domain.housing import OfferStatus, ProposalStep, RequestKind
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import flat_matching, housing_search, intake, landlords, offers, proposals, registry
from whh_desktop.core.services.housing_search import SearchData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.landlords import LandlordData
from whh_desktop.core.services.offers import OfferData
from whh_desktop.core.store.models import Case, ChangeLog, FlatOffer, HousingSearch, Landlord, RegistryRequest

TODAY = date.today()


@pytest.fixture
def market(counsellor):
    """Löhne's site store with a case (homeless, staying with friends) and the district's registry as it arrives
    with the district bundle (rows owned by the Kreis)."""
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Yılmaz", given_names="Ayşe", birth_date=date(1979, 3, 2), municipality="Löhne",
        category="bei_bekannten", category_since=TODAY - timedelta(days=30)), draft=False,
        today=TODAY - timedelta(days=30))
    kreis = {"origin_site": "kreis", "owner_site": "kreis"}
    with store.session("kreis-import") as s:
        landlord = Landlord(kind="unternehmen", name="Wohnbau Werre GmbH", sort_key="wohnbau werre gmbh",
                            street="Am Markt 1", plz="32584", city="Löhne", cooperation_status="aktiv", **kreis)
        s.add(landlord)
        s.flush()
        ids = {}
        for key, muni, plz, cold, util, floor, extra in (
                ("fits", "Löhne", "32584", 33000, 8000, 0, {}),
                ("too-dear", "Löhne", "32584", 35000, 8000, 0, {}),               # 430,00 € > 424,45 €
                ("vlotho", "Vlotho", "32602", 30000, 7000, 3, {}),
                ("wbs", "Löhne", "32584", 30000, 6000, 1, {"wbs_required": True}),
                ("reserved", "Löhne", "32584", 30000, 6000, 0, {"status": "reserviert"})):
            offer = FlatOffer(landlord_id=landlord.id, street=f"Teststraße {len(ids) + 1}", plz=plz,
                              municipality=muni, floor_space_m2=60.0, rooms=2, floor=floor, cold_rent=cold,
                              utilities=util, heating=6000, deposit=99000, gross_rent=cold + util, **(extra | kreis))
            s.add(offer)
            s.flush()
            ids[key] = offer.id
    return store, user, case_id, landlord.id, ids


def search_data(**kw) -> SearchData:
    return SearchData(**(dict(household_size=2, wanted_municipalities=("Löhne",), earliest_move=TODAY) | kw))


def test_household_size_zero_is_refused(market) -> None:
    store, user, case_id, *_ = market
    with pytest.raises(InvalidInput, match="mindestens 1 Person") as err:
        housing_search.save_search(store, user, case_id, search_data(household_size=0))
    assert err.value.field == "household_size"
    with pytest.raises(InvalidInput, match="keine Gemeinde im Kreis Herford"):
        housing_search.save_search(store, user, case_id, search_data(wanted_municipalities=("Bielefeld",)))


def test_the_default_maximum_rent_is_the_kdu_limit(market) -> None:
    store, *_ = market
    with store.read_session() as s:
        assert housing_search.default_max_rent(s, "Löhne", 2) == 42445
        assert housing_search.default_max_rent(s, "Herford", 7) == 100100


def test_full_story_from_search_to_signed_lease(market) -> None:
    store, user, case_id, landlord_id, ids = market
    search_id = housing_search.save_search(store, user, case_id, search_data())
    with store.read_session() as s:
        found = flat_matching.offers_for_search(s, search_id)
        assert [m.offer.id for m in found] == [ids["fits"], ids["vlotho"]]
        best = found[0]
        assert best.ceiling == 42445 and best.offer.landlord_name == "Wohnbau Werre GmbH"
        assert "In der Wunschgemeinde Löhne." in best.reasons
        assert any("nicht in den Wunschgemeinden" in r for r in found[1].reasons)
        why_not = flat_matching.explain(s, search_id, ids["too-dear"])
        assert not why_not.suitable and "5,55 €" in why_not.blockers[0]
        assert "WBS" in flat_matching.explain(s, search_id, ids["wbs"]).blockers[0]
        households = flat_matching.households_for_offer(s, ids["fits"])
        assert [h.case_id for h in households] == [case_id] and households[0].family_name == "Yılmaz"

    proposal_id = proposals.propose(store, user, search_id, ids["fits"], note="Vermieter kennt uns")
    with pytest.raises(InvalidInput, match="bereits vorgeschlagen"):
        proposals.propose(store, user, search_id, ids["fits"])
    proposals.record_viewing(store, user, proposal_id, TODAY + timedelta(days=2))
    with pytest.raises(InvalidInput, match="kann nicht »Besichtigung« folgen"):
        proposals.record_viewing(store, user, proposal_id, TODAY)
    proposals.record_acceptance(store, user, proposal_id, TODAY)
    with store.read_session() as s:  # the site reports the reservation to the district, the offer stays the Kreis'
        assert offers.effective_statuses(s) == {ids["fits"]: "reserviert"}
        assert s.get(FlatOffer, ids["fits"]).status == "frei"
        assert ids["fits"] not in {m.offer.id for m in flat_matching.offers_for_search(s, search_id)}
    proposals.record_lease(store, user, proposal_id, TODAY)

    with store.read_session() as s:
        case = s.get(Case, case_id)
        assert (case.tenancy_street, case.tenancy_plz, case.tenancy_city) == ("Teststraße 1", "32584", "Löhne")
        assert (case.cold_rent, case.utilities, case.heating) == (33000, 8000, 6000)
        assert case.landlord_name == "Wohnbau Werre GmbH" and case.landlord_address == "Am Markt 1, 32584 Löhne"
        assert case.current_category == "ehemals"
        assert s.get(HousingSearch, search_id).status == "versorgt"
        [placement] = proposals.placements(s, TODAY - timedelta(days=1), TODAY, site="loehne")
        assert placement.case_id == case_id and placement.gross_rent == 41000
        assert offers.effective_statuses(s)[ids["fits"]] == "vergeben"
        kinds = [r.kind for r in s.execute(select(RegistryRequest).order_by(RegistryRequest.created_at)).scalars()]
        assert kinds == [RequestKind.OFFER_RESERVED.value, RequestKind.OFFER_LET.value]
        assert flat_matching.households_for_offer(s, ids["fits"]) == []
        assert [p.step for p in proposals.proposals_of_case(s, case_id)] == [ProposalStep.MIETVERTRAG.value]
        assert [p.lease_signed_on for p in landlords.placements_of(s, landlord_id)] == [TODAY]
        entities = set(s.execute(select(ChangeLog.entity)).scalars())
    assert {"housing_searches", "proposals", "registry_requests", "case_categories"} <= entities
    with pytest.raises(InvalidInput, match="bereits abgeschlossen"):
        proposals.record_refusal(store, user, proposal_id, TODAY, "zu spät")


def test_a_refusal_needs_a_reason_and_frees_a_reserved_flat(market) -> None:
    store, user, case_id, _, ids = market
    search_id = housing_search.save_search(store, user, case_id, search_data())
    proposal_id = proposals.propose(store, user, search_id, ids["fits"])
    proposals.record_acceptance(store, user, proposal_id, TODAY)
    with pytest.raises(InvalidInput, match="Grund der Absage") as err:
        proposals.record_refusal(store, user, proposal_id, TODAY, "  ")
    assert err.value.field == "reason"
    proposals.record_refusal(store, user, proposal_id, TODAY, "Wohnung zu weit von der Schule")
    with store.read_session() as s:
        assert offers.effective_statuses(s)[ids["fits"]] == OfferStatus.FREI.value
        assert proposals.get_proposal(s, proposal_id).decline_reason == "Wohnung zu weit von der Schule"
    proposals.propose(store, user, search_id, ids["fits"])  # after an Absage it may be proposed again


def test_a_let_flat_cannot_be_proposed(market) -> None:
    store, user, case_id, _, ids = market
    with store.session("kreis-import") as s:  # the district's change, as its bundle applies it
        s.info["site"] = "kreis"
        s.get(FlatOffer, ids["vlotho"]).status = "vergeben"
    search_id = housing_search.save_search(store, user, case_id, search_data())
    with pytest.raises(InvalidInput, match="vergeben"):
        proposals.propose(store, user, search_id, ids["vlotho"])


def test_a_site_proposes_landlords_and_offers_to_the_district(market) -> None:
    store, user, *_ = market
    landlords.propose_landlord(store, user, LandlordData(name="Frau Privat", city="Löhne"), "sucht Mieter")
    offers.propose_offer(store, user, OfferData(street="Neue Straße 2", municipality="Löhne", floor_space_m2=45,
                                                rooms=1.5, cold_rent=28000, utilities=6000))
    with pytest.raises(InvalidInput, match="nicht im Kreis Herford"):
        offers.propose_offer(store, user, OfferData(street="Weg 1", municipality="Minden", floor_space_m2=45,
                                                    rooms=1, cold_rent=28000, utilities=6000))
    with store.read_session() as s:
        rows = registry.requests(s)
        assert [r.kind_label for r in rows] == ["neuer Vermieter", "neues Wohnungsangebot"]
        assert rows[0].site == "loehne"


def test_landlord_named_in_a_proposal_stays_readable(market) -> None:
    store, user, case_id, landlord_id, ids = market
    search_id = housing_search.save_search(store, user, case_id, search_data())
    proposal_id = proposals.propose(store, user, search_id, ids["fits"])
    with store.session("kreis-import") as s:  # the district deleted the entry (its bundle brings the tombstone)
        from whh_desktop.core.store.changes import tombstone

        s.info["site"] = "kreis"
        tombstone(s.get(Landlord, landlord_id))
    with store.read_session() as s:
        proposal = proposals.get_proposal(s, proposal_id)
        assert proposal.landlord_name == "Wohnbau Werre GmbH" and proposal.offer_address.startswith("Teststraße 1")


def test_a_site_writes_contact_notes_about_a_district_landlord(market) -> None:
    store, user, _, landlord_id, _ = market
    note_id = landlords.add_contact_note(store, user, landlord_id, TODAY, "telefon", "Besichtigung vereinbart")
    with pytest.raises(InvalidInput, match="Zukunft"):
        landlords.add_contact_note(store, user, landlord_id, TODAY + timedelta(days=1), "telefon", "später")
    with store.read_session() as s:
        [note] = landlords.contact_history(s, landlord_id)
        assert note.id == note_id and note.site == "loehne" and note.way_label == "Telefon"
        assert s.get(Landlord, landlord_id).version == 1  # the district's row is untouched


def test_the_match_list_sees_a_new_offer_at_once(market) -> None:
    store, user, case_id, landlord_id, ids = market
    search_id = housing_search.save_search(store, user, case_id, search_data())
    with store.read_session() as s:
        before = {m.offer.id for m in flat_matching.offers_for_search(s, search_id)}
        assert {m.offer.id for m in flat_matching.offers_for_search(s, search_id)} == before  # from the cache
    with store.session("kreis-import") as s:
        s.info["site"] = "kreis"
        new = FlatOffer(landlord_id=landlord_id, street="Neubau 1", municipality="Löhne", floor_space_m2=50.0, rooms=2,
                        cold_rent=30000, utilities=5000, gross_rent=35000, origin_site="kreis", owner_site="kreis")
        s.add(new)
        s.get(FlatOffer, ids["fits"]).status = "vergeben"
    with store.read_session() as s:
        after = {m.offer.id for m in flat_matching.offers_for_search(s, search_id)}
    assert after == (before - {ids["fits"]}) | {new.id}
