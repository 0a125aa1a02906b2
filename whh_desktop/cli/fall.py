"""``whh fall status AKTENZEICHEN``: the case's legal state, as the case overview shows it."""

from __future__ import annotations

import argparse

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.services import legal_state


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("fall", parents=[common], help="ein Fall: rechtlicher Stand")
    aktion = p.add_subparsers(dest="aktion", required=True, metavar="AKTION")
    q = aktion.add_parser("status", parents=[common], help="Schonfrist, § 543 BGB, KdU, Einwilligungen, SGG-Fristen")
    q.add_argument("aktenzeichen", help="Aktenzeichen, z. B. LOE-2026-0042")
    p.set_defaults(func=run_fall)


def run_fall(ctx: CliContext) -> int:
    with ctx.opened() as (store, user):
        state = legal_state.case_state_by_number(store, user, ctx.args.aktenzeichen)
    text = [f"Rechtlicher Stand {state.case_number} am {fmt_date(state.today, empty='')}"]
    text += [f"{heading}: {line}" for heading, line in state.lines()]
    ctx.out(state.as_dict(), "\n".join(text))
    return 0
