"""Consents: recording, the health tick, revocation, and the sharing gate."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import consent, intake
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.intake import IntakeData

TODAY = date.today()


def data(**kw) -> ConsentData:
    base = dict(recipients=["jobcenter", "spdi"], purpose="Sicherung der Wohnung", categories=["stammdaten"],
                health_data=False, signed_on=TODAY - timedelta(days=10), valid_from=TODAY - timedelta(days=10))
    return ConsentData(**(base | kw))


@pytest.fixture
def case(counsellor):
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(family_name="Çelik"), draft=True)
    return store, user, case_id


def test_no_consent_blocks_sharing_with_a_clear_message(case) -> None:
    store, _, case_id = case
    with store.read_session() as s:
        check = consent.check_sharing(s, case_id, ConsentRecipient.JOBCENTER)
    assert not check.allowed and "keine gültige Einwilligung" in check.message


def test_valid_consent_allows_only_named_recipients(case) -> None:
    store, user, case_id = case
    consent.record(store, user, case_id, data())
    with store.read_session() as s:
        assert consent.check_sharing(s, case_id, ConsentRecipient.JOBCENTER).allowed
        assert not consent.check_sharing(s, case_id, ConsentRecipient.VERMIETER).allowed
        health = consent.check_sharing(s, case_id, ConsentRecipient.SPDI, health=True)
    assert not health.allowed and "Gesundheitsdaten" in health.message


def test_health_data_need_their_own_tick(case) -> None:
    store, user, case_id = case
    with pytest.raises(InvalidInput, match="eigenes Häkchen"):
        consent.record(store, user, case_id, data(categories=["gesundheit"], health_data=False))
    consent.record(store, user, case_id, data(categories=["gesundheit"], health_data=True))
    with store.read_session() as s:
        assert consent.check_sharing(s, case_id, ConsentRecipient.SPDI, health=True).allowed


def test_revoked_consent_used_for_sharing_is_refused(case) -> None:
    store, user, case_id = case
    consent_id = consent.record(store, user, case_id, data())
    consent.revoke(store, user, consent_id, TODAY)
    with store.read_session() as s:
        check = consent.check_sharing(s, case_id, ConsentRecipient.JOBCENTER)
        before = consent.check_sharing(s, case_id, ConsentRecipient.JOBCENTER, on=TODAY - timedelta(days=1))
    assert not check.allowed and "widerrufen" in check.message
    assert before.allowed  # revocation works for the future only
    with pytest.raises(InvalidInput, match="bereits"):
        consent.revoke(store, user, consent_id, TODAY)


def test_expired_consent_and_bad_dates(case) -> None:
    store, user, case_id = case
    consent.record(store, user, case_id, data(valid_until=TODAY - timedelta(days=1)))
    with store.read_session() as s:
        assert not consent.check_sharing(s, case_id, ConsentRecipient.JOBCENTER).allowed
    with pytest.raises(InvalidInput, match="liegt vor"):
        consent.record(store, user, case_id, data(valid_until=TODAY - timedelta(days=30)))
    with pytest.raises(InvalidInput, match="empfangende Stelle"):
        consent.record(store, user, case_id, data(recipients=[]))
