"""Erstaufnahme: validate and save the intake form as a person + case (draft or open)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import validation
from whh_desktop.core.domain.enums import Baustein, CameVia, Category, IncomeKind, Relation, Sex
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.municipalities import MUNICIPALITIES, by_name, by_plz, is_valid_plz
from whh_desktop.core.domain.phonetics import name_key
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.domain.text import fold, sort_key
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services.access import require_case_worker
from whh_desktop.core.services.cases import SimilarPerson, similar_persons
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.changes import tombstone
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Case, CategoryEntry, HouseholdMember, Income, Person
from whh_desktop.core.store.rows import get_live

MAX_NOTE = 20_000
_NATIONALITY_RE = re.compile(r"^[A-Z]{2}$")


@dataclass
class HouseholdData:
    relation: str = Relation.KIND.value
    family_name: str = ""
    given_names: str = ""
    birth_date: date | None = None
    sex: str = Sex.OHNE_ANGABE.value


@dataclass
class IncomeData:
    kind: str = IncomeKind.BUERGERGELD.value
    since: date | None = None
    bg_number: str = ""
    note: str = ""


@dataclass
class IntakeData:
    family_name: str = ""
    given_names: str = ""
    birth_date: date | None = None
    sex: str = Sex.OHNE_ANGABE.value
    nationality: str = ""
    phone: str = ""
    email: str = ""
    language: str = ""
    interpreter_needed: bool = False
    street: str = ""
    plz: str = ""
    city: str = ""
    municipality: str = ""
    moved_in: bool = False
    household: list[HouseholdData] = field(default_factory=list)
    category: str = ""
    category_since: date | None = None
    housing_note: str = ""
    landlord_name: str = ""
    landlord_address: str = ""
    tenancy_street: str = ""
    tenancy_plz: str = ""
    tenancy_city: str = ""
    cold_rent: int | None = None
    utilities: int | None = None
    heating: int | None = None
    arrears: int | None = None
    arrears_since: date | None = None
    incomes: list[IncomeData] = field(default_factory=list)
    came_via: str = ""
    came_via_note: str = ""
    first_needs: str = ""
    bausteine: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Issue:
    field: str
    message: str
    blocking: bool = True


def validate(data: IntakeData, *, draft: bool, today: date | None = None) -> list[Issue]:
    """All problems at once, so the form can mark every field. A draft only needs a family name."""
    today = today or date.today()
    issues: list[Issue] = []

    def need(value: object, name: str, message: str) -> None:
        if not draft and (value is None or value == "" or value == []):
            issues.append(Issue(name, message))

    if not data.family_name.strip():
        issues.append(Issue("family_name", "Bitte den Familiennamen angeben."))
    need(data.given_names.strip(), "given_names", "Bitte den Vornamen angeben.")
    need(data.birth_date, "birth_date", "Bitte das Geburtsdatum angeben (für Statistik und Dublettenprüfung).")
    need(data.municipality, "municipality", "Bitte die Kommune wählen.")
    need(data.category, "category", "Bitte die Wohnungsnotfall-Kategorie wählen.")
    need(data.category_since, "category_since", "Bitte angeben, seit wann die Kategorie gilt.")
    for name, value, limit in (("family_name", data.family_name, 200), ("given_names", data.given_names, 200)):
        if len(value) > limit:
            issues.append(Issue(name, f"Höchstens {limit} Zeichen."))
    for name, value in (("housing_note", data.housing_note), ("first_needs", data.first_needs)):
        if len(value) > MAX_NOTE:
            issues.append(Issue(name, f"Der Text ist zu lang ({len(value)} Zeichen, höchstens {MAX_NOTE})."))
    if data.birth_date:
        _collect(issues, partial(validation.check_birth_date, data.birth_date, today))
    if data.sex not in {s.value for s in Sex}:
        issues.append(Issue("sex", "Unbekannte Angabe zum Geschlecht."))
    if data.nationality and not _NATIONALITY_RE.match(data.nationality):
        issues.append(Issue("nationality", "Staatsangehörigkeit als Ländercode, z. B. DE, TR, PL, SY."))
    if data.email and not validation.is_valid_email(data.email):
        issues.append(Issue("email", "Die E-Mail-Adresse ist ungültig."))
    if data.municipality and by_name(data.municipality) is None:
        names = ", ".join(m.name for m in MUNICIPALITIES)
        issues.append(Issue("municipality", f"Die Kommune muss eine der neun im Kreis sein: {names}."))
    if data.plz:
        _collect(issues, lambda: validation.check_plz(data.plz, moved_in=data.moved_in))
        muni = by_name(data.municipality) if data.municipality else None
        in_district = by_plz(data.plz) is not None
        if muni and in_district and data.plz.strip() not in muni.plz:
            issues.append(Issue("plz", f"Die PLZ {data.plz.strip()} passt nicht zu {muni.name} "
                                       f"({', '.join(muni.plz)}).", blocking=False))
    if data.tenancy_plz:
        _collect(issues, lambda: validation.check_plz(data.tenancy_plz, moved_in=True), "tenancy_plz")
    if data.category and data.category not in {c.value for c in Category}:
        issues.append(Issue("category", "Unbekannte Kategorie."))
    if data.category_since and data.category_since > today:
        issues.append(Issue("category_since", "Das Datum der Kategorie liegt in der Zukunft."))
    for name in ("cold_rent", "utilities", "heating", "arrears"):
        value = getattr(data, name)
        if value is not None and value < 0:
            issues.append(Issue(name, "Der Betrag darf nicht negativ sein."))
    if data.arrears and not data.arrears_since:
        issues.append(Issue("arrears_since", "Bitte angeben, seit wann Mietschulden bestehen."))
    if data.arrears_since and data.arrears_since > today:
        issues.append(Issue("arrears_since", "Das Datum liegt in der Zukunft."))
    for i, member in enumerate(data.household):
        if member.birth_date:
            # children in the household are normal: only impossible dates count, not the "minor" hint
            _collect(issues, partial(_impossible_birth_only, member.birth_date, today), f"household.{i}.birth_date")
        if member.relation not in {r.value for r in Relation}:
            issues.append(Issue(f"household.{i}.relation", "Bitte die Beziehung wählen."))
    for i, income in enumerate(data.incomes):
        if income.kind not in {k.value for k in IncomeKind}:
            issues.append(Issue(f"incomes.{i}.kind", "Unbekannte Einkommensart."))
        if income.since and income.since > today:
            issues.append(Issue(f"incomes.{i}.since", "Das Datum liegt in der Zukunft."))
    if data.came_via and data.came_via not in {c.value for c in CameVia}:
        issues.append(Issue("came_via", "Unbekannter Zugangsweg."))
    if any(b not in {x.value for x in Baustein} for b in data.bausteine):
        issues.append(Issue("bausteine", "Unbekannter Baustein."))
    issues += _text_warnings(data)
    return issues


def _impossible_birth_only(born: date, today: date) -> validation.Check:
    validation.check_birth_date(born, today)  # raises for a future date or one before 1900
    return validation.Check()


def _collect(issues: list[Issue], check: Callable[[], validation.Check], field_name: str | None = None) -> None:
    try:
        result = check()
    except InvalidInput as exc:
        issues.append(Issue(field_name or exc.field or "", str(exc)))
        return
    issues += [Issue(field_name or "", w, blocking=False) for w in result.warnings]


def _text_warnings(data: IntakeData) -> list[Issue]:
    """Names that letters cannot print as typed (emoji, right-to-left) are kept but flagged."""
    issues = []
    for name in ("family_name", "given_names"):
        value = getattr(data, name)
        if any(ord(ch) > 0xFFFF or "\u0590" <= ch <= "\u08ff" for ch in value):
            issues.append(Issue(name, "Der Name enthält Zeichen (Emoji oder Schrift von rechts nach links), die in "
                                      "Briefen nicht gedruckt werden können. Bitte zusätzlich eine lateinische "
                                      "Schreibweise erfassen.", blocking=False))
    return issues


def blocking(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.blocking]


# ---- saving --------------------------------------------------------------------------------------------------
def next_case_number(session: Session, site: SiteCode, year: int) -> str:
    """``LOE-2026-0042``: the site prefix makes numbers unique without a network; runs inside BEGIN IMMEDIATE."""
    prefix = f"{site.case_prefix}-{year}-"
    # Numerically: past 9999 a year, "…-10000" sorts before "…-9999" as text.
    serial = cast(func.substr(Case.case_number, len(prefix) + 1), Integer)
    last = session.execute(select(func.max(serial)).where(Case.case_number.like(prefix + "%"))).scalar()
    return f"{prefix}{(last or 0) + 1:04d}"


def apply_person(person: Person, data: IntakeData) -> None:
    person.family_name = data.family_name.strip()
    person.given_names = data.given_names.strip()
    person.birth_date = data.birth_date
    person.sex = data.sex
    person.nationality = data.nationality or None
    person.phone = data.phone.strip() or None
    person.email = data.email.strip() or None
    person.language = data.language.strip() or None
    person.interpreter_needed = data.interpreter_needed
    person.street = data.street.strip() or None
    person.plz = data.plz.strip() or None
    person.city = data.city.strip() or None
    person.municipality = data.municipality or None
    birth = fmt_date(data.birth_date, empty="")
    person.search_text = fold(f"{person.family_name} {person.given_names} {birth}")
    person.sort_key = sort_key(person.family_name, person.given_names)
    person.phonetic_key = name_key(f"{person.family_name} {person.given_names}")


def save_intake(store: Store, user: CurrentUser, data: IntakeData, *, draft: bool,
                case_id: uuid.UUID | None = None, today: date | None = None) -> tuple[uuid.UUID, str]:
    """Create (or update a draft of) the case. Returns (case id, case number)."""
    require_case_worker(user)
    today = today or date.today()
    problems = blocking(validate(data, draft=draft, today=today))
    if problems:
        raise InvalidInput(problems[0].message, problems[0].field)
    site = SiteCode(store.info.site_code)
    with store.session(user.username) as s:
        if case_id is None:
            person = Person(family_name="")
            apply_person(person, data)
            s.add(person)
            s.flush()
            case = Case(case_number=next_case_number(s, site, today.year), person_id=person.id,
                        counsellor=user.username, opened_on=today, status="draft")
            s.add(case)
        else:
            case = get_live(s, Case, case_id, "Der Fall", gone="existiert nicht mehr")
            person = s.get_one(Person, case.person_id)
            apply_person(person, data)
            _tombstone_children(s, case.id)  # household and incomes are replaced by the form's lists
        case.status = "draft" if draft else "open"
        case.municipality = data.municipality or None
        case.moved_in = data.moved_in
        case.housing_note = data.housing_note or None
        case.came_via = data.came_via or None
        case.came_via_note = data.came_via_note or None
        case.first_needs = data.first_needs or None
        case.bausteine = sorted(set(data.bausteine))
        for name in ("landlord_name", "landlord_address"):
            setattr(case, name, getattr(data, name).strip() or None)
        case.tenancy_street, case.tenancy_plz, case.tenancy_city = (
            x.strip() or None for x in flat_address(data))
        for name in ("cold_rent", "utilities", "heating", "arrears", "arrears_since"):
            setattr(case, name, getattr(data, name))
        s.flush()
        if data.category and data.category != case.current_category:
            s.add(CategoryEntry(case_id=case.id, category=data.category, since=data.category_since or today))
            case.current_category = data.category
        for member in data.household:
            s.add(HouseholdMember(case_id=case.id, relation=member.relation, family_name=member.family_name or None,
                                  given_names=member.given_names or None, birth_date=member.birth_date,
                                  sex=member.sex))
        for income in data.incomes:
            s.add(Income(case_id=case.id, kind=income.kind, since=income.since, bg_number=income.bg_number or None,
                         note=income.note or None))
        audit.append(s, user.username, "case_saved" if case_id else "case_created", object_type="case",
                     object_id=str(case.id), detail="draft" if draft else "open")
        return case.id, case.case_number


def load_intake(store: Store, user: CurrentUser, case_id: uuid.UUID) -> IntakeData:
    """The form's values of a saved case, so a draft can be completed later."""
    require_case_worker(user)
    with store.read_session() as s:
        case = get_live(s, Case, case_id, "Der Fall", gone="existiert nicht mehr")
        person = s.get_one(Person, case.person_id)
        since = s.execute(select(CategoryEntry.since).where(CategoryEntry.case_id == case_id,
                                                            CategoryEntry.deleted_at.is_(None))
                          .order_by(CategoryEntry.since.desc())).scalars().first()

        def live(model):
            return s.execute(select(model).where(model.case_id == case_id, model.deleted_at.is_(None))).scalars()

        flat = (case.tenancy_street or "", case.tenancy_plz or "", case.tenancy_city or "")
        if flat == (person.street or "", person.plz or "", person.city or ""):
            flat = ("", "", "")  # the client's own address: it follows the address when the draft changes it
        return IntakeData(
            family_name=person.family_name, given_names=person.given_names, birth_date=person.birth_date,
            sex=person.sex, nationality=person.nationality or "", phone=person.phone or "", email=person.email or "",
            language=person.language or "", interpreter_needed=person.interpreter_needed, street=person.street or "",
            plz=person.plz or "", city=person.city or "", municipality=case.municipality or person.municipality or "",
            moved_in=case.moved_in, category=case.current_category or "", category_since=since,
            housing_note=case.housing_note or "", landlord_name=case.landlord_name or "",
            landlord_address=case.landlord_address or "", tenancy_street=flat[0], tenancy_plz=flat[1],
            tenancy_city=flat[2], cold_rent=case.cold_rent,
            utilities=case.utilities, heating=case.heating, arrears=case.arrears, arrears_since=case.arrears_since,
            came_via=case.came_via or "", came_via_note=case.came_via_note or "", first_needs=case.first_needs or "",
            bausteine=list(case.bausteine or []),
            household=[HouseholdData(m.relation, m.family_name or "", m.given_names or "", m.birth_date, m.sex)
                       for m in live(HouseholdMember)],
            incomes=[IncomeData(i.kind, i.since, i.bg_number or "", i.note or "") for i in live(Income)])


def _tombstone_children(session: Session, case_id: uuid.UUID) -> None:

    children: tuple[type[Any], ...] = (HouseholdMember, Income)
    for model in children:
        for row in session.execute(select(model).where(model.case_id == case_id,
                                                       model.deleted_at.is_(None))).scalars():
            tombstone(row)


# ---- the intake's tenancy for others (letters, the eviction form) -------------------------------------------------
def records_tenancy(landlord_name: str | None, cold_rent: int | None, arrears: int | None,
                    category: str | None) -> bool:
    """The intake describes a flat the client rents now: a landlord, a rent or arrears, and not a homeless category
    (for someone homeless the address typed is a shelter's or a postal one, never a tenancy)."""
    if not ((landlord_name or "").strip() or cold_rent or arrears):
        return False
    try:
        return not Category(category).is_homeless if category else True
    except ValueError:
        return True


def flat_address(data: IntakeData) -> tuple[str, str, str]:
    """The rented flat's (street, PLZ, Ort): typed separately, else the client's address when the intake records a
    tenancy there — typed once, so letters and the eviction proceeding know the flat."""
    typed = (data.tenancy_street, data.tenancy_plz, data.tenancy_city)
    if any(x.strip() for x in typed):
        return typed
    if records_tenancy(data.landlord_name, data.cold_rent, data.arrears, data.category):
        return data.street, data.plz, data.city
    return "", "", ""


@dataclass(frozen=True)
class Tenancy:
    """The case's current flat, landlord and rent as the intake (or a flat obtained later) recorded them."""

    landlord_name: str = ""
    landlord_address: str = ""
    street: str = ""
    plz: str = ""
    city: str = ""
    cold_rent: int | None = None
    utilities: int | None = None
    heating: int | None = None
    arrears: int | None = None
    arrears_since: date | None = None

    @property
    def address(self) -> str:
        """``Lindenstraße 4, 32584 Löhne``, leaving out what is not recorded."""
        place = f"{self.plz} {self.city}".strip()
        return ", ".join(x for x in (self.street, place) if x)

    @property
    def landlord(self) -> str:
        """``Wohnbau Musterstadt eG, Bahnhofstraße 1, 32584 Löhne`` or only the name."""
        return ", ".join(x for x in (self.landlord_name, self.landlord_address) if x)


def tenancy_of(session: Session, case: Case) -> Tenancy:
    """The flat and landlord of a case for letters and forms. A case saved before the intake filled the flat's
    address from the client's (or by another way) gets it by the same rule here."""
    street, plz, city = case.tenancy_street or "", case.tenancy_plz or "", case.tenancy_city or ""
    if not (street or plz or city) and records_tenancy(case.landlord_name, case.cold_rent, case.arrears,
                                                       case.current_category):
        person = session.get(Person, case.person_id)
        if person is not None:
            street, plz, city = person.street or "", person.plz or "", person.city or ""
    return Tenancy(case.landlord_name or "", (case.landlord_address or "").strip(), street, plz, city,
                   case.cold_rent, case.utilities, case.heating, case.arrears, case.arrears_since)


_TENANCY_LIMITS = (("landlord_name", "Vermieter", 200), ("landlord_address", "Anschrift des Vermieters", 300),
                   ("street", "Straße der Wohnung", 200), ("city", "Ort der Wohnung", 100))


def apply_tenancy(case: Case, flat: Tenancy) -> None:
    """Write the flat and landlord corrected elsewhere (the eviction form) back to the case: one place, so letters,
    the court proposal and the two-year bar of the Schonfrist read the same. Rent and arrears are not changed."""
    if flat.plz.strip() and not is_valid_plz(flat.plz):
        raise InvalidInput("Die Postleitzahl der Wohnung hat fünf Ziffern, z. B. 32584.", "tenancy_plz")
    for name, label, limit in _TENANCY_LIMITS:
        if len(getattr(flat, name).strip()) > limit:
            raise InvalidInput(f"{label}: höchstens {limit} Zeichen.", name if name.startswith("landlord")
                               else f"tenancy_{name}")
    case.landlord_name = flat.landlord_name.strip() or None
    case.landlord_address = flat.landlord_address.strip() or None
    case.tenancy_street = flat.street.strip() or None
    case.tenancy_plz = flat.plz.strip() or None
    case.tenancy_city = flat.city.strip() or None


def tenancy(store: Store, user: CurrentUser, case_id: uuid.UUID) -> Tenancy:
    """The case's tenancy as the eviction form starts with it."""
    require_case_worker(user)
    with store.read_session() as s:
        return tenancy_of(s, get_live(s, Case, case_id, "Der Fall", gone="existiert nicht mehr"))


def possible_duplicates(store: Store, user: CurrentUser, data: IntakeData) -> list[SimilarPerson]:
    """Persons already recorded who may be the one at intake (the duplicate warning before a new case)."""
    require_case_worker(user)
    with store.read_session() as s:
        return similar_persons(s, data.family_name, data.given_names, data.birth_date)
