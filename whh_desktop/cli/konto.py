"""``whh konto anlegen|liste|sperren|passwort``: the admin's account commands (the same as Verwaltung → Konten).

The admin logs in as every command does (``WHH_PASSWORD`` or the first stdin line with ``--password-stdin``). The
password of the account being created or reset never goes on the command line either: it comes from
``WHH_NEW_PASSWORD`` or, with ``--neues-passwort-stdin``, from the next stdin line (the second one when the admin's
password is read from stdin too). It is a start password: the person must change it at the first login.
"""

from __future__ import annotations

import argparse
import os
import sys

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.core.domain.enums import Role
from whh_desktop.core.domain.formatting import fmt_datetime
from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.services import accounts

NEW_PASSWORD_ENV = "WHH_NEW_PASSWORD"

_PASSWORD_HELP = ("Startpasswort des Kontos aus WHH_NEW_PASSWORD oder mit --neues-passwort-stdin aus der nächsten "
                  "Eingabezeile (nach dem eigenen Passwort, wenn --password-stdin gesetzt ist); nie als Argument. "
                  "Es muss bei der ersten Anmeldung geändert werden.")


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("konto", parents=[common], help="Konten verwalten (nur Admin)",
                       description="Konten verwalten (nur Admin). " + _PASSWORD_HELP)
    aktion = p.add_subparsers(dest="aktion", required=True, metavar="AKTION")
    q = aktion.add_parser("anlegen", parents=[common], help="neues Konto mit Startpasswort",
                          description="Ein neues Konto anlegen. " + _PASSWORD_HELP)
    q.add_argument("benutzername", metavar="BENUTZERNAME", help="Anmeldename, z. B. m.yilmaz")
    q.add_argument("--name", required=True, help="Name der Person, z. B. \"Mira Yilmaz\"")
    q.add_argument("--rolle", required=True, choices=[r.value for r in Role],
                   help="beratung (Standorte), kreis (Kreis) oder admin")
    q.add_argument("--neues-passwort-stdin", action="store_true", help="Startpasswort aus der nächsten Eingabezeile")
    aktion.add_parser("liste", parents=[common], help="alle Konten zeigen")
    q = aktion.add_parser("sperren", parents=[common], help="Konto deaktivieren (Passwort öffnet nicht mehr)")
    q.add_argument("benutzername", metavar="BENUTZERNAME")
    q = aktion.add_parser("passwort", parents=[common], help="neues Startpasswort setzen (muss geändert werden)",
                          description="Ein neues Startpasswort setzen; ein gesperrtes Konto wird damit wieder "
                                      "aktiv. " + _PASSWORD_HELP)
    q.add_argument("benutzername", metavar="BENUTZERNAME")
    q.add_argument("--neues-passwort-stdin", action="store_true", help="Startpasswort aus der nächsten Eingabezeile")
    p.set_defaults(func=run_konto)


def new_password(ctx: CliContext) -> str:
    """The new account's password: read after the admin's own (which may be the first stdin line)."""
    ctx.password()
    if ctx.args.neues_passwort_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
    else:
        value = os.environ.get(NEW_PASSWORD_ENV, "")
    if not value:
        raise InvalidInput(f"Kein Startpasswort für das Konto angegeben: bitte {NEW_PASSWORD_ENV} setzen oder "
                           "--neues-passwort-stdin benutzen.", "password")
    return value


def run_konto(ctx: CliContext) -> int:
    a = ctx.args
    secret = new_password(ctx) if a.aktion in ("anlegen", "passwort") else ""
    with ctx.opened() as (store, user):
        if a.aktion == "anlegen":
            role = Role(a.rolle)
            accounts.create_account(store, user, a.benutzername, a.name, role, secret)
            username = a.benutzername.strip().lower()
            ctx.out({"benutzername": username, "name": a.name.strip(), "rolle": role.value},
                    f"Konto »{username}« ({a.name.strip()}, {role.label}) angelegt. Das Startpasswort muss bei "
                    "der ersten Anmeldung geändert werden.")
        elif a.aktion == "liste":
            if not user.is_admin:
                raise PermissionDenied("Nur die Administration darf Konten verwalten.")
            rows = accounts.account_rows(store, user)
            ctx.out([{"benutzername": r.username, "name": r.display_name, "rolle": r.role.value,
                      "aktiv": r.active, "letzte_anmeldung": r.last_login_at,
                      "passwort_aendern": r.must_change_password} for r in rows],
                    "\n".join(_line(r) for r in rows))
        elif a.aktion == "sperren":
            accounts.deactivate(store, user, a.benutzername.strip().lower())
            ctx.out({"benutzername": a.benutzername.strip().lower(), "aktiv": False},
                    f"Konto »{a.benutzername.strip().lower()}« gesperrt: sein Passwort öffnet den Datenbestand "
                    "nicht mehr. Mit »whh konto passwort« wird es wieder aktiv.")
        else:  # passwort
            username = a.benutzername.strip().lower()
            accounts.reset_password(store, user, username, secret)
            ctx.out({"benutzername": username, "passwort_aendern": username != user.username},
                    f"Neues Startpasswort für »{username}« gesetzt"
                    + ("; es muss bei der nächsten Anmeldung geändert werden." if username != user.username
                       else "."))
    return 0


def _line(row: accounts.AccountRow) -> str:
    state = "aktiv" if row.active else "gesperrt"
    last = fmt_datetime(row.last_login_at) if row.last_login_at else "noch nie angemeldet"
    change = "  (Startpasswort, muss geändert werden)" if row.must_change_password and row.active else ""
    return f"{row.username:<20} {row.display_name:<28} {row.role.label:<9} {state:<9} {last}{change}"
