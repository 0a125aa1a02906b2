"""Health and addiction content reaches the district only with a Kreis consent carrying the health tick."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from tests.core.test_sync_import_fixtures import exchange, give_consent, new_case  # noqa: F401
from whh_desktop.core.domain.enums import ReferralTarget
from whh_desktop.core.services import casework, consent, help_plans, suchthilfe, sync_keys
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.store.models import Contact, HelpPlanService, Referral
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.bundle import open_bundle

SECRET = "Entgiftung Klinik Lübbecke am Montag"


def _fill(ex, case_id, *, kreis_health: bool) -> None:
    today = date.today()
    store, user = ex.site, ex.site_user
    consent.record(store, user, case_id, ConsentData(
        recipients=["kreis"], purpose="Hilfeplanung mit dem Kreis", categories=["stammdaten"],
        health_data=kreis_health, signed_on=today, valid_from=today))
    consent.record(store, user, case_id, ConsentData(
        recipients=["spdi"], purpose="Zusammenarbeit mit dem SpDi", categories=["stammdaten", "gesundheit"],
        health_data=True, signed_on=today, valid_from=today))
    casework.add_contact(store, user, case_id, casework.ContactData(
        on=today, minutes=30, kind="buero", bausteine=["5"], note=f"Notiz: {SECRET}", next_step=SECRET))
    casework.add_contact(store, user, case_id, casework.ContactData(
        on=today, minutes=20, kind="buero", bausteine=["1"], note="Mietrückstand besprochen",
        next_step="Jobcenter anrufen"))
    casework.add_referral(store, user, case_id, ReferralTarget.SUCHTHILFE, today, note=f"Verweis: {SECRET}")
    casework.add_referral(store, user, case_id, ReferralTarget.JOBCENTER, today, note="Antrag Mietschulden")
    help_plans.add_service(store, user, case_id, help_plans.ServiceData(
        kind="spdi", name="SpDi Kreis Herford", task=f"Begleitung: {SECRET}", since=today))
    suchthilfe.save_stage(store, user, case_id, suchthilfe.StageData(
        stage="entgiftung", planned_on=today, facility="Klinik Lübbecke",
        housing="Wohnung bleibt erhalten", flat_kept=True, note=SECRET))


def _open(ex, path: Path) -> pl.Payload:
    """Decrypt and validate the bundle as the district does."""
    header, raw = open_bundle(path.read_bytes(), sync_keys.receiver_identity(ex.district),
                              sync_keys.trust_list(ex.district))
    return pl.parse(raw, expected_kind=pl.SITE_TO_DISTRICT, sender_site=header.sender_site,
                    recipient_site=pl.DISTRICT)


def _texts(p: pl.Payload, entity: str, *columns: str) -> list[str | None]:
    names = pl.column_names(entity)
    return [r[names.index(c)] for r in p.rows.get(entity, []) for c in columns]


def _district_texts(ex) -> set[str | None]:
    with ex.district.read_session() as s:
        out = set()
        for c in s.execute(select(Contact)).scalars():
            out |= {c.note, c.next_step}
        for r in s.execute(select(Referral)).scalars():
            out |= {r.note, r.outcome}
        out |= {x.task for x in s.execute(select(HelpPlanService)).scalars()}
        return out


def _leaks(values: list[str | None] | set[str | None]) -> list[str]:
    return [v for v in values if v and SECRET in v]


def test_without_the_health_tick_the_district_learns_no_health_content(exchange) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Gesundheit")
    _fill(ex, case_id, kreis_health=False)
    path = ex.export()
    p = _open(ex, path)
    assert len(p.rows["contacts"]) == 2 and len(p.rows["referrals"]) == 2 and len(p.rows["help_plan_services"]) == 1
    everything = (_texts(p, "contacts", "note", "next_step") + _texts(p, "referrals", "note", "outcome")
                  + _texts(p, "help_plan_services", "task"))
    assert _leaks(everything) == []
    assert SECRET not in path.read_bytes().decode("latin-1")  # encrypted anyway, but never in plain either
    # what is not health content still goes out
    assert "Mietrückstand besprochen" in everything and "Jobcenter anrufen" in everything
    assert "Antrag Mietschulden" in everything
    assert "suchthilfe_stages" not in p.rows  # the pathway never leaves the site
    # the district validates and applies such rows
    [report] = ex.import_district(path)
    assert report.applied, report.reason
    texts = _district_texts(ex)
    assert _leaks(texts) == [] and "Mietrückstand besprochen" in texts
    # the site keeps everything
    with ex.site.read_session() as s:
        assert any(SECRET in (c.next_step or "") for c in s.execute(select(Contact)).scalars())


def test_with_the_health_tick_the_health_content_goes_out(exchange) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Mitgesundheit")
    _fill(ex, case_id, kreis_health=True)
    path = ex.export()
    p = _open(ex, path)
    assert _texts(p, "contacts", "next_step").count(SECRET) == 1
    assert f"Verweis: {SECRET}" in _texts(p, "referrals", "note")
    assert _texts(p, "help_plan_services", "task") == [f"Begleitung: {SECRET}"]
    assert "suchthilfe_stages" not in p.rows
    [report] = ex.import_district(path)
    assert report.applied, report.reason
    assert len(_leaks(_district_texts(ex))) == 4


def test_a_health_contact_added_later_goes_out_blank_in_the_increment(exchange) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Spaeter")
    give_consent(ex.site, ex.site_user, case_id)  # Kreis, no health tick
    assert ex.import_district(ex.export())[0].applied
    casework.add_contact(ex.site, ex.site_user, case_id, casework.ContactData(
        on=date.today(), minutes=15, kind="buero", bausteine=["4", "2"], note=SECRET, next_step=SECRET))
    path = ex.export()
    p = _open(ex, path)
    assert not p.full and _texts(p, "contacts", "note", "next_step") == [None, None]
    assert ex.import_district(path)[0].applied
    assert _leaks(_district_texts(ex)) == []


def test_a_revoked_health_consent_no_longer_covers_the_health_content(exchange) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Widerruf")
    give_consent(ex.site, ex.site_user, case_id)  # Kreis, no health tick: the case stays identified
    health = consent.record(ex.site, ex.site_user, case_id, ConsentData(
        recipients=["kreis"], purpose="Hilfeplanung einschließlich Gesundheit", categories=["gesundheit"],
        health_data=True, signed_on=date(2026, 1, 5), valid_from=date(2026, 1, 5)))
    consent.revoke(ex.site, ex.site_user, health, date.today())
    casework.add_contact(ex.site, ex.site_user, case_id, casework.ContactData(
        on=date.today(), minutes=15, kind="buero", bausteine=["5"], note=SECRET))
    p = _open(ex, ex.export())
    assert _texts(p, "contacts", "note") == [None]


def test_the_health_tick_given_later_then_revoked_updates_the_district(exchange) -> None:  # noqa: F811
    """The district holds health content exactly while a Kreis consent with the health tick is valid."""
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Nachtrag")
    _fill(ex, case_id, kreis_health=False)
    assert ex.import_district(ex.export())[0].applied
    assert _leaks(_district_texts(ex)) == []
    health = consent.record(ex.site, ex.site_user, case_id, ConsentData(
        recipients=["kreis"], purpose="Hilfeplanung einschließlich Gesundheit", categories=["gesundheit"],
        health_data=True, signed_on=date.today(), valid_from=date.today()))
    [r2] = ex.import_district(ex.export())
    assert r2.applied, r2.reason
    assert len(_leaks(_district_texts(ex))) == 4  # next step + note of the contact, referral note, service task
    consent.revoke(ex.site, ex.site_user, health, date.today())
    [r3] = ex.import_district(ex.export())
    assert r3.applied, r3.reason
    texts = _district_texts(ex)
    assert _leaks(texts) == [] and "Mietrückstand besprochen" in texts  # the case itself stays identified


def test_a_health_tick_running_out_by_date_withdraws_the_content_at_the_district(exchange, monkeypatch) -> None:  # noqa: F811
    """No change_log row marks the day a »gültig bis« passes: the export before it finds the rows itself."""
    from datetime import timedelta

    from whh_desktop.core.services import sync
    from whh_desktop.core.store import changes
    from whh_desktop.core.store.base import utcnow
    from whh_desktop.core.sync import exporter

    ex = exchange
    today = date.today()
    case_id = new_case(ex.site, ex.site_user, "Befristet")
    _fill(ex, case_id, kreis_health=False)  # a Kreis consent without the health tick keeps the case identified
    consent.record(ex.site, ex.site_user, case_id, ConsentData(
        recipients=["kreis"], purpose="Hilfeplanung einschließlich Gesundheit", categories=["gesundheit"],
        health_data=True, signed_on=today, valid_from=today, valid_until=today + timedelta(days=10)))
    assert ex.import_district(ex.export())[0].applied
    assert len(_leaks(_district_texts(ex))) == 4
    assert sync.preview_export(ex.site) == {}  # still valid: nothing to send

    class Later(date):
        @classmethod
        def today(cls) -> date:  # type: ignore[override]
            return date.today() + timedelta(days=11)

    monkeypatch.setattr(exporter, "date", Later)
    monkeypatch.setattr(changes, "utcnow", lambda: utcnow() + timedelta(days=11))  # rows written on that day
    result = sync.export_for_district(ex.site, ex.site_user, ex.out)
    assert result.counts == {"contacts": 1, "referrals": 1, "help_plan_services": 1, "identified": 1}
    assert ex.import_district(result.path)[0].applied
    texts = _district_texts(ex)
    assert _leaks(texts) == [] and "Antrag Mietschulden" in texts
    again = sync.export_for_district(ex.site, ex.site_user, ex.out).counts  # resent once, not at every export
    assert not {"contacts", "referrals", "help_plan_services"} & set(again)
