"""Backups of a district store on PostgreSQL: ``pg_dump -Fc`` into a temp name, fsynced and renamed, with the same
names and retention as the SQLite backups (``backup.select_kept``); a restore checks the dump first (readable, the
same store id, a schema this program knows) and then restores into an *empty* database in one transaction, so a
refused or failed restore loses nothing.

The dump holds what the database holds: the district's keys inside it stay wrapped per clerk account, so a dump
alone opens no bundle (issue 19).
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from whh_desktop.core.errors import BackupFailed, NotAStore
from whh_desktop.core.store import permissions
from whh_desktop.core.store.backup import BackupInfo, Retention, list_backups, prune
from whh_desktop.core.store.keys import fsync_dir
from whh_desktop.core.store.schema import known_revisions

SUFFIX = ".whhpg"
TIMEOUT = 3600  # seconds for one pg_dump/pg_restore run: a merged regional store is large, a hang is not


def find_bindir() -> Path | None:
    """The directory of pg_dump/pg_restore: $WHH_PG_BINDIR, Debian's versioned directories (newest), or PATH."""
    if env := os.environ.get("WHH_PG_BINDIR"):
        return Path(env)
    # Debian's versioned directories first: /usr/bin/pg_dump there is a wrapper script choosing a version
    candidates = [*sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True), shutil.which("pg_dump")]
    for found in candidates:
        if found and Path(found).exists():
            return Path(found).parent
    return None


def _tool(name: str) -> str:
    bindir = find_bindir()
    if bindir is None or not (bindir / name).exists():
        raise BackupFailed(f"Das PostgreSQL-Programm {name} wurde nicht gefunden. Bitte die PostgreSQL-Client-"
                           "Programme installieren (z. B. apt-get install postgresql-client) oder WHH_PG_BINDIR "
                           "setzen.")
    return str(bindir / name)


def conninfo(url: str) -> tuple[str, dict[str, str]]:
    """The libpq connection string of a SQLAlchemy URL and the environment for the password (never on the
    command line, where other users of the machine could read it)."""
    u = make_url(url)
    parts = {"dbname": u.database, "user": u.username, "host": u.host or u.query.get("host"),
             "port": str(u.port) if u.port else u.query.get("port"), "sslmode": u.query.get("sslmode")}
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    info = " ".join(f"{k}='{v}'" for k, v in parts.items() if v)
    return info, env


def _run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=TIMEOUT, check=False)


def create_backup(url: str, reason: str, target_dir: Path, retention: Retention | None = None) -> BackupInfo:
    """Dump the district database. Any failure removes the partial file and leaves earlier backups alone."""
    now = datetime.now(UTC)
    final = target_dir / f"sicherung-{now:%Y%m%d-%H%M%S-%f}-{reason}{SUFFIX}"
    tmp = final.with_name("." + final.name + ".tmp")
    info, env = conninfo(url)
    try:
        target_dir.mkdir(parents=True, exist_ok=True, mode=permissions.PRIVATE_DIR)
        permissions.create_private(tmp)
        done = _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}",
                     f"--dbname={info}"], env)
        if done.returncode != 0:
            raise BackupFailed("Datensicherung fehlgeschlagen: pg_dump meldet »"
                               f"{_first_line(done.stderr)}«. Frühere Sicherungen sind unverändert.")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        fsync_dir(target_dir)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise BackupFailed(f"Datensicherung fehlgeschlagen: {exc.strerror or exc}. Frühere Sicherungen sind "
                           "unverändert.") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if retention is not None:
        prune(target_dir, retention, suffix=SUFFIX)
    return BackupInfo(final, now, reason, final.stat().st_size)


def list_dumps(directory: Path) -> list[BackupInfo]:
    """The district's dumps in ``directory``, newest first."""
    return list_backups(directory, suffix=SUFFIX)


def _first_line(text_: str) -> str:
    lines = [line.strip() for line in text_.splitlines() if line.strip()]
    return lines[0] if lines else "unbekannter Fehler"


def _table_rows(dump: Path, table: str) -> list[dict[str, str]]:
    """The rows of a small table in the dump (COPY text of ``pg_restore --data-only``)."""
    done = _run([_tool("pg_restore"), "--data-only", f"--table={table}", "--file=-", str(dump)])
    if done.returncode != 0:
        raise BackupFailed("Die Sicherung ist beschädigt oder keine PostgreSQL-Sicherung dieses Programms und wird "
                           "nicht wiederhergestellt. Bitte eine andere Sicherung wählen.")
    rows: list[dict[str, str]] = []
    columns: list[str] | None = None
    for line in done.stdout.splitlines():
        if columns is None:
            if m := re.match(r"COPY \S+ \(([^)]*)\) FROM stdin;", line):
                columns = [c.strip().strip('"') for c in m[1].split(",")]
            continue
        if line == "\\.":
            break
        rows.append(dict(zip(columns, line.split("\t"), strict=False)))
    return rows


def check_dump(dump: Path, store_id: str) -> str | None:
    """Refuse a dump that is damaged, of another store or of a newer program; returns its schema revision (None
    for a schema made without migrations)."""
    if not dump.is_file():
        raise BackupFailed(f"Die Sicherung {dump.name} gibt es nicht (mehr).")
    listed = _run([_tool("pg_restore"), "--list", str(dump)])
    if listed.returncode != 0 or "TABLE DATA public store_meta" not in listed.stdout:
        raise BackupFailed("Die Sicherung ist beschädigt oder keine PostgreSQL-Sicherung dieses Programms und wird "
                           "nicht wiederhergestellt. Bitte eine andere Sicherung wählen.")
    meta = _table_rows(dump, "store_meta")
    if not meta or meta[0].get("store_id") != store_id:
        raise NotAStore("Diese Sicherung gehört zu einem anderen Datenbestand und wird nicht wiederhergestellt.")
    revision = None
    if "TABLE DATA public alembic_version" in listed.stdout:
        versions = _table_rows(dump, "alembic_version")
        revision = versions[0].get("version_num") if versions else None
        if revision not in known_revisions():
            raise BackupFailed("Diese Sicherung stammt von einer neueren Programmversion und kann hier nicht "
                               "wiederhergestellt werden. Bitte zuerst das Programm aktualisieren.")
    return revision


def _is_empty(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return not conn.execute(text("SELECT count(*) FROM information_schema.tables "
                                         "WHERE table_schema = 'public'")).scalar()
    finally:
        engine.dispose()


def restore_backup(dump: Path, target_url: str, store_id: str) -> str | None:
    """Restore a checked dump into the empty database ``target_url`` in a single transaction (a failure leaves it
    empty). Returns the dump's schema revision; the caller upgrades an older schema with the migrations."""
    revision = check_dump(dump, store_id)
    if not _is_empty(target_url):
        raise BackupFailed("Die Zieldatenbank ist nicht leer. Eine Sicherung wird nur in eine neue, leere Datenbank "
                           "wiederhergestellt; es wurde nichts verändert.")
    info, env = conninfo(target_url)
    done = _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                 f"--dbname={info}", str(dump)], env)
    if done.returncode != 0:
        raise BackupFailed("Wiederherstellung fehlgeschlagen: pg_restore meldet »"
                           f"{_first_line(done.stderr)}«. Die Zieldatenbank ist unverändert leer.")
    return revision
