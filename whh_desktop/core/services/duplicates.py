"""Duplicate review in the district store: candidates across sites, link (same person, two records) or dismiss;
both reversible and audited. Never an automatic merge."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.errors import InvalidInput, NotFound
from whh_desktop.core.services import staff
from whh_desktop.core.services.kdu_tables import require_district_staff
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Case, Person, PersonLink
from whh_desktop.core.sync import dedup
from whh_desktop.core.sync.dedup import Candidate as Candidate  # the read models the UI shows
from whh_desktop.core.sync.dedup import PersonFacts as PersonFacts
from whh_desktop.core.sync.dedup import side_by_side as side_by_side

LINKED, DISMISSED = "linked", "dismissed"
WHAT = "Die Dublettenprüfung"


def people(session: Session) -> list[PersonFacts]:
    """Identified persons with a birth date, with the newest case number; one query, no ORM objects."""
    newest: dict[uuid.UUID, str] = {}
    for person_id, number in session.execute(select(Case.person_id, Case.case_number).where(
            Case.deleted_at.is_(None)).order_by(Case.opened_on)):
        newest[person_id] = number
    stmt = select(Person.id, Person.owner_site, Person.family_name, Person.given_names, Person.birth_date,
                  Person.municipality, Person.phone, Person.street, Person.plz, Person.city, Person.nationality
                  ).where(Person.deleted_at.is_(None), Person.birth_date.is_not(None), Person.family_name != "")
    return [PersonFacts(r[0], r[1], r[2], r[3] or "", r[4], newest.get(r[0], ""), r[5] or "", r[6] or "",
                        r[7] or "", r[8] or "", r[9] or "", r[10] or "") for r in session.execute(stmt)]


def _open_decisions(session: Session) -> list[PersonLink]:
    return list(session.execute(select(PersonLink).where(PersonLink.undone_at.is_(None))).scalars())


def candidates(session: Session, min_score: int = dedup.SAME_DATE_MIN) -> list[Candidate]:
    """Pairs to review, best first; pairs linked or dismissed (and not undone) are not shown again."""
    decided = {(d.person_a, d.person_b) for d in _open_decisions(session)}
    return dedup.candidates(people(session), decided, min_score)


def _decide(store: Store, user: CurrentUser, a: uuid.UUID, b: uuid.UUID, decision: str, score: int,
            note: str) -> uuid.UUID:
    require_district_staff(store, user, WHAT)
    if a == b:
        raise InvalidInput("Eine Person kann nicht mit sich selbst verknüpft werden.")
    first, second = dedup.ordered(a, b)
    with store.session(user.username) as s:
        for pid in (first, second):
            person = s.get(Person, pid)
            if person is None or person.deleted_at is not None:
                raise NotFound("Eine der beiden Personen ist nicht mehr im Datenbestand (gelöscht oder "
                               "inzwischen pseudonymisiert).")
        open_one = s.execute(select(PersonLink).where(PersonLink.person_a == first, PersonLink.person_b == second,
                                                      PersonLink.undone_at.is_(None))).scalar_one_or_none()
        if open_one is not None:
            label = "verknüpft" if open_one.decision == LINKED else "als verschieden markiert"
            raise InvalidInput(f"Dieses Paar wurde bereits {label}; bitte die Entscheidung erst rückgängig machen.")
        link = PersonLink(person_a=first, person_b=second, decision=decision, score=score,
                          decided_by=user.username, note=note.strip() or None)
        s.add(link)
        s.flush()
        audit.append(s, user.username, f"duplicate_{decision}", object_type="person_link", object_id=str(link.id))
        return link.id


def link(store: Store, user: CurrentUser, a: uuid.UUID, b: uuid.UUID, score: int = 0, note: str = "") -> uuid.UUID:
    """Same person: both records stay, the link says so (reports count the person once)."""
    return _decide(store, user, a, b, LINKED, score, note)


def dismiss(store: Store, user: CurrentUser, a: uuid.UUID, b: uuid.UUID, score: int = 0,
            note: str = "") -> uuid.UUID:
    """Different people: the pair is not proposed again."""
    return _decide(store, user, a, b, DISMISSED, score, note)


def undo(store: Store, user: CurrentUser, link_id: uuid.UUID) -> None:
    require_district_staff(store, user, WHAT)
    with store.session(user.username) as s:
        row = s.get(PersonLink, link_id)
        if row is None or row.undone_at is not None:
            raise NotFound("Diese Entscheidung gibt es nicht (mehr) oder sie wurde schon rückgängig gemacht.")
        row.undone_at, row.undone_by = utcnow(), user.username
        audit.append(s, user.username, f"duplicate_{row.decision}_undone", object_type="person_link",
                     object_id=str(row.id))


@dataclass(frozen=True)
class DecisionRow:
    id: uuid.UUID
    decision: str
    a: PersonFacts | None
    b: PersonFacts | None
    score: int
    decided_by: str
    decided_at: datetime
    undone_at: datetime | None
    note: str
    decided_by_name: str = ""  # the person (staff display name); decided_by stays the login

    @property
    def label(self) -> str:
        return "gleiche Person (verknüpft)" if self.decision == LINKED else "verschiedene Personen"


def decisions(session: Session, include_undone: bool = False) -> list[DecisionRow]:
    """Every decision, newest first, with both persons as they are now (None when erased since)."""
    stmt = select(PersonLink).order_by(PersonLink.decided_at.desc())
    if not include_undone:
        stmt = stmt.where(PersonLink.undone_at.is_(None))
    rows = list(session.execute(stmt).scalars())
    ids = {r.person_a for r in rows} | {r.person_b for r in rows}
    facts = {p.id: p for p in people(session) if p.id in ids}
    who = staff.names(session)
    return [DecisionRow(r.id, r.decision, facts.get(r.person_a), facts.get(r.person_b), r.score, r.decided_by,
                        r.decided_at, r.undone_at, r.note or "", staff.name_of(who, r.decided_by)) for r in rows]


def same_person(session: Session, person_id: uuid.UUID) -> set[uuid.UUID]:
    """All records linked to this person (transitively), including itself: one person for the reports."""
    links = [(r.person_a, r.person_b) for r in _open_decisions(session) if r.decision == LINKED]
    group, frontier = {person_id}, [person_id]
    while frontier:
        current = frontier.pop()
        for a, b in links:
            other = b if a == current else a if b == current else None
            if other is not None and other not in group:
                group.add(other)
                frontier.append(other)
    return group


@dataclass(frozen=True)
class Review:
    """What the Doppelungen page shows: the open candidate pairs and the decisions taken."""

    candidates: list[Candidate]
    decisions: list[DecisionRow]


def review(store: Store, user: CurrentUser) -> Review:
    """Both lists in one read session (the district holds every site's persons: run it off the GUI thread)."""
    with store.read_session() as s:
        return Review(candidates(s), decisions(s))
