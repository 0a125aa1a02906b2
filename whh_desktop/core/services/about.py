"""What "Über WHH Desktop" and ``whh selftest`` show: versions, store path, schema, integrity, last backup."""

from __future__ import annotations

import platform
from dataclasses import dataclass

import sqlalchemy
from sqlalchemy import func, select

from whh_desktop import __version__
from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.store import audit, schema
from whh_desktop.core.store.backup import list_backups
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Account, Person


@dataclass(frozen=True)
class SystemInfo:
    program_version: str
    store_path: str
    store_size_bytes: int
    schema_version: str
    schema_revision: str | None
    sqlcipher_version: str
    sqlite_version: str
    python_version: str
    sqlalchemy_version: str
    site_label: str
    mode_label: str
    store_id: str
    epoch: int
    accounts: int
    persons: int
    last_backup: str | None
    audit_chain: str
    integrity: str | None

    def rows(self) -> list[tuple[str, str]]:
        """Label/value pairs in German, for the dialog and the CLI."""
        size_mb = self.store_size_bytes / 1_048_576
        rows = [
            ("Programmversion", self.program_version),
            ("Standort", f"{self.site_label} ({self.mode_label})"),
            ("Datenbank", self.store_path),
            ("Größe", f"{size_mb:.1f} MB".replace(".", ",")),
            ("Schemaversion", f"{self.schema_version} ({self.schema_revision or '–'})"),
            ("Datenbestand-ID", self.store_id),
            ("Epoche", str(self.epoch)),
            ("Konten", str(self.accounts)),
            ("Personen", str(self.persons)),
            ("Letzte Sicherung", self.last_backup or "noch keine"),
            ("Protokoll", self.audit_chain),
            ("SQLCipher", self.sqlcipher_version),
            ("SQLite", self.sqlite_version),
            ("SQLAlchemy", self.sqlalchemy_version),
            ("Python", self.python_version),
        ]
        if self.integrity is not None:
            rows.append(("Integritätsprüfung", "in Ordnung" if self.integrity == "ok" else self.integrity))
        return rows


def system_info(store: Store, *, full_check: bool = False) -> SystemInfo:
    with store.engine.connect() as conn:
        cipher = conn.exec_driver_sql("PRAGMA cipher_version").scalar() or "?"
        sqlite_version = conn.exec_driver_sql("SELECT sqlite_version()").scalar()
    revision = schema.current_revision(store.engine)
    with store.read_session() as s:
        accounts = s.execute(select(func.count()).select_from(Account)).scalar_one()
        persons = s.execute(select(func.count()).select_from(Person).where(Person.deleted_at.is_(None))).scalar_one()
        chain = audit.verify_chain(s).message
    backups = list_backups(store.paths.backups)
    last = backups[0].created_at.astimezone().strftime("%d.%m.%Y %H:%M") if backups else None
    size = sum(p.stat().st_size for p in store.paths.root.glob(store.paths.store.name + "*") if p.is_file())
    return SystemInfo(
        program_version=__version__, store_path=str(store.paths.store), store_size_bytes=size,
        schema_version=schema.schema_label(revision), schema_revision=revision,
        sqlcipher_version=str(cipher), sqlite_version=str(sqlite_version),
        python_version=platform.python_version(), sqlalchemy_version=sqlalchemy.__version__,
        site_label=SiteCode(store.info.site_code).label, mode_label=StoreMode(store.info.mode).label,
        store_id=store.info.store_id, epoch=store.info.epoch, accounts=accounts, persons=persons,
        last_backup=last, audit_chain=chain, integrity=store.integrity_check() if full_check else None)
