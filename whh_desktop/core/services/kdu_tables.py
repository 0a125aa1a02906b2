"""KdU table versions in the store, and checks against them.

The district maintains the table (a new version with ``valid_from``; old versions stay, so a check of last year
can be repeated); sites receive it with the district bundle and use it for checks. Every store starts with the
2019 Kreis Herford table (seeded by migration 0003).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import karenzzeit, kdu
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import HouseholdMember, Income, KduTableVersion, Role, Setting
from whh_desktop.core.store.rows import get_live
from whh_desktop.resources import resource

SEED_FILE = ("data", "kdu-herford-2019.json")


@cache
def seed_table() -> kdu.KduTable:
    """The shipped 2019 Kreis Herford table (also what migration 0003 writes into every store)."""
    return kdu.table_from_dict(json.loads(resource(*SEED_FILE).read_text(encoding="utf-8")))


@dataclass(frozen=True)
class KduVersionRow:
    id: uuid.UUID
    label: str
    valid_from: date
    valid_until: date | None
    table: kdu.KduTable


def versions(session: Session) -> list[KduVersionRow]:
    """All table versions, oldest first."""
    rows = session.execute(select(KduTableVersion).where(KduTableVersion.deleted_at.is_(None))
                           .order_by(KduTableVersion.valid_from)).scalars()
    return [KduVersionRow(r.id, r.label, r.valid_from, r.valid_until, kdu.table_from_dict(r.data)) for r in rows]


def tables(session: Session) -> list[kdu.KduTable]:
    return [v.table for v in versions(session)] or [seed_table()]


def table_on(session: Session, day: date | None = None) -> kdu.KduTable:
    """The version valid on ``day`` (today if None)."""
    return kdu.table_for(tables(session), day or date.today())


MAX_AGE_KEY = "kdu.max_table_age_months"
BENEFIT_KINDS = ("buergergeld", "sgb_xii")  # IncomeKind values whose ``since`` is the benefit start


def max_table_age(session: Session) -> int:
    """Months after which the KdU table in use is flagged as old (a local setting, default 24)."""
    row = session.get(Setting, MAX_AGE_KEY)
    try:
        return int(row.value) if row is not None else kdu.DEFAULT_MAX_TABLE_AGE_MONTHS
    except (TypeError, ValueError):
        return kdu.DEFAULT_MAX_TABLE_AGE_MONTHS


def set_max_table_age(store: Store, user: CurrentUser, months: int) -> None:
    if user.role is not Role.KREIS and user.role is not Role.ADMIN:
        raise PermissionDenied("Das Höchstalter der KdU-Tabelle stellen Kreis oder Admin ein.")
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 120:
        raise InvalidInput("Das Höchstalter der KdU-Tabelle liegt zwischen 1 und 120 Monaten.", "max_table_age")
    with store.session(user.username) as s:
        s.merge(Setting(key=MAX_AGE_KEY, value=months))
        audit.append(s, user.username, "settings_changed", detail="kdu_max_table_age")


def table_warning(session: Session, on: date | None = None) -> str:
    """The age warning for the table in use on ``on`` (empty when it is recent enough or there is none)."""
    day = on or date.today()
    try:
        table = table_on(session, day)
    except InvalidInput:
        return ""
    return kdu.table_age_warning(table, day, max_table_age(session))


def case_benefit_start(session: Session, case_id: uuid.UUID) -> date | None:
    """When the case's benefits (SGB II or SGB XII) began, from its recorded incomes; the latest such start."""
    starts = session.execute(select(Income.since).where(
        Income.case_id == case_id, Income.kind.in_(BENEFIT_KINDS), Income.since.is_not(None),
        Income.deleted_at.is_(None))).scalars().all()
    return max((d for d in starts if d is not None), default=None)


def case_benefit_facts(session: Session, case_id: uuid.UUID) -> karenzzeit.BenefitFacts | None:
    """What the case records for the Karenzzeit: the benefit start, and a child in the household (an exception to
    the reform's cap). None when no benefit start is recorded."""
    start = case_benefit_start(session, case_id)
    if start is None:
        return None
    children = session.execute(select(HouseholdMember.id).where(
        HouseholdMember.case_id == case_id, HouseholdMember.relation == "kind",
        HouseholdMember.deleted_at.is_(None)).limit(1)).first() is not None
    return karenzzeit.BenefitFacts(start, exceptions=("kinder",) if children else ())


def check(session: Session, municipality: str, persons: int, *, cold_rent: int | None = None,
          utilities: int | None = None, gross_rent: int | None = None, heating: int | None = None,
          floor_space_m2: float | None = None, attributes: tuple[str, ...] = (), on: date | None = None,
          benefit_start: date | None = None, benefit: karenzzeit.BenefitFacts | None = None,
          case_id: uuid.UUID | None = None) -> kdu.KduCheck:
    """A KdU check with the table valid on ``on`` (today if None), the store's Karenzzeit rules and table-age
    setting; see ``domain.kdu.check``. With ``case_id`` and no benefit given, the case's recorded benefit start
    (``benefit_start``) decides the Karenzzeit rule."""
    from whh_desktop.core.services import karenzzeit_rules  # it reads the district check from here: a cycle

    day = on or date.today()
    if case_id is not None and benefit is None and benefit_start is None:
        benefit = case_benefit_facts(session, case_id)
    return kdu.check(table_on(session, day), municipality, persons, cold_rent=cold_rent, utilities=utilities,
                     gross_rent=gross_rent, heating=heating, floor_space_m2=floor_space_m2, attributes=attributes,
                     on=day, benefit_start=benefit_start, benefit=benefit, rules=karenzzeit_rules.rules(session),
                     max_table_age_months=max_table_age(session))


def limit(session: Session, municipality: str, persons: int, attributes: tuple[str, ...] = (),
          on: date | None = None) -> int:
    """The KdU limit (Bruttokaltmiete, cents) — the default maximum rent of a housing search."""
    return table_on(session, on).limit(municipality, kdu.check_persons(persons, "household_size"), attributes)


def draft_version(session: Session, valid_from: date, label: str = "") -> kdu.KduTable:
    """A new version to edit: the values of the latest version, valid from ``valid_from`` with no end. Save it
    with ``add_version`` once the form has changed its values (``kdu.with_area_values``)."""
    latest = tables(session)[-1]
    return replace(latest, valid_from=valid_from, valid_until=None,
                   label=label or f"Richtwerte ab {fmt_date(valid_from)}")


def require_district_staff(store: Store, user: CurrentUser, what: str) -> None:
    if store.info.mode != "district":
        raise PermissionDenied(f"{what} pflegt der Kreis. Änderungen kommen mit dem nächsten Paket des Kreises.")
    if user.role is not Role.KREIS:
        raise PermissionDenied(f"{what}: nur Mitarbeitende des Kreises (Rolle »Kreis«) können das ändern.")


def is_district_staff(store: Store, user: CurrentUser) -> bool:
    """``require_district_staff`` as a question: the UI offers editing (district) or proposing (sites) by it."""
    try:
        require_district_staff(store, user, "")
    except PermissionDenied:
        return False
    return True


def add_version(store: Store, user: CurrentUser, table: kdu.KduTable) -> uuid.UUID:
    """Store a new table version (district only). Refused in German when the table has a gap (a municipality,
    area value or household size missing) or its validity overlaps or leaves a gap to the other versions."""
    require_district_staff(store, user, "Die KdU-Tabelle")
    kdu.validate_table(table)
    with store.session(user.username) as s:
        existing = [v.table for v in versions(s)]
        kdu.validate_versions([*existing, table])
        row = KduTableVersion(label=table.label, valid_from=table.valid_from, valid_until=table.valid_until,
                              data=table.to_dict())
        s.add(row)
        s.flush()
        audit.append(s, user.username, "kdu_table_added", object_type="kdu_table", object_id=str(row.id),
                     detail=table.valid_from.isoformat())
        return row.id


def end_version(store: Store, user: CurrentUser, version_id: uuid.UUID, valid_until: date | None) -> None:
    """Set or clear the end of a version; the versions must still be free of gaps and overlaps."""
    require_district_staff(store, user, "Die KdU-Tabelle")
    with store.session(user.username) as s:
        row = get_live(s, KduTableVersion, version_id, "Diese Tabellenversion", gone="gibt es nicht")
        others = [v.table for v in versions(s) if v.id != version_id]
        changed = kdu.table_from_dict(row.data | {"valid_until": valid_until.isoformat() if valid_until else None})
        kdu.validate_table(changed)
        kdu.validate_versions([*others, changed])
        row.valid_until, row.data = valid_until, changed.to_dict()
        audit.append(s, user.username, "kdu_table_changed", object_type="kdu_table", object_id=str(row.id))
