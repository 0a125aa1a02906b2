"""Mein Tag reads only what it shows (issue 20 point 2): its deadlines are those of the Fristen list, column for
column, and its application lines start from the undecided applications (the plan shows it)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from tests.core.test_my_day import COLLEAGUE, TODAY, _colleague_case, _deadline, _intake
from whh_desktop.core.services import fristen, my_day


def test_the_start_page_deadlines_are_the_fristen_lists(counsellor) -> None:
    store, user = counsellor
    case = _intake(store, user, "Albers")
    other = _colleague_case(store)
    moved = _deadline(store, case, TODAY + timedelta(days=30))
    fristen.override(store, user, moved, TODAY + timedelta(days=1), "Gericht hat verlängert")  # now due this week
    done = _deadline(store, case, TODAY - timedelta(days=1))
    fristen.mark_done(store, user, done, TODAY)
    _deadline(store, case, TODAY - timedelta(days=4), kind="klage")
    _deadline(store, case, TODAY + timedelta(days=3))
    _deadline(store, case, TODAY + timedelta(days=8))                     # after the horizon
    _deadline(store, other, TODAY, assigned_to=COLLEAGUE)                 # a colleague's
    until = TODAY + timedelta(days=my_day.WEEK_DAYS)
    with store.read_session() as s:
        full = [(d.id, d.case_id, d.case_number, d.person, d.kind, d.due_on)
                for d in fristen.due_list(s, counsellor=user.username, until=until)]
        lean = [(d.id, d.case_id, d.case_number, d.person, d.kind, d.due_on)
                for d in fristen.due_dates(s, user.username, until)]
    assert lean == full and len(lean) == 3
    assert [d[5] for d in lean] == [TODAY - timedelta(days=4), TODAY + timedelta(days=1), TODAY + timedelta(days=3)]


# What ANALYZE with analysis_limit wrote into the 100 000-person bench store: every index looks selective.
SAMPLED = {"ix_cases_status": "100000 1001", "ix_cases_counsellor": "100000 1001",
           "sqlite_autoindex_cases_1": "100000 1", "ix_applications_case_id": "6961 1",
           "sqlite_autoindex_applications_1": "6961 1", "ix_application_objections_case_id": "1173 1",
           "sqlite_autoindex_application_objections_1": "1173 1"}


def test_the_application_lines_start_from_the_undecided_applications(counsellor) -> None:
    store, user = counsellor
    with store.engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
        for index, stat in SAMPLED.items():
            conn.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE idx = ?", (index,))
            conn.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) SELECT tbl_name, name, ? "
                                 "FROM sqlite_master WHERE type = 'index' AND name = ?", (stat, index))
        conn.commit()
    store.engine.dispose()  # new connections read the statistics
    statements = _statements_of_my_day(store, user)
    queries = [(q, p) for q, p in statements if "FROM applications" in q or "FROM application_objections" in q]
    assert len(queries) == 2
    with store.engine.connect() as conn:
        for query, params in queries:
            plan = " / ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}", params))
            assert "ix_cases_status" not in plan and "ix_cases_counsellor" not in plan, plan
            assert "SEARCH cases USING INDEX sqlite_autoindex_cases_1" in plan, plan  # each case by its key


def test_the_drafts_and_new_cases_read_the_counsellors_newest_cases_in_order(counsellor) -> None:
    """Drafts and "Neue Fälle" walk (counsellor, status, opened_on) from the newest end; no scan of the
    counsellor's cases, no sort of all of them (migration 0018)."""
    store, user = counsellor
    statements = _statements_of_my_day(store, user)
    queries = [(q, p) for q, p in statements if "ORDER BY cases.opened_on DESC" in q and "count(" not in q]
    assert len(queries) == 2  # drafts, recently opened
    with store.engine.connect() as conn:
        for query, params in queries:
            plan = " / ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}", params))
            assert "USING INDEX ix_cases_counsellor_status_opened" in plan, plan
            assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan  # at most the case-number tie-break


def _statements_of_my_day(store, user) -> list[tuple[str, tuple]]:  # type: ignore[no-untyped-def]
    """The SQL statements (with parameters) one read of Mein Tag runs."""
    statements: list[tuple[str, tuple]] = []

    def seen(_conn, _cursor, statement, parameters, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append((statement, tuple(parameters)))

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        my_day.my_day(store, user, TODAY)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    return statements
