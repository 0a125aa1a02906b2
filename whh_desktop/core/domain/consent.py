"""The consent rules (Einwilligung / Schweigepflichtentbindung): when a consent is valid and whether the consents
of a case allow sharing with a recipient. Pure: they read any object with the consent's attributes (a stored row,
a row of a bulk query), so services, letters and the exchange apply one rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.domain.formatting import fmt_date


class ConsentPeriod(Protocol):
    """What validity needs of a consent."""

    @property
    def deleted_at(self) -> datetime | None: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_until(self) -> date | None: ...
    @property
    def revoked_on(self) -> date | None: ...


class ConsentTerms(ConsentPeriod, Protocol):
    """What the sharing check needs of a consent."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def recipients(self) -> Sequence[str]: ...
    @property
    def health_data(self) -> bool: ...
    @property
    def signed_on(self) -> date: ...


def is_valid(consent: ConsentPeriod, on: date) -> bool:
    return (consent.deleted_at is None and consent.valid_from <= on
            and (consent.valid_until is None or on <= consent.valid_until)
            and (consent.revoked_on is None or on < consent.revoked_on))


@dataclass(frozen=True)
class SharingCheck:
    allowed: bool
    message: str
    consent_id: uuid.UUID | None = None


def sharing_check(consents: Iterable[ConsentTerms], recipient: ConsentRecipient, *, health: bool = False,
                  on: date) -> SharingCheck:
    """Do the consents of a case name ``recipient`` validly on ``on`` (with the health tick where ``health``)?"""
    consents = list(consents)
    revoked = [c for c in consents if recipient.value in c.recipients and c.revoked_on and c.revoked_on <= on]
    for c in consents:
        if recipient.value in c.recipients and is_valid(c, on):
            if health and not c.health_data:
                return SharingCheck(False, f"Die Einwilligung vom {fmt_date(c.signed_on)} deckt keine "
                                           f"Gesundheitsdaten für {recipient.label} ab.", c.id)
            return SharingCheck(True, f"Einwilligung vom {fmt_date(c.signed_on)} liegt vor.", c.id)
    if revoked:
        return SharingCheck(False, f"Die Einwilligung für {recipient.label} wurde am "
                                   f"{fmt_date(revoked[0].revoked_on)} widerrufen. Daten dürfen nicht weitergegeben "
                                   "werden.")
    return SharingCheck(False, f"Es liegt keine gültige Einwilligung für {recipient.label} vor. Bitte zuerst eine "
                               "Einwilligung erfassen.")
