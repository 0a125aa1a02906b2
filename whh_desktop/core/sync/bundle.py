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

The header is ``bundle_header``, the key material ``bundle_keys``, the refusal reasons ``errors``.

Reading checks, in this order, and refuses with a German reason at the first failure: sizes and structure →
header fields → a known, unrevoked sender → signature → one of our keys among the recipients → HPKE unseal →
AES-GCM → decompression with a cap on the decompressed size. Nothing is decrypted before the signature holds.

Files are read by ``read_bundle_file``: regular files only (a FIFO, a device or a folder is refused before any
read), at most ``MAX_FILE`` bytes, the header and every size checked against the file size before the body is
read; ``read_header_file`` (``whh bundle inspect``) reads the head only. ``open_bundle_stream`` then decrypts and
decompresses piece by piece, so the payload is never whole in memory (issue 10 point 6).
"""

from __future__ import annotations

import os
import secrets
import stat
import struct
import uuid
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import WhhError
from whh_desktop.core.sync import crypto
from whh_desktop.core.sync.bundle_header import (
    COMPRESSION,
    FORMAT_VERSION,
    KIND_DISTRICT_TO_SITE,
    KIND_SITE_TO_DISTRICT,
    KINDS,
    MAX_COUNT_KINDS,
    MAX_RECIPIENTS,
    MAX_ROWS,
    MIN_FORMAT_VERSION,
    BundleHeader,
    parse_header,
)
from whh_desktop.core.sync.bundle_keys import ReceiverIdentity, RecipientKey, SenderIdentity, TrustedSender, TrustList
from whh_desktop.core.sync.errors import BundleRefused, refuse

# the names callers import from here, wherever they live
__all__ = ["COMPRESSION", "FILE_SUFFIX", "FORMAT_VERSION", "HEAD_BYTES", "KINDS", "KIND_DISTRICT_TO_SITE",
           "KIND_LABELS", "KIND_SITE_TO_DISTRICT", "MAGIC", "MAX_COUNT_KINDS", "MAX_FILE", "MAX_HEADER",
           "MAX_PAYLOAD", "MAX_RECIPIENTS", "MAX_ROWS", "MIN_FORMAT_VERSION", "BundleHeader", "BundleRefused",
           "ReceiverIdentity", "RecipientKey", "SenderIdentity", "TrustList", "TrustedSender", "WhhError",
           "decompress_capped", "open_bundle", "open_bundle_stream", "read_bundle_file", "read_header",
           "read_header_file", "refuse", "write_bundle"]

MAGIC = b"WHHB"
MAX_HEADER = 64 * 1024
ZLIB_LEVEL = 3  # twice as fast as the default 6 on payload JSON, for a bundle about 9 % larger
MAX_PAYLOAD = 512 * 1024 * 1024  # decompressed
MAX_CIPHERTEXT = MAX_PAYLOAD + 1024 * 1024 + crypto.GCM_TAG_BYTES  # zlib never grows data by more than this
MAX_FILE = 160 * 1024 * 1024  # a bundle file read for import (the whole file is needed for its signature)
HEAD_BYTES = 8 + MAX_HEADER + 1 + MAX_RECIPIENTS * (10 + crypto.SEALED_KEY_BYTES) + crypto.NONCE_BYTES + 8
FILE_SUFFIX = ".whhb"

KIND_LABELS = labels.BUNDLE_KINDS  # the German names live in the one label table

_PREFIX = struct.Struct(">4sI")
_RECIPIENT = struct.Struct(">8sH")
_CT_LEN = struct.Struct(">Q")
_DISTRICT = SiteCode.KREIS.value
_MIN_TAIL = crypto.NONCE_BYTES + _CT_LEN.size + crypto.GCM_TAG_BYTES + crypto.SIGNATURE_BYTES
_DECOMPRESS_CHUNK = 4 * 1024 * 1024


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
    header = parse_header(header_bytes)
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
        parse_header(header_bytes)  # the writer never produces what the reader refuses
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
