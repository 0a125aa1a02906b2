"""Legal deadlines (DOMAIN.md, "Legal steps"): pure functions, each result carrying its rule and inputs.

Month periods follow §§ 187 Abs. 1, 188 Abs. 2, 3 BGB (and § 64 SGG, worded the same): the period ends on the day
of the last month whose number matches the day of the event; where that month is too short, on its last day.
An end on a Saturday, Sunday or NRW public holiday moves to the next working day (§ 193 BGB, § 64 Abs. 3 SGG).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays

# § 37 Abs. 2 SGB X: a posted decision counts as notified on the fourth day after posting since 1 January 2025,
# on the third day before.
FOURTH_DAY_RULE_FROM = date(2025, 1, 1)


class DeadlineKind(StrEnum):
    SCHONFRIST = "schonfrist"
    WIDERSPRUCH = "widerspruch"
    KLAGE = "klage"
    RAEUMUNG = "raeumung"
    WIEDERVORLAGE = "wiedervorlage"
    HILFEPLAN = "hilfeplan_review"

    @property
    def label(self) -> str:
        return {
            DeadlineKind.SCHONFRIST: "Schonfrist (§ 569 Abs. 3 Nr. 2 BGB)",
            DeadlineKind.WIDERSPRUCH: "Widerspruchsfrist (§ 84 SGG)",
            DeadlineKind.KLAGE: "Klagefrist (§ 87 SGG)",
            DeadlineKind.RAEUMUNG: "Räumungstermin",
            DeadlineKind.WIEDERVORLAGE: "Wiedervorlage",
            DeadlineKind.HILFEPLAN: "Überprüfung Hilfeplan",
        }[self]


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due: date                      # the legal end, after moving off weekends and holidays
    target: date                   # the date to aim for (unshifted end)
    rule: str                      # German explanation shown beside the date
    inputs: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def shifted(self) -> bool:
        return self.due != self.target


@cache
def _nrw(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv="NW", years=year, language="de")


def holiday_name(day: date) -> str | None:
    return _nrw(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, else the next one (§ 193 BGB)."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_months(day: date, months: int) -> date:
    """§ 188 Abs. 2, 3 BGB: the same day number ``months`` later, or that month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _why_shifted(end: date) -> str:
    if end.weekday() == 5:
        return "Samstag"
    if end.weekday() == 6:
        return "Sonntag"
    return f"Feiertag ({holiday_name(end)})"


def _shift_note(target: date, due: date) -> str:
    if target == due:
        return ""
    return f" Das Fristende {fmt(target)} fällt auf einen {_why_shifted(target)} und verschiebt sich auf {fmt(due)}."


def schonfrist(served_on: date, *, termination_on: date | None = None,
               previous_cure_on: date | None = None) -> Deadline:
    """Two months after the eviction suit was served (with several tenants: the last service).

    Payment or the Jobcenter's undertaking must *reach* the landlord by then. Barred when the tenant already cured a
    termination this way within two years before this termination (§ 569 Abs. 3 Nr. 2 Satz 2 BGB).
    """
    target = add_months(served_on, 2)
    due = next_working_day(target)
    warnings = []
    if previous_cure_on is not None:
        reference = termination_on or served_on
        if previous_cure_on > add_months(reference, -24) and previous_cure_on <= reference:
            warnings.append(
                f"Die Schonfrist wurde bereits am {fmt(previous_cure_on)} genutzt, weniger als zwei Jahre vor der "
                "Kündigung: sie heilt die Kündigung diesmal nicht (§ 569 Abs. 3 Nr. 2 Satz 2 BGB).")
    warnings.append("Die Schonfrist heilt nur die fristlose Kündigung wegen Zahlungsverzugs, nicht eine "
                    "gleichzeitig erklärte ordentliche Kündigung.")
    rule = ("Zwei Monate nach Zustellung der Räumungsklage (§ 569 Abs. 3 Nr. 2 BGB, §§ 187, 188 BGB). Bis dahin "
            "muss die Zahlung oder die Verpflichtungserklärung des Jobcenters/Sozialamts beim Vermieter "
            "eingegangen sein." + _shift_note(target, due))
    inputs = {"Zustellung der Räumungsklage": fmt(served_on)}
    if termination_on:
        inputs["Kündigung vom"] = fmt(termination_on)
    if previous_cure_on:
        inputs["Frühere Heilung"] = fmt(previous_cure_on)
    return Deadline(DeadlineKind.SCHONFRIST, due, target, rule, inputs, tuple(warnings))


def notification_day(posted_on: date) -> date:
    """§ 37 Abs. 2 SGB X: fourth day after posting (third before 2025). Not moved off weekends (BSG B 14 AS 12/09 R)."""
    return posted_on + timedelta(days=4 if posted_on >= FOURTH_DAY_RULE_FROM else 3)


def _sgg_period(kind: DeadlineKind, decision_on: date, posted_on: date | None, with_instructions: bool,
                what: str, norm: str) -> Deadline:
    posted = posted_on or decision_on
    notified = notification_day(posted)
    months = 1 if with_instructions else 12
    target = add_months(notified, months)
    due = next_working_day(target)
    days = 4 if posted >= FOURTH_DAY_RULE_FROM else 3
    period = "ein Monat" if with_instructions else "ein Jahr, weil die Rechtsbehelfsbelehrung fehlt (§ 66 SGG)"
    rule = (f"{what}: {period} nach Bekanntgabe ({norm}). Bekanntgabe am {days}. Tag nach Aufgabe zur Post "
            f"(§ 37 Abs. 2 SGB X): {fmt(notified)}; dieser Tag verschiebt sich nicht." + _shift_note(target, due))
    inputs = {"Bescheid vom": fmt(decision_on), "zur Post gegeben": fmt(posted),
              "Rechtsbehelfsbelehrung": "ja" if with_instructions else "fehlt"}
    return Deadline(kind, due, target, rule, inputs)


def widerspruchsfrist(decision_on: date, *, posted_on: date | None = None,
                      with_instructions: bool = True) -> Deadline:
    """Objection to a decision of the Jobcenter/Sozialamt (§ 84 SGG). Posting date defaults to the decision date."""
    return _sgg_period(DeadlineKind.WIDERSPRUCH, decision_on, posted_on, with_instructions,
                       "Widerspruch", "§ 84 SGG")


def klagefrist(objection_decision_on: date, *, posted_on: date | None = None,
               with_instructions: bool = True) -> Deadline:
    """Action at the Sozialgericht after the Widerspruchsbescheid (§ 87 SGG)."""
    return _sgg_period(DeadlineKind.KLAGE, objection_decision_on, posted_on, with_instructions,
                       "Klage", "§ 87 SGG")


# ---- § 543 Abs. 2 Nr. 3 BGB -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RentDue:
    """One due date of the rent ledger: what was due (rent incl. Nebenkosten advance) and what was paid for it."""

    due_on: date
    amount_due: int   # cents
    amount_paid: int  # cents

    @property
    def unpaid(self) -> int:
        return max(0, self.amount_due - self.amount_paid)


@dataclass(frozen=True)
class TerminationRisk:
    at_risk: bool
    branch: str | None        # "a" or "b"
    since: date | None        # the due date on which the branch was first met
    arrears: int              # cents outstanding at that point (or now, when not at risk)
    explanation: str


def termination_risk(ledger: Sequence[RentDue], monthly_rent: int) -> TerminationRisk:
    """Flag as soon as recorded arrears meet § 543 Abs. 2 Satz 1 Nr. 3 BGB with § 569 Abs. 3 Nr. 1 BGB.

    (a) in arrears on two consecutive due dates with the rent or a part that together *exceeds* one month's rent;
    (b) over more than two due dates, arrears that *reach* two months' rent.
    Waiting for the Jobcenter does not excuse the arrears.
    """
    if monthly_rent <= 0:
        raise ValueError("monthly_rent must be positive")
    entries = sorted(ledger, key=lambda e: e.due_on)
    outstanding = 0
    dates_in_arrears = 0
    for i, entry in enumerate(entries):
        outstanding += entry.unpaid
        if entry.unpaid:
            dates_in_arrears += 1
        prev = entries[i - 1] if i else None
        if prev and prev.unpaid and entry.unpaid and prev.unpaid + entry.unpaid > monthly_rent:
            return TerminationRisk(True, "a", entry.due_on, outstanding, (
                f"Zu zwei aufeinanderfolgenden Terminen ({fmt(prev.due_on)}, {fmt(entry.due_on)}) ist mehr als eine "
                f"Monatsmiete offen (§ 543 Abs. 2 Satz 1 Nr. 3a BGB): fristlose Kündigung möglich."))
        if dates_in_arrears > 2 and outstanding >= 2 * monthly_rent:
            return TerminationRisk(True, "b", entry.due_on, outstanding, (
                f"Über mehr als zwei Termine sind Rückstände in Höhe von zwei Monatsmieten aufgelaufen "
                f"(Stand {fmt(entry.due_on)}; § 543 Abs. 2 Satz 1 Nr. 3b BGB): fristlose Kündigung möglich."))
    return TerminationRisk(False, None, None, outstanding,
                           "Die erfassten Rückstände erfüllen die Voraussetzungen des § 543 Abs. 2 Nr. 3 BGB nicht.")
