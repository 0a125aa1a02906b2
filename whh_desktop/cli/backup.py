"""``whh backup`` and ``whh restore``: the encrypted backup of the store, and putting one back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import backups


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backup", parents=[common], help="Datensicherung erstellen")
    p.add_argument("--to", help="Ordner auf einem externen Laufwerk")
    p.set_defaults(func=run_backup)

    p = sub.add_parser("restore", parents=[common], help="Datensicherung wiederherstellen")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="ohne Rückfrage")
    p.add_argument("--db", help="Kreis auf PostgreSQL: Verbindungsangabe der neuen, leeren Datenbank, in die "
                                "die Sicherung zurückgeschrieben wird (postgresql://…)")
    p.set_defaults(func=run_restore)


def run_backup(ctx: CliContext) -> int:
    with ctx.opened() as (store, user):
        if ctx.args.to:
            info = backups.backup_to_external(store, user.username, Path(ctx.args.to))
        else:
            info = backups.backup_now(store, user.username)
    ctx.out({"path": str(info.path), "size": info.size}, f"Sicherung erstellt: {info.path} ({info.size} Bytes)")
    return 0


def run_restore(ctx: CliContext) -> int:
    backup = Path(ctx.args.file).resolve()
    if not backup.is_file():
        raise WhhError(f"Die Sicherungsdatei {backup} gibt es nicht.")
    if not ctx.args.yes:
        if not sys.stdin.isatty():
            raise WhhError("Wiederherstellen ersetzt den aktuellen Datenbestand. Bitte mit --yes bestätigen.")
        answer = input(f"Datenbestand durch {backup.name} ersetzen? (ja/nein) ").strip().lower()
        if answer not in ("j", "ja", "y", "yes"):
            print("Abgebrochen, nichts geändert.")
            return 1
    backups.restore_key_file_if_lost(ctx.paths, backup)
    with ctx.opened() as (store, user):
        backups.restore(store, user.username, backup, ctx.args.db)
    ctx.out({"restored": str(backup)}, f"Wiederhergestellt aus {backup.name}. Bitte neu anmelden.")
    return 0
