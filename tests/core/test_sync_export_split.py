"""The split exporter builds the very payloads the single-function exporter built (issue 17 point 4): both run on
the same read transaction of the same stores — a demo site with consents, handovers with documents, increments
after edits, revocations and expiries — and their encoded payloads must be equal byte for byte, as must what the
plan records after the write (sequence, shares, handovers, counts)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.core import exporter_reference as old
from tests.core.test_sync_import_fixtures import Exchange, give_consent, new_case, pair_keys
from whh_desktop.core.demo import fill_demo
from whh_desktop.core.services import casework, consent, sync
from whh_desktop.core.store.models import Contact, Handover, Person
from whh_desktop.core.sync import exporter
from whh_desktop.core.sync import payload as pl

TODAY = date.today()


@pytest.fixture
def exchange(counsellor, district, tmp_path) -> Exchange:
    """SQLCipher only: the reference is the former single-function exporter, written in SQLite's SQL (the
    district's payloads on PostgreSQL are compared with SQLite's in test_sync_import_backends)."""
    pair_keys(counsellor[0], district[0])
    return Exchange(*counsellor, *district, tmp_path / "out")


def _plan_fields(plan) -> tuple:
    return (plan.target, plan.counts, plan.sequence, plan.epoch, plan.full, plan.change_seq, plan.share,
            plan.handovers)


def _same_site_payload(store, *, full: bool = False, today: date | None = None) -> dict[str, int]:
    """Old and new on one read transaction: equal bytes, equal plan. Returns the counts (so each scenario can show
    that it exercised what it is meant to)."""
    with store.read_session() as s:
        args = {"site": store.info.site_code, "store_id": store.info.store_id, "epoch": store.info.epoch,
                "full": full, "today": today}
        before = old.build_site_payload(s, **args)
        after = exporter.build_site_payload(s, **args)
    assert pl.encode(after.payload) == pl.encode(before.payload)
    assert pl.dumps(after.payload) == pl.dumps(before.payload)
    assert _plan_fields(after) == _plan_fields(before)
    return after.counts


def _same_district_payload(store, site: str) -> dict[str, int]:
    with store.read_session() as s:
        args = {"site": site, "store_id": store.info.store_id, "epoch": store.info.epoch}
        before = old.build_district_payload(s, **args)
        after = exporter.build_district_payload(s, **args)
    assert pl.encode(after.payload) == pl.encode(before.payload)
    assert _plan_fields(after) == _plan_fields(before)
    return after.counts


def test_split_exporter_builds_the_same_payloads(exchange) -> None:
    ex = exchange
    fill_demo(ex.site, ex.site_user.username, 60, seed=17, today=TODAY)
    anon = new_case(ex.site, ex.site_user, "Ohnezustimmung")
    known = new_case(ex.site, ex.site_user, "Mitzustimmung", kreis_consent=True)
    moving = new_case(ex.site, ex.site_user, "Umzug", kreis_consent=True)
    casework.add_document(ex.site, ex.site_user, moving, "Mietvertrag", "application/pdf", b"%PDF-1.4 fiktiv")
    sync.preview_export(ex.site)  # makes the pseudonym secret

    first = _same_site_payload(ex.site)  # first export: full
    assert first["identified"] >= 2 and first["pseudonymous"] >= 1 and first["cases"] >= 2
    _same_site_payload(ex.site, full=True, today=TODAY + timedelta(days=3650))  # every consent run out
    _same_site_payload(ex.site, full=True, today=date(2026, 1, 4))  # before the test consents began
    ex.import_district(ex.export())

    # increments: a new contact, an edited person, a consent given later, one revoked, a handover with its document
    with ex.site.session(ex.site_user.username) as s:
        s.add(Contact(case_id=known, on=TODAY, minutes=30, kind="buero", bausteine=["2"],
                      counsellor=ex.site_user.username))
        person = s.get(Person, s.execute(select(Person.id).where(Person.family_name == "Mitzustimmung")).scalar())
        person.given_names = "Jana"
    later = give_consent(ex.site, ex.site_user, anon)
    sync.handover_case(ex.site, ex.site_user, moving, "buende")
    counts = _same_site_payload(ex.site)
    assert counts["handovers"] == 1 and counts["contacts"] >= 1 and counts["persons"] >= 2
    _same_site_payload(ex.site, today=TODAY + timedelta(days=3650))
    ex.import_district(ex.export())
    consent.revoke(ex.site, ex.site_user, later, TODAY)
    revoked = _same_site_payload(ex.site)
    assert revoked["pseudonymous"] == 1
    ex.import_district(ex.export())
    assert _same_site_payload(ex.site) == {}

    # district → site: the handed-over case goes to Bünde with its document, Löhne learns it is done
    with ex.district.read_session() as s:
        assert s.get(Handover, moving).to_site == "buende"
    incoming = _same_district_payload(ex.district, "buende")
    assert incoming["handovers"] == 1 and incoming["cases"] == 1 and incoming["documents"] == 1
    done = _same_district_payload(ex.district, "loehne")
    assert done["handovers"] == 1
