"""The district keeps the landlord registry, the offers and the KdU table; sites propose, the district decides."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from whh_desktop.core.domain.housing import CooperationStatus, OfferStatus, RequestKind
from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.services import kdu_tables, landlords, market, offers, registry
from whh_desktop.core.services.landlords import ContactPerson, LandlordData, LandlordFilter
from whh_desktop.core.services.offers import OfferData
from whh_desktop.core.store.models import ChangeLog, FlatOffer, KduTableVersion, Landlord, Proposal

TODAY = date.today()
KDU_SEED_ID = uuid.uuid5(uuid.NAMESPACE_URL, "urn:whh-desktop:kdu:kreis-herford:2019-11-01")


def flat(**kw) -> OfferData:
    base = dict(street="Lindenstraße 5", municipality="Löhne", plz="32584", floor_space_m2=58.5, rooms=2,
                cold_rent=35000, utilities=8000, heating=7000, deposit=105000, floor=1)
    return OfferData(**(base | kw))


LANDLORD = LandlordData(name="Wohnbau Musterstadt eG", kind="genossenschaft", city="Löhne", plz="32584",
                        contact_persons=(ContactPerson("Frau Beispiel", "Vermietung", "05732 990001"),),
                        cooperation_status="aktiv", accepts_direct_payment=True, accepts_schufa=False)


def test_both_store_kinds_start_with_the_2019_table(district_any, counsellor) -> None:
    for store, _ in (district_any, counsellor):
        with store.read_session() as s:
            [version] = kdu_tables.versions(s)
            assert version.valid_from == date(2019, 11, 1)
            assert version.table == kdu_tables.seed_table()
            assert kdu_tables.limit(s, "Löhne", 2) == 42445
            assert version.id == KDU_SEED_ID  # the same row in every store: it never needs to travel
            assert s.execute(select(ChangeLog.entity).where(ChangeLog.row_id == str(version.id))).scalar() is None


def test_district_adds_a_new_table_version(district_any) -> None:
    store, user = district_any
    new = dataclasses.replace(kdu_tables.seed_table(), label="Richtwerte ab 01.01.2024", valid_from=date(2024, 1, 1))
    version_id = kdu_tables.add_version(store, user, new)
    with store.read_session() as s:
        assert [v.valid_from for v in kdu_tables.versions(s)] == [date(2019, 11, 1), date(2024, 1, 1)]
        assert kdu_tables.table_on(s, date(2023, 6, 1)).valid_from == date(2019, 11, 1)
        assert kdu_tables.table_on(s).label == "Richtwerte ab 01.01.2024"
        row = s.get(KduTableVersion, version_id)
        assert row.owner_site == "kreis" and row.version == 1


def test_a_table_with_the_same_valid_from_is_refused_and_nothing_saved(district_any) -> None:
    store, user = district_any
    with pytest.raises(InvalidInput, match="nicht am selben Tag beginnen"):
        kdu_tables.add_version(store, user, dataclasses.replace(kdu_tables.seed_table(), label="Kopie"))
    with store.read_session() as s:
        assert len(kdu_tables.versions(s)) == 1


def test_ending_the_old_table_early_leaves_a_gap_and_is_refused(district_any) -> None:
    store, user = district_any
    kdu_tables.add_version(store, user, dataclasses.replace(kdu_tables.seed_table(), label="2024",
                                                            valid_from=date(2024, 1, 1)))
    with store.read_session() as s:
        old = kdu_tables.versions(s)[0]
    with pytest.raises(InvalidInput, match="Lücke"):
        kdu_tables.end_version(store, user, old.id, date(2023, 11, 30))
    kdu_tables.end_version(store, user, old.id, date(2023, 12, 31))


def test_a_site_cannot_edit_the_kdu_table(counsellor) -> None:
    store, user = counsellor
    with pytest.raises(PermissionDenied, match="pflegt der Kreis"):
        kdu_tables.add_version(store, user, dataclasses.replace(kdu_tables.seed_table(), valid_from=TODAY))


def test_district_maintains_landlords_and_offers(district_any) -> None:
    store, user = district_any
    landlord_id = landlords.save_landlord(store, user, LANDLORD)
    offer_id = offers.save_offer(store, user, flat(landlord_id=landlord_id))
    landlords.add_contact_note(store, user, landlord_id, TODAY, "telefon", "Zwei Wohnungen ab März frei")
    with store.read_session() as s:
        [row] = landlords.list_landlords(s, LandlordFilter(text="musterstadt"))
        assert row.free_offers == 1 and row.status_label == "aktiv" and row.kind_label == "Wohnungsgenossenschaft"
        assert landlords.get_landlord(s, landlord_id).won_on == TODAY  # newly won (active)
        assert [r.id for r in landlords.newly_won(s, TODAY, TODAY)] == [landlord_id]
        assert [n.note for n in landlords.contact_history(s, landlord_id)] == ["Zwei Wohnungen ab März frei"]
        [offer] = offers.list_offers(s, offers.OfferFilter(municipality="Löhne"))
        assert offer.gross_rent == 43000 and offer.landlord_name == "Wohnbau Musterstadt eG"
        check = offers.kdu_check(s, offer_id, 2)
        assert check.difference == 555 and check.heating == 7000
        entities = set(s.execute(select(ChangeLog.entity)).scalars())
    assert {"landlords", "flat_offers", "landlord_notes"} <= entities


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"cold_rent": None}, "cold_rent", "Kaltmiete"),
    ({"utilities": None}, "utilities", "Nebenkosten"),
    ({"floor_space_m2": 0}, "floor_space_m2", "größer als 0"),
    ({"floor_space_m2": 10_000}, "floor_space_m2", "nicht plausibel"),
    ({"municipality": "Bielefeld", "plz": ""}, "municipality", "nicht im Kreis Herford"),
    ({"plz": "32257"}, "plz", "gehört nicht zu Löhne"),
    ({"rooms": 2.3}, "rooms", "halbe Zimmer"),
])
def test_bad_offers_are_refused_with_a_german_message(district_any, change, field, message) -> None:
    store, user = district_any
    with pytest.raises(InvalidInput, match=message) as err:
        offers.save_offer(store, user, flat(**change))
    assert err.value.field == field
    with store.read_session() as s:
        assert offers.count_offers(s, offers.OfferFilter(status=None)) == 0


def test_merging_two_entries_is_reversible(district_any) -> None:
    store, user = district_any
    keep = landlords.save_landlord(store, user, LANDLORD)
    twin = landlords.save_landlord(store, user, dataclasses.replace(LANDLORD, name="Wohnbau Musterstadt"))
    offers.save_offer(store, user, flat(landlord_id=twin))
    landlords.add_contact_note(store, user, twin, TODAY, "email", "Anfrage Kaution")
    landlords.merge(store, user, keep, twin)
    with store.read_session() as s:
        rows = landlords.list_landlords(s)
        assert [r.id for r in rows] == [keep] and rows[0].free_offers == 1
        assert landlords.resolve(s, twin) == keep
        assert [n.note for n in landlords.contact_history(s, keep)] == ["Anfrage Kaution"]
    with pytest.raises(InvalidInput, match="bereits"):
        landlords.merge(store, user, keep, twin)
    landlords.undo_merge(store, user, twin)
    with store.read_session() as s:
        assert {r.id for r in landlords.list_landlords(s)} == {keep, twin}
        assert landlords.resolve(s, twin) == twin
        assert landlords.get_landlord(s, twin).name == "Wohnbau Musterstadt"


def test_a_landlord_named_in_a_proposal_is_not_deleted(district_any) -> None:
    store, user = district_any
    landlord_id = landlords.save_landlord(store, user, LANDLORD)
    offer_id = offers.save_offer(store, user, flat(landlord_id=landlord_id, status="vergeben"))
    with store.session(user.username) as s:  # a site's proposal, as the district receives it in a bundle
        s.add(Proposal(case_id=offer_id, offer_id=offer_id, landlord_id=landlord_id, landlord_name=LANDLORD.name,
                       offer_address="Lindenstraße 5, 32584 Löhne", municipality="Löhne", gross_rent=43000,
                       proposed_on=TODAY, counsellor="b.schulz", origin_site="loehne", owner_site="loehne"))
    with pytest.raises(InvalidInput, match="1 Wohnungsvorschlag verweisen noch darauf"):
        landlords.delete_landlord(store, user, landlord_id)
    with store.read_session() as s:
        row = s.get(Landlord, landlord_id)
        assert row.deleted_at is None and row.name == LANDLORD.name
    # without references it goes (as a tombstone), and the proposal still reads the copied name
    other = landlords.save_landlord(store, user, dataclasses.replace(LANDLORD, name="Einzelvermieterin"))
    landlords.delete_landlord(store, user, other)
    with store.read_session() as s:
        assert s.get(Landlord, other).deleted_at is not None
        assert [r.id for r in landlords.list_landlords(s)] == [landlord_id]


def test_site_proposals_are_accepted_or_rejected_by_the_district(district_any) -> None:
    store, user = district_any
    with store.session("b.schulz") as s:  # as if imported from Löhne's bundle
        from whh_desktop.core.store.models import RegistryRequest

        for kind, payload in ((RequestKind.LANDLORD_NEW, LANDLORD.to_payload()),
                              (RequestKind.OFFER_NEW, flat().to_payload())):
            s.add(RegistryRequest(kind=kind.value, payload=payload, requested_on=TODAY, origin_site="loehne",
                                  owner_site="loehne"))
    with store.read_session() as s:
        landlord_req, offer_req = registry.pending(s)
    assert landlord_req.summary.startswith("Wohnbau Musterstadt eG") and landlord_req.site == "loehne"
    new_id = registry.accept(store, user, landlord_req.id)
    registry.reject(store, user, offer_req.id, "Wohnung ist schon vergeben")
    with pytest.raises(InvalidInput, match="bereits entschieden"):
        registry.accept(store, user, offer_req.id)
    with store.read_session() as s:
        assert registry.pending(s) == []
        assert s.get(Landlord, new_id).owner_site == "kreis"
        done = registry.requests(s, only_pending=False)
        assert [r.decision for r in done] == ["angenommen", "abgelehnt"]


def test_market_overview_counts_free_offers_per_municipality_and_band(district_any) -> None:
    store, user = district_any
    for municipality, plz, cold in (("Löhne", "32584", 30000), ("Löhne", "32584", 45000), ("Bünde", "32257", 70000),
                                    ("Herford", "32049", 30000)):
        offers.save_offer(store, user, flat(municipality=municipality, plz=plz, cold_rent=cold, utilities=5000))
    offers.save_offer(store, user, flat(status="vergeben"))
    with store.read_session() as s:
        view = market.overview(s)
    assert view.bands[0] == "bis 400,00 €" and view.bands[-1] == "über 700,00 €"
    assert view.counts["Löhne"] == [1, 1, 0, 0, 0]
    assert view.counts["Bünde"] == [0, 0, 0, 0, 1]
    assert view.grand_total == 4 and view.total("Vlotho") == 0


def test_a_site_cannot_edit_district_rows(counsellor) -> None:
    store, user = counsellor
    with pytest.raises(PermissionDenied):
        landlords.save_landlord(store, user, LANDLORD)
    with pytest.raises(PermissionDenied):
        offers.save_offer(store, user, flat())


def test_the_landlord_status_choices(district_any) -> None:
    store, user = district_any
    with pytest.raises(InvalidInput, match="Stand der Zusammenarbeit"):
        landlords.save_landlord(store, user, dataclasses.replace(LANDLORD, cooperation_status="weg"))
    lid = landlords.save_landlord(store, user, dataclasses.replace(LANDLORD, cooperation_status="pausiert"))
    with store.read_session() as s:
        assert landlords.list_landlords(s, LandlordFilter(cooperation_status=CooperationStatus.PAUSIERT.value))[0].id \
            == lid
    offer_id = offers.save_offer(store, user, flat(landlord_id=lid))
    offers.set_status(store, user, offer_id, OfferStatus.ZURUECKGEZOGEN)
    with store.read_session() as s:
        assert s.get(FlatOffer, offer_id).status == "zurueckgezogen"
        assert landlords.references(s, lid).open_offers == 0


def test_a_new_version_is_drafted_from_the_latest_and_edited_per_area(district_any) -> None:
    from whh_desktop.core.domain import kdu

    store, user = district_any
    with store.read_session() as s:
        draft = kdu_tables.draft_version(s, date(2024, 1, 1))
    assert draft.label == "Richtwerte ab 01.01.2024" and draft.valid_until is None
    draft = kdu.with_area_values(draft, "Löhne, Vlotho", [40000, 46000, 53000, 64000, 72000], 9500)
    kdu_tables.add_version(store, user, draft)
    with store.read_session() as s:
        assert kdu_tables.limit(s, "Vlotho", 2, on=date(2024, 2, 1)) == 46000
        assert kdu_tables.limit(s, "Vlotho", 2, on=date(2023, 12, 31)) == 42445
        check = kdu_tables.check(s, "Löhne", 2, cold_rent=35000, utilities=8000, on=date(2024, 2, 1))
        assert check.appropriate and "01.01.2024" in check.table_version
    with pytest.raises(InvalidInput, match="gibt es in dieser Tabelle nicht"):
        kdu.with_area_values(draft, "Minden", [1], 1)


def test_the_flats_klimabonus_counts_in_its_kdu_check(district_any) -> None:
    from whh_desktop.core.domain import kdu

    store, user = district_any
    with store.read_session() as s:
        draft = kdu_tables.draft_version(s, date(2024, 1, 1))
    kdu_tables.add_version(store, user, dataclasses.replace(
        draft, surcharges=(kdu.Surcharge("klimabonus", "Klimabonus", basis_points=500),)))
    offer_id = offers.save_offer(store, user, flat(kdu_attributes=("klimabonus",)))
    with store.read_session() as s:
        check = offers.kdu_check(s, offer_id, 2)
        assert check.limit == 42445 + 2122 and check.surcharges == ("Klimabonus",)  # 5 % of 424,45 €, half up
        assert check.appropriate and check.difference == 43000 - 44567  # over the plain limit, within the bonus
        assert s.get(FlatOffer, offer_id).kdu_attributes == ["klimabonus"]


def test_the_district_applies_a_sites_letting_once(district_any) -> None:
    from whh_desktop.core.store.models import RegistryRequest

    store, user = district_any
    offer_id = offers.save_offer(store, user, flat())
    with store.session("b.schulz") as s:  # two sites report the same flat as let (imported from their bundles)
        for site in ("loehne", "vlotho"):
            s.add(RegistryRequest(kind=RequestKind.OFFER_LET.value, target_id=offer_id,
                                  payload={"status": "vergeben"}, requested_on=TODAY, origin_site=site,
                                  owner_site=site))
    with store.read_session() as s:
        first, second = registry.pending(s)
    assert first.summary == "Wohnung vergeben (Mietvertrag): Lindenstraße 5, Löhne"
    assert registry.accept(store, user, first.id) == offer_id
    with pytest.raises(InvalidInput, match="bereits vergeben"):
        registry.accept(store, user, second.id)
    registry.reject(store, user, second.id, "Die Wohnung hat Löhne vermittelt.")
    with store.read_session() as s:
        assert s.get(FlatOffer, offer_id).status == "vergeben" and registry.pending(s) == []


def test_payloads_of_another_program_version_are_read() -> None:
    payload = flat().to_payload() | {"energieausweis": "B"}
    assert OfferData.from_payload(payload) == flat()
    landlord = LANDLORD.to_payload() | {"steuernummer": "-"}  # a field this version does not know
    landlord["contact_persons"][0]["fax"] = "-"
    assert LandlordData.from_payload(landlord) == LANDLORD
