"""``whh demo --persons N``: fill a store with fictional persons, cases and a housing market (tests, training,
benchmarks).

A site store without a counsellor account first gets three (fictional names, role Beratung, a random start password
each, printed once), and the cases are spread over them: an admin may not see cases, so a demo store whose cases all
belonged to the admin would show a newcomer logging in as a counsellor nothing at all. A district store gets the
people and cases of all five sites (``fill_demo``), the registry and offers, and no housing searches (those belong to
the sites' cases and come with their bundles).
"""

from __future__ import annotations

import argparse
import secrets
import sys
import time
from collections.abc import Callable

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.core.demo import fill_demo
from whh_desktop.core.demo_housing import fill_housing_demo
from whh_desktop.core.domain.enums import Role
from whh_desktop.core.domain.formatting import fmt_number, plural
from whh_desktop.core.domain.sites import StoreMode
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import accounts
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store

# (login name, name): fictional counsellors of the demo store.
DEMO_COUNSELLORS = (("m.yilmaz", "Mira Yilmaz"), ("j.hartmann", "Jonas Hartmann"), ("l.kowalski", "Lena Kowalski"))


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common], help="mit fiktiven Personen füllen")
    p.add_argument("--persons", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--landlords", type=int, help="Vermieter (Standard: ein Zehntel der Angebote)")
    p.add_argument("--offers", type=int, help="Wohnungsangebote (Standard: Personen/10, höchstens 10 000)")
    p.add_argument("--searches", type=int, help="Wohnungssuchen (Standard: Personen/20, höchstens 1 000)")
    p.set_defaults(func=run_demo)


def run_demo(ctx: CliContext) -> int:
    a = ctx.args
    offers = a.offers if a.offers is not None else min(10_000, max(50, a.persons // 10))
    landlords = a.landlords if a.landlords is not None else max(10, offers // 10)
    started = time.perf_counter()
    with ctx.opened() as (store, user):
        district = store.info.mode == StoreMode.DISTRICT.value
        if district and a.searches:
            raise InvalidInput("Wohnungssuchen gehören zu den Fällen der Beratungsstellen und kommen mit deren "
                               "Paketen in den Kreis; im Kreis legt »whh demo« keine an (--searches weglassen).",
                               "searches")
        # A district's housing searches arrive with the sites' bundles; its own part is the registry and offers.
        searches = 0 if district else (a.searches if a.searches is not None
                                       else min(1_000, max(20, a.persons // 20)))
        counsellors = demo_counsellors(store, user)
        written = fill_demo(store, user.username, a.persons, seed=a.seed,
                            progress=_stderr_progress("Demodaten") if not a.json else None)
        housing = fill_housing_demo(store, user.username, landlords=landlords, offers=offers, searches=searches,
                                    seed=a.seed, progress=_stderr_progress("Wohnungsmarkt") if not a.json else None)
    seconds = time.perf_counter() - started
    text = (f"{plural(written, 'fiktive Person', 'fiktive Personen')}, {housing.landlords} Vermieter, "
            f"{housing.offers} Wohnungsangebote und "
            f"{housing.searches} Wohnungssuchen angelegt ({fmt_number(seconds, 1, trim=False)} s).")
    if counsellors:
        text += ("\n\nDrei Beratungskonten für die Demodaten angelegt; die Fälle sind auf sie verteilt. Die "
                 "Startpasswörter werden nur jetzt angezeigt und müssen bei der ersten Anmeldung geändert werden:\n"
                 + "\n".join(f"  {c['benutzername']:<12} {c['name']:<16} {c['passwort']}" for c in counsellors))
    ctx.out({"persons": written, "landlords": housing.landlords, "offers": housing.offers,
             "searches": housing.searches, "seconds": round(seconds, 2), "accounts": counsellors}, text)
    return 0


def demo_counsellors(store: Store, user: CurrentUser) -> list[dict[str, str]]:
    """Three counsellor accounts with random start passwords, when a site store has no counsellor yet and the admin
    fills it; otherwise none (the cases go to the counsellors there are)."""
    if Role.BERATUNG not in accounts.roles_for(store.info.mode) or not user.is_admin:
        return []
    existing = accounts.account_rows(store, user)
    if any(row.role is Role.BERATUNG for row in existing):
        return []
    taken = {row.username for row in existing}
    created = []
    for username, name in DEMO_COUNSELLORS:
        if username in taken:
            continue
        password = "-".join(secrets.token_hex(3) for _ in range(3))  # 20 characters, random: never a common one
        accounts.create_account(store, user, username, name, Role.BERATUNG, password)
        created.append({"benutzername": username, "name": name, "passwort": password})
    return created


def _stderr_progress(label: str) -> Callable[[int, int], None]:
    """A counter on the terminal; nothing when stderr is redirected (a log file would fill with carriage returns)."""
    def report(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{label}: {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)
    return report
