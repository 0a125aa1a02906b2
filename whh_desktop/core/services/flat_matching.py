"""Matching in the store: offers for a housing search, households for an offer (see ``domain.matching``).

Offers already proposed to the household are marked, not hidden, so the counsellor sees the whole picture; offers
this site has reported as reserved or let are left out even before the district confirms.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import kdu, matching
from whh_desktop.core.domain.housing import ProposalStep, SearchStatus
from whh_desktop.core.services import housing_search, kdu_tables, offers
from whh_desktop.core.store.models import Case, ChangeLog, FlatOffer, HousingSearch, Landlord, Person, Proposal


@dataclass(frozen=True)
class OfferMatch:
    """One suitable offer for a search, with what the match list shows."""

    offer: offers.OfferRow
    score: int
    ceiling: int
    reasons: tuple[str, ...]
    already_proposed: bool


@dataclass(frozen=True)
class HouseholdMatch:
    """One searching household for an offer."""

    search_id: uuid.UUID
    case_id: uuid.UUID
    case_number: str
    family_name: str
    given_names: str
    household_size: int
    score: int
    ceiling: int
    reasons: tuple[str, ...]
    already_proposed: bool


# The offer index of the last read, per store file, with the change_log position it was built at. Every synced
# write (offers, status requests, decisions, imports) adds a change_log row, so a new position means "rebuild";
# the same position means the offers are as they were. Only read sessions fill it: a write transaction could
# still roll back and hand its sequence numbers to different rows.
_INDEX_CACHE: dict[str, tuple[tuple[int | None, kdu.KduTable], matching.OfferIndex]] = {}


def offer_index(session: Session, table: kdu.KduTable) -> matching.OfferIndex:
    """The free offers (with this store's pending status requests applied) indexed for matching."""
    reading = session.info.get("actor") is None
    store_key = str(session.get_bind().engine.url)
    stamp = (session.execute(select(func.max(ChangeLog.seq))).scalar(), table) if reading else None
    cached = _INDEX_CACHE.get(store_key)
    if stamp is not None and cached is not None and cached[0] == stamp:
        return cached[1]
    index = matching.OfferIndex(offers.offer_facts(session), table)
    if stamp is not None:
        _INDEX_CACHE[store_key] = (stamp, index)
    return index


def offers_for_search(session: Session, search_id: uuid.UUID, limit: int | None = 50,
                      today: date | None = None) -> list[OfferMatch]:
    """Suitable free offers for the search, best first, with German reasons."""
    today = today or date.today()
    search = housing_search.get_search(session, search_id)
    table = kdu_tables.table_on(session, today)
    ranked = matching.rank_offers(housing_search.facts_of(search), offer_index(session, table), table, limit, today)
    proposed = {i.hex for i in session.execute(select(Proposal.offer_id).where(
        Proposal.case_id == search.case_id, Proposal.deleted_at.is_(None))).scalars()}
    rows = _offer_rows(session, [uuid.UUID(str(m.offer_id)) for m in ranked])
    return [OfferMatch(rows[m.offer_id], m.score, m.ceiling, m.reasons, m.offer_id in proposed)
            for m in ranked if m.offer_id in rows]


def _offer_rows(session: Session, ids: list[uuid.UUID]) -> dict[str, offers.OfferRow]:
    """Rows by the ids' hex keys (as ``offers.offer_facts`` gives them)."""
    out: dict[str, offers.OfferRow] = {}
    for start in range(0, len(ids), 500):
        stmt = (select(*offers._ROW_COLUMNS).outerjoin(Landlord, Landlord.id == FlatOffer.landlord_id)
                .where(FlatOffer.id.in_(ids[start:start + 500])))
        for r in session.execute(stmt):
            out[r[0].hex] = offers.offer_row(r)
    return out


def households_for_offer(session: Session, offer_id: uuid.UUID, limit: int | None = 50,
                         today: date | None = None) -> list[HouseholdMatch]:
    """Active housing searches this offer suits, best first."""
    today = today or date.today()
    row = offers.get_offer(session, offer_id)
    status = offers.effective_statuses(session).get(row.id, row.status)
    table = kdu_tables.table_on(session, today)
    ranked = matching.rank_searches(offers.facts_of(row, status), housing_search.search_facts(session), table,
                                    limit, today)
    if not ranked:
        return []
    ids = [m.search_id for m in ranked]
    info = {r[0]: r[1:] for r in session.execute(
        select(HousingSearch.id, HousingSearch.case_id, Case.case_number, Person.family_name, Person.given_names,
               HousingSearch.household_size)
        .join(Case, Case.id == HousingSearch.case_id).join(Person, Person.id == Case.person_id)
        .where(HousingSearch.id.in_(ids)))}
    proposed = set(session.execute(select(Proposal.case_id).where(
        Proposal.offer_id == offer_id, Proposal.deleted_at.is_(None),
        Proposal.step != ProposalStep.ABSAGE.value)).scalars())
    return [HouseholdMatch(sid, *info[sid], m.score, m.ceiling, m.reasons, info[sid][0] in proposed)
            for m in ranked if (sid := cast(uuid.UUID, m.search_id)) in info]  # searches are ranked by their ids


def explain(session: Session, search_id: uuid.UUID, offer_id: uuid.UUID, today: date | None = None
            ) -> matching.Match:
    """Why an offer does (reasons) or does not (blockers) suit a search."""
    today = today or date.today()
    search = housing_search.get_search(session, search_id)
    row = offers.get_offer(session, offer_id)
    status = offers.effective_statuses(session).get(row.id, row.status)
    return matching.evaluate(housing_search.facts_of(search), offers.facts_of(row, status),
                             kdu_tables.table_on(session, today), today)


def all_matches(session: Session, per_search: int = 10, today: date | None = None
                ) -> dict[uuid.UUID, list[matching.Match]]:
    """The district's overview: for every active search (by id) its best offers; ``Match.offer_id`` is the
    offer id's hex text (``uuid.UUID(match.offer_id)``), see ``offers.offer_facts``."""
    today = today or date.today()
    table = kdu_tables.table_on(session, today)
    ranked = matching.match_all(housing_search.search_facts(session, SearchStatus.AKTIV.value),
                                offer_index(session, table), table, per_search, today)
    return cast(dict[uuid.UUID, list[matching.Match]], ranked)  # the searches' keys are their ids
