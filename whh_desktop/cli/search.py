"""``whh search TEXT``: the case search of the app (folded and phonetic), for case workers."""

from __future__ import annotations

import argparse
from typing import Any

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.services import cases
from whh_desktop.core.services.access import require_case_worker


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("search", parents=[common], help="Fälle suchen (Name, Geburtsdatum, Aktenzeichen, Telefon)")
    p.add_argument("text")
    p.add_argument("--status", choices=["active", "open", "draft", "closed", "all"], default="active")
    p.add_argument("--gemeinde")
    p.add_argument("--kategorie")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=run_search)


def run_search(ctx: CliContext) -> int:
    flt = cases.CaseFilter(status=ctx.args.status, municipality=ctx.args.gemeinde, category=ctx.args.kategorie)
    with ctx.opened() as (store, user), store.read_session() as s:
        require_case_worker(user)
        result = cases.search(s, ctx.args.text, flt, limit=ctx.args.limit)
        exact, similar = cases.rows(s, result.exact), cases.rows(s, result.phonetic)
    text = "\n".join(_line(r) for r in exact) or "Keine Treffer."
    if similar:
        text += "\n\nÄhnlich klingend:\n" + "\n".join(_line(r) for r in similar)
    ctx.out([_as_dict(r, "exact") for r in exact] + [_as_dict(r, "phonetic") for r in similar], text)
    return 0


def _as_dict(row: cases.CaseRow, match: str) -> dict[str, Any]:
    return {"case_id": str(row.id), "case_number": row.case_number, "family_name": row.family_name,
            "given_names": row.given_names, "birth_date": fmt_date(row.birth_date, empty=""),
            "municipality": row.municipality, "category": row.category_label, "status": row.status_label,
            "match": match}


def _line(row: cases.CaseRow) -> str:
    return (f"{row.case_number:<15} {row.family_name}, {row.given_names:<25} {fmt_date(row.birth_date, empty=''):<10} "
            f"{row.municipality or '':<13} {row.status_label}")
