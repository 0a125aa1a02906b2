"""Correcting what was recorded in a case (issue 18 point 2): a contact (same rules as recording it, only this
site's rows, a health contact only by those who see it, audited), an existing eviction proceeding (updated in
place, its deadlines follow), a referral's Stand and note, and a consent recorded wrongly (replaced, never
rewritten)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from whh_desktop.core.domain.enums import ConsentRecipient, ReferralStatus, ReferralTarget
from whh_desktop.core.errors import InvalidInput, NotFound, OwnedByAnotherSite, PermissionDenied
from whh_desktop.core.services import case_file, casework, consent, intake, rights
from whh_desktop.core.services.access import CONFIDENTIAL
from whh_desktop.core.services.casework import ContactData, EvictionData
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.models import AuditEntry, Consent, Contact, DeadlineEntry, EvictionProceeding, Role

TODAY = date.today()
START = TODAY - timedelta(days=40)
COLLEAGUE = CurrentUser("d.vogel", "Dana Vogel", Role.BERATUNG)
LONG_NOTE = "Vermieterin angerufen, Ratenzahlung besprochen. " * 40


@pytest.fixture
def case(counsellor):
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Brandt", given_names="Ilse", birth_date=date(1962, 8, 1), municipality="Löhne",
        category="kuendigung", category_since=START, cold_rent=40000, utilities=9000), draft=False, today=START)
    return store, user, case_id


def _contact(store, user, case_id, bausteine=("3",), note="Unterlagen besprochen"):
    return casework.add_contact(store, user, case_id, ContactData(TODAY - timedelta(days=2), 30, "buero",
                                                                  list(bausteine), note, "Jobcenter anrufen"))


def _actions(store) -> list[str]:
    with store.read_session() as s:
        return list(s.execute(select(AuditEntry.action).order_by(AuditEntry.seq)).scalars())


def test_a_contact_is_corrected_and_the_change_audited(case) -> None:
    store, user, case_id = case
    contact_id = _contact(store, user, case_id)
    casework.update_contact(store, user, contact_id, ContactData(TODAY - timedelta(days=1), 50, "hausbesuch",
                                                                 ["2", "3"], LONG_NOTE, ""))
    [view] = case_file.open_case(store, user, case_id).contacts
    assert (view.id, view.on, view.minutes, view.kind, view.bausteine, view.note, view.next_step) == (
        contact_id, TODAY - timedelta(days=1), 50, "hausbesuch", ("2", "3"), LONG_NOTE, "")
    assert _actions(store).count("contact_changed") == 1


@pytest.mark.parametrize(("data", "field"), [
    (ContactData(TODAY + timedelta(days=1), 30, "buero", ["3"]), "on"),
    (ContactData(START - timedelta(days=1), 30, "buero", ["3"]), "on"),
    (ContactData(TODAY, 2000, "buero", ["3"]), "minutes"),
    (ContactData(TODAY, 30, "brieftaube", ["3"]), "kind"),
    (ContactData(TODAY, 30, "buero", ["99"]), "bausteine"),
    (ContactData(TODAY, 30, "buero", ["3"], "x" * 20_001), "note"),
])
def test_a_corrected_contact_follows_the_rules_of_recording_it(case, data, field) -> None:
    store, user, case_id = case
    contact_id = _contact(store, user, case_id)
    with pytest.raises(InvalidInput) as refused:
        casework.update_contact(store, user, contact_id, data)
    assert refused.value.field == field
    with store.read_session() as s:
        assert s.get(Contact, contact_id).note == "Unterlagen besprochen"  # nothing half-written


def test_a_colleague_cannot_overwrite_a_masked_contact_unseen(case) -> None:
    store, user, case_id = case
    secret = _contact(store, user, case_id, ["5"], "Rückfall nach der Trennung")
    with store.read_session() as s:
        [seen] = casework.contacts(s, COLLEAGUE, case_id)
    assert seen.confidential and seen.note == CONFIDENTIAL
    for bausteine in (["5"], ["3"]):  # neither overwriting nor unmasking by dropping Baustein 5
        with pytest.raises(PermissionDenied, match="vertrauliche"):
            casework.update_contact(store, COLLEAGUE, secret, ContactData(seen.on, 30, "buero", bausteine, "neu"))
    with store.read_session() as s:
        assert s.get(Contact, secret).note == "Rückfall nach der Trennung"
    # an ordinary contact the colleague sees she may correct; the counsellor corrects the health contact
    plain = _contact(store, user, case_id)
    casework.update_contact(store, COLLEAGUE, plain, ContactData(TODAY, 20, "telefon", ["3"], "Rückruf"))
    casework.update_contact(store, user, secret, ContactData(TODAY, 30, "buero", ["5"], "Entgiftung geplant"))
    with store.read_session() as s:
        assert s.get(Contact, plain).note == "Rückruf" and s.get(Contact, secret).note == "Entgiftung geplant"


def test_admins_and_restricted_cases_change_no_contact(case) -> None:
    store, user, case_id = case
    contact_id = _contact(store, user, case_id)
    admin = CurrentUser("admin", "Admin", Role.ADMIN)
    with pytest.raises(PermissionDenied, match="Admin"):
        casework.update_contact(store, admin, contact_id, ContactData(TODAY, 30, "buero", ["3"], "x"))
    rights.set_restricted(store, user, case_id, True)
    with pytest.raises(InvalidInput, match="eingeschränkt"):
        casework.update_contact(store, user, contact_id, ContactData(TODAY, 30, "buero", ["3"], "x"))


def test_another_sites_or_the_districts_contact_is_refused_in_german(case) -> None:
    store, user, case_id = case
    contact_id = _contact(store, user, case_id)
    with store.session(user.username) as s:
        s.execute(update(Contact).where(Contact.id == contact_id).values(owner_site="kreis"))
    with pytest.raises(OwnedByAnotherSite, match="Diesen Eintrag führt der Kreis"):
        casework.update_contact(store, user, contact_id, ContactData(TODAY, 30, "buero", ["3"], "x"))
    with pytest.raises(NotFound):
        casework.update_contact(store, user, case_id, ContactData(TODAY, 30, "buero", ["3"], "x"))


def test_an_existing_proceeding_is_updated_in_place_and_its_deadlines_follow(case) -> None:
    store, user, case_id = case
    first = EvictionData(termination_on=TODAY - timedelta(days=30), termination_kind="fristlos_verzug",
                         suit_filed_on=TODAY - timedelta(days=12), suit_served_on=TODAY - timedelta(days=10),
                         court="Amtsgericht Herford")
    proc_id = casework.save_eviction(store, user, case_id, first)
    [before] = case_file.open_case(store, user, case_id).deadlines
    later = EvictionData(**{**first.__dict__, "suit_served_on": TODAY - timedelta(days=5),
                            "eviction_on": TODAY + timedelta(days=50), "court_file_no": "12 C 9/26"})
    assert casework.save_eviction(store, user, case_id, later, proc_id) == proc_id
    cf = case_file.open_case(store, user, case_id)
    [proc] = cf.proceedings
    assert (proc.id, proc.suit_served_on, proc.court_file_no) == (proc_id, TODAY - timedelta(days=5), "12 C 9/26")
    due = {d.kind.value: d.due_on for d in cf.deadlines}
    assert set(due) == {"schonfrist", "raeumung"} and due["raeumung"] == TODAY + timedelta(days=50)
    assert due["schonfrist"] > before.due_on  # two months from the later service (then to a working day)
    with store.read_session() as s:
        live = s.execute(select(DeadlineEntry).where(DeadlineEntry.deleted_at.is_(None))).scalars().all()
        assert len(live) == 2  # followed, not doubled
        assert len(s.execute(select(EvictionProceeding)).scalars().all()) == 1


def test_editing_a_proceeding_of_another_case_or_a_gone_one_is_refused(case) -> None:
    store, user, case_id = case
    other, _ = intake.save_intake(store, user, IntakeData(
        family_name="Kurz", given_names="Olaf", birth_date=date(1970, 1, 2), municipality="Löhne",
        category="kuendigung", category_since=START), draft=False, today=START)
    data = EvictionData(termination_on=TODAY - timedelta(days=30), termination_kind="ordentlich")
    theirs = casework.save_eviction(store, user, other, data)
    with pytest.raises(NotFound, match="Räumungsverfahren"):
        casework.save_eviction(store, user, case_id, data, theirs)
    with pytest.raises(NotFound):
        casework.save_eviction(store, user, case_id, data, case_id)
    assert len(case_file.open_case(store, user, case_id).proceedings) == 0  # no new one in its place


def test_a_referrals_stand_and_note_are_edited_and_audited(case) -> None:
    store, user, case_id = case
    jobcenter = casework.add_referral(store, user, case_id, ReferralTarget.JOBCENTER, TODAY, "Jobcenter Löhne")
    casework.update_referral(store, user, jobcenter, ReferralStatus.ANGENOMMEN, "Termin steht", "Frau Ak anrufen")
    [view] = case_file.open_case(store, user, case_id).referrals
    assert (view.status, view.outcome, view.note) == ("angenommen", "Termin steht", "Frau Ak anrufen")
    assert "referral_changed" in _actions(store)
    spdi = casework.add_referral(store, user, case_id, ReferralTarget.SPDI, TODAY, "SpDi", "kennt Diagnose")
    with pytest.raises(PermissionDenied, match="vertraulich"):
        casework.update_referral(store, COLLEAGUE, spdi, ReferralStatus.ANGENOMMEN, note="")
    casework.update_referral(store, COLLEAGUE, spdi, ReferralStatus.ANGENOMMEN)  # the Stand alone: fine
    with store.read_session() as s:
        assert [r.note for r in casework.referrals(s, user, case_id) if r.id == spdi] == ["kennt Diagnose"]


def test_a_wrongly_recorded_consent_is_replaced_not_rewritten(case) -> None:
    store, user, case_id = case
    signed = TODAY - timedelta(days=10)
    wrong = consent.record(store, user, case_id, ConsentData(["jobcenter"], "Hilfeplanung", ["stammdaten"], False,
                                                             signed, signed, TODAY - timedelta(days=1)))
    fixed = consent.replace(store, user, wrong, ConsentData(["jobcenter", "spdi"], "Hilfeplanung",
                                                            ["stammdaten", "gesundheit"], True, signed, signed,
                                                            TODAY + timedelta(days=365), "SpDi Herford"))
    cf = case_file.open_case(store, user, case_id)
    by_id = {c.id: c for c in cf.consents}
    assert by_id[wrong].revoked_on == TODAY and by_id[wrong].recipients == ("jobcenter",)  # kept as it was
    new = by_id[fixed]
    assert (new.recipients, new.categories, new.recipient_note, new.valid_today) == (
        ("jobcenter", "spdi"), ("gesundheit", "stammdaten"), "SpDi Herford", True)
    assert cf.sharing[ConsentRecipient.SPDI.value].allowed
    assert "consent_replaced" in _actions(store)
    with pytest.raises(InvalidInput):
        consent.replace(store, user, fixed, ConsentData([], "x", ["stammdaten"], False, signed, signed))
    with store.read_session() as s:
        assert len(s.execute(select(Consent)).scalars().all()) == 2


def test_corrections_stand_in_the_case_log(case) -> None:
    store, user, case_id = case
    contact_id = _contact(store, user, case_id)
    casework.update_contact(store, user, contact_id, ContactData(TODAY, 20, "telefon", ["3"], "Rückruf"))
    log = [e.what for e in case_file.open_case(store, user, case_id).log]
    assert "Kontakt geändert (Birgit Schulz)" in log
