"""Every district report gives the same figures on SQLite and PostgreSQL for the same data (issue 19 point 3): the
hand-counted report world with its pseudonymous records (tests/core/test_reports_pseudonymous.build) plus
pseudonymous applications, written through the same ORM calls into a SQLite and a PostgreSQL schema, then each
report compared value by value."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from tests.core import test_reports_pseudonymous as reports_pseudonymous
from tests.core.bare_store import BareStore, open_bare
from whh_desktop.core.reports import indicators
from whh_desktop.core.reports.tables import ReportTable
from whh_desktop.core.services import reports
from whh_desktop.core.store.models import PseudonymEntry

UUID_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-")
VON, BIS = date(2025, 1, 1), date(2025, 12, 31)


def every_report(store: BareStore) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with store.session() as s:
        for sites in (None, ["loehne"], ["loehne", "vlotho", "kreis"]):
            key = ",".join(sites or ["alle"])
            out[f"indicators {key}"] = reports.indicators(s, VON, BIS, sites)
            out[f"arbeitskreis {key}"] = reports.arbeitskreis(s, VON, BIS, sites)
            out[f"stichtag nrw {key}"] = reports.stichtag_nrw(s, 2025, sites)
            out[f"stichtag wobericht {key}"] = reports.stichtag_wobericht(s, 2025, sites)
            out[f"quality {key}"] = [reports.data_quality(s, sites)]
            out[f"bausteine {key}"] = [indicators.contacts_per_baustein(s, VON, BIS, sites)]
        out["arbeitskreis Q2"] = reports.arbeitskreis(s, date(2025, 4, 1), date(2025, 6, 30))
        out["indicators 2024-2026"] = reports.indicators(s, date(2024, 1, 1), date(2026, 12, 31))
    return out


@pytest.fixture
def both(request, tmp_path) -> tuple[BareStore, BareStore]:
    lite = open_bare(request, "sqlite", tmp_path)
    pg = open_bare(request, "postgresql", tmp_path)
    for store in (lite, pg):
        reports_pseudonymous.build(store, None)
        with store.session("import") as s:
            s.add(PseudonymEntry(site="vlotho", pseudonym="ab" * 32, person_pseudonym="cd" * 32, data={
                **reports_pseudonymous.data("vlotho", "Vlotho", [["kuendigung", "2025-02"]], opened="2025-02"),
                "applications": [
                    {"kind": "sgb2_22_8", "submitted_month": "2025-02", "decision": "bewilligt",
                     "decided_month": "2025-04", "days": 61, "eviction_averted": True, "objection_month": None,
                     "objection_decision": None, "objection_decided_month": None, "objection_days": None},
                    {"kind": "sgb2_22_4", "submitted_month": "2025-05", "decision": "abgelehnt",
                     "decided_month": "2025-06", "days": 30, "eviction_averted": None, "objection_month": "2025-07",
                     "objection_decision": "abgeholfen", "objection_decided_month": "2025-09",
                     "objection_days": 75}]}))
    return lite, pg


def test_every_district_report_has_the_same_figures_on_both_backends(both) -> None:
    lite, pg = both
    expected = every_report(lite)
    assert sum(len(t.rows) for tables in expected.values() for t in tables) > 100  # the world is not empty
    got = every_report(pg)
    for name, tables in expected.items():
        for want, have in zip(tables, got[name], strict=True):
            assert (have.key, _rows(have), have.totals) == (want.key, _rows(want), want.totals), f"{name}: {want.title}"
            assert replace(have, rows=()) == replace(want, rows=()), f"{name}: {want.title}"


def _rows(table: ReportTable) -> list[tuple[str, tuple[Any, ...]]]:
    """The rows; a key that is a case id (generated, so different in each store) as "case"."""
    return [("case" if UUID_KEY.match(row.key) else row.key, row.cells) for row in table.rows]
