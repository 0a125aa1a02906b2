"""The .whhb bundle format: every fault and attack is refused with its German reason and code (issue 05).

Real key pairs throughout (hybrid HPKE, Ed25519); no store needed, so these run in milliseconds.
"""

from __future__ import annotations

import inspect
import json
import struct
import uuid
import zlib
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.sync import bundle, crypto
from whh_desktop.core.sync.bundle import (
    MAGIC,
    MAX_HEADER,
    MAX_PAYLOAD,
    ReceiverIdentity,
    RecipientKey,
    SenderIdentity,
    TrustedSender,
    TrustList,
    open_bundle,
    read_header,
    write_bundle,
)
from whh_desktop.core.sync.errors import BundleRefused

PAYLOAD = json.dumps({"cases": [{"id": str(uuid.UUID(int=i)), "n": i} for i in range(200)]}).encode()


@dataclass(frozen=True)
class Party:
    sender: SenderIdentity
    trusted: TrustedSender
    receiver: ReceiverIdentity
    recipient: RecipientKey


def make_party(site: str, role: str) -> Party:
    sign_private, sign_public = crypto.new_signing_keypair()
    hpke_private, hpke_public = crypto.new_hpke_keypair()
    kid = crypto.key_id(sign_public, hpke_public)
    store_id = str(uuid.uuid4())
    return Party(SenderIdentity(site, store_id, kid, sign_private),
                 TrustedSender(kid, site, store_id, sign_public),
                 ReceiverIdentity(site, role, ((kid, hpke_private),)),
                 RecipientKey(kid, site, hpke_public, role))


def make_escrow() -> tuple[ReceiverIdentity, RecipientKey]:
    private, public = crypto.new_hpke_keypair()
    kid = crypto.key_id(public)
    return ReceiverIdentity("kreis", "escrow", ((kid, private),)), RecipientKey(kid, "kreis", public, "escrow")


@dataclass(frozen=True)
class World:
    loehne: Party
    buende: Party
    district: Party
    other_district: Party
    escrow: ReceiverIdentity
    escrow_key: RecipientKey

    @property
    def district_trust(self) -> TrustList:
        return TrustList({p.trusted.key_id: p.trusted for p in (self.loehne, self.buende)})

    @property
    def site_trust(self) -> TrustList:
        return TrustList({self.district.trusted.key_id: self.district.trusted})


@pytest.fixture(scope="module")
def world() -> World:
    escrow, escrow_key = make_escrow()
    return World(make_party("loehne", "site"), make_party("buende", "site"), make_party("kreis", "district"),
                 make_party("kreis", "district"), escrow, escrow_key)


def site_bundle(world: World, payload: bytes = PAYLOAD, sender: Party | None = None,
                recipients: list[RecipientKey] | None = None, **overrides) -> bytes:
    args = dict(kind="site_to_district", sequence=42, epoch=1, counts={"cases": 200}, full=False, for_site=None,
                sender=(sender or world.loehne).sender,
                recipients=recipients or [world.district.recipient, world.escrow_key],
                schema_version="0007", app_version="0.5.0")
    args.update(overrides)
    return write_bundle(payload, **args)


@pytest.fixture(scope="module")
def good(world: World) -> bytes:
    return site_bundle(world)


def refused(data: bytes, world: World, me: ReceiverIdentity | None = None, trust: TrustList | None = None,
            **kw) -> BundleRefused:
    with pytest.raises(BundleRefused) as info:
        open_bundle(data, me or world.district.receiver, trust or world.district_trust, **kw)
    assert str(info.value)  # a German sentence for the user
    return info.value


def layout(data: bytes) -> dict[str, int]:
    """Offsets of the parts of a bundle (for aiming flips and cuts)."""
    (header_len,) = struct.unpack_from(">I", data, 4)
    pos = 8 + header_len
    count = data[pos]
    recipients = pos
    pos += 1
    first_sealed = pos + 10
    pos += count * (10 + crypto.SEALED_KEY_BYTES)
    nonce = pos
    ct_len = nonce + 12
    ct = ct_len + 8
    sig = len(data) - 64
    return {"magic": 0, "header_length_high": 4, "header_length_low": 7, "header_first": 8,
            "header_middle": 8 + header_len // 2, "header_last": 8 + header_len - 1, "recipient_count": recipients,
            "recipient_key_id": recipients + 1, "sealed_length": recipients + 9, "sealed_first": first_sealed,
            "sealed_last": first_sealed + crypto.SEALED_KEY_BYTES - 1, "second_sealed": first_sealed + 10 +
            crypto.SEALED_KEY_BYTES + 100, "nonce_first": nonce, "nonce_last": nonce + 11,
            "ciphertext_length": ct_len + 7, "ciphertext_first": ct, "ciphertext_middle": (ct + sig) // 2,
            "gcm_tag_last": sig - 1, "signature_first": sig, "signature_last": len(data) - 1}


def flip(data: bytes, pos: int, mask: int = 0x01) -> bytes:
    return data[:pos] + bytes([data[pos] ^ mask]) + data[pos + 1:]


def with_header(data: bytes, change) -> bytes:
    """Re-encode the header after ``change(dict)``; the signature is then stale, but header checks come first."""
    (header_len,) = struct.unpack_from(">I", data, 4)
    body = json.loads(data[8:8 + header_len])
    change(body)
    raw = json.dumps(body).encode()
    return MAGIC + struct.pack(">I", len(raw)) + raw + data[8 + header_len:]


# ---- the good path ----------------------------------------------------------------------------------------
def test_round_trip_site_to_district(world: World, good: bytes) -> None:
    header, payload = open_bundle(good, world.district.receiver, world.district_trust)
    assert payload == PAYLOAD
    assert header.sender_site == "loehne" and header.sequence == 42 and header.kind == "site_to_district"
    assert header.recipient_key_ids == (world.district.recipient.key_id, world.escrow_key.key_id)
    assert header.suite == "HPKE(MLKEM768-X25519, HKDF-SHA256, AES-256-GCM)"
    assert PAYLOAD not in good and b"cases\":[" not in good  # encrypted (and compressed)


def test_escrow_alone_opens_a_site_export(world: World, good: bytes) -> None:
    _, payload = open_bundle(good, world.escrow, world.district_trust)
    assert payload == PAYLOAD


def test_district_to_site_bundle_for_one_site(world: World) -> None:
    data = write_bundle(b"registry", kind="district_to_site", sequence=3, epoch=1, counts={"landlords": 1},
                        full=True, for_site="loehne", sender=world.district.sender,
                        recipients=[world.loehne.recipient], schema_version="0007", app_version="0.5.0")
    header, payload = open_bundle(data, world.loehne.receiver, world.site_trust)
    assert payload == b"registry" and header.for_site == "loehne"
    # Bünde is no recipient, and would not be addressed anyway
    assert refused(data, world, world.buende.receiver, world.site_trust).code == "not_for_us"


def test_read_header_needs_no_keys(good: bytes) -> None:
    header = read_header(good)
    assert header.as_dict()["counts"] == {"cases": 200}
    assert header.created_at.endswith("+00:00")
    json.dumps(header.as_dict())  # serialisable for `whh bundle inspect --json`


def test_empty_payload_round_trips(world: World) -> None:
    data = site_bundle(world, payload=b"")
    assert open_bundle(data, world.district.receiver, world.district_trust)[1] == b""


# ---- flipped bytes ----------------------------------------------------------------------------------------
POSITIONS = ["magic", "header_length_high", "header_length_low", "header_first", "header_middle", "header_last",
             "recipient_count", "recipient_key_id", "sealed_length", "sealed_first", "sealed_last",
             "second_sealed", "nonce_first", "nonce_last", "ciphertext_length", "ciphertext_first",
             "ciphertext_middle", "gcm_tag_last", "signature_first", "signature_last"]


@pytest.mark.parametrize("where", POSITIONS)
@pytest.mark.parametrize("mask", [0x01, 0x80, 0xFF])
def test_flipped_byte_is_refused(world: World, good: bytes, where: str, mask: int) -> None:
    pos = layout(good)[where]
    err = refused(flip(good, pos, mask), world)
    if where.startswith(("nonce", "ciphertext_first", "ciphertext_middle", "gcm", "signature", "sealed_first",
                         "sealed_last", "second_sealed")):
        assert err.code == "bad_signature"  # nothing is decrypted before the signature holds
    if where == "magic":
        assert err.code == "not_a_bundle"


def test_every_single_byte_flip_is_refused(world: World, good: bytes) -> None:
    for pos in range(len(good)):
        with pytest.raises(BundleRefused):
            open_bundle(flip(good, pos), world.district.receiver, world.district_trust)


@given(data=st.data())
def test_any_single_byte_change_is_refused(world: World, good: bytes, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(good) - 1), label="position")
    value = data.draw(st.integers(0, 255).filter(lambda v: v != good[pos]), label="new byte")
    changed = good[:pos] + bytes([value]) + good[pos + 1:]
    with pytest.raises(BundleRefused):
        open_bundle(changed, world.district.receiver, world.district_trust)
    with pytest.raises(BundleRefused):
        open_bundle(changed, world.escrow, world.district_trust)


@given(data=st.data())
def test_inserted_or_deleted_byte_is_refused(world: World, good: bytes, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(good) - 1))
    if data.draw(st.booleans()):
        changed = good[:pos] + bytes([data.draw(st.integers(0, 255))]) + good[pos:]
    else:
        changed = good[:pos] + good[pos + 1:]
    with pytest.raises(BundleRefused):
        open_bundle(changed, world.district.receiver, world.district_trust)


# ---- sizes ------------------------------------------------------------------------------------------------
def test_empty_file(world: World) -> None:
    assert refused(b"", world).code == "empty"
    with pytest.raises(BundleRefused) as info:
        read_header(b"")
    assert info.value.code == "empty"
    assert "leer" in str(info.value)


@pytest.mark.parametrize("where", ["1", "7", "header", "recipients", "nonce", "ciphertext", "signature", "last"])
def test_truncated_file(world: World, good: bytes, where: str) -> None:
    at = layout(good)
    cut = {"1": 1, "7": 7, "header": at["header_middle"], "recipients": at["sealed_first"] + 5,
           "nonce": at["nonce_first"] + 3, "ciphertext": at["ciphertext_middle"],
           "signature": at["signature_first"] + 10, "last": len(good) - 1}[where]
    err = refused(good[:cut], world)
    assert err.code == "truncated"
    assert "unvollständig" in str(err)


def test_trailing_bytes_are_refused(world: World, good: bytes) -> None:
    assert refused(good + b"\0", world).code == "header_invalid"


def test_not_a_bundle(world: World) -> None:
    assert refused(b"%PDF-1.7 ...", world).code == "not_a_bundle"
    assert refused(b"PK\x03\x04" + bytes(100), world).code == "not_a_bundle"


def test_header_claiming_two_gigabytes(world: World) -> None:
    data = MAGIC + struct.pack(">I", 2 * 1024**3) + b"{}"
    assert refused(data, world).code == "header_too_large"
    with pytest.raises(BundleRefused) as info:
        read_header(data)
    assert info.value.code == "header_too_large"
    just_over = MAGIC + struct.pack(">I", MAX_HEADER + 1) + bytes(MAX_HEADER + 1)
    assert refused(just_over, world).code == "header_too_large"


def test_ciphertext_length_claiming_too_much(world: World, good: bytes) -> None:
    at = layout(good)
    start = at["ciphertext_length"] - 7
    data = good[:start] + struct.pack(">Q", 2**62) + good[start + 8:]
    assert refused(data, world).code == "payload_too_large"


def _bomb(total_mib: int) -> bytes:
    """A zlib stream that claims ``total_mib`` MiB of zeros in well under 1 MiB, built without compressing it
    all: full-flushed blocks of the same input are byte-identical and can be repeated."""
    chunk = bytes(1 << 20)
    c = zlib.compressobj(9)
    first = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    return first + block * (total_mib - 1) + c.flush()


def test_zip_bomb_is_capped(world: World) -> None:
    bomb = _bomb(600)  # 600 MiB when unfolded, above MAX_PAYLOAD
    assert len(bomb) < 1024 * 1024
    header = bundle.BundleHeader(
        format_version=1, bundle_id=str(uuid.uuid4()), kind="site_to_district", sender_site="loehne",
        sender_store_id=world.loehne.sender.store_id, sender_key_id=world.loehne.sender.key_id, for_site=None,
        recipient_key_ids=(world.district.recipient.key_id,), sequence=1, epoch=1,
        created_at="2026-11-20T10:00:00+00:00", schema_version="0007", app_version="0.5.0", counts={},
        full=True)
    data = bundle._encrypt_and_sign(header.to_bytes(), bomb, world.loehne.sender, [world.district.recipient])
    # a small cap shows that decompression stops at the cap rather than after unfolding everything
    err = refused(data, world, max_payload=8 * 1024 * 1024)
    assert err.code == "payload_too_large"
    with pytest.raises(BundleRefused) as info:
        bundle.decompress_capped(bomb, 4 * 1024 * 1024)
    assert info.value.code == "payload_too_large"


def test_default_cap_is_max_payload() -> None:
    assert inspect.signature(open_bundle).parameters["max_payload"].default == MAX_PAYLOAD == 512 * 1024 * 1024


def test_writer_refuses_payload_over_the_cap(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundle, "MAX_PAYLOAD", 1000)
    with pytest.raises(bundle.WhhError, match="zu groß"):
        site_bundle(world, payload=bytes(1001))


def test_damaged_compressed_stream(world: World) -> None:
    header = bundle.BundleHeader(
        format_version=1, bundle_id=str(uuid.uuid4()), kind="site_to_district", sender_site="loehne",
        sender_store_id=world.loehne.sender.store_id, sender_key_id=world.loehne.sender.key_id, for_site=None,
        recipient_key_ids=(world.district.recipient.key_id,), sequence=1, epoch=1,
        created_at="2026-11-20T10:00:00+00:00", schema_version="0007", app_version="0.5.0", counts={},
        full=True)
    for compressed in (b"not zlib at all", zlib.compress(b"x" * 1000)[:-6], zlib.compress(b"x") + b"tail"):
        data = bundle._encrypt_and_sign(header.to_bytes(), compressed, world.loehne.sender,
                                        [world.district.recipient])
        assert refused(data, world).code == "payload_invalid"


# ---- senders, recipients, formats -------------------------------------------------------------------------
def test_unknown_sender(world: World) -> None:
    stranger = make_party("loehne", "site")
    err = refused(site_bundle(world, sender=stranger), world)
    assert err.code == "unknown_sender"
    assert "unbekannten Absender" in str(err)


def test_revoked_sender(world: World, good: bytes) -> None:
    t = world.loehne.trusted
    trust = TrustList({t.key_id: TrustedSender(t.key_id, t.site, t.store_id, t.signing_public, revoked=True)})
    err = refused(good, world, trust=trust)
    assert err.code == "revoked_sender"


def test_sender_key_used_under_another_site_name(world: World) -> None:
    """Bünde's key, but a header that says Löhne: the key is not Löhne's."""
    b = world.buende.sender
    fake = SenderIdentity("loehne", b.store_id, b.key_id, b.signing_private)
    assert refused(site_bundle(world, sender=Party(fake, world.buende.trusted, world.buende.receiver,
                                                   world.buende.recipient)), world).code == "unknown_sender"


def test_bundle_for_another_recipient(world: World) -> None:
    data = site_bundle(world, recipients=[world.other_district.recipient])
    err = refused(data, world)
    assert err.code == "not_for_us"
    assert "nicht für diese Stelle" in str(err)


def test_site_bundle_not_read_by_a_site(world: World) -> None:
    data = site_bundle(world, recipients=[world.buende.recipient])  # misaddressed to a site key
    trust = TrustList({world.loehne.trusted.key_id: world.loehne.trusted})
    assert refused(data, world, world.buende.receiver, trust).code == "not_for_us"


def test_district_bundle_named_for_another_site(world: World) -> None:
    """Sealed to Löhne's key but addressed to Vlotho: a handover must never be visible to another site."""
    data = write_bundle(b"x", kind="district_to_site", sequence=1, epoch=1, counts={}, full=True, for_site="vlotho",
                        sender=world.district.sender, recipients=[world.loehne.recipient], schema_version="0007",
                        app_version="0.5.0")
    assert refused(data, world, world.loehne.receiver, world.site_trust).code == "not_for_us"


def test_a_trusted_site_cannot_pass_off_another_sites_bundle(world: World, good: bytes) -> None:
    """Bünde takes Löhne's bundle, names itself the sender and signs: the header is bound into the sealed key
    (HPKE info) and the AES-GCM associated data, so the content stays closed."""
    at = layout(good)
    (header_len,) = struct.unpack_from(">I", good, 4)
    body = json.loads(good[8:8 + header_len])
    body.update(sender_site="buende", sender_store_id=world.buende.sender.store_id,
                sender_key_id=world.buende.sender.key_id)
    raw = bundle.BundleHeader(**{**body, "recipient_key_ids": tuple(body["recipient_key_ids"])}).to_bytes()
    signed = MAGIC + struct.pack(">I", len(raw)) + raw + good[at["recipient_count"]:at["signature_first"]]
    forged = signed + crypto.sign(world.buende.sender.signing_private, signed)
    assert refused(forged, world).code == "decrypt_failed"
    assert refused(forged, world, world.escrow).code == "decrypt_failed"


def test_newer_format(world: World, good: bytes) -> None:
    err = refused(with_header(good, lambda b: b.update(format_version=bundle.FORMAT_VERSION + 1)), world)
    assert err.code == "format_too_new"
    assert "neueren Programmversion" in str(err)
    with pytest.raises(BundleRefused) as info:
        read_header(with_header(good, lambda b: b.update(format_version=99)))
    assert info.value.code == "format_too_new"


def test_older_format_than_supported(world: World, good: bytes) -> None:
    err = refused(with_header(good, lambda b: b.update(format_version=bundle.MIN_FORMAT_VERSION - 1)), world)
    assert err.code == "format_too_old"


@pytest.mark.parametrize("change", [
    lambda b: b.update(sequence=True),
    lambda b: b.update(sequence=-1),
    lambda b: b.update(epoch=0),
    lambda b: b.update(kind="everything"),
    lambda b: b.update(sender_site="paris"),
    lambda b: b.update(for_site="loehne"),
    lambda b: b.update(bundle_id="not-a-uuid"),
    lambda b: b.update(created_at="2026-11-20T10:00:00+02:00"),
    lambda b: b.update(created_at="yesterday"),
    lambda b: b.update(counts={"cases": -1}),
    lambda b: b.update(counts=[1, 2]),
    lambda b: b.update(recipient_key_ids=[]),
    lambda b: b.update(recipient_key_ids=["zz" * 8]),
    lambda b: b.update(extra_field="x"),
    lambda b: b.pop("full"),
    lambda b: b.update(compression="lzma"),
    lambda b: b.update(suite="HPKE(X25519, HKDF-SHA256, AES-128-GCM)"),
    lambda b: b.update(schema_version="x" * 65),
    lambda b: b.update(app_version="\n"),
], ids=lambda _: "")
def test_invalid_header_fields(world: World, good: bytes, change) -> None:
    assert refused(with_header(good, change), world).code == "header_invalid"


@pytest.mark.parametrize("raw", [b"[]", b"{", b'{"a":1,"a":2}', b'{"format_version": NaN}', b"\xff\xfe",
                                 b"[" * 5000 + b"]" * 5000, b'{"format_version": "1"}'])
def test_malformed_header_json(world: World, raw: bytes) -> None:
    data = MAGIC + struct.pack(">I", len(raw)) + raw + bytes(2000)
    assert refused(data, world).code == "header_invalid"


def test_recipient_block_must_match_header(world: World, good: bytes) -> None:
    at = layout(good)
    swapped = good[:at["recipient_count"]] + bytes([1]) + good[at["recipient_count"] + 1:]
    assert refused(swapped, world).code == "header_invalid"


def test_writer_checks_its_own_header(world: World) -> None:
    with pytest.raises(ValueError, match=r"^invalid bundle header: .*'for_site': 'vlotho'"):
        site_bundle(world, kind="site_to_district", for_site="vlotho")
    with pytest.raises(bundle.WhhError, match=r"^Ein Empfängerschlüssel ist doppelt angegeben\.$"):
        site_bundle(world, recipients=[world.district.recipient] * 2)
    with pytest.raises(bundle.WhhError, match=r"^Eine Exportdatei hat 1 bis 4 Empfängerschlüssel\.$"):
        site_bundle(world, recipients=[make_party("kreis", "district").recipient for _ in range(5)])


def test_every_refusal_code_has_a_german_reason() -> None:
    from whh_desktop.core.sync.errors import REFUSAL_CODES

    for code in REFUSAL_CODES:
        err = bundle.refuse(code)
        assert err.code == code and str(err).endswith(".")
    with pytest.raises(ValueError, match=r"^unknown refusal code 'no_such_code'$"):
        BundleRefused("x", "no_such_code")


def test_identities_do_not_print_private_keys(world: World) -> None:
    assert world.loehne.sender.signing_private.hex() not in repr(world.loehne.sender)
    assert "keys" not in repr(world.district.receiver)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**80), 2**80) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(), lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20)


@given(value=_JSON)
def test_payload_json_reads_back_to_the_same_values(value) -> None:
    from whh_desktop.core.sync import payload as pl

    payload = {"v": value, "names": ["Łukasz Żółkiewski", "Nguyễn Thị Minh Khai", "Şükrü Öztürk"]}
    assert json.loads(pl.dumps(payload).decode("utf-8")) == payload
