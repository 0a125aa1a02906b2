"""KdU check (Kosten der Unterkunft, § 22 SGB II / § 35 SGB XII) against a versioned Kreis Herford table.

Pure functions on value types, no store. The limit is on the **Bruttokaltmiete** (Kaltmiete + kalte Nebenkosten);
heating is shown separately; floor space (50 m² + 15 m² per further person) is shown, never decides (DESIGN.md §10).
All money is integer cents; nothing here rounds through a float. A check is advice, never a Jobcenter decision.

A table version (``KduTable``) maps each of the nine municipalities to one Vergleichsraum; each Vergleichsraum has
limits for 1..n persons and an amount for each further person. Configurable surcharges (Klimabonus, single
parents, …) raise the limit when the household or flat has the matching attribute.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from whh_desktop.core.domain import karenzzeit as karenz
from whh_desktop.core.domain.formatting import fmt_count, fmt_date, fmt_money, fmt_number, plural
from whh_desktop.core.domain.municipalities import MUNICIPALITIES, by_name
from whh_desktop.core.domain.text import fold
from whh_desktop.core.errors import InvalidInput

MAX_PERSONS = 30
MAX_LIMIT = 1_000_000  # 10.000,00 € a month: anything above is a typing error
DEFAULT_MAX_TABLE_AGE_MONTHS = 24  # configurable (setting); an older table in use is flagged in every check
APPROPRIATE = "angemessen"
NOT_APPROPRIATE = "nicht angemessen"


@dataclass(frozen=True)
class Vergleichsraum:
    """A comparison area: its municipalities, the limits for 1..len(limits) persons and the amount per further
    person (cents a month)."""

    name: str
    municipalities: tuple[str, ...]
    limits: tuple[int, ...]
    per_further_person: int

    def limit(self, persons: int) -> int:
        check_persons(persons)
        if persons <= len(self.limits):
            return self.limits[persons - 1]
        return self.limits[-1] + (persons - len(self.limits)) * self.per_further_person


@dataclass(frozen=True)
class Surcharge:
    """A configurable rise of the limit when a household or flat has ``code`` as attribute (e.g. ``klimabonus``):
    a fixed amount in cents and/or a share of the base limit in basis points (1 % = 100), rounded half up in
    integers."""

    code: str
    label: str
    amount: int = 0
    basis_points: int = 0

    def on(self, base_limit: int) -> int:
        return self.amount + (base_limit * self.basis_points + 5_000) // 10_000


@dataclass(frozen=True)
class KduTable:
    label: str
    valid_from: date
    areas: tuple[Vergleichsraum, ...]
    valid_until: date | None = None
    first_person_m2: int = 50
    per_further_person_m2: int = 15
    surcharges: tuple[Surcharge, ...] = ()
    source: str = ""

    def area_of(self, municipality: str) -> Vergleichsraum:
        muni = check_municipality(municipality)
        for area in self.areas:
            if muni in area.municipalities:
                return area
        raise InvalidInput(f"Die Tabelle »{self.label}« ordnet {muni} keinem Vergleichsraum zu.", "municipality")

    def limit(self, municipality: str, persons: int, attributes: Iterable[str] = ()) -> int:
        base = self.area_of(municipality).limit(persons)
        return base + sum(s.on(base) for s in self.applicable(attributes))

    def applicable(self, attributes: Iterable[str]) -> tuple[Surcharge, ...]:
        wanted = set(attributes)
        return tuple(s for s in self.surcharges if s.code in wanted)

    def reasonable_floor_space(self, persons: int) -> int:
        check_persons(persons)
        return self.first_person_m2 + (persons - 1) * self.per_further_person_m2

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    @property
    def version(self) -> str:
        """How a check names the table: label and the day it became valid."""
        return f"{self.label} (gültig ab {fmt_date(self.valid_from)})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label, "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None, "source": self.source,
            "floor_space": {"first_person_m2": self.first_person_m2,
                            "per_further_person_m2": self.per_further_person_m2},
            "areas": [{"name": a.name, "municipalities": list(a.municipalities), "limits": list(a.limits),
                       "per_further_person": a.per_further_person} for a in self.areas],
            "surcharges": [{"code": s.code, "label": s.label, "amount": s.amount, "basis_points": s.basis_points}
                           for s in self.surcharges],
        }


def with_area_values(table: KduTable, area_name: str, limits: Sequence[int], per_further_person: int) -> KduTable:
    """A copy of ``table`` with new values for one Vergleichsraum (the form of a new table version edits these)."""
    if area_name not in {a.name for a in table.areas}:
        raise InvalidInput(f"Den Vergleichsraum »{area_name}« gibt es in dieser Tabelle nicht.", "areas")
    areas = tuple(replace(a, limits=tuple(limits), per_further_person=per_further_person) if a.name == area_name
                  else a for a in table.areas)
    return replace(table, areas=areas)


def table_from_dict(data: Mapping[str, Any]) -> KduTable:
    """The inverse of ``KduTable.to_dict`` (also the format of the seed file); malformed data → InvalidInput."""
    try:
        floor = data.get("floor_space") or {}
        return KduTable(
            label=str(data["label"]).strip(),
            valid_from=date.fromisoformat(data["valid_from"]),
            valid_until=date.fromisoformat(data["valid_until"]) if data.get("valid_until") else None,
            source=str(data.get("source") or ""),
            first_person_m2=int(floor.get("first_person_m2", 50)),
            per_further_person_m2=int(floor.get("per_further_person_m2", 15)),
            areas=tuple(Vergleichsraum(str(a["name"]).strip(), tuple(a["municipalities"]),
                                       tuple(_cents(v) for v in a["limits"]), _cents(a["per_further_person"]))
                        for a in data["areas"]),
            surcharges=tuple(Surcharge(str(s["code"]), str(s["label"]), _cents(s.get("amount", 0)),
                                       int(s.get("basis_points", 0))) for s in data.get("surcharges") or ()),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"Die KdU-Tabelle ist unvollständig oder fehlerhaft ({exc}).", "table") from None


def _cents(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"Betrag {value!r} ist nicht in ganzen Cent angegeben")
    return value


# ---- checks of input ----------------------------------------------------------------------------------------
def check_persons(persons: int, field: str = "persons") -> int:
    if not isinstance(persons, int) or isinstance(persons, bool) or persons < 1:
        raise InvalidInput("Die Haushaltsgröße muss mindestens 1 Person sein.", field)
    if persons > MAX_PERSONS:
        raise InvalidInput(f"Ein Haushalt mit mehr als {MAX_PERSONS} Personen? Bitte die Zahl prüfen.", field)
    return persons


def check_municipality(name: str, field: str = "municipality") -> str:
    """The canonical name of a municipality of Kreis Herford, folded like search (``Loehne`` = ``Löhne``);
    anything else is refused in German."""
    muni = by_name(name or "")
    if muni is None:
        wanted = fold(name or "")
        muni = next((m for m in MUNICIPALITIES if fold(m.name) == wanted), None) if wanted else None
    if muni is None:
        names = ", ".join(m.name for m in MUNICIPALITIES)
        raise InvalidInput(f"»{(name or '').strip()}« ist keine Gemeinde im Kreis Herford. Möglich sind: {names}.",
                           field)
    return muni.name


def validate_table(table: KduTable) -> None:
    """Every municipality in exactly one Vergleichsraum, every household size with a positive, rising limit."""
    if not table.label:
        raise InvalidInput("Bitte der Tabelle eine Bezeichnung geben (z. B. »Richtwerte ab 01.01.2024«).", "label")
    if table.valid_until is not None and table.valid_until < table.valid_from:
        raise InvalidInput("»Gültig bis« liegt vor »gültig ab«.", "valid_until")
    if not table.areas:
        raise InvalidInput("Die Tabelle hat keinen Vergleichsraum.", "areas")
    seen: dict[str, str] = {}
    sizes = {len(a.limits) for a in table.areas}
    for area in table.areas:
        if not area.name:
            raise InvalidInput("Ein Vergleichsraum hat keinen Namen.", "areas")
        if not area.municipalities:
            raise InvalidInput(f"Dem Vergleichsraum »{area.name}« ist keine Gemeinde zugeordnet.", "areas")
        for name in area.municipalities:
            muni = check_municipality(name, "areas")
            if muni in seen:
                raise InvalidInput(f"{muni} steht in zwei Vergleichsräumen (»{seen[muni]}« und »{area.name}«).",
                                   "areas")
            seen[muni] = area.name
        if not area.limits:
            raise InvalidInput(f"Im Vergleichsraum »{area.name}« fehlen die Grenzwerte.", "limits")
        for persons, value in enumerate((*area.limits, area.per_further_person), start=1):
            what = (plural(persons, "Person", "Personen") if persons <= len(area.limits)
                    else "jede weitere Person")
            if value is None or value <= 0:
                raise InvalidInput(f"Im Vergleichsraum »{area.name}« fehlt der Wert für {what}.", "limits")
            if value > MAX_LIMIT:
                raise InvalidInput(f"Im Vergleichsraum »{area.name}« ist der Wert für {what} unplausibel hoch "
                                   f"({fmt_money(value)}).", "limits")
        if any(b < a for a, b in pairwise(area.limits)):
            raise InvalidInput(f"Im Vergleichsraum »{area.name}« sinkt die Grenze bei mehr Personen. Bitte die "
                               "Werte prüfen.", "limits")
    if len(sizes) != 1:
        raise InvalidInput("Die Vergleichsräume haben unterschiedlich viele Haushaltsgrößen; es fehlt ein Wert.",
                           "limits")
    missing = [m.name for m in MUNICIPALITIES if m.name not in seen]
    if missing:
        raise InvalidInput(f"Lücke in der Tabelle: {', '.join(missing)} gehört zu keinem Vergleichsraum.", "areas")
    if table.first_person_m2 <= 0 or table.per_further_person_m2 < 0:
        raise InvalidInput("Die angemessene Wohnfläche muss größer als 0 m² sein.", "floor_space")
    codes = [s.code for s in table.surcharges]
    if len(codes) != len(set(codes)) or any(not c for c in codes):
        raise InvalidInput("Jeder Zuschlag braucht ein eigenes, eindeutiges Kürzel.", "surcharges")
    if any(s.amount < 0 or s.basis_points < 0 for s in table.surcharges):
        raise InvalidInput("Ein Zuschlag darf nicht negativ sein.", "surcharges")


def validate_versions(tables: Sequence[KduTable]) -> None:
    """The versions together: no two with the same or overlapping validity, and no gap between one's end and the
    next one's start (a version without end runs until the next begins)."""
    ordered = sorted(tables, key=lambda t: t.valid_from)
    for earlier, later in pairwise(ordered):
        if earlier.valid_from == later.valid_from:
            raise InvalidInput(f"Es gibt schon eine KdU-Tabelle gültig ab {fmt_date(later.valid_from)} "
                               f"(»{earlier.label}«). Zwei Tabellen dürfen nicht am selben Tag beginnen.",
                               "valid_from")
        if earlier.valid_until is not None:
            if earlier.valid_until >= later.valid_from:
                raise InvalidInput(f"Die Tabelle »{earlier.label}« gilt bis {fmt_date(earlier.valid_until)} und "
                                   f"überschneidet sich mit »{later.label}« ab {fmt_date(later.valid_from)}.",
                                   "valid_from")
            if earlier.valid_until + timedelta(days=1) < later.valid_from:
                raise InvalidInput(f"Lücke: zwischen {fmt_date(earlier.valid_until)} (Ende von »{earlier.label}«) "
                                   f"und {fmt_date(later.valid_from)} (Beginn von »{later.label}«) gilt keine "
                                   "Tabelle.", "valid_from")


def table_for(tables: Sequence[KduTable], on: date) -> KduTable:
    """The version valid on ``on``: the latest that began on or before it (and has not ended)."""
    candidates = [t for t in tables if t.valid_from <= on]
    if not candidates:
        raise InvalidInput(f"Für den {fmt_date(on)} gibt es keine KdU-Tabelle.", "date")
    table = max(candidates, key=lambda t: t.valid_from)
    if not table.covers(on):
        raise InvalidInput(f"Die letzte KdU-Tabelle endete am {fmt_date(table.valid_until)}; für den "
                           f"{fmt_date(on)} gibt es keine.", "date")
    return table


def table_age_months(table: KduTable, on: date) -> int:
    """Full months from the day the table became valid to ``on`` (0 for a table not yet a month old)."""
    months = (on.year - table.valid_from.year) * 12 + on.month - table.valid_from.month
    return max(0, months - (1 if on.day < table.valid_from.day else 0))


def table_age_warning(table: KduTable, on: date, max_months: int = DEFAULT_MAX_TABLE_AGE_MONTHS) -> str:
    """A German warning when the table used on ``on`` is older than ``max_months``; empty when it is not."""
    age = table_age_months(table, on)
    if age <= max_months:
        return ""
    years, months = divmod(age, 12)
    span = plural(years, "Jahr", "Jahren") + (f" und {plural(months, 'Monat', 'Monaten')}" if months else "")
    return (f"Die KdU-Tabelle »{table.label}« gilt seit {fmt_date(table.valid_from)}, also seit {span} – älter als "
            f"{plural(max_months, 'Monat', 'Monate')}. "
            "Bitte prüfen, ob der Kreis neuere Richtwerte beschlossen hat (neue "
            "Version unter »Vermieter und Wohnungen → KdU-Tabelle« beim Kreis eintragen).")


# ---- the check ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KduCheck:
    """The answer of one check. ``difference`` > 0: so many cents over the limit; ≤ 0: within it."""

    table_version: str
    table_valid_from: date
    municipality: str
    area: str
    persons: int
    gross_rent: int                  # Bruttokaltmiete
    limit: int
    base_limit: int
    cold_rent: int | None = None
    utilities: int | None = None
    heating: int | None = None
    floor_space_m2: float | None = None
    reasonable_floor_space_m2: int = 0
    surcharges: tuple[str, ...] = field(default=())
    checked_on: date | None = None
    table_age_months: int = 0
    table_warning: str = ""                              # empty: the table is recent enough
    karenzzeit: karenz.KarenzzeitResult | None = None  # None: no benefit start given

    @property
    def table_outdated(self) -> bool:
        return bool(self.table_warning)

    @property
    def rule_text(self) -> str:
        """Which rule applied, in German: the Karenzzeit sentence, or that the limit applies."""
        if self.karenzzeit is not None:
            return self.karenzzeit.text
        return ("Ohne Leistungsbeginn geprüft: verglichen wird mit der Grenze (eine Karenzzeit ist nicht "
                "berücksichtigt).")

    @property
    def appropriate(self) -> bool:
        return self.gross_rent <= self.limit

    @property
    def difference(self) -> int:
        return self.gross_rent - self.limit

    @property
    def verdict(self) -> str:
        return APPROPRIATE if self.appropriate else NOT_APPROPRIATE

    @property
    def floor_space_within(self) -> bool | None:
        return None if self.floor_space_m2 is None else self.floor_space_m2 <= self.reasonable_floor_space_m2

    def summary(self) -> str:
        """One German sentence: ``nicht angemessen: 430,00 € liegt 5,55 € über der Grenze von 424,45 €``."""
        if self.appropriate:
            room = f", {fmt_money(-self.difference)} darunter" if self.difference else ", genau auf der Grenze"
            return f"{APPROPRIATE}: {fmt_money(self.gross_rent)} ≤ {fmt_money(self.limit)}{room}"
        return (f"{NOT_APPROPRIATE}: {fmt_money(self.gross_rent)} liegt {fmt_money(self.difference)} über "
                f"der Grenze von {fmt_money(self.limit)}")

    def lines(self) -> list[str]:
        """The full result as the app and ``whh kdu check`` show it."""
        out = [f"Ergebnis: {self.summary()}"]
        if self.karenzzeit is not None:
            k = self.karenzzeit
            out.append(f"Leistungsbeginn: {fmt_date(k.benefit_start)}")
            out.append(f"Regel: {k.text}")
            out.append(f"Anerkannt: {fmt_money(k.recognised)} im Monat (Stand {fmt_date(k.on)})")
            out.extend(f"Hinweis: {n}" for n in k.notes)
        else:
            out.append(f"Regel: {self.rule_text}")
        if self.cold_rent is not None and self.utilities is not None:
            out.append(f"Bruttokaltmiete: {fmt_money(self.cold_rent)} Kaltmiete + {fmt_money(self.utilities)} "
                       f"kalte Nebenkosten = {fmt_money(self.gross_rent)}")
        else:
            out.append(f"Bruttokaltmiete: {fmt_money(self.gross_rent)}")
        out.append(f"Grenze: {fmt_money(self.limit)} für {plural(self.persons, 'Person', 'Personen')} "
                   f"im Vergleichsraum {self.area} ({self.municipality})")
        if self.surcharges:
            out.append(f"darin Zuschläge: {', '.join(self.surcharges)} (Grundwert {fmt_money(self.base_limit)})")
        space = f"angemessen bis {self.reasonable_floor_space_m2} m²"
        if self.floor_space_m2 is not None:
            verdict = "innerhalb" if self.floor_space_within else "darüber (nur Hinweis)"
            out.append(f"Wohnfläche: {format_area(self.floor_space_m2)} ({space}; {verdict})")
        else:
            out.append(f"Wohnfläche: {space} (nur Hinweis)")
        if self.heating is not None:
            out.append(f"Heizkosten: {fmt_money(self.heating)} (werden gesondert geprüft)")
        out.append(f"Tabelle: {self.table_version}")
        if self.karenzzeit is not None and self.karenzzeit.rule_label:
            k = self.karenzzeit
            out.append(f"Karenzzeit-Regel: {k.rule_label} (gültig ab {fmt_date(k.rule_valid_from)})")
            out.append(f"Quelle: {k.rule_source}")
        if self.table_warning:
            out.append(f"Warnung: {self.table_warning}")
        out.append("Hinweis: Die Prüfung ist eine Einschätzung, keine Entscheidung des Jobcenters.")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "ergebnis": self.verdict, "angemessen": self.appropriate, "bruttokaltmiete_cent": self.gross_rent,
            "grenze_cent": self.limit, "grundwert_cent": self.base_limit, "differenz_cent": self.difference,
            "bruttokaltmiete": fmt_money(self.gross_rent), "grenze": fmt_money(self.limit),
            "differenz": fmt_money(abs(self.difference)), "kaltmiete_cent": self.cold_rent,
            "nebenkosten_cent": self.utilities, "heizkosten_cent": self.heating, "gemeinde": self.municipality,
            "vergleichsraum": self.area, "personen": self.persons, "wohnflaeche_m2": self.floor_space_m2,
            "angemessene_wohnflaeche_m2": self.reasonable_floor_space_m2, "zuschlaege": list(self.surcharges),
            "tabelle": self.table_version, "tabelle_gueltig_ab": self.table_valid_from.isoformat(),
            "text": self.summary(), "stichtag": self.checked_on.isoformat() if self.checked_on else None,
            "tabelle_alter_monate": self.table_age_months, "tabelle_veraltet": self.table_outdated,
            "tabelle_warnung": self.table_warning, "regel": self.rule_text,
            "karenzzeit": self.karenzzeit.as_dict() if self.karenzzeit else None,
        }


def check(table: KduTable, municipality: str, persons: int, *, cold_rent: int | None = None,
          utilities: int | None = None, gross_rent: int | None = None, heating: int | None = None,
          floor_space_m2: float | None = None, attributes: Iterable[str] = (), on: date | None = None,
          benefit_start: date | None = None, benefit: karenz.BenefitFacts | None = None,
          rules: Sequence[karenz.KarenzzeitRule] = (),
          max_table_age_months: int = DEFAULT_MAX_TABLE_AGE_MONTHS) -> KduCheck:
    """Check a rent for a household. Give either ``cold_rent`` and ``utilities`` (their sum is the
    Bruttokaltmiete) or ``gross_rent`` directly. ``on`` is the day of the check (today if None): the table's age
    is measured to it. With ``benefit_start`` (or the fuller ``benefit``) the Karenzzeit ``rules`` say which rule
    applies and what is recognised; a benefit start after ``on`` is refused."""
    check_persons(persons)
    if gross_rent is None:
        if cold_rent is None:
            raise InvalidInput("Bitte die Kaltmiete angeben.", "cold_rent")
        if utilities is None:
            raise InvalidInput("Bitte die kalten Nebenkosten angeben (0, wenn keine).", "utilities")
        gross_rent = cold_rent + utilities
    for name, value in (("cold_rent", cold_rent), ("utilities", utilities), ("gross_rent", gross_rent),
                        ("heating", heating)):
        if value is not None and value < 0:
            raise InvalidInput("Ein Betrag darf nicht negativ sein.", name)
    if floor_space_m2 is not None:
        check_floor_space(floor_space_m2)
    area = table.area_of(municipality)
    base = area.limit(persons)
    applied = table.applicable(attributes)
    day = on or date.today()
    limit = base + sum(s.on(base) for s in applied)
    if benefit is None and benefit_start is not None:
        benefit = karenz.BenefitFacts(benefit_start)
    rule_result = None if benefit is None else karenz.apply(
        rules, benefit, on=day, gross_rent=gross_rent, limit=limit, floor_space_m2=floor_space_m2)
    return KduCheck(
        table_version=table.version, table_valid_from=table.valid_from, municipality=check_municipality(municipality),
        area=area.name, persons=persons, gross_rent=gross_rent, limit=limit,
        base_limit=base, cold_rent=cold_rent, utilities=utilities, heating=heating, floor_space_m2=floor_space_m2,
        reasonable_floor_space_m2=table.reasonable_floor_space(persons), surcharges=tuple(s.label for s in applied),
        checked_on=day, table_age_months=table_age_months(table, day),
        table_warning=table_age_warning(table, day, max_table_age_months), karenzzeit=rule_result)


# ---- floor space --------------------------------------------------------------------------------------------
MIN_FLOOR_SPACE = 5.0
MAX_FLOOR_SPACE = 1_000.0


def check_floor_space(m2: float, field: str = "floor_space") -> float:
    if m2 is None or m2 <= 0:
        raise InvalidInput("Die Wohnfläche muss größer als 0 m² sein.", field)
    if m2 < MIN_FLOOR_SPACE:
        raise InvalidInput(f"Eine Wohnung unter {MIN_FLOOR_SPACE:.0f} m²? Bitte die Wohnfläche prüfen.", field)
    if m2 > MAX_FLOOR_SPACE:
        raise InvalidInput(f"Eine Wohnfläche über {fmt_count(round(MAX_FLOOR_SPACE))} m² ist nicht plausibel. "
                           "Bitte prüfen.", field)
    return m2


def parse_area(text: str, field: str = "floor_space") -> float:
    """``54,5`` or ``54.5`` (m²) → 54.5; checked for plausibility."""
    cleaned = text.replace("m²", "").replace("qm", "").strip().replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise InvalidInput(f"Wohnfläche: »{text.strip()}« ist keine Zahl (Beispiel: 54,5).", field) from None
    return check_floor_space(round(value, 2), field)


def format_area(m2: float) -> str:
    """``54.5`` → ``54,5 m²``, ``60.0`` → ``60 m²``."""
    return fmt_number(m2, 2) + " m²"
