"""``whh init``: a new store without questions (mode, site, letterhead, first admin account)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.core.domain.letterhead import Letterhead
from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.letters.recovery_sheet import render_recovery_sheet
from whh_desktop.core.services.store_setup import SetupRequest, create_store
from whh_desktop.core.store import permissions
from whh_desktop.core.store.location import server_path_label


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help="Datenbestand ohne Rückfragen einrichten")
    p.add_argument("--mode", choices=["site", "district"], required=True)
    p.add_argument("--site", help="loehne, vlotho, buende, enger-spenge, hiddenhausen")
    p.add_argument("--admin", required=True, help="Benutzername des ersten Admin-Kontos")
    p.add_argument("--admin-name", help="Name der Person")
    p.add_argument("--site-name")
    p.add_argument("--street", required=True)
    p.add_argument("--plz", required=True)
    p.add_argument("--city", required=True)
    p.add_argument("--phone")
    p.add_argument("--email")
    p.add_argument("--recovery-pdf", help="Notfallschlüssel zusätzlich als PDF speichern")
    p.add_argument("--db", metavar="postgresql://BENUTZER@SERVER/DATENBANK?sslmode=verify-full",
                   help="nur --mode district: den Kreis-Datenbestand in dieser (leeren) PostgreSQL-Datenbank anlegen; "
                        "das Passwort kommt aus der PostgreSQL-Passwortdatei (~/.pgpass), nie aus der Angabe")
    p.set_defaults(func=run_init)


def run_init(ctx: CliContext) -> int:
    a = ctx.args
    site = SiteCode.KREIS if a.mode == "district" else SiteCode.parse(a.site or "")
    if a.mode == "site" and site is SiteCode.KREIS:
        raise InvalidInput("Für --mode site bitte --site mit einem der fünf Standorte angeben.", "site")
    if a.db and a.mode != "district":
        raise InvalidInput("--db gibt es nur für --mode district: die Standorte arbeiten mit ihrer verschlüsselten "
                           "Datei.", "db")
    letterhead = Letterhead(name=a.site_name or f"Wohnungsnotfallhilfe {site.label}", street=a.street or "",
                            plz=a.plz or "", city=a.city or "", phone=a.phone or "", email=a.email or "")
    request = SetupRequest(mode=StoreMode(a.mode), site=site, letterhead=letterhead,
                           admin_username=a.admin.strip().lower(), admin_display_name=a.admin_name or a.admin,
                           admin_password=ctx.password())
    ctx.paths.root.mkdir(parents=True, exist_ok=True)
    with ctx.locked():
        result = create_store(ctx.paths, request, server=a.db)
    if a.recovery_pdf:
        pdf = render_recovery_sheet(result.recovery_key, letterhead, site.label, result.store_id, datetime.now(UTC))
        permissions.write_private(Path(a.recovery_pdf), pdf)  # the recovery key opens the store: user-only
    where = server_path_label(ctx.paths) if a.db else str(ctx.paths.root)
    ctx.out({"store_id": result.store_id, "data_dir": str(ctx.paths.root), "recovery_key": result.recovery_key,
             "database": where if a.db else None},
            f"Datenbestand angelegt in {where}\n"
            f"Standort: {site.label}\n"
            f"Notfallschlüssel (nur jetzt sichtbar, sicher aufbewahren):\n  {result.recovery_key}")
    return 0
