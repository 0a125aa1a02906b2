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

from whh_desktop.core.domain.validation import format_money

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
_CURE = re.compile(r"(Kündigung|Mietverhältnis)[^.]{0,120}\bunwirksam\b|unwirksam[^.]{0,80}§ 569 Abs\. 3",
                   re.IGNORECASE)
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

    @property
    def cure_possible(self) -> bool:
        return self.applies and self.due is not None and not self.expired and not self.barred


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


def _d(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else ""


def check(code: str, values: Mapping[str, str], text: str, facts: LetterFacts) -> list[Finding]:
    """All findings for one letter; ``text`` is the rendered subject and body (free text included)."""
    out: list[Finding] = []
    out += _kdu(code, values, text, facts)
    out += _schonfrist(code, text, facts)
    out += _consent(facts)
    if code == "jc_direktzahlung" and not (facts.iban.strip() or values.get("vermieter_iban", "").strip()):
        out.append(Finding("iban_fehlt", True, "Für die Direktzahlung fehlt die IBAN des Vermieters. Bitte im "
                                               "Vermieterregister oder im Feld »IBAN des Vermieters« eintragen."))
    out += _application(code, values, text, facts)
    out += [Finding("frist_vorbei", True, f"Der Brief nennt als Frist den {day}, der schon vorbei ist.")
            for day in _past_dates(text, facts.today)]
    return out


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.blocking]


def _kdu(code: str, values: Mapping[str, str], text: str, facts: LetterFacts) -> list[Finding]:
    kdu = facts.kdu
    if kdu is None or kdu.appropriate:
        return []
    out: list[Finding] = []
    over = (f"Die Wohnung liegt nach der KdU-Prüfung {format_money(kdu.over_by)} über der Angemessenheitsgrenze von "
            f"{format_money(kdu.limit)}" + (f" ({kdu.table_version})" if kdu.table_version else ""))
    claims = [m for m in _CLAIMS_APPROPRIATE.finditer(text) if not _negated(text, m.start())]
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


def _negated(text: str, at: int) -> bool:
    """"nicht angemessen" or "über der Grenze" in the same sentence: not a claim of reasonableness."""
    start = max(text.rfind(".", 0, at), text.rfind("\n", 0, at)) + 1
    end_dot = text.find(".", at)
    sentence = text[start:end_dot if end_dot >= 0 else len(text)]
    return bool(_NOT_APPROPRIATE_PHRASE.search(sentence))


def _around(text: str, at: int) -> str:
    start = max(text.rfind(".", 0, at), text.rfind("\n", 0, at)) + 1
    end = text.find(".", at)
    return " ".join(text[start:end if end >= 0 else len(text)].split())[:160]


def _schonfrist(code: str, text: str, facts: LetterFacts) -> list[Finding]:
    sf = facts.schonfrist
    out: list[Finding] = []
    cures = [m for m in _CURE.finditer(text) if not _NOT_CURED.search(text[m.start():m.end() + 20])]
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


def _past_dates(text: str, today: date) -> list[str]:
    """Deadline dates in the text ("bis zum 3. Dezember 2026", "vor dem …") that lie before today."""
    out = []
    for m in _DEADLINE_DATE.finditer(text):
        month_text = m.group(2).rstrip(".").lower()
        month = _MONTHS.index(month_text) + 1 if month_text in _MONTHS else (
            int(month_text) if month_text.isdigit() else 0)
        try:
            day = date(int(m.group(3)), month, int(m.group(1)))
        except ValueError:
            continue
        if day < today:
            out.append(" ".join(m.group(0).split()[2:]).strip("*"))
    return out


def _consent(facts: LetterFacts) -> list[Finding]:
    if not facts.consent_needed or facts.consent_ok:
        return []
    return [Finding("einwilligung", True, facts.consent_message or "Es liegt keine gültige Einwilligung für diesen "
                                                                   "Empfänger vor.")]


def _application(code: str, values: Mapping[str, str], text: str, facts: LetterFacts) -> list[Finding]:
    out: list[Finding] = []
    if code == "jc_sachstand" and facts.application_submitted_on is not None:
        days = (facts.today - facts.application_submitted_on).days
        if days >= SIX_MONTHS_DAYS and not _SGG_88.search(text):
            out.append(Finding("sgg88_fehlt", False, f"Der Antrag vom {_d(facts.application_submitted_on)} ist "
                                                    "seit mehr als sechs Monaten unbeschieden; der Brief sollte auf "
                                                    "die Untätigkeitsklage nach § 88 SGG hinweisen."))
    if facts.application_file_no and code.startswith("jc_"):
        given = values.get("ihr_zeichen", "").strip()
        if given != facts.application_file_no.strip():
            now = f"»{given}«" if given else "leer"
            out.append(Finding("ihr_zeichen", False, f"»Ihr Zeichen« ist {now}; das Aktenzeichen des Antrags ist "
                                                     f"»{facts.application_file_no}«."))
    return out
