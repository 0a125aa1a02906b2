"""Prüfung vor dem Versand (issue 14 point 3): one table row per finding, over plain values and the legal state."""

from __future__ import annotations

from datetime import date

import pytest

from whh_desktop.core.domain import letter_check
from whh_desktop.core.domain.deadlines import DeadlineKind
from whh_desktop.core.domain.enums import TerminationKind
from whh_desktop.core.domain.kdu import KduCheck
from whh_desktop.core.domain.legal_state import ConsentFacts, LegalInputs, ProceedingFacts, legal_state
from whh_desktop.core.domain.letter_check import KduFacts, LetterFacts, SchonfristFacts

TODAY = date(2026, 12, 3)
OVER = KduFacts(appropriate=False, over_by=5100, limit=41000, table_version="KdU Kreis Herford 2019")
WITHIN = KduFacts(appropriate=True, over_by=0, limit=41000)
OPEN = SchonfristFacts(applies=True, due=date(2027, 1, 11), computed=date(2027, 1, 11))
EXPIRED = SchonfristFacts(applies=True, due=date(2026, 11, 2), computed=date(2026, 11, 2), expired=True)
BARRED = SchonfristFacts(applies=True, due=date(2027, 1, 11), computed=date(2027, 1, 11), barred=True)
ORDINARY = SchonfristFacts(applies=False, due=None)
OVERRIDDEN = SchonfristFacts(applies=True, due=date(2027, 1, 15), computed=date(2027, 1, 11), overridden=True,
                             override_reason="Zustellung an zweiten Mieter später")
CURE = ("Wird die Übernahme bewilligt, wird die fristlose Kündigung nach § 569 Abs. 3 Nr. 2 BGB unwirksam.")
CLAIM = "Die Wohnung ist angemessen und kann dauerhaft erhalten werden."


def facts(**kw) -> LetterFacts:
    return LetterFacts(today=TODAY, **kw)


def codes(findings) -> list[tuple[str, bool]]:
    return [(f.code, f.blocking) for f in findings]


ROWS = [
    # (id, letter, values, text, facts, expected (code, blocking) pairs)
    ("mietschulden-over-limit-claims-angemessen", "jc_mietschulden", {}, CLAIM, facts(kdu=OVER),
     [("kdu_behauptet_angemessen", True), ("kdu_ueber_grenze", False)]),
    ("mietschulden-over-limit-says-so", "jc_mietschulden", {},
     "Die Bruttokaltmiete liegt 51,00 € über der Angemessenheitsgrenze von 410,00 €.", facts(kdu=OVER),
     [("kdu_ueber_grenze", False)]),
    ("bewerbung-within-limit", "vermieter_bewerbung", {},
     "Die Miete liegt nach unserer Prüfung im Rahmen der Angemessenheitsgrenze.", facts(kdu=WITHIN), []),
    ("bewerbung-over-limit-claims-within", "vermieter_bewerbung", {},
     "Die Miete liegt nach unserer Prüfung im Rahmen der Angemessenheitsgrenze.", facts(kdu=OVER),
     [("kdu_behauptet_angemessen", True), ("kdu_ueber_grenze", False)]),
    ("zusicherung-over-limit-without-begruendung", "jc_zusicherung", {},
     "Unsere Prüfung ergibt: nicht angemessen: 461,00 € liegt 51,00 € über der Grenze von 410,00 €.",
     facts(kdu=OVER), [("kdu_begruendung_fehlt", True)]),
    ("zusicherung-over-limit-with-begruendung", "jc_zusicherung",
     {"kdu_begruendung": "Keine günstigere Wohnung in Löhne frei; Kind mit Behinderung."},
     "Unsere Prüfung ergibt: nicht angemessen.", facts(kdu=OVER), [("kdu_ueber_grenze", False)]),
    ("cure-announced-with-open-schonfrist", "vermieter_aussetzung_raeumung", {"schonfrist_ende": "11. Januar 2027"},
     CURE, facts(schonfrist=OPEN), []),
    ("schonfrist-date-other-than-the-list", "jc_mietschulden", {"schonfrist_ende": "20. Januar 2027"}, CURE,
     facts(schonfrist=OPEN), [("schonfrist_datum", True)]),
    ("schonfrist-date-emptied", "jc_mietschulden", {"schonfrist_ende": ""}, "Text.", facts(schonfrist=OPEN),
     [("schonfrist_datum", True)]),
    ("cure-announced-but-barred", "vermieter_aussetzung_raeumung", {}, CURE, facts(schonfrist=BARRED),
     [("heilung_unmoeglich", True), ("schonfrist_gesperrt", False)]),
    ("cure-announced-but-expired", "vermieter_aussetzung_raeumung", {}, CURE, facts(schonfrist=EXPIRED),
     [("heilung_unmoeglich", True), ("schonfrist_abgelaufen", False)]),
    ("cure-announced-for-ordinary-termination", "vermieter_aussetzung_raeumung", {}, CURE,
     facts(schonfrist=ORDINARY, termination_kind="ordentlich"), [("heilung_unmoeglich", True)]),
    ("cure-announced-without-suit", "jc_mietschulden", {}, CURE, facts(), [("heilung_unmoeglich", True)]),
    ("cure-denied-is-no-announcement", "jc_mietschulden", {},
     "Die Kündigung kann durch die Übernahme nicht erneut unwirksam werden (§ 569 Abs. 3 Nr. 2 Satz 2 BGB).",
     facts(schonfrist=BARRED), [("schonfrist_gesperrt", False)]),
    ("schonfrist-overridden", "jc_mietschulden", {"schonfrist_ende": "15.01.2027"},
     "Bitte bis zum 15. Januar 2027 entscheiden.",
     facts(schonfrist=OVERRIDDEN), [("schonfrist_geaendert", False)]),
    ("deadline-already-past", "jc_mietschulden", {}, "Wir bitten um eine Entscheidung bis zum **2. November 2026**.",
     facts(schonfrist=EXPIRED), [("schonfrist_abgelaufen", False), ("frist_vorbei", True)]),
    ("consent-missing", "jc_kaution", {}, "Text.",
     facts(consent_needed=True, consent_ok=False, consent_message="Keine Einwilligung für Jobcenter erfasst."),
     [("einwilligung", True)]),
    ("consent-present", "jc_kaution", {}, "Text.", facts(consent_needed=True, consent_ok=True), []),
    ("direktzahlung-without-iban", "jc_direktzahlung", {}, "Text.", facts(), [("iban_fehlt", True)]),
    ("direktzahlung-iban-from-the-landlord-record", "jc_direktzahlung", {}, "Text.",
     facts(iban="DE89 3704 0044 0532 0130 00"), []),
    ("direktzahlung-iban-typed", "jc_direktzahlung", {"vermieter_iban": "DE89370400440532013000"}, "Text.",
     facts(), []),
    ("direktzahlung-iban-wrong-checksum", "jc_direktzahlung", {"vermieter_iban": "DE89 3704 0044 0532 0130 01"},
     "Text.", facts(), [("iban_falsch", True)]),
    ("sachstand-after-six-months-without-88", "jc_sachstand", {"ihr_zeichen": "AZ-1"}, "Bitte um Sachstand.",
     facts(application_submitted_on=date(2026, 5, 4), application_file_no="AZ-1"), [("sgg88_fehlt", False)]),
    ("sachstand-after-six-months-with-88", "jc_sachstand", {"ihr_zeichen": "AZ-1"},
     "Eine Untätigkeitsklage nach § 88 Abs. 1 SGG ist zulässig.",
     facts(application_submitted_on=date(2026, 5, 4), application_file_no="AZ-1"), []),
    ("sachstand-typed-date-after-six-months", "jc_sachstand", {"antrag_datum": "4. Mai 2026"},
     "Bitte um Sachstand.", facts(), [("sgg88_fehlt", False)]),
    ("sachstand-within-six-months", "jc_sachstand", {}, "Bitte um Sachstand.",
     facts(application_submitted_on=date(2026, 9, 1)), []),
    ("ihr-zeichen-empty", "jc_widerspruch", {"ihr_zeichen": ""}, "Widerspruch.",
     facts(application_file_no="BG 32584-0001234"), [("ihr_zeichen", False)]),
    ("ihr-zeichen-other", "jc_widerspruch", {"ihr_zeichen": "M-4711"}, "Widerspruch.",
     facts(application_file_no="BG 32584-0001234"), [("ihr_zeichen", False)]),
    ("ihr-zeichen-filled", "jc_widerspruch", {"ihr_zeichen": "BG 32584-0001234"}, "Widerspruch.",
     facts(application_file_no="BG 32584-0001234"), []),
]


@pytest.mark.parametrize(("letter", "values", "text", "given", "expected"), [r[1:] for r in ROWS],
                         ids=[r[0] for r in ROWS])
def test_each_finding(letter, values, text, given, expected) -> None:
    findings = letter_check.check(letter, values, text, given)
    assert codes(findings) == expected
    assert all(f.text and f.text[0].isupper() for f in findings)  # a German sentence each


def test_every_finding_names_the_facts_in_german() -> None:
    [claim, over] = letter_check.check("jc_mietschulden", {}, CLAIM, facts(kdu=OVER))
    assert "51,00 € über der Angemessenheitsgrenze von 410,00 €" in claim.text
    assert "KdU Kreis Herford 2019" in claim.text
    assert claim.label.startswith("Widerspruch: ") and over.label.startswith("Hinweis: ")
    [barred, _] = letter_check.check("vermieter_aussetzung_raeumung", {}, CURE, facts(schonfrist=BARRED))
    assert "zwei Jahre" in barred.text and "§ 569 Abs. 3 Nr. 2 Satz 2 BGB" in barred.text
    [changed] = letter_check.check("jc_mietschulden", {"schonfrist_ende": "15. Januar 2027"}, "Text.",
                                   facts(schonfrist=OVERRIDDEN))
    assert "11.01.2027 auf 15.01.2027" in changed.text and "zweiten Mieter" in changed.text


def test_not_angemessen_and_angemessener_zeit_are_no_claims() -> None:
    for text in ("Ergebnis: nicht angemessen: 461,00 € liegt 51,00 € über der Grenze.",
                 "Eine Unterkunft ist nicht in angemessener Zeit zu finden.",
                 "Die Angemessenheit wird gesondert geprüft.", "Die Miete ist unangemessen hoch."):
        assert letter_check.check("jc_mietschulden", {}, text, facts(kdu=OVER)) == [
            letter_check.Finding("kdu_ueber_grenze", False, letter_check.check(
                "jc_mietschulden", {}, "", facts(kdu=OVER))[0].text)], text


def test_iban_checksum() -> None:
    assert letter_check.iban_checksum_ok("DE89 3704 0044 0532 0130 00")
    assert not letter_check.iban_checksum_ok("DE89 3704 0044 0532 0130 01")
    assert not letter_check.iban_checksum_ok("keine IBAN")


# ---- from the legal state ------------------------------------------------------------------------------------
def _kdu(gross: int, limit: int) -> KduCheck:
    return KduCheck("KdU Kreis Herford 2025", date(2025, 1, 1), "Löhne", "Löhne", 2, gross, limit, limit)


def _proceeding(kind: TerminationKind, served: date, **kw) -> ProceedingFacts:
    return ProceedingFacts("p1", kind, date(2026, 9, 1), served, **kw)


def test_facts_come_from_the_legal_state() -> None:
    state = legal_state(LegalInputs(
        "LOE-2026-0001", proceeding=_proceeding(TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, date(2026, 11, 20)),
        kdu_current=_kdu(46100, 41000), kdu_proposed=_kdu(40000, 41000),
        consents=(ConsentFacts("c1", ("jobcenter",), ("stammdaten",), signed_on=TODAY, valid_from=TODAY),)), TODAY)
    mietschulden = letter_check.facts_from_state("jc_mietschulden", state, recipient_kind="sozialamt")
    assert mietschulden.kdu == KduFacts(False, 5100, 41000, "KdU Kreis Herford 2025")  # the current flat
    assert mietschulden.consent_ok  # the Jobcenter/Sozialamt consent covers the Sozialamt
    assert mietschulden.schonfrist is not None and mietschulden.schonfrist.stage == "offen"
    assert mietschulden.schonfrist.due == state.schonfrist.effective_on
    zusicherung = letter_check.facts_from_state("jc_zusicherung", state, recipient_kind="jobcenter")
    assert zusicherung.kdu is not None and zusicherung.kdu.appropriate  # the proposed flat
    landlord = letter_check.facts_from_state("vermieter_aussetzung_raeumung", state, recipient_kind="vermieter")
    assert not landlord.consent_ok and "Vermieter" in landlord.consent_message
    client = letter_check.facts_from_state("klient_vollmacht", state, recipient_kind="klient", client_signs=True)
    assert not client.consent_needed


def test_kreis_consent_does_not_cover_the_sozialamt() -> None:
    state = legal_state(LegalInputs("X", consents=(ConsentFacts("c1", ("kreis",), signed_on=TODAY,
                                                                 valid_from=TODAY),)), TODAY)
    got = letter_check.facts_from_state("jc_mietschulden", state, recipient_kind="sozialamt")
    assert not got.consent_ok and "Jobcenter oder Sozialamt" in got.consent_message
    assert codes(letter_check.check("jc_mietschulden", {}, "", got)) == [("einwilligung", True)]


@pytest.mark.parametrize(("kind", "served", "kw", "stage"), [
    (TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, date(2026, 11, 20), {}, "offen"),
    (TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, date(2026, 8, 20), {}, "abgelaufen"),
    (TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, date(2026, 11, 20), {"previous_cure_on": date(2025, 6, 1)}, "gesperrt"),
    (TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, date(2026, 11, 20), {"cure_used_on": date(2026, 12, 1)}, "genutzt"),
    (TerminationKind.ORDENTLICH, date(2026, 11, 20), {}, "keine_verzugskuendigung"),
    (TerminationKind.SONSTIGE, date(2026, 11, 20), {}, "keine_verzugskuendigung"),
])
def test_schonfrist_stage_follows_the_state(kind, served, kw, stage) -> None:
    state = legal_state(LegalInputs("X", proceeding=_proceeding(kind, served, **kw)), TODAY)
    got = letter_check.facts_from_state("jc_mietschulden", state, recipient_kind="jobcenter")
    assert got.schonfrist is not None and got.schonfrist.stage == stage
    assert got.schonfrist.cure_possible == (stage == "offen")
    blocked = [f.code for f in letter_check.check("jc_mietschulden", {}, CURE, got) if f.blocking]
    assert ("heilung_unmoeglich" in blocked) == (stage != "offen")


def test_override_is_the_date_letters_use() -> None:
    state = legal_state(LegalInputs("X", proceeding=_proceeding(
        TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, date(2026, 11, 20), override_on=date(2027, 1, 29),
        override_reason="Zustellung an den zweiten Mieter")), TODAY)
    got = letter_check.facts_from_state("jc_mietschulden", state, recipient_kind="jobcenter").schonfrist
    assert got is not None and got.due == date(2027, 1, 29) and got.overridden and got.computed != got.due
    assert DeadlineKind.SCHONFRIST.value == "schonfrist"
