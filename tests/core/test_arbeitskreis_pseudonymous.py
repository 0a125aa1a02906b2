"""Arbeitskreis figures at the district include the applications of pseudonymous records (issue 08 point 4): the
site exports per application kind, months, decision, processing days, Widerspruch and eviction averted flag; the
district aggregates them with the identified applications and counts a case once after consent is given."""

from __future__ import annotations

import copy
import uuid
from datetime import date

import pytest
from alembic import command
from sqlalchemy import func, select

from tests.core.test_sync_import_fixtures import exchange, give_consent, new_case  # noqa: F401
from whh_desktop.core.reports import arbeitskreis as ak
from whh_desktop.core.store import schema
from whh_desktop.core.store.models import PseudonymEntry
from whh_desktop.core.store.models.applications import Application, Objection
from whh_desktop.core.store.models.sync import PseudonymApplication
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync import payload_pseudonyms

Q1 = (date(2025, 1, 1), date(2025, 3, 31))


def _add_applications(ex, case_id) -> None:
    granted = Application(id=uuid.uuid4(), case_id=case_id, kind="sgb2_22_8", submitted_on=date(2025, 1, 10),
                          submitted_via="post", reminders=[], decision="bewilligt", decided_on=date(2025, 1, 20),
                          without_instructions=False, eviction_averted=True, origin_site="loehne",
                          owner_site="loehne")
    rejected = Application(id=uuid.uuid4(), case_id=case_id, kind="sgb2_22_8", submitted_on=date(2025, 1, 15),
                           submitted_via="post", reminders=[], decision="abgelehnt", decided_on=date(2025, 2, 14),
                           without_instructions=False, origin_site="loehne", owner_site="loehne")
    objection = Objection(case_id=case_id, application_id=rejected.id, lodged_on=date(2025, 2, 20),
                          decision="abgeholfen", decided_on=date(2025, 3, 12), origin_site="loehne",
                          owner_site="loehne")
    with ex.site.session(ex.site_user.username) as s:
        s.add_all([granted, rejected])
        s.flush()
        s.add(objection)


def _figures(store):
    with store.read_session() as s:
        kinds = {r.key: r.cells for r in ak.kinds_table(s, *Q1).rows}
        quarters = {r.key: r.cells for r in ak.quarter_site_table(s, *Q1).rows}
        objections = {r.key: r.cells for r in ak.objections_table(s, *Q1).rows}
        identified = s.execute(select(func.count()).select_from(Application)).scalar()
        facts = s.execute(select(PseudonymApplication).order_by(PseudonymApplication.position)).scalars().all()
        s.expunge_all()
    return kinds, quarters, objections, identified, facts


def _check(kinds, quarters, objections) -> None:
    # 10 and 30 days → median 20, P90 (nearest rank 2 of 2) 30; one approved, one rejected
    kind = kinds["sgb2_22_8"]
    assert kind[1:5] == (2, 2, "20", "30") and kind[5] == 1 and kind[7] == 1 and kind[9] == 5000  # hundredths
    q = quarters["2025-Q1|loehne"]
    assert q[2:7] == (2, "20", "30", 1, 1) and q[9:11] == (1, 1) and q[12:] == (1, 1)  # eviction averted
    assert objections["sgb2_22_8"][1:] == (1, 1, 1, 10000, "20")


def test_pseudonymous_applications_reach_the_district_and_count_once(exchange) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Antragsteller")
    _add_applications(ex, case_id)
    [r1] = ex.import_district(ex.export())
    assert r1.applied, r1.reason
    with ex.district.read_session() as s:
        [entry] = s.execute(select(PseudonymEntry)).scalars().all()
        apps = entry.data["applications"]
    assert [(a["kind"], a["submitted_month"], a["decided_month"], a["days"]) for a in apps] == [
        ("sgb2_22_8", "2025-01", "2025-01", 10), ("sgb2_22_8", "2025-01", "2025-02", 30)]
    assert apps[1]["objection_month"] == "2025-02" and apps[1]["objection_decision"] == "abgeholfen"
    assert apps[1]["objection_days"] == 20 and apps[0]["eviction_averted"] is True
    assert "Antragsteller" not in str(entry.data)
    kinds, quarters, objections, identified, facts = _figures(ex.district)
    assert identified == 0 and len(facts) == 2
    assert facts[1].decided == date(2025, 2, 28) and facts[1].submitted == date(2025, 1, 1)
    _check(kinds, quarters, objections)
    # site filter: another site sees nothing
    with ex.district.read_session() as s:
        assert ak.kinds_table(s, *Q1, sites=["buende"]).rows == ()

    # the migration backfills the rows from the JSON
    with ex.district.engine.connect() as conn:
        cfg = schema._config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011")
        command.upgrade(cfg, "head")
        conn.commit()
    assert _figures(ex.district)[:3] == (kinds, quarters, objections)

    # consent given later: the case arrives identified, its pseudonymous applications are gone — counted once
    give_consent(ex.site, ex.site_user, case_id)
    [r2] = ex.import_district(ex.export())
    assert r2.applied, r2.reason
    kinds, quarters, objections, identified, facts = _figures(ex.district)
    assert identified == 2 and facts == []
    _check(kinds, quarters, objections)


def _record(**app) -> dict:
    a = {"kind": "wohngeld", "submitted_month": "2025-01", "decision": "bewilligt", "decided_month": "2025-02",
         "days": 31, "eviction_averted": None, "objection_month": None, "objection_decision": None,
         "objection_decided_month": None, "objection_days": None} | app
    return {"site": "loehne", "municipality": "Löhne", "categories": [], "sex": "maennlich", "age_band": "40-44",
            "nationality_group": "deutsch", "household_type": "allein", "household_size": 1,
            "opened_month": "2025-01", "closed_month": None, "outcome": None, "contacts_per_baustein": {},
            "deleted": False, "applications": [a]}


def test_validation_of_the_application_statistics() -> None:
    assert payload_pseudonyms.pseudonym_data(_record(), "x")["applications"][0]["days"] == 31
    older = _record()
    del older["applications"]
    assert payload_pseudonyms.pseudonym_data(older, "x") == older  # older exports carry no applications
    bad = [{"days": "31"}, {"days": 3.5}, {"days": -1}, {"days": True}, {"kind": "unbekannt"},
           {"submitted_month": "2025-13"}, {"submitted_month": "2025-01-10"}, {"decided_month": 202502},
           {"eviction_averted": 1}, {"objection_decision": "abgeholfen"}, {"decision": None},
           {"objection_month": "2025-03", "objection_decision": "gewonnen"}]
    refused = r"^Der Inhalt des Pakets ist ungültig: x: ungültige Statistikdaten\. Es wurde nichts übernommen\.$"
    for change in bad:
        with pytest.raises(pl.PayloadInvalid, match=refused):
            payload_pseudonyms.pseudonym_data(_record(**change), "x")
    extra = _record()
    extra["applications"][0]["name"] = "Kowalski"
    for record in (extra, _record() | {"applications": {}}, _record() | {"applications": [["wohngeld"]]}):
        with pytest.raises(pl.PayloadInvalid, match=refused):
            payload_pseudonyms.pseudonym_data(copy.deepcopy(record), "x")
