"""``whh report indicators|stichtag|qualitaet|arbeitskreis|sachbericht``: the tables of the Berichte view.

``--xlsx``/``--csv``/the Sachbericht leave the store, so their counts 1–2 show as "< 3" (with secondary
suppression) unless ``--ohne-sperrung`` is given for internal use; screen and ``--json`` show exact figures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from whh_desktop.cli.arguments import Subcommands, field_arg
from whh_desktop.cli.context import CliContext
from whh_desktop.core.domain.validation import parse_date
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.reports.tables import ReportTable, format_cell
from whh_desktop.core.services import reports


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common],
                       help="Berichte: Kennzahlen, Stichtag, Datenqualität, Arbeitskreis, Sachbericht")
    aktion = p.add_subparsers(dest="aktion", required=True, metavar="AKTION")
    tables = []  # the actions that produce tables (all but the Sachbericht, a PDF): they can be saved as files
    q = aktion.add_parser("indicators", parents=[common], help="Kennzahlen der Landesinitiative für einen Zeitraum")
    q.add_argument("--von", required=True, help="Beginn, TT.MM.JJJJ")
    q.add_argument("--bis", required=True, help="Ende, TT.MM.JJJJ")
    tables.append(q)
    q = aktion.add_parser("stichtag", parents=[common], help="Stichtagsbericht NRW (30.06.) oder WoBerichtsG (31.01.)")
    q.add_argument("--datum", help="Stichtag, TT.MM.JJJJ")
    q.add_argument("--art", choices=["nrw", "wobericht"], help="Standard: wobericht am 31.01., sonst nrw")
    q.add_argument("--jahr", type=int, help="mit --art: 30.06. (nrw) bzw. 31.01. (wobericht) dieses Jahres")
    tables.append(q)
    q = aktion.add_parser("qualitaet", parents=[common], help="Fälle mit fehlenden Angaben für die Berichte")
    tables.append(q)
    q = aktion.add_parser("arbeitskreis", parents=[common],
                          help="Anträge und Widersprüche für den Arbeitskreis mit dem Jobcenter (Bearbeitungsdauer, "
                               "Quoten)")
    q.add_argument("--von", required=True, help="Beginn, TT.MM.JJJJ")
    q.add_argument("--bis", required=True, help="Ende, TT.MM.JJJJ")
    tables.append(q)
    sachbericht = aktion.add_parser("sachbericht", parents=[common], help="Sachbericht als PDF")
    sachbericht.add_argument("--von", required=True, help="Beginn, TT.MM.JJJJ")
    sachbericht.add_argument("--bis", required=True, help="Ende, TT.MM.JJJJ")
    sachbericht.add_argument("--text", action="append",
                             help="BAUSTEIN=TEXT, Bericht zu einem Baustein (mehrfach möglich)")
    sachbericht.add_argument("-o", "--output", required=True, help="PDF-Datei")
    for q in [*tables, sachbericht]:
        q.add_argument("--standort", action="append", help="nur dieser Standort (mehrfach möglich; Standard: alle)")
        q.add_argument("--ohne-sperrung", action="store_true",
                       help="Werte 1–2 nicht als »< 3« sperren (nur für den internen Gebrauch)")
        if q in tables:
            q.add_argument("--xlsx", help="alle Tabellen als Excel-Datei speichern")
            q.add_argument("--csv", help="jede Tabelle als CSV-Datei in diesen Ordner")
    p.set_defaults(func=run_report)


def run_report(ctx: CliContext) -> int:
    a = ctx.args
    sites = reports.parse_sites(a.standort)
    if a.aktion in ("indicators", "arbeitskreis", "sachbericht"):
        von, bis = parse_date(a.von, "von", "--von"), parse_date(a.bis, "bis", "--bis")
    with ctx.opened() as (store, user):
        if a.aktion == "sachbericht":
            texts = dict(field_arg(x) for x in (a.text or []))
            pdf = reports.sachbericht_pdf(store, user, von, bis, texts, sites, suppressed=not a.ohne_sperrung)
            Path(a.output).write_bytes(pdf)
            ctx.out({"datei": str(Path(a.output).resolve())}, f"Sachbericht gespeichert: {a.output}")
            return 0
        with store.read_session() as s:
            if a.aktion == "indicators":
                tables = reports.indicators(s, von, bis, sites)
            elif a.aktion == "arbeitskreis":
                tables = reports.arbeitskreis(s, von, bis, sites)
            elif a.aktion == "qualitaet":
                tables = [reports.data_quality(s, sites)]
            elif a.datum:
                tables = reports.stichtag_on(s, parse_date(a.datum, "datum", "--datum"), a.art, sites)
            elif a.jahr:
                art = a.art or "nrw"
                tables = reports.stichtag_nrw(s, a.jahr, sites) if art == "nrw" else \
                    reports.stichtag_wobericht(s, a.jahr, sites)
            else:
                raise InvalidInput("Bitte --datum TT.MM.JJJJ oder --art nrw|wobericht mit --jahr JJJJ angeben.",
                                   "datum")
    _save(tables if a.ohne_sperrung else reports.suppress_for_export(tables), a.xlsx, a.csv)
    ctx.out([t.to_dict() for t in tables], "\n".join(_text(tables)).strip() or "Keine Daten.")
    return 0


def _save(shared: list[ReportTable], xlsx: str | None, csv: str | None) -> None:
    """``--xlsx``/``--csv``: the tables as they may leave the store; the notice goes to stderr, stdout stays the
    report (or its JSON)."""
    if xlsx:
        reports.export_xlsx(shared, xlsx)
        print(f"Excel-Datei gespeichert: {xlsx}", file=sys.stderr)
    if csv:
        folder = Path(csv)
        folder.mkdir(parents=True, exist_ok=True)
        for table in shared:
            reports.export_csv(table, folder / f"{table.key}.csv")
        print(f"CSV-Dateien gespeichert in: {folder}", file=sys.stderr)


def _text(tables: list[ReportTable]) -> list[str]:
    """The tables as plain text: columns as wide as their widest cell (at most 40), figures right-aligned."""
    lines: list[str] = []
    for table in tables:
        widths = [max([len(c.header), *(len(format_cell(c, r.cells[i])) for r in table.all_rows())])
                  for i, c in enumerate(table.columns)]  # a list: a table without rows has only its headers
        widths = [min(w, 40) for w in widths]
        lines += ["", table.title, "  ".join(c.header[:w].ljust(w) for c, w in zip(table.columns, widths,
                                                                                     strict=True))]
        for row in table.all_rows():
            lines.append("  ".join((format_cell(c, v)[:w].rjust(w) if c.numeric else format_cell(c, v)[:w].ljust(w))
                                   for c, v, w in zip(table.columns, row.cells, widths, strict=True)))
        lines += [f"  {n}" for n in table.footnotes]
    return lines
