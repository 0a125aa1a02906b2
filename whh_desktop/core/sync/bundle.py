"""The ``.whhb`` bundle: one file, signed by its sender and readable only by its recipients (DESIGN.md §4, §10).

Bytes, in this order (integers big-endian)::

    magic "WHHB"                       4
    header length H                    4   (u32, at most MAX_HEADER)
    header                             H   (UTF-8 JSON object, sorted keys)
    recipient count n                  1   (1 … MAX_RECIPIENTS, the same ids in the same order as in the header)
    n × (key id 8 | length 2 | sealed content key)   (HPKE, info = SHA-256 of the header bytes)
    nonce                             12
    ciphertext length C                8   (u64)
    ciphertext                         C   (AES-256-GCM of the zlib-compressed payload;
                                            associated data = every byte before the nonce: magic, length,
                                            header and recipients)
    signature                         64   (Ed25519 over every byte before it)

Reading checks, in this order, and refuses with a German reason at the first failure: sizes and structure →
header fields → a known, unrevoked sender → signature → one of our keys among the recipients → HPKE unseal →
AES-GCM → decompression with a cap on the decompressed size. Nothing is decrypted before the signature holds.

Files are read by ``read_bundle_file``: regular files only (a FIFO, a device or a folder is refused before any
read), at most ``MAX_FILE`` bytes, the header and every size checked against the file size before the body is
read; ``read_header_file`` (``whh bundle inspect``) reads the head only. ``open_bundle_stream`` then decrypts and
decompresses piece by piece, so the payload is never whole in memory (issue 10 point 6).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
import struct
import uuid
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeGuard

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import WhhError
from whh_desktop.core.sync import crypto, payload_stream
from whh_desktop.core.sync.errors import BundleRefused

MAGIC = b"WHHB"
FORMAT_VERSION = 1
MIN_FORMAT_VERSION = max(1, FORMAT_VERSION - 1)  # format N and N-1 are read (the district upgrades first)
MAX_HEADER = 64 * 1024
ZLIB_LEVEL = 3  # twice as fast as the default 6 on payload JSON, for a bundle about 9 % larger
MAX_PAYLOAD = 512 * 1024 * 1024  # decompressed
MAX_RECIPIENTS = 4
MAX_CIPHERTEXT = MAX_PAYLOAD + 1024 * 1024 + crypto.GCM_TAG_BYTES  # zlib never grows data by more than this
MAX_COUNT_KINDS = 200
MAX_ROWS = payload_stream.MAX_ROWS  # rows a bundle may claim in its signed header counts
MAX_FILE = 160 * 1024 * 1024  # a bundle file read for import (the whole file is needed for its signature)
HEAD_BYTES = 8 + MAX_HEADER + 1 + MAX_RECIPIENTS * (10 + crypto.SEALED_KEY_BYTES) + crypto.NONCE_BYTES + 8
COMPRESSION = "zlib"
FILE_SUFFIX = ".whhb"

KIND_SITE_TO_DISTRICT = "site_to_district"
KIND_DISTRICT_TO_SITE = "district_to_site"
KINDS = (KIND_SITE_TO_DISTRICT, KIND_DISTRICT_TO_SITE)
KIND_LABELS = labels.BUNDLE_KINDS  # the German names live in the one label table

_PREFIX = struct.Struct(">4sI")
_RECIPIENT = struct.Struct(">8sH")
_CT_LEN = struct.Struct(">Q")
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_SITES = frozenset(s.value for s in SiteCode)
_DISTRICT = SiteCode.KREIS.value
_MIN_TAIL = crypto.NONCE_BYTES + _CT_LEN.size + crypto.GCM_TAG_BYTES + crypto.SIGNATURE_BYTES
_DECOMPRESS_CHUNK = 4 * 1024 * 1024

# German reasons, one per refusal code.
_REASONS = {
    "empty": "Die Datei ist leer. Bitte die Exportdatei erneut kopieren.",
    "truncated": "Die Datei ist unvollständig (abgeschnitten). Bitte die Exportdatei erneut kopieren.",
    "not_a_bundle": "Die Datei ist keine Exportdatei von WHH Desktop (.whhb).",
    "format_too_new": "Die Exportdatei stammt von einer neueren Programmversion. Bitte WHH Desktop aktualisieren.",
    "format_too_old": "Die Exportdatei stammt von einer zu alten Programmversion. Bitte am Standort WHH Desktop "
                      "aktualisieren und neu exportieren.",
    "header_too_large": "Die Datei ist beschädigt: der Kopfteil ist unzulässig groß.",
    "header_invalid": "Die Datei ist beschädigt: der Kopfteil ist ungültig.",
    "unknown_sender": "Die Exportdatei ist von einem unbekannten Absender. Ihr Schlüssel wurde hier nicht "
                      "eingelesen und bestätigt (»Schlüssel austauschen«).",
    "revoked_sender": "Die Exportdatei ist mit einem widerrufenen oder ersetzten Schlüssel unterschrieben und "
                      "wird nicht eingelesen.",
    "bad_signature": "Die Unterschrift der Exportdatei passt nicht: die Datei wurde nach dem Export verändert "
                     "oder ist beschädigt.",
    "not_for_us": "Die Exportdatei ist nicht für diese Stelle bestimmt.",
    "decrypt_failed": "Die Exportdatei lässt sich nicht entschlüsseln: sie ist beschädigt oder wurde verändert.",
    "payload_too_large": "Die Exportdatei ist unzulässig groß und wird nicht eingelesen.",
    "payload_invalid": "Der Inhalt der Exportdatei ist beschädigt.",
    "not_a_file": "Das ist keine gewöhnliche Datei (sondern z. B. ein Ordner oder ein Gerät) und wird nicht "
                  "gelesen.",
    "unreadable": "Die Datei kann nicht gelesen werden.",
    "too_many_rows": "Die Exportdatei enthält mehr Datensätze, als eine Datei enthalten darf, und wird nicht "
                     "eingelesen.",
}


def refuse(code: str, detail: str | None = None) -> BundleRefused:
    """A ``BundleRefused`` with the standard German reason for ``code`` (plus an optional detail sentence)."""
    message = _REASONS[code] if detail is None else f"{_REASONS[code]} {detail}"
    return BundleRefused(message, code)


# ---- identities (filled from the store by whh_desktop.core.services.sync_keys) --------------------------------
@dataclass(frozen=True)
class RecipientKey:
    """A public HPKE key a bundle can be sealed to."""

    key_id: str
    site: str
    public_hpke: bytes = field(repr=False)
    role: str  # "district" | "escrow" | "site"


@dataclass(frozen=True)
class SenderIdentity:
    site: str
    store_id: str
    key_id: str
    signing_private: bytes = field(repr=False)


@dataclass(frozen=True)
class ReceiverIdentity:
    """Own HPKE private keys: the current one first, then retired ones (bundles still under way)."""

    site: str
    role: str  # "site" | "district" | "escrow"
    keys: tuple[tuple[str, bytes], ...] = field(repr=False)  # (key_id, hpke private)

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.keys)


@dataclass(frozen=True)
class TrustedSender:
    key_id: str
    site: str
    store_id: str
    signing_public: bytes = field(repr=False)
    revoked: bool = False


@dataclass(frozen=True)
class TrustList:
    senders: Mapping[str, TrustedSender] = field(default_factory=dict)

    def get(self, key_id: str) -> TrustedSender | None:
        return self.senders.get(key_id)


# ---- header ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BundleHeader:
    format_version: int
    bundle_id: str
    kind: str
    sender_site: str
    sender_store_id: str
    sender_key_id: str
    for_site: str | None
    recipient_key_ids: tuple[str, ...]
    sequence: int
    epoch: int
    created_at: str
    schema_version: str
    app_version: str
    counts: dict[str, int]
    full: bool
    compression: str = COMPRESSION
    suite: str = crypto.SUITE_NAME

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["recipient_key_ids"] = list(self.recipient_key_ids)
        data["counts"] = dict(self.counts)
        return data

    def to_bytes(self) -> bytes:
        return json.dumps(self.as_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                          allow_nan=False).encode("ascii")

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.created_at)


_HEADER_FIELDS = frozenset(BundleHeader.__dataclass_fields__)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"constant {name} not allowed")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any, limit: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit and value.isprintable()


def _is_uuid(value: Any) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _parse_header(raw: bytes) -> BundleHeader:
    bad = refuse("header_invalid")
    try:
        body = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise bad from None
    if not isinstance(body, dict):
        raise bad
    version = body.get("format_version")
    if not _is_int(version):
        raise bad
    if version > FORMAT_VERSION:
        raise refuse("format_too_new")
    if version < MIN_FORMAT_VERSION:
        raise refuse("format_too_old")
    if set(body) != _HEADER_FIELDS:
        raise bad
    ids = body["recipient_key_ids"]
    counts = body["counts"]
    checks = [
        _is_uuid(body["bundle_id"]),
        body["kind"] in KINDS,
        body["sender_site"] in _SITES,
        _is_uuid(body["sender_store_id"]),
        isinstance(body["sender_key_id"], str) and _KEY_ID.fullmatch(body["sender_key_id"]) is not None,
        body["for_site"] is None or body["for_site"] in _SITES,
        isinstance(ids, list) and 1 <= len(ids) <= MAX_RECIPIENTS and len(set(map(str, ids))) == len(ids)
        and all(isinstance(i, str) and _KEY_ID.fullmatch(i) for i in ids),
        _is_int(body["sequence"]) and 0 <= body["sequence"] < 2**53,
        _is_int(body["epoch"]) and 1 <= body["epoch"] < 2**31,
        _is_utc_timestamp(body["created_at"]),
        _text(body["schema_version"], 64),
        _text(body["app_version"], 64),
        isinstance(counts, dict) and len(counts) <= MAX_COUNT_KINDS
        and all(_text(k, 64) and _is_int(v) and 0 <= v < 2**53 for k, v in counts.items()),
        isinstance(body["full"], bool),
        body["compression"] == COMPRESSION,
        body["suite"] == crypto.SUITE_NAME,
    ]
    if not all(checks):
        raise bad
    if sum(counts.values()) > MAX_ROWS:
        raise refuse("too_many_rows")
    if body["kind"] == KIND_SITE_TO_DISTRICT and (body["sender_site"] == _DISTRICT or body["for_site"] is not None):
        raise bad
    if body["kind"] == KIND_DISTRICT_TO_SITE and (body["sender_site"] != _DISTRICT or body["for_site"] is None
                                                   or body["for_site"] == _DISTRICT):
        raise bad
    return BundleHeader(**{**body, "recipient_key_ids": tuple(ids), "counts": dict(counts)})


def _is_utc_timestamp(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return False
    return moment.tzinfo is not None and moment.utcoffset() == timedelta(0)


# ---- parsing ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Parsed:
    header: BundleHeader
    header_bytes: bytes
    sealed: dict[str, bytes]
    aad_end: int  # every byte before the nonce is associated data
    nonce: bytes
    ciphertext: bytes
    signed_end: int  # every byte before the signature is signed
    signature: bytes


def _parse(data: bytes, total: int | None = None) -> _Parsed:
    """The structure of a bundle. With ``total`` (the file size), ``data`` may be only the file's first
    ``HEAD_BYTES``: everything up to the ciphertext length is parsed and every size checked against ``total``
    before the body is read; the ciphertext and signature are then empty."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("bundle data must be bytes")
    data = bytes(data)
    size = len(data) if total is None else total
    if not size:
        raise refuse("empty")
    if data[:len(MAGIC)] != MAGIC[:len(data)]:
        raise refuse("not_a_bundle")
    if size < _PREFIX.size:
        raise refuse("truncated")
    _, header_len = _PREFIX.unpack_from(data)
    if header_len > MAX_HEADER:
        raise refuse("header_too_large")
    if header_len < 2:
        raise refuse("header_invalid")
    pos = _PREFIX.size
    if size < pos + header_len:
        raise refuse("truncated")
    header_bytes = data[pos:pos + header_len]
    header = _parse_header(header_bytes)
    pos += header_len

    if size < pos + 1:
        raise refuse("truncated")
    count = data[pos]
    pos += 1
    if count != len(header.recipient_key_ids):
        raise refuse("header_invalid")
    sealed: dict[str, bytes] = {}
    for expected in header.recipient_key_ids:
        if size < pos + _RECIPIENT.size:
            raise refuse("truncated")
        raw_id, length = _RECIPIENT.unpack_from(data, pos)
        pos += _RECIPIENT.size
        if raw_id.hex() != expected or length != crypto.SEALED_KEY_BYTES:
            raise refuse("header_invalid")
        if size < pos + length:
            raise refuse("truncated")
        sealed[expected] = data[pos:pos + length]
        pos += length
    aad_end = pos

    if size < pos + _MIN_TAIL:
        raise refuse("truncated")
    nonce = data[pos:pos + crypto.NONCE_BYTES]
    pos += crypto.NONCE_BYTES
    (ct_len,) = _CT_LEN.unpack_from(data, pos)
    pos += _CT_LEN.size
    if ct_len > MAX_CIPHERTEXT:
        raise refuse("payload_too_large")
    if ct_len < crypto.GCM_TAG_BYTES:
        raise refuse("header_invalid")
    expected_total = pos + ct_len + crypto.SIGNATURE_BYTES
    if size < expected_total:
        raise refuse("truncated")
    if size > expected_total:
        raise refuse("header_invalid", "Am Ende der Datei stehen überzählige Daten.")
    ciphertext = data[pos:pos + ct_len]
    signed_end = pos + ct_len
    return _Parsed(header, header_bytes, sealed, aad_end, nonce, ciphertext, signed_end, data[signed_end:])


# ---- files: never more read than the structure allows ----------------------------------------------------------
def _open_regular(path: Path) -> tuple[int, int]:
    """A descriptor and the size of a regular file; a FIFO, a device or a folder is refused before any read
    (``O_NONBLOCK``: opening a FIFO does not wait for a writer)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise refuse("not_a_file") from None
    except OSError:
        raise refuse("unreadable") from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise refuse("not_a_file")
    return fd, st.st_size


def _read_exactly(fd: int, n: int) -> bytes:
    parts, left = [], n
    while left > 0:
        piece = os.read(fd, min(left, 16 * 1024 * 1024))
        if not piece:
            break
        parts.append(piece)
        left -= len(piece)
    return b"".join(parts)


def read_header_file(path: Path) -> tuple[BundleHeader, int]:
    """``whh bundle inspect``: the header and the file size after every structural check, reading at most
    ``HEAD_BYTES`` of the file."""
    fd, size = _open_regular(Path(path))
    try:
        head = _read_exactly(fd, min(size, HEAD_BYTES))
    except OSError:
        raise refuse("unreadable") from None
    finally:
        os.close(fd)
    return _parse(head, size).header, size


def read_bundle_file(path: Path, limit: int = MAX_FILE) -> bytes:
    """The bytes of a bundle file: regular files only, the header and all sizes checked (against the file size
    and ``limit``) before the body is read."""
    fd, size = _open_regular(Path(path))
    try:
        if size > limit:
            raise refuse("payload_too_large")
        head = _read_exactly(fd, min(size, HEAD_BYTES))
        _parse(head, size)  # refuses a bad header, a wrong layout or a size mismatch before the body is read
        data = head + _read_exactly(fd, size - len(head) + 1)
    except OSError:
        raise refuse("unreadable") from None
    finally:
        os.close(fd)
    if len(data) != size:  # the file changed while it was read
        raise refuse("truncated")
    return data


def read_header(data: bytes) -> BundleHeader:
    """The header after the structural and size checks; nothing is verified or decrypted (``whh bundle inspect``)."""
    return _parse(data).header


# ---- writing ---------------------------------------------------------------------------------------------
def write_bundle(payload: bytes, *, kind: str, sequence: int, epoch: int, counts: dict[str, int], full: bool,
                 for_site: str | None, sender: SenderIdentity, recipients: Sequence[RecipientKey],
                 schema_version: str, app_version: str, bundle_id: str | None = None,
                 created_at: datetime | None = None) -> bytes:
    """Compress, encrypt with a fresh content key sealed to each recipient, and sign. Returns the file bytes."""
    if len(payload) > MAX_PAYLOAD:
        raise WhhError("Der Export ist zu groß für eine Datei (höchstens 512 MiB unkomprimiert). Bitte den "
                       "Support informieren.")
    if not 1 <= len(recipients) <= MAX_RECIPIENTS:
        raise WhhError(f"Eine Exportdatei hat 1 bis {MAX_RECIPIENTS} Empfängerschlüssel.")
    if len({r.key_id for r in recipients}) != len(recipients):
        raise WhhError("Ein Empfängerschlüssel ist doppelt angegeben.")
    header = BundleHeader(
        format_version=FORMAT_VERSION, bundle_id=bundle_id or str(uuid.uuid4()), kind=kind,
        sender_site=sender.site, sender_store_id=sender.store_id, sender_key_id=sender.key_id,
        for_site=for_site, recipient_key_ids=tuple(r.key_id for r in recipients), sequence=sequence, epoch=epoch,
        created_at=(created_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds"),
        schema_version=schema_version, app_version=app_version, counts=dict(counts), full=full)
    header_bytes = header.to_bytes()
    try:
        _parse_header(header_bytes)  # the writer never produces what the reader refuses
    except BundleRefused as exc:
        raise ValueError(f"invalid bundle header: {header.as_dict()}") from exc
    if len(header_bytes) > MAX_HEADER:
        raise WhhError("Der Kopfteil der Exportdatei wäre zu groß.")
    return _encrypt_and_sign(header_bytes, zlib.compress(payload, ZLIB_LEVEL), sender, recipients)


def _encrypt_and_sign(header_bytes: bytes, compressed: bytes, sender: SenderIdentity,
                      recipients: Sequence[RecipientKey]) -> bytes:
    content_key = crypto.new_content_key()
    info = crypto.sha256(header_bytes)
    parts = [MAGIC, struct.pack(">I", len(header_bytes)), header_bytes, bytes([len(recipients)])]
    for r in recipients:
        sealed = crypto.seal_key(r.public_hpke, content_key, info)
        parts += [_RECIPIENT.pack(bytes.fromhex(r.key_id), len(sealed)), sealed]
    aad = b"".join(parts)
    nonce = secrets.token_bytes(crypto.NONCE_BYTES)
    ciphertext = crypto.encrypt(content_key, nonce, compressed, aad)
    signed = b"".join([aad, nonce, _CT_LEN.pack(len(ciphertext)), ciphertext])
    return signed + crypto.sign(sender.signing_private, signed)


# ---- opening ---------------------------------------------------------------------------------------------
def open_bundle(data: bytes, me: ReceiverIdentity, trust: TrustList, *,
                max_payload: int = MAX_PAYLOAD) -> tuple[BundleHeader, bytes]:
    """Verify and decrypt; returns the header and the decompressed payload, or raises ``BundleRefused``."""
    header, chunks = open_bundle_stream(data, me, trust, max_payload=max_payload)
    return header, b"".join(chunks)


def open_bundle_stream(data: bytes, me: ReceiverIdentity, trust: TrustList, *,
                       max_payload: int = MAX_PAYLOAD) -> tuple[BundleHeader, Iterator[bytes]]:
    """Verify (sender, signature, recipient) and unseal the content key; returns the header and an iterator of
    decompressed payload pieces (at most ``_DECOMPRESS_CHUNK`` each), decrypted and decompressed as they are
    read, so the payload is never whole in memory. The AES-GCM tag, the decompression cap and the end of the zlib
    stream are checked as the iterator runs; it raises ``BundleRefused`` at the first failure, at the latest when
    it ends. Nothing comes out before the Ed25519 signature over the whole ciphertext holds."""
    raw = bytes(data)
    parsed = _parse(raw)
    header = parsed.header

    sender = trust.get(header.sender_key_id)
    if sender is None or sender.site != header.sender_site or sender.store_id != header.sender_store_id:
        raise refuse("unknown_sender")
    if sender.revoked:
        raise refuse("revoked_sender")
    if not crypto.verify(sender.signing_public, parsed.signature, memoryview(raw)[:parsed.signed_end]):
        raise refuse("bad_signature")

    mine = [(kid, private) for kid, private in me.keys if kid in parsed.sealed]
    if not mine:
        raise refuse("not_for_us")
    if me.role != "escrow":
        if header.kind == KIND_DISTRICT_TO_SITE and header.for_site != me.site:
            raise refuse("not_for_us")
        if header.kind == KIND_SITE_TO_DISTRICT and me.site != _DISTRICT:
            raise refuse("not_for_us")

    info = crypto.sha256(parsed.header_bytes)
    content_key = None
    for kid, private in mine:
        try:
            content_key = crypto.unseal_key(private, parsed.sealed[kid], info)
            break
        except (InvalidTag, ValueError):
            continue
    if content_key is None:
        raise refuse("decrypt_failed")
    start = parsed.signed_end - len(parsed.ciphertext)
    body = memoryview(raw)[start:parsed.signed_end]
    return header, _plaintext(content_key, parsed.nonce, body, raw[:parsed.aad_end], max_payload)


def _plaintext(key: bytes, nonce: bytes, body: memoryview, aad: bytes, cap: int) -> Iterator[bytes]:
    """AES-GCM decryption and zlib decompression piece by piece, the output capped at ``cap`` bytes."""
    ciphertext, tag = body[:-crypto.GCM_TAG_BYTES], bytes(body[-crypto.GCM_TAG_BYTES:])
    decryptor = Cipher(algorithms.AES(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(aad)
    d = zlib.decompressobj()
    produced = 0
    try:
        for at in range(0, len(ciphertext), _DECOMPRESS_CHUNK):
            pending = decryptor.update(ciphertext[at:at + _DECOMPRESS_CHUNK])
            while pending:
                if d.eof:
                    raise refuse("payload_invalid")  # data after the end of the zlib stream
                piece = d.decompress(pending, min(_DECOMPRESS_CHUNK, cap + 1 - produced))
                produced += len(piece)
                if produced > cap:
                    raise refuse("payload_too_large")
                pending = d.unconsumed_tail
                if piece:
                    yield piece
        while not d.eof:  # output still held back by the length limit
            piece = d.decompress(b"", min(_DECOMPRESS_CHUNK, cap + 1 - produced))
            if not piece:
                break
            produced += len(piece)
            if produced > cap:
                raise refuse("payload_too_large")
            yield piece
        try:
            decryptor.finalize()
        except InvalidTag:
            raise refuse("decrypt_failed") from None
    except zlib.error:
        raise refuse("payload_invalid") from None
    if not d.eof or d.unused_data:
        raise refuse("payload_invalid")


def decompress_capped(compressed: bytes, cap: int = MAX_PAYLOAD) -> bytes:
    """zlib-decompress, stopping as soon as the output would exceed ``cap`` (a zip bomb never unfolds)."""
    d = zlib.decompressobj()
    out = bytearray()
    pending = compressed
    try:
        while True:
            piece = d.decompress(pending, min(_DECOMPRESS_CHUNK, cap + 1 - len(out)))
            out += piece
            if len(out) > cap:
                raise refuse("payload_too_large")
            pending = d.unconsumed_tail
            if d.eof or (not pending and not piece):
                break
    except zlib.error:
        raise refuse("payload_invalid") from None
    if not d.eof or d.unused_data:
        raise refuse("payload_invalid")
    return bytes(out)
