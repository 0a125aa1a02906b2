"""Special-category content in what a site sends the district (DESIGN.md §10, Art. 9 GDPR / § 13 DSG-EKD).

A Kreis consent lets a case go out identified; it covers health and addiction content only when its separate
»Gesundheitsdaten« tick is set. Without such a consent the health fields of the case's rows leave as NULL, so the
district never learns them: the note and next step of a Baustein 4/5 contact, the note and outcome of a SpDi or
Suchthilfe referral, the task of a help plan service with health involvement (the same rows ``access.health_mask``
masks for colleagues). The Suchthilfe pathway never leaves the site at all (it is not in ``payload.SITE_MODELS``).

The rows themselves still go out (date, kind, Baustein, target), as the consent for the case allows; only the
content is withheld. Every blanked column is nullable, so the district validates such rows like any other.

The district keeps what it has until a newer version of a row arrives. So when a Kreis consent with the health tick
is recorded or revoked (``consent.record``/``revoke``), or runs out by date (``lapsed_rows`` before each export), the
case's health rows get a new version (``resend``) and go out again, with the content or without it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from whh_desktop.core.domain.consent import is_valid
from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.domain.health import is_health_referral, is_health_related, is_health_service
from whh_desktop.core.store import dialect
from whh_desktop.core.store.base import SyncMixin
from whh_desktop.core.store.models import Consent, Contact, HelpPlanService, Referral
from whh_desktop.core.sync import payload as pl

KREIS = ConsentRecipient.KREIS.value
IN_CHUNK = 900


@lru_cache(maxsize=4096)  # a few distinct Baustein lists across a million contacts of a full export
def _health_bausteine(text: str | None) -> bool:
    return is_health_related([str(b) for b in (pl._out_json(text) or ())])


# entity → (which rows are special, the columns withheld from the district without a health consent)
SPECIAL: dict[str, tuple[str, Callable[[Any], bool], tuple[str, ...]]] = {
    "contacts": ("bausteine", _health_bausteine, ("note", "next_step")),
    "referrals": ("target", lambda v: is_health_referral(str(v)), ("note", "outcome")),
    "help_plan_services": ("kind", lambda v: is_health_service(str(v)), ("task",)),
}


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def health_cases(session: Session, case_ids: Iterable[str], today: date) -> set[str]:
    """The cases (32-hex ids, as stored) with a valid Kreis consent that carries the health tick."""
    ids = sorted(set(case_ids))
    raw = dialect.storage(session.connection())
    out: set[str] = set()
    for i in range(0, len(ids), IN_CHUNK):
        chunk = ids[i:i + IN_CHUNK]
        rows = raw.execute(
            "SELECT case_id, recipients, valid_from, valid_until, revoked_on, deleted_at FROM consents "
            f"WHERE health_data = TRUE AND case_id IN ({','.join('?' * len(chunk))})", tuple(chunk)).fetchall()
        for case_hex, recipients, valid_from, valid_until, revoked_on, deleted_at in rows:
            if case_hex in out or KREIS not in (pl._out_json(recipients) or ()):
                continue
            consent = SimpleNamespace(deleted_at=deleted_at, valid_from=_date(valid_from),
                                      valid_until=_date(valid_until), revoked_on=_date(revoked_on))
            if is_valid(consent, today):  # type: ignore[arg-type]
                out.add(case_hex)
    return out


def withhold_health(session: Session, rows: dict[str, list[tuple[Any, ...]]], today: date) -> None:
    """Blank, in place, the special-category columns of the rows of cases without a health consent for the Kreis."""
    present = {e: rows[e] for e in SPECIAL if rows.get(e)}
    if not present:
        return
    case_at = {e: pl.column_names(e).index("case_id") for e in present}
    allowed = health_cases(session, {r[case_at[e]] for e, rs in present.items() for r in rs}, today)
    for entity, entity_rows in present.items():
        names = pl.column_names(entity)
        column, special, hidden = SPECIAL[entity]
        flag_at, hidden_at = names.index(column), [names.index(c) for c in hidden]
        for n, r in enumerate(entity_rows):
            if r[case_at[entity]] in allowed or not special(r[flag_at]):
                continue
            if all(r[i] is None for i in hidden_at):
                continue
            blanked = list(r)
            for i in hidden_at:
                blanked[i] = None
            entity_rows[n] = tuple(blanked)


# ---- keeping the district's copy in step with the consent ---------------------------------------------------------
_ORM_SPECIAL: tuple[tuple[type[Any], Callable[[Any], bool], str], ...] = (
    (Contact, lambda r: is_health_related(r.bausteine), "note"),
    (Referral, lambda r: is_health_referral(r.target), "note"),
    (HelpPlanService, lambda r: is_health_service(r.kind), "task"),
)


def health_rows(session: Session, case_ids: Iterable[uuid.UUID]) -> list[Any]:
    """The live rows of these cases that hold health content (rows of the ``_ORM_SPECIAL`` models)."""
    ids = sorted(set(case_ids))
    out: list[Any] = []
    for i in range(0, len(ids), IN_CHUNK):
        for model, special, _column in _ORM_SPECIAL:
            out += [r for r in session.execute(select(model).where(model.case_id.in_(ids[i:i + IN_CHUNK]),
                                                                   model.deleted_at.is_(None))).scalars()
                    if special(r)]
    return out


def resend(rows: Iterable[SyncMixin]) -> None:
    """Give each row a new version (the flush writes version + 1 and a change_log row): the next export sends it."""
    columns = {model: column for model, _special, column in _ORM_SPECIAL}
    for row in rows:
        flag_modified(row, columns[type(row)])


def lapsed_rows(session: Session, today: date) -> list[SyncMixin]:
    """Health rows whose last version was made while a Kreis consent with the health tick still covered them, for
    cases no such consent covers any more because its »gültig bis« (or a revocation dated ahead) has passed: the
    district may hold their content. Once resent, their version is newer than the end and they are not listed
    again."""
    ended: dict[uuid.UUID, date] = {}
    for c in session.execute(select(Consent).where(Consent.health_data.is_(True), Consent.deleted_at.is_(None))
                             .where((Consent.valid_until < today) | (Consent.revoked_on <= today))).scalars():
        if KREIS not in (c.recipients or []):
            continue
        ends = [d for d in (c.valid_until + timedelta(days=1) if c.valid_until else None, c.revoked_on) if d]
        end = min(ends)
        ended[c.case_id] = max(end, ended.get(c.case_id, end))
    if not ended:
        return []
    still = health_cases(session, (c.hex for c in ended), today)
    cases = {c: e for c, e in ended.items() if c.hex not in still}
    return [r for r in health_rows(session, cases)
            if r.updated_at is None or r.updated_at < datetime.combine(cases[r.case_id], time(), r.updated_at.tzinfo)]
