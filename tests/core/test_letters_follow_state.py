"""Letters assert only the case's legal state (issue 14 points 2–4): every letter type rendered for cases in each
branch (Schonfrist open, expired, barred, overridden, not for this termination; flat within and over the KdU
limit), the PDF text read back; recipients, salutation, client forms, Anlagen, consent form; CLI exit 1 and
--trotzdem; hypothesis properties over the shipped templates."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.core.letters_fixtures import FORM, TODAY, make_case
from tests.core.pdf_reading import pdf_text
from whh_desktop.core.domain import letter_catalogue as catalogue
from whh_desktop.core.domain import letter_check
from whh_desktop.core.letters import fields, templates, wording
from whh_desktop.core.services import address_book, applications, fristen, letters
from whh_desktop.core.services.applications import ApplicationData
from whh_desktop.core.store.models import (
    AuditEntry,
    Case,
    DeadlineEntry,
    EvictionProceeding,
    FlatOffer,
    Person,
    Proposal,
)

CASE_LETTERS = [k for k in catalogue.CATALOGUE if not k.serial]
CURE = re.compile(r"(Kündigung|Mietverhältnis)[^.]*?(\.\s?\d[^.]*?)*\bunwirksam\b", re.IGNORECASE)
CLAIM = re.compile(r"(?<!nicht )\bangemessen\b|im Rahmen der Angemessenheitsgrenze", re.IGNORECASE)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def case(counsellor):
    store, user = counsellor
    return store, user, make_case(store, user)


def change(store, model, row_id=None, case_id=None, **values) -> None:
    """Set up a branch of the state as the counsellor would have recorded it (real store, real rows)."""
    with store.session("test") as s:
        rows = [s.get(model, row_id)] if row_id else s.execute(select(model).where(model.case_id == case_id)
                                                               ).scalars().all()
        for row in rows:
            for key, value in values.items():
                setattr(row, key, value)


def propose_expensive_flat(store, user, case_id) -> None:
    """A second flat of the same landlord, far over the KdU limit, proposed to the case after the first."""
    with store.session("kreis-import") as s:
        first = s.execute(select(FlatOffer)).scalar_one()
        offer = FlatOffer(landlord_id=first.landlord_id, street="Teststraße 902", plz="32584", municipality="Löhne",
                          floor_space_m2=95.0, rooms=4, floor=2, cold_rent=90000, utilities=8000, heating=9000,
                          deposit=180000, gross_rent=98000, available_from=TODAY + timedelta(days=20),
                          origin_site="kreis", owner_site="kreis")
        s.add(offer)
        s.flush()
        s.add(Proposal(case_id=case_id, offer_id=offer.id, landlord_id=first.landlord_id,
                       landlord_name="Wohnbau Werre GmbH", offer_address="Teststraße 902, 32584 Löhne",
                       municipality="Löhne", gross_rent=98000, proposed_on=TODAY, counsellor=user.username,
                       origin_site="loehne", owner_site="loehne"))


def set_served(store, user, case_id, served: date, **extra) -> None:
    """Re-save the eviction proceeding so the Schonfrist deadline is recomputed from the new data."""
    from whh_desktop.core.services import casework
    from whh_desktop.core.services.casework import EvictionData

    with store.read_session() as s:
        proc = s.execute(select(EvictionProceeding).where(EvictionProceeding.case_id == case_id)).scalar_one()
        data = EvictionData(termination_on=min(proc.termination_on, served - timedelta(days=30)),
                            termination_kind=proc.termination_kind,
                            suit_filed_on=min(proc.suit_filed_on, served), suit_served_on=served,
                            hearing_on=proc.hearing_on, court=proc.court or "", court_file_no=proc.court_file_no or "")
        proc_id = proc.id
    for key, value in extra.items():
        data = data.__class__(**{**data.__dict__, key: value})
    casework.save_eviction(store, user, case_id, data, proc_id)


def render_all(store, user, case_id, extra=None, force=None) -> dict[str, tuple[str, list]]:
    """Every case letter to its default recipient: (PDF text, findings)."""
    out = {}
    for kind in CASE_LETTERS:
        with store.read_session() as s:
            recipient = letters.recipients(s, kind, case_id)[0]
        draft = letters.prepare(store, user, case_id, kind, recipient)
        values = FORM | (extra or {})
        findings = letters.check(draft, values)
        blocking = letter_check.blocking(findings)
        result = letters.render_full(draft, values, force=force if blocking else None)
        out[kind.code] = (flat(pdf_text(result.pdf)), findings)
    return out


def assert_invariants(rendered, *, cure_allowed: bool, kdu_over: bool) -> None:
    for code, (text, _) in rendered.items():
        if not cure_allowed:
            assert not [m.group(0) for m in CURE.finditer(text) if "nicht" not in m.group(0)], code
        if kdu_over and code in letter_check.KDU_LETTERS:
            assert not CLAIM.search(text), (code, CLAIM.search(text).group(0))
        assert "()" not in text and "{{" not in text, code
        for m in re.finditer(r"(bis zum|vor dem) \*?(\d{1,2}\. \w+ \d{4})", text):
            assert fields.parse_long_date(m.group(2)) >= TODAY, (code, m.group(0))


# ---- Schonfrist branches -------------------------------------------------------------------------------------
def test_open_schonfrist_announces_the_cure_with_the_deadline_list_date(case) -> None:
    store, user, case_id = case
    rendered = render_all(store, user, case_id)
    with store.read_session() as s:
        entry = s.execute(select(DeadlineEntry).where(DeadlineEntry.case_id == case_id,
                                                      DeadlineEntry.kind == "schonfrist")).scalar_one()
    due = fields.long_date(entry.effective_due)
    mietschulden, findings = rendered["jc_mietschulden"]
    assert f"dem Vermieter bis zum {due} zugeht" in mietschulden and not letter_check.blocking(findings)
    assert f"bis zum {due} zu, wird die fristlose Kündigung" in rendered["vermieter_aussetzung_raeumung"][0]
    assert f"am {due} endet" in rendered["jc_sachstand"][0]
    assert_invariants(rendered, cure_allowed=True, kdu_over=False)
    # the blocking findings of the shipped texts with a full case: none
    assert {c: [f.code for f in fs if f.blocking] for c, (_, fs) in rendered.items() if letter_check.blocking(fs)
            } == {}


def test_overridden_schonfrist_prints_the_override_and_warns(case) -> None:
    store, user, case_id = case
    with store.read_session() as s:
        entry = s.execute(select(DeadlineEntry).where(DeadlineEntry.case_id == case_id,
                                                      DeadlineEntry.kind == "schonfrist")).scalar_one()
    new_due = entry.due_on + timedelta(days=9)
    fristen.override(store, user, entry.id, new_due, "Zustellung an den zweiten Mieter später")
    rendered = render_all(store, user, case_id)
    text, findings = rendered["jc_mietschulden"]
    assert f"bis zum {fields.long_date(new_due)}" in text
    assert f"bis zum {fields.long_date(entry.due_on)}" not in text
    assert "schonfrist_geaendert" in [f.code for f in findings]


def test_expired_schonfrist_asks_for_a_settlement_and_names_no_past_deadline(case) -> None:
    store, user, case_id = case
    set_served(store, user, case_id, TODAY - timedelta(days=80))
    rendered = render_all(store, user, case_id)
    assert_invariants(rendered, cure_allowed=False, kdu_over=False)
    landlord = rendered["vermieter_aussetzung_raeumung"][0]
    assert "Vereinbarung über die Fortsetzung des Mietverhältnisses" in landlord and "unwirksam" not in landlord
    mietschulden, findings = rendered["jc_mietschulden"]
    assert "ist am" in mietschulden and "abgelaufen" in mietschulden and "vor diesem Tag" not in mietschulden
    assert "schonfrist_abgelaufen" in [f.code for f in findings]
    assert "Schonfrist" not in rendered["jc_sachstand"][0]


def test_barred_schonfrist_never_announces_the_cure(case) -> None:
    store, user, case_id = case
    set_served(store, user, case_id, TODAY - timedelta(days=10), previous_cure_on=TODAY - timedelta(days=400))
    rendered = render_all(store, user, case_id)
    assert_invariants(rendered, cure_allowed=False, kdu_over=False)
    assert "nicht erneut" not in rendered["vermieter_aussetzung_raeumung"][0]
    assert "innerhalb der letzten zwei Jahre bereits genutzt" in rendered["jc_mietschulden"][0]
    assert "schonfrist_gesperrt" in [f.code for f in rendered["jc_mietschulden"][1]]


@pytest.mark.parametrize("kind", ["ordentlich", "sonstige"])
def test_ordinary_or_other_termination_has_no_schonfrist_in_any_letter(case, kind) -> None:
    store, user, case_id = case
    change(store, EvictionProceeding, case_id=case_id, termination_kind=kind)
    rendered = render_all(store, user, case_id)
    assert_invariants(rendered, cure_allowed=False, kdu_over=False)
    for code, (text, _) in rendered.items():
        assert "569 Abs. 3 Nr. 2 BGB am" not in text, code
    assert "Eine Schonfrist gibt es bei dieser Kündigung nicht" in rendered["jc_mietschulden"][0]


def test_termination_both_ways_says_the_ordinary_one_stays(case) -> None:
    store, user, case_id = case
    change(store, EvictionProceeding, case_id=case_id, termination_kind="fristlos_ordentlich")
    rendered = render_all(store, user, case_id)
    assert "hilfsweise erklärte ordentliche Kündigung bleibt davon unberührt" in rendered["jc_mietschulden"][0]
    assert "ordentliche_bleibt" in [f.code for f in rendered["jc_mietschulden"][1]]


# ---- KdU branches --------------------------------------------------------------------------------------------
def test_flat_over_the_limit_is_never_called_angemessen(case) -> None:
    store, user, case_id = case
    propose_expensive_flat(store, user, case_id)                               # proposed flat far over
    change(store, Case, case_id, cold_rent=90000)                              # current flat far over
    rendered = render_all(store, user, case_id, force="Test: Begründung folgt")
    assert_invariants(rendered, cure_allowed=True, kdu_over=True)
    zusicherung, findings = rendered["jc_zusicherung"]
    assert "über der Angemessenheitsgrenze" in zusicherung and "Zusicherung dennoch zu erteilen" in zusicherung
    assert [f.code for f in findings if f.blocking] == ["kdu_begruendung_fehlt"]
    bewerbung, findings = rendered["vermieter_bewerbung"]
    assert "über der Angemessenheitsgrenze des Kreises Herford" in bewerbung
    assert "kdu_ueber_grenze" in [f.code for f in findings]
    mietschulden, findings = rendered["jc_mietschulden"]
    assert "Die Wohnung ist angemessen" not in mietschulden and "über der Angemessenheitsgrenze" in mietschulden
    assert "kdu_ueber_grenze" in [f.code for f in findings]
    with_reason = render_all(store, user, case_id, {"kdu_begruendung": "Keine kleinere Wohnung in Löhne frei."})
    text, findings = with_reason["jc_zusicherung"]
    assert "Die höhere Miete ist nicht zu vermeiden: Keine kleinere Wohnung in Löhne frei." in text
    assert not letter_check.blocking(findings)


def test_flat_within_the_limit_is_called_angemessen(case) -> None:
    store, user, case_id = case
    change(store, Case, case_id, cold_rent=20000, utilities=5000)
    rendered = render_all(store, user, case_id)
    assert "Die Wohnung ist angemessen" in rendered["jc_mietschulden"][0]
    assert "im Rahmen der Angemessenheitsgrenze" in rendered["vermieter_bewerbung"][0]


def test_edited_kdu_result_that_contradicts_the_check_blocks(case) -> None:
    store, user, case_id = case
    change(store, Case, case_id, cold_rent=90000)
    kind = catalogue.get("jc_mietschulden")
    with store.read_session() as s:
        draft = letters.prepare(store, user, case_id, kind, letters.recipients(s, kind, case_id)[0])
    with pytest.raises(letters.LetterBlocked) as err:
        letters.render(draft, FORM, "Die Wohnung ist nach unserer Einschätzung angemessen.")
    assert "kdu_behauptet_angemessen" in [f.code for f in err.value.findings]


# ---- recipients and wording ----------------------------------------------------------------------------------
def test_application_and_aftercare_letters_go_to_the_new_flats_landlord(case) -> None:
    store, _, case_id = case
    change(store, Case, case_id, landlord_name="Hausverwaltung Alt & Söhne KG")
    with store.read_session() as s:
        offer = s.execute(select(FlatOffer)).scalar_one()
        for code in ("vermieter_bewerbung", "vermieter_nachbetreuung"):
            first = letters.recipients(s, code, case_id)[0]
            assert (first.source, first.ref_id, first.name) == ("vermieter", offer.landlord_id, "Wohnbau Werre GmbH")
        first = letters.recipients(s, "vermieter_ruecknahme_kuendigung", case_id)[0]
        assert (first.source, first.name) == ("fall", "Hausverwaltung Alt & Söhne KG")


@pytest.mark.parametrize(("sex", "greeting", "form"), [
    ("weiblich", "Sehr geehrte Frau Żółkiewski,", "Mit Einverständnis unserer Klientin"),
    ("maennlich", "Sehr geehrter Herr Żółkiewski,", "Mit Einverständnis unseres Klienten"),
    ("ohne_angabe", "Guten Tag Łukasz Żółkiewski,", "Mit Einverständnis der von uns beratenen Person"),
])
def test_salutation_and_client_forms_follow_the_recorded_sex(case, sex, greeting, form) -> None:
    store, user, case_id = case
    with store.read_session() as s:
        person_id = s.get(Case, case_id).person_id
    change(store, Person, person_id, sex=sex)
    vollmacht = catalogue.get("klient_vollmacht")
    with store.read_session() as s:
        client = letters.recipients(s, vollmacht, case_id)[0]
    assert client.salutation == greeting
    kind = catalogue.get("vermieter_ruecknahme_kuendigung")
    with store.read_session() as s:
        landlord = letters.recipients(s, kind, case_id)[0]
    text = flat(pdf_text(letters.render(letters.prepare(store, user, case_id, kind, landlord), FORM)))
    assert form in text and "bzw. unseres Klienten" not in text
    # the case's landlord is in the registry: the letter goes to its contact person, never greeted as the client
    assert landlord.source == "vermieter" and "Sehr geehrte Frau Nowak," in text


def test_salutation_of_recipients() -> None:
    assert wording.salutation("Wohnbau Werre GmbH") == "Sehr geehrte Damen und Herren,"
    assert wording.salutation("Frau Nowak", person=True) == "Sehr geehrte Frau Nowak,"
    assert wording.salutation("Herr Nguyễn Văn An") == "Sehr geehrter Herr Nguyễn Văn An,"
    assert wording.salutation("Maria Schmidt") == "Guten Tag Maria Schmidt,"
    assert wording.salutation("Ömer Çelik", person=True, sex="maennlich", surname="Çelik") == (
        "Sehr geehrter Herr Çelik,")
    registry = address_book.manual("vermieter", "Frau Anna Öztürk\nWeg 1\n32584 Löhne")
    assert registry.salutation == "Sehr geehrte Frau Anna Öztürk,"
    assert address_book.manual("jobcenter", "Jobcenter Herford\nWeg 1").salutation == "Sehr geehrte Damen und Herren,"


def test_landlord_contact_person_is_greeted_by_name(case) -> None:
    store, _, case_id = case
    with store.read_session() as s:
        first = letters.recipients(s, "vermieter_bewerbung", case_id)[0]
    assert first.salutation == "Sehr geehrte Frau Nowak,"  # "z. Hd. Frau Nowak" in the registry


def test_anlagen_are_listed_and_editable(case) -> None:
    store, user, case_id = case
    kind = catalogue.get("jc_mietschulden")
    with store.read_session() as s:
        draft = letters.prepare(store, user, case_id, kind, letters.recipients(s, kind, case_id)[0])
    assert draft.values["anlagen"] == "Vollmacht, Kündigung, Räumungsklage, Mietkonto"
    assert "anlagen" in [f.key for f in draft.fields]
    text = pdf_text(letters.render(draft, FORM))
    assert "Anlagen: Vollmacht, Kündigung, Räumungsklage, Mietkonto" in flat(text)
    text = pdf_text(letters.render(draft, FORM | {"anlagen": "Vollmacht; Mietangebot"}))
    assert "Anlagen: Vollmacht, Mietangebot" in flat(text) and "Mietkonto" not in text


def test_missing_phone_leaves_its_sentence_out(counsellor) -> None:
    store, user = counsellor
    kind = catalogue.get("vermieter_vorstellung_swv")
    recipient = address_book.manual("vermieter", "Frau Anna Öztürk\nWeg 1\n32584 Löhne")
    draft = letters.prepare(store, user, None, kind, recipient)
    text = flat(pdf_text(letters.render(draft, {"berater_telefon": "", "berater_email": ""})))
    assert "()" not in text and "rufen Sie uns gern an" not in text and "melden Sie sich gern bei uns" in text
    text = flat(pdf_text(letters.render(draft, {"berater_telefon": "05732 999-0", "berater_email": ""})))
    assert "rufen Sie uns gern an (05732 999-0)." in text


def test_consent_form_prints_the_recorded_categories_and_validity(case) -> None:
    store, user, case_id = case
    kind = catalogue.get("klient_einwilligung")
    with store.read_session() as s:
        draft = letters.prepare(store, user, case_id, kind, letters.recipients(s, kind, case_id)[0])
    text = pdf_text(letters.render(draft))
    assert "[x] Name, Geburtsdatum, Anschrift" in text.replace("☒", "[x]") or "Name, Geburtsdatum" in text
    assert draft.values["einwilligung_kategorien"] == "stammdaten,wohnsituation"
    assert draft.values["einwilligung_gueltigkeit"] == f"vom {fields.long_date(TODAY)} bis zum Widerruf"
    assert f"Die Einwilligung gilt vom {fields.long_date(TODAY)} bis zum Widerruf." in flat(text)
    body = templates.render_text(kind.template, draft.template_source, draft.values)[1]
    assert "[x] Name, Geburtsdatum, Anschrift" in body and "[x] Wohnsituation" in body
    assert "[ ] Einkommen und Leistungen" in body and "[x] Jobcenter Herford / Sozialamt" in body


def test_sachstand_after_six_months_cites_88_sgg_and_fills_ihr_zeichen(case) -> None:
    store, user, case_id = case
    applications.add_application(store, user, case_id, ApplicationData(
        "sgb2_22_8", TODAY - timedelta(days=200), authority="Jobcenter Herford", file_no="BG 32584-0001234"))
    kind = catalogue.get("jc_sachstand")
    with store.read_session() as s:
        draft = letters.prepare(store, user, case_id, kind, letters.recipients(s, kind, case_id)[0])
    assert draft.values["ihr_zeichen"] == "BG 32584-0001234"
    assert draft.values["antrag_datum"] == fields.long_date(TODAY - timedelta(days=200))
    values = {"antrag_gegenstand": "Übernahme der Mietschulden"}
    text = flat(pdf_text(letters.render(draft, values)))
    assert "§ 88 Abs. 1 SGG" in text and "BG 32584-0001234" in text
    assert [f.code for f in letters.check(draft, values)] == []
    assert "ihr_zeichen" in [f.code for f in letters.check(draft, values | {"ihr_zeichen": ""})]


def test_direktzahlung_needs_the_landlords_iban(case) -> None:
    store, user, case_id = case
    kind = catalogue.get("jc_direktzahlung")
    with store.read_session() as s:
        draft = letters.prepare(store, user, case_id, kind, letters.recipients(s, kind, case_id)[0])
    with pytest.raises(letters.LetterBlocked, match="IBAN des Vermieters"):
        letters.render(draft)
    text = pdf_text(letters.render(draft, {"vermieter_iban": "DE89 3704 0044 0532 0130 00"}))
    assert "DE89 3704 0044 0532 0130 00" in text


def test_forced_letter_is_audited_with_its_reason_and_empty_reason_refused(case) -> None:
    store, user, case_id = case
    kind = catalogue.get("jc_direktzahlung")
    with store.read_session() as s:
        draft = letters.prepare(store, user, case_id, kind, letters.recipients(s, kind, case_id)[0])
    for empty in ("", "  \n "):
        with pytest.raises(letters.InvalidInput, match="warum der Brief trotz der Prüfung"):
            letters.render(draft, force=empty)
    result = letters.render_full(draft, force="IBAN wird telefonisch nachgereicht")
    letters.record(store, user, case_id, draft, result.pdf, forced="IBAN wird telefonisch nachgereicht",
                   findings=result.findings)
    with store.read_session() as s:
        entries = s.execute(select(AuditEntry).where(AuditEntry.action == "letter_check_overridden")).scalars().all()
    assert [e.detail for e in entries] == [
        "jc_direktzahlung trotz Prüfung (iban_fehlt); Grund: IBAN wird telefonisch nachgereicht"]


# ---- CLI -----------------------------------------------------------------------------------------------------
def test_cli_render_exits_1_with_the_reasons_and_trotzdem_overrides(site_paths, tmp_path) -> None:
    from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD
    from tests.core.test_letters_admin import whh
    from whh_desktop.core.services import login

    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    try:
        case_id = make_case(store, user)
        with store.read_session() as s:
            number = s.get(Case, case_id).case_number
    finally:
        store.close()
    out = tmp_path / "brief.pdf"
    r = whh(site_paths.root, "letter", "render", "jc_direktzahlung", "--case", number, "-o", str(out))
    assert r.returncode == 1 and not out.exists()
    assert "Widerspruch: Für die Direktzahlung fehlt die IBAN des Vermieters" in r.stdout and "--trotzdem" in r.stdout
    r = whh(site_paths.root, "letter", "render", "jc_direktzahlung", "--case", number, "-o", str(out),
            "--trotzdem", " ")
    assert r.returncode == 1 and "warum der Brief trotz der Prüfung" in r.stderr and not out.exists()
    r = whh(site_paths.root, "letter", "render", "jc_direktzahlung", "--case", number, "-o", str(out), "--json",
            "--trotzdem", "IBAN folgt per Fax")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["trotzdem"] == "IBAN folgt per Fax" and data["befunde"][0]["code"] == "iban_fehlt"
    assert out.read_bytes().startswith(b"%PDF")
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    try:
        with store.read_session() as s:
            details = s.execute(select(AuditEntry.detail).where(AuditEntry.action == "letter_check_overridden")
                                ).scalars().all()
    finally:
        store.close()
    assert details == ["jc_direktzahlung trotz Prüfung (iban_fehlt); Grund: IBAN folgt per Fax"]


# ---- properties over the shipped templates -------------------------------------------------------------------
TEXT = st.text(st.characters(whitelist_categories=("L", "N", "Zs"), whitelist_characters="-,."), max_size=30)
STATE = st.fixed_dictionaries({
    "kdu_angemessen": st.sampled_from(["nein"]),
    "kdu_ueberschreitung": st.sampled_from(["0,01 €", "51,00 €", "1.234,56 €"]),
    "schonfrist_stand": st.sampled_from(["gesperrt", "keine_verzugskuendigung", "abgelaufen", "genutzt", ""]),
    "ordentliche_kuendigung_bleibt": st.sampled_from(["", "ja"]),
    "antrag_ueber_sechs_monate": st.sampled_from(["", "ja"]),
    "klient_bez": st.just("unsere Klientin"), "klient_bez_gen": st.just("unserer Klientin"),
    "klient_bez_dat": st.just("unserer Klientin"), "klient_pron": st.just("sie"),
})


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(kind=st.sampled_from(CASE_LETTERS), state=STATE, filler=TEXT,
       fields_set=st.sets(st.sampled_from(sorted(fields.FIELDS)), max_size=20))
def test_no_letter_claims_angemessen_or_a_cure_the_state_denies(kind, state, filler, fields_set) -> None:
    """Whatever the form holds (within fields that state no verdict themselves), a letter whose state says
    "nicht angemessen" never claims the flat is reasonable, and a barred, expired or non-arrears termination never
    yields the cure sentence."""
    values = {k: filler or "x" for k in fields_set if k not in ("kdu_ergebnis", "freitext", "widerspruch_gruende",
                                                                "kdu_begruendung", "erstausstattung_grund")}
    values |= {"schonfrist_ende": "11. Januar 2027", "kdu_grenze": "410,00 €"}
    subject, body = templates.render_text(kind.template, templates.shipped_source(kind.code), values | state)
    text = f"{subject}\n{body}"
    facts = letter_check.LetterFacts(
        today=date(2026, 12, 3), kdu=letter_check.KduFacts(False, 5100, 41000),
        schonfrist=None if not state["schonfrist_stand"] else letter_check.SchonfristFacts(
            applies=state["schonfrist_stand"] != "keine_verzugskuendigung", due=date(2027, 1, 11),
            expired=state["schonfrist_stand"] == "abgelaufen", barred=state["schonfrist_stand"] == "gesperrt",
            used=state["schonfrist_stand"] == "genutzt"))
    blocking = {f.code for f in letter_check.check(kind.code, values, text, facts) if f.blocking}
    assert "kdu_behauptet_angemessen" not in blocking and "heilung_unmoeglich" not in blocking
    if kind.code in letter_check.KDU_LETTERS:
        assert not CLAIM.search(text)


@pytest.mark.parametrize("kind", CASE_LETTERS, ids=lambda k: k.code)
def test_empty_optional_values_leave_their_sentence_out(kind) -> None:
    """Only the required fields filled: no empty brackets, dangling commas or "am ." anywhere."""
    values = {key: "1. Januar 2099" if "datum" in key or key in ("nachsorge_bis", "klage_zugestellt") else "Wert"
              for key in kind.required}
    values |= {"anrede": "Guten Tag,", "stelle_name": "Beratungsstelle", "berater_name": "Birgit Schulz"}
    for stage in ("", "offen", "abgelaufen", "gesperrt", "keine_verzugskuendigung"):
        conditions = {"schonfrist_stand": stage, "kdu_angemessen": "", "klient_bez_gen": "unserer Klientin"}
        subject, body = templates.render_text(kind.template, templates.shipped_source(kind.code), values | conditions)
        text = f"{subject}\n{body}".replace("**", "")
        for gap in ("()", "( )", " ,", ", .", ",.", " .", "am .", "bis zum .", ": \n", "  "):
            assert gap not in text, (kind.code, stage, gap)
