"""core/store/dialect and bulk_sql give the same results on SQLite and PostgreSQL: storage-form rows (UUID hex, ISO
dates and timestamps, JSON text, booleans 0/1) both ways, upsert, one-parameter IN, the report SQL functions."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
import sqlalchemy as sa

from tests.core.bare_store import BACKENDS, open_bare
from whh_desktop.core.store import bulk_sql, dialect
from whh_desktop.core.store.models import Case, CaseShareState, Person

CASE = uuid.UUID("01900000-0000-7000-8000-000000000001")


@pytest.fixture(params=BACKENDS)
def conn(request, tmp_path):
    store = open_bare(request, request.param, tmp_path)
    with store.engine.begin() as c:
        yield c


def test_storage_form_round_trip(conn) -> None:
    row = (CASE.hex, "KRS-2026-0001", uuid.UUID(int=7).hex, "b.schulz", json.dumps(["x.y", "ä"]), "open",
           "2026-01-05", None, 1, "kreis", "kreis", "2026-01-05 10:11:12.000001", "2026-01-05 10:11:12.000000", 1, 0,
           "[]")
    dialect.run_many(conn, "INSERT INTO cases (id, case_number, person_id, counsellor, substitutes, status, opened_on, "
                           "closed_on, restricted, origin_site, owner_site, created_at, updated_at, version, moved_in, "
                           "bausteine) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [row])
    got = dialect.first(conn, "SELECT id, person_id, substitutes, opened_on, closed_on, restricted, created_at, "
                              "updated_at, moved_in FROM cases WHERE id = ? AND case_number LIKE '%-0001'", (CASE.hex,))
    assert got == (CASE.hex, uuid.UUID(int=7).hex, json.dumps(["x.y", "ä"]), "2026-01-05", None, 1,
                   "2026-01-05 10:11:12.000001", "2026-01-05 10:11:12.000000", 0)
    assert dialect.scalar(conn, "SELECT count(*) FROM cases WHERE restricted = ?", (1,)) == 1
    assert dialect.scalar(conn, "SELECT count(*) FROM cases WHERE id = ?", (uuid.UUID(int=9).hex,)) == 0
    # the ORM reads what the storage form wrote
    assert conn.execute(sa.select(Case.opened_on, Case.substitutes, Case.restricted)).one() == (
        date(2026, 1, 5), ["x.y", "ä"], True)
    assert conn.execute(sa.select(sa.type_coerce(Case.id, dialect.HexId()), sa.type_coerce(
        Case.opened_on, dialect.DateText()))).one() == (CASE.hex, "2026-01-05")


def test_replace_rows_and_select_where_in(conn) -> None:
    ids = [uuid.UUID(int=n).hex for n in range(1, 2500)]  # above SQLite's variable limit, one parameter
    bulk_sql.replace_rows(conn, "sync_case_share", ("case_id", "identified", "exported_at"),
                          [(i, 1, "2026-01-01 00:00:00.000000") for i in ids])
    bulk_sql.replace_rows(conn, "sync_case_share", ("case_id", "identified", "exported_at"),
                          [(ids[0], 0, "2026-02-01 00:00:00.000000")])
    assert sorted(bulk_sql.select_where_in(conn, "sync_case_share", "case_id", "case_id", [*ids, "0" * 32])) == ids
    assert conn.execute(sa.select(CaseShareState.identified).where(
        CaseShareState.case_id == uuid.UUID(ids[0]))).scalar() is False
    assert conn.execute(sa.select(sa.func.count()).select_from(CaseShareState)).scalar() == len(ids)


def test_report_functions(conn) -> None:
    a, b = sa.literal(date(2025, 3, 1), sa.Date), sa.literal(date(2024, 12, 25), sa.Date)
    assert conn.execute(sa.select(dialect.days_between(a, b), dialect.year_quarter(a),
                                  dialect.year_quarter(b))).one() == (66, "2025-Q1", "2024-Q4")
    for n in (3, 1, 2):
        conn.execute(sa.insert(Person).values(id=uuid.UUID(int=n), family_name="Fiktiv", origin_site="kreis",
                                              owner_site="kreis", version=1))
    assert conn.execute(sa.select(dialect.min_id(Person.id))).scalar() == uuid.UUID(int=1)


def test_placeholders_leave_quoted_text_alone() -> None:
    sql = "SELECT '?', \"a?\" FROM t WHERE x = ? AND y LIKE '%a' AND z = ?"
    assert dialect.format_placeholders(sql) == "SELECT '?', \"a?\" FROM t WHERE x = %s AND y LIKE '%%a' AND z = %s"


