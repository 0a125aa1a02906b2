"""``whh bundle inspect DATEI``: the header of an exchange file, nothing verified or decrypted, no login needed."""

from __future__ import annotations

import argparse
from pathlib import Path

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.cli.keys import site_label
from whh_desktop.core.domain import labels
from whh_desktop.core.sync import bundle


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("bundle", parents=[common], help="Exportdateien (.whhb) ansehen")
    aktion = p.add_subparsers(dest="aktion", required=True, metavar="AKTION")
    q = aktion.add_parser("inspect", parents=[common], help="Kopfteil zeigen (ohne Entschlüsselung)")
    q.add_argument("file", metavar="DATEI")
    p.set_defaults(func=run_bundle)


def run_bundle(ctx: CliContext) -> int:
    path = Path(ctx.args.file)
    header, size = bundle.read_header_file(path)  # the header only: the body is never read
    counts = ", ".join(f"{labels.export_count(k)}: {v}" for k, v in sorted(header.counts.items())) or "–"
    scope = "vollständig" if header.full else "Änderungen"
    ctx.out({**header.as_dict(), "datei": str(path.resolve()), "bytes": size, "geprueft": False},
            f"Exportdatei {path.name} ({size} Bytes) – nur der Kopfteil, Unterschrift NICHT geprüft\n"
            f"Richtung:     {labels.bundle_kind(header.kind)}\n"
            f"Absender:     {site_label(header.sender_site)} (Schlüssel {header.sender_key_id})\n"
            f"Für:          {site_label(header.for_site) if header.for_site else 'Kreis Herford'}\n"
            f"Export Nr.:   {header.sequence} (Epoche {header.epoch}, {scope})\n"
            f"Erstellt:     {header.created_at}\n"
            f"Programm:     {header.app_version} (Schema {header.schema_version}, Format {header.format_version})\n"
            f"Empfänger:    {', '.join(header.recipient_key_ids)}\n"
            f"Inhalt:       {counts}")
    return 0
