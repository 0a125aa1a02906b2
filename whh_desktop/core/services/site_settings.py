"""Local settings of a store: letterhead, auto-lock, backup retention, the retention period of closed cases."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.letterhead import Letterhead
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.store import audit
from whh_desktop.core.store.backup import Retention
from whh_desktop.core.store.models import Setting

if TYPE_CHECKING:  # annotations only: login reads these settings
    from whh_desktop.core.services.login import CurrentUser
    from whh_desktop.core.store.engine import Store

_PHONE_RE = re.compile(r"^[+0-9][0-9 ()/\-]{4,30}$")
MIN_RETENTION_YEARS, MAX_RETENTION_YEARS = 1, 10


@dataclass(frozen=True)
class Settings:
    letterhead: Letterhead = field(default_factory=Letterhead)
    autolock_minutes: int = 5
    backup_keep_last: int = 10
    backup_keep_monthly: int = 12
    # closed cases are kept this many years after the end of the closing year (DOMAIN.md: configurable, default 3)
    retention_years: int = 3

    @property
    def retention(self) -> Retention:
        return Retention(self.backup_keep_last, self.backup_keep_monthly)

    def validate(self) -> None:
        self.letterhead.validate()
        if not 1 <= self.autolock_minutes <= 120:
            raise InvalidInput("Die automatische Sperre liegt zwischen 1 und 120 Minuten.", "autolock_minutes")
        if not 1 <= self.backup_keep_last <= 100:
            raise InvalidInput("Es werden 1 bis 100 letzte Sicherungen aufbewahrt.", "backup_keep_last")
        if not 0 <= self.backup_keep_monthly <= 60:
            raise InvalidInput("Monatssicherungen: 0 bis 60 Monate.", "backup_keep_monthly")
        if not MIN_RETENTION_YEARS <= self.retention_years <= MAX_RETENTION_YEARS:
            raise InvalidInput(f"Die Aufbewahrungsfrist abgeschlossener Fälle liegt zwischen {MIN_RETENTION_YEARS} "
                               f"und {MAX_RETENTION_YEARS} Jahren nach Ende des Abschlussjahres.", "retention_years")


def load(session: Session) -> Settings:
    values = {row.key: row.value for row in session.execute(select(Setting)).scalars()}
    letterhead = Letterhead(**{f.name: values.get(f"letterhead.{f.name}", "") for f in fields(Letterhead)})
    defaults = Settings()
    return Settings(
        letterhead=letterhead,
        autolock_minutes=int(values.get("autolock_minutes", defaults.autolock_minutes)),
        backup_keep_last=int(values.get("backup_keep_last", defaults.backup_keep_last)),
        backup_keep_monthly=int(values.get("backup_keep_monthly", defaults.backup_keep_monthly)),
        retention_years=int(values.get("retention_years", defaults.retention_years)),
    )


def retention_years(session: Session) -> int:
    """Years closed cases are kept after the end of the closing year (the Art. 15 report, the deletion list)."""
    row = session.get(Setting, "retention_years")
    return int(row.value) if row is not None else Settings().retention_years


def save(session: Session, settings: Settings, actor: str | None = None) -> None:
    settings.validate()
    before = load(session)
    items = {f"letterhead.{k}": v.strip() for k, v in asdict(settings.letterhead).items()}
    items.update(autolock_minutes=settings.autolock_minutes, backup_keep_last=settings.backup_keep_last,
                 backup_keep_monthly=settings.backup_keep_monthly, retention_years=settings.retention_years)
    for key, value in items.items():
        session.merge(Setting(key=key, value=value))
    session.flush()
    if actor is not None:
        changed = sorted({k.split(".")[0] for k, v in _flat(before).items() if items.get(k) != v})
        audit.append(session, actor, "settings_changed", detail=",".join(changed) or None)


def _flat(settings: Settings) -> dict[str, object]:
    flat: dict[str, object] = {f"letterhead.{k}": v for k, v in asdict(settings.letterhead).items()}
    flat.update(autolock_minutes=settings.autolock_minutes, backup_keep_last=settings.backup_keep_last,
                backup_keep_monthly=settings.backup_keep_monthly, retention_years=settings.retention_years)
    return flat


def current(store: Store, user: CurrentUser) -> Settings:
    """The site's settings as the UI reads them (one read session)."""
    with store.read_session() as s:
        return load(s)
