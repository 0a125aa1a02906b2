"""A counsellor's full story in core: intake, contacts, eviction with Schonfrist, consent, referral, close."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from whh_desktop.core.domain.enums import ConsentRecipient, ContactKind, Outcome, ReferralStatus, ReferralTarget
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import cases, casework, consent, fristen, intake
from whh_desktop.core.services.casework import ContactData, EvictionData
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import AuditEntry, Case, DeadlineEntry

TODAY = date.today()


@pytest.fixture
def case(counsellor):
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Żółkiewski", given_names="Łukasz", birth_date=date(1984, 5, 17), municipality="Löhne",
        category="raeumungsklage", category_since=TODAY - timedelta(days=40), cold_rent=40000, utilities=9000),
        draft=False, today=TODAY - timedelta(days=40))
    return store, user, case_id


def test_full_story(case) -> None:
    store, user, case_id = case
    for days, kind in ((35, ContactKind.BUERO), (20, ContactKind.TELEFON), (5, ContactKind.HAUSBESUCH)):
        casework.add_contact(store, user, case_id, ContactData(TODAY - timedelta(days=days), 45, kind.value,
                                                               ["2", "3"], "Gespräch", "Jobcenter anrufen"))
    served = TODAY - timedelta(days=10)
    casework.save_eviction(store, user, case_id, EvictionData(
        termination_on=TODAY - timedelta(days=60), termination_kind="fristlos_verzug",
        suit_filed_on=TODAY - timedelta(days=20), suit_served_on=served, hearing_on=TODAY + timedelta(days=30),
        court="Amtsgericht Herford", court_file_no="12 C 345/26"))
    consent.record(store, user, case_id, ConsentData(["spdi", "jobcenter"], "Hilfeplanung", ["stammdaten"],
                                                     False, TODAY - timedelta(days=5), TODAY - timedelta(days=5)))
    with store.read_session() as s:
        assert consent.check_sharing(s, case_id, ConsentRecipient.SPDI).allowed
    referral_id = casework.add_referral(store, user, case_id, ReferralTarget.SPDI, TODAY, "SpDi Kreis Herford")
    casework.update_referral(store, user, referral_id, ReferralStatus.ANGENOMMEN, "Termin am Montag")
    with store.read_session() as s:
        assert len(casework.contacts(s, user, case_id)) == 3
        due = fristen.due_list(s, counsellor=user.username)
        assert [d.kind.value for d in due] == ["schonfrist"]
        assert due[0].computed_on >= served + timedelta(days=59)
        assert "§ 569 Abs. 3 Nr. 2 BGB" in due[0].rule
        assert fristen.badge_count(s, user.username, today=due[0].due_on) == 1
    cases.close_case(store, user, case_id, Outcome.WOHNUNG_ERHALTEN, TODAY, "Jobcenter übernimmt Rückstand")
    with store.read_session() as s:
        assert s.get(Case, case_id).status == "closed"
        assert fristen.due_list(s) == []  # closed cases leave the Fristen view
        actions = set(s.execute(select(AuditEntry.action)).scalars())
    assert {"case_created", "contact_added", "eviction_saved", "consent_recorded", "referral_added",
            "case_closed"} <= actions


def test_changing_the_served_date_recomputes_and_keeps_one_deadline(case) -> None:
    store, user, case_id = case
    proc = casework.save_eviction(store, user, case_id, EvictionData(
        termination_kind="fristlos_verzug", suit_served_on=date(2026, 1, 31)))
    casework.save_eviction(store, user, case_id, EvictionData(
        termination_kind="fristlos_verzug", suit_served_on=date(2026, 2, 6)), proc)
    with store.read_session() as s:
        live = s.execute(select(DeadlineEntry).where(DeadlineEntry.deleted_at.is_(None))).scalars().all()
    assert [(d.kind, d.due_on) for d in live] == [("schonfrist", date(2026, 4, 7))]


def test_override_needs_a_reason_and_wins(case) -> None:
    store, user, case_id = case
    casework.save_eviction(store, user, case_id, EvictionData(
        termination_kind="fristlos_verzug", suit_served_on=TODAY - timedelta(days=3)))
    with store.read_session() as s:
        item = fristen.due_list(s)[0]
    with pytest.raises(InvalidInput, match="begründen"):
        fristen.override(store, user, item.id, TODAY, "")
    fristen.override(store, user, item.id, TODAY + timedelta(days=1), "Zustellung laut Akte einen Tag später")
    with store.read_session() as s:
        again = fristen.due_list(s)[0]
    assert again.due_on == TODAY + timedelta(days=1) and again.computed_on == item.computed_on


def test_follow_ups_are_listed_overdue_first(case) -> None:
    store, user, case_id = case
    fristen.add_follow_up(store, user, case_id, TODAY + timedelta(days=3), "Nachweis Mietzahlung anfordern")
    fristen.add_follow_up(store, user, case_id, TODAY - timedelta(days=2), "Rückruf Vermieter")
    with store.read_session() as s:
        items = fristen.due_list(s)
    assert [i.note for i in items] == ["Rückruf Vermieter", "Nachweis Mietzahlung anfordern"]
    assert items[0].state(TODAY) == "überfällig"


@pytest.mark.parametrize(("data", "message"), [
    (EvictionData(termination_kind="fristlos_verzug", suit_served_on=date(2026, 5, 1), hearing_on=date(2026, 4, 1)),
     "Verhandlungstermin"),
    (EvictionData(termination_kind="fristlos_verzug", suit_filed_on=date(2026, 5, 1),
                  suit_served_on=date(2026, 4, 1)), "Einreichung"),
    (EvictionData(termination_kind="fristlos_verzug", notice_arrears=-5), "negativ"),
])
def test_inconsistent_eviction_dates_are_refused(case, data: EvictionData, message: str) -> None:
    store, user, case_id = case
    with pytest.raises(InvalidInput, match=message):
        casework.save_eviction(store, user, case_id, data)


def test_long_note_and_future_contact(case) -> None:
    store, user, case_id = case
    casework.add_contact(store, user, case_id, ContactData(TODAY, 10, "telefon", ["2"], "x" * 10_000))
    with pytest.raises(InvalidInput, match="zu lang"):
        casework.add_contact(store, user, case_id, ContactData(TODAY, 10, "telefon", ["2"], "x" * 20_001))
    with pytest.raises(InvalidInput, match="Zukunft"):
        casework.add_contact(store, user, case_id, ContactData(TODAY + timedelta(days=1), 10, "telefon", []))
    with store.read_session() as s:
        assert len(casework.contacts(s, user, case_id)[0].note) == 10_000


def test_rent_ledger_flags_termination_risk(case) -> None:
    store, user, case_id = case
    for month, paid in ((1, 49000), (2, 0), (3, 0)):
        casework.add_rent_entry(store, user, case_id, date(2026, month, 3), 49000, paid)
    with store.read_session() as s:
        risk = casework.termination_risk(s, case_id)
    assert risk is not None and risk.at_risk and risk.branch == "a" and risk.since == date(2026, 3, 3)


def test_documents_stay_inside_the_encrypted_store(case) -> None:
    store, user, case_id = case
    doc_id = casework.add_document(store, user, case_id, "Kündigungsschreiben", "application/pdf",
                                   b"%PDF-1.4 Zyxwvu-Geheim")
    with store.read_session() as s:
        assert casework.document_bytes(s, doc_id).endswith(b"Zyxwvu-Geheim")
    store.close()
    raw = b"".join(p.read_bytes() for p in store.paths.root.glob("store.whh*"))
    assert b"Zyxwvu-Geheim" not in raw


def test_case_file_has_tabs_data_and_a_chronological_log(case) -> None:
    from whh_desktop.core.services import case_file

    store, user, case_id = case
    casework.add_contact(store, user, case_id, ContactData(TODAY - timedelta(days=2), 30, "telefon", ["5"]))
    casework.save_eviction(store, user, case_id, EvictionData(
        termination_kind="fristlos_verzug", suit_served_on=TODAY - timedelta(days=1)))
    cf = case_file.open_case(store, user, case_id)
    assert cf.title.startswith("LOE-") and "Żółkiewski" in cf.title
    assert [d.kind.value for d in cf.deadlines] == ["schonfrist"]
    assert cf.bausteine == ["5"]
    assert cf.log[0].on >= cf.log[-1].on  # newest first
    assert any("Kontakt (Telefon" in e.what for e in cf.log)
    assert any("Fall angelegt" in e.what for e in cf.log)
    with store.read_session() as s:
        assert s.execute(select(AuditEntry).where(AuditEntry.action == "case_opened")).first() is not None


def test_admin_accounts_do_not_see_case_content(case, site_paths) -> None:
    from tests.conftest import ADMIN, ADMIN_PASSWORD
    from whh_desktop.core.errors import PermissionDenied
    from whh_desktop.core.services import case_file, login

    _, _, case_id = case
    admin_store, admin = login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    try:
        with pytest.raises(PermissionDenied, match="nicht Fallinhalte"):
            case_file.open_case(admin_store, admin, case_id)
        with pytest.raises(PermissionDenied):
            intake.save_intake(admin_store, admin, IntakeData(family_name="X"), draft=True)
    finally:
        admin_store.close()


def test_health_notes_only_for_the_counsellor_and_substitutes(case, site_paths) -> None:
    from tests.conftest import ADMIN, ADMIN_PASSWORD
    from whh_desktop.core.services import accounts, case_file, login
    from whh_desktop.core.store.models import Role

    store, user, case_id = case
    casework.add_contact(store, user, case_id, ContactData(TODAY, 30, "buero", ["5"], "Rückfall, Entgiftung geplant"))
    assert case_file.open_case(store, user, case_id).note_of(
        case_file.open_case(store, user, case_id).contacts[0]) == "Rückfall, Entgiftung geplant"
    admin_store, admin = login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    accounts.create_account(admin_store, admin, "d.vogel", "Dana Vogel", Role.BERATUNG, "Vogelbeere-Hang-2026")
    admin_store.close()
    colleague_store, colleague = login.unlock(site_paths, "d.vogel", "Vogelbeere-Hang-2026")
    try:
        cf = case_file.open_case(colleague_store, colleague, case_id)
        assert "vertraulich" in cf.note_of(cf.contacts[0])
        assert all("Rückfall" not in e.what for e in cf.log)
        with store.session(user.username) as s:  # named as substitute: now visible
            s.get(Case, case_id).substitutes = ["d.vogel"]
        cf = case_file.open_case(colleague_store, colleague, case_id)
        assert cf.note_of(cf.contacts[0]) == "Rückfall, Entgiftung geplant"
    finally:
        colleague_store.close()
