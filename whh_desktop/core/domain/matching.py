"""Matching of flat offers and housing searches: pure functions, no store.

Hard filters decide whether an offer is suitable at all: the offer is free, its Bruttokaltmiete is within the
household's ceiling (the search's own maximum, else the KdU limit of the offer's Vergleichsraum for the household
size), it has enough rooms, is barrier-free when needed, does not ask for a WBS the household lacks, and allows
pets when the household has some. Floor space is shown, never a filter (DESIGN.md §10).

A score from 0 to 100 ranks the suitable offers by soft wishes: municipality wish (40), floor (25), move date (25)
and room under the ceiling (10). Every match carries German reasons, so a counsellor sees why an offer is listed
(and, through ``evaluate``, why another one is not).

Speed: ``OfferIndex`` sorts the offers by Bruttokaltmiete within buckets of (Vergleichsraum, barrier-free, WBS,
pets), so a search bisects to the offers under its ceiling in the compatible buckets instead of testing every
offer; reasons are written only for the matches returned.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from whh_desktop.core.domain.formatting import fmt_date, fmt_money, fmt_number, plural
from whh_desktop.core.domain.kdu import KduTable, check_persons, format_area

W_MUNICIPALITY, W_FLOOR, W_MOVE, W_HEADROOM = 40, 25, 25, 10
MONTH_DAYS = 30
PENALTY_PER_MONTH = 5
FREE = "frei"


class OfferFacts(NamedTuple):
    """What matching needs of a flat offer (money in cents). A named tuple: 10 000 are built per match list."""

    id: Hashable
    municipality: str
    gross_rent: int
    rooms: float
    floor_space_m2: float = 0.0
    floor: int = 0
    lift: bool = False
    barrier_free: bool = False
    wbs_required: bool = False
    pets_allowed: bool = False
    available_from: date | None = None
    status: str = FREE
    kdu_attributes: frozenset[str] = frozenset()  # e.g. klimabonus: surcharges of the KdU table that apply


@dataclass(frozen=True, slots=True)
class SearchFacts:
    """What matching needs of a housing search. ``max_rent`` None: the KdU limit is the ceiling."""

    id: Hashable
    household_size: int
    wanted_municipalities: frozenset[str] = frozenset()
    max_rent: int | None = None
    min_rooms: float | None = None
    barrier_free: bool = False
    ground_floor: bool = False
    pets: bool = False
    has_wbs: bool = False
    earliest_move: date | None = None
    kdu_attributes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    search_id: Hashable
    offer_id: Hashable
    suitable: bool
    score: int                        # 0..100, only meaningful when suitable
    ceiling: int                      # the Bruttokaltmiete the household may pay for this flat
    gross_rent: int
    reasons: tuple[str, ...] = ()     # why it fits (and what to know), in German
    blockers: tuple[str, ...] = field(default=())  # why it does not fit

    @property
    def headroom(self) -> int:
        return self.ceiling - self.gross_rent


def ceiling(search: SearchFacts, table: KduTable, municipality: str,
            offer_attributes: frozenset[str] = frozenset()) -> int:
    """The highest Bruttokaltmiete for this household in this flat: its own maximum, or the KdU limit of the
    municipality with the surcharges for the household's and the flat's attributes."""
    if search.max_rent is not None:
        return search.max_rent
    return table.limit(municipality, search.household_size, search.kdu_attributes | offer_attributes)


# ---- scoring (integers only) ----------------------------------------------------------------------------------
def _floor_points(floor: int, lift: bool, ground_floor_needed: bool) -> int:
    if ground_floor_needed:
        return W_FLOOR if floor <= 0 else (15 if lift else 0)
    if floor <= 1 or lift:
        return W_FLOOR
    return max(5, W_FLOOR - 5 * (floor - 1))


def _move_points(available: date | None, wanted: date | None, today: date) -> int:
    start = wanted or today
    if available is None or available <= start:
        return W_MOVE
    months_late = (available - start).days // MONTH_DAYS
    return max(0, W_MOVE - PENALTY_PER_MONTH * (months_late + 1))


def _municipality_points(wanted: frozenset[str], municipality: str) -> int:
    if not wanted:
        return W_MUNICIPALITY // 2
    return W_MUNICIPALITY if municipality in wanted else 0


def _headroom_points(ceil: int, gross: int) -> int:
    return W_HEADROOM * (ceil - gross) // ceil if ceil > 0 and gross <= ceil else 0


def score(search: SearchFacts, offer: OfferFacts, ceil: int, today: date) -> int:
    return (_municipality_points(search.wanted_municipalities, offer.municipality)
            + _floor_points(offer.floor, offer.lift, search.ground_floor)
            + _move_points(offer.available_from, search.earliest_move, today)
            + _headroom_points(ceil, offer.gross_rent))


# ---- one pair, with reasons ---------------------------------------------------------------------------------
def evaluate(search: SearchFacts, offer: OfferFacts, table: KduTable, today: date | None = None) -> Match:
    """The full verdict on one pair: hard filters as blockers, soft wishes as score and reasons."""
    today = today or date.today()
    check_persons(search.household_size, "household_size")
    ceil = ceiling(search, table, offer.municipality, offer.kdu_attributes)
    blockers: list[str] = []
    if offer.status != FREE:
        blockers.append(f"Die Wohnung ist nicht frei (Status: {offer.status}).")
    if offer.gross_rent > ceil:
        what = ("der Höchstmiete der Suche" if search.max_rent is not None else
                f"der KdU-Grenze für {search.household_size} Pers. im Vergleichsraum "
                f"{table.area_of(offer.municipality).name}")
        blockers.append(f"Bruttokaltmiete {fmt_money(offer.gross_rent)} liegt "
                        f"{fmt_money(offer.gross_rent - ceil)} über {what} ({fmt_money(ceil)}).")
    if search.min_rooms is not None and offer.rooms < search.min_rooms:
        blockers.append(f"Nur {_rooms(offer.rooms)} Zimmer, gesucht mindestens {_rooms(search.min_rooms)}.")
    if search.barrier_free and not offer.barrier_free:
        blockers.append("Nicht barrierefrei, der Haushalt braucht eine barrierefreie Wohnung.")
    if offer.wbs_required and not search.has_wbs:
        blockers.append("Wohnberechtigungsschein (WBS) nötig, der Haushalt hat keinen.")
    if search.pets and not offer.pets_allowed:
        blockers.append("Haustiere sind nicht erlaubt.")
    points = score(search, offer, ceil, today) if not blockers else 0
    return Match(search.id, offer.id, not blockers, points, ceil, offer.gross_rent,
                 reasons(search, offer, ceil, table, today), tuple(blockers))


def reasons(search: SearchFacts, offer: OfferFacts, ceil: int, table: KduTable, today: date) -> tuple[str, ...]:
    out: list[str] = []
    if offer.gross_rent <= ceil:
        applied = table.applicable(search.kdu_attributes | offer.kdu_attributes) if search.max_rent is None else ()
        basis = "Höchstmiete der Suche" if search.max_rent is not None else (
            "KdU-Grenze" + (f" mit {', '.join(s.label for s in applied)}" if applied else ""))
        gap = ceil - offer.gross_rent
        out.append(f"Bruttokaltmiete {fmt_money(offer.gross_rent)}: "
                   + (f"{fmt_money(gap)} unter der {basis} ({fmt_money(ceil)})." if gap
                      else f"genau auf der {basis}."))
    wanted = search.wanted_municipalities
    if not wanted:
        out.append(f"In {offer.municipality} (keine Wunschgemeinde angegeben).")
    elif offer.municipality in wanted:
        out.append(f"In der Wunschgemeinde {offer.municipality}.")
    else:
        out.append(f"In {offer.municipality}, nicht in den Wunschgemeinden ({', '.join(sorted(wanted))}).")
    floor = "Erdgeschoss" if offer.floor == 0 else ("Souterrain" if offer.floor < 0 else f"{offer.floor}. OG")
    lift = ", mit Aufzug" if offer.lift and offer.floor > 0 else (
        ", ohne Aufzug" if offer.floor > 1 else "")
    need = " – Erdgeschoss gewünscht" if search.ground_floor and offer.floor > 0 else ""
    out.append(f"{floor}{lift}{need}.")
    start = search.earliest_move or today
    if offer.available_from is None or offer.available_from <= start:
        out.append("Sofort bezugsfrei." if offer.available_from is None or offer.available_from <= today
                   else f"Frei ab {fmt_date(offer.available_from)}, passt zum Umzugstermin.")
    else:
        days = (offer.available_from - start).days
        out.append(f"Frei erst ab {fmt_date(offer.available_from)} ({plural(days, 'Tag', 'Tage')} "
                   "nach dem gewünschten Einzug).")
    if offer.floor_space_m2:
        reasonable = table.reasonable_floor_space(search.household_size)
        note = "angemessen" if offer.floor_space_m2 <= reasonable else "größer als angemessen (nur Hinweis)"
        out.append(f"{format_area(offer.floor_space_m2)}, {_rooms(offer.rooms)} Zimmer – Wohnfläche {note}, "
                   f"bis {reasonable} m².")
    if search.barrier_free and offer.barrier_free:
        out.append("Barrierefrei.")
    if search.pets and offer.pets_allowed:
        out.append("Haustiere erlaubt.")
    return tuple(out)


def _rooms(value: float) -> str:
    return fmt_number(value, 1)


# ---- many pairs, fast ---------------------------------------------------------------------------------------
class OfferIndex:
    """Free offers bucketed by (municipality, barrier-free, WBS required, pets allowed) and sorted by
    Bruttokaltmiete within each bucket. Build once, ask for many searches."""

    def __init__(self, offers: Iterable[OfferFacts], table: KduTable) -> None:
        self.table = table
        self._area_of = {m: i for i, a in enumerate(table.areas) for m in a.municipalities}
        buckets: dict[tuple[str, bool, bool, bool, frozenset[str]], list[OfferFacts]] = {}
        for offer in offers:
            if offer.status != FREE:
                continue
            key = (offer.municipality, offer.barrier_free, offer.wbs_required, offer.pets_allowed,
                   offer.kdu_attributes)
            buckets.setdefault(key, []).append(offer)
        self._buckets = {k: sorted(v, key=lambda o: o.gross_rent) for k, v in buckets.items()}
        self._rents = {k: [o.gross_rent for o in v] for k, v in self._buckets.items()}
        self.size = sum(len(v) for v in self._buckets.values())

    def _ceiling(self, search: SearchFacts, municipality: str, offer_attributes: frozenset[str],
                 bases: list[int]) -> int:
        if search.max_rent is not None:
            return search.max_rent
        base = bases[self._area_of[municipality]]
        attributes = search.kdu_attributes | offer_attributes
        return base + sum(s.on(base) for s in self.table.applicable(attributes)) if attributes else base

    def scored(self, search: SearchFacts, today: date, limit: int | None = None
               ) -> list[tuple[int, int, OfferFacts, int]]:
        """(score, -gross_rent, offer, ceiling) of the suitable offers, best first; with ``limit`` only the best
        ``limit``. Buckets in wished municipalities come first, and once the best ``limit`` score more than an
        offer elsewhere can reach, the other municipalities are not looked at."""
        check_persons(search.household_size, "household_size")
        bases = [area.limit(search.household_size) for area in self.table.areas]
        wanted = search.wanted_municipalities
        min_rooms = search.min_rooms
        ground = search.ground_floor
        start = search.earliest_move or today
        plan = []
        for key, offers in self._buckets.items():
            municipality, barrier_free, wbs, pets, offer_attributes = key
            if (search.barrier_free and not barrier_free) or (wbs and not search.has_wbs) or (
                    search.pets and not pets):
                continue
            points = (W_MUNICIPALITY if municipality in wanted else 0) if wanted else W_MUNICIPALITY // 2
            ceil = self._ceiling(search, municipality, offer_attributes, bases)
            end = bisect_right(self._rents[key], ceil)
            if end:
                plan.append((points, ceil, offers if end == len(offers) else offers[:end]))
        plan.sort(key=lambda p: -p[0])
        best: list[tuple[int, int, OfferFacts, int]] = []
        rest = W_FLOOR + W_MOVE + W_HEADROOM
        for muni_points, ceil, offers in plan:
            if limit is not None and len(best) >= limit and muni_points + rest < best[-1][0]:
                break
            out: list[tuple[int, int, OfferFacts, int]] = []
            append = out.append
            for offer in offers:
                if min_rooms is not None and offer.rooms < min_rooms:
                    continue
                floor = offer.floor
                if ground:
                    fp = W_FLOOR if floor <= 0 else (15 if offer.lift else 0)
                else:
                    fp = W_FLOOR if floor <= 1 or offer.lift else max(5, W_FLOOR - 5 * (floor - 1))
                avail = offer.available_from
                if avail is None or avail <= start:
                    mp = W_MOVE
                else:
                    mp = max(0, W_MOVE - PENALTY_PER_MONTH * ((avail - start).days // MONTH_DAYS + 1))
                gross = offer.gross_rent
                hp = W_HEADROOM * (ceil - gross) // ceil if ceil > 0 else 0
                append((muni_points + fp + mp + hp, -gross, offer, ceil))
            if limit is None:
                best += out
            elif out:
                best = heapq.nlargest(limit, best + out, key=_rank_key)
        return best if limit is not None else sorted(best, key=_rank_key, reverse=True)


def _rank_key(item: tuple[int, int, OfferFacts, int]) -> tuple[int, int]:
    return item[0], item[1]


def rank_offers(search: SearchFacts, offers: Sequence[OfferFacts] | OfferIndex, table: KduTable,
                limit: int | None = None, today: date | None = None) -> list[Match]:
    """Suitable free offers for one search, best first (score, then cheaper), with reasons."""
    today = today or date.today()
    index = offers if isinstance(offers, OfferIndex) else OfferIndex(offers, table)
    return [Match(search.id, offer.id, True, points, ceil, offer.gross_rent,
                  reasons(search, offer, ceil, table, today))
            for points, _neg, offer, ceil in index.scored(search, today, limit)]


def rank_searches(offer: OfferFacts, searches: Iterable[SearchFacts], table: KduTable,
                  limit: int | None = None, today: date | None = None) -> list[Match]:
    """Searching households for one offer, best first (score, then the household with the most room under its
    ceiling), with reasons. Households the offer does not suit are left out."""
    today = today or date.today()
    if offer.status != FREE:
        return []
    index = OfferIndex([offer], table)
    found: list[tuple[int, int, SearchFacts, int]] = []
    for search in searches:
        for points, _neg, _offer, ceil in index.scored(search, today):
            found.append((points, ceil - offer.gross_rent, search, ceil))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    if limit is not None:
        found = found[:limit]
    return [Match(search.id, offer.id, True, points, ceil, offer.gross_rent,
                  reasons(search, offer, ceil, table, today)) for points, _room, search, ceil in found]


def match_all(searches: Iterable[SearchFacts], offers: Sequence[OfferFacts] | OfferIndex, table: KduTable,
              per_search: int = 10, today: date | None = None,
              with_reasons: bool = True) -> dict[Hashable, list[Match]]:
    """The cross product: for every search its best ``per_search`` offers (the district's overview)."""
    today = today or date.today()
    index = offers if isinstance(offers, OfferIndex) else OfferIndex(offers, table)
    out: dict[Hashable, list[Match]] = {}
    for search in searches:
        top = index.scored(search, today, per_search)
        out[search.id] = [Match(search.id, offer.id, True, points, ceil, offer.gross_rent,
                                reasons(search, offer, ceil, table, today) if with_reasons else ())
                          for points, _neg, offer, ceil in top]
    return out
