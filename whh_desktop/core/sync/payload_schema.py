"""What a bundle's payload may hold: the entities (case aggregate, site registry rows, district registry rows),
their columns with the wire kind of each, the allowed values of enum columns, and the validated ``Payload`` that
``payload.parse`` returns. No encoding here (``payload_codec``) and no trust rules (``payload_rules``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Text, Uuid

from whh_desktop.core.domain import enums, housing
from whh_desktop.core.domain.deadlines import NotificationKind
from whh_desktop.core.domain.legal_state import CureMethod
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import WhhError
from whh_desktop.core.store.base import Base, UtcDateTime
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
CASE_CHILDREN: tuple[type[Base], ...] = (CategoryEntry, HouseholdMember, Income, Contact, EvictionProceeding,
                                   RentDueEntry, Referral, Consent, DeadlineEntry, Document, HousingSearch, Proposal,
                                   _apps.Application, _apps.Objection,
                                   _plans.HelpPlanGoal, _plans.HelpPlanService, _plans.HelpPlanConference)
# The Suchthilfe pathway (suchthilfe_stages) is health data and stays at the site: identified rows go out with any
# Kreis consent, and the exporter has no per-row check of the health tick.
SITE_MODELS: tuple[type[Base], ...] = (Person, Case, *CASE_CHILDREN, RegistryRequest, LandlordNote)
DISTRICT_MODELS: tuple[type[Base], ...] = (Landlord, FlatOffer, KduTableVersion, AddressEntry, RegistryDecision,
                                           LandlordNote, _rules.KarenzzeitRuleVersion, _rules.LocalCourt)
HANDOVER_MODELS: tuple[type[Base], ...] = (Person, Case, *CASE_CHILDREN)
ALL_MODELS: dict[str, type[Base]] = {m.__tablename__: m for m in (*SITE_MODELS, *DISTRICT_MODELS)}
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


def refuse(message: str) -> PayloadInvalid:
    """The whole bundle is refused for ``message`` (a German phrase naming the first problem)."""
    return PayloadInvalid(f"Der Inhalt des Pakets ist ungültig: {message}. Es wurde nichts übernommen.")
