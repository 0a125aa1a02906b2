"""The payload inside a bundle: JSON, one section per entity, rows as dicts of column values.

On the wire (format 2) the sections travel line by line, a bounded JSON document per line, decoded strictly and
validated as they are read (``payload_stream``); format 1 (the previous release, still read) is the single JSON
document below. Both carry the same content, which the exporter builds as this dict::

    {"format": 1, "kind": "site_to_district" | "district_to_site", "site": sender site, "store_id": …,
     "epoch": n, "sequence": n, "full": bool, "for_site": site | null,
     "entities": {"persons": [{column: value, …}, …], …},
     "pseudonyms": [{"pseudonym", "person_pseudonym", "identified", "case_id", "person_id", "rev": [epoch, seq],
                     "data": {whitelisted statistics} | null}, …],
     "handovers": [{"case_id", "case_number", "from_site", "to_site", "state", "documents": [{"document_id",
                    "data": base64}]}, …],
     "ack": {"epoch": n, "sequence": n} | null}

UUIDs travel hyphenated, dates as ``YYYY-MM-DD``, UTC timestamps as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, booleans as
JSON booleans, JSON columns as JSON. No pickle, no eval: strict ``orjson.loads`` per line, then ``parse`` checks
every record (known entity, known columns, types, enum values, lengths, ownership) before anything touches the
store; any failure raises ``PayloadInvalid`` with a German message and the whole bundle is refused.

Rows are converted between this wire form and the form SQLAlchemy stores on SQLite (UUID as 32 hex digits, dates
and timestamps as ISO text, JSON as text, booleans 0/1) without going through the ORM: an import of 100 000 cases
must stay within 3× a plain SQLite insert of the same rows (DESIGN.md §7).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

import orjson
from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Text, Uuid

from whh_desktop.core.domain import enums, housing
from whh_desktop.core.domain.deadlines import NotificationKind
from whh_desktop.core.domain.legal_state import CureMethod
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import WhhError
from whh_desktop.core.store.base import UtcDateTime
from whh_desktop.core.store.models import (
    AddressEntry,
    Case,
    CategoryEntry,
    Consent,
    Contact,
    DeadlineEntry,
    Document,
    EvictionProceeding,
    FlatOffer,
    HouseholdMember,
    HousingSearch,
    Income,
    KduTableVersion,
    Landlord,
    LandlordNote,
    Person,
    Proposal,
    Referral,
    RegistryDecision,
    RegistryRequest,
    RentDueEntry,
)
from whh_desktop.core.store.models import applications as _apps
from whh_desktop.core.store.models import help_plans as _plans
from whh_desktop.core.store.models import rules as _rules
from whh_desktop.core.sync import payload_stream

FORMAT_VERSION = payload_stream.FORMAT  # 2: line by line (payload_stream); 1: one JSON document
READABLE_FORMATS = (FORMAT_VERSION, FORMAT_VERSION - 1)  # format N and N−1 (DESIGN.md §10)
SITE_TO_DISTRICT = "site_to_district"
DISTRICT_TO_SITE = "district_to_site"
DISTRICT = SiteCode.KREIS.value
MAX_TEXT = 100_000       # characters in a Text column
MAX_JSON_ITEMS = 1_000   # items in a JSON list/dict column
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024

# The case aggregate in import order (parents first, although children may come without them).
CASE_CHILDREN: tuple[type[Any], ...] = (CategoryEntry, HouseholdMember, Income, Contact, EvictionProceeding,
                                   RentDueEntry, Referral, Consent, DeadlineEntry, Document, HousingSearch, Proposal,
                                   _apps.Application, _apps.Objection,
                                   _plans.HelpPlanGoal, _plans.HelpPlanService, _plans.HelpPlanConference)
# The Suchthilfe pathway (suchthilfe_stages) is health data and stays at the site: identified rows go out with any
# Kreis consent, and the exporter has no per-row check of the health tick.
SITE_MODELS: tuple[type[Any], ...] = (Person, Case, *CASE_CHILDREN, RegistryRequest, LandlordNote)
DISTRICT_MODELS: tuple[type[Any], ...] = (Landlord, FlatOffer, KduTableVersion, AddressEntry, RegistryDecision,
                                          LandlordNote, _rules.KarenzzeitRuleVersion, _rules.LocalCourt)
HANDOVER_MODELS: tuple[type[Any], ...] = (Person, Case, *CASE_CHILDREN)
ALL_MODELS: dict[str, type[Any]] = {m.__tablename__: m for m in (*SITE_MODELS, *DISTRICT_MODELS)}
CHILD_TABLES = frozenset(m.__tablename__ for m in CASE_CHILDREN)
DISTRICT_TABLES = frozenset(m.__tablename__ for m in DISTRICT_MODELS)


def _values(enum_cls: type[Enum]) -> frozenset[str]:
    return frozenset(str(e.value) for e in enum_cls)


ENUM_COLUMNS: dict[tuple[str, str], frozenset[str]] = {
    ("persons", "sex"): _values(enums.Sex),
    ("household_members", "sex"): _values(enums.Sex),
    ("household_members", "relation"): _values(enums.Relation),
    ("cases", "status"): frozenset({"draft", "open", "closed"}),
    ("cases", "outcome"): _values(enums.Outcome),
    ("cases", "current_category"): _values(enums.Category),
    ("cases", "came_via"): _values(enums.CameVia),
    ("case_categories", "category"): _values(enums.Category),
    ("incomes", "kind"): _values(enums.IncomeKind),
    ("contacts", "kind"): _values(enums.ContactKind),
    ("eviction_proceedings", "termination_kind"): _values(enums.TerminationKind),
    ("eviction_proceedings", "cure_method"): _values(CureMethod),
    ("referrals", "target"): _values(enums.ReferralTarget),
    ("referrals", "status"): _values(enums.ReferralStatus),
    ("landlords", "kind"): _values(housing.LandlordKind),
    ("landlords", "cooperation_status"): _values(housing.CooperationStatus),
    ("landlord_notes", "way"): _values(housing.ContactWay),
    ("flat_offers", "status"): _values(housing.OfferStatus),
    ("housing_searches", "status"): _values(housing.SearchStatus),
    ("proposals", "step"): _values(housing.ProposalStep),
    ("registry_requests", "kind"): _values(housing.RequestKind),
    ("registry_decisions", "decision"): _values(housing.RequestDecision),
    ("documents", "kind"): frozenset({"scan", "letter"}),
    ("applications", "kind"): _values(_apps.ApplicationKind), ("applications", "decision"): _values(_apps.Decision),
    ("applications", "submitted_via"): _values(_apps.SubmittedVia),
    ("application_objections", "decision"): _values(_apps.ObjectionDecision),
    ("applications", "notification"): _values(NotificationKind),
    ("application_objections", "notification"): _values(NotificationKind),
}
LIST_ENUM_COLUMNS: dict[tuple[str, str], frozenset[str]] = {
    ("cases", "bausteine"): _values(enums.Baustein),
    ("contacts", "bausteine"): _values(enums.Baustein),
    ("consents", "recipients"): _values(enums.ConsentRecipient),
}
SITES = frozenset(s.value for s in SiteCode)
COUNSELLING_SITES = frozenset(s.value for s in SiteCode.counselling_sites())

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")  # a real month: "2026-13" is refused, not crashed on
_DT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")
_MEMO_MAX = 100_000  # entries per validation memo below (pure functions of a str; cleared when full)


def _memo(cache: dict[str, Any], v: str, convert: Callable[[str], Any]) -> Any:
    """``convert(v)`` remembered: dates, timestamps and months repeat across the rows of a bundle."""
    hit = cache.get(v, _MISS)
    if hit is _MISS:
        hit = convert(v)  # raises _Bad for an invalid value, which is never remembered
        if len(cache) >= _MEMO_MAX:
            cache.clear()
        cache[v] = hit
    return hit


_MISS = object()
_encode_json = json.JSONEncoder(ensure_ascii=False).encode  # = json.dumps(…, ensure_ascii=False), built once
_DATE_MEMO: dict[str, Any] = {}
_DT_MEMO: dict[str, Any] = {}
_MONTH_MEMO: dict[str, Any] = {}
_AGE_MEMO: dict[str, Any] = {}


class PayloadInvalid(WhhError):
    """The payload is not a valid bundle content; the German message names the first problem found."""

    code = "payload_invalid"


@dataclass
class Payload:
    """A validated payload; rows are already in storage form (tuples in ``columns`` order)."""

    kind: str
    site: str
    store_id: str
    epoch: int
    sequence: int
    full: bool
    for_site: str | None
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    pseudonyms: list[dict[str, Any]] = field(default_factory=list)
    handovers: list[dict[str, Any]] = field(default_factory=list)
    ack: dict[str, int] | None = None
    warnings: dict[str, int] = field(default_factory=dict)  # "entity.column": values cleaned of hidden characters

    def counts(self) -> dict[str, int]:
        out = {name: len(rows) for name, rows in self.rows.items() if rows}
        if self.pseudonyms:
            out["pseudonyms"] = len(self.pseudonyms)
        if self.handovers:
            out["handovers"] = len(self.handovers)
        return out


# ---- columns ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # uuid, str, int, bool, float, date, datetime, json
    nullable: bool
    max_len: int = 0
    multiline: bool = False  # a Text column (notes): line breaks and tabs allowed; zero-width characters kept


def _kind(col: Any) -> tuple[str, int]:
    t = col.type
    if isinstance(t, UtcDateTime):
        return "datetime", 0
    if isinstance(t, Uuid):
        return "uuid", 0
    if isinstance(t, Boolean):
        return "bool", 0
    if isinstance(t, Integer):
        return "int", 0
    if isinstance(t, Float):
        return "float", 0
    if isinstance(t, Date):
        return "date", 0
    if isinstance(t, JSON):
        return "json", 0
    if isinstance(t, Text):
        return "str", MAX_TEXT
    if isinstance(t, String):
        return "str", t.length or MAX_TEXT
    raise TypeError(f"no wire form for {col}")  # pragma: no cover - a new column type needs a codec


_COLUMNS: dict[str, tuple[Column, ...]] = {
    name: tuple(Column(c.name, *_kind(c)[:1], bool(c.nullable), _kind(c)[1], isinstance(c.type, Text))
                for c in model.__table__.columns)
    for name, model in ALL_MODELS.items()
}


def columns(entity: str) -> tuple[Column, ...]:
    return _COLUMNS[entity]


def column_names(entity: str) -> list[str]:
    return [c.name for c in _COLUMNS[entity]]


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


def _out_json(v: Any) -> Any:
    return None if v is None else json.loads(v)


def _same(v: Any) -> Any:
    return v


_OUT: dict[str, Callable[[Any], Any]] = {"uuid": _out_uuid, "bool": _out_bool, "datetime": _out_dt,
                                         "json": _out_json, "str": _same, "int": _same, "float": _same,
                                         "date": _same}


def row_encoder(entity: str) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
    """A function turning a raw storage row (columns in ``column_names`` order) into a wire dict."""
    cols = _COLUMNS[entity]
    names = [c.name for c in cols]
    plain = [c.kind in ("str", "int", "float", "date") for c in cols]
    funcs = [_OUT[c.kind] for c in cols]

    def encode(raw: tuple[Any, ...]) -> dict[str, Any]:
        return {n: (v if p or v is None else f(v)) for n, v, p, f in zip(names, raw, plain, funcs, strict=True)}

    return encode


# ---- wire → storage (validating) --------------------------------------------------------------------------------
class _Bad(Exception):
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _in_uuid(v: Any, c: Column) -> Any:
    if type(v) is not str or len(v) != 36:
        raise _Bad("keine gültige Kennung (UUID)")
    if _CANONICAL_UUID.match(v):  # the form exporters write: same result as uuid.UUID(v).hex, without the object
        return v.replace("-", "")
    try:
        return uuid.UUID(v).hex
    except ValueError:
        raise _Bad("keine gültige Kennung (UUID)") from None


def _in_str(v: Any, c: Column) -> Any:
    if type(v) is not str:
        raise _Bad("kein Text")
    if len(v) > c.max_len:
        raise _Bad(f"länger als {c.max_len} Zeichen")
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
    """``v`` without hidden characters (see above); raises ``_Bad`` for a lone surrogate or a NUL."""
    if "\x00" in v:
        raise _Bad("enthält ein Nullzeichen")
    if _SURROGATE.search(v):
        raise _Bad("enthält ungültige Zeichen (kein gültiges Unicode)")
    if multiline:
        return _HIDDEN_MULTILINE.sub("", v)
    return _HIDDEN_ONE_LINE.sub("", _LINE_BREAKS.sub(" ", v))


def _in_int(v: Any, c: Column) -> Any:
    if type(v) is not int or not -(2**53) <= v <= 2**53:
        raise _Bad("keine ganze Zahl")
    return v


def _in_float(v: Any, c: Column) -> Any:
    if type(v) not in (int, float) or not math.isfinite(v):
        raise _Bad("keine Zahl")
    return float(v)


def _in_bool(v: Any, c: Column) -> Any:
    if type(v) is not bool:
        raise _Bad("kein Wahrheitswert")
    return int(v)


def _in_date(v: Any, c: Column) -> Any:
    if type(v) is not str:
        raise _Bad("kein Datum")
    return _memo(_DATE_MEMO, v, _date_text)


def _date_text(v: str) -> str:
    if not _DATE_RE.match(v):
        raise _Bad("kein Datum")
    try:
        date.fromisoformat(v)
    except ValueError:
        raise _Bad("kein gültiges Datum") from None
    return v


def _in_dt(v: Any, c: Column) -> Any:
    if type(v) is not str:
        raise _Bad("kein Zeitpunkt (UTC)")
    return _memo(_DT_MEMO, v, _dt_text)


def _dt_text(v: str) -> str:
    if not _DT_RE.match(v):
        raise _Bad("kein Zeitpunkt (UTC)")
    try:
        moment = datetime.fromisoformat(v[:-1])
    except ValueError:
        raise _Bad("kein gültiger Zeitpunkt") from None
    return moment.isoformat(sep=" ", timespec="microseconds")


def _in_json(v: Any, c: Column) -> Any:
    if not isinstance(v, (list, dict)):
        raise _Bad("keine Liste/Struktur")
    if len(v) > MAX_JSON_ITEMS:
        raise _Bad("zu viele Einträge")
    text = _encode_json(v)
    if len(text) > MAX_TEXT:
        raise _Bad("zu groß")
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
        raise _Bad("enthält ungültige Zeichen (kein gültiges Unicode)")
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


_IN: dict[str, Callable[[Any, Column], Any]] = {"uuid": _in_uuid, "str": _in_str, "int": _in_int,
                                                "float": _in_float, "bool": _in_bool, "date": _in_date,
                                                "datetime": _in_dt, "json": _in_json}


def row_decoder(entity: str, warnings: dict[str, int] | None = None) -> Callable[[Any], tuple[Any, ...]]:
    """A function that validates one wire row and returns it as a storage tuple; raises ``_Bad``. Text cleaned of
    hidden characters is counted per ``entity.column`` in ``warnings``."""
    cols = _COLUMNS[entity]
    names = frozenset(c.name for c in cols)
    checks: list[tuple[Column, Callable[[Any, Column], Any], frozenset[str] | None, frozenset[str] | None]] = [
        (c, _IN[c.kind], ENUM_COLUMNS.get((entity, c.name)), LIST_ENUM_COLUMNS.get((entity, c.name)))
        for c in cols]
    schemas = {c.name: JSON_SCHEMAS[(entity, c.name)] for c in cols if c.kind == "json"}
    birth = {c.name for c in cols if (entity, c.name) in BIRTH_DATE_COLUMNS}
    latest_birth = (date.today() + timedelta(days=1)).isoformat()

    def decode(row: Any) -> tuple[Any, ...]:
        if type(row) is not dict:
            raise _Bad("kein Datensatz")
        if row.keys() != names:
            unknown = sorted(set(row) - names)
            missing = sorted(names - set(row))
            raise _Bad(f"unbekannte Spalte {unknown[0]!r}" if unknown else f"Spalte {missing[0]!r} fehlt")
        out: list[Any] = []
        for c, fn, allowed, list_allowed in checks:
            v = row[c.name]
            if v is None:
                if not c.nullable:
                    raise _Bad(f"Spalte {c.name!r} darf nicht leer sein")
                out.append(None)
                continue
            if fn is _in_str and allowed is None and list_allowed is None and type(v) is str \
                    and len(v) <= c.max_len and v.isprintable():
                out.append(v)  # what _in_str returns, without the call
                continue
            try:
                value = fn(v, c)
                if c.kind == "json" and not schemas[c.name](v):
                    raise _Bad(f"keine gültige Angabe (erwartet: {_JSON_SCHEMA_NAMES[schemas[c.name]]})")
            except _Bad as exc:
                raise _Bad(f"Spalte {c.name!r}: {exc.why}") from None
            if value is not v and fn is _in_str and value != v and warnings is not None:
                key = f"{entity}.{c.name}"
                warnings[key] = warnings.get(key, 0) + 1
            if c.name in birth and value > latest_birth:
                raise _Bad(f"Spalte {c.name!r}: Geburtsdatum liegt in der Zukunft")
            if allowed is not None and v not in allowed:
                raise _Bad(f"Spalte {c.name!r}: unbekannter Wert {str(v)[:40]!r}")
            if list_allowed is not None and (type(v) is not list or not set(v) <= list_allowed):
                raise _Bad(f"Spalte {c.name!r}: unbekannter Wert in der Liste")
            out.append(value)
        return tuple(out)

    return decode


# ---- the whole payload ------------------------------------------------------------------------------------------
def dumps(payload: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, read back to the same values as ``json.dumps(…, ensure_ascii=False)`` would give, in a
    tenth of the time (orjson); the standard library takes over for what orjson refuses (an int beyond 64 bits)."""
    try:
        return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _refuse(message: str) -> PayloadInvalid:
    return PayloadInvalid(f"Der Inhalt des Pakets ist ungültig: {message}. Es wurde nichts übernommen.")


def encode(payload: dict[str, Any]) -> bytes:
    """The bytes of a payload as bundles carry it now (format 2, ``payload_stream``)."""
    return payload_stream.encode(payload)


def parse(data: bytes | Iterable[bytes], *, expected_kind: str, sender_site: str, recipient_site: str,
          counts: Mapping[str, int] | None = None) -> Payload:
    """Decode and validate a payload completely; raises ``PayloadInvalid`` on the first problem. ``data`` is the
    payload or an iterator of its decompressed chunks; it is decoded line by line (``payload_stream``) with the
    row counts held to ``counts`` (the signed header's), so no hostile payload is ever held whole."""
    try:
        source = payload_stream.open_source(data, counts)
        return _parse(source, expected_kind=expected_kind, sender_site=sender_site, recipient_site=recipient_site)
    except payload_stream.StreamInvalid as exc:
        raise PayloadInvalid(str(exc)) from None


def _parse(source: payload_stream.Source, *, expected_kind: str, sender_site: str,
           recipient_site: str) -> Payload:
    obj = source.meta
    allowed_keys = {"format", "kind", "site", "store_id", "epoch", "sequence", "full", "for_site", "entities",
                    "pseudonyms", "handovers", "ack"}
    if set(obj) - allowed_keys:
        raise _refuse(f"unbekannter Abschnitt {sorted(set(obj) - allowed_keys)[0]!r}")
    if obj.get("format") not in READABLE_FORMATS:
        raise PayloadInvalid("Das Paket wurde mit einem neueren Programm erstellt (Inhaltsformat "
                             f"{obj.get('format')!r}). Bitte WHH Desktop aktualisieren.")
    kind = obj.get("kind")
    if kind != expected_kind:
        raise _refuse("falsche Richtung (Standort/Kreis)")
    if obj.get("site") != sender_site:
        raise _refuse("der Absender im Inhalt passt nicht zum Absender des Pakets")
    for key in ("epoch", "sequence"):
        if type(obj.get(key)) is not int or obj[key] < 1:
            raise _refuse(f"{key} fehlt")
    if type(obj.get("store_id")) is not str or len(obj["store_id"]) > 36:
        raise _refuse("store_id fehlt")
    if type(obj.get("full")) is not bool:
        raise _refuse("full fehlt")
    for_site = obj.get("for_site")
    if kind == DISTRICT_TO_SITE and for_site != recipient_site:
        raise PayloadInvalid("Dieses Paket ist für einen anderen Standort bestimmt. Es wurde nichts übernommen.")
    p = Payload(kind=kind, site=sender_site, store_id=obj["store_id"], epoch=obj["epoch"],
                sequence=obj["sequence"], full=obj["full"], for_site=for_site)
    allowed_models = SITE_MODELS if kind == SITE_TO_DISTRICT else DISTRICT_MODELS
    allowed = {m.__tablename__ for m in allowed_models}
    handover_ids: set[str] = set()
    for h in source.handovers():
        p.handovers.append(_handover(h, kind, sender_site, recipient_site))
        handover_ids.add(h["case_id"])
    for entity, rows in source.entities():
        if entity not in ALL_MODELS or (entity not in allowed and not (
                kind == DISTRICT_TO_SITE and entity in {m.__tablename__ for m in HANDOVER_MODELS})):
            raise _refuse(f"unbekannte Datenart {str(entity)[:40]!r}")
        decode = row_decoder(entity, p.warnings)
        names = column_names(entity)
        owner_at = names.index("owner_site")
        origin_at = names.index("origin_site")
        out = []
        for n, row in enumerate(rows, 1):
            try:
                values = decode(row)
            except _Bad as exc:
                raise _refuse(f"{entity}, Datensatz {n}: {exc.why}") from None
            owner = values[owner_at]
            if values[origin_at] not in SITES:
                raise _refuse(f"{entity}, Datensatz {n}: unbekannter Herkunftsstandort")
            _check_owner(entity, row, owner, kind, sender_site, recipient_site, handover_ids, n)
            out.append(values)
        if entity == "cases":
            _check_case_numbers(out, names, sender_site)
        p.rows[entity] = out
    if kind == DISTRICT_TO_SITE and p.rows.get("persons"):
        _check_handover_persons(p)
    for n, e in enumerate(source.pseudonyms(), 1):
        if kind != SITE_TO_DISTRICT:
            raise _refuse("Abschnitt pseudonyms ungültig")
        p.pseudonyms.append(_pseudonym(e, n))
    source.finish()
    ack = obj.get("ack")
    if ack is not None:
        if kind != DISTRICT_TO_SITE or type(ack) is not dict or set(ack) != {"epoch", "sequence"} or any(
                type(v) is not int or v < 0 for v in ack.values()):
            raise _refuse("Abschnitt ack ungültig")
        p.ack = ack
    return p


ROW_KINDS = {"persons": "Person", "cases": "Fall", "case_categories": "Kategorie", "household_members":
             "Haushaltsmitglied", "incomes": "Einkommen", "contacts": "Kontakt", "eviction_proceedings":
             "Räumungsverfahren", "rent_ledger": "Mietschuld", "referrals": "Vermittlung", "consents": "Einwilligung",
             "deadlines": "Frist", "documents": "Dokument", "housing_searches": "Wohnungssuche", "proposals":
             "Wohnungsvorschlag", "applications": "Antrag", "application_objections": "Widerspruch",
             "help_plan_goals": "Hilfeplanziel", "help_plan_services": "Hilfeplanleistung",
             "help_plan_conferences": "Hilfeplankonferenz", "registry_requests": "Vorschlag an den Kreis",
             "landlord_notes": "Vermieterkontakt", "landlords": "Vermieter", "flat_offers": "Wohnungsangebot",
             "kdu_tables": "KdU-Tabelle", "address_book": "Adressbucheintrag", "registry_decisions":
             "Entscheidung des Kreises", "pseudonyms": "Pseudonym-Eintrag", "handover": "Übergabe"}


def row_kind(entity: str) -> str:
    """The German name of a kind of row, for refusal messages."""
    return ROW_KINDS.get(entity, entity)


def ownership_refusal(sender: str, owner: str | None, entity: str, detail: str = "") -> PayloadInvalid:
    """The whole bundle is refused: it refers to a row that belongs to another site (DESIGN.md §10)."""
    whose = f"von {_label(owner)}" if owner else "eines anderen Standorts"
    extra = f" {detail}" if detail else ""
    sent = "des Kreises" if sender == DISTRICT else f"von {_label(sender)}"
    err = PayloadInvalid(f"Das Paket {sent} verweist auf Daten {whose} ({row_kind(entity)}){extra}. Ein Standort "
                         "darf nur eigene Daten senden; es wurde nichts übernommen.")
    err.code = "ownership"
    return err


def _check_owner(entity: str, row: dict[str, Any], owner: str, kind: str, sender: str, recipient: str,
                 handover_ids: set[str], n: int) -> None:
    if kind == SITE_TO_DISTRICT:
        if owner != sender:
            raise PayloadInvalid(f"Das Paket von {_label(sender)} enthält Datensätze eines anderen Standorts "
                                 f"({_label(owner)}, {row_kind(entity)}, Datensatz {n}). Es wurde nichts "
                                 "übernommen.")
        return
    if entity in DISTRICT_TABLES:
        if owner != DISTRICT:
            raise PayloadInvalid(f"Das Paket des Kreises enthält Datensätze, die nicht dem Kreis gehören ({entity}, "
                                 f"Datensatz {n}). Es wurde nichts übernommen.")
        return
    # case aggregate rows only travel district → site inside a handover to this very site
    case_id = row["id"] if entity == "cases" else row.get("case_id")
    if owner != recipient or (entity != "persons" and case_id not in handover_ids):
        raise PayloadInvalid(f"Das Paket des Kreises enthält Falldaten ohne Übergabe an diesen Standort ({entity}, "
                             f"Datensatz {n}). Es wurde nichts übernommen.")


_CASE_NUMBER = re.compile(r"([A-Z]{2,4})-(\d{4})-(\d{4,6})\Z")


def _check_case_numbers(rows: list[tuple[Any, ...]], names: list[str], sender: str) -> None:
    """A case number is ``PREFIX-YEAR-SERIAL`` in the series of the case's origin site (intake.next_case_number).
    A case from another origin site is only legitimate when it was handed over to the sender, which the importer
    checks against the store."""
    at_number, at_origin = names.index("case_number"), names.index("origin_site")
    for n, values in enumerate(rows, 1):
        origin = values[at_origin]
        match = _CASE_NUMBER.match(str(values[at_number]))
        if origin == DISTRICT or match is None or match.group(1) != SiteCode(origin).case_prefix:
            raise PayloadInvalid(f"Der Inhalt des Pakets von {_label(sender)} ist ungültig: Fall, Datensatz {n}: "
                                 "Aktenzeichen passt nicht zum Herkunftsstandort. Es wurde nichts übernommen.")


def _check_handover_persons(p: Payload) -> None:
    """District → site: a person travels only as the person of a handed-over case in the same bundle."""
    names = column_names("cases")
    wanted = {r[names.index("person_id")] for r in p.rows.get("cases", ())}
    id_at = column_names("persons").index("id")
    for n, r in enumerate(p.rows["persons"], 1):
        if r[id_at] not in wanted:
            raise PayloadInvalid("Das Paket des Kreises enthält Personendaten ohne Übergabe an diesen Standort "
                                 f"(Person, Datensatz {n}). Es wurde nichts übernommen.")


def _label(site: str) -> str:
    try:
        return SiteCode(site).label
    except ValueError:
        return str(site)[:20]


PSEUDONYM_FIELDS = {"site", "municipality", "categories", "sex", "age_band", "nationality_group", "household_type",
                    "household_size", "opened_month", "closed_month", "outcome", "contacts_per_baustein",
                    "deleted"}
NATIONALITY_GROUPS = frozenset({"deutsch", "eu", "andere", "unbekannt"})
HOUSEHOLD_TYPES = frozenset({"allein", "paar", "paar_mit_kind", "alleinerziehend", "sonstige"})
_AGE_BAND = re.compile(r"^(\d{1,3})-(\d{1,3})$|^unbekannt$")
_CATEGORIES = ENUM_COLUMNS[("case_categories", "category")]
_SEXES = ENUM_COLUMNS[("persons", "sex")]
_OUTCOMES = ENUM_COLUMNS[("cases", "outcome")]
_BAUSTEINE = LIST_ENUM_COLUMNS[("contacts", "bausteine")]
# Optional (older exports lack it): the application statistics, a list of dicts with exactly these keys
PSEUDONYM_OPTIONAL = frozenset({"applications"})
APPLICATION_FIELDS = frozenset({"kind", "submitted_month", "decision", "decided_month", "days", "eviction_averted",
                                "objection_month", "objection_decision", "objection_decided_month",
                                "objection_days"})
_APP_KINDS = ENUM_COLUMNS[("applications", "kind")]
_APP_DECISIONS = ENUM_COLUMNS[("applications", "decision")]
_OBJ_DECISIONS = ENUM_COLUMNS[("application_objections", "decision")]
MAX_DAYS = 36_600  # a processing time of up to 100 years


_PSEUDONYM_KEYS = frozenset({"pseudonym", "person_pseudonym", "identified", "case_id", "person_id", "rev", "data"})
_ID_COLUMN = Column("id", "uuid", False)


def _pseudonym(e: Any, n: int) -> dict[str, Any]:
    where = f"pseudonyms, Eintrag {n}"
    if type(e) is not dict or e.keys() != _PSEUDONYM_KEYS:
        raise _refuse(f"{where}: falscher Aufbau")
    a, b = e["pseudonym"], e["person_pseudonym"]
    if type(a) is not str or not _HEX64.match(a) or type(b) is not str or not _HEX64.match(b):
        raise _refuse(f"{where}: kein gültiges Pseudonym")
    rev = e["rev"]
    if type(rev) is not list or len(rev) != 2 or type(rev[0]) is not int or rev[0] < 0 or type(rev[1]) is not int \
            or rev[1] < 0:
        raise _refuse(f"{where}: rev ungültig")
    if type(e["identified"]) is not bool:
        raise _refuse(f"{where}: identified ungültig")
    col = _ID_COLUMN
    try:
        if e["identified"]:
            case_id, person_id = _in_uuid(e["case_id"], col), _in_uuid(e["person_id"], col)
            if e["data"] is not None:
                raise _refuse(f"{where}: identifizierter Eintrag mit Statistikdaten")
            data = None
        else:
            if e["case_id"] is not None or e["person_id"] is not None:
                raise _refuse(f"{where}: pseudonymer Eintrag mit Kennungen")
            case_id = person_id = None
            data = _pseudonym_data(e["data"], where)
    except _Bad as exc:
        raise _refuse(f"{where}: {exc.why}") from None
    return {"pseudonym": e["pseudonym"], "person_pseudonym": e["person_pseudonym"], "identified": e["identified"],
            "case_id": case_id, "person_id": person_id, "rev": (rev[0], rev[1]), "data": data}


def _month(v: Any) -> bool:
    """``type(v) is str and _MONTH_RE.match(v)``, remembered per text."""
    if type(v) is not str:
        return False
    hit = _MONTH_MEMO.get(v)
    if hit is None:
        hit = _MONTH_MEMO[v] = bool(_MONTH_RE.match(v))
    return hit


def _age_band(v: Any) -> bool:
    if type(v) is not str:
        return False
    hit = _AGE_MEMO.get(v)
    if hit is None:
        hit = _AGE_MEMO[v] = bool(_AGE_BAND.match(v))
    return hit


def _categories_ok(cats: list[Any]) -> bool:
    for c in cats:  # noqa: SIM110 - a loop, not all(<generator>): this runs for every pseudonymous record
        if not (type(c) is list and len(c) == 2 and c[0] in _CATEGORIES and _month(c[1])):
            return False
    return True


def _per_baustein_ok(counts: dict[Any, Any]) -> bool:
    for k, v in counts.items():  # noqa: SIM110 - as above
        if not (k in _BAUSTEINE and type(v) is int and 0 <= v < 10**6):
            return False
    return True


def _days_ok(v: Any) -> bool:
    return v is None or (type(v) is int and 0 <= v <= MAX_DAYS)


def _app_month(v: Any) -> bool:
    return _month(v)


def _optional_month(v: Any) -> bool:
    return v is None or _app_month(v)


def _applications_ok(apps: Any) -> bool:
    if type(apps) is not list or len(apps) > MAX_JSON_ITEMS:
        return False
    for a in apps:
        if not (type(a) is dict and a.keys() == APPLICATION_FIELDS
                and a["kind"] in _APP_KINDS and _app_month(a["submitted_month"])
                and (a["decision"] is None or a["decision"] in _APP_DECISIONS)
                and _optional_month(a["decided_month"]) and _days_ok(a["days"])
                and (a["eviction_averted"] is None or type(a["eviction_averted"]) is bool)
                and _optional_month(a["objection_month"])
                and (a["objection_decision"] is None or a["objection_decision"] in _OBJ_DECISIONS)
                and _optional_month(a["objection_decided_month"]) and _days_ok(a["objection_days"])
                and (a["decision"] is not None or (a["decided_month"] is None and a["days"] is None))
                and (a["objection_month"] is not None or (a["objection_decision"] is None
                                                          and a["objection_decided_month"] is None
                                                          and a["objection_days"] is None))):
            return False
    return True


def _pseudonym_data(d: Any, where: str) -> dict[str, Any]:
    """Only the DESIGN.md §10 whitelist, each field checked."""
    if type(d) is not dict or (d.keys() != PSEUDONYM_FIELDS and d.keys() != PSEUDONYM_FIELDS | PSEUDONYM_OPTIONAL):
        raise _refuse(f"{where}: Felder außerhalb der erlaubten Statistikfelder")
    if len(_MONTH_MEMO) >= _MEMO_MAX or len(_AGE_MEMO) >= _MEMO_MAX:
        _MONTH_MEMO.clear()
        _AGE_MEMO.clear()
    ok = (d["site"] in COUNSELLING_SITES
          and (d["municipality"] is None or (type(d["municipality"]) is str and len(d["municipality"]) <= 40
                                             and d["municipality"].isprintable()))
          and type(d["categories"]) is list and len(d["categories"]) <= MAX_JSON_ITEMS
          and _categories_ok(d["categories"])
          and d["sex"] in _SEXES
          and _age_band(d["age_band"])
          and d["nationality_group"] in NATIONALITY_GROUPS
          and d["household_type"] in HOUSEHOLD_TYPES
          and type(d["household_size"]) is int and 1 <= d["household_size"] <= 50
          and (d["opened_month"] is None or _month(d["opened_month"]))
          and (d["closed_month"] is None or _month(d["closed_month"]))
          and (d["outcome"] is None or d["outcome"] in _OUTCOMES)
          and type(d["contacts_per_baustein"]) is dict
          and _per_baustein_ok(d["contacts_per_baustein"])
          and type(d["deleted"]) is bool
          and ("applications" not in d or _applications_ok(d["applications"])))
    if not ok:
        raise _refuse(f"{where}: ungültige Statistikdaten")
    return d


def _handover(h: Any, kind: str, sender: str, recipient: str) -> dict[str, Any]:
    keys = {"case_id", "case_number", "from_site", "to_site", "state", "documents"}
    if type(h) is not dict or set(h) != keys:
        raise _refuse("Übergabe: falscher Aufbau")
    try:
        case_hex = _in_uuid(h["case_id"], Column("case_id", "uuid", False))
        number = _in_str(h["case_number"], Column("case_number", "str", False, 20))
    except _Bad as exc:
        raise _refuse(f"Übergabe: {exc.why}") from None
    if h["from_site"] not in COUNSELLING_SITES or h["to_site"] not in COUNSELLING_SITES \
            or h["from_site"] == h["to_site"]:
        raise _refuse("Übergabe: unbekannter Standort")
    if kind == SITE_TO_DISTRICT and (h["from_site"] != sender or h["state"] != "requested"):
        raise PayloadInvalid("Das Paket enthält eine Übergabe eines Falls, der nicht dem Absender gehört. Es wurde "
                             "nichts übernommen.")
    if kind == DISTRICT_TO_SITE and not ((h["state"] == "incoming" and h["to_site"] == recipient)
                                         or (h["state"] == "done" and h["from_site"] == recipient)):
        raise PayloadInvalid("Das Paket enthält eine Übergabe für einen anderen Standort. Es wurde nichts "
                             "übernommen.")
    docs = h["documents"]
    if type(docs) is not list:
        raise _refuse("Übergabe: Dokumente ungültig")
    documents = []
    for d in docs:
        if type(d) is not dict or set(d) != {"document_id", "data"} or type(d["data"]) is not str \
                or len(d["data"]) > MAX_DOCUMENT_BYTES * 4 // 3 + 4:
            raise _refuse("Übergabe: Dokument ungültig")
        try:
            doc_hex = _in_uuid(d["document_id"], Column("document_id", "uuid", False))
            data = base64.b64decode(d["data"], validate=True)
        except (_Bad, binascii.Error, ValueError):
            raise _refuse("Übergabe: Dokument ungültig") from None
        documents.append((doc_hex, data))
    return {"case_id": h["case_id"], "case_hex": case_hex, "case_number": number, "from_site": h["from_site"],
            "to_site": h["to_site"], "state": h["state"], "documents": documents}
