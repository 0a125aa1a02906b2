"""Read models of Wohnungssuche (the area and the search form): each call opens its own read session and returns
frozen values, so the UI never holds a session or a store row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from whh_desktop.core.domain import kdu
from whh_desktop.core.domain.housing import SearchStatus
from whh_desktop.core.services import flat_matching, housing_search, kdu_tables, offers
from whh_desktop.core.services.housing_search import SearchData, SearchRow
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import HousingSearch


def searching_households(store: Store, user: CurrentUser, status: str | None = SearchStatus.AKTIV.value,
                         municipality: str | None = None) -> list[SearchRow]:
    with store.read_session() as s:
        return housing_search.list_searches(s, status, municipality)


def flats_for_search(store: Store, user: CurrentUser, search_id: uuid.UUID,
                     limit: int | None = 50) -> list[flat_matching.OfferMatch]:
    with store.read_session() as s:
        return flat_matching.offers_for_search(s, search_id, limit=limit)


def households_for_flat(store: Store, user: CurrentUser, offer_id: uuid.UUID,
                        limit: int | None = 50) -> list[flat_matching.HouseholdMatch]:
    with store.read_session() as s:
        return flat_matching.households_for_offer(s, offer_id, limit=limit)


def free_flats(store: Store, user: CurrentUser, flt: offers.OfferFilter, limit: int | None = None
               ) -> list[offers.OfferRow]:
    """Free offers to match; an offer this store reported reserved or let (the district not yet told) is left
    out, as it is no longer free here."""
    with store.read_session() as s:
        rows = offers.list_offers(s, flt, limit=limit)
        pending = offers.effective_statuses(s)
    return [r for r in rows if pending.get(r.id, r.status) == r.status]


@dataclass(frozen=True)
class SearchForm:
    """What the housing search form starts from: the saved values (None for a new search) and the KdU table's
    surcharges a household may claim."""

    saved: SearchData | None
    surcharges: tuple[kdu.Surcharge, ...]


def _search_data(row: HousingSearch) -> SearchData:
    return SearchData(
        household_size=row.household_size, member_ids=tuple(uuid.UUID(str(m)) for m in row.member_ids or ()),
        wanted_municipalities=tuple(row.wanted_municipalities or ()), max_rent=row.max_rent,
        min_rooms=row.min_rooms, barrier_free=bool(row.barrier_free), ground_floor=bool(row.ground_floor),
        pets=bool(row.pets), has_wbs=bool(row.has_wbs), earliest_move=row.earliest_move,
        special_needs=row.special_needs or "", kdu_attributes=tuple(row.kdu_attributes or ()), status=row.status)


def search_form(store: Store, user: CurrentUser, search_id: uuid.UUID | None) -> SearchForm:
    with store.read_session() as s:
        saved = _search_data(housing_search.get_search(s, search_id)) if search_id else None
        return SearchForm(saved, tuple(kdu_tables.table_on(s).surcharges))


def default_limits(store: Store, user: CurrentUser, municipalities: list[str], persons: int,
                   attributes: tuple[str, ...] = ()) -> dict[str, int]:
    """The KdU limit in each place: the maximum rent of a search while its field is empty."""
    with store.read_session() as s:
        return {m: housing_search.default_max_rent(s, m, persons, attributes) for m in municipalities}


def newest_search_of_case(store: Store, user: CurrentUser, case_id: uuid.UUID) -> uuid.UUID | None:
    with store.read_session() as s:
        found = housing_search.searches_of_case(s, case_id)
    return found[0].id if found else None
