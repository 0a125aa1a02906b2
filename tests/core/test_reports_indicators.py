"""Indicators of the Landesinitiative on a hand-built district store (tests/core/reports_world.py)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.core import reports_world
from whh_desktop.core.services import reports

VON, BIS = date(2025, 1, 1), date(2025, 12, 31)


@pytest.fixture
def world(district):
    store, user = district
    return reports_world.build(store, user)


def tables_of(world, sites=None):
    with world.store.read_session() as s:
        return {t.key: t for t in reports.indicators(s, VON, BIS, sites)}


def test_overview(world) -> None:
    t = tables_of(world)["overview"]
    got = {r.key: r.cells[1] for r in t.rows}
    assert got == {"households": 7, "persons": 9, "new_cases": 5, "prevented": 1, "placements": 1, "landlords": 1,
                   "referrals_spdi": 1, "referrals_sucht": 1, "contacts": 4}
