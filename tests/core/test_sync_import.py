"""District import: refusals (replay, already imported, other site's cases, wrong type, unknown enum) leave the
store unchanged; older versions are skipped and reported; gaps; district → site bundle; handover."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import ADMIN, ADMIN_PASSWORD, make_request
from tests.core.test_sync_import_fixtures import (  # noqa: F401
    Exchange,
    dump,
    exchange,
    give_consent,
    new_case,
    pair_keys,
)
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import OwnedByAnotherSite
from whh_desktop.core.services import login, sync, sync_keys
from whh_desktop.core.services.store_setup import create_store
from whh_desktop.core.store.models import (
    AddressEntry,
    Case,
    Contact,
    DocumentContent,
    FlatOffer,
    Handover,
    KduTableVersion,
    Landlord,
    Person,
    RegistryDecision,
    RegistryRequest,
)
from whh_desktop.core.sync import exporter, payload_stream
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.bundle import write_bundle
from whh_desktop.paths import DataPaths


def craft(ex: Exchange, mutate, name: str = "crafted.whhb", *, sequence: int | None = None) -> Path:
    """A correctly signed bundle from the site whose payload was changed before signing (an insider or a bug)."""
    sync._ensure_secret(ex.site, "test")
    with ex.site.read_session() as s:
        plan = exporter.build_site_payload(s, site="loehne", store_id=ex.site.info.store_id, epoch=1, full=True)
    plan.payload["sequence"] = sequence or plan.sequence
    mutate(plan.payload)
    data = write_bundle(pl.encode(plan.payload), kind=pl.SITE_TO_DISTRICT, sequence=sequence or plan.sequence,
                        epoch=1, counts=payload_stream.counts_of(plan.payload), full=True, for_site=None,
                        sender=sync_keys.sender_identity(ex.site), recipients=sync_keys.export_recipients(ex.site),
                        schema_version="0008", app_version="0.1.0")
    path = ex.out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_already_imported_and_replayed_bundles_are_refused(exchange) -> None:  # noqa: F811
    ex = exchange
    new_case(ex.site, ex.site_user, "Erster", kreis_consent=True)
    first = ex.export()
    [ok] = ex.import_district(first)
    assert ok.applied
    before = dump(ex.district)
    [again] = ex.import_district(first)
    assert not again.applied and again.code == "already_imported" and "bereits eingelesen" in again.reason
    # the same export sequence in a new file (new bundle id): a replay
    replay = craft(ex, lambda p: None, sequence=1)
    [rep] = ex.import_district(replay)
    assert not rep.applied and rep.code == "replay" and "Wiederholung" in rep.reason
    assert dump(ex.district) == before
    with ex.district.read_session() as s:
        from whh_desktop.core.store.models import AuditEntry

        actions = [a for a in s.execute(select(AuditEntry.action)).scalars()]
        assert actions.count("sync_import_refused") == 2


def test_records_claiming_another_sites_cases_refuse_the_bundle(exchange) -> None:  # noqa: F811
    ex = exchange
    new_case(ex.site, ex.site_user, "Fremd", kreis_consent=True)

    def claim(p):
        p["entities"]["cases"][0]["owner_site"] = "buende"

    before = dump(ex.district)
    [r] = ex.import_district(craft(ex, claim))
    assert not r.applied and "anderen Standorts" in r.reason and "Bünde" in r.reason
    assert dump(ex.district) == before


@pytest.mark.parametrize("mutation, needle", [
    (lambda p: p["entities"]["cases"][0].__setitem__("cold_rent", "viel"), "keine ganze Zahl"),
    (lambda p: p["entities"]["cases"][0].__setitem__("version", 2**33 + 1), "zu große Zahl"),  # 32-bit columns
    (lambda p: p["entities"]["persons"][0].__setitem__("sex", "unbekannt"), "unbekannter Wert"),
    (lambda p: p["entities"]["cases"][0].__setitem__("hacked", 1), "unbekannte Spalte"),
    (lambda p: p["entities"]["persons"][0].__setitem__("family_name", "x" * 201), "länger als 200"),
    (lambda p: p["entities"].__setitem__("accounts", []), "unbekannte Datenart"),
    (lambda p: p["pseudonyms"][0]["data"].__setitem__("family_name", "Geheim") if p["pseudonyms"][0]["data"]
     else p["pseudonyms"][1]["data"].__setitem__("family_name", "Geheim"), "Statistikfelder"),
    (lambda p: next(e["data"] for e in p["pseudonyms"] if e["data"]).__setitem__("opened_month", "2026-13"),
     "Statistik"),
])
def test_a_wrong_type_or_unknown_enum_refuses_the_bundle(exchange, mutation, needle) -> None:  # noqa: F811
    ex = exchange
    new_case(ex.site, ex.site_user, "Typfehler", kreis_consent=True)
    new_case(ex.site, ex.site_user, "Anonym")
    before = dump(ex.district)
    [r] = ex.import_district(craft(ex, mutation))
    assert not r.applied and needle in r.reason, r.reason
    assert r.code == "payload_invalid"
    assert dump(ex.district) == before


def test_an_older_version_after_a_newer_one_is_skipped_and_reported(exchange) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Versionen", kreis_consent=True)
    old = ex.export()
    with ex.site.session(ex.site_user.username) as s:
        s.get(Case, case_id).housing_note = "neuer Stand"
    new = ex.export()
    [r_new, r_old] = ex.import_district(new, old)
    assert r_new.applied and r_old.applied
    skipped = {(x["entity"], x["id"]) for x in r_old.skipped}
    assert ("cases", str(case_id)) in skipped
    assert all(x["reason"] for x in r_old.skipped)
    with ex.district.read_session() as s:
        case = s.get(Case, case_id)
        assert case.housing_note == "neuer Stand" and case.version == 2


def test_gaps_are_reported_per_site(exchange) -> None:  # noqa: F811
    ex = exchange
    files = []
    for name in ("Eins", "Zwei", "Drei"):
        new_case(ex.site, ex.site_user, name, kreis_consent=True)
        files.append(ex.export())
    ex.import_district(files[0], files[2])
    with ex.district.read_session() as s:
        [status] = sync.site_status(s)
        assert status.messages == ["Export 2 von Löhne fehlt"] and status.last_sequence == 3
        # a child without its parent (contact before case) is listed as dangling until the gap fills
        history = sync.import_history(s)
        assert [h.sequence for h in history] == [3, 1]
    ex.import_district(files[1])
    with ex.district.read_session() as s:
        assert sync.site_status(s)[0].missing == []
        assert sync.dangling_references(s) == []


def test_dangling_reference_listed(exchange) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Kind", kreis_consent=True)

    def only_consent(p):
        p["entities"] = {"consents": p["entities"]["consents"]}

    ex.import_district(craft(ex, only_consent))
    with ex.district.read_session() as s:
        [d] = sync.dangling_references(s)
        assert d.entity == "consents" and d.missing_id == str(case_id)


def test_district_to_site_bundle_applied_and_acknowledged(exchange) -> None:  # noqa: F811
    ex = exchange
    new_case(ex.site, ex.site_user, "Ack", kreis_consent=True)
    with ex.site.session(ex.site_user.username) as s:
        request = RegistryRequest(kind="vermieter_neu", payload={"name": "Wohnbau"}, requested_on=date.today())
        s.add(request)
    ex.import_district(ex.export())
    with ex.district.session(ex.district_user.username) as s:
        landlord = Landlord(kind="unternehmen", name="Wohnbau Löhne", sort_key="wohnbau lohne")
        s.add(landlord)
        s.flush()
        s.add(FlatOffer(landlord_id=landlord.id, street="Lindenweg 3", municipality="Löhne", floor_space_m2=48.5,
                        rooms=2, cold_rent=38000, utilities=9000, gross_rent=47000))
        s.add(KduTableVersion(label="KdU 2027", valid_from=date(2027, 1, 1), data={"x": 1}))
        s.add(AddressEntry(kind="jobcenter", name="Jobcenter Herford", sort_key="jobcenter herford"))
        s.add(RegistryDecision(request_id=request.id, decision="angenommen", result_id=landlord.id,
                               decided_on=date.today()))
    [to_loehne] = [r for r in ex.export_sites() if r.site == "loehne"]
    assert to_loehne.path.name == "Kreis-an-LOE-000001.whhb"
    [report] = ex.import_site(to_loehne.path)
    assert report.applied, report.reason
    with ex.site.read_session() as s:
        assert s.get(Landlord, landlord.id).name == "Wohnbau Löhne"
        assert s.execute(select(FlatOffer).where(FlatOffer.street == "Lindenweg 3")).scalar_one().owner_site == "kreis"
        assert s.execute(select(KduTableVersion).where(KduTableVersion.label == "KdU 2027")).scalar_one()
        assert s.execute(select(AddressEntry).where(AddressEntry.name == "Jobcenter Herford")).scalar_one()
        assert s.execute(select(RegistryDecision)).scalar_one().request_id == request.id
        ack = sync.district_ack(s)
        assert ack.message == "Kreis hat Stand bis Export 1"
    # the next district bundle carries only what changed
    [again] = [r for r in ex.export_sites() if r.site == "loehne"]
    assert again.sequence == 2 and "landlords" not in again.counts


def test_district_bundle_for_another_site_is_refused(exchange, tmp_path) -> None:  # noqa: F811
    ex = exchange
    with ex.district.read_session() as s:
        plan = exporter.build_district_payload(s, site="loehne", store_id=ex.district.info.store_id, epoch=1)
    plan.payload["for_site"] = "buende"
    data = write_bundle(pl.dumps(plan.payload), kind=pl.DISTRICT_TO_SITE, sequence=1, epoch=1, counts={},
                        full=True, for_site="loehne", sender=sync_keys.sender_identity(ex.district),
                        recipients=sync_keys.recipients_for_site(ex.district, "loehne"), schema_version="0008",
                        app_version="0.1.0")
    path = tmp_path / "x.whhb"
    path.write_bytes(data)
    before = dump(ex.site)
    [r] = ex.import_site(path)
    assert not r.applied and "anderen Standort" in r.reason
    assert dump(ex.site) == before


def _second_site(tmp_path: Path, district) -> tuple:
    paths = DataPaths(tmp_path / "buende")
    create_store(paths, make_request(SiteCode.BUENDE))
    store, admin = login.unlock(paths, ADMIN, ADMIN_PASSWORD)
    pair_keys(store, district)
    return store, admin


def test_handover_changes_the_owner_and_leaves_a_read_only_stub(exchange, tmp_path) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Umzug", kreis_consent=True)
    with ex.site.session(ex.site_user.username) as s:
        from whh_desktop.core.store.models import Document

        doc = Document(case_id=case_id, title="Mietvertrag", kind="scan", mime="application/pdf", size=4,
                       sha256="0" * 64)
        s.add(doc)
        s.flush()
        s.add(DocumentContent(document_id=doc.id, data=b"%PDF"))
    ex.import_district(ex.export())
    buende, buende_admin = _second_site(tmp_path, ex.district)
    try:
        sync.handover_case(ex.site, ex.site_user, case_id, "buende")
        [r] = ex.import_district(ex.export())
        assert r.applied and r.counts.get("handovers") == 1, r
        with ex.district.read_session() as s:
            assert s.get(Case, case_id).owner_site == "buende"
        results = {x.site: x for x in ex.export_sites()}
        [rb] = sync.import_bundles(buende, buende_admin, [results["buende"].path], backup=False)
        assert rb.applied, rb.reason
        with buende.read_session() as s:
            case = s.get(Case, case_id)
            assert case.owner_site == "buende" and s.get(Person, case.person_id).family_name == "Umzug"
            assert s.get(DocumentContent, doc.id).data == b"%PDF"
        [rl] = ex.import_site(results["loehne"].path)
        assert rl.applied, rl.reason
        with ex.site.read_session() as s:
            stub = s.get(Handover, case_id)
            assert stub.state == "done" and stub.to_site == "buende"
            assert s.get(Case, case_id).owner_site == "buende"
        with pytest.raises(OwnedByAnotherSite, match="Beratungsstelle Bünde"), \
                ex.site.session(ex.site_user.username) as s:
            s.get(Case, case_id).housing_note = "darf nicht"
        # the new owner's changes reach the district; the old site's export no longer carries the case
        assert "cases" not in sync.preview_export(ex.site)
    finally:
        buende.close()


def test_handover_needs_consent(exchange) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Ohne")
    from whh_desktop.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="Einwilligung"):
        sync.handover_case(ex.site, ex.site_user, case_id, "buende")


def test_contact_change_goes_out_incrementally(exchange) -> None:  # noqa: F811
    ex = exchange
    case_id = new_case(ex.site, ex.site_user, "Kontakt", kreis_consent=True)
    ex.import_district(ex.export())
    with ex.site.session(ex.site_user.username) as s:
        s.add(Contact(case_id=case_id, on=date.today(), minutes=30, kind="buero", bausteine=["2"],
                      counsellor=ex.site_user.username))
    assert sync.preview_export(ex.site) == {"contacts": 1, "identified": 1}
    [r] = ex.import_district(ex.export())
    assert r.counts.get("contacts") == 1
    shutil.rmtree(ex.out / "nothing", ignore_errors=True)


def test_one_backup_before_the_import_and_a_failed_backup_imports_nothing(exchange, monkeypatch) -> None:  # noqa: F811
    from whh_desktop.core.errors import WhhError
    from whh_desktop.core.services import backups

    ex = exchange
    new_case(ex.site, ex.site_user, "Kowalski", kreis_consent=True)
    bundle = ex.export()
    before = len(backups.list_backups(ex.district.paths))
    reports = sync.import_bundles(ex.district, ex.district_user, [bundle, bundle])
    assert [r.applied for r in reports] == [True, False]
    made = backups.list_backups(ex.district.paths)
    assert len(made) == before + 1 and made[0].reason == "import"

    other = ex.export(full=True)

    def disk_full(*_args, **_kwargs):
        raise WhhError("Auf dem Datenträger ist kein Platz mehr frei.")

    monkeypatch.setattr(sync, "create_backup", disk_full)
    with pytest.raises(WhhError, match="kein Platz"):
        sync.import_bundles(ex.district, ex.district_user, [other])
    with ex.district.read_session() as s:
        assert len(sync.import_history(s)) == 1  # the second export was not read without its backup
