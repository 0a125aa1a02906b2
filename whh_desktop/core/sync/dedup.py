"""Possible duplicates across sites (DESIGN.md §5): the same person advised at two sites.

Candidates are blocked cheaply, then scored: persons of different sites with the same birth date, or with the same
phonetic name (Kölner Phonetik) and the same birth year (a typo in the date), are compared with rapidfuzz on the
folded full name (word order ignored, so swapped given and family names still meet). Only identified records take
part; pseudonymous ones carry no name. Pure functions over plain rows, so they are tested without a store.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from itertools import combinations

from rapidfuzz import fuzz

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.phonetics import name_key
from whh_desktop.core.domain.text import fold

MIN_SCORE = 85          # below this two names are different people in practice (tested on the demo names)
SAME_DATE_MIN = 70      # with the very same birth date a weaker name match is still worth a look
MAX_GROUP = 400         # a birth date shared by more people is compared within phonetic groups only


@dataclass(frozen=True)
class PersonFacts:
    id: uuid.UUID
    site: str
    family_name: str
    given_names: str
    birth_date: date | None
    case_number: str = ""
    municipality: str = ""
    phone: str = ""
    street: str = ""
    plz: str = ""
    city: str = ""
    nationality: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.family_name}".strip()

    @property
    def identified(self) -> bool:
        return bool(self.family_name.strip())


@dataclass(frozen=True)
class Candidate:
    a: PersonFacts
    b: PersonFacts
    score: int
    reasons: tuple[str, ...]

    @property
    def pair(self) -> tuple[uuid.UUID, uuid.UUID]:
        return ordered(self.a.id, self.b.id)


COMPARED = (("Familienname", "family_name"), ("Vorname(n)", "given_names"), ("Geburtsdatum", "birth_date"),
            ("Standort", "site"), ("Aktenzeichen", "case_number"), ("Kommune", "municipality"),
            ("Anschrift", "street"), ("PLZ", "plz"), ("Ort", "city"), ("Telefon", "phone"),
            ("Staatsangehörigkeit", "nationality"))


def ordered(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (a, b) if a.bytes <= b.bytes else (b, a)


def side_by_side(c: Candidate) -> list[tuple[str, str, str, bool]]:
    """(label, value of a, value of b, differs) for the review screen."""
    out = []
    for label, name in COMPARED:
        va, vb = getattr(c.a, name), getattr(c.b, name)
        if isinstance(va, date) or isinstance(vb, date):
            va, vb = (fmt_date(v, empty="") for v in (va, vb))
        elif name == "nationality":
            va, vb = labels.country(va), labels.country(vb)
        va, vb = str(va or ""), str(vb or "")
        out.append((label, va, vb, fold(va) != fold(vb)))
    return out


def name_score(a: PersonFacts, b: PersonFacts) -> int:
    return round(fuzz.token_sort_ratio(fold(a.full_name), fold(b.full_name)))


def evaluate(a: PersonFacts, b: PersonFacts) -> Candidate | None:
    """Score one pair of different sites; None when they are not worth a look."""
    if a.site == b.site or not (a.identified and b.identified) or a.birth_date is None or b.birth_date is None:
        return None
    score = name_score(a, b)
    same_date = a.birth_date == b.birth_date
    same_sound = name_key(a.full_name) == name_key(b.full_name)
    reasons = []
    if same_date:
        reasons.append("gleiches Geburtsdatum")
    elif a.birth_date.year == b.birth_date.year and same_sound:
        reasons.append("gleiches Geburtsjahr, Geburtsdatum weicht ab")
    else:
        return None
    if same_sound:
        reasons.append("Name klingt gleich (Kölner Phonetik)")
    if score < (SAME_DATE_MIN if same_date else MIN_SCORE) and not same_sound:
        return None
    reasons.append(f"Namensähnlichkeit {score} %")
    if a.phone and fold(a.phone) == fold(b.phone):
        reasons.append("gleiche Telefonnummer")
    # the same sound lifts a weak spelling match (Meier/Mayer), a different date lowers the score
    combined = max(score, 90 if same_sound else 0) - (0 if same_date else 10)
    return Candidate(a, b, max(0, min(100, combined)), tuple(reasons))


def candidates(people: Iterable[PersonFacts], decided: AbstractSet[tuple[uuid.UUID, uuid.UUID]] = frozenset(),
               min_score: int = SAME_DATE_MIN) -> list[Candidate]:
    """All pairs across sites worth a review, best first; pairs already linked or dismissed are left out."""
    by_date: dict[date, list[PersonFacts]] = defaultdict(list)
    by_sound_year: dict[tuple[str, int], list[PersonFacts]] = defaultdict(list)
    for p in people:
        if not p.identified or p.birth_date is None:
            continue
        by_date[p.birth_date].append(p)
        by_sound_year[(name_key(p.full_name), p.birth_date.year)].append(p)
    found: dict[tuple[uuid.UUID, uuid.UUID], Candidate] = {}

    def consider(group: Sequence[PersonFacts]) -> None:
        if len({p.site for p in group}) < 2:
            return
        for a, b in combinations(group, 2):
            pair = ordered(a.id, b.id)
            if pair in found or pair in decided:
                continue
            c = evaluate(a, b)
            if c is not None and c.score >= min_score:
                found[pair] = c

    for group in by_date.values():
        if len(group) <= MAX_GROUP:
            consider(group)
    for group in by_sound_year.values():
        consider(group)
    return sorted(found.values(), key=lambda c: (-c.score, c.a.family_name, c.b.family_name))
