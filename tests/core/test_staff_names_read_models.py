"""Staff display names where a person is meant (issue 18, point 6): the read models carry the name next to the
login, which stays the identifier; a login this store has no account for is shown as it is."""

from __future__ import annotations

from datetime import date

from tests.conftest import ADMIN, KREIS_USER
from whh_desktop.core.services import audit_log, duplicates, intake, landlords, staff
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.landlords import LandlordData
from whh_desktop.core.store.models import Case, LandlordNote


def test_names_and_unknown_logins(unlocked) -> None:
    store, _ = unlocked
    with store.read_session() as s:
        who = staff.names(s)
    assert who[ADMIN] == "Anna Becker"
    assert staff.name_of(who, "x.fremd") == "x.fremd" and staff.name_of(who, None) == ""


def test_audit_log_landlord_history_and_duplicate_decisions_name_the_person(district) -> None:
    store, user = district
    landlord_id = landlords.save_landlord(store, user, LandlordData(name="Wohnbau Aa GmbH", kind="unternehmen"))
    landlords.add_contact_note(store, user, landlord_id, date(2026, 11, 2), "telefon", "Rückruf zugesagt")
    with store.session("x.fremd") as s:  # a note that came with a site's bundle: its author is no account here
        s.add(LandlordNote(landlord_id=landlord_id, on=date(2026, 11, 1), way="telefon", note="Besichtigung",
                           author="x.fremd"))
    with store.read_session() as s:
        history = landlords.contact_history(s, landlord_id)
    assert [(n.author, n.author_name) for n in history] == [(KREIS_USER, "Clara Krüger"), ("x.fremd", "x.fremd")]

    ids = []
    for given in ("Jan", "Jan"):
        case_id, _ = intake.save_intake(store, user, IntakeData(family_name="Brandt", given_names=given,
                                                                birth_date=date(1970, 1, 1), municipality="Enger",
                                                                category="ohne_unterkunft",
                                                                category_since=date(2026, 1, 1)), draft=False)
        ids.append(case_id)
    with store.read_session() as s:
        persons = [s.get(Case, c).person_id for c in ids]
    duplicates.link(store, user, *persons)
    with store.read_session() as s:
        decision = duplicates.decisions(s)[0]
    assert (decision.decided_by, decision.decided_by_name) == (KREIS_USER, "Clara Krüger")

    entries = audit_log.latest(store, user).entries
    own = [e for e in entries if e.actor == KREIS_USER]
    assert own and all(e.actor_name == "Clara Krüger" for e in own)
