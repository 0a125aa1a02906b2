"""Mein Tag and the district's start page: one read model each, on real stores."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.core.test_sync_import_fixtures import exchange, new_case  # noqa: F401  (fixture)
from whh_desktop.core.errors import PermissionDenied
from whh_desktop.core.services import applications as apps
from whh_desktop.core.services import fristen, intake, my_day, sync
from whh_desktop.core.services.applications import ApplicationData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import Case, DeadlineEntry, Person

TODAY = date(2026, 12, 3)
COLLEAGUE = "k.kollegin"


def _intake(store, user, family: str, *, draft: bool = False, opened: date = TODAY):
    return intake.save_intake(store, user, IntakeData(
        family_name=family, given_names="Test", birth_date=date(1980, 5, 6), municipality="Herford",
        category="raeumungsklage", category_since=opened, cold_rent=45000, utilities=9000),
        draft=draft, today=opened)[0]


def _deadline(store, case_id, due: date, kind: str = "schonfrist", assigned_to: str = "b.schulz"):
    with store.session("b.schulz") as s:
        entry = DeadlineEntry(case_id=case_id, kind=kind, due_on=due, target_on=due, rule="Test",
                              inputs={}, assigned_to=assigned_to)
        s.add(entry)
        s.flush()
        return entry.id


def _colleague_case(store) -> object:
    with store.session(COLLEAGUE) as s:
        person = Person(family_name="Kollegenfall", given_names="Test", birth_date=date(1970, 1, 1),
                        sort_key="kollegenfall")
        s.add(person)
        s.flush()
        case = Case(case_number="LOE-2026-0999", person_id=person.id, counsellor=COLLEAGUE, opened_on=TODAY,
                    status="open")
        s.add(case)
        s.flush()
        return case.id


def test_my_day_holds_only_own_work_sorted_into_its_parts(counsellor) -> None:
    store, user = counsellor
    old = _intake(store, user, "Altfall", opened=TODAY - timedelta(days=300))
    new = _intake(store, user, "Neufall", opened=TODAY - timedelta(days=3))
    draft = _intake(store, user, "Entwurf", draft=True, opened=TODAY - timedelta(days=1))
    other = _colleague_case(store)
    overdue = _deadline(store, old, TODAY - timedelta(days=2))
    soon = _deadline(store, new, TODAY + timedelta(days=5), kind="klage")
    _deadline(store, old, TODAY + timedelta(days=30))                      # later than this week
    _deadline(store, other, TODAY - timedelta(days=1), assigned_to=COLLEAGUE)  # a colleague's
    follow_up = fristen.add_follow_up(store, user, new, TODAY, "Kontoauszüge anfordern")
    fristen.add_follow_up(store, user, new, TODAY, "Für die Kollegin", assigned_to=COLLEAGUE)
    # an application six months old: § 88 SGG; one five weeks old: Sachstandsanfrage; one fresh: nothing
    apps.add_application(store, user, old, ApplicationData(kind="sgb2_22_8", submitted_on=date(2026, 5, 4),
                                                           authority="Jobcenter Herford"))
    apps.add_application(store, user, new, ApplicationData(kind="sgb2_22_8", submitted_on=TODAY - timedelta(weeks=5),
                                                           authority="Jobcenter Herford"))
    apps.add_application(store, user, new, ApplicationData(kind="sgb2_22_8", submitted_on=TODAY - timedelta(days=3),
                                                           authority="Jobcenter Herford"))

    day = my_day.my_day(store, user, TODAY)

    assert [(d.deadline_id, d.days_left) for d in day.overdue] == [(overdue, -2)]
    assert [(d.deadline_id, d.days_left, d.kind) for d in day.this_week] == [(soon, 5, "Klagefrist (§ 87 SGG)")]
    assert [d.deadline_id for d in day.follow_ups] == [follow_up]
    assert [c.case_id for c in day.drafts] == [draft]
    assert [c.case_id for c in day.recent] == [new]  # the draft is no opened case, the old one is not recent
    assert day.recent[0].person == "Neufall, Test"
    reasons = [(a.case_id, a.reason) for a in day.applications]
    assert reasons == [(old, "Untätigkeitsklage möglich seit 05.11.2026 (§ 88 Abs. 1 SGG)"),
                       (new, f"Sachstandsanfrage fällig seit {(TODAY - timedelta(weeks=1)).strftime('%d.%m.%Y')}")]
    assert day.count == 1 + 1 + 1 + 1 + 2
    assert day.exchange == ("Noch kein Export an den Kreis: im Bereich »Austausch« erstellen.",)
    assert other not in {c.case_id for c in (*day.recent, *day.drafts)}


def test_a_done_deadline_and_a_closed_case_leave_my_day(counsellor) -> None:
    store, user = counsellor
    case_id = _intake(store, user, "Erledigt", opened=TODAY - timedelta(days=2))
    deadline = _deadline(store, case_id, TODAY)
    assert my_day.my_day(store, user, TODAY).this_week[0].days_left == 0
    fristen.mark_done(store, user, deadline, on=TODAY)
    assert my_day.my_day(store, user, TODAY).this_week == ()


def test_long_sections_list_the_most_urgent_and_count_the_rest(counsellor, monkeypatch) -> None:
    """Issue 20 point 4: at 1 000 000 persons a counsellor had 3 000 overdue deadlines and 10 000 new cases on
    Mein Tag, all read and shown; now each section lists the first ``SHOWN`` and counts the others."""
    monkeypatch.setattr(my_day, "SHOWN", 2)
    store, user = counsellor
    cases = [_intake(store, user, f"Fall{i}", opened=TODAY - timedelta(days=i)) for i in range(5)]
    overdue = [_deadline(store, case_id, TODAY - timedelta(days=10 - i)) for i, case_id in enumerate(cases)]
    for case_id in cases[:3]:
        _deadline(store, case_id, TODAY + timedelta(days=2))
    fristen.add_follow_up(store, user, cases[0], TODAY, "Rückruf")

    day = my_day.my_day(store, user, TODAY)

    assert [d.deadline_id for d in day.overdue] == overdue[:2]  # the longest overdue first
    assert [c.case_id for c in day.recent] == cases[:2]          # the newest first
    assert len(day.this_week) == 2 and len(day.follow_ups) == 1
    assert day.more == {"overdue": 3, "week": 1, "recent": 3}
    assert day.count == 5 + 3 + 1  # the badge counts what is not listed too (new cases are not to-dos)


def test_the_admin_has_no_day_of_case_work(unlocked) -> None:
    store, admin = unlocked
    with pytest.raises(PermissionDenied):
        my_day.my_day(store, admin, TODAY)


@pytest.mark.parametrize(("today", "first", "days"), [
    (date(2026, 12, 3), date(2027, 1, 31), 59),
    (date(2027, 1, 31), date(2027, 1, 31), 0),
    (date(2027, 2, 1), date(2027, 6, 30), 149),
])
def test_reports_due_name_the_next_stichtag_with_days_left(today, first, days) -> None:
    due = my_day.reports_due(today)
    assert (due[0].stichtag, due[0].days_left) == (first, days)
    assert {r.stichtag.strftime("%d.%m.") for r in due} == {"30.06.", "31.01."}


def test_district_day_lists_every_site_duplicates_and_reports(district_any) -> None:
    store, user = district_any
    day = my_day.district_day(store, user, TODAY)
    assert {s.label for s in day.sites} >= {"Löhne", "Bünde"}
    assert all(s.state == "noch kein Paket eingegangen" for s in day.sites)
    assert day.duplicates == 0 and day.count == 0
    assert [r.days_left for r in day.reports] == [59, 209]


def test_the_export_waits_until_the_kreis_confirms_and_the_district_sees_what_arrived(
        exchange, tmp_path) -> None:  # noqa: F811
    ex = exchange
    new_case(ex.site, ex.site_user, "Kowalski", kreis_consent=True)
    out = tmp_path / "stick"
    out.mkdir()
    sync.export_for_district(ex.site, ex.site_user, out, True)
    today = date.today()
    assert my_day.my_day(ex.site, ex.site_user, today).exchange == (
        "Der Kreis hat Export 1 noch nicht bestätigt.",)
    later = my_day.my_day(ex.site, ex.site_user, today + timedelta(days=my_day.EXPORT_STALE_DAYS + 1)).exchange
    assert later[0] == (f"Der letzte Export an den Kreis ist vom {today.strftime('%d.%m.%Y')}: im Bereich "
                        "»Austausch« einen neuen erstellen.")

    sync.import_bundles(ex.district, ex.district_user, sorted(out.glob("*.whhb")))
    sites = {s.label: s for s in my_day.district_day(ex.district, ex.district_user, today).sites}
    assert sites["Löhne"].state == f"bis Export 1, zuletzt am {today.strftime('%d.%m.%Y')}"
    assert sites["Bünde"].state == "noch kein Paket eingegangen"


def test_district_day_counts_the_pairs_to_review_until_decided(district_any) -> None:
    from tests.core.test_duplicates import add
    from whh_desktop.core.services import duplicates

    store, user = district_any
    a = add(store, "loehne", "Müller", "Anna", date(1980, 3, 12))
    b = add(store, "buende", "Mueller", "Anna", date(1980, 3, 12))
    day = my_day.district_day(store, user, TODAY)
    assert day.duplicates == 1 and day.count == 1
    duplicates.dismiss(store, user, a, b, note="verschiedene Personen")
    assert my_day.district_day(store, user, TODAY).duplicates == 0
