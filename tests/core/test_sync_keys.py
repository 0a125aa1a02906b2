"""Sync keys in real stores: created at setup, exchanged with a confirmed fingerprint, replaced, revoked, and the
district escrow key that reads a site's export when everything else is lost (recovery drill)."""

from __future__ import annotations

import base64
import json
import re
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import ADMIN, ADMIN_PASSWORD, COUNSELLOR, COUNSELLOR_PASSWORD, make_request
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import InvalidInput, NotFound, PermissionDenied, WhhError
from whh_desktop.core.services import login
from whh_desktop.core.services import sync_keys as sk
from whh_desktop.core.services.store_setup import create_store
from whh_desktop.core.store.models import Setting
from whh_desktop.core.store.models.journal import AuditEntry
from whh_desktop.core.sync import bundle, crypto
from whh_desktop.core.sync.errors import BundleRefused
from whh_desktop.paths import DataPaths

FP = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){7}")


@pytest.fixture(scope="session")
def _district_keys_template(tmp_path_factory: pytest.TempPathFactory) -> DataPaths:
    paths = DataPaths(tmp_path_factory.mktemp("sync-district-template") / "data")
    create_store(paths, make_request(SiteCode.KREIS))
    return paths


@pytest.fixture(params=["sqlite", "postgresql"])
def district(request: pytest.FixtureRequest, tmp_path: Path):
    """The district's admin, on both backends (the PostgreSQL store keeps its sync keys sealed in the database)."""
    if request.param == "sqlite":
        target = tmp_path / "district"
        shutil.copytree(request.getfixturevalue("_district_keys_template").root, target)
        paths = DataPaths(target)
    else:
        paths = request.getfixturevalue("district_pg_paths")
    store, user = login.unlock(paths, ADMIN, ADMIN_PASSWORD)
    yield store, user
    store.close()


@pytest.fixture
def exchanged(unlocked, district):
    """Löhne and the district with escrow created and both public keys imported and confirmed."""
    site, site_admin = unlocked
    kreis, kreis_admin = district
    escrow_file, _ = sk.create_escrow(kreis, kreis_admin)
    district_file = sk.public_key_file(kreis)
    sk.import_public_key(site, site_admin, district_file, sk.fingerprint(district_file))
    site_file = sk.public_key_file(site)
    sk.import_public_key(kreis, kreis_admin, site_file, sk.fingerprint(site_file))
    return site, site_admin, kreis, kreis_admin, escrow_file


def export(site, payload: bytes = b'{"cases": []}', sequence: int = 1) -> bytes:
    return bundle.write_bundle(payload, kind="site_to_district", sequence=sequence, epoch=1, counts={"cases": 0},
                               full=True, for_site=None, sender=sk.sender_identity(site),
                               recipients=sk.export_recipients(site), schema_version="0007", app_version="test")


def audit_actions(store) -> list[tuple[str, str | None]]:
    with store.read_session() as s:
        return [(e.action, e.object_id) for e in s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def settings_dump(store) -> str:
    with store.read_session() as s:
        return json.dumps({r.key: r.value for r in s.execute(select(Setting)).scalars()}, sort_keys=True)


# ---- own keys ---------------------------------------------------------------------------------------------
def test_keys_are_created_at_setup(unlocked) -> None:
    store, _ = unlocked
    key_id = sk.own_key_id(store)
    assert re.fullmatch(r"[0-9a-f]{16}", key_id)
    assert ("sync_keys_created", key_id) in audit_actions(store)
    sender = sk.sender_identity(store)
    assert (sender.site, sender.store_id, sender.key_id) == ("loehne", store.info.store_id, key_id)
    assert sk.receiver_identity(store).key_ids == (key_id,)


def test_keys_are_created_lazily_for_older_stores(unlocked) -> None:
    store, _ = unlocked
    with store.session(ADMIN) as s:
        s.delete(s.get(Setting, sk.OWN_KEY))
    first = sk.public_key_file(store)  # creates them
    new_id = json.loads(first)["key_id"]
    assert sk.public_key_file(store) == first  # and only once
    assert ("sync_keys_created", new_id) in audit_actions(store)


def test_public_key_file_holds_no_private_key(unlocked) -> None:
    store, _ = unlocked
    data = sk.public_key_file(store)
    body = json.loads(data)
    assert set(body) == {"format", "version", "site", "store_id", "role", "key_id", "created", "suite", "ed25519",
                         "hpke", "escrow"}
    assert body["role"] == "site" and body["site"] == "loehne" and body["escrow"] is None
    with store.read_session() as s:
        own = s.get(Setting, sk.OWN_KEY).value["current"]
    assert own["ed25519_private"] not in data.decode() and own["hpke_private"] not in data.decode()


def test_fingerprint_groups_and_stability(unlocked) -> None:
    store, _ = unlocked
    data = sk.public_key_file(store)
    fp = sk.fingerprint(data)
    assert FP.fullmatch(fp)
    assert sk.fingerprint(json.dumps(json.loads(data)).encode()) == fp  # formatting does not matter
    changed = json.loads(data)
    changed["site"] = "vlotho"
    assert sk.fingerprint(json.dumps(changed).encode()) != fp
    assert sk.normalise_fingerprint(fp.lower().replace("-", " ")) == sk.normalise_fingerprint(fp)


def test_fingerprint_of_garbage_is_a_german_error() -> None:
    for data in (b"", b"{}", b"not json", b'{"format": "whh-public-key"}', bytes(100_000)):
        with pytest.raises(InvalidInput, match="Schlüsseldatei"):
            sk.fingerprint(data)


# ---- exchange and trust -----------------------------------------------------------------------------------
def test_exchange_and_round_trip_both_ways(exchanged) -> None:
    site, _, kreis, _, _ = exchanged
    data = export(site)
    header, payload = bundle.open_bundle(data, sk.receiver_identity(kreis), sk.trust_list(kreis))
    assert payload == b'{"cases": []}' and header.sender_site == "loehne"
    recipients = sk.export_recipients(site)
    assert [r.role for r in recipients] == ["district", "escrow"]

    back = bundle.write_bundle(b"registry", kind="district_to_site", sequence=1, epoch=1, counts={}, full=True,
                               for_site="loehne", sender=sk.sender_identity(kreis),
                               recipients=sk.recipients_for_site(kreis, "loehne"), schema_version="0007",
                               app_version="test")
    assert bundle.open_bundle(back, sk.receiver_identity(site), sk.trust_list(site))[1] == b"registry"
    with pytest.raises(WhhError, match="Vlotho"):
        sk.recipients_for_site(kreis, "vlotho")
    assert [r.site for r in sk.export_recipients(kreis)] == ["loehne"]


def test_import_is_audited_and_listed(exchanged) -> None:
    site, _, kreis, _, _ = exchanged
    site_id = sk.own_key_id(site)
    assert ("sync_key_imported", site_id) in audit_actions(kreis)
    [info] = sk.list_keys(kreis)[1:]  # the escrow entry comes first
    assert info.key_id == site_id and info.active and info.imported_by == ADMIN and FP.fullmatch(info.fingerprint)
    roles = sorted(k.role for k in sk.list_keys(site))
    assert roles == ["district", "escrow"]


def test_fingerprint_mismatch_is_refused(unlocked, district) -> None:
    site, site_admin = unlocked
    kreis, kreis_admin = district
    sk.create_escrow(kreis, kreis_admin)
    district_file = sk.public_key_file(kreis)
    before = settings_dump(site)
    wrong = sk.fingerprint(sk.public_key_file(site))
    with pytest.raises(InvalidInput, match="Fingerabdruck stimmt nicht"):
        sk.import_public_key(site, site_admin, district_file, wrong)
    with pytest.raises(InvalidInput, match="Fingerabdruck"):
        sk.import_public_key(site, site_admin, district_file, "")
    assert settings_dump(site) == before
    assert sk.trust_list(site).senders == {}
    assert ("sync_key_refused", json.loads(district_file)["key_id"]) in audit_actions(site)
    with pytest.raises(WhhError, match="noch nicht eingelesen"):
        sk.export_recipients(site)


def test_a_manipulated_key_file_changes_its_fingerprint(unlocked, district) -> None:
    """Someone swaps the HPKE key in transit: the fingerprint read out on the phone no longer matches."""
    site, site_admin = unlocked
    kreis, _ = district
    original = sk.public_key_file(kreis)
    attacker = json.loads(sk.public_key_file(site))
    forged = json.loads(original)
    forged.update(hpke=attacker["hpke"], ed25519=attacker["ed25519"], key_id=attacker["key_id"])
    forged_file = json.dumps(forged).encode()
    with pytest.raises(InvalidInput, match="Fingerabdruck"):
        sk.import_public_key(site, site_admin, forged_file, sk.fingerprint(original))
    forged["key_id"] = "0" * 16  # a key id that does not match its keys is no key file at all
    with pytest.raises(InvalidInput, match="keine gültige Schlüsseldatei"):
        sk.fingerprint(json.dumps(forged).encode())


def test_wrong_kind_of_key_file_is_refused(unlocked, district) -> None:
    site, site_admin = unlocked
    kreis, kreis_admin = district
    own = sk.public_key_file(site)
    with pytest.raises(InvalidInput, match="dieses Datenbestands selbst"):
        sk.import_public_key(site, site_admin, own, sk.fingerprint(own))
    district_file = sk.public_key_file(kreis)
    with pytest.raises(InvalidInput, match="dieses Datenbestands selbst"):
        sk.import_public_key(kreis, kreis_admin, district_file, sk.fingerprint(district_file))
    other_district = foreign_key_file("kreis", "district")
    with pytest.raises(InvalidInput, match="nur Schlüsseldateien der Standorte"):
        sk.import_public_key(kreis, kreis_admin, other_district, sk.fingerprint(other_district))
    vlotho = foreign_key_file("vlotho", "site")
    with pytest.raises(InvalidInput, match="nur die Schlüsseldatei des Kreises"):
        sk.import_public_key(site, site_admin, vlotho, sk.fingerprint(vlotho))
    assert sk.list_keys(site) == [] and sk.list_keys(kreis) == []


def foreign_key_file(site: str, role: str) -> bytes:
    """A valid public key file of another store, made from fresh keys."""
    _, ed = crypto.new_signing_keypair()
    _, hp = crypto.new_hpke_keypair()
    return json.dumps({"format": "whh-public-key", "version": 1, "site": site, "store_id": str(uuid.uuid4()),
                       "role": role, "key_id": crypto.key_id(ed, hp), "created": "2026-11-01T09:00:00+00:00",
                       "suite": crypto.SUITE_NAME, "ed25519": base64.b64encode(ed).decode(),
                       "hpke": base64.b64encode(hp).decode(), "escrow": None}).encode()


def test_only_admins_manage_keys(site_paths: DataPaths, district) -> None:
    kreis, _ = district
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    try:
        data = sk.public_key_file(kreis)
        admins_only = r"^Schlüssel austauschen, ersetzen und widerrufen dürfen nur Admin-Konten\.$"
        with pytest.raises(PermissionDenied, match=admins_only):
            sk.import_public_key(store, user, data, sk.fingerprint(data))
        with pytest.raises(PermissionDenied, match=admins_only):
            sk.revoke(store, user, "0" * 16, "Test")
        with pytest.raises(PermissionDenied, match=admins_only):
            sk.replace_own_keys(store, user)
    finally:
        store.close()


# ---- replacement and revocation ---------------------------------------------------------------------------
def test_key_replacement_is_recorded_and_the_old_key_refused(exchanged) -> None:
    site, site_admin, kreis, kreis_admin, _ = exchanged
    old_id = sk.own_key_id(site)
    old_file = sk.public_key_file(site)
    old_bundle = export(site, sequence=1)  # signed with the old key, not yet imported

    new_id = sk.replace_own_keys(site, site_admin)  # new laptop
    assert new_id != old_id and sk.own_key_id(site) == new_id
    assert ("sync_own_keys_replaced", new_id) in audit_actions(site)
    new_file = sk.public_key_file(site)
    sk.import_public_key(kreis, kreis_admin, new_file, sk.fingerprint(new_file))

    keys = {k.key_id: k for k in sk.list_keys(kreis)}
    assert not keys[old_id].active and keys[old_id].replaced_by == new_id
    assert keys[old_id].revoked_reason == f"ersetzt durch {new_id}"
    assert keys[new_id].active
    actions = audit_actions(kreis)
    assert ("sync_key_replaced", old_id) in actions and ("sync_key_imported", new_id) in actions

    with pytest.raises(BundleRefused) as info:
        bundle.open_bundle(old_bundle, sk.receiver_identity(kreis), sk.trust_list(kreis))
    assert info.value.code == "revoked_sender"
    header, _ = bundle.open_bundle(export(site, sequence=2), sk.receiver_identity(kreis), sk.trust_list(kreis))
    assert header.sender_key_id == new_id
    assert [r.key_id for r in sk.export_recipients(kreis)] == [new_id]

    with pytest.raises(InvalidInput, match="widerrufen"):  # the old key cannot come back
        sk.import_public_key(kreis, kreis_admin, old_file, sk.fingerprint(old_file))


def test_retired_own_key_still_opens_bundles_under_way(exchanged) -> None:
    site, site_admin, kreis, _, _ = exchanged
    under_way = bundle.write_bundle(b"x", kind="district_to_site", sequence=1, epoch=1, counts={}, full=True,
                                    for_site="loehne", sender=sk.sender_identity(kreis),
                                    recipients=sk.recipients_for_site(kreis, "loehne"), schema_version="0007",
                                    app_version="test")
    sk.replace_own_keys(site, site_admin)
    assert bundle.open_bundle(under_way, sk.receiver_identity(site), sk.trust_list(site))[1] == b"x"


def test_revoked_key_is_refused_and_not_sealed_to(exchanged) -> None:
    site, _, kreis, kreis_admin, _ = exchanged
    site_id = sk.own_key_id(site)
    data = export(site)
    with pytest.raises(InvalidInput, match="Grund"):
        sk.revoke(kreis, kreis_admin, site_id, "  ")
    sk.revoke(kreis, kreis_admin, site_id, "Laptop gestohlen")
    assert ("sync_key_revoked", site_id) in audit_actions(kreis)
    with pytest.raises(BundleRefused) as info:
        bundle.open_bundle(data, sk.receiver_identity(kreis), sk.trust_list(kreis))
    assert info.value.code == "revoked_sender"
    with pytest.raises(WhhError, match="noch kein Schlüssel"):
        sk.recipients_for_site(kreis, "loehne")
    with pytest.raises(NotFound, match="Unbekannter Schlüssel"):
        sk.revoke(kreis, kreis_admin, "f" * 16, "Test")


def test_district_replacing_its_key_reaches_the_site(exchanged, tmp_path: Path) -> None:
    site, site_admin, kreis, kreis_admin, _ = exchanged
    old_district = sk.own_key_id(kreis)
    sk.replace_own_keys(kreis, kreis_admin)
    data = sk.public_key_file(kreis)
    sk.import_public_key(site, site_admin, data, sk.fingerprint(data))
    recipients = sk.export_recipients(site)
    assert recipients[0].key_id == sk.own_key_id(kreis) != old_district
    assert bundle.open_bundle(export(site), sk.receiver_identity(kreis), sk.trust_list(kreis))[1]


# ---- escrow -----------------------------------------------------------------------------------------------
def test_recovery_drill_escrow_file_alone(exchanged) -> None:
    """A site store whose admin lost the password: its exported bundles still open with the escrow file —
    with the district's trust list, and even with nothing but the site's public key file."""
    site, _, kreis, _, escrow_file = exchanged
    site_public = sk.public_key_file(site)
    data = export(site, b'{"cases": ["LOE-2026-0001"]}')
    site.close()  # the site is gone

    escrow = sk.escrow_identity(escrow_file)
    assert escrow.role == "escrow" and escrow.key_ids[0] not in sk.receiver_identity(kreis).key_ids
    _, payload = bundle.open_bundle(data, escrow, sk.trust_list(kreis))
    assert payload == b'{"cases": ["LOE-2026-0001"]}'
    _, payload = bundle.open_bundle(data, escrow, sk.trust_from_public_files([site_public]))
    assert payload == b'{"cases": ["LOE-2026-0001"]}'


def test_escrow_private_key_is_never_stored(unlocked, district) -> None:
    site, site_admin = unlocked
    kreis, kreis_admin = district
    escrow_file, fp = sk.create_escrow(kreis, kreis_admin)
    body = json.loads(escrow_file)
    assert FP.fullmatch(fp) and body["fingerprint"] == fp
    assert body["hpke_private"] not in settings_dump(kreis)
    assert ("sync_escrow_created", body["key_id"]) in audit_actions(kreis)
    district_file = json.loads(sk.public_key_file(kreis))
    assert district_file["escrow"]["key_id"] == body["key_id"]
    assert "hpke_private" not in json.dumps(district_file)
    with pytest.raises(PermissionDenied, match=r"^Nur der Kreis erzeugt den Escrow-Schlüssel\.$"):
        sk.create_escrow(site, site_admin)


def test_site_needs_the_escrow_key_before_exporting(unlocked, district) -> None:
    site, site_admin = unlocked
    kreis, _ = district
    data = sk.public_key_file(kreis)  # no escrow key yet
    sk.import_public_key(site, site_admin, data, sk.fingerprint(data))
    with pytest.raises(WhhError, match="Escrow"):
        sk.export_recipients(site)


def test_new_escrow_key_replaces_the_old_one_at_the_site(exchanged) -> None:
    site, site_admin, kreis, kreis_admin, old_escrow_file = exchanged
    new_escrow_file, _ = sk.create_escrow(kreis, kreis_admin)
    data = sk.public_key_file(kreis)
    sk.import_public_key(site, site_admin, data, sk.fingerprint(data))
    new_id = json.loads(new_escrow_file)["key_id"]
    old_id = json.loads(old_escrow_file)["key_id"]
    assert sk.export_recipients(site)[1].key_id == new_id
    assert ("sync_key_replaced", old_id) in audit_actions(site)
    fresh = export(site)
    assert bundle.open_bundle(fresh, sk.escrow_identity(new_escrow_file), sk.trust_list(kreis))[1]
    with pytest.raises(BundleRefused) as info:
        bundle.open_bundle(fresh, sk.escrow_identity(old_escrow_file), sk.trust_list(kreis))
    assert info.value.code == "not_for_us"


def test_damaged_escrow_file_is_a_german_error(exchanged) -> None:
    *_, escrow_file = exchanged
    body = json.loads(escrow_file)
    body["hpke_public"] = json.loads(sk.public_key_file(exchanged[0]))["hpke"]
    for data in (b"", b"{}", json.dumps(body).encode(), escrow_file[:-40]):
        with pytest.raises(InvalidInput, match="Escrow-Schlüsseldatei"):
            sk.escrow_identity(data)


# ---- escrow sheet and command line ------------------------------------------------------------------------
def test_escrow_sheet_names_the_key_without_the_secret(district) -> None:
    from datetime import UTC, datetime

    from pypdf import PdfReader

    from tests.conftest import LETTERHEAD

    kreis, kreis_admin = district
    escrow_file, fp = sk.create_escrow(kreis, kreis_admin)
    pdf = sk.escrow_sheet(escrow_file, LETTERHEAD, datetime(2026, 11, 20, 9, tzinfo=UTC))
    reader = PdfReader(__import__("io").BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Escrow-Schlüssel" in text and json.loads(escrow_file)["key_id"] in text
    for group in fp.split("-"):
        assert group in text
    assert json.loads(escrow_file)["hpke_private"][:12] not in text


def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_dir: Path,
            *args: str) -> tuple[int, str, str]:
    from whh_desktop import cli

    monkeypatch.setenv("WHH_PASSWORD", ADMIN_PASSWORD)
    monkeypatch.setenv("WHH_USER", ADMIN)
    code = cli.main(["--data-dir", str(data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_key_exchange_and_inspect(site_paths: DataPaths, _district_keys_template: DataPaths, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    kreis_dir = tmp_path / "kreis"
    shutil.copytree(_district_keys_template.root, kreis_dir)
    site_dir = site_paths.root

    code, out, err = run_cli(monkeypatch, capsys, kreis_dir, "keys", "escrow", "-o", str(tmp_path / "escrow.key"),
                             "--pdf", str(tmp_path / "escrow.pdf"), "--json")
    assert code == 0, err
    assert FP.fullmatch(json.loads(out)["fingerprint"]) and (tmp_path / "escrow.pdf").read_bytes()[:5] == b"%PDF-"
    code, _, err = run_cli(monkeypatch, capsys, kreis_dir, "keys", "escrow", "-o", str(tmp_path / "escrow.key"))
    assert code == 1 and "nicht überschrieben" in err

    code, out, err = run_cli(monkeypatch, capsys, kreis_dir, "keys", "export", "-o", str(tmp_path / "kreis.whhkey"),
                             "--json")
    assert code == 0, err
    kreis_fp = json.loads(out)["fingerprint"]
    assert json.loads(out)["escrow"] is True
    code, out, _ = run_cli(monkeypatch, capsys, kreis_dir, "keys", "fingerprint")
    assert code == 0 and kreis_fp in out
    code, out, _ = run_cli(monkeypatch, capsys, site_dir, "keys", "fingerprint", str(tmp_path / "kreis.whhkey"))
    assert code == 0 and kreis_fp in out

    code, _, err = run_cli(monkeypatch, capsys, site_dir, "keys", "import", str(tmp_path / "kreis.whhkey"))
    assert code == 1 and kreis_fp in err and "NICHT übernommen" in err
    code, _, err = run_cli(monkeypatch, capsys, site_dir, "keys", "import", str(tmp_path / "kreis.whhkey"),
                           "--bestaetigt", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    assert code == 1 and "stimmt nicht" in err
    code, out, err = run_cli(monkeypatch, capsys, site_dir, "keys", "import", str(tmp_path / "kreis.whhkey"),
                             "--bestaetigt", kreis_fp.lower(), "--json")
    assert code == 0, err
    assert json.loads(out)["role"] == "district"
    code, out, _ = run_cli(monkeypatch, capsys, site_dir, "keys", "liste", "--json")
    assert sorted(k["role"] for k in json.loads(out)) == ["district", "escrow"]

    store, _ = login.unlock(site_paths, ADMIN, ADMIN_PASSWORD)
    try:
        data = export(store)
    finally:
        store.close()
    (tmp_path / "loehne-1.whhb").write_bytes(data)
    code, out, err = run_cli(monkeypatch, capsys, site_dir, "bundle", "inspect", str(tmp_path / "loehne-1.whhb"),
                             "--json")
    assert code == 0, err
    header = json.loads(out)
    assert header["sender_site"] == "loehne" and header["sequence"] == 1 and header["geprueft"] is False
    code, out, _ = run_cli(monkeypatch, capsys, site_dir, "bundle", "inspect", str(tmp_path / "loehne-1.whhb"))
    assert code == 0 and "Löhne" in out and "NICHT geprüft" in out
    (tmp_path / "cut.whhb").write_bytes(data[:100])
    code, _, err = run_cli(monkeypatch, capsys, site_dir, "bundle", "inspect", str(tmp_path / "cut.whhb"))
    assert code == 1 and "unvollständig" in err
    (tmp_path / "empty.whhb").write_bytes(b"")
    code, _, err = run_cli(monkeypatch, capsys, site_dir, "bundle", "inspect", str(tmp_path / "empty.whhb"))
    assert code == 1 and "leer" in err
