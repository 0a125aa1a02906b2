"""Pseudonymous records (DESIGN.md §10): the whitelisted statistics a case goes out with when no valid consent
names the Kreis, keyed by an HMAC-SHA256 of its id with a per-site secret that never leaves the store, and the
pseudonym entry every affected case gets in a site export (identified or not, so the district can link them).

What a record is made of and what decides the consent gate are narrow column lists: a full export reads only
these for the cases that go out pseudonymous (most of them, DESIGN.md §7) and whole rows only for the cases that
go out identified.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from whh_desktop.core.store.models import Setting
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.payload_codec import out_json

SECRET_KEY = "sync_pseudonym_secret"
EU = frozenset({"AT", "BE", "BG", "CY", "CZ", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
                "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"})

STAT_CASE = ("municipality", "opened_on", "closed_on", "outcome", "deleted_at")
STAT_PERSON = ("birth_date", "sex", "nationality")
STAT_CHILD = {"case_categories": ("category", "since", "deleted_at"),
              "household_members": ("relation", "deleted_at"),
              "contacts": ("bausteine", "deleted_at"),
              "applications": ("id", "kind", "submitted_on", "decision", "decided_on", "eviction_averted",
                               "deleted_at"),
              "application_objections": ("application_id", "lodged_on", "decision", "decided_on", "deleted_at")}


@dataclass
class Stats:
    """One case's statistics inputs: narrow tuples in the ``STAT_*`` column orders."""

    case: tuple[Any, ...]
    children: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))


def pseudonym_secret(session: Session) -> bytes:
    """The per-site HMAC key (a ``Setting`` row, never exported); made on first use."""
    row = session.get(Setting, SECRET_KEY)
    if row is None:
        row = Setting(key=SECRET_KEY, value=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return bytes.fromhex(str(row.value))


def pseudonym(secret: bytes, kind: str, hex_id: str) -> str:
    return hmac.digest(secret, f"{kind}:{pl.hyphenated(hex_id)}".encode(), hashlib.sha256).hex()


def pseudonym_entries(secret: bytes, cases: Iterable[str], *, person_of: Mapping[str, str],
                      shares: Mapping[str, bool], stats: Mapping[str, Stats],
                      person_stats: Mapping[str, tuple[Any, ...]], site: str, rev: list[int]) -> list[dict[str, Any]]:
    """One entry per case (in the given order): an identified case names its ids and carries no statistics, any
    other carries only its statistics. ``rev`` is ``[epoch, change_seq]`` of this export."""
    entries: list[dict[str, Any]] = []
    parsed: dict[str, Any] = {}
    for case_hex in cases:
        person_hex = person_of[case_hex]
        entry: dict[str, Any] = {"pseudonym": pseudonym(secret, "case", case_hex),
                                 "person_pseudonym": pseudonym(secret, "person", person_hex), "rev": [*rev]}
        if shares[case_hex]:
            entry |= {"identified": True, "case_id": pl.hyphenated(case_hex), "person_id": pl.hyphenated(person_hex),
                      "data": None}
        else:
            entry |= {"identified": False, "case_id": None, "person_id": None,
                      "data": statistics(stats[case_hex], person_stats.get(person_hex), site, parsed)}
        entries.append(entry)
    return entries


def statistics(st: Stats, person: tuple[Any, ...] | None, site: str, parsed: dict[str, Any]) -> dict[str, Any]:
    """The DESIGN.md §10 whitelist, nothing else. ``parsed`` caches decoded ``bausteine`` JSON across cases."""
    municipality, opened, closed, outcome, deleted_at = st.case
    birth, sex, nat = person if person is not None else (None, None, None)
    age_band = "unbekannt"
    if birth and opened:
        b, o = date.fromisoformat(birth), date.fromisoformat(opened)
        age = o.year - b.year - ((o.month, o.day) < (b.month, b.day))
        if age >= 0:
            age_band = f"{age // 5 * 5}-{age // 5 * 5 + 4}"
    group = "unbekannt" if not nat else "deutsch" if nat == "DE" else "eu" if nat in EU else "andere"
    cats = sorted(st.children.get("case_categories", ()), key=lambda c: (c[1], c[0]))
    categories = [[category, since[:7]] for category, since, gone in cats if gone is None]
    relations = [relation for relation, gone in st.children.get("household_members", ()) if gone is None]
    partner, kids = "partner" in relations, "kind" in relations
    htype = ("allein" if not relations else "paar_mit_kind" if partner and kids else "paar" if partner
             and len(relations) == 1 else "alleinerziehend" if kids and not partner
             and all(r == "kind" for r in relations) else "sonstige")
    per_baustein: dict[str, int] = defaultdict(int)
    for text, gone in st.children.get("contacts", ()):
        if gone is None:
            if text in parsed:
                values = parsed[text]
            else:
                values = parsed[text] = out_json(text)
            for b in values or ():
                per_baustein[str(b)] += 1
    return {"site": site, "municipality": municipality, "categories": categories,
            "sex": sex or "ohne_angabe", "age_band": age_band, "nationality_group": group,
            "household_type": htype, "household_size": 1 + len(relations),
            "opened_month": opened[:7] if opened else None,
            "closed_month": closed[:7] if closed else None, "outcome": outcome,
            "contacts_per_baustein": dict(sorted(per_baustein.items())), "deleted": deleted_at is not None,
            "applications": application_statistics(st)}


def days_between(start: str | None, end: str | None) -> int | None:
    """Whole days; None for an impossible span (a decision dated before the submission is an entry error at the site
    and must not make the district refuse the whole bundle)."""
    if not start or not end:
        return None
    days = (date.fromisoformat(end[:10]) - date.fromisoformat(start[:10])).days
    return days if 0 <= days <= pl.MAX_DAYS else None


def application_statistics(st: Stats) -> list[dict[str, Any]]:
    """Per live application (in submission order): kind, months, decision, the processing time in whole days (an
    integer, no date), the eviction averted flag and its last Widerspruch (month lodged, outcome, month and days)."""
    last: dict[str, tuple[Any, ...]] = {}
    for app_id, lodged, decision, decided, gone in sorted(st.children.get("application_objections", ()),
                                                         key=lambda o: (o[1] or "", o[3] or "")):
        if gone is None:
            last[app_id] = (lodged, decision, decided)
    out = []
    for app_id, kind, submitted, decision, decided, averted, gone in sorted(
            st.children.get("applications", ()), key=lambda a: (a[2] or "", a[0])):
        if gone is not None or not submitted:
            continue
        o_lodged, o_decision, o_decided = last.get(app_id, (None, None, None))
        out.append({"kind": kind, "submitted_month": submitted[:7], "decision": decision,
                    "decided_month": decided[:7] if decision and decided else None,
                    "days": days_between(submitted, decided) if decision else None,
                    "eviction_averted": None if averted is None else bool(averted),
                    "objection_month": o_lodged[:7] if o_lodged else None,
                    "objection_decision": o_decision if o_lodged else None,
                    "objection_decided_month": o_decided[:7] if o_lodged and o_decision and o_decided else None,
                    "objection_days": days_between(o_lodged, o_decided) if o_lodged and o_decision else None})
    return out
