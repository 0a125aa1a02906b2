"""Retention, erasure with tombstones and statistics kept, restriction, the Art. 15 data report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from whh_desktop.core.domain.enums import Outcome
from whh_desktop.core.errors import InvalidInput, NotFound
from whh_desktop.core.services import case_file, cases, casework, data_report, intake, rights
from whh_desktop.core.services.casework import ContactData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import Case, ChangeLog, Contact, Person


@pytest.fixture
def closed_case(counsellor):
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Popescu", given_names="Ioana", birth_date=date(1990, 2, 3), municipality="Vlotho",
        category="bei_bekannten", category_since=date(2022, 1, 1), housing_note="schläft bei der Schwester"),
        draft=False, today=date(2022, 1, 3))
    casework.add_contact(store, user, case_id, ContactData(date(2022, 1, 10), 60, "buero", ["2"], "vertraulich"))
    with store.session(user.username) as s:  # closed in 2022, as if years ago
        case = s.get(Case, case_id)
        case.status, case.closed_on, case.outcome = "closed", date(2022, 6, 30), Outcome.NEUE_WOHNUNG.value
    return store, user, case_id


def test_retention_end_is_three_years_after_the_closing_year() -> None:
    assert rights.retention_end(date(2022, 6, 30)) == date(2026, 1, 1)
    assert rights.retention_end(date(2026, 1, 2)) == date(2030, 1, 1)


def test_due_for_deletion_lists_only_expired_closed_cases(closed_case) -> None:
    store, _, case_id = closed_case
    with store.read_session() as s:
        assert [d.case_id for d in rights.due_for_deletion(s, today=date(2026, 11, 25))] == [case_id]
        assert rights.due_for_deletion(s, today=date(2025, 12, 31)) == []


def test_erasure_keeps_tombstones_and_statistics(closed_case) -> None:
    store, user, case_id = closed_case
    rights.erase_case(store, user, case_id, "retention")
    with store.read_session() as s:
        case = s.get(Case, case_id)
        person = s.get(Person, case.person_id)
        contact = s.execute(select(Contact)).scalar_one()
        assert case.housing_note is None
        assert case.current_category == "bei_bekannten"  # the category history is statistics and stays
        assert case.outcome == "neue_wohnung" and case.municipality == "Vlotho"
        assert person.deleted_at is not None and person.family_name == "" and person.birth_date is None
        assert contact.note is None and contact.kind == "buero"
        assert s.execute(select(ChangeLog).where(ChangeLog.op == "delete")).first() is not None
        found = cases.search(s, "Popescu", cases.CaseFilter(status="all"))
        listed = cases.search(s, "", cases.CaseFilter(status="all"))
        assert case.erased_on is not None and rights.due_for_deletion(s, today=date(2030, 1, 1)) == []
    assert found.exact == [] and found.phonetic == []
    assert case_id.hex not in listed.exact  # an erased case leaves the lists
    with pytest.raises(NotFound, match="Diesen Fall gibt es nicht"):  # and has no case file (its page closes)
        case_file.open_case(store, user, case_id)
    with pytest.raises(InvalidInput, match="bereits gelöscht"):
        rights.erase_case(store, user, case_id, "request")
    store.close()
    raw = b"".join(p.read_bytes() for p in store.paths.root.glob("store.whh*"))
    assert "schläft bei der Schwester".encode() not in raw


def test_open_cases_are_not_deleted_for_retention(counsellor) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(family_name="Offen"), draft=True)
    with pytest.raises(InvalidInput, match="abgeschlossene"):
        rights.erase_case(store, user, case_id, "retention")
    rights.erase_case(store, user, case_id, "request")  # erasure on request works at any time


def test_restricted_case_cannot_be_changed(closed_case) -> None:
    store, user, case_id = closed_case
    rights.set_restricted(store, user, case_id, True)
    with pytest.raises(InvalidInput, match=r"Art\. 18"):
        cases.reopen_case(store, user, case_id)
    with pytest.raises(InvalidInput, match=r"Art\. 18"):
        casework.add_contact(store, user, case_id, ContactData(date.today() - timedelta(days=1), 5, "telefon", []))


def test_data_report_lists_everything_about_the_person(closed_case) -> None:
    store, user, case_id = closed_case
    with store.read_session() as s:
        person_id = s.get(Case, case_id).person_id
    sections = data_report.data_report(store, user, person_id)
    text = "\n".join(f"{k}: {v}" for sec in sections for k, v in sec.rows)
    assert "Ioana Popescu" in text and "03.02.1990" in text and "vertraulich" in text
    assert any(sec.title.startswith("Fall LOE-2022-") for sec in sections)


def test_every_case_table_is_erased_and_reported_also_those_added_later(closed_case) -> None:
    from whh_desktop.core.store.models.applications import Application
    from whh_desktop.core.store.models.help_plans import HelpPlanGoal

    store, user, case_id = closed_case
    assert {HelpPlanGoal, Application} <= set(rights.case_child_models())
    with store.session(user.username) as s:
        s.add(HelpPlanGoal(case_id=case_id, what="Wohnung bei Frau Nachbarin sichern", status="offen"))
        s.add(
            Application(case_id=case_id, kind="sgb2_22_8", submitted_on=date(2022, 2, 1), note="BG 12345 vertraulich")
        )
    with store.read_session() as s:
        person_id = s.get(Case, case_id).person_id
    report = {k: v for section in data_report.data_report(store, user, person_id) for k, v in section.rows}
    assert "Wohnung bei Frau Nachbarin" in report["Ziel"]
    assert "vertraulich" in report["Antrag: Mietschulden (§ 22 Abs. 8 SGB II)"]
    rights.erase_case(store, user, case_id, "retention")
    with store.read_session() as s:
        goal = s.execute(select(HelpPlanGoal)).scalar_one()
        application = s.execute(select(Application)).scalar_one()
    assert goal.deleted_at is not None and "Nachbarin" not in (goal.what or "")
    assert application.deleted_at is not None and application.note is None
