"""``whh notfallschluessel``: open the store with the recovery key and give an account a new password — the same
path as "Passwort vergessen…" at the login (``login.unlock_with_recovery``).

Neither the key nor the password go on the command line: the recovery key comes from ``WHH_RECOVERY_KEY`` or, with
``--schluessel-stdin``, from the first stdin line; the new password from ``WHH_NEW_PASSWORD`` or, with
``--neues-passwort-stdin``, from the next stdin line. The account is ``--user``/``WHH_USER``.
"""

from __future__ import annotations

import argparse
import os
import sys

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.cli.konto import NEW_PASSWORD_ENV
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import login
from whh_desktop.core.store.lock import InstanceLock

RECOVERY_KEY_ENV = "WHH_RECOVERY_KEY"


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "notfallschluessel", parents=[common], help="mit dem Notfallschlüssel ein neues Passwort setzen",
        description="Öffnet den Datenbestand mit dem Notfallschlüssel und setzt für das Konto (--user oder "
                    f"WHH_USER) ein neues Passwort. Der Notfallschlüssel kommt aus {RECOVERY_KEY_ENV} oder mit "
                    "--schluessel-stdin aus der ersten Eingabezeile, das neue Passwort aus "
                    f"{NEW_PASSWORD_ENV} oder mit --neues-passwort-stdin aus der nächsten Eingabezeile; beides "
                    "nie als Argument.")
    p.add_argument("--schluessel-stdin", action="store_true", help="Notfallschlüssel aus der ersten Eingabezeile")
    p.add_argument("--neues-passwort-stdin", action="store_true", help="neues Passwort aus der nächsten Eingabezeile")
    p.set_defaults(func=run_notfallschluessel)


def _secret(from_stdin: bool, env: str, missing: str) -> str:
    value = sys.stdin.readline().rstrip("\r\n") if from_stdin else os.environ.get(env, "")
    if not value.strip():
        raise InvalidInput(missing, "password")
    return value


def run_notfallschluessel(ctx: CliContext) -> int:
    a = ctx.args
    username = ctx.username().strip().lower()
    key = _secret(a.schluessel_stdin, RECOVERY_KEY_ENV,
                  f"Kein Notfallschlüssel angegeben: bitte {RECOVERY_KEY_ENV} setzen oder --schluessel-stdin "
                  "benutzen.")
    new = _secret(a.neues_passwort_stdin, NEW_PASSWORD_ENV,
                  f"Kein neues Passwort angegeben: bitte {NEW_PASSWORD_ENV} setzen oder --neues-passwort-stdin "
                  "benutzen.")
    with InstanceLock(ctx.paths.lock_file):
        store, _user = login.unlock_with_recovery(ctx.paths, username, key, new)
        store.close()
    ctx.out({"benutzername": username},
            f"Neues Passwort für »{username}« gesetzt. Ab jetzt mit diesem Passwort anmelden; der "
            "Notfallschlüssel bleibt gültig und gehört zurück in den Tresor.")
    return 0
