"""Karenzzeit rule versions in the store (``domain/karenzzeit.py``), maintained by the district.

Like the KdU tables: the district adds a version with ``valid_from`` or changes one (e.g. fills in the local
maximum rent per m², sets an end); the sites receive the rows with the district bundle. Every store starts with the
rules shipped in ``resources/data/karenzzeit-rules.json`` (seeded by migration 0014). Overlapping validity is
refused in German.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import karenzzeit
from whh_desktop.core.services.kdu_tables import require_district_staff
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models.rules import KarenzzeitRuleVersion
from whh_desktop.core.store.rows import get_live
from whh_desktop.resources import resource

SEED_FILE = ("data", "karenzzeit-rules.json")
WHAT = "Die Karenzzeit-Regeln"


@cache
def seed_rules() -> tuple[karenzzeit.KarenzzeitRule, ...]:
    """The shipped rules (also what migration 0014 writes into every store)."""

    data = json.loads(resource(*SEED_FILE).read_text(encoding="utf-8"))
    return tuple(karenzzeit.rule_from_dict(r) for r in data["rules"])


@dataclass(frozen=True)
class RuleRow:
    id: uuid.UUID
    rule: karenzzeit.KarenzzeitRule


def _rule(row: KarenzzeitRuleVersion) -> karenzzeit.KarenzzeitRule:
    return karenzzeit.KarenzzeitRule(
        label=row.label, valid_from=row.valid_from, valid_until=row.valid_until, months=row.months,
        cap_percent=row.cap_percent, exceptions=tuple(row.exceptions or ()),
        cost_reduction_months=row.cost_reduction_months, max_rent_per_m2=row.max_rent_per_m2, source=row.source)


def versions(session: Session) -> list[RuleRow]:
    """All live rule versions, oldest first."""
    rows = session.execute(select(KarenzzeitRuleVersion).where(KarenzzeitRuleVersion.deleted_at.is_(None))
                           .order_by(KarenzzeitRuleVersion.valid_from)).scalars()
    return [RuleRow(r.id, _rule(r)) for r in rows]


def rules(session: Session) -> list[karenzzeit.KarenzzeitRule]:
    return [v.rule for v in versions(session)]


def _write(row: KarenzzeitRuleVersion, rule: karenzzeit.KarenzzeitRule) -> None:
    row.label, row.valid_from, row.valid_until = rule.label, rule.valid_from, rule.valid_until
    row.months, row.cap_percent, row.exceptions = rule.months, rule.cap_percent, list(rule.exceptions)
    row.cost_reduction_months, row.max_rent_per_m2 = rule.cost_reduction_months, rule.max_rent_per_m2
    row.source = rule.source.strip()


def add_rule(store: Store, user: CurrentUser, rule: karenzzeit.KarenzzeitRule) -> uuid.UUID:
    """A new version (district only); refused in German when it is incomplete or overlaps another version."""
    require_district_staff(store, user, WHAT)
    karenzzeit.validate_rule(rule)
    with store.session(user.username) as s:
        karenzzeit.validate_rules([*rules(s), rule])
        row = KarenzzeitRuleVersion()
        _write(row, rule)
        s.add(row)
        s.flush()
        audit.append(s, user.username, "karenzzeit_rule_added", object_type="karenzzeit_rule",
                     object_id=str(row.id), detail=rule.valid_from.isoformat())
        return row.id


def change_rule(store: Store, user: CurrentUser, rule_id: uuid.UUID, rule: karenzzeit.KarenzzeitRule) -> None:
    """Replace the values of one version (district only); the versions must stay free of overlaps."""
    require_district_staff(store, user, WHAT)
    karenzzeit.validate_rule(rule)
    with store.session(user.username) as s:
        row = get_live(s, KarenzzeitRuleVersion, rule_id, "Diese Regelversion", gone="gibt es nicht")
        karenzzeit.validate_rules([*(v.rule for v in versions(s) if v.id != rule_id), rule])
        _write(row, rule)
        audit.append(s, user.username, "karenzzeit_rule_changed", object_type="karenzzeit_rule",
                     object_id=str(row.id), detail=rule.valid_from.isoformat())
