"""A hand-built district store for the report tests: every figure below is counted by hand (see the test files).

Period 2025, NRW Stichtag 30.06.2025, WoBerichtsG Stichtag 31.01.2026.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from whh_desktop.core.store.models import (
    Case,
    CategoryEntry,
    Contact,
    HouseholdMember,
    Landlord,
    Person,
    PersonLink,
    Proposal,
    Referral,
)


@dataclass
class World:
    store: object
    user: object
    cases: dict[str, uuid.UUID] = field(default_factory=dict)
    persons: dict[str, uuid.UUID] = field(default_factory=dict)


def build(store, user) -> World:
    world = World(store, user)
    numbers = iter(range(1, 1000))
    with store.session("import") as s:
        def person(key: str, site: str, born: date | None, sex: str, nationality: str | None) -> uuid.UUID:
            p = Person(family_name=f"Fiktiv{key}", given_names="Test", birth_date=born, sex=sex,
                       nationality=nationality, origin_site=site, owner_site=site)
            s.add(p)
            s.flush()
            world.persons[key] = p.id
            return p.id

        def case(key: str, site: str, person_key: str, opened: date, municipality: str | None,
                 categories: list[tuple[str, date]], closed: date | None = None, outcome: str | None = None,
                 members: tuple[tuple[str, date, str], ...] = (), status: str | None = None,
                 current: str | None = None) -> uuid.UUID:
            c = Case(case_number=f"T-{next(numbers):04d}", person_id=world.persons[person_key], counsellor="b.schulz",
                     status=status or ("closed" if closed else "open"), opened_on=opened, closed_on=closed,
                     outcome=outcome, municipality=municipality,
                     current_category=current or (categories[-1][0] if categories else None),
                     origin_site=site, owner_site=site)
            s.add(c)
            s.flush()
            for category, since in categories:
                s.add(CategoryEntry(case_id=c.id, category=category, since=since, origin_site=site, owner_site=site))
            for relation, born, sex in members:
                s.add(HouseholdMember(case_id=c.id, relation=relation, birth_date=born, sex=sex, origin_site=site,
                                      owner_site=site))
            world.cases[key] = c.id
            return c.id

        def contact(key: str, on: date, bausteine: list[str]) -> None:
            site = s.get(Case, world.cases[key]).owner_site
            s.add(Contact(case_id=world.cases[key], on=on, minutes=30, kind="buero", bausteine=bausteine,
                          counsellor="b.schulz", origin_site=site, owner_site=site))

        def referral(key: str, target: str, on: date) -> None:
            site = s.get(Case, world.cases[key]).owner_site
            s.add(Referral(case_id=world.cases[key], target=target, on=on, origin_site=site, owner_site=site))

        person("P1", "loehne", date(1980, 5, 1), "maennlich", "DE")
        person("P2", "loehne", date(2007, 6, 30), "weiblich", "PL")      # turns 18 on the NRW Stichtag
        person("P3", "vlotho", date(1990, 1, 1), "maennlich", None)
        person("P4", "vlotho", date(1960, 2, 2), "maennlich", "DE")
        person("P5", "buende", date(1975, 8, 8), "weiblich", "DE")
        person("P6", "buende", date(1980, 5, 1), "maennlich", "DE")      # the same person as P1 (linked)
        person("P7", "enger-spenge", date(2000, 7, 1), "weiblich", "TR")  # still 24 on 30.06.2025
        person("P8", "hiddenhausen", None, "ohne_angabe", "DE")
        person("P9", "loehne", date(1970, 1, 1), "maennlich", "DE")

        # A: category changed ON the Stichtag (Kündigung → ordnungsrechtlich), couple with a child
        case("A", "loehne", "P1", date(2024, 11, 10), "Löhne",
             [("kuendigung", date(2024, 11, 10)), ("ordnungsrechtlich", date(2025, 6, 30))],
             members=(("partner", date(1982, 1, 1), "weiblich"), ("kind", date(2015, 3, 3), "maennlich")))
        # B: bei Bekannten, closed after the Stichtag with a new flat
        case("B", "loehne", "P2", date(2025, 2, 1), "Löhne",
             [("bei_bekannten", date(2025, 2, 1)), ("ehemals", date(2025, 9, 15))], closed=date(2025, 9, 15),
             outcome="neue_wohnung")
        # C: closed (Kontaktabbruch) and reopened: open again, closed_on cleared, history kept
        case("C", "vlotho", "P3", date(2025, 3, 1), "Vlotho", [("ohne_unterkunft", date(2025, 3, 1))])
        # D: closed the day before the Stichtag
        case("D", "vlotho", "P4", date(2025, 1, 10), "Herford", [("einrichtung", date(2025, 1, 10))],
             closed=date(2025, 6, 29), outcome="vermittelt")
        # E: eviction averted
        case("E", "buende", "P5", date(2024, 3, 1), "Bünde",
             [("raeumungsklage", date(2024, 3, 1)), ("ehemals", date(2025, 5, 20))], closed=date(2025, 5, 20),
             outcome="wohnung_erhalten")
        # F: the linked record of P1 at another site, no municipality
        case("F", "buende", "P6", date(2025, 4, 1), None, [("ordnungsrechtlich", date(2025, 4, 1))])
        # G: a draft: never counted
        case("G", "loehne", "P9", date(2025, 5, 5), "Löhne", [("ohne_unterkunft", date(2025, 5, 5))], status="draft")
        # H: single mother in an Einrichtung
        case("H", "enger-spenge", "P7", date(2025, 6, 1), "Enger", [("einrichtung", date(2025, 6, 1))],
             members=(("kind", date(2020, 1, 1), "weiblich"),))
        # J: old case, no birth date, category without history
        case("J", "hiddenhausen", "P8", date(2023, 1, 1), "Hiddenhausen", [], closed=date(2023, 6, 1),
             outcome="verzogen", current="kuendigung")
        s.flush()
        # C was closed and reopened: reopen_case clears closed_on and outcome
        c = s.get(Case, world.cases["C"])
        c.status, c.closed_on, c.outcome = "open", None, None

        contact("A", date(2025, 1, 15), ["1", "2"])
        contact("A", date(2025, 2, 20), ["2"])
        contact("B", date(2025, 2, 5), ["2", "4"])
        contact("H", date(2025, 6, 10), ["5"])
        contact("A", date(2024, 12, 1), ["2"])  # before the period
        referral("B", "spdi", date(2025, 3, 3))
        referral("C", "suchthilfe", date(2025, 4, 4))
        referral("A", "spdi", date(2024, 12, 12))  # before the period
        referral("D", "jobcenter", date(2025, 2, 2))  # another target

        def proposal(key: str, signed: date | None, municipality: str) -> None:
            s.add(Proposal(case_id=world.cases[key], offer_id=uuid.uuid4(), municipality=municipality,
                           gross_rent=45000, proposed_on=date(2025, 8, 1), lease_signed_on=signed,
                           counsellor="b.schulz", origin_site="loehne", owner_site="loehne"))

        proposal("B", date(2025, 9, 1), "Herford")
        proposal("B", None, "Löhne")
        proposal("A", date(2024, 12, 20), "Löhne")

        def landlord(name: str, won: date | None, merged: uuid.UUID | None = None) -> uuid.UUID:
            row = Landlord(kind="privat", name=name, sort_key=name.lower(), won_on=won, merged_into=merged,
                           origin_site="loehne", owner_site="loehne")
            s.add(row)
            s.flush()
            return row.id

        keep = landlord("Vermieterin Fiktiv", date(2025, 3, 15))
        landlord("Vermieterin Fiktiv (doppelt)", date(2025, 3, 16), merged=keep)
        landlord("Alt Vermieter Fiktiv", date(2024, 3, 15))
        a, b = sorted((world.persons["P1"], world.persons["P6"]), key=str)
        s.add(PersonLink(person_a=a, person_b=b, decision="linked", score=100, decided_by="c.krueger"))
    return world
