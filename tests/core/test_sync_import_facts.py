"""The report facts of pseudonymous records (``sync_pseudonym_facts`` and its children) follow the pseudonym rows
in the import's transaction: written with a pseudonymous record, gone when the record is linked to an identified
case (consent given), back when the consent is revoked; a refused bundle leaves them unchanged."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.core.test_sync_import_fixtures import dump, exchange, give_consent, new_case  # noqa: F401
from whh_desktop.core.services import consent
from whh_desktop.core.store.models import PseudonymEntry
from whh_desktop.core.store.models.sync import PseudonymCategory, PseudonymFacts


def _facts(store):
    with store.read_session() as s:
        entries = s.execute(select(PseudonymEntry)).scalars().all()
        facts = s.execute(select(PseudonymFacts)).scalars().all()
        cats = s.execute(select(PseudonymCategory).order_by(PseudonymCategory.position)).scalars().all()
        s.expunge_all()
    return entries, facts, cats


def test_facts_follow_the_pseudonym_rows(exchange) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Fakten")
    [r1] = ex.import_district(ex.export())
    assert r1.applied, r1.reason
    [entry], [f], cats = _facts(ex.district)
    d = entry.data
    assert f.pseudonym_id == entry.id and f.site == "loehne" and f.person_pseudonym == entry.person_pseudonym
    assert f.municipality == d["municipality"] == "Löhne"
    assert f.age_band == int(d["age_band"].split("-")[0]) and f.age_band_on == f.opened
    assert f.opened == date(int(d["opened_month"][:4]), int(d["opened_month"][5:7]), 1)
    assert f.closed is None and f.household_size == d["household_size"] and f.sex == d["sex"]
    assert [(c.category, c.since.isoformat()[:7]) for c in cats] == [tuple(c) for c in d["categories"]]
    assert f.category == (d["categories"][-1][0] if d["categories"] else None)

    consent_id = give_consent(ex.site, ex.site_user, case_id)
    [r2] = ex.import_district(ex.export())
    assert r2.applied
    [entry], facts, cats = _facts(ex.district)
    assert entry.identified and facts == [] and cats == []

    consent.revoke(ex.site, ex.site_user, consent_id, date.today())
    path = ex.export()
    [r3] = ex.import_district(path)
    assert r3.applied and r3.counts.get("withdrawn") == 1
    [entry], [f], _ = _facts(ex.district)
    assert not entry.identified and f.pseudonym_id == entry.id

    before = dump(ex.district)
    [again] = ex.import_district(path)  # already imported: refused, nothing changes
    assert not again.applied and dump(ex.district) == before
