"""Karenzzeit rules (§ 22 Abs. 1 SGB II) as versioned data, and which of them applies to a rent on a day.

Pure functions on value types. DOMAIN.md "Rent costs": in the first year of benefits the actual rent is recognised;
afterwards the KdU limit applies, normally with six more months to reduce costs. The reform "Neue Grundsicherung"
(from 1 July 2026) keeps the year but caps the rent at 1.5 × the limit from the first month, except for unavoidable
costs and households with children, and lets the district set a local maximum rent per m². All of it is rule data
(``KarenzzeitRule``) the district edits, versioned by ``valid_from`` and citing its source; nothing is hard-coded
here except the codes of the exceptions a rule may name.

The Karenzzeit is extended by every full calendar month without benefits inside it; none applies when costs were
already lowered after an earlier Kostensenkungsverfahren; a move during it without prior Zusicherung is recognised
only up to the limit. Existing cases switch to a new rule at their next approval period (``approval_from``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any, TypedDict

from whh_desktop.core.domain.deadlines import add_months
from whh_desktop.core.domain.formatting import fmt_date as _fmt  # the short name the rule texts use
from whh_desktop.core.domain.formatting import fmt_money, fmt_number, plural
from whh_desktop.core.errors import InvalidInput

# Exceptions a rule may list: they lift the cap inside the Karenzzeit. Code → German label.
EXCEPTIONS: dict[str, str] = {
    "unvermeidbar": "unvermeidbare Kosten (z. B. kein günstigerer Wohnraum verfügbar)",
    "kinder": "Haushalt mit Kindern",
}
MAX_MONTHS = 60
MAX_CAP_PERCENT = 1_000

# Phases of a check (the wire/JSON value; the German text says the rest).
IN_KARENZZEIT = "karenzzeit"
IN_COST_REDUCTION = "kostensenkung"
LIMIT_APPLIES = "grenze"
NO_RULE = "keine_regel"


@dataclass(frozen=True)
class KarenzzeitRule:
    """One version of the rule. ``cap_percent`` 150 = the rent counts at most at 1.5 × the limit inside the
    Karenzzeit (None: no cap); ``exceptions`` are codes of ``EXCEPTIONS`` that lift the cap;
    ``max_rent_per_m2`` (cents per m², None = not set) is the local maximum the reform allows."""

    label: str
    valid_from: date
    months: int = 12
    cap_percent: int | None = None
    exceptions: tuple[str, ...] = ()
    cost_reduction_months: int = 6
    max_rent_per_m2: int | None = None
    source: str = ""
    valid_until: date | None = None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def cap_on(self, limit: int) -> int | None:
        """The cap in cents for a limit, rounded half up in integers (None: this rule has no cap)."""
        return None if self.cap_percent is None else (limit * self.cap_percent + 50) // 100

    def describe(self) -> str:
        """The rule in one German paragraph, as the district page and a check show it."""
        parts = [f"{self.label} (gültig ab {_fmt(self.valid_from)}"
                 + (f" bis {_fmt(self.valid_until)}" if self.valid_until else "") + "):",
                 f"Karenzzeit {plural(self.months, 'Monat', 'Monate')} ab Leistungsbeginn, "
                 "tatsächliche Miete wird anerkannt"]
        if self.cap_percent is not None:
            parts[-1] += f", höchstens das {format_factor(self.cap_percent)}-Fache der Grenze ab dem ersten Monat"
            if self.exceptions:
                parts[-1] += " (nicht bei: " + ", ".join(EXCEPTIONS.get(e, e) for e in self.exceptions) + ")"
        parts[-1] += f"; danach gilt die Grenze, Kostensenkung in der Regel innerhalb von " \
                     f"{plural(self.cost_reduction_months, 'Monat', 'Monaten')}."
        if self.max_rent_per_m2 is not None:
            parts.append(f"Örtliche Höchstmiete: {fmt_money(self.max_rent_per_m2)} je m².")
        if self.source:
            parts.append(f"Quelle: {self.source}")
        return " ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "valid_from": self.valid_from.isoformat(),
                "valid_until": self.valid_until.isoformat() if self.valid_until else None, "months": self.months,
                "cap_percent": self.cap_percent, "exceptions": list(self.exceptions),
                "cost_reduction_months": self.cost_reduction_months, "max_rent_per_m2": self.max_rent_per_m2,
                "source": self.source}


def rule_from_dict(data: Mapping[str, Any]) -> KarenzzeitRule:
    """The inverse of ``KarenzzeitRule.to_dict`` (also the seed format); malformed data → InvalidInput."""
    try:
        return KarenzzeitRule(
            label=str(data["label"]).strip(), valid_from=date.fromisoformat(data["valid_from"]),
            valid_until=date.fromisoformat(data["valid_until"]) if data.get("valid_until") else None,
            months=int(data.get("months", 12)),
            cap_percent=int(data["cap_percent"]) if data.get("cap_percent") is not None else None,
            exceptions=tuple(str(e) for e in data.get("exceptions") or ()),
            cost_reduction_months=int(data.get("cost_reduction_months", 6)),
            max_rent_per_m2=int(data["max_rent_per_m2"]) if data.get("max_rent_per_m2") is not None else None,
            source=str(data.get("source") or ""))
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"Die Karenzzeit-Regel ist unvollständig oder fehlerhaft ({exc}).", "rule") from None


def format_factor(cap_percent: int) -> str:
    """150 → ``1,5``; 200 → ``2``."""
    return fmt_number(cap_percent / 100)


def parse_factor(text: str, field: str = "cap_percent") -> int | None:
    """``1,5`` → 150 (percent of the limit); empty → None (no cap)."""
    cleaned = (text or "").strip().replace("×", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise InvalidInput(f"Kappungsfaktor: »{text.strip()}« ist keine Zahl (Beispiel: 1,5).", field) from None
    percent = round(value * 100)
    if abs(percent - value * 100) > 1e-6:
        raise InvalidInput("Kappungsfaktor: höchstens zwei Nachkommastellen (z. B. 1,5 oder 1,25).", field)
    return percent


def validate_rule(rule: KarenzzeitRule) -> None:
    if not rule.label:
        raise InvalidInput("Bitte der Regel eine Bezeichnung geben (z. B. »Neue Grundsicherung«).", "label")
    if rule.valid_until is not None and rule.valid_until < rule.valid_from:
        raise InvalidInput("»Gültig bis« liegt vor »gültig ab«.", "valid_until")
    if not 0 <= rule.months <= MAX_MONTHS:
        raise InvalidInput(f"Die Karenzzeit muss zwischen 0 und {MAX_MONTHS} Monaten lang sein.", "months")
    if not 0 <= rule.cost_reduction_months <= MAX_MONTHS:
        raise InvalidInput(f"Die Frist zur Kostensenkung muss zwischen 0 und {MAX_MONTHS} Monaten liegen.",
                           "cost_reduction_months")
    if rule.cap_percent is not None and not 100 <= rule.cap_percent <= MAX_CAP_PERCENT:
        raise InvalidInput("Der Kappungsfaktor muss mindestens 1 sein (die Grenze selbst) und höchstens 10; leer "
                           "lassen, wenn es keine Kappung gibt.", "cap_percent")
    unknown = [e for e in rule.exceptions if e not in EXCEPTIONS]
    if unknown:
        raise InvalidInput(f"Unbekannte Ausnahme »{unknown[0]}«. Möglich: {', '.join(EXCEPTIONS)}.", "exceptions")
    if rule.exceptions and rule.cap_percent is None:
        raise InvalidInput("Ausnahmen heben die Kappung auf; ohne Kappungsfaktor haben sie keine Wirkung.",
                           "exceptions")
    if rule.max_rent_per_m2 is not None and not 0 < rule.max_rent_per_m2 <= 10_000:
        raise InvalidInput("Die örtliche Höchstmiete je m² muss über 0 und höchstens 100,00 € liegen; leer lassen, "
                           "wenn der Kreis keine festgelegt hat.", "max_rent_per_m2")
    if not rule.source.strip():
        raise InvalidInput("Bitte die Quelle der Regel angeben (Gesetz, Fassung, Fundstelle) – sie wird bei jeder "
                           "Prüfung angezeigt.", "source")


def validate_rules(rules: Sequence[KarenzzeitRule]) -> None:
    """Versions together: no two starting the same day, no overlapping validity (a version without end runs until
    the next begins). A gap is allowed: on those days no Karenzzeit rule applies and the limit does."""
    ordered = sorted(rules, key=lambda r: r.valid_from)
    for earlier, later in pairwise(ordered):
        if earlier.valid_from == later.valid_from:
            raise InvalidInput(f"Es gibt schon eine Karenzzeit-Regel gültig ab {_fmt(later.valid_from)} "
                               f"(»{earlier.label}«). Zwei Regeln dürfen nicht am selben Tag beginnen.",
                               "valid_from")
        if earlier.valid_until is not None and earlier.valid_until >= later.valid_from:
            raise InvalidInput(f"Die Regel »{earlier.label}« gilt bis {_fmt(earlier.valid_until)} und überschneidet "
                               f"sich mit »{later.label}« ab {_fmt(later.valid_from)}. Bitte ein Ende vor dem "
                               "Beginn der nächsten Regel wählen.", "valid_from")


def rule_for(rules: Sequence[KarenzzeitRule], on: date) -> KarenzzeitRule | None:
    """The version valid on ``on``: the latest that began on or before it, if it has not ended."""
    candidates = [r for r in rules if r.valid_from <= on]
    if not candidates:
        return None
    rule = max(candidates, key=lambda r: r.valid_from)
    return rule if rule.covers(on) else None


# ---- applying a rule ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BenefitFacts:
    """What the case knows about the benefit: ``start`` (first day of Bürgergeld/Grundsicherungsgeld or SGB XII),
    full calendar months without benefits inside the Karenzzeit, the exceptions that hold (codes of
    ``EXCEPTIONS``), an earlier Kostensenkungsverfahren after which costs were lowered, a move without prior
    Zusicherung, and the start of the current approval period (existing cases switch rules there)."""

    start: date
    months_without_benefits: int = 0
    exceptions: tuple[str, ...] = ()
    earlier_cost_reduction: bool = False
    moved_without_assurance: bool = False
    approval_from: date | None = None


@dataclass(frozen=True)
class KarenzzeitResult:
    """Which rule applied on ``on`` and what it means for this rent. ``recognised``: cents the rule recognises;
    ``text``: one German sentence stating the rule applied; ``notes``: further German hints."""

    phase: str
    on: date
    benefit_start: date
    recognised: int
    text: str
    rule_label: str = ""
    rule_source: str = ""
    rule_valid_from: date | None = None
    ends_on: date | None = None              # last day of the Karenzzeit
    reduction_ends_on: date | None = None    # last day of the usual six months to reduce costs
    cap: int | None = None                   # cents; None = no cap applied
    cap_lifted_by: tuple[str, ...] = ()      # German labels of the exceptions that lifted it
    notes: tuple[str, ...] = ()

    @property
    def limit_bites(self) -> bool:
        """True once the KdU limit (not the actual rent) decides what is recognised."""
        return self.phase in (LIMIT_APPLIES, NO_RULE)

    def as_dict(self) -> dict[str, Any]:
        return {"phase": self.phase, "stichtag": self.on.isoformat(), "leistungsbeginn": self.benefit_start.isoformat(),
                "anerkannt_cent": self.recognised, "anerkannt": fmt_money(self.recognised), "text": self.text,
                "regel": self.rule_label, "quelle": self.rule_source,
                "regel_gueltig_ab": self.rule_valid_from.isoformat() if self.rule_valid_from else None,
                "karenzzeit_bis": self.ends_on.isoformat() if self.ends_on else None,
                "kostensenkung_bis": self.reduction_ends_on.isoformat() if self.reduction_ends_on else None,
                "kappung_cent": self.cap, "kappung_entfaellt_wegen": list(self.cap_lifted_by),
                "hinweise": list(self.notes)}


def check_benefit(facts: BenefitFacts, on: date) -> None:
    """Bad input of the benefit facts → German message (nothing is computed from it)."""
    if facts.start > on:
        raise InvalidInput(f"Der Leistungsbeginn {_fmt(facts.start)} liegt in der Zukunft (Prüfung zum {_fmt(on)}). "
                           "Eine Karenzzeit beginnt erst mit dem Leistungsbezug; bitte das Datum prüfen.",
                           "benefit_start")
    if not 0 <= facts.months_without_benefits <= MAX_MONTHS:
        raise InvalidInput(f"Monate ohne Leistungen: bitte eine Zahl von 0 bis {MAX_MONTHS}.",
                           "months_without_benefits")
    unknown = [e for e in facts.exceptions if e not in EXCEPTIONS]
    if unknown:
        raise InvalidInput(f"Unbekannte Ausnahme »{unknown[0]}«. Möglich: {', '.join(EXCEPTIONS)}.", "exceptions")
    if facts.approval_from is not None and facts.approval_from > on:
        raise InvalidInput(f"Der Bewilligungszeitraum ab {_fmt(facts.approval_from)} hat zum {_fmt(on)} noch nicht "
                           "begonnen.", "approval_from")


class _Day(TypedDict):
    """The result fields every outcome carries."""

    on: date
    benefit_start: date


class _Rule(TypedDict, total=False):
    """The result fields that describe the rule applied (and, once computed, its periods)."""

    rule_label: str
    rule_source: str
    rule_valid_from: date
    ends_on: date
    reduction_ends_on: date


def apply(rules: Sequence[KarenzzeitRule], facts: BenefitFacts, *, on: date, gross_rent: int, limit: int,
          floor_space_m2: float | None = None) -> KarenzzeitResult:
    """What the Karenzzeit rules say about ``gross_rent`` on ``on`` for a household whose limit is ``limit``."""
    check_benefit(facts, on)
    rule_day = facts.approval_from or on
    rule = rule_for(rules, rule_day)
    notes: list[str] = []
    current = rule_for(rules, on)
    if current is not None and current != rule and rule is not None:
        notes.append(f"Ab dem nächsten Bewilligungszeitraum gilt »{current.label}«.")
    elif (facts.approval_from is None and rule is not None and facts.start < rule.valid_from
          and (previous := rule_for(rules, rule.valid_from - timedelta(days=1))) is not None):
        notes.append(f"Leistungsbezug schon vor dem {_fmt(rule.valid_from)}: bestehende Fälle wechseln erst mit dem "
                     f"nächsten Bewilligungszeitraum zu »{rule.label}«; bis dahin gilt »{previous.label}«. Den Beginn "
                     "des Bewilligungszeitraums angeben, um das zu berücksichtigen.")
    common = _Day(on=on, benefit_start=facts.start)
    if rule is None:
        return KarenzzeitResult(NO_RULE, recognised=min(gross_rent, limit), notes=tuple(notes), **common,
                                text=f"Für den {_fmt(rule_day)} ist keine Karenzzeit-Regel hinterlegt; es gilt die "
                                     "Grenze.")
    about = _Rule(rule_label=rule.label, rule_source=rule.source, rule_valid_from=rule.valid_from)
    if facts.earlier_cost_reduction:
        return KarenzzeitResult(LIMIT_APPLIES, recognised=min(gross_rent, limit), notes=tuple(notes), **common,
                                **about, text="Keine Karenzzeit: die Unterkunftskosten wurden schon nach einem "
                                              "früheren Kostensenkungsverfahren gesenkt; es gilt die Grenze.")
    ends_on = add_months(facts.start, rule.months + facts.months_without_benefits) - timedelta(days=1)
    reduction_ends_on = add_months(ends_on + timedelta(days=1), rule.cost_reduction_months) - timedelta(days=1)
    about |= _Rule(ends_on=ends_on, reduction_ends_on=reduction_ends_on)
    if facts.months_without_benefits:
        notes.append(f"Verlängert um {facts.months_without_benefits} volle Monat(e) ohne Leistungen.")
    if on <= ends_on:
        if facts.moved_without_assurance:
            return KarenzzeitResult(IN_KARENZZEIT, recognised=min(gross_rent, limit), notes=tuple(notes), **common,
                                    **about, text=f"Karenzzeit bis {_fmt(ends_on)}, aber Umzug ohne vorherige "
                                                  "Zusicherung: anerkannt wird nur bis zur Grenze "
                                                  f"({fmt_money(limit)}).")
        return _inside(rule, facts, gross_rent, limit, floor_space_m2, notes, common, about)
    if gross_rent <= limit:
        return KarenzzeitResult(LIMIT_APPLIES, recognised=gross_rent, notes=tuple(notes), **common, **about,
                                text=f"Karenzzeit endete am {_fmt(ends_on)}; die Grenze gilt, die Miete liegt "
                                     "innerhalb.")
    if on <= reduction_ends_on:
        return KarenzzeitResult(IN_COST_REDUCTION, recognised=gross_rent, notes=tuple(notes), **common, **about,
                                text=f"Karenzzeit endete am {_fmt(ends_on)}; jetzt gilt die Grenze "
                                     f"({fmt_money(limit)}). Zur Senkung der Kosten wird die tatsächliche Miete in "
                                     "der Regel noch "
                                     f"{plural(rule.cost_reduction_months, 'Monat', 'Monate')} übernommen, längstens "
                                     f"bis {_fmt(reduction_ends_on)} (Frist läuft ab der Aufforderung des Jobcenters).")
    return KarenzzeitResult(LIMIT_APPLIES, recognised=limit, notes=tuple(notes), **common, **about,
                            text=f"Karenzzeit endete am {_fmt(ends_on)}, die übliche Frist zur Kostensenkung "
                                 f"({plural(rule.cost_reduction_months, 'Monat', 'Monate')}) am "
                                 f"{_fmt(reduction_ends_on)}; anerkannt wird bis zur Grenze ({fmt_money(limit)}).")


def _inside(rule: KarenzzeitRule, facts: BenefitFacts, gross_rent: int, limit: int, floor_space_m2: float | None,
            notes: list[str], common: _Day, about: _Rule) -> KarenzzeitResult:
    ends_on = about["ends_on"]
    head = f"Karenzzeit bis {_fmt(ends_on)} (Grenze greift ab {_fmt(ends_on + timedelta(days=1))})"
    lifted = tuple(EXCEPTIONS[e] for e in rule.exceptions if e in facts.exceptions)
    caps: list[tuple[int, str]] = []
    if rule.cap_percent is not None and not lifted:
        caps.append((rule.cap_on(limit) or 0, f"das {format_factor(rule.cap_percent)}-Fache der Grenze"))
    if rule.max_rent_per_m2 is not None and floor_space_m2 is not None and not lifted:
        caps.append((round(rule.max_rent_per_m2 * floor_space_m2), f"die örtliche Höchstmiete "
                     f"({fmt_money(rule.max_rent_per_m2)} je m²)"))
    elif rule.max_rent_per_m2 is not None and floor_space_m2 is None and not lifted:
        notes.append("Örtliche Höchstmiete je m² festgelegt, aber keine Wohnfläche angegeben: nicht geprüft.")
    if not caps:
        why = f"; Kappung entfällt: {', '.join(lifted)}" if lifted else ""
        return KarenzzeitResult(IN_KARENZZEIT, recognised=gross_rent, cap_lifted_by=lifted, notes=tuple(notes),
                                **common, **about, text=f"{head}: die tatsächliche Miete wird anerkannt{why}.")
    cap, what = min(caps)
    if gross_rent <= cap:
        text = f"{head}: die tatsächliche Miete wird anerkannt (höchstens {what}: {fmt_money(cap)})."
    else:
        text = (f"{head}: anerkannt wird höchstens {what}, {fmt_money(cap)}; die Miete liegt "
                f"{fmt_money(gross_rent - cap)} darüber.")
    return KarenzzeitResult(IN_KARENZZEIT, recognised=min(gross_rent, cap), cap=cap, notes=tuple(notes), **common,
                            **about, text=text)


def exceptions_from(codes: Iterable[str]) -> tuple[str, ...]:
    """Known exception codes in their canonical order (unknown ones are refused by ``check_benefit``)."""
    wanted = set(codes)
    return tuple(e for e in EXCEPTIONS if e in wanted) + tuple(sorted(wanted - set(EXCEPTIONS)))
