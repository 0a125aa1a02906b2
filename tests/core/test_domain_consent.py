"""The consent rules in the domain read any value with a consent's attributes: a stored row (tests/core/
test_consent.py), a row of the exporter's bulk query, or a plain value as here, with the same German answers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.domain.consent import is_valid, sharing_check
from whh_desktop.core.domain.enums import ConsentRecipient

ON = date(2026, 11, 20)


@dataclass(frozen=True)
class Terms:
    signed_on: date = date(2026, 3, 2)
    valid_from: date = date(2026, 3, 2)
    valid_until: date | None = None
    revoked_on: date | None = None
    deleted_at: datetime | None = None
    recipients: tuple[str, ...] = ("jobcenter",)
    health_data: bool = False
    id: uuid.UUID = field(default_factory=uuid.uuid4)


def test_a_valid_consent_names_its_recipient_and_its_date() -> None:
    terms = Terms()
    check = sharing_check([terms], ConsentRecipient.JOBCENTER, on=ON)
    assert (check.allowed, check.message, check.consent_id) == (True, "Einwilligung vom 02.03.2026 liegt vor.",
                                                                terms.id)
    refused = sharing_check([terms], ConsentRecipient.SOZIALAMT, on=ON)  # a Jobcenter consent does not cover it
    assert not refused.allowed
    assert refused.message == ("Es liegt keine gültige Einwilligung für Sozialamt vor. Bitte zuerst eine "
                               "Einwilligung erfassen.")


def test_health_data_need_the_tick_and_a_revocation_is_named() -> None:
    health = sharing_check([Terms(recipients=("spdi",))], ConsentRecipient.SPDI, health=True, on=ON)
    assert not health.allowed
    assert health.message == "Die Einwilligung vom 02.03.2026 deckt keine Gesundheitsdaten für SpDi ab."
    revoked = sharing_check([Terms(revoked_on=date(2026, 10, 1))], ConsentRecipient.JOBCENTER, on=ON)
    assert not revoked.allowed
    assert revoked.message == ("Die Einwilligung für Jobcenter wurde am 01.10.2026 widerrufen. Daten dürfen nicht "
                               "weitergegeben werden.")


@given(start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
       length=st.none() | st.integers(min_value=0, max_value=2000),
       revoked_after=st.none() | st.integers(min_value=0, max_value=2000),
       day=st.dates(min_value=date(2019, 1, 1), max_value=date(2036, 12, 31)))
def test_a_consent_is_valid_from_its_start_to_its_end_and_before_its_revocation(start, length, revoked_after,
                                                                                 day) -> None:
    until = None if length is None else date.fromordinal(start.toordinal() + length)
    revoked = None if revoked_after is None else date.fromordinal(start.toordinal() + revoked_after)
    terms = Terms(valid_from=start, valid_until=until, revoked_on=revoked)
    expected = start <= day and (until is None or day <= until) and (revoked is None or day < revoked)
    assert is_valid(terms, day) is expected
    assert not is_valid(Terms(valid_from=start, deleted_at=datetime(2026, 1, 1)), day)
