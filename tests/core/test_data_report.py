"""The Art. 15 report a client can read: every kind of row of a case, in plain German, nothing internal."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest

from tests.core.pdf_reading import pdf_text
from whh_desktop.core.errors import NotFound
from whh_desktop.core.services import data_report, intake, rights
from whh_desktop.core.services.data_report import data_report_pdf
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.models import (
    Case,
    CategoryEntry,
    Consent,
    Contact,
    DeadlineEntry,
    Document,
    EvictionProceeding,
    HouseholdMember,
    Income,
    Referral,
    RentDueEntry,
    Role,
)
from whh_desktop.core.store.models.applications import Application, Objection
from whh_desktop.core.store.models.help_plans import (
    HelpPlanConference,
    HelpPlanGoal,
    HelpPlanService,
    SuchthilfeStage,
)
from whh_desktop.core.store.models.housing import HousingSearch, Proposal

COLLEAGUE = CurrentUser("d.vogel", "Dana Vogel", Role.BERATUNG)  # same site, neither counsellor nor substitute
SECRETS = ("Entgiftung Klinik Waldblick am Montag", "Rückfall nach Trennung", "Therapieplatz Haus Lindenhof",
           "Substitution läuft", "Begleitung zur Suchtberatung", "Aufnahmegespräch Fachklinik")


def _full_case(store, user) -> tuple[uuid.UUID, uuid.UUID]:
    """A case with at least one row in every table of a case, each optional field filled."""
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Wiśniewska", given_names="Agnieszka", birth_date=date(1979, 4, 12), sex="weiblich",
        nationality="PL", language="Polnisch", phone="05221 123456", email="a.w@example.org",
        street="Lindenweg 3", plz="32584", city="Löhne", municipality="Löhne", category="raeumungsklage",
        category_since=date(2026, 1, 5), housing_note="Zweizimmerwohnung, Räumungsklage zugestellt",
        cold_rent=43000, utilities=9000, heating=6500), draft=False, today=date(2026, 1, 5))
    with store.session(user.username) as s:
        case = s.get(Case, case_id)
        case.landlord_name, case.landlord_address = "Wohnbau Werre GmbH", "Bahnhofstraße 1, 32584 Löhne"
        case.tenancy_street, case.tenancy_plz, case.tenancy_city = "Lindenweg 3", "32584", "Löhne"
        case.arrears, case.arrears_since, case.came_via = 126000, date(2025, 10, 1), "gericht"
        case.came_via_note, case.first_needs, case.bausteine = "Mitteilung Amtsgericht", "Mietschulden klären", ["3"]
        case.substitutes = ["b.schulz"]
        case_id, person_id = case.id, case.person_id
        member = HouseholdMember(case_id=case_id, relation="kind", family_name="Wiśniewski", given_names="Jan",
                                 birth_date=date(2015, 6, 1), sex="maennlich")
        s.add(member)
        s.flush()
        s.add_all([
            CategoryEntry(case_id=case_id, category="kuendigung", since=date(2025, 11, 2)),
            Income(case_id=case_id, kind="buergergeld", since=date(2024, 3, 1), bg_number="32501//0012345",
                   note="Weiterbewilligung beantragt"),
            Contact(case_id=case_id, on=date(2026, 1, 7), minutes=45, kind="buero", bausteine=["3"],
                    note="Unterlagen Jobcenter besprochen", next_step="Antrag Mietschulden stellen",
                    counsellor=user.username),
            Contact(case_id=case_id, on=date(2026, 1, 9), minutes=30, kind="telefon", bausteine=["5"],
                    note="Rückfall nach Trennung", next_step="Entgiftung Klinik Waldblick am Montag",
                    counsellor=user.username),
            EvictionProceeding(case_id=case_id, termination_on=date(2025, 11, 2),
                               termination_kind="fristlos_ordentlich", suit_filed_on=date(2025, 12, 10),
                               suit_served_on=date(2026, 1, 2), hearing_on=date(2026, 2, 20),
                               eviction_on=date(2026, 4, 15), court="Amtsgericht Herford",
                               court_file_no="12 C 345/25", previous_cure_on=date(2023, 5, 1),
                               notice_received_on=date(2026, 1, 4), notice_rent=58500, notice_arrears=126000,
                               note="Vermieter gesprächsbereit"),
            RentDueEntry(case_id=case_id, due_on=date(2025, 12, 3), amount_due=58500, amount_paid=0),
            DeadlineEntry(case_id=case_id, kind="schonfrist", due_on=date(2026, 3, 3), target_on=date(2026, 3, 3),
                          rule="Zwei Monate nach Zustellung der Räumungsklage (§ 569 Abs. 3 Nr. 2 BGB).",
                          inputs={"Zustellung der Räumungsklage": "02.01.2026"},
                          warnings=["Die Schonfrist wurde vor weniger als zwei Jahren schon genutzt."],
                          override_on=date(2026, 3, 2), override_reason="sicherheitshalber einen Tag früher",
                          assigned_to=user.username, done_on=date(2026, 2, 1), note="Zahlung Jobcenter prüfen"),
            Referral(case_id=case_id, target="suchthilfe", target_name="Suchtberatung Herford",
                     on=date(2026, 1, 9), status="angenommen", outcome="Aufnahmegespräch Fachklinik",
                     note="Substitution läuft"),
            Referral(case_id=case_id, target="schuldnerberatung", target_name="Schuldnerberatung Löhne",
                     on=date(2026, 1, 10), status="vereinbart", outcome="Termin im Februar",
                     note="Unterlagen mitbringen"),
            Consent(case_id=case_id, person_id=person_id, recipients=["jobcenter", "vermieter", "suchthilfe", "kreis"],
                    recipient_note="Suchtberatung Herford", purpose="Sicherung der Wohnung",
                    categories=["stammdaten", "einkommen", "gesundheit"], health_data=True,
                    signed_on=date(2026, 1, 6), valid_from=date(2026, 1, 6), valid_until=date(2026, 12, 31),
                    revoked_on=date(2026, 2, 1)),
            Document(case_id=case_id, title="Antrag Mietschulden – Jobcenter Herford (08.01.2026)", kind="letter",
                     mime="application/pdf", size=1000, sha256="0" * 64, recipient="Jobcenter Herford",
                     letter_type="jc_mietschulden"),
            Document(case_id=case_id, title="Räumungsklage", kind="scan", mime="application/pdf", size=2000,
                     sha256="1" * 64),
            HelpPlanGoal(case_id=case_id, what="Wohnung erhalten", steps="Antrag, Gespräch Vermieter",
                         responsible="Frau Wiśniewska", due_on=date(2026, 3, 1), review_on=date(2026, 2, 15),
                         status="in_arbeit", result="Jobcenter prüft"),
            HelpPlanService(case_id=case_id, kind="suchtberatung", name="Suchtberatung Herford",
                            contact_person="Herr Kaya", phone="05221 999", email="sucht@example.org",
                            task="Begleitung zur Suchtberatung", since=date(2026, 1, 9),
                            consent_note=f"Schriftliche Einwilligung bestätigt von {user.username}"),
            HelpPlanConference(case_id=case_id, kind="hilfeplangespraech", held_on=date(2026, 1, 12),
                               participants=["Frau Wiśniewska", user.username], agreements="monatliches Treffen",
                               next_review_on=date(2026, 2, 15)),
            SuchthilfeStage(case_id=case_id, stage="entgiftung", status="geplant", planned_on=date(2026, 1, 19),
                            facility="Therapieplatz Haus Lindenhof", housing="Miete zahlt das Jobcenter weiter",
                            flat_kept=True, note="Rückfall nach Trennung"),
        ])
        application = Application(case_id=case_id, kind="sgb2_22_8", authority="Jobcenter Herford",
                                  file_no="32501//0012345", submitted_on=date(2026, 1, 8), submitted_via="post",
                                  expected_on=date(2026, 2, 8), amount_requested=126000,
                                  reminders=[{"on": "2026-01-29", "document_id": str(uuid.uuid4())}],
                                  decision="abgelehnt", decided_on=date(2026, 2, 2), posted_on=date(2026, 2, 2),
                                  without_instructions=True, amount_granted=0, eviction_averted=False,
                                  note="Ablehnung wegen Vermögen")
        s.add(application)
        s.flush()
        s.add(Objection(case_id=case_id, application_id=application.id, lodged_on=date(2026, 2, 10),
                        decision="abgeholfen", decided_on=date(2026, 3, 1), posted_on=date(2026, 3, 1),
                        note="Vermögen war Schonvermögen"))
        search = HousingSearch(case_id=case_id, household_size=2, member_ids=[str(member.id)],
                               wanted_municipalities=["Löhne", "Bünde"], max_rent=60000, min_rooms=2.5,
                               barrier_free=True, ground_floor=True, pets=True, has_wbs=True,
                               earliest_move=date(2026, 5, 1), special_needs="Nähe Grundschule",
                               kdu_attributes=["alleinerziehend"], status="aktiv")
        s.add(search)
        s.flush()
        s.add(Proposal(case_id=case_id, search_id=search.id, offer_id=uuid.uuid4(), landlord_name="Ömer Çelik",
                       offer_address="Am Markt 4", municipality="Bünde", gross_rent=59000, step="absage",
                       proposed_on=date(2026, 2, 1), viewing_on=date(2026, 2, 5), accepted_on=date(2026, 2, 6),
                       declined_on=date(2026, 2, 9), decline_reason="zu weit von der Schule",
                       lease_signed_on=None, note="Vermieter freundlich", counsellor=user.username))
        case.status, case.closed_on, case.outcome = "closed", date(2026, 3, 31), "wohnung_erhalten"
        case.closing_note, case.restricted = "Wohnung erhalten", False
    return case_id, person_id


def _text(sections: list[data_report.ReportSection]) -> str:
    return "\n".join([s.title for s in sections] + [p for s in sections for p in s.paragraphs]
                     + [f"{k}: {v}" for s in sections for k, v in s.rows])


def _field_words() -> set[str]:
    """English words taken from the field names of every case table and the person (``submitted_via`` → submitted,
    via), as a reader would spot them."""
    from whh_desktop.core.store.models import Person

    words: set[str] = set()
    for model in [*rights.case_child_models(), Case, Person]:
        for column in model.__table__.columns:
            words.update(w for w in column.key.split("_") if len(w) > 2)
    return words - {"plz"}  # Postleitzahl is German


def test_every_case_table_has_a_german_section() -> None:
    missing = [m.__tablename__ for m in rights.case_child_models() if m not in data_report.RENDERERS]
    assert missing == [], f"Tabellen ohne Abschnitt im Art.-15-Bericht: {missing}"


def test_full_case_reads_as_german_without_anything_internal(counsellor) -> None:
    store, user = counsellor
    case_id, person_id = _full_case(store, user)
    sections = data_report.data_report(store, user, person_id)
    text = _text(sections)
    titles = [s.title for s in sections]
    for expected in ("1. Wozu wir Ihre Daten verarbeiten", "2. Welche Arten von Daten gespeichert sind",
                     "3. Wer Ihre Daten bekommen hat oder bekommt", "4. Wie lange Ihre Daten gespeichert werden",
                     "5. Ihre Rechte", "6. Woher die Daten stammen", "Haushalt", "Beratungskontakte",
                     "Fristen und Wiedervorlagen", "Anträge und Bescheide", "Hilfeplan: Ziele", "Suchthilfe",
                     "Einwilligungen und Schweigepflichtentbindungen", "Dokumente", "Vermittlungen an andere Stellen"):
        assert expected in titles
    for model in rights.case_child_models():  # every table shows up with its own heading
        assert data_report.RENDERERS[model][0] in titles
    for expected in ("12.04.1979", "weiblich", "1.260,00 €", "430,00 €", "Mietschulden (§ 22 Abs. 8 SGB II)",
                     "per Post", "abgelehnt", "Der Bescheid enthielt keine Rechtsbehelfsbelehrung.",
                     "abgeholfen (erfolgreich)", "Zustellung der Räumungsklage 02.01.2026",
                     "§ 569 Abs. 3 Nr. 2 BGB", "Brief", user.display_name,
                     "Jobcenter, Vermieter, Suchthilfe, Kreis Herford",
                     "Beauftragte für den Datenschutz der EKD",
                     "Im Hilfeplan beteiligt seit 09.01.2026: Suchtberatung Herford (Suchtberatung)",
                     "3 Jahre nach dem Ende des Jahres",
                     "Löschung ab 01.01.2030", "Mitteilung des Gerichts (§ 22 Abs. 9 SGB II)",
                     "fristlos und hilfsweise ordentlich", "in Arbeit", "Hilfeplangespräch",
                     "Entgiftung", "Stand: sucht", "Absage", "Kind",
                     "Bürgergeld / Grundsicherungsgeld (SGB II)", "2,5 Zimmer", "Art. 16 DSGVO", "Art. 21 DSGVO",
                     "Polen", *SECRETS):
        assert expected in text, expected
    assert user.username not in text  # staff by display name, never the user name
    assert "Ländercode" not in text  # the nationality by its German country name
    assert str(case_id) not in text and str(person_id) not in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    for bad in ("{", "}", "[", "]", "'", "(Cent)", "None", "True", "False"):
        assert bad not in text, bad
    english = {w for w in re.findall(r"[A-Za-z]+", text)} & _field_words()
    assert english == set(), english


def test_a_colleague_gets_the_report_with_health_content_masked(counsellor) -> None:
    store, user = counsellor
    _, person_id = _full_case(store, user)
    sections = data_report.data_report(store, COLLEAGUE, person_id)
    text = _text(sections)
    assert "vertraulich" in text and "Antrag Mietschulden stellen" in text
    assert sections[0].title == "Hinweis: diese Auskunft ist nicht vollständig"  # nobody hands it out unnoticed
    assert "nicht vollständig" not in _text(data_report.data_report(store, user, person_id))
    for secret in SECRETS:
        assert secret not in text


def test_a_case_with_every_optional_field_empty_renders(counsellor) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(family_name="Nur-Name"), draft=True)
    with store.read_session() as s:
        person_id = s.get(Case, case_id).person_id
    sections = data_report.data_report(store, user, person_id)
    text = _text(sections)
    assert "Nur-Name" in text and "noch nicht abgeschlossen" in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text) and "None" not in text
    assert pdf_text(data_report_pdf(store, user, person_id)).count("Nur-Name") == 1


def test_the_pdf_of_a_full_case(counsellor, tmp_path) -> None:
    store, user = counsellor
    _, person_id = _full_case(store, user)
    pdf = data_report_pdf(store, user, person_id)
    text = pdf_text(pdf)
    assert "Auskunft über gespeicherte Daten" in text and "Wiśniewska" in text and "1.260,00 €" in text
    assert "(Cent)" not in text and "sgb2_22_8" not in text and "{" not in text


def test_an_erased_person_has_no_report(counsellor) -> None:
    store, user = counsellor
    case_id, person_id = _full_case(store, user)
    rights.erase_case(store, user, case_id, "request")
    with pytest.raises(NotFound, match=r"^Zu dieser Person sind keine Daten \(mehr\) gespeichert\.$"):
        data_report.data_report(store, user, person_id)

