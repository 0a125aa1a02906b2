"""``whh kdu check|tabellen|regeln``: the Kosten-der-Unterkunft check of the app, the table versions and the
Karenzzeit rules.

With a user (``--user``/``WHH_USER``) and a store, the store's table versions, Karenzzeit rules and table-age
setting are used (the district may have added newer ones); without, those shipped with the program."""

from __future__ import annotations

import argparse
import uuid
from datetime import date

from whh_desktop.cli.arguments import Subcommands
from whh_desktop.cli.context import CliContext
from whh_desktop.core.domain import karenzzeit, kdu
from whh_desktop.core.domain.formatting import fmt_date, fmt_money
from whh_desktop.core.domain.validation import parse_date, parse_money
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import karenzzeit_rules, kdu_tables


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("kdu", parents=[common], help="Kosten der Unterkunft prüfen (KdU-Tabelle)")
    aktion = p.add_subparsers(dest="aktion", required=True, metavar="AKTION")
    q = aktion.add_parser("check", parents=[common], help="Miete gegen die Angemessenheitsgrenze prüfen")
    q.add_argument("--gemeinde", required=True, help="Gemeinde im Kreis Herford, z. B. Löhne")
    q.add_argument("--personen", type=int, required=True, help="Haushaltsgröße")
    q.add_argument("--bruttokaltmiete", help="Kaltmiete + kalte Nebenkosten, z. B. 430,00")
    q.add_argument("--kaltmiete", help="statt --bruttokaltmiete: Kaltmiete …")
    q.add_argument("--nebenkosten", help="… und kalte Nebenkosten")
    q.add_argument("--heizkosten", help="wird gesondert angezeigt")
    q.add_argument("--wohnflaeche", help="m², nur Hinweis")
    q.add_argument("--zuschlag", action="append", help="Kürzel eines Zuschlags der Tabelle (mehrfach möglich)")
    q.add_argument("--datum", help="Stichtag der Prüfung, TT.MM.JJJJ (Standard: heute)")
    q.add_argument("--leistungsbeginn", help="Beginn des Bürgergeld-/Grundsicherungsbezugs, TT.MM.JJJJ: "
                                             "die Prüfung nennt die Karenzzeit-Regel")
    q.add_argument("--monate-ohne-leistungen", type=int, default=0,
                   help="volle Monate ohne Leistungen in der Karenzzeit (verlängern sie)")
    q.add_argument("--ausnahme", action="append", choices=["unvermeidbar", "kinder"],
                   help="Ausnahme von der Kappung: unvermeidbare Kosten, Haushalt mit Kindern (mehrfach möglich)")
    q.add_argument("--bewilligung-ab", help="Beginn des laufenden Bewilligungszeitraums, TT.MM.JJJJ")
    q.add_argument("--fruehere-kostensenkung", action="store_true",
                   help="Kosten schon nach einem früheren Kostensenkungsverfahren gesenkt (keine Karenzzeit)")
    q.add_argument("--umzug-ohne-zusicherung", action="store_true",
                   help="in der Karenzzeit ohne vorherige Zusicherung umgezogen")
    aktion.add_parser("tabellen", parents=[common], help="Versionen der KdU-Tabelle zeigen")
    aktion.add_parser("regeln", parents=[common], help="Karenzzeit-Regeln mit Quellen zeigen")
    p.set_defaults(func=run_kdu)


def run_kdu(ctx: CliContext) -> int:
    if ctx.args.aktion == "tabellen":
        return _tables(ctx)
    if ctx.args.aktion == "regeln":
        return _rules(ctx)
    return _check(ctx)


def _tables(ctx: CliContext) -> int:
    versions: list[tuple[kdu.KduTable, uuid.UUID | None]]
    if ctx.has_user():
        with ctx.opened() as (store, _user), store.read_session() as s:
            versions = [(v.table, v.id) for v in kdu_tables.versions(s)]
    else:
        versions = [(kdu_tables.seed_table(), None)]
    data = [t.to_dict() | {"id": str(i) if i else None} for t, i in versions]
    lines = []
    for table, _id in versions:
        lines.append(table.version + (f" bis {fmt_date(table.valid_until)}" if table.valid_until else ""))
        for area in table.areas:
            values = " | ".join(fmt_money(v) for v in area.limits)
            lines.append(f"  {area.name:<36} {values} | je weitere: {fmt_money(area.per_further_person)}")
    ctx.out(data, "\n".join(lines))
    return 0


def _rules(ctx: CliContext) -> int:
    if ctx.has_user():
        with ctx.opened() as (store, _user), store.read_session() as s:
            rules = karenzzeit_rules.rules(s)
    else:
        rules = list(karenzzeit_rules.seed_rules())
    ctx.out([r.to_dict() for r in rules], "\n\n".join(r.describe() for r in rules))
    return 0


def _check(ctx: CliContext) -> int:
    a = ctx.args
    on = parse_date(a.datum, "datum", "--datum") if a.datum else None
    money = {}
    for name, flag in (("gross", "bruttokaltmiete"), ("cold", "kaltmiete"), ("utilities", "nebenkosten"),
                       ("heating", "heizkosten")):
        value = getattr(a, flag)
        money[name] = parse_money(value, flag, f"--{flag}") if value else None
    if money["gross"] is None and money["cold"] is None:
        raise InvalidInput("Bitte --bruttokaltmiete oder --kaltmiete und --nebenkosten angeben.", "bruttokaltmiete")
    if money["gross"] is None and money["utilities"] is None:
        raise InvalidInput("Bitte auch --nebenkosten angeben (0 wenn keine).", "nebenkosten")
    area = kdu.parse_area(a.wohnflaeche, "wohnflaeche") if a.wohnflaeche else None
    attributes = tuple(a.zuschlag or ())
    benefit = _benefit_facts(a)
    day = on or date.today()
    if ctx.has_user():
        with ctx.opened() as (store, _user), store.read_session() as s:
            table, rules = kdu_tables.table_on(s, day), karenzzeit_rules.rules(s)
            max_age = kdu_tables.max_table_age(s)
    else:
        table = kdu.table_for([kdu_tables.seed_table()], day)
        rules, max_age = list(karenzzeit_rules.seed_rules()), kdu.DEFAULT_MAX_TABLE_AGE_MONTHS
    result = kdu.check(table, a.gemeinde, a.personen, cold_rent=money["cold"], utilities=money["utilities"],
                       gross_rent=money["gross"], heating=money["heating"], floor_space_m2=area, attributes=attributes,
                       on=day, benefit=benefit, rules=rules, max_table_age_months=max_age)
    ctx.out(result.as_dict(), "\n".join(result.lines()))
    return 0


def _benefit_facts(a: argparse.Namespace) -> karenzzeit.BenefitFacts | None:
    """The Karenzzeit facts of the options; they all hang on the start of the benefit."""
    if a.leistungsbeginn:
        return karenzzeit.BenefitFacts(
            parse_date(a.leistungsbeginn, "benefit_start", "--leistungsbeginn"),
            months_without_benefits=a.monate_ohne_leistungen, exceptions=karenzzeit.exceptions_from(a.ausnahme or ()),
            earlier_cost_reduction=a.fruehere_kostensenkung, moved_without_assurance=a.umzug_ohne_zusicherung,
            approval_from=parse_date(a.bewilligung_ab, "approval_from", "--bewilligung-ab")
            if a.bewilligung_ab else None)
    if a.monate_ohne_leistungen or a.ausnahme or a.bewilligung_ab or a.fruehere_kostensenkung \
            or a.umzug_ohne_zusicherung:
        raise InvalidInput("Angaben zur Karenzzeit brauchen den Leistungsbeginn: bitte --leistungsbeginn TT.MM.JJJJ "
                           "angeben.", "benefit_start")
    return None

