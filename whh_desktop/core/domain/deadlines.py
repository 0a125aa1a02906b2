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
from typing import TYPE_CHECKING

from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.errors import InvalidInput

if TYPE_CHECKING:
    import holidays

fmt = fmt_date  # the short name the deadline texts (and their callers) use

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
    import holidays  # its calendars load when a date is first computed, not at every start

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


def cure_bars(cure_on: date, reference: date) -> bool:
    """§ 569 Abs. 3 Nr. 2 Satz 2 BGB: an earlier cure bars the Schonfrist when it lies no more than two years before
    the termination (``reference``; the service of the suit when the termination date is unknown)."""
    return add_months(reference, -24) < cure_on <= reference


def schonfrist(served_on: date, *, termination_on: date | None = None,
               previous_cure_on: date | None = None, ordinary_stays: bool = True) -> Deadline:
    """Two months after the eviction suit was served (with several tenants: the last service).

    Payment or the Jobcenter's undertaking must *reach* the landlord by then. Barred when the tenant already cured a
    termination this way within two years before this termination (§ 569 Abs. 3 Nr. 2 Satz 2 BGB). Whether a
    Schonfrist applies at all (kind of termination, bar) is decided in ``legal_state``; this computes the date.
    """
    target = add_months(served_on, 2)
    due = next_working_day(target)
    warnings = []
    if previous_cure_on is not None and cure_bars(previous_cure_on, termination_on or served_on):
        warnings.append(
            f"Die Schonfrist wurde bereits am {fmt(previous_cure_on)} genutzt, weniger als zwei Jahre vor der "
            "Kündigung: sie heilt die Kündigung diesmal nicht (§ 569 Abs. 3 Nr. 2 Satz 2 BGB).")
    if ordinary_stays:
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


class NotificationKind(StrEnum):
    """How a decision reached the client ("Served, not posted", DOMAIN.md). The default is posting."""

    POST = "post"
    POSTZUSTELLUNGSURKUNDE = "pzu"
    EMPFANGSBEKENNTNIS = "eb"
    AUSHAENDIGUNG = "hand"

    @property
    def label(self) -> str:
        return {
            NotificationKind.POST: "einfacher Brief (Bekanntgabe am 4. Tag nach Aufgabe zur Post)",
            NotificationKind.POSTZUSTELLUNGSURKUNDE: "Postzustellungsurkunde",
            NotificationKind.EMPFANGSBEKENNTNIS: "Empfangsbekenntnis",
            NotificationKind.AUSHAENDIGUNG: "Übergabe von Hand",
        }[self]

    @property
    def formal(self) -> bool:
        """Formal service: the period runs from the day of service, not from posting + 4 days."""
        return self is not NotificationKind.POST

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


def notification_day(posted_on: date) -> date:
    """§ 37 Abs. 2 SGB X: fourth day after posting (third before 2025). Not moved off weekends (BSG B 14 AS 12/09 R)."""
    return posted_on + timedelta(days=4 if posted_on >= FOURTH_DAY_RULE_FROM else 3)


def check_notification(decision_on: date, posted_on: date | None, notification: NotificationKind,
                       served_on: date | None) -> None:
    """Bad input of a decision's notification, with the German message the user sees."""
    if posted_on is not None and posted_on < decision_on:
        raise InvalidInput(f"Der Bescheid vom {fmt(decision_on)} kann nicht schon am {fmt(posted_on)} zur Post "
                           "gegeben worden sein. Bitte das Datum der Aufgabe zur Post prüfen.", "posted_on")
    if notification.formal:
        if served_on is None:
            raise InvalidInput(f"Bei Zustellung per {notification.label} bitte den Tag der Zustellung angeben.",
                               "served_on")
        if served_on < decision_on:
            raise InvalidInput(f"Der Bescheid vom {fmt(decision_on)} kann nicht schon am {fmt(served_on)} "
                               "zugestellt worden sein. Bitte den Tag der Zustellung prüfen.", "served_on")


def _sgg_period(kind: DeadlineKind, decision_on: date, posted_on: date | None, with_instructions: bool,
                what: str, norm: str, notification: NotificationKind, served_on: date | None) -> Deadline:
    check_notification(decision_on, posted_on, notification, served_on)
    months = 1 if with_instructions else 12
    period = "ein Monat" if with_instructions else "ein Jahr, weil die Rechtsbehelfsbelehrung fehlt (§ 66 SGG)"
    inputs = {"Bescheid vom": fmt(decision_on)}
    if notification.formal and served_on is not None:
        notified = served_on
        start = (f"Zugestellt per {notification.label} am {fmt(notified)}: die Frist läuft ab dem Tag der "
                 "Zustellung.")
        inputs |= {"Bekanntgabe": notification.label, "zugestellt am": fmt(served_on)}
    else:
        posted = posted_on or decision_on
        notified = notification_day(posted)
        days = 4 if posted >= FOURTH_DAY_RULE_FROM else 3
        start = (f"Bekanntgabe am {days}. Tag nach Aufgabe zur Post (§ 37 Abs. 2 SGB X): {fmt(notified)}; dieser "
                 "Tag verschiebt sich nicht.")
        inputs["zur Post gegeben"] = fmt(posted)
    target = add_months(notified, months)
    due = next_working_day(target)
    rule = f"{what}: {period} nach Bekanntgabe ({norm}). {start}" + _shift_note(target, due)
    inputs["Rechtsbehelfsbelehrung"] = "ja" if with_instructions else "fehlt"
    return Deadline(kind, due, target, rule, inputs)


def widerspruchsfrist(decision_on: date, *, posted_on: date | None = None, with_instructions: bool = True,
                      notification: NotificationKind = NotificationKind.POST,
                      served_on: date | None = None) -> Deadline:
    """Objection to a decision of the Jobcenter/Sozialamt (§ 84 SGG). Posting date defaults to the decision date;
    a formal service (``notification``) runs from ``served_on``."""
    return _sgg_period(DeadlineKind.WIDERSPRUCH, decision_on, posted_on, with_instructions,
                       "Widerspruch", "§ 84 SGG", notification, served_on)


def klagefrist(objection_decision_on: date, *, posted_on: date | None = None, with_instructions: bool = True,
               notification: NotificationKind = NotificationKind.POST, served_on: date | None = None) -> Deadline:
    """Action at the Sozialgericht after the Widerspruchsbescheid (§ 87 SGG)."""
    return _sgg_period(DeadlineKind.KLAGE, objection_decision_on, posted_on, with_instructions,
                       "Klage", "§ 87 SGG", notification, served_on)


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
    (b) over a period spanning more than two due dates, arrears that *reach* two months' rent. (b) is computed from
    the period, not from counting due dates with arrears: some run of at least three consecutive due dates whose
    unpaid rent (due minus paid, so a later overpayment pays older arrears off) adds up to two months' rent.
    Waiting for the Jobcenter does not excuse the arrears.
    """
    if monthly_rent <= 0:
        raise ValueError("monthly_rent must be positive")
    entries = sorted(ledger, key=lambda e: e.due_on)
    balance = 0                # running arrears, never below 0 (credit does not pay future rent here)
    prefix = [0]               # prefix[k]: net arrears of entries[:k]
    lowest_prefix = None       # min of prefix[0..i-2]: the best start of a window of > 2 due dates ending at i
    for i, entry in enumerate(entries):
        net = entry.amount_due - entry.amount_paid
        balance = max(0, balance + net)
        prefix.append(prefix[-1] + net)
        prev = entries[i - 1] if i else None
        if prev and prev.unpaid and entry.unpaid and prev.unpaid + entry.unpaid > monthly_rent:
            return TerminationRisk(True, "a", entry.due_on, balance, (
                f"Zu zwei aufeinanderfolgenden Terminen ({fmt(prev.due_on)}, {fmt(entry.due_on)}) ist mehr als eine "
                f"Monatsmiete offen (§ 543 Abs. 2 Satz 1 Nr. 3a BGB): fristlose Kündigung möglich."))
        if i >= 2:
            lowest_prefix = prefix[i - 2] if lowest_prefix is None else min(lowest_prefix, prefix[i - 2])
            window = prefix[i + 1] - lowest_prefix
            if window >= 2 * monthly_rent:
                return TerminationRisk(True, "b", entry.due_on, balance, (
                    f"Über einen Zeitraum von mehr als zwei Terminen sind Rückstände in Höhe von zwei Monatsmieten "
                    f"aufgelaufen (Stand {fmt(entry.due_on)}; § 543 Abs. 2 Satz 1 Nr. 3b BGB): fristlose Kündigung "
                    "möglich."))
    return TerminationRisk(False, None, None, balance,
                           "Die erfassten Rückstände erfüllen die Voraussetzungen des § 543 Abs. 2 Nr. 3 BGB nicht.")
