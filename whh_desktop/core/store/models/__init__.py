"""All mapped classes; importing this module registers them on ``Base.metadata``."""

from whh_desktop.core.store.models.accounts import Account, Role
from whh_desktop.core.store.models.address_book import AddressEntry
from whh_desktop.core.store.models.applications import Application, Objection  # noqa: F401
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
from whh_desktop.core.store.models.help_plans import (  # noqa: F401
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
from whh_desktop.core.store.models.rules import KarenzzeitRuleVersion, LocalCourt  # noqa: F401
from whh_desktop.core.store.models.sync import (  # noqa: F401
    CaseShareState,
    ExportState,
    Handover,
    HandoverDocument,
    ImportedBundle,
    PendingExport,
    PseudonymEntry,
)

__all__ = [
    "Account", "AddressEntry", "AuditEntry", "Case", "CategoryEntry", "ChangeLog", "Consent", "Contact",
    "DeadlineEntry", "Document", "DocumentContent", "EvictionProceeding", "FlatOffer", "HouseholdMember",
    "HousingSearch", "Income", "KduTableVersion", "Landlord", "LandlordNote", "Person", "PersonLink", "Proposal",
    "Referral", "RegistryDecision", "RegistryRequest", "RentDueEntry", "Role", "SearchDoc", "Setting", "StoreMeta",
]
