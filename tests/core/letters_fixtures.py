"""A filled case for the letter tests: tenancy with arrears, eviction suit, consent, and a proposed flat."""

from __future__ import annotations

from datetime import date, timedelta

from whh_desktop.core.services import casework, consent, intake
from whh_desktop.core.services.casework import EvictionData
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.intake import HouseholdData, IncomeData, IntakeData
from whh_desktop.core.store.models import FlatOffer, Landlord, Proposal

TODAY = date.today()
KREIS = {"origin_site": "kreis", "owner_site": "kreis"}
# Fields only the form knows (not in the case): what a counsellor types in.
FORM = {"ratenhoehe": "50,00 €", "antrag_datum": TODAY.strftime("%d.%m.%Y"), "einzug_datum": "01.12.2026",
        "nachsorge_bis": "31.05.2027", "umzugskosten": "450,00 €", "antrag_gegenstand": "Übernahme der Mietschulden",
        "erstausstattung_grund": "Einzug nach Wohnungslosigkeit, kein eigener Hausrat vorhanden.",
        "bescheid_datum": "02.11.2026", "bescheid_az": "BG 32584-0001234", "ihr_zeichen": "M-4711",
        "vermieter_iban": "DE89 3704 0044 0532 0130 00"}


def make_case(store, user, family_name="Żółkiewski", given_names="Łukasz", minimal=False):
    data = IntakeData(family_name=family_name, given_names=given_names, birth_date=date(1984, 5, 17),
                      municipality="Löhne", category="raeumungsklage", category_since=TODAY - timedelta(days=40))
    if not minimal:
        data = IntakeData(
            **{**data.__dict__, "street": "Lübbecker Straße 999", "plz": "32584", "city": "Löhne",
               "landlord_name": "Wohnbau Werre GmbH", "landlord_address": "Am Markt 999, 32584 Löhne",
               "tenancy_street": "Lübbecker Straße 999", "tenancy_plz": "32584", "tenancy_city": "Löhne",
               "cold_rent": 38000, "utilities": 9000, "heating": 7000, "arrears": 141000,
               "arrears_since": TODAY - timedelta(days=120),
               "household": [HouseholdData(relation="kind", family_name=family_name, given_names="Zofia",
                                           birth_date=date(2015, 3, 1))],
               "incomes": [IncomeData(bg_number="32584BG0001234")]})
    case_id, _ = intake.save_intake(store, user, data, draft=False, today=TODAY - timedelta(days=40))
    if minimal:
        return case_id
    casework.save_eviction(store, user, case_id, EvictionData(
        termination_on=TODAY - timedelta(days=60), termination_kind="fristlos_verzug",
        suit_filed_on=TODAY - timedelta(days=20), suit_served_on=TODAY - timedelta(days=10),
        hearing_on=TODAY + timedelta(days=30), court="Amtsgericht Bad Oeynhausen", court_file_no="12 C 345/26"))
    consent.record(store, user, case_id, ConsentData(["jobcenter", "vermieter"], "Wohnungssicherung",
                                                     ["stammdaten", "wohnsituation"], False, TODAY, TODAY))
    with store.session("kreis-import") as s:
        landlord = Landlord(kind="unternehmen", name="Wohnbau Werre GmbH", sort_key="wohnbau werre gmbh",
                            street="Am Markt 999", plz="32584", city="Löhne", cooperation_status="aktiv",
                            contact_persons=[{"name": "Frau Nowak", "role": "Vermietung"}], **KREIS)
        s.add(landlord)
        s.flush()
        offer = FlatOffer(landlord_id=landlord.id, street="Teststraße 901", plz="32584", municipality="Löhne",
                          floor_space_m2=62.5, rooms=2.5, floor=1, cold_rent=33000, utilities=8000, heating=6000,
                          deposit=99000, gross_rent=41000, available_from=TODAY + timedelta(days=20), **KREIS)
        s.add(offer)
        s.flush()
        s.add(Proposal(case_id=case_id, offer_id=offer.id, landlord_id=landlord.id, landlord_name=landlord.name,
                       offer_address="Teststraße 901, 32584 Löhne", municipality="Löhne", gross_rent=41000,
                       proposed_on=TODAY, counsellor=user.username, origin_site="loehne", owner_site="loehne"))
    return case_id
