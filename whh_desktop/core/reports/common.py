"""Shared SQL pieces of the reports: site filter, the canonical person (linked records count once), periods."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Date, SQLColumnExpression, and_, literal, select, true, union_all
from sqlalchemy.sql import Subquery

from whh_desktop.core.domain.enums import Category
from whh_desktop.core.domain.formatting import MONTHS
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.store.dialect import min_id
from whh_desktop.core.store.models import PersonLink

NONE_KEY = "-"  # the row key of "ohne Angabe"
MAX_MONTHS = 120


def site_filter(column: SQLColumnExpression[Any], sites: Sequence[str] | None) -> ColumnElement[bool]:
    return column.in_(list(sites)) if sites else true()


def site_label(code: str | None) -> str:
    if not code:
        return "ohne Angabe"
    try:
        return SiteCode(code).label
    except ValueError:
        return code


def municipality_label(name: str | None) -> str:
    if not name:
        return "ohne Angabe"
    ags = next((m.ags for m in MUNICIPALITIES if m.name == name), None)
    return f"{name} ({ags})" if ags else name


def category_label(value: str | None) -> str:
    if not value:
        return "ohne Angabe"
    try:
        return Category(value).label
    except ValueError:
        return value


def canonical_persons() -> Subquery:
    """``(person_id, canon)`` for every person in an active "same person" link: ``canon`` is the smallest id of
    its linked group (transitively, a recursive CTE), so ``coalesce(canon, person_id)`` counts a person once
    across sites (services.duplicates.same_person, in SQL)."""
    active = and_(PersonLink.decision == "linked", PersonLink.undone_at.is_(None))
    edges = union_all(
        select(PersonLink.person_a.label("p"), PersonLink.person_b.label("q")).where(active),
        select(PersonLink.person_b.label("p"), PersonLink.person_a.label("q")).where(active),
    ).cte("link_edges")
    reach = select(edges.c.p.label("p"), edges.c.p.label("r")).cte("link_reach", recursive=True)
    reach = reach.union(select(reach.c.p, edges.c.q).where(edges.c.p == reach.c.r))
    return select(reach.c.p.label("person_id"), min_id(reach.c.r).label("canon")).group_by(reach.c.p) \
        .subquery("canonical")


@dataclass(frozen=True)
class Month:
    key: str  # "2025-03"
    first: date
    last: date

    @property
    def label(self) -> str:
        return f"{MONTHS[self.first.month - 1]} {self.first.year}"


def months(von: date, bis: date) -> list[Month]:
    out: list[Month] = []
    year, month = von.year, von.month
    while (year, month) <= (bis.year, bis.month):
        first = date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        out.append(Month(f"{year:04d}-{month:02d}", max(first, von), min(nxt - timedelta(days=1), bis)))
        year, month = nxt.year, nxt.month
    return out


def month_table(von: date, bis: date) -> Subquery:
    """The months of the period as a small derived table (key, first, last) in portable SQL (UNION ALL)."""
    parts = [select(literal(m.key).label("key"), literal(m.first, Date).label("first"),
                    literal(m.last, Date).label("last")) for m in months(von, bis)]
    return (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("months")


def check_period(von: date, bis: date) -> None:
    if bis < von:
        raise InvalidInput("Das Ende des Zeitraums liegt vor dem Anfang.", "bis")
    if len(months(von, bis)) > MAX_MONTHS:
        raise InvalidInput(f"Der Zeitraum ist zu lang (höchstens {MAX_MONTHS // 12} Jahre).", "von")


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
