"""``whh frist schonfrist|widerspruch|klage``: deadlines without a store; the Schonfrist goes through the same
legal-state rules as a case."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.core.domain import deadlines
from whh_desktop.core.domain import legal_state as legal
from whh_desktop.core.domain.enums import TerminationKind
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.validation import parse_date
from whh_desktop.core.errors import InvalidInput


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("frist", parents=[common], help="Fristen berechnen (ohne Datenbestand)")
    art = p.add_subparsers(dest="art", required=True, metavar="ART")
    q = art.add_parser("schonfrist", parents=[common], help="§ 569 Abs. 3 Nr. 2 BGB")
    q.add_argument("--zugestellt", required=True, help="Zustellung der Räumungsklage, TT.MM.JJJJ")
    q.add_argument("--kuendigung", help="Datum der Kündigung")
    q.add_argument("--fruehere-heilung", help="frühere Nutzung der Schonfrist")
    q.add_argument("--kuendigungsart", choices=[k.value for k in TerminationKind], default="fristlos_verzug",
                   help="Art der Kündigung: nur eine fristlose wegen Zahlungsverzugs hat eine Schonfrist")
    for name, hint in (("widerspruch", "§ 84 SGG"), ("klage", "§ 87 SGG")):
        q = art.add_parser(name, parents=[common], help=hint)
        q.add_argument("--bescheid-vom", required=True, help="Datum des Bescheids, TT.MM.JJJJ")
        q.add_argument("--zur-post", help="Aufgabe zur Post (Standard: Datum des Bescheids)")
        q.add_argument("--ohne-belehrung", action="store_true", help="Rechtsbehelfsbelehrung fehlt (§ 66 SGG)")
        q.add_argument("--bekanntgabe", choices=[k.value for k in deadlines.NotificationKind], default="post",
                       help="post (4. Tag nach Aufgabe zur Post), pzu (Postzustellungsurkunde), "
                            "eb (Empfangsbekenntnis), hand (Übergabe von Hand)")
        q.add_argument("--zugestellt-am", help="Tag der förmlichen Zustellung, TT.MM.JJJJ")
    p.set_defaults(func=run_frist)


def run_frist(ctx: CliContext) -> int:
    a = ctx.args
    if a.art == "schonfrist":
        facts = legal.ProceedingFacts(
            "cli", TerminationKind(a.kuendigungsart),
            termination_on=parse_date(a.kuendigung, "kuendigung", "--kuendigung") if a.kuendigung else None,
            suit_served_on=parse_date(a.zugestellt, "zugestellt", "--zugestellt"),
            previous_cure_on=parse_date(a.fruehere_heilung, "heilung", "--fruehere-heilung")
            if a.fruehere_heilung else None)
        state = legal.schonfrist_state(facts, (), date.today())
        if state.computed is None:
            ctx.out({"art": "schonfrist", "gilt": False, "grund": state.not_applicable_reason},
                    f"{deadlines.DeadlineKind.SCHONFRIST.label}\n{state.not_applicable_reason}")
            return 0
        result = replace(state.computed, warnings=state.warnings)
        extra = {"gilt": state.applies, "grund": state.not_applicable_reason, "abgelaufen": state.expired}
    else:
        decided = parse_date(a.bescheid_vom, "bescheid", "--bescheid-vom")
        posted = parse_date(a.zur_post, "post", "--zur-post") if a.zur_post else None
        served = parse_date(a.zugestellt_am, "zugestellt", "--zugestellt-am") if a.zugestellt_am else None
        notification = deadlines.NotificationKind(a.bekanntgabe)
        if served is not None and not notification.formal:
            raise InvalidInput("--zugestellt-am gilt nur mit --bekanntgabe pzu, eb oder hand (förmliche "
                               "Zustellung).", "zugestellt")
        rule = deadlines.widerspruchsfrist if a.art == "widerspruch" else deadlines.klagefrist
        result = rule(decided, posted_on=posted, with_instructions=not a.ohne_belehrung, notification=notification,
                      served_on=served)
        extra = {"bekanntgabe": notification.value}
    data = {"art": result.kind.value, "fristende": fmt_date(result.due, empty=""),
            "zieldatum": fmt_date(result.target, empty=""),
            "regel": result.rule, "eingaben": result.inputs, "hinweise": list(result.warnings)} | extra
    text = [f"{result.kind.label}", f"Fristende: {fmt_date(result.due, empty='')}"]
    if result.shifted:
        text.append(f"Zieldatum (unverschoben): {fmt_date(result.target, empty='')}")
    text += [f"Regel: {result.rule}"] + [f"Hinweis: {w}" for w in result.warnings]
    ctx.out(data, "\n".join(text))
    return 0
