"""Typed once (issue 18, point 6): the intake's tenancy address, landlord, rent and arrears feed the letters; what a
letter states comes from the case's data, and a missing field is named."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from whh_desktop.core.domain import letter_catalogue as catalogue
from whh_desktop.core.letters.fields import FIELDS, MissingFields
from whh_desktop.core.services import address_book, casework, intake, legal_state, letters
from whh_desktop.core.services.casework import EvictionData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import Case, Landlord

TODAY = date.today()
SINCE = TODAY - timedelta(days=30)


def intake_data(**overrides) -> IntakeData:
    data = IntakeData(family_name="Brinkmann", given_names="Jana", birth_date=date(1988, 1, 9), municipality="Vlotho",
                      street="Weserstraße 901", plz="32602", city="Vlotho", category="kuendigung",
                      category_since=SINCE, landlord_name="Hausverwaltung Exter KG",
                      landlord_address="Lange Straße 902, 32602 Vlotho", cold_rent=41000, utilities=9500,
                      heating=7000, arrears=123400, arrears_since=SINCE)
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def landlord_recipient(store, case_id):
    with store.read_session() as s:
        return address_book.recipients(s, ("vermieter",), case_id)[0]


def test_mietschulden_letter_takes_flat_rent_and_arrears_from_the_intake(counsellor) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, intake_data(), draft=False, today=SINCE)
    with store.read_session() as s:
        case = s.get(Case, case_id)
        assert (case.tenancy_street, case.tenancy_plz, case.tenancy_city) == ("Weserstraße 901", "32602", "Vlotho")
    jobcenter = address_book.manual("jobcenter", "Jobcenter Kreis Herford\nGeschäftsstelle Vlotho")
    draft = letters.prepare(store, user, case_id, "jc_mietschulden", jobcenter)
    assert draft.missing == []
    values = draft.values
    assert values["mietwohnung"] == "Weserstraße 901, 32602 Vlotho"
    assert values["vermieter_name"] == "Hausverwaltung Exter KG"
    assert (values["kaltmiete"], values["mietrueckstand"]) == ("410,00 €", "1.234,00 €")
    assert values["gesamtmiete"] == "575,00 €"
    text = letters.compose(draft).body
    assert "1.234,00 €" in text and "Weserstraße 901, 32602 Vlotho" in text and "Hausverwaltung Exter KG" in text


def test_letter_to_the_landlord_goes_to_the_intakes_landlord_unless_the_registry_knows_him(counsellor) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, intake_data(), draft=False, today=SINCE)
    first = landlord_recipient(store, case_id)
    assert (first.source, first.lines) == ("fall", ("Hausverwaltung Exter KG", "Lange Straße 902", "32602 Vlotho"))
    draft = letters.prepare(store, user, case_id, "vermieter_ruecknahme_kuendigung", first)
    assert draft.values["empfaenger_name"] == "Hausverwaltung Exter KG"
    with store.session(user.username) as s:
        s.add(Landlord(kind="unternehmen", name="Hausverwaltung Exter KG", sort_key="hausverwaltung exter kg",
                       street="Lange Straße 902", plz="32602", city="Vlotho", cooperation_status="aktiv",
                       contact_persons=[{"name": "Herr Tönsing"}]))
    known = landlord_recipient(store, case_id)
    assert known.source == "vermieter" and "z. Hd. Herr Tönsing" in known.lines
    with store.read_session() as s:
        listed = address_book.recipients(s, ("vermieter",), case_id)
    assert [r.name for r in listed].count("Hausverwaltung Exter KG") == 1  # not offered twice


def test_a_homeless_clients_address_is_no_tenancy_and_the_letter_says_what_is_missing(counsellor) -> None:
    store, user = counsellor
    data = intake_data(category="bei_bekannten", street="c/o Fam. Lüke, Im Winkel 903", landlord_name="",
                       landlord_address="", cold_rent=None, utilities=None, heating=None, arrears=None,
                       arrears_since=None)
    case_id, _ = intake.save_intake(store, user, data, draft=False, today=SINCE)
    jobcenter = address_book.manual("jobcenter", "Jobcenter Kreis Herford\nGeschäftsstelle Vlotho")
    draft = letters.prepare(store, user, case_id, "jc_mietschulden", jobcenter)
    assert draft.values["mietwohnung"] == ""  # never the address of the friends she stays with
    assert draft.missing == ["Anschrift der Mietwohnung", "Name des Vermieters", "Höhe des Mietrückstands"]
    with pytest.raises(MissingFields) as err:
        letters.render(draft)
    assert str(err.value) == ("Für diesen Brief fehlt: Anschrift der Mietwohnung, Name des Vermieters, "
                              "Höhe des Mietrückstands")


def test_a_case_from_before_gets_its_flat_by_the_same_rule(counsellor) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, intake_data(), draft=False, today=SINCE)
    with store.session(user.username) as s:  # as saved before the intake filled the flat's address
        case = s.execute(select(Case).where(Case.id == case_id)).scalar_one()
        case.tenancy_street = case.tenancy_plz = case.tenancy_city = None
    flat = intake.tenancy(store, user, case_id)
    assert flat.address == "Weserstraße 901, 32602 Vlotho"
    assert flat.landlord == "Hausverwaltung Exter KG, Lange Straße 902, 32602 Vlotho"


def test_a_separate_tenancy_address_wins_and_a_draft_follows_the_address(counsellor) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, intake_data(), draft=True, today=SINCE)
    loaded = intake.load_intake(store, user, case_id)
    assert (loaded.tenancy_street, loaded.tenancy_plz, loaded.tenancy_city) == ("", "", "")  # follows the address
    loaded.street = "Weserstraße 904"
    intake.save_intake(store, user, loaded, draft=True, case_id=case_id, today=SINCE)
    assert intake.tenancy(store, user, case_id).address == "Weserstraße 904, 32602 Vlotho"
    loaded.tenancy_street, loaded.tenancy_plz, loaded.tenancy_city = "Bahnhofstraße 905", "32602", "Vlotho"
    intake.save_intake(store, user, loaded, draft=False, case_id=case_id, today=SINCE)
    assert intake.tenancy(store, user, case_id).address == "Bahnhofstraße 905, 32602 Vlotho"


def test_every_tenancy_letter_needs_only_what_the_intake_recorded(counsellor) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, intake_data(), draft=False, today=SINCE)
    for kind in catalogue.CATALOGUE:
        if "mietwohnung" not in kind.required:
            continue
        who = landlord_recipient(store, case_id) if "vermieter" in kind.recipient_kinds else \
            address_book.manual(kind.recipient_kinds[0], "Jobcenter Kreis Herford\nGeschäftsstelle Vlotho")
        draft = letters.prepare(store, user, case_id, kind, who)
        typed_in_the_form = {"kuendigung_datum", "ratenhoehe", "klage_zugestellt", "antrag_datum"}
        assert set(draft.missing) <= {FIELDS[k] for k in typed_in_the_form}, kind.code


def test_the_two_year_bar_finds_a_case_saved_before_the_flat_was_stored(counsellor) -> None:
    store, user = counsellor
    old_id, old_number = intake.save_intake(store, user, intake_data(), draft=False, today=SINCE)
    new_id, _ = intake.save_intake(store, user, intake_data(family_name="Brinkmann-Hoyer"), draft=False, today=SINCE)
    with store.session(user.username) as s:  # the same client and flat; the old case as saved before
        old = s.execute(select(Case).where(Case.id == old_id)).scalar_one()
        old.tenancy_street = old.tenancy_plz = old.tenancy_city = None
        new = s.execute(select(Case).where(Case.id == new_id)).scalar_one()
        new.person_id = old.person_id
    casework.save_eviction(store, user, old_id, EvictionData(
        termination_on=TODAY - timedelta(days=500), termination_kind="fristlos_verzug",
        suit_served_on=TODAY - timedelta(days=450), cure_used_on=TODAY - timedelta(days=420), cure_method="gezahlt"))
    casework.save_eviction(store, user, new_id, EvictionData(
        termination_on=TODAY - timedelta(days=30), termination_kind="fristlos_verzug",
        suit_served_on=TODAY - timedelta(days=5)))
    state = legal_state.case_state(store, user, new_id)
    assert state.schonfrist.barred and state.schonfrist.barred_by_case == old_number
