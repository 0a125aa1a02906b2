"""The payload's rows on the wire and in the store: encoding storage rows (UUID as 32 hex digits, ISO text dates
and timestamps, JSON as text, booleans 0/1) into wire dicts (hyphenated UUIDs, JSON values), and decoding wire
rows back with full validation (types, lengths, enum values, JSON column schemas, hidden characters), without the
ORM: an import of 100 000 cases must stay within 3× a plain SQLite insert of the same rows (DESIGN.md §7).
The line-by-line byte layout around the rows is ``payload_stream``.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import orjson

from whh_desktop.core.sync import payload_stream
from whh_desktop.core.sync.payload_schema import (
    ENUM_COLUMNS,
    LIST_ENUM_COLUMNS,
    MAX_JSON_ITEMS,
    MAX_TEXT,
    Column,
    columns,
)

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_MEMO_MAX = 100_000  # entries per validation memo below (pure functions of a str; cleared when full)


def _memo(cache: dict[str, Any], v: str, convert: Callable[[str], Any]) -> Any:
    """``convert(v)`` remembered: dates and timestamps repeat across the rows of a bundle."""
    hit = cache.get(v, _MISS)
    if hit is _MISS:
        hit = convert(v)  # raises BadValue for an invalid value, which is never remembered
        if len(cache) >= _MEMO_MAX:
            cache.clear()
        cache[v] = hit
    return hit


_MISS = object()
_encode_json = json.JSONEncoder(ensure_ascii=False).encode  # = json.dumps(…, ensure_ascii=False), built once
_DATE_MEMO: dict[str, Any] = {}
_DT_MEMO: dict[str, Any] = {}


# ---- storage → wire ---------------------------------------------------------------------------------------------
def hyphenated(hex_id: str) -> str:
    return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"


def _out_uuid(v: Any) -> Any:
    return None if v is None else hyphenated(v)


def _out_bool(v: Any) -> Any:
    return None if v is None else bool(v)


def _out_dt(v: Any) -> Any:
    if v is None:
        return None
    text = str(v)
    if "." not in text:
        text += ".000000"
    return text.replace(" ", "T") + "Z"


def out_json(v: Any) -> Any:
    return None if v is None else json.loads(v)


def _same(v: Any) -> Any:
    return v


_OUT: dict[str, Callable[[Any], Any]] = {"uuid": _out_uuid, "bool": _out_bool, "datetime": _out_dt,
                                         "json": out_json, "str": _same, "int": _same, "float": _same,
                                         "date": _same}


def row_encoder(entity: str) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
    """A function turning a raw storage row (columns in ``column_names`` order) into a wire dict."""
    cols = columns(entity)
    names = [c.name for c in cols]
    plain = [c.kind in ("str", "int", "float", "date") for c in cols]
    funcs = [_OUT[c.kind] for c in cols]

    def encode(raw: tuple[Any, ...]) -> dict[str, Any]:
        return {n: (v if p or v is None else f(v)) for n, v, p, f in zip(names, raw, plain, funcs, strict=True)}

    return encode


# ---- wire → storage (validating) --------------------------------------------------------------------------------
class BadValue(Exception):
    """One wire value is invalid; ``why`` is the German phrase for the refusal (the caller adds where)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def in_uuid(v: Any, c: Column) -> Any:
    if type(v) is not str or len(v) != 36:
        raise BadValue("keine gültige Kennung (UUID)")
    if _CANONICAL_UUID.match(v):  # the form exporters write: same result as uuid.UUID(v).hex, without the object
        return v.replace("-", "")
    try:
        return uuid.UUID(v).hex
    except ValueError:
        raise BadValue("keine gültige Kennung (UUID)") from None


def in_str(v: Any, c: Column) -> Any:
    if type(v) is not str:
        raise BadValue("kein Text")
    if len(v) > c.max_len:
        raise BadValue(f"länger als {c.max_len} Zeichen")
    return v if v.isprintable() else clean_text(v, multiline=c.multiline)


# Text is valid Unicode: a lone surrogate (which no store can hold) or a NUL refuses the bundle. Invisible characters
# that only hide or reorder text are stripped with a warning, since a site's own store may hold them (pasted text)
# and refusing would block its bundles for good: bidi overrides/isolates everywhere, control characters other than
# tab and line breaks in notes, and in one-line fields (names, numbers, addresses) also line breaks and zero-width
# characters.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_ZERO_WIDTH = "\u200b-\u200d\u2060\ufeff\u180e"
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]+")
_HIDDEN_ONE_LINE = re.compile(f"[\x01-\x1f\x7f-\x9f{_BIDI_CONTROLS}{_ZERO_WIDTH}]")
_HIDDEN_MULTILINE = re.compile(f"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")


def clean_text(v: str, *, multiline: bool) -> str:
    """``v`` without hidden characters (see above); raises ``BadValue`` for a lone surrogate or a NUL."""
    if "\x00" in v:
        raise BadValue("enthält ein Nullzeichen")
    if _SURROGATE.search(v):
        raise BadValue("enthält ungültige Zeichen (kein gültiges Unicode)")
    if multiline:
        return _HIDDEN_MULTILINE.sub("", v)
    return _HIDDEN_ONE_LINE.sub("", _LINE_BREAKS.sub(" ", v))


# The schema's Integer columns hold 32 bits on PostgreSQL (a district server): a larger value is refused with the
# bundle on either backend, never a database error halfway through the apply.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def _in_int(v: Any, c: Column) -> Any:
    if type(v) is not int:
        raise BadValue("keine ganze Zahl")
    if not INT_MIN <= v <= INT_MAX:
        raise BadValue("eine zu große Zahl")
    return v


def _in_float(v: Any, c: Column) -> Any:
    if type(v) not in (int, float) or not math.isfinite(v):
        raise BadValue("keine Zahl")
    return float(v)


def _in_bool(v: Any, c: Column) -> Any:
    if type(v) is not bool:
        raise BadValue("kein Wahrheitswert")
    return int(v)


def _in_date(v: Any, c: Column) -> Any:
    if type(v) is not str:
        raise BadValue("kein Datum")
    return _memo(_DATE_MEMO, v, _date_text)


def _date_text(v: str) -> str:
    if not _DATE_RE.match(v):
        raise BadValue("kein Datum")
    try:
        date.fromisoformat(v)
    except ValueError:
        raise BadValue("kein gültiges Datum") from None
    return v


def _in_dt(v: Any, c: Column) -> Any:
    if type(v) is not str:
        raise BadValue("kein Zeitpunkt (UTC)")
    return _memo(_DT_MEMO, v, _dt_text)


def _dt_text(v: str) -> str:
    if not _DT_RE.match(v):
        raise BadValue("kein Zeitpunkt (UTC)")
    try:
        moment = datetime.fromisoformat(v[:-1])
    except ValueError:
        raise BadValue("kein gültiger Zeitpunkt") from None
    return moment.isoformat(sep=" ", timespec="microseconds")


def _in_json(v: Any, c: Column) -> Any:
    if not isinstance(v, (list, dict)):
        raise BadValue("keine Liste/Struktur")
    if len(v) > MAX_JSON_ITEMS:
        raise BadValue("zu viele Einträge")
    text = _encode_json(v)
    if len(text) > MAX_TEXT:
        raise BadValue("zu groß")
    return text


# ---- JSON columns: each has a schema ----------------------------------------------------------------------------
MAX_JSON_DEPTH = 6
MAX_JSON_STR = 1_000  # characters in one string inside a JSON column


def _json_str(v: Any, *, one_line: bool) -> bool:
    if type(v) is not str or len(v) > MAX_JSON_STR:
        return False
    if v.isprintable():
        return True
    if _SURROGATE.search(v) or "\x00" in v:
        raise BadValue("enthält ungültige Zeichen (kein gültiges Unicode)")
    return not one_line and not _HIDDEN_MULTILINE.search(v)


def _json_scalar(v: Any) -> bool:
    if v is None or type(v) is bool:
        return True
    if type(v) is int:
        return -(2**53) <= v <= 2**53
    if type(v) is float:
        return math.isfinite(v)
    return _json_str(v, one_line=False)


def _json_any(v: Any, depth: int = 0) -> bool:
    """Any JSON value of bounded depth whose strings are clean and whose numbers are finite."""
    if depth > MAX_JSON_DEPTH:
        return False
    if type(v) is dict:
        return len(v) <= MAX_JSON_ITEMS and all(_json_str(k, one_line=True) and _json_any(x, depth + 1)
                                                 for k, x in v.items())
    if type(v) is list:
        return len(v) <= MAX_JSON_ITEMS and all(_json_any(x, depth + 1) for x in v)
    return _json_scalar(v)


def _str_list(v: Any) -> bool:
    return type(v) is list and all(_json_str(x, one_line=True) and len(x) <= 200 for x in v)


def _scalar_dict(v: Any) -> bool:
    return type(v) is dict and all(_json_str(k, one_line=True) and _json_scalar(x) for k, x in v.items())


def _scalar_dict_list(v: Any) -> bool:
    return type(v) is list and all(_scalar_dict(x) for x in v)


def _json_dict(v: Any) -> bool:
    return type(v) is dict and _json_any(v)


JSON_SCHEMAS: dict[tuple[str, str], Callable[[Any], bool]] = {
    ("cases", "substitutes"): _str_list,                 # user names
    ("cases", "bausteine"): _str_list,
    ("contacts", "bausteine"): _str_list,
    ("consents", "recipients"): _str_list,
    ("consents", "categories"): _str_list,
    ("deadlines", "inputs"): _scalar_dict,               # the facts a deadline was computed from
    ("deadlines", "warnings"): _str_list,
    ("housing_searches", "member_ids"): _str_list,
    ("housing_searches", "wanted_municipalities"): _str_list,
    ("housing_searches", "kdu_attributes"): _str_list,
    ("flat_offers", "kdu_attributes"): _str_list,
    ("applications", "reminders"): _scalar_dict_list,
    ("help_plan_conferences", "participants"): _str_list,
    ("landlords", "contact_persons"): _scalar_dict_list,  # name, role, phone, email
    ("registry_requests", "payload"): _json_dict,         # the proposed landlord or offer, by request kind
    ("kdu_tables", "data"): _json_dict,                    # the KdU table (limits per municipality and size)
    ("karenzzeit_rules", "exceptions"): _str_list,           # codes of the exceptions that lift the cap
}
_JSON_SCHEMA_NAMES: dict[Callable[[Any], bool], str] = {
    _str_list: "eine Liste von Texten", _scalar_dict: "eine Struktur aus einfachen Werten",
    _scalar_dict_list: "eine Liste von Strukturen", _json_dict: "eine Struktur"}
# A birth date lies in the past; a day of slack for a site whose clock runs ahead.
BIRTH_DATE_COLUMNS = frozenset({("persons", "birth_date"), ("household_members", "birth_date")})


_IN: dict[str, Callable[[Any, Column], Any]] = {"uuid": in_uuid, "str": in_str, "int": _in_int,
                                                "float": _in_float, "bool": _in_bool, "date": _in_date,
                                                "datetime": _in_dt, "json": _in_json}


def row_decoder(entity: str, warnings: dict[str, int] | None = None) -> Callable[[Any], tuple[Any, ...]]:
    """A function that validates one wire row and returns it as a storage tuple; raises ``BadValue``. Text cleaned of
    hidden characters is counted per ``entity.column`` in ``warnings``."""
    cols = columns(entity)
    names = frozenset(c.name for c in cols)
    checks: list[tuple[Column, Callable[[Any, Column], Any], frozenset[str] | None, frozenset[str] | None]] = [
        (c, _IN[c.kind], ENUM_COLUMNS.get((entity, c.name)), LIST_ENUM_COLUMNS.get((entity, c.name)))
        for c in cols]
    schemas = {c.name: JSON_SCHEMAS[(entity, c.name)] for c in cols if c.kind == "json"}
    birth = {c.name for c in cols if (entity, c.name) in BIRTH_DATE_COLUMNS}
    latest_birth = (date.today() + timedelta(days=1)).isoformat()

    def decode(row: Any) -> tuple[Any, ...]:
        if type(row) is not dict:
            raise BadValue("kein Datensatz")
        if row.keys() != names:
            unknown = sorted(set(row) - names)
            missing = sorted(names - set(row))
            raise BadValue(f"unbekannte Spalte {unknown[0]!r}" if unknown else f"Spalte {missing[0]!r} fehlt")
        out: list[Any] = []
        for c, fn, allowed, list_allowed in checks:
            v = row[c.name]
            if v is None:
                if not c.nullable:
                    raise BadValue(f"Spalte {c.name!r} darf nicht leer sein")
                out.append(None)
                continue
            if fn is in_str and allowed is None and list_allowed is None and type(v) is str \
                    and len(v) <= c.max_len and v.isprintable():
                out.append(v)  # what in_str returns, without the call
                continue
            try:
                value = fn(v, c)
                if c.kind == "json" and not schemas[c.name](v):
                    raise BadValue(f"keine gültige Angabe (erwartet: {_JSON_SCHEMA_NAMES[schemas[c.name]]})")
            except BadValue as exc:
                raise BadValue(f"Spalte {c.name!r}: {exc.why}") from None
            if value is not v and fn is in_str and value != v and warnings is not None:
                key = f"{entity}.{c.name}"
                warnings[key] = warnings.get(key, 0) + 1
            if c.name in birth and value > latest_birth:
                raise BadValue(f"Spalte {c.name!r}: Geburtsdatum liegt in der Zukunft")
            if allowed is not None and v not in allowed:
                raise BadValue(f"Spalte {c.name!r}: unbekannter Wert {str(v)[:40]!r}")
            if list_allowed is not None and (type(v) is not list or not set(v) <= list_allowed):
                raise BadValue(f"Spalte {c.name!r}: unbekannter Wert in der Liste")
            out.append(value)
        return tuple(out)

    return decode


# ---- the whole payload as bytes --------------------------------------------------------------------------------------
def dumps(payload: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, read back to the same values as ``json.dumps(…, ensure_ascii=False)`` would give, in a
    tenth of the time (orjson); the standard library takes over for what orjson refuses (an int beyond 64 bits)."""
    try:
        return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def encode(payload: dict[str, Any]) -> bytes:
    """The bytes of a payload as bundles carry it now (format 2, ``payload_stream``)."""
    return payload_stream.encode(payload)
