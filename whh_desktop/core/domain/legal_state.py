"""The legal state of one case on one day (issue 09, point 1): the single computation that the case overview, the
Fristen list, the CLI and the letters (and their check before sending) all read.

Pure functions over plain values: ``services.legal_state`` gathers a ``LegalInputs`` from the store (with the
user's access checks) and calls ``legal_state(inputs, today)``. Nothing here touches a session or Qt. The rules
themselves live in ``deadlines`` (dates, § 543 BGB) and ``kdu`` (the KdU check); this module decides which of them
apply to the case and says so in German.

Public interface (kept stable: fields are added, never renamed):
- ``LegalInputs`` with ``ProceedingFacts``, ``ConsentFacts``, ``DecisionFacts`` — what the store knows;
- ``LegalState`` with ``SchonfristState``, ``TerminationRisk``, ``KduState`` (current and proposed flat),
  ``RecipientConsent`` per ``ConsentRecipient`` and ``SggDeadline`` (open Widerspruch/Klage periods).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict

from whh_desktop.core.domain.deadlines import (
    Deadline,
    DeadlineKind,
    NotificationKind,
    RentDue,
    TerminationRisk,
    add_months,
    cure_bars,
    fmt,
    klagefrist,
    notification_day,
    schonfrist,
    termination_risk,
    widerspruchsfrist,
)
from whh_desktop.core.domain.enums import ConsentRecipient, LabeledEnum, TerminationKind
from whh_desktop.core.domain.formatting import fmt_money, plural
from whh_desktop.core.domain.kdu import DEFAULT_MAX_TABLE_AGE_MONTHS, KduCheck

# Termination kinds that include a fristlose termination for rent arrears: only these have a Schonfrist.
ARREARS_KINDS = frozenset({TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, TerminationKind.FRISTLOS_UND_ORDENTLICH})


class CureMethod(LabeledEnum):
    """How the Schonfrist was used ("Schonfrist genutzt", § 569 Abs. 3 Nr. 2 BGB)."""

    GEZAHLT = ("gezahlt", "Rückstand bezahlt")
    VERPFLICHTUNG = ("verpflichtung", "Verpflichtungserklärung des Jobcenters/Sozialamts")


# ---- inputs: plain values the service reads from the store ---------------------------------------------------
@dataclass(frozen=True)
class ProceedingFacts:
    """One eviction proceeding of the tenancy (any case of it)."""

    id: str
    termination_kind: TerminationKind | None = None
    termination_on: date | None = None
    suit_served_on: date | None = None
    cure_used_on: date | None = None          # "Schonfrist genutzt" recorded on this proceeding
    cure_method: CureMethod | None = None
    previous_cure_on: date | None = None      # an earlier cure typed by hand (the store may not know that case)
    override_on: date | None = None           # the Schonfrist deadline's override, if any
    override_reason: str | None = None
    case_number: str = ""                     # where this proceeding is recorded (shown with a bar from it)


@dataclass(frozen=True)
class ConsentFacts:
    id: str
    recipients: tuple[str, ...]
    categories: tuple[str, ...] = ()
    health_data: bool = False
    signed_on: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    revoked_on: date | None = None


@dataclass(frozen=True)
class DecisionFacts:
    """A decision that opens a period: a Bescheid (→ Widerspruch) or a Widerspruchsbescheid (→ Klage)."""

    id: str                                   # the application's or the objection's id
    kind: DeadlineKind                        # WIDERSPRUCH or KLAGE
    subject: str                              # German: what was decided ("Mietschulden (§ 22 Abs. 8 SGB II)")
    decided_on: date
    posted_on: date | None = None
    notification: NotificationKind = NotificationKind.POST
    served_on: date | None = None
    with_instructions: bool = True
    answered: bool = False                    # Widerspruch lodged / Klage filed / deadline marked done
    override_on: date | None = None
    override_reason: str | None = None
    authority: str = ""
    file_no: str = ""


@dataclass(frozen=True)
class LegalInputs:
    case_number: str = ""
    proceeding: ProceedingFacts | None = None                 # the case's current (newest) eviction proceeding
    other_proceedings: tuple[ProceedingFacts, ...] = ()        # every other proceeding of the same tenancy
    rent_ledger: tuple[RentDue, ...] = ()
    monthly_rent: int | None = None                           # cents: Kaltmiete + Nebenkosten (+ heating advance)
    kdu_current: KduCheck | None = None
    kdu_current_missing: str = ""                             # German: why there is no check of the current flat
    kdu_proposed: KduCheck | None = None
    kdu_proposed_missing: str = ""
    proposed_offer_id: str | None = None
    consents: tuple[ConsentFacts, ...] = ()
    decisions: tuple[DecisionFacts, ...] = ()
    max_table_age_months: int = DEFAULT_MAX_TABLE_AGE_MONTHS


# ---- the state ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SchonfristState:
    """The Schonfrist of the current proceeding. ``applies`` is False for a non-arrears termination, an unknown
    kind, a barred cure or a suit not yet served; ``not_applicable_reason`` then says why, in German."""

    applies: bool
    not_applicable_reason: str | None = None
    termination_kind: TerminationKind | None = None
    termination_on: date | None = None
    served_on: date | None = None
    computed: Deadline | None = None          # None where no Schonfrist is computed at all (kind, not served)
    override_on: date | None = None
    override_reason: str | None = None
    effective_on: date | None = None          # override if set, else the computed (shifted) end: what all show
    expired: bool = False                     # today is after effective_on
    days_left: int | None = None
    barred: bool = False
    barred_by_cure_on: date | None = None
    barred_by_case: str = ""                  # case number of the proceeding whose cure bars this one
    used_on: date | None = None               # this proceeding's cure ("Schonfrist genutzt")
    used_how: CureMethod | None = None
    ordinary_termination_stays: bool = False  # "fristlos und hilfsweise ordentlich"
    warnings: tuple[str, ...] = ()
    proceeding_id: str | None = None          # the eviction proceeding this speaks of

    @property
    def computed_on(self) -> date | None:
        return self.computed.due if self.computed else None

    @property
    def target_on(self) -> date | None:
        return self.computed.target if self.computed else None

    @property
    def overridden(self) -> bool:
        return self.override_on is not None

    @property
    def cure_possible(self) -> bool:
        """A payment or undertaking can still void the termination: applies, not expired, not already used."""
        return self.applies and not self.expired and self.used_on is None


@dataclass(frozen=True)
class KduState:
    """The KdU verdict of one flat (current or proposed). ``check`` is None when it cannot be made (``missing``)."""

    subject: str                              # "aktuelle Wohnung" / "vorgeschlagene Wohnung"
    check: KduCheck | None = None
    missing: str = ""
    offer_id: str | None = None
    table_age_months: int | None = None       # from the table's valid_from to today
    table_outdated: bool = False              # older than LegalInputs.max_table_age_months
    rule_note: str = ""                       # which rule applied (room for Karenzzeit / Neue Grundsicherung)
    warnings: tuple[str, ...] = ()

    @property
    def known(self) -> bool:
        return self.check is not None

    @property
    def appropriate(self) -> bool | None:
        return None if self.check is None else self.check.appropriate

    @property
    def verdict(self) -> str | None:
        return None if self.check is None else self.check.verdict

    @property
    def over_by(self) -> int:
        """Cents over the limit (0 when within it or unknown)."""
        return max(0, self.check.difference) if self.check else 0

    @property
    def under_by(self) -> int:
        """Cents of room below the limit (0 when over it or unknown)."""
        return max(0, -self.check.difference) if self.check else 0

    @property
    def table_version(self) -> str | None:
        return self.check.table_version if self.check else None

    @property
    def table_valid_from(self) -> date | None:
        return self.check.table_valid_from if self.check else None


@dataclass(frozen=True)
class RecipientConsent:
    """Is there a valid consent to share with this recipient kind today? Jobcenter and Sozialamt are separate."""

    recipient: ConsentRecipient
    valid: bool
    message: str
    consent_id: str | None = None
    signed_on: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    revoked_on: date | None = None
    categories: tuple[str, ...] = ()
    health_data: bool = False


@dataclass(frozen=True)
class SggDeadline:
    """An open Widerspruch (§ 84 SGG) or Klage (§ 87 SGG) period of one decision."""

    source_id: str
    kind: DeadlineKind
    subject: str
    decided_on: date
    notification: NotificationKind
    notified_on: date                          # served_on for a formal service, else posting + 4 days
    deadline: Deadline
    override_on: date | None = None
    override_reason: str | None = None
    effective_on: date = date.min
    expired: bool = False
    days_left: int = 0
    authority: str = ""
    file_no: str = ""


@dataclass(frozen=True)
class LegalState:
    today: date
    case_number: str
    schonfrist: SchonfristState
    termination_risk: TerminationRisk | None           # None without a ledger or a monthly rent
    kdu_current: KduState
    kdu_proposed: KduState
    consent_by_recipient: Mapping[ConsentRecipient, RecipientConsent] = field(default_factory=dict)
    open_sgg_deadlines: tuple[SggDeadline, ...] = ()

    def consent_for(self, recipient: ConsentRecipient) -> RecipientConsent:
        return self.consent_by_recipient[recipient]

    def lines(self) -> list[tuple[str, str]]:
        """(heading, German text) pairs: what the case overview and ``whh fall status`` show."""
        return describe(self)

    def as_dict(self) -> dict[str, Any]:
        return to_dict(self)


# ---- computation --------------------------------------------------------------------------------------------
def legal_state(inputs: LegalInputs, today: date) -> LegalState:
    """The one computation of a case's legal state on ``today``."""
    return LegalState(
        today=today, case_number=inputs.case_number,
        schonfrist=schonfrist_state(inputs.proceeding, inputs.other_proceedings, today),
        termination_risk=(termination_risk(inputs.rent_ledger, inputs.monthly_rent)
                          if inputs.rent_ledger and inputs.monthly_rent and inputs.monthly_rent > 0 else None),
        kdu_current=kdu_state("aktuelle Wohnung", inputs.kdu_current, inputs.kdu_current_missing, None, today,
                              inputs.max_table_age_months),
        kdu_proposed=kdu_state("vorgeschlagene Wohnung", inputs.kdu_proposed, inputs.kdu_proposed_missing,
                               inputs.proposed_offer_id, today, inputs.max_table_age_months),
        consent_by_recipient=consent_by_recipient(inputs.consents, today),
        open_sgg_deadlines=open_sgg_deadlines(inputs.decisions, today),
    )


def _earlier_cures(current: ProceedingFacts, others: tuple[ProceedingFacts, ...]) -> list[tuple[date, str]]:
    """Every cure of the tenancy the store knows, except this proceeding's own: recorded "Schonfrist genutzt" events
    of other proceedings and dates typed by hand."""
    cures = [(p.cure_used_on, p.case_number) for p in others if p.cure_used_on is not None and p.id != current.id]
    cures += [(p.previous_cure_on, p.case_number) for p in (current, *others) if p.previous_cure_on is not None]
    return sorted(cures, reverse=True)


NO_PROCEEDING = "Es ist kein Räumungsverfahren erfasst."


class _Proceeding(TypedDict):
    """The fields of a ``SchonfristState`` that describe the proceeding, whatever the outcome."""

    termination_kind: TerminationKind | None
    termination_on: date | None
    served_on: date | None
    used_on: date | None
    used_how: CureMethod | None
    proceeding_id: str | None


def schonfrist_state(current: ProceedingFacts | None, others: tuple[ProceedingFacts, ...],
                     today: date) -> SchonfristState:
    """§ 569 Abs. 3 Nr. 2 BGB: only a fristlose termination for arrears, not within two years of an earlier cure."""
    if current is None:
        return SchonfristState(False, NO_PROCEEDING)
    kind = current.termination_kind
    base = _Proceeding(termination_kind=kind, termination_on=current.termination_on, served_on=current.suit_served_on,
                used_on=current.cure_used_on, used_how=current.cure_method, proceeding_id=current.id)
    if kind is None:
        return SchonfristState(False, "Die Art der Kündigung ist nicht erfasst; ohne sie wird keine Schonfrist "
                                      "berechnet.", **base)
    if kind not in ARREARS_KINDS:
        return SchonfristState(False, f"Keine Schonfrist: die Kündigung ist {kind.label}. Die Schonfrist "
                                      "(§ 569 Abs. 3 Nr. 2 BGB) heilt nur eine fristlose Kündigung wegen "
                                      "Zahlungsverzugs; eine Zahlung macht diese Kündigung nicht unwirksam.", **base)
    stays = kind is TerminationKind.FRISTLOS_UND_ORDENTLICH
    warnings: list[str] = []
    if stays:
        warnings.append("Die Kündigung wurde auch hilfsweise ordentlich erklärt: die Schonfrist heilt nur die "
                        "fristlose Kündigung, die ordentliche bleibt bestehen.")
    if current.suit_served_on is None:
        return SchonfristState(False, "Die Räumungsklage ist noch nicht zugestellt; die Schonfrist beginnt mit "
                                      "der Zustellung.", ordinary_termination_stays=stays,
                               warnings=tuple(warnings), **base)
    reference = current.termination_on or current.suit_served_on
    bar = next(((on, number) for on, number in _earlier_cures(current, others) if cure_bars(on, reference)), None)
    computed = schonfrist(current.suit_served_on, termination_on=current.termination_on, ordinary_stays=False)
    effective = current.override_on or computed.due
    if current.override_on is not None:
        warnings.append(f"Die Schonfrist wurde von Hand auf den {fmt(current.override_on)} gesetzt (berechnet: "
                        f"{fmt(computed.due)}). Grund: {current.override_reason or '–'}")
    expired = today > effective
    reason = None
    if bar is not None:
        where = f" (Fall {bar[1]})" if bar[1] and bar[1] != current.case_number else ""
        reason = (f"Keine Heilung möglich: die Schonfrist wurde bereits am {fmt(bar[0])}{where} genutzt, weniger "
                  "als zwei Jahre vor dieser Kündigung (§ 569 Abs. 3 Nr. 2 Satz 2 BGB).")
        warnings.append(reason)
    elif expired:
        warnings.append(f"Die Schonfrist ist am {fmt(effective)} abgelaufen.")
    return SchonfristState(
        applies=bar is None, not_applicable_reason=reason, computed=computed, override_on=current.override_on,
        override_reason=current.override_reason, effective_on=effective, expired=expired,
        days_left=(effective - today).days, barred=bar is not None, barred_by_cure_on=bar[0] if bar else None,
        barred_by_case=bar[1] if bar else "", ordinary_termination_stays=stays, warnings=tuple(warnings), **base)


def table_age_months(valid_from: date, today: date) -> int:
    """Full months from ``valid_from`` to ``today`` (0 for a table not yet a month old)."""
    months = (today.year - valid_from.year) * 12 + today.month - valid_from.month
    if months > 0 and add_months(valid_from, months) > today:
        months -= 1
    return max(0, months)


def kdu_state(subject: str, check: KduCheck | None, missing: str, offer_id: str | None, today: date,
              max_age_months: int = DEFAULT_MAX_TABLE_AGE_MONTHS) -> KduState:
    if check is None:
        return KduState(subject, None, missing or f"Für die {subject} ist keine KdU-Prüfung möglich.", offer_id)
    age = table_age_months(check.table_valid_from, today)
    outdated = age > max_age_months or check.table_outdated  # the store's configured age (KduCheck) counts too
    rule_note = check.rule_text if check.karenzzeit is not None else ""
    warnings: tuple[str, ...] = ()
    if check.table_warning:
        warnings = (check.table_warning,)
    elif outdated:
        warnings = (f"Die KdU-Tabelle »{check.table_version}« gilt seit {fmt(check.table_valid_from)} und ist "
                    f"{plural(age, 'Monat', 'Monate')} alt (mehr als {max_age_months}); "
                    "bitte prüfen, ob der Kreis neuere Werte hat.",)
    return KduState(subject, check, "", offer_id, age, outdated, rule_note, warnings)


def _consent_line(recipient: ConsentRecipient, c: ConsentFacts, today: date) -> tuple[bool, str]:
    if c.revoked_on is not None and c.revoked_on <= today:
        return False, f"Einwilligung für {recipient.label} am {fmt(c.revoked_on)} widerrufen."
    if c.valid_from is not None and today < c.valid_from:
        return False, f"Einwilligung für {recipient.label} gilt erst ab {fmt(c.valid_from)}."
    if c.valid_until is not None and today > c.valid_until:
        return False, f"Einwilligung für {recipient.label} ist am {fmt(c.valid_until)} abgelaufen."
    until = f" bis {fmt(c.valid_until)}" if c.valid_until else ""
    signed = f" vom {fmt(c.signed_on)}" if c.signed_on else ""
    return True, f"Einwilligung für {recipient.label}{signed} liegt vor (gültig{until})."


def consent_by_recipient(consents: tuple[ConsentFacts, ...],
                         today: date) -> dict[ConsentRecipient, RecipientConsent]:
    """Per recipient kind: the valid consent naming exactly that kind (the newest), else why there is none."""
    out: dict[ConsentRecipient, RecipientConsent] = {}
    ordered = sorted(consents, key=lambda c: (c.signed_on or date.min, c.id), reverse=True)
    for recipient in ConsentRecipient:
        naming = [c for c in ordered if recipient.value in c.recipients]
        result = None
        for c in naming:
            valid, message = _consent_line(recipient, c, today)
            if valid or result is None:
                result = RecipientConsent(recipient, valid, message, c.id, c.signed_on, c.valid_from, c.valid_until,
                                          c.revoked_on, tuple(c.categories), c.health_data)
            if valid:
                break
        out[recipient] = result or RecipientConsent(
            recipient, False, f"Keine Einwilligung für {recipient.label} erfasst.")
    return out


def open_sgg_deadlines(decisions: tuple[DecisionFacts, ...], today: date) -> tuple[SggDeadline, ...]:
    """Widerspruch/Klage periods of decisions not yet answered, soonest first (expired ones too, marked)."""
    out = []
    for d in decisions:
        if d.answered:
            continue
        compute = widerspruchsfrist if d.kind is DeadlineKind.WIDERSPRUCH else klagefrist
        deadline = compute(d.decided_on, posted_on=d.posted_on, with_instructions=d.with_instructions,
                           notification=d.notification, served_on=d.served_on)
        notified = (d.served_on if d.notification.formal and d.served_on
                    else notification_day(d.posted_on or d.decided_on))
        effective = d.override_on or deadline.due
        out.append(SggDeadline(d.id, d.kind, d.subject, d.decided_on, d.notification, notified, deadline,
                               d.override_on, d.override_reason, effective, today > effective,
                               (effective - today).days, d.authority, d.file_no))
    return tuple(sorted(out, key=lambda x: (x.effective_on, x.source_id)))


# ---- German presentation ------------------------------------------------------------------------------------
def schonfrist_text(s: SchonfristState) -> str:
    if s.computed is None or s.effective_on is None:
        return s.not_applicable_reason or NO_PROCEEDING
    parts = []
    if s.overridden:
        parts.append(f"Schonfrist bis {fmt(s.effective_on)} (von Hand gesetzt; berechnet {fmt(s.computed.due)}; "
                     f"Grund: {s.override_reason or '–'}).")
    else:
        aim = f", anzustreben bis {fmt(s.computed.target)}" if s.computed.shifted else ""
        assert s.served_on is not None  # a Schonfrist is only computed from the day the suit was served
        parts.append(f"Schonfrist bis {fmt(s.effective_on)}{aim} (Klage zugestellt am {fmt(s.served_on)}).")
    if s.used_on is not None:
        how = f" ({s.used_how.label})" if s.used_how else ""
        parts.append(f"Schonfrist genutzt am {fmt(s.used_on)}{how}.")
    if s.barred:
        parts.append(s.not_applicable_reason or "")
    elif s.expired:
        parts.append("Abgelaufen.")
    elif s.days_left is not None:
        parts.append("Endet heute." if s.days_left == 0 else f"Noch {plural(s.days_left, 'Tag', 'Tage')}.")
    if s.ordinary_termination_stays:
        parts.append("Die hilfsweise ordentliche Kündigung bleibt bestehen.")
    return " ".join(p for p in parts if p)


def kdu_text(k: KduState) -> str:
    if k.check is None:
        return k.missing
    text = f"{k.check.summary()} (Tabelle {k.check.table_version}"
    text += f", {plural(k.table_age_months, 'Monat', 'Monate')} alt)" if k.table_age_months is not None else ")"
    if k.rule_note:
        text += f". {k.rule_note}"
    if k.table_outdated:
        text += " – Tabelle veraltet, bitte prüfen."
    return text


def describe(state: LegalState) -> list[tuple[str, str]]:
    lines = [("Schonfrist", schonfrist_text(state.schonfrist))]
    risk = state.termination_risk
    lines.append(("Kündigungsrisiko (§ 543 BGB)", risk.explanation if risk else
                  "Kein Mietkonto oder keine Monatsmiete erfasst: nicht berechnet."))
    lines.append(("KdU aktuelle Wohnung", kdu_text(state.kdu_current)))
    lines.append(("KdU vorgeschlagene Wohnung", kdu_text(state.kdu_proposed)))
    for recipient, consent in state.consent_by_recipient.items():
        lines.append((f"Einwilligung {recipient.label}", consent.message))
    if not state.open_sgg_deadlines:
        lines.append(("Widerspruch/Klage", "Keine offene Frist."))
    for d in state.open_sgg_deadlines:
        what = "Widerspruchsfrist" if d.kind is DeadlineKind.WIDERSPRUCH else "Klagefrist"
        status = "abgelaufen" if d.expired else f"noch {plural(d.days_left, 'Tag', 'Tage')}"
        manual = f" (von Hand gesetzt, berechnet {fmt(d.deadline.due)})" if d.override_on else ""
        lines.append((what, f"{d.subject}, Bescheid vom {fmt(d.decided_on)}, bekanntgegeben am "
                            f"{fmt(d.notified_on)} ({d.notification.label}): bis {fmt(d.effective_on)}{manual}, "
                            f"{status}."))
    return lines


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def to_dict(state: LegalState) -> dict[str, Any]:
    """A JSON-ready form for ``--json`` (dates ISO, money in cents)."""
    s = state.schonfrist
    risk = state.termination_risk

    def kdu(k: KduState) -> dict[str, Any]:
        return {"geprueft": k.known, "ergebnis": k.verdict, "angemessen": k.appropriate, "ueber_cent": k.over_by,
                "unter_cent": k.under_by, "tabelle": k.table_version, "tabelle_gueltig_ab": _day(k.table_valid_from),
                "tabelle_alter_monate": k.table_age_months, "tabelle_veraltet": k.table_outdated,
                "regel": k.rule_note, "fehlt": k.missing, "text": kdu_text(k)}

    return {
        "aktenzeichen": state.case_number, "stand": state.today.isoformat(),
        "schonfrist": {"gilt": s.applies, "grund": s.not_applicable_reason,
                       "kuendigung_art": s.termination_kind.value if s.termination_kind else None,
                       "zugestellt": _day(s.served_on), "berechnet": _day(s.computed_on),
                       "anzustreben": _day(s.target_on), "von_hand": _day(s.override_on),
                       "von_hand_grund": s.override_reason, "ende": _day(s.effective_on), "abgelaufen": s.expired,
                       "gesperrt": s.barred, "gesperrt_durch_heilung_am": _day(s.barred_by_cure_on),
                       "genutzt_am": _day(s.used_on), "genutzt_wie": s.used_how.value if s.used_how else None,
                       "ordentliche_bleibt": s.ordinary_termination_stays, "hinweise": list(s.warnings),
                       "text": schonfrist_text(s)},
        "kuendigungsrisiko": None if risk is None else {
            "gefaehrdet": risk.at_risk, "alternative": risk.branch, "seit": _day(risk.since),
            "rueckstand_cent": risk.arrears, "rueckstand": fmt_money(risk.arrears), "text": risk.explanation},
        "kdu_aktuell": kdu(state.kdu_current), "kdu_vorschlag": kdu(state.kdu_proposed),
        "einwilligungen": {r.value: {"gueltig": c.valid, "text": c.message, "kategorien": list(c.categories),
                                     "gesundheitsdaten": c.health_data, "gueltig_bis": _day(c.valid_until)}
                           for r, c in state.consent_by_recipient.items()},
        "fristen_sgg": [{"art": d.kind.value, "gegenstand": d.subject, "bescheid_vom": d.decided_on.isoformat(),
                         "bekanntgabe": d.notification.value, "bekanntgegeben_am": d.notified_on.isoformat(),
                         "ende": d.effective_on.isoformat(), "berechnet": d.deadline.due.isoformat(),
                         "abgelaufen": d.expired} for d in state.open_sgg_deadlines],
    }
