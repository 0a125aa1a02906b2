"""The store as the UI may name it: types and the few store-level calls a window needs (calibre's ``db/cache``).

The UI imports ``core.store`` only through this module (an import-linter contract says so). It passes a
:class:`Store` to services and reads its ``info`` (site, mode); it never opens a session itself.
"""

from __future__ import annotations

from whh_desktop.core.store.backup import BackupInfo
from whh_desktop.core.store.engine import Store, StoreInfo
from whh_desktop.core.store.keys import KdfParams, new_recovery_key, recovery_key_groups
from whh_desktop.core.store.lock import InstanceLock

__all__ = ["BackupInfo", "InstanceLock", "KdfParams", "Store", "StoreInfo", "new_recovery_key",
           "recovery_key_groups"]
