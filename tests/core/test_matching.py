"""Matching offers and housing searches: hard filters, soft score, German reasons, fast path equals the slow one."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.domain import kdu
from whh_desktop.core.domain.matching import (
    OfferFacts,
    OfferIndex,
    SearchFacts,
    evaluate,
    match_all,
    rank_offers,
    rank_searches,
)
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.resources import resource

TODAY = date(2026, 11, 25)
TABLE = kdu.table_from_dict(json.loads(resource("data", "kdu-herford-2019.json").read_text(encoding="utf-8")))


def offer(key: str = "o", **kw) -> OfferFacts:
    base = dict(id=key, municipality="Löhne", gross_rent=40000, rooms=2, floor_space_m2=55.0, floor=1)
    return OfferFacts(**(base | kw))


def search(key: str = "s", **kw) -> SearchFacts:
    return SearchFacts(**(dict(id=key, household_size=2) | kw))


def test_an_offer_over_the_kdu_limit_is_not_suitable_and_says_by_how_much() -> None:
    match = evaluate(search(), offer(gross_rent=43000), TABLE, TODAY)
    assert not match.suitable
    assert match.ceiling == 42445
    assert "5,55 € über der KdU-Grenze für 2 Pers. im Vergleichsraum Löhne, Vlotho" in match.blockers[0]
    assert rank_offers(search(), [offer(gross_rent=43000)], TABLE, today=TODAY) == []


def test_the_ceiling_is_the_kdu_limit_of_the_offers_area() -> None:
    offers = [offer("herford", municipality="Herford", gross_rent=49000),  # ≤ 492,70
              offer("loehne", municipality="Löhne", gross_rent=49000)]     # > 424,45
    assert [m.offer_id for m in rank_offers(search(), offers, TABLE, today=TODAY)] == ["herford"]


def test_the_searchs_own_maximum_replaces_the_kdu_limit() -> None:
    match = evaluate(search(max_rent=50000), offer(gross_rent=45000), TABLE, TODAY)
    assert match.suitable and match.ceiling == 50000
    assert "Höchstmiete der Suche" in match.reasons[0]


def test_hard_filters_rooms_barrier_free_wbs_and_pets() -> None:
    s = search(min_rooms=3, barrier_free=True, pets=True)
    blockers = evaluate(s, offer(rooms=2, wbs_required=True), TABLE, TODAY).blockers
    assert any("Nur 2 Zimmer, gesucht mindestens 3" in b for b in blockers)
    assert any("barrierefrei" in b for b in blockers)
    assert any("WBS" in b for b in blockers)
    assert any("Haustiere" in b for b in blockers)
    ok = offer(rooms=3.5, barrier_free=True, pets_allowed=True)
    assert evaluate(s, ok, TABLE, TODAY).suitable
    assert evaluate(search(has_wbs=True), offer(wbs_required=True), TABLE, TODAY).suitable


def test_floor_space_is_shown_never_a_filter() -> None:
    big = offer(floor_space_m2=120.0, gross_rent=40000)
    match = evaluate(search(household_size=1, max_rent=None), big, TABLE, TODAY)
    assert not match.suitable  # 400,00 € > 367,00 € for one person: rent decides
    match = evaluate(search(household_size=2), big, TABLE, TODAY)
    assert match.suitable
    assert any("größer als angemessen (nur Hinweis), bis 65 m²" in r for r in match.reasons)


def test_wished_municipality_ground_floor_and_early_date_rank_first() -> None:
    s = search(wanted_municipalities=frozenset({"Vlotho"}), ground_floor=True, earliest_move=TODAY)
    offers = [offer("far", municipality="Löhne", floor=3),
              offer("late", municipality="Vlotho", floor=0, available_from=TODAY + timedelta(days=95)),
              offer("best", municipality="Vlotho", floor=0, available_from=TODAY)]
    ranked = rank_offers(s, offers, TABLE, today=TODAY)
    assert [m.offer_id for m in ranked] == ["best", "late", "far"]
    assert "In der Wunschgemeinde Vlotho." in ranked[0].reasons
    assert any("nicht in den Wunschgemeinden" in r for r in ranked[2].reasons)
    assert any("Erdgeschoss gewünscht" in r for r in ranked[2].reasons)
    assert any("Frei erst ab" in r for r in ranked[1].reasons)


def test_reserved_offers_are_not_matched() -> None:
    assert rank_offers(search(), [offer(status="reserviert")], TABLE, today=TODAY) == []
    assert not evaluate(search(), offer(status="vergeben"), TABLE, TODAY).suitable


def test_households_for_an_offer_are_ranked() -> None:
    o = offer(municipality="Bünde", gross_rent=58900, rooms=4)
    households = [search("four", household_size=4, wanted_municipalities=frozenset({"Bünde"})),
                  search("two", household_size=2),
                  search("four-elsewhere", household_size=4, wanted_municipalities=frozenset({"Herford"}))]
    ranked = rank_searches(o, households, TABLE, today=TODAY)
    assert [m.search_id for m in ranked] == ["four", "four-elsewhere"]


def test_match_all_gives_each_search_its_best_offers() -> None:
    offers = [offer(str(i), gross_rent=30000 + 1000 * i) for i in range(20)]
    result = match_all([search("a"), search("b", household_size=1)], offers, TABLE, per_search=3, today=TODAY)
    assert len(result["a"]) == 3 and [m.offer_id for m in result["a"]] == ["0", "1", "2"]
    assert all(m.gross_rent <= 36700 for m in result["b"])


# ---- properties ---------------------------------------------------------------------------------------------
munis = st.sampled_from([m.name for m in MUNICIPALITIES])
days = st.one_of(st.none(), st.dates(TODAY - timedelta(days=60), TODAY + timedelta(days=400)))
offers_st = st.builds(
    OfferFacts, id=st.uuids(), municipality=munis, gross_rent=st.integers(20000, 120000),
    rooms=st.sampled_from([1, 1.5, 2, 2.5, 3, 4, 5]), floor_space_m2=st.floats(20, 150), floor=st.integers(-1, 8),
    lift=st.booleans(), barrier_free=st.booleans(), wbs_required=st.booleans(), pets_allowed=st.booleans(),
    available_from=days, status=st.sampled_from(["frei", "frei", "frei", "reserviert"]))
searches_st = st.builds(
    SearchFacts, id=st.uuids(), household_size=st.integers(1, 9),
    wanted_municipalities=st.frozensets(munis, max_size=3),
    max_rent=st.one_of(st.none(), st.integers(30000, 110000)),
    min_rooms=st.one_of(st.none(), st.sampled_from([1, 2, 3])),
    barrier_free=st.booleans(), ground_floor=st.booleans(), pets=st.booleans(), has_wbs=st.booleans(),
    earliest_move=days)


@given(searches_st, st.lists(offers_st, max_size=40))
def test_property_the_fast_ranking_returns_exactly_the_suitable_offers(s: SearchFacts,
                                                                       offers: list[OfferFacts]) -> None:
    ranked = rank_offers(s, offers, TABLE, today=TODAY)
    slow = {o.id: evaluate(s, o, TABLE, TODAY) for o in offers}
    assert {m.offer_id for m in ranked} == {k for k, m in slow.items() if m.suitable}
    for m in ranked:
        assert m.score == slow[m.offer_id].score
        assert 0 <= m.score <= 100
        assert m.gross_rent <= m.ceiling
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)


@given(offers_st, st.lists(searches_st, max_size=30))
def test_property_households_for_an_offer_agree_with_evaluate(o: OfferFacts, searches: list[SearchFacts]) -> None:
    ranked = rank_searches(o, searches, TABLE, today=TODAY)
    assert {m.search_id for m in ranked} == {s.id for s in searches if evaluate(s, o, TABLE, TODAY).suitable}


@given(searches_st, st.lists(offers_st, max_size=40), st.integers(30000, 110000), st.integers(0, 20000))
def test_property_a_higher_maximum_never_removes_offers(s: SearchFacts, offers: list[OfferFacts], low: int,
                                                        more: int) -> None:
    narrow = {m.offer_id for m in rank_offers(replace(s, max_rent=low), offers, TABLE, today=TODAY)}
    wide = {m.offer_id for m in rank_offers(replace(s, max_rent=low + more), offers, TABLE, today=TODAY)}
    assert narrow <= wide


def test_the_index_skips_offers_that_are_not_free() -> None:
    index = OfferIndex([offer("a"), offer("b", status="vergeben")], TABLE)
    assert index.size == 1


@given(searches_st, st.lists(offers_st, max_size=60), st.integers(1, 8))
def test_property_the_best_few_are_the_head_of_the_full_ranking(s: SearchFacts, offers: list[OfferFacts],
                                                                 limit: int) -> None:
    index = OfferIndex(offers, TABLE)
    full = [(p, g) for p, g, _o, _c in index.scored(s, TODAY)]
    few = [(p, g) for p, g, _o, _c in index.scored(s, TODAY, limit)]
    assert few == full[:limit]


def test_a_klimabonus_flat_may_cost_more() -> None:
    bonus = kdu.Surcharge("klimabonus", "Klimabonus", amount=2000)
    table = replace(TABLE, surcharges=(bonus,))
    green = offer("green", gross_rent=44000, kdu_attributes=frozenset({"klimabonus"}))
    plain = offer("plain", gross_rent=44000)
    match = evaluate(search(), green, table, TODAY)
    assert match.suitable and match.ceiling == 42445 + 2000
    assert "KdU-Grenze mit Klimabonus" in match.reasons[0]
    assert not evaluate(search(), plain, table, TODAY).suitable
    assert [m.offer_id for m in rank_offers(search(), [green, plain], table, today=TODAY)] == ["green"]
    assert [m.search_id for m in rank_searches(green, [search()], table, today=TODAY)] == ["s"]
