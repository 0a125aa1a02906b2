"""Arbeitskreis figures on a hand-built district store with known medians, percentiles and rates."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from whh_desktop.core.reports import arbeitskreis as ak
from whh_desktop.core.reports.suppress import HIDDEN, SMALL
from whh_desktop.core.services import reports
from whh_desktop.core.store.models.applications import Application, Objection

Q1 = (date(2025, 1, 1), date(2025, 3, 31))
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def _app(kind, decided, days, decision, site="loehne", averted=None):
    return Application(id=uuid.uuid4(), case_id=uuid.uuid4(), kind=kind, submitted_on=decided - timedelta(days=days),
                       submitted_via="post", reminders=[], decision=decision, decided_on=decided,
                       without_instructions=False, eviction_averted=averted, origin_site=site, owner_site=site)


@pytest.fixture
def world(district):
    store, _user = district
    d = date(2025, 2, 15)
    rows = [
        # § 22 Abs. 8 in Q1 at Löhne: 10, 20, 30, 40 days → median 25, P90 (nearest rank 4 of 4) 40
        _app("sgb2_22_8", d, 10, "bewilligt", averted=True),
        _app("sgb2_22_8", d, 20, "bewilligt", averted=False),
        _app("sgb2_22_8", d, 30, "teilweise"),
        _app("sgb2_22_8", d, 40, "abgelehnt"),
        _app("sgb2_22_8", d, 3, "zurueckgenommen"),  # counts as decided, no duration, not in the rates
        # Wohngeld in Q1 at Bünde: 5, 7, 100 → median 7, P90 (rank 3 of 3) 100
        _app("wohngeld", d, 5, "bewilligt", site="buende"),
        _app("wohngeld", d, 7, "bewilligt", site="buende"),
        _app("wohngeld", d, 100, "abgelehnt", site="buende"),
        # Q2 at Löhne, outside Q1
        _app("sgb2_22_8", date(2025, 5, 2), 60, "abgelehnt"),
    ]
    stalled = Application(id=uuid.uuid4(), case_id=uuid.uuid4(), kind="wbs", submitted_on=date(2024, 6, 1),
                          submitted_via="online", reminders=[], without_instructions=False,
                          origin_site="loehne", owner_site="loehne")
    rejected = rows[3]
    objections = [Objection(case_id=rejected.case_id, application_id=rejected.id, lodged_on=date(2025, 2, 20),
                            decision=dec, decided_on=date(2025, 2, 20) + timedelta(days=n), origin_site="loehne",
                            owner_site="loehne")
                  for dec, n in (("abgeholfen", 10), ("teilweise", 20), ("zurueckgewiesen", 30))]
    objections.append(Objection(case_id=rejected.case_id, application_id=rejected.id, lodged_on=date(2025, 3, 1),
                                origin_site="loehne", owner_site="loehne"))
    with store.session("import-test") as s:
        s.add_all([*rows, stalled, *objections])
    return store


def test_statistics_helpers() -> None:
    assert ak.median([10, 20, 30, 40]) == 25 and ak.median([5, 7, 100]) == 7 and ak.median([]) is None
    assert ak.percentile([10, 20, 30, 40], 90) == 40 and ak.percentile(list(range(1, 11)), 90) == 9
    assert ak.days_text(25.0) == "25" and ak.days_text(12.5) == "12,5"


def test_processing_time_and_rates_per_kind(world) -> None:
    with world.read_session() as s:
        table = ak.kinds_table(s, *Q1)
    assert [r.key for r in table.rows] == ["sgb2_22_8", "wohngeld", "wbs"]  # wbs: open since 06/2024, stalled
    assert table.value("sgb2_22_8", "decided") == 5 and table.value("sgb2_22_8", "zurueckgenommen") == 1
    assert (table.value("sgb2_22_8", "median_days"), table.value("sgb2_22_8", "p90_days")) == ("25", "40")
    assert table.value("sgb2_22_8", "approval_rate") == 7500 and table.value("sgb2_22_8", "rejection_rate") == 2500
    assert (table.value("wohngeld", "median_days"), table.value("wohngeld", "p90_days")) == ("7", "100")
    assert table.value("wohngeld", "approval_rate") == 6667
    # all 7 timed durations: 5 7 10 20 30 40 100 → median 20, P90 rank 7 → 100
    assert (table.totals.cells[3], table.totals.cells[4]) == ("20", "100")
    assert table.value("total", "decided") == 8


def test_stalled_applications_are_counted(world) -> None:
    with world.read_session() as s:
        table = ak.kinds_table(s, date(2025, 4, 1), date(2025, 6, 30))
    assert table.value("wbs", "stalled") == 1 and table.value("wbs", "decided") == 0


def test_per_quarter_and_site(world) -> None:
    with world.read_session() as s:
        table = ak.quarter_site_table(s, *YEAR)
    assert [r.key for r in table.rows] == ["2025-Q1|buende", "2025-Q1|loehne", "2025-Q2|loehne"]
    row = table.row("2025-Q1|loehne")
    assert row.cells[0] == "1. Quartal 2025"
    assert table.value("2025-Q1|loehne", "median_days") == "25"
    assert table.value("2025-Q1|loehne", "objections_decided") == 3
    assert table.value("2025-Q1|loehne", "objections_successful") == 2
    assert table.value("2025-Q1|loehne", "objection_success_rate") == 6667
    assert table.value("2025-Q1|loehne", "arrears_granted") == 3
    assert table.value("2025-Q1|loehne", "evictions_averted") == 1
    assert table.value("2025-Q2|loehne", "median_days") == "60"
    with world.read_session() as s:
        only = ak.quarter_site_table(s, *YEAR, sites=["buende"])
    assert [r.key for r in only.rows] == ["2025-Q1|buende"]


def test_objections_per_kind(world) -> None:
    with world.read_session() as s:
        table = ak.objections_table(s, *Q1)
    assert table.value("sgb2_22_8", "lodged") == 4 and table.value("sgb2_22_8", "decided") == 3
    assert table.value("sgb2_22_8", "success_rate") == 6667 and table.value("sgb2_22_8", "median_days") == "20"


def test_export_hides_small_counts_with_their_rates_and_durations(world) -> None:
    with world.read_session() as s:
        tables = reports.arbeitskreis(s, *Q1)
    out = {t.key: t for t in reports.suppress_for_export(tables)}
    kinds = out["ak_kinds"]
    assert kinds.suppressed
    assert kinds.value("sgb2_22_8", "zurueckgenommen") == SMALL
    for key in ("approval_rate", "rejection_rate", "median_days", "p90_days"):
        assert kinds.value("sgb2_22_8", key) == HIDDEN
    assert kinds.value("sgb2_22_8", "decided") == 5  # counts of 3 and more stay
    qs = out["ak_quarter_site"]
    assert qs.value("2025-Q1|loehne", "evictions_averted") == SMALL
    assert qs.value("2025-Q1|loehne", "median_days") == HIDDEN
