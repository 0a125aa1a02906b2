"""Anträge: the Widerspruch deadline a decision creates, § 88 SGG thresholds, reminders, Widersprüche, sync."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.services import applications as apps
from whh_desktop.core.services import fristen, intake
from whh_desktop.core.services.applications import ApplicationData, DecisionData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import DeadlineEntry, Setting
from whh_desktop.core.store.models.applications import Application
from whh_desktop.core.sync import payload

TODAY = date.today()


@pytest.fixture
def case(counsellor):
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Yılmaz", given_names="Ayşe", birth_date=date(1979, 2, 3), municipality="Herford",
        category="raeumungsklage", category_since=date(2024, 12, 1), cold_rent=45000, utilities=9000),
        draft=False, today=date(2024, 12, 1))
    return store, user, case_id


def _app(store, user, case_id, kind="sgb2_22_8", submitted=date(2025, 1, 6)):
    return apps.add_application(store, user, case_id, ApplicationData(kind=kind, submitted_on=submitted,
                                                                      authority="Jobcenter Herford"))


def _decide(store, user, app_id, decided, posted=None, without=False, decision="abgelehnt"):
    deadline_id = apps.record_decision(store, user, app_id, DecisionData(decision, decided, posted, without))
    with store.read_session() as s:
        return s.get(DeadlineEntry, deadline_id) if deadline_id else None


@pytest.mark.parametrize(("decided", "posted", "without", "due", "why"), [
    # posted Tue 11.03.2025: notified on the fourth day, Sat 15.03. (not moved); one month later Tue 15.04.
    (date(2025, 3, 10), date(2025, 3, 11), False, date(2025, 4, 15), "4. Tag nach Aufgabe zur Post"),
    # posted Mon 27.01.2025 → notified Fri 31.01. → February is shorter: Fri 28.02.2025 (month end)
    (date(2025, 1, 27), date(2025, 1, 27), False, date(2025, 2, 28), "31.01.2025"),
    # posted Fri 21.11.2025 → notified Tue 25.11. → Thu 25.12. (1. Weihnachtstag), 26.12., weekend → Mon 29.12.
    (date(2025, 11, 20), date(2025, 11, 21), False, date(2025, 12, 29), "Feiertag"),
    # without Rechtsbehelfsbelehrung: one year, Sun 15.03.2026 → Mon 16.03.2026
    (date(2025, 3, 10), date(2025, 3, 11), True, date(2026, 3, 16), "ein Jahr"),
    # posted 2024 (before the fourth-day rule): third day, Sat 28.12.2024 → Tue 28.01.2025
    (date(2024, 12, 23), date(2024, 12, 25), False, date(2025, 1, 28), "3. Tag"),
])
def test_a_rejection_creates_the_widerspruch_deadline(case, decided, posted, without, due, why) -> None:
    store, user, case_id = case
    app_id = _app(store, user, case_id, submitted=date(2024, 12, 2))
    entry = _decide(store, user, app_id, decided, posted, without)
    assert entry is not None and entry.kind == "widerspruch" and entry.due_on == due
    assert entry.source_id == app_id and entry.assigned_to == user.username
    assert why in entry.rule and "§ 84 SGG" in entry.rule
    with store.read_session() as s:
        listed = fristen.due_list(s, case_id=case_id)
        assert [(d.kind.value, d.due_on) for d in listed] == [("widerspruch", due)]
        assert s.get(Application, app_id).deadline_id == entry.id


def test_posting_date_defaults_to_the_decision_date(case) -> None:
    store, user, case_id = case
    entry = _decide(store, user, _app(store, user, case_id), date(2025, 3, 11))
    assert entry.due_on == date(2025, 4, 15) and entry.inputs["zur Post gegeben"] == "11.03.2025"


def test_an_approval_needs_no_deadline_and_changing_the_decision_moves_or_drops_it(case) -> None:
    store, user, case_id = case
    app_id = _app(store, user, case_id)
    assert _decide(store, user, app_id, date(2025, 3, 10), decision="bewilligt") is None
    first = _decide(store, user, app_id, date(2025, 3, 10), date(2025, 3, 11), decision="teilweise")
    fristen.override(store, user, first.id, date(2025, 4, 10), "Vorsichtshalber früher einreichen")
    second = _decide(store, user, app_id, date(2025, 3, 12), date(2025, 3, 12))
    assert second.id == first.id and second.due_on == date(2025, 4, 16)
    assert second.override_on == date(2025, 4, 10)  # an override made by hand is kept
    assert _decide(store, user, app_id, date(2025, 3, 12), decision="zurueckgenommen") is None
    with store.read_session() as s:
        assert fristen.due_list(s, case_id=case_id) == []


def test_decision_validation(case) -> None:
    store, user, case_id = case
    app_id = _app(store, user, case_id)
    with pytest.raises(InvalidInput, match=r"^Die Entscheidung liegt vor dem Antrag\.$"):
        _decide(store, user, app_id, date(2024, 12, 30))  # before the application
    with pytest.raises(InvalidInput, match=r"kann nicht schon am 09\.03\.2025 zur Post gegeben"):
        _decide(store, user, app_id, date(2025, 3, 10), date(2025, 3, 9))  # posted before its date
    with pytest.raises(InvalidInput, match=r"^Bitte die Entscheidung wählen\.$"):
        apps.record_decision(store, user, app_id, DecisionData("vielleicht", date(2025, 3, 10)))
    with pytest.raises(InvalidInput, match=r"^Der Antrag kann nicht in der Zukunft gestellt sein\.$"):
        apps.add_application(store, user, case_id, ApplicationData("sgb2_22_8", TODAY + timedelta(days=1)))
    with pytest.raises(InvalidInput, match=r"^Bitte die Art des Antrags wählen\.$"):
        apps.add_application(store, user, case_id, ApplicationData("miete", TODAY))


@pytest.mark.parametrize(("started", "objection", "last_day_without", "first_day_with"), [
    (date(2025, 1, 15), False, date(2025, 7, 15), date(2025, 7, 16)),   # six months
    (date(2025, 8, 31), False, date(2026, 2, 28), date(2026, 3, 1)),    # month end: February is shorter
    (date(2025, 1, 15), True, date(2025, 4, 15), date(2025, 4, 16)),    # three months for a Widerspruch
    (date(2025, 11, 30), True, date(2026, 2, 28), date(2026, 3, 1)),
])
def test_untaetigkeitsklage_thresholds(started, objection, last_day_without, first_day_with) -> None:
    assert not apps.inaction(started, last_day_without, objection=objection).possible
    flag = apps.inaction(started, first_day_with, objection=objection)
    assert flag.possible and flag.possible_from == first_day_with
    assert ("§ 88 Abs. 2 SGG" if objection else "§ 88 Abs. 1 SGG") in flag.rule


def test_the_case_list_shows_reminder_and_section_88_flags(case) -> None:
    store, user, case_id = case
    app_id = _app(store, user, case_id, submitted=date(2025, 1, 15))
    with store.read_session() as s:
        assert apps.reminder_weeks(s) == 4
        view, = apps.application_views(s, case_id, today=date(2025, 2, 11))
        assert view.reminder_due == date(2025, 2, 12) and not view.reminder_offered
        view, = apps.application_views(s, case_id, today=date(2025, 2, 12))
        assert view.reminder_offered and view.status == "offen"
        assert view.untaetigkeitsklage is None
        view, = apps.application_views(s, case_id, today=date(2025, 7, 16))
        assert view.untaetigkeitsklage is not None and "sechs Monaten" in view.untaetigkeitsklage.rule
        assert apps.sachstand_values(view.application) == {
            "antrag_datum": "15.01.2025", "antrag_gegenstand": "Mietschulden (§ 22 Abs. 8 SGB II)"}
    apps.record_reminder(store, user, app_id, date(2025, 2, 13))
    with store.session(user.username) as s:
        s.merge(Setting(key=apps.REMINDER_KEY, value=2))
    with store.read_session() as s:
        view, = apps.application_views(s, case_id, today=date(2025, 2, 20))
        assert view.reminder_due == date(2025, 2, 27) and not view.reminder_offered
    with pytest.raises(PermissionDenied):
        apps.set_reminder_weeks(store, user, 6)


def test_widerspruch_follows_the_application(case) -> None:
    store, user, case_id = case
    app_id = _app(store, user, case_id)
    with pytest.raises(InvalidInput):
        apps.add_objection(store, user, app_id, date(2025, 3, 1))  # no decision yet
    deadline = _decide(store, user, app_id, date(2025, 3, 10), date(2025, 3, 11))
    obj_id = apps.add_objection(store, user, app_id, date(2025, 3, 20))
    with store.read_session() as s:
        assert s.get(DeadlineEntry, deadline.id).done_on == date(2025, 3, 20)  # lodged: the deadline is met
        view, = apps.application_views(s, case_id, today=date(2025, 6, 21))
        assert view.status == "abgelehnt, Widerspruch offen"
        assert view.objections[0].inaction.possible and view.untaetigkeitsklage is view.objections[0].inaction
    klage_id = apps.decide_objection(store, user, obj_id, "zurueckgewiesen", date(2025, 5, 5), date(2025, 5, 5))
    with store.read_session() as s:
        klage = s.get(DeadlineEntry, klage_id)
        # notified Fri 09.05.2025 → Mon 09.06.2025 is Pfingstmontag → Tue 10.06.2025
        assert klage.kind == "klage" and klage.due_on == date(2025, 6, 10) and "§ 87 SGG" in klage.rule
        view, = apps.application_views(s, case_id, today=date(2025, 7, 1))
        assert view.untaetigkeitsklage is None and view.status.endswith("zurückgewiesen")
    assert apps.decide_objection(store, user, obj_id, "abgeholfen", date(2025, 5, 5)) is None
    with store.read_session() as s:
        assert [d.kind.value for d in fristen.due_list(s, case_id=case_id)] == []


def test_an_application_from_a_recorded_letter_and_a_sachstand_letter(case) -> None:
    from whh_desktop.core.services import address_book, letters

    store, user, case_id = case
    recipient = address_book.manual("jobcenter", "Jobcenter Herford\nHansastraße 33\n32049 Herford")
    draft = letters.prepare(store, user, case_id, "jc_mietschulden", recipient)
    doc_id = letters.record(store, user, case_id, draft, b"%PDF-1.7 test", on=TODAY)
    app_id = apps.add_from_letter(store, user, doc_id)
    with store.read_session() as s:
        app = s.get(Application, app_id)
        assert (app.kind, app.letter_id, app.submitted_on, app.submitted_via) == ("sgb2_22_8", doc_id, TODAY, "post")
        assert [d.id for d in apps.letter_documents(s, case_id, {"jc_mietschulden"})] == [doc_id]
    reminder = letters.record(store, user, case_id, letters.prepare(store, user, case_id, "jc_sachstand", recipient),
                              b"%PDF-1.7 test", on=TODAY)
    apps.record_reminder(store, user, app_id, TODAY, reminder)
    with store.read_session() as s:
        assert s.get(Application, app_id).reminders == [{"on": TODAY.isoformat(), "document_id": str(reminder)}]


def test_applications_are_synced_case_children() -> None:
    assert "applications" in payload.CHILD_TABLES and "application_objections" in payload.CHILD_TABLES
    assert ("applications", "kind") in payload.ENUM_COLUMNS
