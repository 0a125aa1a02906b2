"""Read models of the district's rule pages and the KdU check dialog: KdU table versions, the table-age warning,
Karenzzeit rules, Amtsgerichte, and a check with the store's table. Each call reads in its own session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from whh_desktop.core.domain import karenzzeit, kdu
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import courts, karenzzeit_rules, kdu_tables
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store


@dataclass(frozen=True)
class KduVersions:
    versions: list[kdu_tables.KduVersionRow]  # oldest first
    current_from: date | None                 # valid_from of the version in use today (None: none covers today)


def kdu_versions(store: Store, user: CurrentUser) -> KduVersions:
    with store.read_session() as s:
        found = kdu_tables.versions(s)
        try:
            current: date | None = kdu_tables.table_on(s).valid_from
        except InvalidInput:
            current = None
    return KduVersions(found, current)


@dataclass(frozen=True)
class TableAge:
    max_months: int  # from this age on the table in use is flagged
    warning: str     # "" while the table in use is recent enough


def table_age(store: Store, user: CurrentUser) -> TableAge:
    with store.read_session() as s:
        return TableAge(kdu_tables.max_table_age(s), kdu_tables.table_warning(s))


def karenzzeit_versions(store: Store, user: CurrentUser) -> list[karenzzeit_rules.RuleRow]:
    with store.read_session() as s:
        return karenzzeit_rules.versions(s)


def court_list(store: Store, user: CurrentUser) -> list[courts.CourtRow]:
    with store.read_session() as s:
        return courts.courts(s)


def case_benefit(store: Store, user: CurrentUser | None, case_id: uuid.UUID) -> karenzzeit.BenefitFacts | None:
    """What the case records for the Karenzzeit (benefit start, a child in the household), None without a start."""
    with store.read_session() as s:
        return kdu_tables.case_benefit_facts(s, case_id)


def kdu_check(store: Store, user: CurrentUser, municipality: str, persons: int, *, cold_rent: int | None,
              utilities: int | None, heating: int | None,
              benefit: karenzzeit.BenefitFacts | None) -> kdu.KduCheck:
    """The check of ``whh kdu check`` with the store's table, rules and table-age setting."""
    with store.read_session() as s:
        return kdu_tables.check(s, municipality, persons, cold_rent=cold_rent, utilities=utilities,
                                heating=heating, benefit=benefit)
