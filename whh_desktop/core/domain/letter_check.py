"""Prüfung vor dem Versand: does a letter assert only what the case's legal state supports? (DOMAIN.md "A letter
asserts only what the case's state supports", issue 14 point 3.)

Pure: the letter type's code, the letter's final values, the rendered text and the facts of the state go in; a
list of findings comes out. A blocking finding is a contradiction: the letter leaves only when forced with a
reason. A warning is a risk the counsellor should see.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from whh_desktop.core.domain.enums import ConsentRecipient
from whh_desktop.core.domain.formatting import fmt_date, fmt_money
from whh_desktop.core.domain.legal_state import KduState, LegalState, SchonfristState

SIX_MONTHS_DAYS = 183  # § 88 Abs. 1 SGG: Untätigkeitsklage after six months without a decision on an application
KDU_LETTERS = ("jc_zusicherung", "vermieter_bewerbung", "jc_mietschulden")
SCHONFRIST_LETTERS = ("jc_mietschulden", "vermieter_aussetzung_raeumung", "jc_sachstand")

# A sentence that claims the flat is reasonable (not "nicht angemessen", not "angemessener Zeit").
_CLAIMS_APPROPRIATE = re.compile(
    r"(?<!nicht )\bangemessen\b|im Rahmen der Angemessenheitsgrenze|"
    r"innerhalb der Angemessenheitsgrenze", re.IGNORECASE)
_NOT_APPROPRIATE_PHRASE = re.compile(r"nicht angemessen|über der (Angemessenheits)?grenze|unangemessen",
                                     re.IGNORECASE)
# The announcement that paying or the Jobcenter's undertaking cures the termination.
_CURE = re.compile(r"(Kündigung|Mietverhältnis)(?:[^.]|\.(?=\s?\d))*?\bunwirksam\b", re.IGNORECASE)
_NOT_CURED = re.compile(r"nicht (mehr )?unwirksam|nicht erneut unwirksam", re.IGNORECASE)
_SGG_88 = re.compile(r"§\s*88\s*(Abs\.\s*1\s*)?SGG")


@dataclass(frozen=True)
class KduFacts:
    """The KdU verdict of the flat a letter is about (the proposed flat, or for Mietschulden the current one)."""

    appropriate: bool
    over_by: int          # cents over the limit; 0 when within
    limit: int
    table_version: str = ""


@dataclass(frozen=True)
class SchonfristFacts:
    """The current Schonfrist (§ 569 Abs. 3 Nr. 2 BGB) as the deadline list holds it."""

    applies: bool                 # a fristlose termination for arrears (alone or with an ordinary one)
    due: date | None              # the deadline list's date, override included
    computed: date | None = None  # the date the rule gives, before an override
    overridden: bool = False
    override_reason: str = ""
    expired: bool = False
    barred: bool = False          # cured within the last two years (§ 569 Abs. 3 Nr. 2 Satz 2 BGB)
    ordinary_too: bool = False    # a termination given both ways: the ordinary one stays
    used: bool = False            # this termination was already cured ("Schonfrist genutzt")

    @property
    def cure_possible(self) -> bool:
        return self.applies and self.due is not None and not self.expired and not self.barred and not self.used

    @property
    def stage(self) -> str:
        """For the templates: offen, abgelaufen, gesperrt, genutzt; keine_verzugskuendigung without a Schonfrist."""
        if not self.applies:
            return "keine_verzugskuendigung"
        if self.barred:
            return "gesperrt"
        if self.used:
            return "genutzt"
        return "abgelaufen" if self.expired or self.due is None else "offen"


@dataclass(frozen=True)
class LetterFacts:
    """What the case's legal state says, as far as a letter needs it."""

    today: date
    kdu: KduFacts | None = None
    schonfrist: SchonfristFacts | None = None       # None: no eviction suit served
    termination_kind: str = ""                      # TerminationKind value, "" when none recorded
    consent_needed: bool = False
    consent_ok: bool = True
    consent_message: str = ""
    application_file_no: str = ""                   # the Aktenzeichen the office gave the application
    application_submitted_on: date | None = None
    iban: str = ""                                  # the landlord's IBAN for a Direktzahlung


@dataclass(frozen=True)
class Finding:
    code: str
    blocking: bool
    text: str

    @property
    def label(self) -> str:
        return ("Widerspruch: " if self.blocking else "Hinweis: ") + self.text


# ---- from the legal state (domain.legal_state) ---------------------------------------------------------------
# The flat a letter speaks about: the proposed flat for letters about a new flat, else the current tenancy.
PROPOSED_FLAT_LETTERS = ("jc_zusicherung", "vermieter_bewerbung", "jc_kaution", "jc_umzugskosten",
                         "jc_erstausstattung", "vermieter_nachbetreuung")


def kdu_facts(state: KduState) -> KduFacts | None:
    check = state.check
    if check is None:
        return None
    return KduFacts(check.appropriate, max(0, check.difference), check.limit, check.table_version)


def schonfrist_facts(state: SchonfristState) -> SchonfristFacts | None:
    """None without a served suit for a known termination kind: no letter may then speak of a Schonfrist."""
    if state.termination_kind is None or state.served_on is None:
        return None
    arrears = state.computed is not None  # computed only for a fristlose termination for arrears
    return SchonfristFacts(applies=arrears, due=state.effective_on, computed=state.computed_on,
                           overridden=state.overridden, override_reason=state.override_reason or "",
                           expired=state.expired, barred=state.barred, ordinary_too=state.ordinary_termination_stays,
                           used=state.used_on is not None)


def consent_kinds(recipient_kind: str) -> tuple[ConsentRecipient, ...]:
    """Which recorded consents cover a letter to this recipient kind. The consent form has one box "Jobcenter
    Herford / Sozialamt", so a Jobcenter/Sozialamt consent covers letters to either (issue 14); the Kreis consent
    never covers a benefit office."""
    both = (ConsentRecipient.JOBCENTER, ConsentRecipient.SOZIALAMT)
    return {"vermieter": (ConsentRecipient.VERMIETER,), "jobcenter": both, "sozialamt": both,
            "spdi": (ConsentRecipient.SPDI,), "suchtberatung": (ConsentRecipient.SUCHTHILFE,)}.get(recipient_kind, ())


def facts_from_state(code: str, state: LegalState, *, recipient_kind: str, client_signs: bool = False,
                     iban: str = "", application_file_no: str = "",
                     application_submitted_on: date | None = None) -> LetterFacts:
    """The facts one letter is checked against, read from the case's legal state."""
    kdu_state = state.kdu_proposed if code in PROPOSED_FLAT_LETTERS else state.kdu_current
    kinds = () if client_signs else consent_kinds(recipient_kind)
    needed = not client_signs and recipient_kind != "klient"
    ok, message = True, ""
    if needed:
        found = [state.consent_by_recipient[k] for k in kinds if k in state.consent_by_recipient]
        ok = any(c.valid for c in found)
        if not kinds:
            message = ("Für diesen Empfänger gibt es keine Art der Einwilligung. Bitte prüfen, ob die Klientin/der "
                       "Klient der Weitergabe zugestimmt hat.")
        elif not ok:
            recorded = [c.message for c in found if c.consent_id is not None]
            labels = " oder ".join(k.label for k in kinds)
            message = " ".join(recorded) or (f"Es liegt keine gültige Einwilligung für {labels} vor. Bitte zuerst "
                                             "eine Einwilligung erfassen.")
    termination = state.schonfrist.termination_kind
    return LetterFacts(today=state.today, kdu=kdu_facts(kdu_state), schonfrist=schonfrist_facts(state.schonfrist),
                       termination_kind=termination.value if termination else "", consent_needed=needed,
                       consent_ok=ok, consent_message=message, application_file_no=application_file_no,
                       application_submitted_on=application_submitted_on, iban=iban)


def _d(day: date | None) -> str:
    return fmt_date(day, empty="")


def check(code: str, values: Mapping[str, str], text: str, facts: LetterFacts) -> list[Finding]:
    """All findings for one letter; ``text`` is the rendered subject and body (free text included)."""
    out: list[Finding] = []
    out += _kdu(code, values, text, facts)
    out += _schonfrist(code, values, text, facts)
    out += _consent(facts)
    iban = values.get("vermieter_iban", "").strip() or facts.iban.strip()
    if code == "jc_direktzahlung" and not iban:
        out.append(Finding("iban_fehlt", True, "Für die Direktzahlung fehlt die IBAN des Vermieters. Bitte im "
                                               "Vermieterregister oder im Feld »IBAN des Vermieters« eintragen."))
    elif code == "jc_direktzahlung" and not iban_checksum_ok(iban):
        out.append(Finding("iban_falsch", True, f"Die IBAN »{iban}« ist ungültig (Prüfziffer stimmt nicht). Bitte "
                                                "mit dem Vermieter klären."))
    out += _application(code, values, text, facts)
    out += [Finding("frist_vorbei", True, f"Der Brief nennt als Frist den {day}, der schon vorbei ist.")
            for day in _past_dates(text, facts.today)]
    return out


def iban_checksum_ok(iban: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN (blanks allowed)."""
    compact = "".join(iban.split()).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", compact):
        return False
    digits = "".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def _kdu(code: str, values: Mapping[str, str], text: str, facts: LetterFacts) -> list[Finding]:
    kdu = facts.kdu
    if kdu is None or kdu.appropriate:
        return []
    out: list[Finding] = []
    over = (f"Die Wohnung liegt nach der KdU-Prüfung {fmt_money(kdu.over_by)} über der Angemessenheitsgrenze von "
            f"{fmt_money(kdu.limit)}" + (f" ({kdu.table_version})" if kdu.table_version else ""))
    claims = [m for m in _CLAIMS_APPROPRIATE.finditer(text)
              if not _NOT_APPROPRIATE_PHRASE.search(_sentence(text, m.start()))]
    if claims:
        out.append(Finding("kdu_behauptet_angemessen", True,
                           f"{over}, der Brief nennt sie aber angemessen (»{_around(text, claims[0].start())}«)."))
    if code == "jc_zusicherung":
        if not values.get("kdu_begruendung", "").strip():
            out.append(Finding("kdu_begruendung_fehlt", True,
                               f"{over}. Für die Zusicherung bitte im Feld »Begründung der höheren Miete« angeben, "
                               "warum die höhere Miete unvermeidbar ist (z. B. keine günstigere Wohnung frei, "
                               "Krankheit, Kinder im Haushalt)."))
        else:
            out.append(Finding("kdu_ueber_grenze", False, f"{over}; der Brief begründet die höhere Miete."))
    elif code in KDU_LETTERS:
        out.append(Finding("kdu_ueber_grenze", False, f"{over}; der Brief nennt den Betrag über der Grenze."))
    return out


# A sentence ends at . ! ? before a blank and a capital, or at a line break, but not after an abbreviation.
_SENTENCE_END = re.compile(r"(?<!\bAbs)(?<!\bNr)(?<!\bS)(?<!\bbzw)(?<!\bz)(?<!\bB)(?<!\bvgl)(?<!\bggf)(?<!\bd)"
                           r"(?<!\d)[.!?](?=\s)|\n")


def _sentence(text: str, at: int) -> str:
    """The sentence of ``text`` around position ``at``."""
    start = 0
    for m in _SENTENCE_END.finditer(text, 0, at):
        start = m.end()
    end = _SENTENCE_END.search(text, at)
    return " ".join(text[start:end.start() if end else len(text)].split())


def _around(text: str, at: int) -> str:
    return _sentence(text, at)[:160]


def _schonfrist(code: str, values: Mapping[str, str], text: str, facts: LetterFacts) -> list[Finding]:
    sf = facts.schonfrist
    out: list[Finding] = []
    cures = [m for m in _CURE.finditer(text) if not _NOT_CURED.search(_sentence(text, m.start()))]
    if cures and (sf is None or not sf.cure_possible):
        if sf is None:
            why = "es ist keine zugestellte Räumungsklage erfasst"
        elif not sf.applies:
            why = "die Kündigung ist keine fristlose Kündigung wegen Zahlungsverzugs"
        elif sf.barred:
            why = "die Schonfrist wurde innerhalb der letzten zwei Jahre schon genutzt (§ 569 Abs. 3 Nr. 2 Satz 2 BGB)"
        else:
            why = f"die Schonfrist ist am {_d(sf.due)} abgelaufen"
        out.append(Finding("heilung_unmoeglich", True, f"Der Brief kündigt an, dass die Kündigung unwirksam wird, "
                                                        f"aber {why}."))
    if sf is None or code not in SCHONFRIST_LETTERS:
        return out
    typed = _parse_day(values.get("schonfrist_ende", ""))
    if sf.applies and sf.due is not None and (typed != sf.due if typed else sf.cure_possible):
        now = f"den {_d(typed)}" if typed else "kein Datum"
        out.append(Finding("schonfrist_datum", True, f"Der Brief nennt als Ende der Schonfrist {now}, die Fristenliste "
                                                     f"den {_d(sf.due)}. Bitte das Datum der Fristenliste verwenden "
                                                     "(eine Änderung dort mit Grund eintragen)."))
    if sf.applies and sf.expired and not sf.barred:
        out.append(Finding("schonfrist_abgelaufen", False, f"Die Schonfrist ist am {_d(sf.due)} abgelaufen; die "
                                                            "Kündigung kann nicht mehr geheilt werden."))
    if sf.applies and sf.barred:
        out.append(Finding("schonfrist_gesperrt", False, "Die Schonfrist wurde innerhalb der letzten zwei Jahre "
                                                          "schon genutzt und heilt diese Kündigung nicht."))
    if sf.applies and sf.overridden:
        reason = f" (Grund: {sf.override_reason})" if sf.override_reason else ""
        out.append(Finding("schonfrist_geaendert", False, f"Das Ende der Schonfrist wurde von {_d(sf.computed)} auf "
                                                          f"{_d(sf.due)} geändert{reason}; der Brief nennt "
                                                          "das geänderte Datum."))
    if sf.applies and sf.ordinary_too:
        out.append(Finding("ordentliche_bleibt", False, "Die hilfsweise ordentliche Kündigung wird durch die "
                                                         "Schonfrist nicht geheilt."))
    return out


_DEADLINE_DATE = re.compile(r"(?:bis zum|vor dem|spätestens am|endet am)\s+\**(\d{1,2})\.\s?([A-Za-zä]+|\d{1,2}\.)"
                            r"\s?(\d{4})")
_MONTHS = ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
           "november", "dezember")


def _parse_day(text: str) -> date | None:
    """``24. November 2026`` or ``24.11.2026`` in a value; None otherwise."""
    m = re.fullmatch(r"\s*(\d{1,2})\.\s?([A-Za-zä]+|\d{1,2}\.)\s?(\d{4})\s*", text)
    if not m:
        return None
    month_text = m.group(2).rstrip(".").lower()
    month = _MONTHS.index(month_text) + 1 if month_text in _MONTHS else (int(month_text) if month_text.isdigit()
                                                                         else 0)
    try:
        return date(int(m.group(3)), month, int(m.group(1)))
    except ValueError:
        return None


def submitted_long_ago(submitted: date | None, today: date) -> bool:
    """§ 88 Abs. 1 SGG: six months without a decision on an application."""
    return submitted is not None and (today - submitted).days >= SIX_MONTHS_DAYS


def _past_dates(text: str, today: date) -> list[str]:
    """Deadline dates in the text ("bis zum 3. Dezember 2026", "vor dem …") that lie before today."""
    out = []
    for m in _DEADLINE_DATE.finditer(text):
        day = _parse_day(f"{m.group(1)}. {m.group(2)} {m.group(3)}")
        if day is not None and day < today:
            out.append(fmt_date(day))
    return out


def _consent(facts: LetterFacts) -> list[Finding]:
    if not facts.consent_needed or facts.consent_ok:
        return []
    return [Finding("einwilligung", True, facts.consent_message or "Es liegt keine gültige Einwilligung für diesen "
                                                                   "Empfänger vor.")]


def _application(code: str, values: Mapping[str, str], text: str, facts: LetterFacts) -> list[Finding]:
    out: list[Finding] = []
    submitted = facts.application_submitted_on or _parse_day(values.get("antrag_datum", ""))
    if code == "jc_sachstand" and submitted is not None:
        days = (facts.today - submitted).days
        if days >= SIX_MONTHS_DAYS and not _SGG_88.search(text):
            out.append(Finding("sgg88_fehlt", False, f"Der Antrag vom {_d(submitted)} ist "
                                                    "seit mehr als sechs Monaten unbeschieden; der Brief sollte auf "
                                                    "die Untätigkeitsklage nach § 88 SGG hinweisen."))
    if facts.application_file_no and code.startswith("jc_"):
        given = values.get("ihr_zeichen", "").strip()
        if given != facts.application_file_no.strip():
            now = f"»{given}«" if given else "nichts"
            out.append(Finding("ihr_zeichen", False, f"Unter »Ihr Zeichen« steht {now}; das Aktenzeichen des "
                                                     f"Antrags ist »{facts.application_file_no}«."))
    return out
