"""The bundle header: the signed, unencrypted JSON object that says who sent what to whom (kind, sender site,
store and key, recipients, sequence, epoch, counts). ``parse_header`` is strict: no duplicate keys or NaN, every
field known and checked, the direction consistent with the sender; a refusal names the first problem in German.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.sync import crypto, payload_stream
from whh_desktop.core.sync.errors import refuse

FORMAT_VERSION = 1
MIN_FORMAT_VERSION = max(1, FORMAT_VERSION - 1)  # format N and N-1 are read (the district upgrades first)
MAX_RECIPIENTS = 4
MAX_COUNT_KINDS = 200
MAX_ROWS = payload_stream.MAX_ROWS  # rows a bundle may claim in its signed header counts
COMPRESSION = "zlib"

KIND_SITE_TO_DISTRICT = "site_to_district"
KIND_DISTRICT_TO_SITE = "district_to_site"
KINDS = (KIND_SITE_TO_DISTRICT, KIND_DISTRICT_TO_SITE)

KEY_ID = re.compile(r"[0-9a-f]{16}")
_SITES = frozenset(s.value for s in SiteCode)
_DISTRICT = SiteCode.KREIS.value


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


def _is_int(value: Any) -> bool:
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


def parse_header(raw: bytes) -> BundleHeader:
    bad = refuse("header_invalid")
    try:
        body = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise bad from None
    if not isinstance(body, dict):
        raise bad
    version = body.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):  # = not _is_int(version), which mypy can read
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
        isinstance(body["sender_key_id"], str) and KEY_ID.fullmatch(body["sender_key_id"]) is not None,
        body["for_site"] is None or body["for_site"] in _SITES,
        isinstance(ids, list) and 1 <= len(ids) <= MAX_RECIPIENTS and len(set(map(str, ids))) == len(ids)
        and all(isinstance(i, str) and KEY_ID.fullmatch(i) for i in ids),
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
