"""Every committed write says what it changed; a rolled-back one says nothing (DESIGN.md §2, issue 12)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from whh_desktop.core.domain.changes import CASE_FILE, Aggregate, Changes
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import casework, intake
from whh_desktop.core.services.casework import ContactData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.operations import run_recorded
from whh_desktop.core.store.base import Base
from whh_desktop.core.store.changes import recording
from whh_desktop.core.store.models import Setting

TODAY = date.today()


def _intake(store, user):
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Nguyễn", given_names="Thị Lan", birth_date=date(1990, 2, 3), municipality="Vlotho",
        category="kuendigung", category_since=TODAY - timedelta(days=3)), draft=False, today=TODAY)
    return case_id


def test_every_table_is_an_aggregate() -> None:
    import whh_desktop.core.store.models  # noqa: F401  (registers every table)

    assert {a.value for a in Aggregate} == set(Base.metadata.tables)


def test_intake_reports_the_new_case_and_its_file(counsellor) -> None:
    store, user = counsellor
    case_id, changes = run_recorded(lambda: _intake(store, user))
    assert changes.touches(Aggregate.CASES) and changes.touches(Aggregate.PERSONS)
    assert changes.touches_case(case_id)
    assert not changes.touches(Aggregate.LANDLORDS)
    assert "Nguy" not in changes.describe()  # no personal data in what goes to the log


def test_a_contact_touches_only_its_case(counsellor) -> None:
    store, user = counsellor
    first, other = _intake(store, user), _intake(store, user)
    _, changes = run_recorded(lambda: casework.add_contact(
        store, user, first, ContactData(TODAY, 30, "buero", ["2"], "Gespräch", "")))
    assert changes.touches(Aggregate.CONTACTS) and changes.touches(CASE_FILE)
    assert changes.touches_case(first) and not changes.touches_case(other)
    assert not changes.touches(Aggregate.DEADLINES, Aggregate.LANDLORDS)


def test_refused_write_records_nothing(counsellor) -> None:
    store, user = counsellor
    case_id = _intake(store, user)
    with pytest.raises(WhhError, match="Zukunft"):
        run_recorded(lambda: casework.add_contact(
            store, user, case_id, ContactData(TODAY + timedelta(days=400), 30, "buero", ["2"], "x", "")))
    # A transaction that raised after its flush is rolled back: nothing of it may be reported.
    def fail_after_flush() -> None:
        with store.session(user.username) as s:
            s.add(Setting(key="whh-test", value="1"))
            s.flush()
            raise WhhError("abgebrochen")
    with recording() as recorder:
        with pytest.raises(WhhError):
            fail_after_flush()
        # the rolled-back session's pending changes must not leak into the next commit either
        casework.add_contact(store, user, case_id, ContactData(TODAY, 30, "buero", ["2"], "Gespräch", ""))
    assert not recorder.changes.touches(Aggregate.SETTINGS)
    assert recorder.changes.touches(Aggregate.CONTACTS)


def test_bulk_update_statement_is_recorded(counsellor) -> None:
    from sqlalchemy import update

    store, user = counsellor
    def write() -> None:
        with store.session(user.username) as s:
            s.execute(update(Setting).where(Setting.key == "nothing").values(value="x"))
    _, changes = run_recorded(write)
    assert changes.touches(Aggregate.SETTINGS)


def test_union_and_groups() -> None:
    a = Changes.of(Aggregate.CONTACTS, cases=["c1"])
    b = Changes.of(Aggregate.LANDLORDS)
    both = a | b
    assert both.touches(Aggregate.LANDLORDS) and both.touches_case("c1")
    assert Changes.all().touches(Aggregate.KDU_TABLES) and Changes.all().touches_case("any")
    assert not Changes.of(Aggregate.CHANGE_LOG, Aggregate.SEARCH_DOCS)  # bookkeeping alone is no change
