"""Errors a user can meet. Each carries a German message that the UI and the CLI show as it is."""

from __future__ import annotations


class WhhError(Exception):
    """Base of all expected failures; ``str(err)`` is the German message for the user."""


class StoreNotFound(WhhError):
    pass


class WrongPassword(WhhError):
    pass


class LoginDelayed(WhhError):
    """Too many failed attempts: the next one is possible after ``seconds``."""

    def __init__(self, message: str, seconds: float) -> None:
        super().__init__(message)
        self.seconds = seconds


class WrongRecoveryKey(WhhError):
    pass


class AccountInactive(WhhError):
    pass


class KeyFileDamaged(WhhError):
    pass


class NotAStore(WhhError):
    """The file is not a WHH store, or it does not belong to this key file."""


class StoreDamaged(WhhError):
    pass


class StoreTooNew(WhhError):
    pass


class StoreLocked(WhhError):
    """Another WHH process holds the store."""


class ServerUnreachable(WhhError):
    """The district's PostgreSQL server cannot be reached or refuses the connection."""


class ConcurrentChange(WhhError):
    """A colleague changed the same rows at the same time (PostgreSQL district store); nothing was saved."""


class DataDirNotWritable(WhhError):
    pass


class DiskFull(WhhError):
    pass


class BackupFailed(WhhError):
    pass


class InvalidInput(WhhError):
    """A value entered by the user is not acceptable; the message names the field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(WhhError):
    pass


class OwnedByAnotherSite(PermissionDenied):
    """A change to a row another site (or the district) owns; a site records its own event rows instead
    (DESIGN.md §10), so reaching this is a refusal the user reads, not a crash."""


class NotFound(WhhError):
    """The row asked for does not exist or was deleted meanwhile (e.g. by a colleague or an import)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
