"""``whh selftest``: open the store and run the full checks (integrity, audit chain) the "Über" view shows."""

from __future__ import annotations

import argparse

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.core.services import about


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("selftest", parents=[common], help="Datenbestand öffnen und prüfen")
    p.set_defaults(func=run_selftest)


def run_selftest(ctx: CliContext) -> int:
    with ctx.opened() as (store, _user):
        info = about.system_info(store, full_check=True)
    ok = info.integrity == "ok" and info.audit_chain.startswith("Protokoll unverändert")
    rows = info.rows()
    text = "\n".join(f"{label:<20} {value}" for label, value in rows)
    data = {label: value for label, value in rows} | {"ok": ok}
    ctx.out(data, text + ("\nSelbsttest: in Ordnung" if ok else "\nSelbsttest: PROBLEME GEFUNDEN"))
    return 0 if ok else 1
