"""Pseudonym entries as the district receives them (DESIGN.md §10 "Pseudonymous records"): an identified entry
names the case and person and carries no statistics; any other carries only the whitelisted statistics, each field
checked against its allowed values. Written by ``pseudonym_records``.
"""

from __future__ import annotations

import re
from typing import Any

from whh_desktop.core.sync.payload_codec import BadValue, in_uuid
from whh_desktop.core.sync.payload_schema import (
    COUNSELLING_SITES,
    ENUM_COLUMNS,
    LIST_ENUM_COLUMNS,
    MAX_JSON_ITEMS,
    Column,
    refuse,
)

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")  # a real month: "2026-13" is refused, not crashed on
_MEMO_MAX = 100_000  # entries per memo below (pure functions of a str; cleared when full)
_MONTH_MEMO: dict[str, Any] = {}
_AGE_MEMO: dict[str, Any] = {}

PSEUDONYM_FIELDS = {"site", "municipality", "categories", "sex", "age_band", "nationality_group", "household_type",
                    "household_size", "opened_month", "closed_month", "outcome", "contacts_per_baustein",
                    "deleted"}
NATIONALITY_GROUPS = frozenset({"deutsch", "eu", "andere", "unbekannt"})
HOUSEHOLD_TYPES = frozenset({"allein", "paar", "paar_mit_kind", "alleinerziehend", "sonstige"})
_AGE_BAND = re.compile(r"^(\d{1,3})-(\d{1,3})$|^unbekannt$")
CATEGORIES = ENUM_COLUMNS[("case_categories", "category")]
SEXES = ENUM_COLUMNS[("persons", "sex")]
OUTCOMES = ENUM_COLUMNS[("cases", "outcome")]
BAUSTEINE = LIST_ENUM_COLUMNS[("contacts", "bausteine")]
# Optional (older exports lack it): the application statistics, a list of dicts with exactly these keys
PSEUDONYM_OPTIONAL = frozenset({"applications"})
APPLICATION_FIELDS = frozenset({"kind", "submitted_month", "decision", "decided_month", "days", "eviction_averted",
                                "objection_month", "objection_decision", "objection_decided_month",
                                "objection_days"})
APP_KINDS = ENUM_COLUMNS[("applications", "kind")]
APP_DECISIONS = ENUM_COLUMNS[("applications", "decision")]
OBJ_DECISIONS = ENUM_COLUMNS[("application_objections", "decision")]
MAX_DAYS = 36_600  # a processing time of up to 100 years


_PSEUDONYM_KEYS = frozenset({"pseudonym", "person_pseudonym", "identified", "case_id", "person_id", "rev", "data"})
_ID_COLUMN = Column("id", "uuid", False)


def pseudonym_entry(e: Any, n: int) -> dict[str, Any]:
    """Entry ``n`` of the pseudonyms section, validated: identified entries carry ids and no data, the others
    data and no ids."""
    where = f"pseudonyms, Eintrag {n}"
    if type(e) is not dict or e.keys() != _PSEUDONYM_KEYS:
        raise refuse(f"{where}: falscher Aufbau")
    a, b = e["pseudonym"], e["person_pseudonym"]
    if type(a) is not str or not _HEX64.match(a) or type(b) is not str or not _HEX64.match(b):
        raise refuse(f"{where}: kein gültiges Pseudonym")
    rev = e["rev"]
    if type(rev) is not list or len(rev) != 2 or type(rev[0]) is not int or rev[0] < 0 or type(rev[1]) is not int \
            or rev[1] < 0:
        raise refuse(f"{where}: rev ungültig")
    if type(e["identified"]) is not bool:
        raise refuse(f"{where}: identified ungültig")
    col = _ID_COLUMN
    try:
        if e["identified"]:
            case_id, person_id = in_uuid(e["case_id"], col), in_uuid(e["person_id"], col)
            if e["data"] is not None:
                raise refuse(f"{where}: identifizierter Eintrag mit Statistikdaten")
            data = None
        else:
            if e["case_id"] is not None or e["person_id"] is not None:
                raise refuse(f"{where}: pseudonymer Eintrag mit Kennungen")
            case_id = person_id = None
            data = pseudonym_data(e["data"], where)
    except BadValue as exc:
        raise refuse(f"{where}: {exc.why}") from None
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
        if not (type(c) is list and len(c) == 2 and c[0] in CATEGORIES and _month(c[1])):
            return False
    return True


def _per_baustein_ok(counts: dict[Any, Any]) -> bool:
    for k, v in counts.items():  # noqa: SIM110 - as above
        if not (k in BAUSTEINE and type(v) is int and 0 <= v < 10**6):
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
                and a["kind"] in APP_KINDS and _app_month(a["submitted_month"])
                and (a["decision"] is None or a["decision"] in APP_DECISIONS)
                and _optional_month(a["decided_month"]) and _days_ok(a["days"])
                and (a["eviction_averted"] is None or type(a["eviction_averted"]) is bool)
                and _optional_month(a["objection_month"])
                and (a["objection_decision"] is None or a["objection_decision"] in OBJ_DECISIONS)
                and _optional_month(a["objection_decided_month"]) and _days_ok(a["objection_days"])
                and (a["decision"] is not None or (a["decided_month"] is None and a["days"] is None))
                and (a["objection_month"] is not None or (a["objection_decision"] is None
                                                          and a["objection_decided_month"] is None
                                                          and a["objection_days"] is None))):
            return False
    return True


def pseudonym_data(d: Any, where: str) -> dict[str, Any]:
    """Only the DESIGN.md §10 whitelist, each field checked."""
    if type(d) is not dict or (d.keys() != PSEUDONYM_FIELDS and d.keys() != PSEUDONYM_FIELDS | PSEUDONYM_OPTIONAL):
        raise refuse(f"{where}: Felder außerhalb der erlaubten Statistikfelder")
    if len(_MONTH_MEMO) >= _MEMO_MAX or len(_AGE_MEMO) >= _MEMO_MAX:
        _MONTH_MEMO.clear()
        _AGE_MEMO.clear()
    ok = (d["site"] in COUNSELLING_SITES
          and (d["municipality"] is None or (type(d["municipality"]) is str and len(d["municipality"]) <= 40
                                             and d["municipality"].isprintable()))
          and type(d["categories"]) is list and len(d["categories"]) <= MAX_JSON_ITEMS
          and _categories_ok(d["categories"])
          and d["sex"] in SEXES
          and _age_band(d["age_band"])
          and d["nationality_group"] in NATIONALITY_GROUPS
          and d["household_type"] in HOUSEHOLD_TYPES
          and type(d["household_size"]) is int and 1 <= d["household_size"] <= 50
          and (d["opened_month"] is None or _month(d["opened_month"]))
          and (d["closed_month"] is None or _month(d["closed_month"]))
          and (d["outcome"] is None or d["outcome"] in OUTCOMES)
          and type(d["contacts_per_baustein"]) is dict
          and _per_baustein_ok(d["contacts_per_baustein"])
          and type(d["deleted"]) is bool
          and ("applications" not in d or _applications_ok(d["applications"])))
    if not ok:
        raise refuse(f"{where}: ungültige Statistikdaten")
    return d


