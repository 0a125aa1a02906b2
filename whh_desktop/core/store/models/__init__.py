"""All mapped classes; importing this module registers them on ``Base.metadata``."""

from whh_desktop.core.store.models.accounts import Account, Role
from whh_desktop.core.store.models.journal import AuditEntry, ChangeLog
from whh_desktop.core.store.models.meta import Setting, StoreMeta
from whh_desktop.core.store.models.persons import Person

__all__ = ["Account", "AuditEntry", "ChangeLog", "Person", "Role", "Setting", "StoreMeta"]
