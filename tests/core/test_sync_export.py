"""Site → district export: consent gate (identified vs pseudonymous), increments, full re-export."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.core.test_sync_import_fixtures import exchange, give_consent, new_case  # noqa: F401
from whh_desktop.core.services import consent, sync
from whh_desktop.core.store.models import Case, Consent, Person, PseudonymEntry


def test_pseudonymous_without_consent_identified_with_it(exchange) -> None:  # noqa: F811
    ex = exchange
    anon = new_case(ex.site, ex.site_user, "Ohnezustimmung")
    known = new_case(ex.site, ex.site_user, "Mitzustimmung", kreis_consent=True)
    counts = sync.preview_export(ex.site)
    assert counts["pseudonymous"] == 1 and counts["identified"] == 1
    path = ex.export()
    assert path.name == "LOE-an-Kreis-000001.whhb"
    [report] = ex.import_district(path)
    assert report.applied, report.reason
    with ex.district.read_session() as s:
        names = set(s.execute(select(Person.family_name)).scalars())
        assert names == {"Mitzustimmung"}
        assert s.get(Case, known) is not None and s.get(Case, anon) is None
        entries = s.execute(select(PseudonymEntry)).scalars().all()
        pseudo = [e for e in entries if not e.identified]
        assert len(pseudo) == 1 and set(pseudo[0].data) == {
            "site", "municipality", "categories", "sex", "age_band", "nationality_group", "household_type",
            "household_size", "opened_month", "closed_month", "outcome", "contacts_per_baustein", "deleted",
            "applications"}
        assert pseudo[0].data["applications"] == []
        assert "Ohnezustimmung" not in str(pseudo[0].data)
        data = dict(pseudo[0].data)
    with ex.site.read_session() as s:
        opened = s.get(Case, anon).opened_on
    born = date(1980, 5, 17)  # new_case's birth date; the band is the age when the case was opened
    age = opened.year - born.year - ((opened.month, opened.day) < (born.month, born.day))
    assert data["age_band"] == f"{age // 5 * 5}-{age // 5 * 5 + 4}"
    assert (data["opened_month"], data["sex"], data["municipality"]) == (opened.isoformat()[:7], "maennlich", "Löhne")


def test_consent_given_later_then_revoked_switches_the_record(exchange) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Spaeter")
    ex.import_district(ex.export())
    consent_id = give_consent(ex.site, ex.site_user, case_id)
    [r2] = ex.import_district(ex.export())
    assert r2.applied and r2.counts.get("cases") == 1
    with ex.district.read_session() as s:
        assert s.get(Case, case_id) is not None
        [entry] = s.execute(select(PseudonymEntry)).scalars().all()
        assert entry.identified and entry.case_id == case_id and entry.data is None
    consent.revoke(ex.site, ex.site_user, consent_id, date.today())
    [r3] = ex.import_district(ex.export())
    assert r3.applied and r3.counts.get("withdrawn") == 1
    with ex.district.read_session() as s:
        assert s.get(Case, case_id) is None
        assert s.execute(select(Person)).first() is None
        assert s.execute(select(Consent)).first() is None
        [entry] = s.execute(select(PseudonymEntry)).scalars().all()
        assert not entry.identified and entry.data["site"] == "loehne"


def test_incremental_then_full_re_export(exchange) -> None:  # noqa: F811
    ex = exchange
    new_case(ex.site, ex.site_user, "Erster", kreis_consent=True)
    first = ex.export()
    assert sync.preview_export(ex.site) == {}  # nothing changed since
    new_case(ex.site, ex.site_user, "Zweiter", kreis_consent=True)
    second = ex.export()
    assert second.name.endswith("000002.whhb")
    full = sync.export_for_district(ex.site, ex.site_user, ex.out, full=True)
    assert full.full and full.sequence == 3 and full.counts["cases"] == 2
    reports = ex.import_district(first, second, full.path)
    assert all(r.applied for r in reports)
    # the full export repeats the six rows already there (two persons, cases, consents): listed, not applied
    assert reports[2].skipped_total == 6 and len(reports[2].skipped) == 6
    assert sorted(x["entity"] for x in reports[2].skipped) == ["cases", "cases", "consents", "consents", "persons",
                                                                 "persons"]
    assert {x["reason"] for x in reports[2].skipped} == {"älterer oder gleicher Stand als vorhanden"}
    assert not {"cases", "persons", "consents"} & set(reports[2].counts)
    with ex.district.read_session() as s:
        assert len(s.execute(select(Case)).all()) == 2


def test_a_restored_store_exports_fully_in_a_new_epoch(exchange) -> None:  # noqa: F811
    from sqlalchemy import update

    from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD
    from whh_desktop.core.services import login
    from whh_desktop.core.store.models import StoreMeta

    ex = exchange
    new_case(ex.site, ex.site_user, "Vorher", kreis_consent=True)
    ex.import_district(ex.export())
    new_case(ex.site, ex.site_user, "Nachher", kreis_consent=True)
    with ex.site.session("test") as s:  # what backups.restore does after swapping the file
        s.execute(update(StoreMeta).values(epoch=StoreMeta.epoch + 1))
    ex.site.close()
    store, user = login.unlock(ex.site.paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    try:
        assert sync.export_needs_full(store)
        result = sync.export_for_district(store, user, ex.out)
        assert result.full and result.sequence == 1 and result.path.name == "LOE-an-Kreis-E2-000001.whhb"
        [r] = ex.import_district(result.path)
        assert r.applied, r.reason
        with ex.district.read_session() as s:
            [status] = sync.site_status(s)
            assert (status.epoch, status.last_sequence, status.missing) == (2, 1, [])
            assert len(s.execute(select(Case)).all()) == 2
    finally:
        store.close()


def test_a_consent_running_out_by_date_alone_switches_the_next_export_to_pseudonymous(exchange,  # noqa: F811
                                                                                        monkeypatch) -> None:
    """No change_log row marks the day a consent's »gültig bis« passes: the exporter finds such cases itself."""
    from datetime import timedelta

    from whh_desktop.core.services.consent import ConsentData
    from whh_desktop.core.sync import exporter

    ex = exchange
    today = date.today()
    case_id = new_case(ex.site, ex.site_user, "Befristet")
    consent.record(ex.site, ex.site_user, case_id, ConsentData(
        recipients=["kreis"], purpose="Hilfeplanung mit dem Kreis", categories=["stammdaten"], health_data=False,
        signed_on=today - timedelta(days=30), valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=10)))
    [first] = ex.import_district(ex.export())
    assert first.applied and first.counts.get("cases") == 1
    with ex.district.read_session() as s:
        [entry] = s.execute(select(PseudonymEntry)).scalars().all()
        assert entry.identified and s.get(Case, case_id) is not None
    assert sync.preview_export(ex.site) == {}  # still valid today: nothing to send

    class Later(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return date.today() + timedelta(days=11)

    monkeypatch.setattr(exporter, "date", Later)
    result = sync.export_for_district(ex.site, ex.site_user, ex.out)
    assert not result.full and result.sequence == 2
    assert result.counts == {"pseudonymous": 1}  # no identifying rows go out any more
    [second] = ex.import_district(result.path)
    assert second.applied and second.counts.get("withdrawn") == 1
    with ex.district.read_session() as s:
        assert s.get(Case, case_id) is None
        assert s.execute(select(Person)).first() is None and s.execute(select(Consent)).first() is None
        [entry] = s.execute(select(PseudonymEntry)).scalars().all()
        assert not entry.identified and entry.case_id is None and entry.data["site"] == "loehne"
        assert "Befristet" not in str(entry.data)
    assert sync.preview_export(ex.site) == {}  # recorded as sent pseudonymous: not sent again
