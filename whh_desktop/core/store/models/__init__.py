"""All mapped classes; importing this module registers them on ``Base.metadata``."""

from whh_desktop.core.store.models.accounts import Account, Role
from whh_desktop.core.store.models.address_book import AddressEntry
from whh_desktop.core.store.models.applications import Application, Objection
from whh_desktop.core.store.models.cases import (
    Case,
    CategoryEntry,
    Consent,
    Contact,
    DeadlineEntry,
    Document,
    EvictionProceeding,
    HouseholdMember,
    Income,
    Referral,
    RentDueEntry,
)
from whh_desktop.core.store.models.dedup import PersonLink
from whh_desktop.core.store.models.help_plans import (
    HelpPlanConference,
    HelpPlanGoal,
    HelpPlanService,
    SuchthilfeStage,
)
from whh_desktop.core.store.models.housing import (
    FlatOffer,
    HousingSearch,
    KduTableVersion,
    Landlord,
    LandlordNote,
    Proposal,
    RegistryDecision,
    RegistryRequest,
)
from whh_desktop.core.store.models.journal import AuditEntry, ChangeLog
from whh_desktop.core.store.models.local import DocumentContent, SearchDoc
from whh_desktop.core.store.models.meta import Setting, StoreMeta
from whh_desktop.core.store.models.persons import Person
from whh_desktop.core.store.models.rules import KarenzzeitRuleVersion, LocalCourt
from whh_desktop.core.store.models.sync import (
    CaseShareState,
    ExportState,
    Handover,
    HandoverDocument,
    ImportedBundle,
    PendingExport,
    PseudonymEntry,
)

__all__ = [
    "Account", "AddressEntry", "Application", "AuditEntry", "Case", "CaseShareState", "CategoryEntry", "ChangeLog",
    "Consent", "Contact", "DeadlineEntry", "Document", "DocumentContent", "EvictionProceeding", "ExportState",
    "FlatOffer", "Handover", "HandoverDocument", "HelpPlanConference", "HelpPlanGoal", "HelpPlanService",
    "HouseholdMember", "HousingSearch", "ImportedBundle", "Income", "KarenzzeitRuleVersion", "KduTableVersion",
    "Landlord", "LandlordNote", "LocalCourt", "Objection", "PendingExport", "Person", "PersonLink", "Proposal",
    "PseudonymEntry", "Referral", "RegistryDecision", "RegistryRequest", "RentDueEntry", "Role", "SearchDoc", "Setting",
    "StoreMeta", "SuchthilfeStage",
]
