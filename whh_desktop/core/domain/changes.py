"""What an operation changed (Anki's ``OpChanges``): which aggregates, and which cases' files.

The store records it from every committed write (``core/store/changes.py``), so no service has to remember to
say what it touched; an operation in the UI gets the value back and broadcasts it, and each view decides from it
whether to refresh (``changes.touches(Aggregate.DEADLINES)``, ``changes.touches_case(case_id)``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from whh_desktop.core.domain.formatting import plural


class Aggregate(StrEnum):
    """One per table of the store; the value is the table name (a test keeps the two lists equal)."""

    ACCOUNTS = "accounts"
    ADDRESS_BOOK = "address_book"
    APPLICATION_OBJECTIONS = "application_objections"
    APPLICATIONS = "applications"
    AUDIT_LOG = "audit_log"
    CASE_CATEGORIES = "case_categories"
    CASES = "cases"
    CHANGE_LOG = "change_log"
    CONSENTS = "consents"
    CONTACTS = "contacts"
    DEADLINES = "deadlines"
    DOCUMENT_CONTENTS = "document_contents"
    DOCUMENTS = "documents"
    EVICTION_PROCEEDINGS = "eviction_proceedings"
    FLAT_OFFERS = "flat_offers"
    HELP_PLAN_CONFERENCES = "help_plan_conferences"
    HELP_PLAN_GOALS = "help_plan_goals"
    HELP_PLAN_SERVICES = "help_plan_services"
    HOUSEHOLD_MEMBERS = "household_members"
    HOUSING_SEARCHES = "housing_searches"
    INCOMES = "incomes"
    KARENZZEIT_RULES = "karenzzeit_rules"
    KDU_TABLES = "kdu_tables"
    LANDLORD_NOTES = "landlord_notes"
    LANDLORDS = "landlords"
    LOCAL_COURTS = "local_courts"
    PERSON_LINKS = "person_links"
    PERSONS = "persons"
    PROPOSALS = "proposals"
    REFERRALS = "referrals"
    REGISTRY_DECISIONS = "registry_decisions"
    REGISTRY_REQUESTS = "registry_requests"
    RENT_LEDGER = "rent_ledger"
    SEARCH_DOCS = "search_docs"
    SETTINGS = "settings"
    STORE_META = "store_meta"
    SUCHTHILFE_STAGES = "suchthilfe_stages"
    SYNC_CASE_SHARE = "sync_case_share"
    SYNC_EXPORT_STATE = "sync_export_state"
    SYNC_HANDOVER_DOCUMENTS = "sync_handover_documents"
    SYNC_HANDOVERS = "sync_handovers"
    SYNC_IMPORTED_BUNDLES = "sync_imported_bundles"
    SYNC_PENDING_EXPORTS = "sync_pending_exports"
    SYNC_PSEUDONYM_APPLICATIONS = "sync_pseudonym_applications"
    SYNC_PSEUDONYM_CATEGORIES = "sync_pseudonym_categories"
    SYNC_PSEUDONYM_CONTACTS = "sync_pseudonym_contacts"
    SYNC_PSEUDONYM_FACTS = "sync_pseudonym_facts"
    SYNC_PSEUDONYMS = "sync_pseudonyms"


# Groups views ask about, so a view names what it shows rather than every table behind it.
CASE_FILE = frozenset({
    Aggregate.CASES, Aggregate.PERSONS, Aggregate.CASE_CATEGORIES, Aggregate.CONTACTS, Aggregate.DEADLINES,
    Aggregate.EVICTION_PROCEEDINGS, Aggregate.RENT_LEDGER, Aggregate.CONSENTS, Aggregate.REFERRALS,
    Aggregate.DOCUMENTS, Aggregate.HOUSEHOLD_MEMBERS, Aggregate.INCOMES, Aggregate.HOUSING_SEARCHES,
    Aggregate.PROPOSALS, Aggregate.APPLICATIONS, Aggregate.APPLICATION_OBJECTIONS, Aggregate.HELP_PLAN_GOALS,
    Aggregate.HELP_PLAN_SERVICES, Aggregate.HELP_PLAN_CONFERENCES, Aggregate.SUCHTHILFE_STAGES,
    Aggregate.PERSON_LINKS})
HOUSING_MARKET = frozenset({
    Aggregate.LANDLORDS, Aggregate.LANDLORD_NOTES, Aggregate.FLAT_OFFERS, Aggregate.REGISTRY_REQUESTS,
    Aggregate.REGISTRY_DECISIONS, Aggregate.PROPOSALS})
RULES = frozenset({Aggregate.KDU_TABLES, Aggregate.KARENZZEIT_RULES, Aggregate.LOCAL_COURTS,
                   Aggregate.ADDRESS_BOOK, Aggregate.SETTINGS})
EXCHANGE = frozenset({
    Aggregate.SYNC_EXPORT_STATE, Aggregate.SYNC_IMPORTED_BUNDLES, Aggregate.SYNC_PENDING_EXPORTS,
    Aggregate.SYNC_HANDOVERS, Aggregate.SYNC_CASE_SHARE, Aggregate.STORE_META})

# Bookkeeping every write adds; it alone is no reason for a view to refresh.
_BOOKKEEPING = frozenset({Aggregate.CHANGE_LOG, Aggregate.SEARCH_DOCS})


def _case_key(case_id: UUID | str) -> str:
    return str(case_id)


@dataclass(frozen=True)
class Changes:
    """Aggregates written and the cases whose file changed; ``everything`` after an import or a restore."""

    aggregates: frozenset[Aggregate] = field(default_factory=frozenset)
    cases: frozenset[str] = field(default_factory=frozenset)
    everything: bool = False

    @classmethod
    def of(cls, *aggregates: Aggregate, cases: Iterable[UUID | str] = ()) -> Changes:
        return cls(frozenset(aggregates), frozenset(_case_key(c) for c in cases))

    @classmethod
    def all(cls) -> Changes:
        return cls(everything=True)

    def __bool__(self) -> bool:
        return self.everything or bool(self.aggregates - _BOOKKEEPING)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.aggregates | other.aggregates, self.cases | other.cases,
                       self.everything or other.everything)

    def touches(self, *aggregates: Aggregate | Iterable[Aggregate]) -> bool:
        """True when any of the aggregates (or groups such as :data:`CASE_FILE`) changed."""
        if self.everything:
            return True
        wanted: set[Aggregate] = set()
        for a in aggregates:
            if isinstance(a, Aggregate):
                wanted.add(a)
            else:
                wanted.update(a)
        return not self.aggregates.isdisjoint(wanted)

    def touches_case(self, case_id: UUID | str) -> bool:
        return self.everything or _case_key(case_id) in self.cases

    def describe(self) -> str:
        """For logs and test failures: table names only, never ids (logs carry no personal data)."""
        if self.everything:
            return "Changes(everything)"
        aggregates = ", ".join(sorted(a.value for a in self.aggregates))
        return f"Changes({aggregates}; {plural(len(self.cases), 'Fall', 'Fälle')})"
