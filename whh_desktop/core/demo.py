"""Fictional demo data for trying the app and for benchmarks: persons, each with a case, the search index and some
case work (category, contacts, income, household, consent, Schonfrist). Deterministic for a seed; the names are
random combinations from ``resources/demo`` (no real people), e-mail only at example.org/.com/.net, phone numbers
in a visibly made-up "99" block. A site store gets its own site's people; a district store (SQLCipher or
PostgreSQL) the people of all five sites, as their bundles would bring them.

Speed (issue 20: 1 000 000 persons within two minutes): rows are built as tuples already in storage form (UUID as
32 hex digits, UTC timestamps and dates as ISO text, JSON as text, booleans 0/1) by one thread while the other
writes the chunk before (SQLite, SQLCipher and psycopg release the GIL while they work), on one connection with
the load settings of ``store/bulk_load`` (SQLite: ``executemany``, synchronous NORMAL and a large page cache while
loading; PostgreSQL: COPY), a transaction per ``COMMIT_EVERY`` persons. SQLAlchemy Core with its per-value bind
processing took 38–52 µs a person against 14–15 µs on the DB-API, and ``uuid6.uuid7()`` 6 µs a row. These inserts
bypass the ORM flush hook, so this module also writes the change_log rows (on a site store; SQLite makes them with
INSERT … SELECT from the rows just written) and the search index. Measured at 1 000 000 persons on the shared 2-core
machine: making the rows takes 34 s of CPU on the one thread, writing them (about ten rows a person with their
indexes, the change_log and the search index, encrypted) 120 s on the other, overlapping. At 100 000 persons the
writing side took about as much CPU as plain SQLite inserting the same rows (``bench/store_bench``'s raw limit).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import queue
import random
import re
import threading
import time
from bisect import bisect
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from itertools import accumulate, combinations
from types import SimpleNamespace
from typing import NamedTuple, TypeVar

from sqlalchemy import Connection, Integer, Table, cast, func, select

from whh_desktop.core.domain import deadlines as rules
from whh_desktop.core.domain.enums import Category, ContactKind, IncomeKind, Outcome, Relation
from whh_desktop.core.domain.municipalities import MUNICIPALITIES
from whh_desktop.core.domain.phonetics import cologne, name_key
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.domain.text import fold, sort_key, strip_diacritics
from whh_desktop.core.store import audit, bulk_load, dialect, list_order
from whh_desktop.core.store.base import utcnow
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Account,
    Application,
    Case,
    CategoryEntry,
    Consent,
    Contact,
    DeadlineEntry,
    HouseholdMember,
    Income,
    Objection,
    Person,
    Referral,
    Role,
    SearchDoc,
)
from whh_desktop.core.store.search_index import case_body
from whh_desktop.resources import resource

CHUNK = 5000  # persons made and written at a time: the unit of progress and of cancelling
COMMIT_EVERY = 50_000  # persons per transaction (a cancel commits what was written): fewer rewrites of index pages
_T = TypeVar("_T")
ID_BLOCK = 4096  # UUIDv7 made at a time
BODY_CHECKS = 200  # search bodies built here and compared with search_index.case_body before trusting them
WORKED_SHARE = 0.2  # cases with case work beyond the category: contacts, income, household, consent, Schonfrist

SEXES = ("maennlich", "weiblich", "divers", "ohne_angabe")
SEX_WEIGHTS = (62, 35, 1, 2)  # people in housing emergencies are mostly men
BIRTH_FIRST, BIRTH_LAST, BIRTH_MODE = date(1940, 1, 1), date(2007, 12, 31), date(1982, 1, 1)
# Inhabitants (rounded) weight where people live; Herford has three PLZ.
MUNICIPALITY_WEIGHTS = {"Bünde": 45, "Enger": 20, "Herford": 66, "Hiddenhausen": 19, "Kirchlengern": 16,
                        "Löhne": 40, "Rödinghausen": 10, "Spenge": 14, "Vlotho": 18}
AREA_CODES = {"Bünde": "05223", "Enger": "05224", "Herford": "05221", "Hiddenhausen": "05221",
              "Kirchlengern": "05223", "Löhne": "05732", "Rödinghausen": "05746", "Spenge": "05225",
              "Vlotho": "05733"}
MOBILE_PREFIXES = ("0151", "0160", "0176", "0157")
MAIL_DOMAINS = ("example.org", "example.com", "example.net")
GERMAN_SPELLING = {"de", "rd"}  # origins whose umlauts become ae/oe/ue in e-mail addresses
CATEGORY_WEIGHTS = {Category.OHNE_UNTERKUNFT: 4, Category.ORDNUNGSRECHTLICH: 6, Category.EINRICHTUNG: 3,
                    Category.BEI_BEKANNTEN: 8, Category.VOR_ENTLASSUNG: 2, Category.KUENDIGUNG: 20,
                    Category.RAEUMUNGSKLAGE: 10, Category.RAEUMUNGSTERMIN: 5, Category.SONST_BEDROHT: 6,
                    Category.UNZUMUTBAR: 8, Category.EHEMALS: 4}
EVICTION = {Category.KUENDIGUNG.value, Category.RAEUMUNGSKLAGE.value, Category.RAEUMUNGSTERMIN.value}
CAME_VIA = ("selbst", "jobcenter", "vermieter", "gericht", "spdi", "suchthilfe", "sonstige")
BAUSTEINE = ("1", "2", "3", "4", "5", "6")
RECIPIENTS = ("jobcenter", "vermieter", "spdi", "suchthilfe", "kreis")
OUTCOMES = tuple(o.value for o in Outcome)
RELATIONS = tuple(r.value for r in Relation)
CONTACT_KINDS = tuple(k.value for k in ContactKind)


# ---- word lists --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Origin:
    """Where a demo person's name comes from, with the nationality, language and interpreter need that fit it."""

    code: str
    weight: int
    nationalities: tuple[tuple[str, int], ...]
    languages: tuple[tuple[str, int], ...]
    interpreter: float
    family: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    middle_male: tuple[str, ...] = ()
    middle_female: tuple[str, ...] = ()
    feminine: tuple[tuple[str, str], ...] = ()  # family-name endings, e.g. ("ki", "ka"): Kowalski → Kowalska
    language_of: tuple[tuple[str, str], ...] = ()  # nationality → language where it decides, e.g. ("RS", "Serbisch")

    def feminine_of(self, family: str) -> str:
        for male, female in self.feminine:
            if family.endswith(male):
                return family[: len(family) - len(male)] + female
        return family


def _weighted(text: str) -> tuple[tuple[str, int], ...]:
    """``"TR 50, DE 50"`` → ``(("TR", 50), ("DE", 50))``."""
    return tuple((name, int(weight)) for name, weight in _pairs(text))


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """``"RS Serbisch, HR Kroatisch"`` → ``(("RS", "Serbisch"), ("HR", "Kroatisch"))``."""
    pairs = []
    for item in filter(None, (i.strip() for i in text.split(","))):
        first, _, rest = item.partition(" ")
        if not rest.strip():
            raise ValueError(f"expected two words: {item!r}")
        pairs.append((first, rest.strip()))
    return tuple(pairs)


def parse_origin(code: str, text: str) -> Origin:
    """One ``names-<code>.txt``: ``@key value`` settings, then ``[section]`` lists, one name a line."""
    settings: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    current: list[str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@"):
            key, _, value = line[1:].partition(" ")
            settings[key] = value.strip()
        elif line.startswith("[") and line.endswith("]"):
            current = lists.setdefault(line[1:-1], [])
        elif current is None:
            raise ValueError(f"names-{code}.txt: name outside a [section]: {line!r}")
        else:
            current.append(line)
    feminine = []
    for rule in filter(None, (r.strip() for r in settings.get("feminine", "").split(","))):
        male, female = rule.split(">")
        feminine.append((male.strip(), female.strip()))
    return Origin(code=code, weight=int(settings["weight"]), nationalities=_weighted(settings["nationality"]),
                  languages=_weighted(settings["language"]), interpreter=float(settings.get("interpreter", "0")),
                  family=tuple(lists["family"]), male=tuple(lists["male"]), female=tuple(lists["female"]),
                  middle_male=tuple(lists.get("middle_male", ())), middle_female=tuple(lists.get("middle_female", ())),
                  feminine=tuple(sorted(feminine, key=lambda rule: -len(rule[0]))),  # longest ending first
                  language_of=_pairs(settings.get("language_of", "")))


@cache
def origins() -> tuple[Origin, ...]:
    folder = resource("demo")
    return tuple(parse_origin(p.stem.removeprefix("names-"), p.read_text(encoding="utf-8"))
                 for p in sorted(folder.glob("names-*.txt")))


@cache
def streets() -> tuple[str, ...]:
    lines = resource("demo", "streets.txt").read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


# ---- fast ids and storage formats -----------------------------------------------------------------------------
def uuid7_hex(count: int) -> list[str]:
    """``count`` UUIDv7 (RFC 9562) as 32 hex digits, in increasing order: the millisecond clock, then a counter
    from a random start in the 74 bits below it (RFC 9562 §6.2, method 2). Like ``base.new_id()``, never seeded:
    two demo stores must not share ids, or the district would merge their rows. About 10× faster than uuid7()."""
    millis = time.time_ns() // 1_000_000
    start = int.from_bytes(os.urandom(9)) >> 2  # 70 random bits: 2**70 ids of headroom below the 74-bit limit
    head = (millis << 80) | (0x7 << 76)
    out = []
    for counter in range(start, start + count):
        out.append(f"{head | ((counter >> 62) << 64) | (0b10 << 62) | (counter & 0x3FFF_FFFF_FFFF_FFFF):032x}")
    return out


def hyphenated(hex_id: str) -> str:
    """``str(uuid.UUID(hex_id))``, as the change_log stores row ids."""
    return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"


def utc_text(moment: datetime) -> str:
    """A UTC instant as SQLAlchemy's SQLite DATETIME stores it."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


REFERRAL_SHARE = 0.2
REFERRALS = (("spdi", "SpDi Kreis Herford (fiktiv)"), ("suchthilfe", "Suchtberatung Herford (fiktiv)"),
             ("jobcenter", "Jobcenter Herford (fiktiv)"), ("schuldnerberatung", "Schuldnerberatung (fiktiv)"))
REFERRAL_STATES = ("angeregt", "vereinbart", "angenommen", "abgeschlossen")
# Applications (issue 08) of a worked case, so that the Arbeitskreis figures show something in a demo store:
# eviction cases mostly ask for the arrears (§ 22 Abs. 8), the others for what a move needs.
APPLICATION_SHARE = 0.35
EVICTION_APPLICATIONS = ("sgb2_22_8", "sgb2_22_8", "sgb2_22_8", "sgb2_22_7", "sgb12_36", "wohngeld")
MOVE_APPLICATIONS = ("sgb2_22_4", "sgb2_22_6", "umzugskosten", "erstausstattung", "wbs", "wohngeld")
DECISIONS = ("bewilligt",) * 11 + ("teilweise",) * 3 + ("abgelehnt",) * 5 + ("zurueckgenommen",)
OBJECTION_DECISIONS = ("abgeholfen", "teilweise", "zurueckgewiesen", "zurueckgewiesen")
JOBCENTER = "Jobcenter Herford (fiktiv)"
SYNC_COLUMNS = ("id", "origin_site", "owner_site", "created_at", "updated_at", "updated_by", "version", "deleted_at")
COLUMNS: dict[str, tuple[str, ...]] = {
    "persons": (*SYNC_COLUMNS, "family_name", "given_names", "birth_date", "sex", "nationality", "language",
                "interpreter_needed", "phone", "email", "street", "plz", "city", "municipality", "search_text",
                "sort_key", "phonetic_key"),
    "cases": (*SYNC_COLUMNS, "case_number", "person_id", "counsellor", "substitutes", "status", "opened_on",
              "closed_on", "outcome", "restricted", "municipality", "moved_in", "current_category", "came_via",
              "bausteine", "cold_rent", "utilities", "heating", "arrears", "arrears_since"),
    "case_categories": (*SYNC_COLUMNS, "case_id", "category", "since"),
    "household_members": (*SYNC_COLUMNS, "case_id", "relation", "family_name", "given_names", "birth_date", "sex"),
    "incomes": (*SYNC_COLUMNS, "case_id", "kind", "since"),
    "contacts": (*SYNC_COLUMNS, "case_id", "on", "minutes", "kind", "bausteine", "note", "counsellor"),
    "deadlines": (*SYNC_COLUMNS, "case_id", "kind", "due_on", "target_on", "rule", "inputs", "warnings",
                  "assigned_to"),
    "consents": (*SYNC_COLUMNS, "case_id", "person_id", "recipients", "purpose", "categories", "health_data",
                 "signed_on", "valid_from"),
    "referrals": (*SYNC_COLUMNS, "case_id", "target", "target_name", "on", "status"),
    "applications": (*SYNC_COLUMNS, "case_id", "kind", "authority", "submitted_on", "submitted_via", "reminders",
                     "decision", "decided_on", "without_instructions", "eviction_averted"),
    "application_objections": (*SYNC_COLUMNS, "case_id", "application_id", "lodged_on", "decision", "decided_on"),
    "search_docs": ("id", "case_id", "sort_key", "case_number", "status", "category", "municipality", "counsellor"),
}
MODELS = (Person, Case, CategoryEntry, HouseholdMember, Income, Contact, DeadlineEntry, Consent, Referral, Application,
          Objection)


@cache
def _columns(table: Table) -> tuple[str, ...]:
    """``COLUMNS[table]``; refuses to run if the model gained a required column this module misses."""
    names = COLUMNS[table.name]
    unknown = [n for n in names if n not in table.columns]
    required = [c.name for c in table.columns if c.name not in names and not c.nullable
                and c.server_default is None and not (c.primary_key and isinstance(c.type, Integer))]
    if unknown or required:
        raise RuntimeError(f"demo.py is out of step with table {table.name}: unknown {unknown}, unfilled {required}")
    return names


# ---- the generator --------------------------------------------------------------------------------------------
@dataclass
class _Chunk:
    rows: dict[str, list[tuple]] = field(default_factory=lambda: {m.__tablename__: [] for m in MODELS})
    ids: dict[str, list[str]] = field(default_factory=lambda: {m.__tablename__: [] for m in MODELS})
    docs: list[tuple[str, str, str, str, str, str, str]] = field(default_factory=list)  # search_docs minus id
    bodies: list[str] = field(default_factory=list)


class _Generator:
    """Draws every value from one seeded ``random.Random`` in a fixed order, so a seed gives the same people.

    The hot path is plain code on purpose (index arithmetic on ``random()``, values cached per name and per day):
    at 100 000 persons every microsecond per person is a tenth of a second.
    """

    def __init__(self, seed: int, site: SiteCode, actor: str, counsellors: Mapping[str, Sequence[str]], today: date,
                 numbers: dict[tuple[str, int], int], *, cases: bool = True) -> None:
        """``site``: the store's site, or ``SiteCode.KREIS`` for a district store, whose persons and cases belong to
        the counselling site of their municipality (as if imported from the sites). ``counsellors``: login names
        per site code; ``numbers``: the last case serial per (case prefix, year)."""
        self.rng = random.Random(seed)
        self.case_rng = random.Random(f"cases-{seed}")  # its own stream: the persons do not depend on the cases
        self.cases = cases
        self.site, self.actor, self.numbers = site, actor, numbers
        self.counsellors = {code: tuple(names) for code, names in counsellors.items()}
        self.today = today.toordinal()
        self.prefixes = {s.value: s.case_prefix for s in SiteCode}
        self.origins = origins()
        self.origin_cum = list(accumulate(o.weight for o in self.origins))
        self.sex_cum = list(accumulate(SEX_WEIGHTS))
        self.municipality_cum = list(accumulate(MUNICIPALITY_WEIGHTS[m.name] for m in MUNICIPALITIES))
        # District: a municipality's default site; Herford (Stadt) has none, so the sites share it by their size.
        self.district = site.is_district
        self.site_of = {m.name: m.default_site.value for m in MUNICIPALITIES if m.default_site is not None}
        size = {code: 0 for code in (s.value for s in SiteCode.counselling_sites())}
        for name, code in self.site_of.items():
            size[code] += MUNICIPALITY_WEIGHTS[name]
        self.shared_sites = tuple(size)
        self.shared_cum = list(accumulate(size.values()))
        self.categories = tuple(c.value for c in CATEGORY_WEIGHTS)
        self.category_cum = list(accumulate(CATEGORY_WEIGHTS.values()))
        self.income_kinds = tuple(k.value for k in IncomeKind)
        self.income_cum = list(accumulate((50, 12, 8, 10, 12, 8)))
        self.streets = streets()
        self.birth_first, self.birth_span = BIRTH_FIRST.toordinal(), (BIRTH_LAST - BIRTH_FIRST).days
        self.birth_mode = (BIRTH_MODE - BIRTH_FIRST).days / self.birth_span
        self.nationalities = {o.code: (tuple(n for n, _ in o.nationalities),
                                       list(accumulate(w for _, w in o.nationalities))) for o in self.origins}
        self.languages = {o.code: (tuple(n for n, _ in o.languages), list(accumulate(w for _, w in o.languages)))
                          for o in self.origins}
        self.language_of = {o.code: dict(o.language_of) for o in self.origins}
        self._names: dict[str, _Name] = {}
        self._days: dict[int, str] = {}
        self._births: dict[int, _Birth] = {}
        self._ids: Iterator[str] = iter(())
        self.checks, self.fast_body = BODY_CHECKS, True

    def _new_id(self) -> str:
        try:
            return next(self._ids)
        except StopIteration:
            self._ids = iter(uuid7_hex(ID_BLOCK))
            return next(self._ids)

    def _name(self, part: str) -> _Name:
        got = self._names.get(part)
        if got is None:
            folded = fold(part)
            words = tuple(folded.split())
            got = self._names[part] = _Name(folded, sort_key(part), name_key(part), words,
                                            tuple(f"ph{code}" for code in map(cologne, words) if code))
        return got

    def _day(self, ordinal: int) -> str:
        text = self._days.get(ordinal)
        if text is None:
            text = self._days[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def _birth(self, ordinal: int) -> _Birth:
        got = self._births.get(ordinal)
        if got is None:
            d = date.fromordinal(ordinal)
            got = self._births[ordinal] = _Birth(d, d.isoformat(), f"{d.day:02d} {d.month:02d} {d.year}",
                                                 f"g{d:%Y%m%d}", str(d.year))
        return got

    def chunk(self, count: int, now: str) -> _Chunk:
        out = _Chunk()
        for _ in range(count):
            self._one(out, now)
        return out

    def _one(self, out: _Chunk, now: str) -> None:
        r = self.rng.random
        person_id = self._new_id()
        origin = self.origins[bisect(self.origin_cum, r() * self.origin_cum[-1])]
        sex = SEXES[bisect(self.sex_cum, r() * self.sex_cum[-1])]
        female = sex == "weiblich" or (sex != "maennlich" and r() < 0.5)
        names = origin.female if female else origin.male
        given = names[int(r() * len(names))]
        if origin.middle_male:  # Vietnamese: middle name + given name, e.g. "Thị Minh Khai"
            middles = origin.middle_female if female else origin.middle_male
            given = f"{middles[int(r() * len(middles))]} {given}"
        elif origin.code == "de" and r() < 0.12:
            second = names[int(r() * len(names))]
            if second != given and "-" not in given and "-" not in second:
                given = f"{given}-{second}" if r() < 0.5 else f"{given} {second}"
        family = origin.family[int(r() * len(origin.family))]
        if female and origin.feminine:
            family = origin.feminine_of(family)

        codes, cum = self.nationalities[origin.code]
        nationality: str | None = codes[bisect(cum, r() * cum[-1])]
        if origin.code != "de" and r() < 0.01:
            nationality = None  # ungeklärt or stateless
        if nationality == "DE" and origin.code != "de" and r() < 0.7:
            language, interpreter = "Deutsch", False  # grown up here
        else:
            codes, cum = self.languages[origin.code]
            language = codes[bisect(cum, r() * cum[-1])]
            language = self.language_of[origin.code].get(nationality or "", language)
            interpreter = language != "Deutsch" and nationality != "DE" and r() < origin.interpreter

        u, c = r(), self.birth_mode  # triangular distribution, as random.triangular computes it
        share = math.sqrt(u * c) if u < c else 1.0 - math.sqrt((1.0 - u) * (1.0 - c))
        birth = self._birth(self.birth_first + int(share * self.birth_span))

        municipality = MUNICIPALITIES[bisect(self.municipality_cum, r() * self.municipality_cum[-1])]
        plz = municipality.plz[int(r() * len(municipality.plz))]
        site = self.site.value
        if self.district:  # only here: a site store's people stay the same for a seed
            site = self.site_of.get(municipality.name) or self.shared_sites[
                bisect(self.shared_cum, r() * self.shared_cum[-1])]
        sync = (site, site, now, now, self.actor, 1, None)
        street = f"{self.streets[int(r() * len(self.streets))]} {1 + int(r() * 119)}{'a' if r() < 0.06 else ''}"
        roll = r()
        if roll < 0.55:
            phone: str | None = f"{MOBILE_PREFIXES[int(r() * 4)]} 99{int(r() * 1_000_000):06d}"
        elif roll < 0.8:
            phone = f"{AREA_CODES[municipality.name]} 99{int(r() * 10_000):04d}"
        else:
            phone = None
        fam, giv = self._name(family), self._name(given)
        email = None
        if r() < (0.45 if birth.day.year >= 1980 else 0.15):
            german = origin.code in GERMAN_SPELLING
            given_mail, family_mail = _mail(given, german), _mail(family, german)
            local = f"{given_mail.split()[0]}.{family_mail.replace(' ', '')}" if given_mail and family_mail else ""
            if r() < 0.4:
                local += birth.year[2:]
            email = f"{local}@{MAIL_DOMAINS[int(r() * 3)]}" if local[:1].isalpha() else None
        digits = phone.replace(" ", "") if phone else ""
        search = " ".join(p for p in (fam.fold, giv.fold, birth.text, digits) if p)
        person_sort = f"{fam.sort}\x1f{giv.sort}"
        out.rows["persons"].append((
            person_id, *sync, family, given, birth.iso, sex, nationality, language, int(interpreter), phone, email,
            street, plz, municipality.name, municipality.name, search, person_sort,
            " ".join(p for p in (fam.phonetic, giv.phonetic) if p)))
        out.ids["persons"].append(person_id)
        if self.cases:
            person = SimpleNamespace(family_name=family, given_names=given, birth_date=birth.day, phone=phone)
            # search_index.case_body, built from cached parts: names, phonetic codes, birth date, phone digits.
            tokens = (*fam.words, *giv.words, *fam.codes, *giv.codes, birth.token, birth.year,
                      *((digits,) if digits else ()))
            self._case(out, person_id, site, sync, origin, person, person_sort, municipality.name, tokens)

    def _case(self, out: _Chunk, person_id: str, site: str, sync: tuple, origin: Origin, person: SimpleNamespace,
              person_sort: str, municipality: str, tokens: tuple[str, ...]) -> None:
        r, today, rows, ids = self.case_rng.random, self.today, out.rows, out.ids
        case_id = self._new_id()
        opened = today - 1 - int(r() * (4 * 365 - 1))
        year = date.fromordinal(opened).year
        prefix = self.prefixes[site]
        serial = self.numbers[prefix, year] = self.numbers.get((prefix, year), 0) + 1
        number = f"{serial:04d}"
        case_number = f"{prefix}-{year}-{number}"
        category = self.categories[bisect(self.category_cum, r() * self.category_cum[-1])]
        closed_on = opened + 30 + int(r() * (today - opened - 30)) if r() < 0.45 and today - opened > 60 else None
        status = "open" if closed_on is None else "closed"
        counsellors = self.counsellors[site]
        counsellor = counsellors[int(r() * len(counsellors))]
        eviction = category in EVICTION
        rows["cases"].append((
            case_id, *sync, case_number, person_id, counsellor, "[]", status, self._day(opened),
            None if closed_on is None else self._day(closed_on),
            None if closed_on is None else OUTCOMES[int(r() * len(OUTCOMES))], 0, municipality, 0, category,
            CAME_VIA[int(r() * len(CAME_VIA))], _pick_set(r, BAUSTEIN_SETS), (250 + int(r() * 400)) * 100,
            (60 + int(r() * 100)) * 100, (40 + int(r() * 80)) * 100,
            (2 + int(r() * 28)) * 10_000 if eviction else None,
            self._day(opened - 30 - int(r() * 170)) if eviction else None))
        ids["cases"].append(case_id)
        out.docs.append((case_id, person_sort, case_number, status, category, municipality, counsellor))
        body = " ".join((*tokens, number))
        if self.checks:  # the search module owns the format: compare with it, and use it if they ever differ
            self.checks -= 1
            real = case_body(person, SimpleNamespace(case_number=case_number))  # type: ignore[arg-type]
            if real != body:
                self.checks, self.fast_body = 0, False
        if not self.fast_body:
            body = case_body(person, SimpleNamespace(case_number=case_number))  # type: ignore[arg-type]
        out.bodies.append(body)

        def child(table: str, *values: object) -> str:
            row_id = self._new_id()
            rows[table].append((row_id, *sync, case_id, *values))
            ids[table].append(row_id)
            return row_id

        child("case_categories", category, self._day(opened))
        if r() >= WORKED_SHARE:
            return
        # A worked case (a share, so that 100 000 persons stay quick): income, household, contacts, Schonfrist, consent.
        if r() < 0.3:
            female = r() < 0.5
            names = origin.female if female else origin.male
            relation, name = RELATIONS[int(r() * len(RELATIONS))], names[int(r() * len(names))]
            born = min(person.birth_date.toordinal() - 3000 + int(r() * 12000), today)  # never in the future
            child("household_members", relation, person.family_name, name, self._day(born),
                  "weiblich" if female else "maennlich")
        if r() < 0.8:
            child("incomes", self.income_kinds[bisect(self.income_cum, r() * self.income_cum[-1])],
                  self._day(opened - int(r() * 900)))
        span = max(1, (closed_on or today) - opened)
        for _ in range(1 + int(r() * 4)):
            child("contacts", self._day(opened + int(r() * span)), MINUTES[int(r() * len(MINUTES))],
                  CONTACT_KINDS[int(r() * len(CONTACT_KINDS))], _pick_set(r, BAUSTEIN_SETS),
                  "Beratungsgespräch (Demodaten)", counsellor)
        if closed_on is None and category in ("kuendigung", "raeumungsklage") and r() < 0.6:
            child("deadlines", "schonfrist", *_schonfrist(today - int(r() * 70)), counsellor)
        if r() < 0.7:
            child("consents", person_id, _pick_set(r, RECIPIENT_SETS), "Sicherung der Wohnung und Hilfeplanung",
                  '["stammdaten", "wohnsituation"]', int(r() < 0.2), self._day(opened), self._day(opened))
        if r() < REFERRAL_SHARE:  # psychiatric care and addiction help are part of the network's work
            target, name = REFERRALS[int(r() * len(REFERRALS))]
            child("referrals", target, name, self._day(opened + int(r() * span)),
                  REFERRAL_STATES[int(r() * len(REFERRAL_STATES))])
        if r() < APPLICATION_SHARE:
            self._application(child, r, opened, span, eviction)

    def _application(self, child: Callable[..., str], r: Callable[[], float], opened: int, span: int,
                     eviction: bool) -> None:
        """One application with a skewed processing time; decided ones older than five weeks, Widerspruch sometimes."""
        kinds = EVICTION_APPLICATIONS if eviction else MOVE_APPLICATIONS
        kind = kinds[int(r() * len(kinds))]
        submitted = min(opened + int(r() * span), self.today - 1)
        decided_on = submitted + 5 + int(r() * r() * 150)
        decision: str | None = DECISIONS[int(r() * len(DECISIONS))]
        decided: int | None = decided_on
        if decided_on > self.today - 35:
            decided, decision = None, None
        averted = 1 if decision == "bewilligt" and kind in ("sgb2_22_8", "sgb12_36") and r() < 0.85 else None
        app_id = child("applications", kind, JOBCENTER, self._day(submitted), "post", "[]", decision,
                       None if decided is None else self._day(decided), 0, averted)
        if decided is not None and decision in ("abgelehnt", "teilweise") and r() < 0.5:
            lodged = decided + 5 + int(r() * 20)
            settled = lodged + 20 + int(r() * 70)
            done = settled < self.today - 7
            child("application_objections", app_id, self._day(lodged),
                  OBJECTION_DECISIONS[int(r() * len(OBJECTION_DECISIONS))] if done else None,
                  self._day(settled) if done else None)


class _Name(NamedTuple):
    """A name part as the person columns and the search index need it; names repeat, so each is worked out once."""

    fold: str
    sort: str
    phonetic: str
    words: tuple[str, ...]
    codes: tuple[str, ...]  # "ph…" search tokens of the words


_GERMAN_MAIL = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "ae", "Ö": "oe", "Ü": "ue", "ß": "ss"})


@cache
def _mail(name: str, german: bool) -> str:
    """A name as people write it in an e-mail address: Jürgen → juergen, but Şükrü → sukru; words kept apart."""
    plain = strip_diacritics(name.translate(_GERMAN_MAIL) if german else name).lower()
    words = ("".join(ch for ch in word if ch.isascii() and ch.isalnum()) for word in re.split(r"[\s\-]+", plain))
    return " ".join(w for w in words if w)


class _Birth(NamedTuple):
    day: date
    iso: str
    text: str  # as fold("TT.MM.JJJJ") gives it
    token: str  # as the search index writes it
    year: str


def _sets(values: tuple[str, ...], sizes: range) -> tuple[tuple[str, ...], ...]:
    """JSON texts of all sorted selections of each size, grouped by size (drawn: size first, then a selection)."""
    return tuple(tuple(json.dumps(list(c)) for c in combinations(values, k)) for k in sizes)


def _pick_set(r: Callable[[], float], groups: tuple[tuple[str, ...], ...]) -> str:
    group = groups[int(r() * len(groups))]
    return group[int(r() * len(group))]


BAUSTEIN_SETS = _sets(BAUSTEINE, range(1, 3))
RECIPIENT_SETS = _sets(RECIPIENTS, range(1, 4))
MINUTES = (15, 30, 45, 60, 90)


@cache
def _schonfrist(served: int) -> tuple[str, str, str, str, str]:
    """due, target, rule, inputs, warnings of a Schonfrist served on that day (ordinal), in storage form."""
    rule = rules.schonfrist(date.fromordinal(served))
    return (rule.due.isoformat(), rule.target.isoformat(), rule.rule, json.dumps(dict(rule.inputs)),
            json.dumps(list(rule.warnings)))


# ---- writing ----------------------------------------------------------------------------------------------------
# A district store's cases come from the five sites (as imported bundles): per site fictional counsellors' login
# names, which the district shows as they are (it has no accounts of the sites).
DISTRICT_COUNSELLORS = {
    SiteCode.LOEHNE.value: ("m.yilmaz", "j.hartmann", "l.kowalski"),
    SiteCode.VLOTHO.value: ("s.brandt", "t.nowak"),
    SiteCode.BUENDE.value: ("a.schulte", "k.demir", "p.wagner"),
    SiteCode.ENGER_SPENGE.value: ("h.meier", "e.kaya"),
    SiteCode.HIDDENHAUSEN.value: ("r.vogel", "n.popescu"),
}


def write_chunk(conn: Connection, chunk: _Chunk, *, log_changes: bool) -> None:
    """The chunk's rows in storage form, in the caller's transaction, on either backend (``bulk_load``)."""
    sqlite = dialect.name(conn) == dialect.SQLITE
    at = utcnow().replace(tzinfo=None).isoformat(sep=" ")  # as record_bulk_insert stamps change_log rows
    for model in MODELS:
        name = model.__tablename__  # a plain str: the DB-API tries adapters on str subclasses like Table.name
        rows = chunk.rows[name]
        if not rows:
            continue
        before = dialect.scalar(conn, f"SELECT COALESCE(MAX(rowid), 0) FROM {name}") if log_changes and sqlite else 0
        bulk_load.insert_rows(conn, name, _columns(model.__table__), rows)
        if log_changes and sqlite:  # the change_log rows made by SQLite from the rows just written (no Python)
            dialect.run(conn, f"INSERT INTO change_log(entity, row_id, version, op, at) SELECT ?, {_HYPHENATED}, 1, "
                              f"'insert', ? FROM {name} WHERE rowid > ? ORDER BY rowid", (name, at, before))
        elif log_changes:
            bulk_load.insert_rows(conn, "change_log", ("entity", "row_id", "version", "op", "at"),
                                  [(name, hyphenated(i), 1, "insert", at) for i in chunk.ids[name]])
    if not chunk.docs:
        return
    # The search index, as search_index.index_cases would write it: ids in list order (list_order), the bodies in
    # id order (FTS5 writes a segment whenever an id is not above the previous one). PostgreSQL computes
    # search_fts.tsv from the body itself (a generated column).
    raw = dialect.storage(conn)
    new_ids = list_order.DocIds(lambda sql, params: list(raw.execute(sql, tuple(params)).fetchall()))
    ids = [new_ids.new_id(doc[1]) for doc in chunk.docs]
    bulk_load.insert_rows(conn, "search_docs", _columns(SearchDoc.__table__),
                          [(i, *doc) for i, doc in zip(ids, chunk.docs, strict=True)])
    bulk_load.insert_rows(conn, "search_fts", ("rowid", "body"), sorted(zip(ids, chunk.bodies, strict=True)))


def chunks(persons: int, *, seed: int = 0, site: SiteCode = SiteCode.LOEHNE, counsellors: Sequence[str] = ("beratung",),
           today: date | None = None) -> Iterator[_Chunk]:
    """The rows ``fill_demo`` writes for a new store of ``site``, chunk by chunk (for ``write_chunk``): the bench
    inserts the same rows into plain SQLite as the raw limit of the fill."""
    generator = _Generator(seed, site, "bench", {site.value: tuple(counsellors)} if not site.is_district
                           else DISTRICT_COUNSELLORS, today or date.today(), {})
    for start in range(0, persons, CHUNK):
        yield generator.chunk(min(CHUNK, persons - start), utc_text(datetime.now(UTC)))


# str(uuid.UUID(id)) of the 32 hex digits the rows hold, as change_log keeps row ids
_HYPHENATED = ("substr(id, 1, 8) || '-' || substr(id, 9, 4) || '-' || substr(id, 13, 4) || '-' || "
               "substr(id, 17, 4) || '-' || substr(id, 21)")
_DONE = object()


def _made_ahead(items: Iterator[_T], depth: int = 2) -> Generator[_T, None, None]:
    """``items``, made on a second thread while the caller writes the ones before: SQLite, SQLCipher and psycopg
    release the GIL while they work, so making the next chunk and writing this one overlap. The items are made in
    order by one thread, so a seed still gives the same people. Close the iterator to stop the thread."""
    made: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                made.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as exc:  # handed to the caller, raised there
            put(_Failed(exc))

    thread = threading.Thread(target=work, name="demo-fill", daemon=True)
    thread.start()
    try:
        while True:
            item = made.get()
            if item is _DONE:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()


@dataclass(frozen=True)
class _Failed:
    error: BaseException


def _existing_case_numbers(store: Store, sites: Iterable[SiteCode]) -> dict[tuple[str, int], int]:
    """The last serial per (case prefix, year) already in the store, so new case numbers never collide."""
    found: dict[tuple[str, int], int] = {}
    with store.read_session() as s:
        for site in sites:
            prefix = site.case_prefix
            year = func.substr(Case.case_number, len(prefix) + 2, 4)
            serial = cast(func.substr(Case.case_number, len(prefix) + 7), Integer)
            last = s.execute(select(year, func.max(serial)).where(Case.case_number.like(f"{prefix}-%"))
                             .group_by(year)).all()
            found.update({(prefix, int(y)): int(n) for y, n in last if y and str(y).isdigit()})
    return found


def fill_demo(store: Store, actor: str, persons: int, *, seed: int = 0,
              progress: Callable[[int, int], None] | None = None, cancel: Callable[[], bool] | None = None,
              today: date | None = None, cases: bool = True) -> int:
    """Write ``persons`` fictional people; returns how many were written.

    Each person gets a case (with its search entry and category, a fifth of them more case work), since the app
    shows people through their cases; ``cases=False`` writes the persons alone (a bare table for benchmarks).
    A site store's people belong to its site, with its counsellors (accounts of role Beratung; the actor when
    there are none). A district store (SQLCipher or PostgreSQL) gets the people of all five sites, each owned by
    the site of their municipality, with the sites' case numbers and fictional counsellors, as imported bundles
    leave them: no change_log rows (the district exports only what it owns).
    Works in chunks of ``CHUNK`` persons: ``progress(done, total)`` after each, and ``cancel()`` is asked before
    each; a transaction holds up to ``COMMIT_EVERY`` persons, and a cancelled fill commits what it wrote and stops.
    The same seed gives the same people (and, for the same ``today``, the same cases); ids are always new.
    """
    site = SiteCode(store.info.site_code)
    if site.is_district:
        sites = SiteCode.counselling_sites()
        counsellors: dict[str, Sequence[str]] = dict(DISTRICT_COUNSELLORS)
    else:
        sites = [site]
        with store.read_session() as s:
            names = list(s.execute(select(Account.username).where(Account.role == Role.BERATUNG.value,
                                                                  Account.active)
                                   .order_by(Account.username)).scalars())
        counsellors = {site.value: names or [actor]}
    numbers = _existing_case_numbers(store, sites) if cases else {}
    generator = _Generator(seed, site, actor, counsellors, today or date.today(), numbers, cases=cases)
    sizes = (min(CHUNK, persons - start) for start in range(0, persons, CHUNK))
    done = committed = 0
    with contextlib.closing(_made_ahead(generator.chunk(n, utc_text(datetime.now(UTC))) for n in sizes)) as chunks, \
            bulk_load.loading(store.engine) as conn:
        transaction = None
        while done < persons:
            if cancel is not None and cancel():
                break
            chunk = next(chunks)
            if transaction is None:
                transaction = conn.begin()
            write_chunk(conn, chunk, log_changes=not site.is_district)
            done += len(chunk.ids["persons"])
            if done - committed >= COMMIT_EVERY or done >= persons:
                transaction.commit()
                transaction, committed = None, done
            if progress is not None:
                progress(done, persons)
        if transaction is not None:  # cancelled: what was written stays
            transaction.commit()
    with store.session(actor) as session:
        audit.append(session, actor, "demo_filled", detail=str(done))  # a count only, no personal data
    if done:
        store.refresh_statistics()  # the query planner must know the new table sizes
    return done
