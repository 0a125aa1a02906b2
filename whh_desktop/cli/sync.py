"""``whh export`` and ``whh import``: the exchange files between sites and district.

``export --to district [--voll] -o DIR`` at a site; ``export --to sites|SITE -o DIR`` at the district. ``import
FILE…``: each file verified and applied in one transaction, or refused with the reason (exit code 1)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.services import sync


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common], help="Exportdatei schreiben (für den Kreis bzw. die Standorte)")
    p.add_argument("--to", required=True, help="district (am Standort); sites oder ein Standort (beim Kreis)")
    p.add_argument("--voll", action="store_true", help="alles exportieren, nicht nur die Änderungen")
    p.add_argument("-o", "--output", required=True, help="Zielordner")
    p.set_defaults(func=run_export)
    p = sub.add_parser("import", parents=[common], help="Exportdateien (.whhb) einlesen")
    p.add_argument("files", nargs="+", metavar="DATEI")
    p.set_defaults(func=run_import)


def run_export(ctx: CliContext) -> int:
    a = ctx.args
    target = Path(a.output)
    with ctx.opened() as (store, user):
        if a.to in ("district", "kreis"):
            results = [sync.export_for_district(store, user, target, full=a.voll)]
        else:
            sites = None if a.to == "sites" else [SiteCode.parse(a.to).value]
            results = sync.export_for_sites(store, user, target, sites)
    data = [{"path": str(r.path), "site": r.site, "sequence": r.sequence, "full": r.full, "counts": r.counts}
            for r in results]
    lines = [f"{r.path}  Export {r.sequence}{' (vollständig)' if r.full else ''}: "
             + (", ".join(f"{k} {v}" for k, v in sorted(r.counts.items())) or "keine Änderungen") for r in results]
    ctx.out(data, "\n".join(lines) or "Keine Standorte mit eingelesenem Schlüssel.")
    return 0


def run_import(ctx: CliContext) -> int:
    files = [Path(f) for f in ctx.args.files]
    with ctx.opened() as (store, user):
        reports = sync.import_bundles(store, user, files, waiting=lambda message: print(message, file=sys.stderr,
                                                                                        flush=True))
    text = []
    for r in reports:
        text.append(r.summary)
        text += [f"  übersprungen: {x['entity']} {x['id']}: {x['reason']}" for x in r.skipped[:20]]
    refused = [r.path.name for r in reports if not r.applied]
    if refused:  # which files failed, last, so it is seen (exit code 1)
        text.append(f"{len(refused)} von {plural(len(reports), 'Datei', 'Dateien')} "
                    f"nicht eingelesen: {', '.join(refused)}")
    ctx.out([r.as_dict() for r in reports], "\n".join(text))
    return 0 if all(r.applied for r in reports) else 1
