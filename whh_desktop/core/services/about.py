"""What "Über WHH Desktop" and ``whh selftest`` show: versions, store path, schema, integrity, last backup.

``systemcheck`` is the longer list behind "Über WHH Desktop → Systemcheck": everything a support call asks for
(program and library versions, store path and size, integrity, backups, export/import state, key fingerprints),
and nothing about the people in the store (no names, no case numbers, no account names).
"""

from __future__ import annotations

import platform
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy
from sqlalchemy import func, select

from whh_desktop import __version__
from whh_desktop.core.domain import labels
from whh_desktop.core.domain.formatting import days_ago, fmt_datetime, fmt_size, plural
from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.store import audit, schema
from whh_desktop.core.store.backup import list_backups
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Account, Person
from whh_desktop.core.store.models.sync import ExportState
from whh_desktop.core.sync import ledger
from whh_desktop.core.sync.ledger import site_label


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
    database_versions: tuple[tuple[str, str], ...] = ()  # SQLCipher and SQLite, or the PostgreSQL server

    def rows(self) -> list[tuple[str, str]]:
        """Label/value pairs in German, for the dialog and the CLI."""
        rows = [
            ("Programmversion", self.program_version),
            ("Standort", f"{self.site_label} ({self.mode_label})"),
            ("Datenbank", self.store_path),
            ("Größe", fmt_size(self.store_size_bytes, smallest="MB")),
            ("Schemaversion", f"{self.schema_version} ({self.schema_revision or '–'})"),
            ("Datenbestand-ID", self.store_id),
            ("Epoche", str(self.epoch)),
            ("Konten", str(self.accounts)),
            ("Personen", str(self.persons)),
            ("Letzte Sicherung", self.last_backup or "noch keine"),
            ("Protokoll", self.audit_chain),
            *self.database_versions,
            ("SQLAlchemy", self.sqlalchemy_version),
            ("Python", self.python_version),
        ]
        if self.integrity is not None:
            rows.append(("Integritätsprüfung", "in Ordnung" if self.integrity == "ok" else self.integrity))
        return rows


def system_info(store: Store, *, full_check: bool = False) -> SystemInfo:
    versions = store.versions()
    cipher, sqlite_version = dict(versions).get("SQLCipher", "–"), dict(versions).get("SQLite", "–")
    revision = schema.current_revision(store.engine)
    with store.read_session() as s:
        accounts = s.execute(select(func.count()).select_from(Account)).scalar_one()
        persons = s.execute(select(func.count()).select_from(Person).where(Person.deleted_at.is_(None))).scalar_one()
        chain = audit.verify_chain(s).message
    backups = list_backups(store.paths.backups)
    last = fmt_datetime(backups[0].created_at) if backups else None
    return SystemInfo(
        program_version=__version__, store_path=store.location(), store_size_bytes=store.size_bytes(),
        database_versions=tuple(versions),
        schema_version=schema.schema_label(revision), schema_revision=revision,
        sqlcipher_version=str(cipher), sqlite_version=str(sqlite_version),
        python_version=platform.python_version(), sqlalchemy_version=sqlalchemy.__version__,
        site_label=SiteCode(store.info.site_code).label, mode_label=StoreMode(store.info.mode).label,
        store_id=store.info.store_id, epoch=store.info.epoch, accounts=accounts, persons=persons,
        last_backup=last, audit_chain=chain, integrity=store.integrity_check() if full_check else None)


# ---- Systemcheck ----------------------------------------------------------------------------------------------
SECTIONS = ("Programm", "Datenbestand", "Integrität", "Sicherung", "Austausch", "Schlüssel")
OK, WARNING, ERROR, INFO = "ok", "warnung", "fehler", ""
STATUS_LABELS = {OK: "in Ordnung", WARNING: "bitte prüfen", ERROR: "Fehler", INFO: ""}
BACKUP_WARN_DAYS = 7


@dataclass(frozen=True)
class CheckRow:
    """One line of the Systemcheck: section, label, value and a status (``ok``/``warnung``/``fehler``/info)."""

    section: str
    label: str
    value: str
    status: str = INFO


def _mb(size: int) -> str:
    return fmt_size(size, smallest="MB", largest="GB")


def integrity_label(result: str) -> tuple[str, str]:
    """A PRAGMA quick_check/integrity_check result as (German text, status)."""
    return ("in Ordnung", OK) if result == "ok" else (f"FEHLER: {result}", ERROR)


def library_versions() -> list[tuple[str, str]]:
    """Versions of the program and its libraries that do not need an open store or Qt."""
    import alembic
    import cryptography
    import reportlab

    frozen = bool(getattr(sys, "frozen", False))
    return [
        ("Programmversion", __version__),
        ("Ausführung", "installiertes Programm" if frozen else "aus dem Quelltext (Python-Umgebung)"),
        ("Betriebssystem", platform.platform()),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()}, {platform.machine()})"),
        ("SQLAlchemy", sqlalchemy.__version__),
        ("Alembic", alembic.__version__),
        ("reportlab", reportlab.Version),
        ("cryptography", cryptography.__version__),
    ]


def systemcheck(store: Store, *, extra_versions: Sequence[tuple[str, str]] = (),
                quick_check: bool = True, full_check: str | None = None) -> list[CheckRow]:
    """The Systemcheck rows. ``extra_versions`` adds what only the caller knows (the Qt and binding versions);
    ``quick_check`` runs ``PRAGMA quick_check`` (seconds on a large store); ``full_check`` is the result of a
    full ``integrity_check`` the caller ran in the background, or None when it has not run yet.
    A part that cannot be read is shown as an error row, never raised: support needs the rest."""
    rows: list[CheckRow] = []

    def part(section: str, label: str, fn: Callable[[], list[CheckRow]]) -> None:
        try:
            rows.extend(fn())
        except Exception as exc:  # one broken part must not hide the others
            rows.append(CheckRow(section, label, f"nicht ermittelbar: {type(exc).__name__}: {exc}", ERROR))

    part("Programm", "Versionen", lambda: _program_rows(store, extra_versions))
    part("Datenbestand", "Datenbestand", lambda: _store_rows(store))
    part("Integrität", "Integrität", lambda: _integrity_rows(store, quick_check, full_check))
    part("Sicherung", "Sicherung", lambda: _backup_rows(store))
    part("Austausch", "Austausch", lambda: _exchange_rows(store))
    part("Schlüssel", "Schlüssel", lambda: _key_rows(store))
    return rows


def _program_rows(store: Store, extra: Sequence[tuple[str, str]]) -> list[CheckRow]:
    versions = [*library_versions(), *extra, *store.versions()]
    return [CheckRow("Programm", label, value) for label, value in versions]


def _store_rows(store: Store) -> list[CheckRow]:
    revision = schema.current_revision(store.engine)
    head = schema.head_revision()
    files = [p for p in store.paths.root.glob(store.paths.store.name + "*") if p.is_file()]
    size = _mb(store.size_bytes()) + (f" in {plural(len(files), 'Datei', 'Dateien')}" if files else " (auf dem Server)")
    free = shutil.disk_usage(store.paths.root).free
    with store.read_session() as s:
        persons = s.execute(select(func.count()).select_from(Person).where(Person.deleted_at.is_(None))).scalar_one()
        accounts = s.execute(select(func.count()).select_from(Account)).scalar_one()
    return [
        CheckRow("Datenbestand", "Standort", f"{SiteCode(store.info.site_code).label} "
                                             f"({StoreMode(store.info.mode).label})"),
        CheckRow("Datenbestand", "Datenbestand-ID", store.info.store_id),
        CheckRow("Datenbestand", "Epoche", str(store.info.epoch)),
        CheckRow("Datenbestand", "Schemaversion", f"{schema.schema_label(revision)} ({revision or '–'})",
                 OK if revision == head else ERROR),
        CheckRow("Datenbestand", "Datenbank", store.location()),
        CheckRow("Datenbestand", "Größe", size),
        CheckRow("Datenbestand", "Freier Speicher", _mb(free), OK if free > 1_073_741_824 else WARNING),
        CheckRow("Datenbestand", "Konten / Personen", f"{accounts} / {persons}"),
    ]


def _integrity_rows(store: Store, quick: bool, full: str | None) -> list[CheckRow]:
    with store.read_session() as s:
        chain = audit.verify_chain(s)
    rows = []
    if quick:
        rows.append(CheckRow("Integrität", "Schnellprüfung (quick_check)", *integrity_label(store.quick_check())))
    else:
        rows.append(CheckRow("Integrität", "Schnellprüfung (quick_check)", "nicht ausgeführt"))
    if full is None:
        rows.append(CheckRow("Integrität", "Vollständige Prüfung", "noch nicht ausgeführt (Schaltfläche unten)"))
    else:
        rows.append(CheckRow("Integrität", "Vollständige Prüfung", *integrity_label(full)))
    rows.append(CheckRow("Integrität", "Protokoll", chain.message, OK if getattr(chain, "ok", True) else ERROR))
    return rows


def _backup_rows(store: Store) -> list[CheckRow]:
    backups = list_backups(store.paths.backups)
    if not backups:
        return [CheckRow("Sicherung", "Letzte Sicherung", "noch keine", WARNING),
                CheckRow("Sicherung", "Sicherungsordner", str(store.paths.backups))]
    last = backups[0].created_at
    age = (datetime.now(UTC) - (last if last.tzinfo else last.replace(tzinfo=UTC))).days
    return [
        CheckRow("Sicherung", "Letzte Sicherung", f"{fmt_datetime(last)} ({days_ago(age)})",
                 OK if age <= BACKUP_WARN_DAYS else WARNING),
        CheckRow("Sicherung", "Sicherungen vorhanden", str(len(backups))),
        CheckRow("Sicherung", "Sicherungsordner", str(store.paths.backups)),
    ]


def _exchange_rows(store: Store) -> list[CheckRow]:

    rows = []
    district = store.info.mode == StoreMode.DISTRICT.value
    with store.read_session() as s:
        states = list(s.execute(select(ExportState).order_by(ExportState.target)).scalars())
        history = ledger.import_history(s, limit=1)
        statuses = ledger.site_status(s) if district else []
        ack = None if district else ledger.district_ack(s)
    exported = [st for st in states if st.last_sequence]
    if not exported:
        rows.append(CheckRow("Austausch", "Letzter Export", "noch keiner"))
    for st in exported:
        target = "Kreis" if not district else site_label(st.target)
        rows.append(CheckRow("Austausch", f"Letzter Export an {target}",
                             f"Nr. {st.last_sequence} am {fmt_datetime(st.last_export_at)} (Epoche {st.epoch})"))
    if ack is not None:
        rows.append(CheckRow("Austausch", "Bestätigung des Kreises", ack.message,
                             OK if ack.sequence is not None and ack.sequence == ack.last_export else INFO))
    if history:
        h = history[0]
        kind = "vollständig" if h.full else "Änderungen"
        rows.append(CheckRow("Austausch", "Letzter Import",
                             f"Nr. {h.sequence} von {h.label} am {fmt_datetime(h.imported_at)} ({kind})"))
    else:
        rows.append(CheckRow("Austausch", "Letzter Import", "noch keiner"))
    for status in statuses:
        gaps = f", fehlt: {status.gap_text}" if status.missing else ""
        rows.append(CheckRow("Austausch", f"Eingang von {status.label}",
                             f"bis Nr. {status.last_sequence} am {fmt_datetime(status.last_bundle_at)}{gaps}",
                             WARNING if status.missing else OK))
    return rows


def _key_rows(store: Store) -> list[CheckRow]:
    from whh_desktop.core.services import sync_keys  # the Systemcheck only: not for the Übersicht

    rows = [CheckRow("Schlüssel", "Eigener Fingerabdruck",
                     sync_keys.fingerprint(sync_keys.public_key_file(store)))]
    keys = sync_keys.list_keys(store)
    for key in keys:
        if not key.active:
            continue
        label = (f"Standort {site_label(key.site)}" if key.role == sync_keys.ROLE_SITE
                 else labels.key_role(key.role))
        rows.append(CheckRow("Schlüssel", label, key.fingerprint, OK))
    revoked = sum(1 for key in keys if not key.active)
    if not any(key.active for key in keys):
        rows.append(CheckRow("Schlüssel", "Eingelesene Schlüssel", "noch keine (Austausch nicht eingerichtet)",
                             WARNING))
    if revoked:
        rows.append(CheckRow("Schlüssel", "Widerrufene Schlüssel", str(revoked)))
    return rows


def report_text(rows: Sequence[CheckRow], *, title: str = "WHH Desktop – Systemcheck") -> str:
    """Plain text for the clipboard or a support e-mail: sections in order, status after the value."""
    lines = [title, f"erstellt {fmt_datetime(datetime.now(UTC))}"]
    for section in SECTIONS:
        part = [r for r in rows if r.section == section]
        if not part:
            continue
        lines += ["", f"[{section}]"]
        for r in part:
            status = f"  [{STATUS_LABELS[r.status]}]" if r.status in (WARNING, ERROR) else ""
            lines.append(f"{r.label}: {r.value}{status}")
    return "\n".join(lines) + "\n"


def full_integrity_check(store: Store) -> str:
    """SQLite's full ``integrity_check`` (minutes on a large store: the About window runs it in a worker)."""
    return store.integrity_check()
