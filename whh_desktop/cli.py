"""``whh``: the core use cases without a window, for admins, support, scripts and tests (DESIGN.md §8).

Passwords never go on the command line: ``WHH_PASSWORD`` or ``--password-stdin``. Expected failures print their
German message on stderr and exit 1; usage errors exit 2.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from whh_desktop import __version__
from whh_desktop.core.domain import labels
from whh_desktop.core.domain.deadlines import NotificationKind
from whh_desktop.core.domain.enums import TerminationKind
from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.core.services import about, backups, login
from whh_desktop.core.services.site_settings import Letterhead
from whh_desktop.core.services.store_setup import SetupRequest, create_store
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.keys import KeyFile
from whh_desktop.core.store.lock import InstanceLock
from whh_desktop.logging_setup import configure as configure_logging
from whh_desktop.paths import DataPaths, resolve_data_dir

log = logging.getLogger("whh_desktop.cli")


class CliContext:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.paths: DataPaths = resolve_data_dir(args.data_dir)
        self._password: str | None = None

    def password(self, prompt_env: str = "WHH_PASSWORD") -> str:
        if self._password is None:
            if self.args.password_stdin:
                self._password = sys.stdin.readline().rstrip("\r\n")
            else:
                self._password = os.environ.get(prompt_env, "")
            if not self._password:
                raise WhhError("Kein Passwort angegeben: bitte WHH_PASSWORD setzen oder --password-stdin benutzen.")
        return self._password

    def username(self) -> str:
        name = self.args.user or os.environ.get("WHH_USER")
        if not name:
            raise WhhError("Kein Benutzername angegeben: bitte --user NAME oder WHH_USER setzen.")
        return name

    @contextlib.contextmanager
    def opened(self) -> Iterator[tuple[Store, login.CurrentUser]]:
        with InstanceLock(self.paths.lock_file):
            store, user = login.unlock(self.paths, self.username(), self.password())
            try:
                yield store, user
            finally:
                store.close()

    def out(self, data: Any, text: str) -> None:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str) if self.args.json else text)


# ---- commands ------------------------------------------------------------------------------------------------
def cmd_init(ctx: CliContext) -> int:
    a = ctx.args
    site = SiteCode.KREIS if a.mode == "district" else SiteCode.parse(a.site or "")
    if a.mode == "site" and site is SiteCode.KREIS:
        raise InvalidInput("Für --mode site bitte --site mit einem der fünf Standorte angeben.", "site")
    letterhead = Letterhead(name=a.site_name or f"Wohnungsnotfallhilfe {site.label}", street=a.street or "",
                            plz=a.plz or "", city=a.city or "", phone=a.phone or "", email=a.email or "")
    request = SetupRequest(mode=StoreMode(a.mode), site=site, letterhead=letterhead,
                           admin_username=a.admin.strip().lower(), admin_display_name=a.admin_name or a.admin,
                           admin_password=ctx.password())
    ctx.paths.root.mkdir(parents=True, exist_ok=True)
    with InstanceLock(ctx.paths.lock_file):
        result = create_store(ctx.paths, request)
    if a.recovery_pdf:
        from datetime import UTC, datetime

        from whh_desktop.core.letters.recovery_sheet import render_recovery_sheet

        pdf = render_recovery_sheet(result.recovery_key, letterhead, site.label, result.store_id, datetime.now(UTC))
        from whh_desktop.core.store import permissions

        permissions.write_private(Path(a.recovery_pdf), pdf)  # the recovery key opens the store: user-only
    ctx.out({"store_id": result.store_id, "data_dir": str(ctx.paths.root), "recovery_key": result.recovery_key},
            f"Datenbestand angelegt in {ctx.paths.root}\n"
            f"Standort: {site.label}\n"
            f"Notfallschlüssel (nur jetzt sichtbar, sicher aufbewahren):\n  {result.recovery_key}")
    return 0


def cmd_backup(ctx: CliContext) -> int:
    with ctx.opened() as (store, user):
        if ctx.args.to:
            info = backups.backup_to_external(store, user.username, Path(ctx.args.to))
        else:
            info = backups.backup_now(store, user.username)
    ctx.out({"path": str(info.path), "size": info.size}, f"Sicherung erstellt: {info.path} ({info.size} Bytes)")
    return 0


def cmd_restore(ctx: CliContext) -> int:
    backup = Path(ctx.args.file).resolve()
    if not backup.is_file():
        raise WhhError(f"Die Sicherungsdatei {backup} gibt es nicht.")
    if not ctx.args.yes:
        if not sys.stdin.isatty():
            raise WhhError("Wiederherstellen ersetzt den aktuellen Datenbestand. Bitte mit --yes bestätigen.")
        answer = input(f"Datenbestand durch {backup.name} ersetzen? (ja/nein) ").strip().lower()
        if answer not in ("j", "ja", "y", "yes"):
            print("Abgebrochen, nichts geändert.")
            return 1
    try:
        KeyFile.load(ctx.paths.key_file)
    except WhhError:
        # The key file is lost or damaged: the copy beside the backup opens it (passwords as at backup time).
        backups.restore_key_file_from_backup(ctx.paths, backup)
    with ctx.opened() as (store, user):
        backups.restore(store, user.username, backup)
    ctx.out({"restored": str(backup)}, f"Wiederhergestellt aus {backup.name}. Bitte neu anmelden.")
    return 0


def cmd_selftest(ctx: CliContext) -> int:
    with ctx.opened() as (store, _user):
        info = about.system_info(store, full_check=True)
    ok = info.integrity == "ok" and info.audit_chain.startswith("Protokoll unverändert")
    rows = info.rows()
    text = "\n".join(f"{label:<20} {value}" for label, value in rows)
    data = {label: value for label, value in rows} | {"ok": ok}
    ctx.out(data, text + ("\nSelbsttest: in Ordnung" if ok else "\nSelbsttest: PROBLEME GEFUNDEN"))
    return 0 if ok else 1


def cmd_demo(ctx: CliContext) -> int:
    from whh_desktop.core.demo import fill_demo
    from whh_desktop.core.demo_housing import fill_housing_demo

    a = ctx.args
    offers = a.offers if a.offers is not None else min(10_000, max(50, a.persons // 10))
    landlords = a.landlords if a.landlords is not None else max(10, offers // 10)
    searches = a.searches if a.searches is not None else min(1_000, max(20, a.persons // 20))
    started = time.perf_counter()
    with ctx.opened() as (store, user):
        written = fill_demo(store, user.username, a.persons, seed=a.seed,
                            progress=_stderr_progress("Demodaten") if not a.json else None)
        housing = fill_housing_demo(store, user.username, landlords=landlords, offers=offers, searches=searches,
                                    seed=a.seed, progress=_stderr_progress("Wohnungsmarkt") if not a.json else None)
    seconds = time.perf_counter() - started
    ctx.out({"persons": written, "landlords": housing.landlords, "offers": housing.offers,
             "searches": housing.searches, "seconds": round(seconds, 2)},
            f"{written} fiktive Personen, {housing.landlords} Vermieter, {housing.offers} Wohnungsangebote und "
            f"{housing.searches} Wohnungssuchen angelegt ({seconds:.1f} s).")
    return 0


def cmd_kdu(ctx: CliContext) -> int:
    """``kdu check``: the same check as the app. With a user (``--user``/``WHH_USER``) the store's table versions,
    Karenzzeit rules and table-age setting are used (the district may have added newer ones); without, those shipped
    with the program. ``kdu regeln`` lists the Karenzzeit rules with their sources."""
    from whh_desktop.core.domain import karenzzeit, kdu
    from whh_desktop.core.domain.validation import format_money, parse_date, parse_money
    from whh_desktop.core.services import karenzzeit_rules, kdu_tables

    a = ctx.args
    on = parse_date(a.datum, "datum", "--datum") if getattr(a, "datum", None) else None
    use_store = bool(a.user or os.environ.get("WHH_USER")) and ctx.paths.store.exists()
    if a.aktion == "tabellen":
        if use_store:
            with ctx.opened() as (store, _user), store.read_session() as s:
                versions: list[tuple[kdu.KduTable, object]] = [(v.table, v.id) for v in kdu_tables.versions(s)]
        else:
            versions = [(kdu_tables.seed_table(), None)]
        data = [t.to_dict() | {"id": str(i) if i else None} for t, i in versions]
        lines = []
        for table, _id in versions:
            lines.append(table.version + (f" bis {table.valid_until:%d.%m.%Y}" if table.valid_until else ""))
            for area in table.areas:
                values = " | ".join(format_money(v) for v in area.limits)
                lines.append(f"  {area.name:<36} {values} | je weitere: {format_money(area.per_further_person)}")
        ctx.out(data, "\n".join(lines))
        return 0
    if a.aktion == "regeln":
        if use_store:
            with ctx.opened() as (store, _user), store.read_session() as s:
                rules = karenzzeit_rules.rules(s)
        else:
            rules = list(karenzzeit_rules.seed_rules())
        ctx.out([r.to_dict() for r in rules], "\n\n".join(r.describe() for r in rules))
        return 0
    money = {}
    for name, flag in (("gross", "bruttokaltmiete"), ("cold", "kaltmiete"), ("utilities", "nebenkosten"),
                       ("heating", "heizkosten")):
        value = getattr(a, flag)
        money[name] = parse_money(value, flag, f"--{flag}") if value else None
    if money["gross"] is None and money["cold"] is None:
        raise InvalidInput("Bitte --bruttokaltmiete oder --kaltmiete und --nebenkosten angeben.", "bruttokaltmiete")
    if money["gross"] is None and money["utilities"] is None:
        raise InvalidInput("Bitte auch --nebenkosten angeben (0 wenn keine).", "nebenkosten")
    floor_space = kdu.parse_area(a.wohnflaeche, "wohnflaeche") if a.wohnflaeche else None
    attributes = tuple(a.zuschlag or ())
    benefit = None
    if a.leistungsbeginn:
        benefit = karenzzeit.BenefitFacts(
            parse_date(a.leistungsbeginn, "benefit_start", "--leistungsbeginn"),
            months_without_benefits=a.monate_ohne_leistungen, exceptions=karenzzeit.exceptions_from(a.ausnahme or ()),
            earlier_cost_reduction=a.fruehere_kostensenkung, moved_without_assurance=a.umzug_ohne_zusicherung,
            approval_from=parse_date(a.bewilligung_ab, "approval_from", "--bewilligung-ab")
            if a.bewilligung_ab else None)
    elif a.monate_ohne_leistungen or a.ausnahme or a.bewilligung_ab or a.fruehere_kostensenkung \
            or a.umzug_ohne_zusicherung:
        raise InvalidInput("Angaben zur Karenzzeit brauchen den Leistungsbeginn: bitte --leistungsbeginn TT.MM.JJJJ "
                           "angeben.", "benefit_start")
    day = on or date.today()
    if use_store:
        with ctx.opened() as (store, _user), store.read_session() as s:
            table, rules = kdu_tables.table_on(s, day), karenzzeit_rules.rules(s)
            max_age = kdu_tables.max_table_age(s)
    else:
        table = kdu.table_for([kdu_tables.seed_table()], day)
        rules, max_age = list(karenzzeit_rules.seed_rules()), kdu.DEFAULT_MAX_TABLE_AGE_MONTHS
    result = kdu.check(table, a.gemeinde, a.personen, cold_rent=money["cold"], utilities=money["utilities"],
                       gross_rent=money["gross"], heating=money["heating"], floor_space_m2=floor_space,
                       attributes=attributes, on=day, benefit=benefit, rules=rules, max_table_age_months=max_age)
    ctx.out(result.as_dict(), "\n".join(result.lines()))
    return 0


def cmd_search(ctx: CliContext) -> int:
    from whh_desktop.core.services import cases

    flt = cases.CaseFilter(status=ctx.args.status, municipality=ctx.args.gemeinde, category=ctx.args.kategorie)
    from whh_desktop.core.services.access import require_case_worker

    with ctx.opened() as (store, user), store.read_session() as s:
        require_case_worker(user)
        result = cases.search(s, ctx.args.text, flt, limit=ctx.args.limit)
        exact, similar = cases.rows(s, result.exact), cases.rows(s, result.phonetic)

    def as_dict(row: cases.CaseRow, match: str) -> dict[str, Any]:
        return {"case_id": str(row.id), "case_number": row.case_number, "family_name": row.family_name,
                "given_names": row.given_names, "birth_date": _d(row.birth_date), "municipality": row.municipality,
                "category": row.category_label, "status": row.status_label, "match": match}

    def line(row: cases.CaseRow) -> str:
        return (f"{row.case_number:<15} {row.family_name}, {row.given_names:<25} {_d(row.birth_date):<10} "
                f"{row.municipality or '':<13} {row.status_label}")

    text = "\n".join(line(r) for r in exact) or "Keine Treffer."
    if similar:
        text += "\n\nÄhnlich klingend:\n" + "\n".join(line(r) for r in similar)
    ctx.out([as_dict(r, "exact") for r in exact] + [as_dict(r, "phonetic") for r in similar], text)
    return 0


def cmd_frist(ctx: CliContext) -> int:
    """Deadlines without a store; the Schonfrist goes through the same legal-state rules as a case."""
    from whh_desktop.core.domain import deadlines
    from whh_desktop.core.domain import legal_state as legal
    from whh_desktop.core.domain.enums import TerminationKind
    from whh_desktop.core.domain.validation import parse_date

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
    data = {"art": result.kind.value, "fristende": _d(result.due), "zieldatum": _d(result.target),
            "regel": result.rule, "eingaben": result.inputs, "hinweise": list(result.warnings)} | extra
    text = [f"{result.kind.label}", f"Fristende: {_d(result.due)}"]
    if result.shifted:
        text.append(f"Zieldatum (unverschoben): {_d(result.target)}")
    text += [f"Regel: {result.rule}"] + [f"Hinweis: {w}" for w in result.warnings]
    ctx.out(data, "\n".join(text))
    return 0


def cmd_fall(ctx: CliContext) -> int:
    """``whh fall status AZ``: the case's legal state, as the case overview shows it."""
    from whh_desktop.core.services import legal_state

    with ctx.opened() as (store, user):
        state = legal_state.case_state_by_number(store, user, ctx.args.aktenzeichen)
    text = [f"Rechtlicher Stand {state.case_number} am {_d(state.today)}"]
    text += [f"{heading}: {line}" for heading, line in state.lines()]
    ctx.out(state.as_dict(), "\n".join(text))
    return 0


def cmd_letter(ctx: CliContext) -> int:
    """``whh letter list | empfaenger TYPE | render TYPE --case … -o F.pdf``: the same code path as the app."""
    from whh_desktop.core.domain import letter_check
    from whh_desktop.core.letters import catalogue, fields
    from whh_desktop.core.services import letters

    a = ctx.args
    if a.aktion == "list":
        data = [{"typ": t.code, "titel": t.title, "gruppe": t.group_label,
                 "empfaenger": [catalogue.RECIPIENT_KINDS[k] for k in t.recipient_kinds],
                 "pflichtfelder": [fields.FIELDS[k] for k in t.required], "serienbrief": t.serial}
                for t in letters.letter_types()]
        ctx.out(data, "\n".join(f"{t.code:<34} {t.title}" for t in letters.letter_types()))
        return 0
    kind = catalogue.get(a.typ)
    with ctx.opened() as (store, user):
        case_id = None
        if a.case:
            with store.read_session() as s:
                case_id = _find_case(s, a.case)
        offer_id = _uuid_arg(a.angebot, "--angebot") if getattr(a, "angebot", None) else None
        with store.read_session() as s:
            candidates = letters.recipients(s, kind, case_id, offer_id)
        if a.aktion == "empfaenger":
            ctx.out([c.as_dict() for c in candidates], "\n".join(c.label for c in candidates) or "Keine Empfänger.")
            return 0
        if kind.needs_case and case_id is None:
            raise InvalidInput("Bitte den Fall mit --case AKTENZEICHEN angeben.", "case")
        recipient = _pick_recipient(candidates, a.empfaenger, kind)
        overrides = dict(_field_arg(x) for x in (a.feld or []))
        draft = letters.prepare(store, user, case_id, kind, recipient, offer_id=offer_id)
        reason = letters.force_reason(a.trotzdem)  # an empty reason is refused before anything is checked
        try:
            result = letters.render_full(draft, overrides, a.freitext or "", force=reason)
        except letters.LetterBlocked as exc:
            ctx.out({"fehler": "pruefung", "befunde": [_finding(f) for f in exc.findings]},
                    "\n".join(["Prüfung vor dem Versand: der Brief wird nicht erstellt."]
                              + [f"{'Widerspruch' if f.blocking else 'Hinweis'}: {f.text}" for f in exc.findings]
                              + ["Korrigieren (--feld NAME=WERT) oder mit --trotzdem GRUND erstellen."]))
            return 1
        forced = reason if letter_check.blocking(result.findings) else None
        Path(a.output).write_bytes(result.pdf)
        document_id = None
        if a.ablegen and case_id:
            document_id = letters.record(store, user, case_id, draft, result.pdf, forced=forced,
                                         findings=result.findings)
        elif forced is not None and case_id:
            letters.audit_forced(store, user, case_id, draft, result.findings, forced)
    warnings = [f.text for f in result.findings if not f.blocking] + result.warnings
    for warning in warnings:
        print(f"Hinweis: {warning}", file=sys.stderr)
    ctx.out({"datei": str(Path(a.output).resolve()), "seiten": result.pages, "empfaenger": recipient.as_dict(),
             "hinweise": warnings, "befunde": [_finding(f) for f in result.findings], "trotzdem": forced,
             "dokument_id": str(document_id) if document_id else None},
            f"Brief gespeichert: {a.output} ({result.pages} Seite{'n' if result.pages > 1 else ''}, an "
            f"{recipient.label})")
    return 0


# ---- reports (issue 06) ----------------------------------------------------------------------------------------
def cmd_report(ctx: CliContext) -> int:
    """``whh report indicators|stichtag|qualitaet|arbeitskreis|sachbericht``: the tables of the Berichte view.

    ``--xlsx``/``--csv``/the Sachbericht leave the store, so their counts 1–2 show as "< 3" (with secondary
    suppression) unless ``--ohne-sperrung`` is given for internal use; screen and ``--json`` show exact figures."""
    from whh_desktop.core.domain.validation import parse_date
    from whh_desktop.core.reports.tables import format_cell
    from whh_desktop.core.services import reports

    a = ctx.args
    sites = reports.parse_sites(a.standort)
    if a.aktion in ("indicators", "arbeitskreis", "sachbericht"):
        von, bis = parse_date(a.von, "von", "--von"), parse_date(a.bis, "bis", "--bis")
    with ctx.opened() as (store, user):
        if a.aktion == "sachbericht":
            texts = dict(_field_arg(x) for x in (a.text or []))
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
                jahr = a.jahr
                art = a.art or "nrw"
                tables = reports.stichtag_nrw(s, jahr, sites) if art == "nrw" else \
                    reports.stichtag_wobericht(s, jahr, sites)
            else:
                raise InvalidInput("Bitte --datum TT.MM.JJJJ oder --art nrw|wobericht mit --jahr JJJJ angeben.",
                                   "datum")
    shared = tables if a.ohne_sperrung else reports.suppress_for_export(tables)
    if a.xlsx:
        reports.export_xlsx(shared, a.xlsx)
        print(f"Excel-Datei gespeichert: {a.xlsx}", file=sys.stderr)
    if a.csv:
        folder = Path(a.csv)
        folder.mkdir(parents=True, exist_ok=True)
        for table in shared:
            reports.export_csv(table, folder / f"{table.key}.csv")
        print(f"CSV-Dateien gespeichert in: {folder}", file=sys.stderr)
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
    ctx.out([t.to_dict() for t in tables], "\n".join(lines).strip() or "Keine Daten.")
    return 0


def _add_report_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[common],
                       help="Berichte: Kennzahlen, Stichtag, Datenqualität, Arbeitskreis, Sachbericht")
    aktion = p.add_subparsers(dest="aktion", required=True, metavar="AKTION")
    qs = []
    q = aktion.add_parser("indicators", parents=[common], help="Kennzahlen der Landesinitiative für einen Zeitraum")
    q.add_argument("--von", required=True, help="Beginn, TT.MM.JJJJ")
    q.add_argument("--bis", required=True, help="Ende, TT.MM.JJJJ")
    qs.append(q)
    q = aktion.add_parser("stichtag", parents=[common], help="Stichtagsbericht NRW (30.06.) oder WoBerichtsG (31.01.)")
    q.add_argument("--datum", help="Stichtag, TT.MM.JJJJ")
    q.add_argument("--art", choices=["nrw", "wobericht"], help="Standard: wobericht am 31.01., sonst nrw")
    q.add_argument("--jahr", type=int, help="mit --art: 30.06. (nrw) bzw. 31.01. (wobericht) dieses Jahres")
    qs.append(q)
    q = aktion.add_parser("qualitaet", parents=[common], help="Fälle mit fehlenden Angaben für die Berichte")
    qs.append(q)
    q = aktion.add_parser("arbeitskreis", parents=[common],
                          help="Anträge und Widersprüche für den Arbeitskreis mit dem Jobcenter (Bearbeitungsdauer, "
                               "Quoten)")
    q.add_argument("--von", required=True, help="Beginn, TT.MM.JJJJ")
    q.add_argument("--bis", required=True, help="Ende, TT.MM.JJJJ")
    qs.append(q)
    q = aktion.add_parser("sachbericht", parents=[common], help="Sachbericht als PDF")
    q.add_argument("--von", required=True, help="Beginn, TT.MM.JJJJ")
    q.add_argument("--bis", required=True, help="Ende, TT.MM.JJJJ")
    q.add_argument("--text", action="append", help="BAUSTEIN=TEXT, Bericht zu einem Baustein (mehrfach möglich)")
    q.add_argument("-o", "--output", required=True, help="PDF-Datei")
    qs.append(q)
    for q in qs:
        q.add_argument("--standort", action="append", help="nur dieser Standort (mehrfach möglich; Standard: alle)")
        q.add_argument("--ohne-sperrung", action="store_true",
                       help="Werte 1–2 nicht als »< 3« sperren (nur für den internen Gebrauch)")
        if q.prog.split()[-1] != "sachbericht":
            q.add_argument("--xlsx", help="alle Tabellen als Excel-Datei speichern")
            q.add_argument("--csv", help="jede Tabelle als CSV-Datei in diesen Ordner")
    p.set_defaults(func=cmd_report)


def _find_case(session: Any, text: str) -> Any:
    import uuid

    from sqlalchemy import select

    from whh_desktop.core.store.models import Case

    stmt = select(Case.id).where(Case.case_number == text.strip(), Case.deleted_at.is_(None))
    found = session.execute(stmt).scalar_one_or_none()
    if found is None:
        try:
            found = session.execute(select(Case.id).where(Case.id == uuid.UUID(text.strip()))).scalar_one_or_none()
        except ValueError:
            found = None
    if found is None:
        raise InvalidInput(f"Einen Fall »{text}« gibt es nicht (Aktenzeichen oder Fall-ID).", "case")
    return found


def _finding(f: Any) -> dict[str, Any]:
    return {"code": f.code, "blockiert": f.blocking, "text": f.text}


def _pick_recipient(candidates: list[Any], wanted: str | None, kind: Any) -> Any:
    from whh_desktop.core.domain.text import fold
    from whh_desktop.core.services import address_book

    if wanted and "\n" in wanted.replace("\\n", "\n"):
        return address_book.manual(kind.recipient_kinds[0], wanted.replace("\\n", "\n"))
    matches = [c for c in candidates if not wanted or fold(wanted) in fold(" ".join(c.lines))]
    if not matches:
        hint = "; ".join(c.label for c in candidates[:8]) or "keine im Adressbuch"
        raise InvalidInput(f"Kein passender Empfänger für »{wanted or ''}«. Möglich: {hint}.", "empfaenger")
    return matches[0]


def _field_arg(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep:
        raise InvalidInput(f"--feld erwartet NAME=WERT, z. B. ratenhoehe=50,00 € (nicht »{text}«).", "feld")
    return key.strip(), value


def _uuid_arg(text: str, flag: str) -> Any:
    import uuid

    try:
        return uuid.UUID(text)
    except ValueError:
        raise InvalidInput(f"{flag}: »{text}« ist keine gültige ID.", flag) from None


def _d(value: Any) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def _stderr_progress(label: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{label}: {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)
    return report


# ---- parser --------------------------------------------------------------------------------------------------
def _add_common(p: argparse.ArgumentParser, top: object) -> None:
    """``top`` is truthy for the main parser (real defaults), None for subcommands (suppressed defaults)."""
    default: dict[str, Any] = {} if top is not None else {"default": argparse.SUPPRESS}
    p.add_argument("--data-dir", help="Datenordner (sonst WHH_DATA_DIR oder der Standardordner)", **default)
    p.add_argument("--user", help="Benutzername (sonst WHH_USER)", **default)
    p.add_argument("--password-stdin", action="store_true", help="Passwort aus der ersten Eingabezeile", **default)
    p.add_argument("--json", action="store_true", help="Ausgabe als JSON", **default)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whh", description="WHH Desktop ohne Fenster.")
    _add_common(parser, argparse.ArgumentParser.get_default)
    # The same options after the command; SUPPRESS keeps a subcommand from overwriting a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    _add_common(common, None)
    parser.add_argument("--version", action="version", version=f"WHH Desktop {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")

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
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("backup", parents=[common], help="Datensicherung erstellen")
    p.add_argument("--to", help="Ordner auf einem externen Laufwerk")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="Datensicherung wiederherstellen")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="ohne Rückfrage")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("selftest", parents=[common], help="Datenbestand öffnen und prüfen")
    p.set_defaults(func=cmd_selftest)

    p = sub.add_parser("search", parents=[common], help="Fälle suchen (Name, Geburtsdatum, Aktenzeichen, Telefon)")
    p.add_argument("text")
    p.add_argument("--status", choices=["active", "open", "draft", "closed", "all"], default="active")
    p.add_argument("--gemeinde")
    p.add_argument("--kategorie")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_search)

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
        q.add_argument("--bekanntgabe", choices=[k.value for k in NotificationKind], default="post",
                       help="post (4. Tag nach Aufgabe zur Post), pzu (Postzustellungsurkunde), "
                            "eb (Empfangsbekenntnis), hand (Übergabe von Hand)")
        q.add_argument("--zugestellt-am", help="Tag der förmlichen Zustellung, TT.MM.JJJJ")
    p.set_defaults(func=cmd_frist)

    p = sub.add_parser("fall", parents=[common], help="ein Fall: rechtlicher Stand")
    aktion = p.add_subparsers(dest="aktion", required=True, metavar="AKTION")
    q = aktion.add_parser("status", parents=[common], help="Schonfrist, § 543 BGB, KdU, Einwilligungen, SGG-Fristen")
    q.add_argument("aktenzeichen", help="Aktenzeichen, z. B. LOE-2026-0042")
    p.set_defaults(func=cmd_fall)

    p = sub.add_parser("demo", parents=[common], help="mit fiktiven Personen füllen")
    p.add_argument("--persons", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--landlords", type=int, help="Vermieter (Standard: ein Zehntel der Angebote)")
    p.add_argument("--offers", type=int, help="Wohnungsangebote (Standard: Personen/10, höchstens 10 000)")
    p.add_argument("--searches", type=int, help="Wohnungssuchen (Standard: Personen/20, höchstens 1 000)")
    p.set_defaults(func=cmd_demo)

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
    q = aktion.add_parser("tabellen", parents=[common], help="Versionen der KdU-Tabelle zeigen")
    q = aktion.add_parser("regeln", parents=[common], help="Karenzzeit-Regeln mit Quellen zeigen")
    p.set_defaults(func=cmd_kdu)

    p = sub.add_parser("letter", parents=[common], help="Briefe nach DIN 5008 (Katalog, Empfänger, PDF)")
    aktion = p.add_subparsers(dest="aktion", required=True, metavar="AKTION")
    aktion.add_parser("list", parents=[common], help="alle Briefe des Katalogs")
    q = aktion.add_parser("empfaenger", parents=[common], help="mögliche Empfänger eines Briefs")
    q.add_argument("typ", metavar="TYP")
    q.add_argument("--case", help="Aktenzeichen oder Fall-ID")
    q = aktion.add_parser("render", parents=[common], help="Brief als PDF schreiben")
    q.add_argument("typ", metavar="TYP")
    q.add_argument("--case", help="Aktenzeichen oder Fall-ID")
    q.add_argument("--empfaenger", help="Teil des Namens/Orts eines Empfängers, oder eine Anschrift mit \\n")
    q.add_argument("--angebot", help="ID des Wohnungsangebots (sonst das zuletzt vorgeschlagene)")
    q.add_argument("--feld", action="append", help="NAME=WERT, überschreibt ein Feld (mehrfach möglich)")
    q.add_argument("--freitext", help="zusätzlicher Absatz")
    q.add_argument("--ablegen", action="store_true", help="Kopie in den Dokumenten des Falls ablegen")
    q.add_argument("--trotzdem", metavar="GRUND",
                   help="trotz Widersprüchen der Prüfung vor dem Versand erstellen; der Grund kommt ins Protokoll")
    q.add_argument("-o", "--output", required=True, help="PDF-Datei")
    p.set_defaults(func=cmd_letter)
    _add_sync_key_commands(sub, common)
    _add_sync_commands(sub, common)
    _add_report_parser(sub, common)
    return parser


# ---- sync keys and bundles (whh keys …, whh bundle inspect) ----------------------------------------------------
def cmd_keys(ctx: CliContext) -> int:
    """``whh keys export|import|fingerprint|escrow|liste``: the key exchange of DESIGN.md §4."""
    from whh_desktop.core.services import sync_keys

    a = ctx.args
    if a.aktion == "fingerprint" and a.file:
        data = _read_limited(Path(a.file), sync_keys.MAX_KEY_FILE)
        fp = sync_keys.fingerprint(data)
        ctx.out({"datei": str(Path(a.file).resolve()), "fingerprint": fp}, f"Fingerabdruck der Datei: {fp}")
        return 0
    with ctx.opened() as (store, user):
        if a.aktion == "export":
            data = sync_keys.public_key_file(store)
            Path(a.output).write_bytes(data)
            body = json.loads(data)
            fp = sync_keys.fingerprint(data)
            ctx.out({"datei": str(Path(a.output).resolve()), "fingerprint": fp, "key_id": body["key_id"],
                     "site": body["site"], "escrow": body["escrow"] is not None},
                    f"Öffentliche Schlüsseldatei gespeichert: {a.output}\nFingerabdruck: {fp}\n"
                    "Bitte den Fingerabdruck der anderen Stelle am Telefon vorlesen.")
        elif a.aktion == "fingerprint":
            data = sync_keys.public_key_file(store)
            fp = sync_keys.fingerprint(data)
            ctx.out({"fingerprint": fp, "key_id": json.loads(data)["key_id"]}, f"Eigener Fingerabdruck: {fp}")
        elif a.aktion == "import":
            data = _read_limited(Path(a.file), sync_keys.MAX_KEY_FILE)
            fp = sync_keys.fingerprint(data)
            if not a.bestaetigt:
                raise WhhError(f"Fingerabdruck der Datei: {fp}\nBitte mit der anderen Stelle am Telefon "
                               "vergleichen und dann mit --bestaetigt FINGERABDRUCK erneut aufrufen. Der "
                               "Schlüssel wurde noch NICHT übernommen.")
            key = sync_keys.import_public_key(store, user, data, a.bestaetigt)
            ctx.out({"key_id": key.key_id, "site": key.site, "role": key.role, "fingerprint": fp},
                    f"Schlüssel von {_site_label(key.site)} übernommen (Schlüssel-ID {key.key_id}).")
        elif a.aktion == "escrow":
            escrow_file, fp = sync_keys.create_escrow(store, user)
            _write_new(Path(a.output), escrow_file)
            if a.pdf:
                from datetime import UTC, datetime

                from whh_desktop.core.letters.escrow_sheet import render_escrow_sheet
                from whh_desktop.core.services import site_settings

                with store.read_session() as s:
                    letterhead = site_settings.load(s).letterhead
                _write_new(Path(a.pdf), render_escrow_sheet(escrow_file, letterhead, datetime.now(UTC)))
            ctx.out({"datei": str(Path(a.output).resolve()), "fingerprint": fp},
                    f"Escrow-Schlüssel gespeichert: {a.output}\nFingerabdruck: {fp}\nDiese Datei wird nur "
                    "jetzt erzeugt: offline im Tresor aufbewahren. Danach die eigene Schlüsseldatei neu "
                    "exportieren und an die Standorte geben.")
        else:  # liste
            keys = sync_keys.list_keys(store)
            lines = [f"{k.key_id}  {_site_label(k.site):<14} {labels.key_role(k.role):<24} {k.fingerprint}"
                     + ("" if k.active else f"  widerrufen {(k.revoked_at or '')[:10]}: {k.revoked_reason}")
                     for k in keys if k.active or a.alle]
            ctx.out([k.as_dict() for k in keys], "\n".join(lines) or "Noch keine Schlüssel eingelesen.")
    return 0


def cmd_bundle(ctx: CliContext) -> int:
    """``whh bundle inspect FILE``: the header only, nothing verified or decrypted, no login needed."""
    from whh_desktop.core.sync import bundle

    path = Path(ctx.args.file)
    header, size = bundle.read_header_file(path)  # the header only: the body is never read
    counts = ", ".join(f"{labels.export_count(k)}: {v}" for k, v in sorted(header.counts.items())) or "–"
    scope = "vollständig" if header.full else "Änderungen"
    ctx.out({**header.as_dict(), "datei": str(path.resolve()), "bytes": size, "geprueft": False},
            f"Exportdatei {path.name} ({size} Bytes) – nur der Kopfteil, Unterschrift NICHT geprüft\n"
            f"Richtung:     {labels.bundle_kind(header.kind)}\n"
            f"Absender:     {_site_label(header.sender_site)} (Schlüssel {header.sender_key_id})\n"
            f"Für:          {_site_label(header.for_site) if header.for_site else 'Kreis Herford'}\n"
            f"Export Nr.:   {header.sequence} (Epoche {header.epoch}, {scope})\n"
            f"Erstellt:     {header.created_at}\n"
            f"Programm:     {header.app_version} (Schema {header.schema_version}, Format {header.format_version})\n"
            f"Empfänger:    {', '.join(header.recipient_key_ids)}\n"
            f"Inhalt:       {counts}")
    return 0


def _site_label(code: str) -> str:
    try:
        return SiteCode(code).label
    except ValueError:
        return code


def _read_limited(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise WhhError(f"Die Datei {path} kann nicht gelesen werden ({exc.strerror or exc}).") from None
    if len(data) > limit:
        raise WhhError(f"Die Datei {path} ist zu groß.")
    return data


def _write_new(path: Path, data: bytes) -> None:
    """Secrets are written once and never over an existing file."""
    from whh_desktop.core.store import permissions

    try:
        permissions.write_private(path, data, exclusive=True)
    except FileExistsError:
        raise WhhError(f"Die Datei {path} gibt es schon; sie wird nicht überschrieben.") from None


def _add_sync_key_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("keys", parents=[common], help="Schlüssel austauschen (Sync zwischen Standorten und Kreis)")
    aktion = p.add_subparsers(dest="aktion", required=True, metavar="AKTION")
    q = aktion.add_parser("export", parents=[common], help="eigene öffentliche Schlüsseldatei schreiben")
    q.add_argument("-o", "--output", required=True, help="Datei, z. B. loehne.whhkey")
    q = aktion.add_parser("import", parents=[common], help="Schlüsseldatei der anderen Stelle einlesen")
    q.add_argument("file", metavar="DATEI")
    q.add_argument("--bestaetigt", metavar="FINGERABDRUCK", help="am Telefon verglichener Fingerabdruck")
    q = aktion.add_parser("fingerprint", parents=[common], help="eigenen Fingerabdruck (oder den einer Datei) zeigen")
    q.add_argument("file", metavar="DATEI", nargs="?", help="Schlüsseldatei (ohne Anmeldung)")
    q = aktion.add_parser("escrow", parents=[common], help="Kreis: Escrow-Schlüssel erzeugen (nur einmal sichtbar)")
    q.add_argument("-o", "--output", required=True, help="Datei für den geheimen Escrow-Schlüssel")
    q.add_argument("--pdf", help="zusätzlich ein Blatt für den Tresor")
    q = aktion.add_parser("liste", parents=[common], help="eingelesene Schlüssel zeigen")
    q.add_argument("--alle", action="store_true", help="auch widerrufene und ersetzte")
    p.set_defaults(func=cmd_keys)

    p = sub.add_parser("bundle", parents=[common], help="Exportdateien (.whhb) ansehen")
    aktion = p.add_subparsers(dest="aktion", required=True, metavar="AKTION")
    q = aktion.add_parser("inspect", parents=[common], help="Kopfteil zeigen (ohne Entschlüsselung)")
    q.add_argument("file", metavar="DATEI")
    p.set_defaults(func=cmd_bundle)


# ---- sync export/import (whh export --to …, whh import FILE…) --------------------------------------------------
def cmd_export(ctx: CliContext) -> int:
    """``whh export --to district [--voll] -o DIR`` (site) or ``whh export --to sites|SITE -o DIR`` (district)."""
    from whh_desktop.core.services import sync

    a = ctx.args
    target = Path(a.output)
    with ctx.opened() as (store, user):
        if a.to in ("district", "kreis"):
            results = [sync.export_for_district(store, user, target, full=a.voll)]
        else:
            sites = None if a.to == "sites" else [SiteCode.parse(a.to).value]
            results = sync.export_for_sites(store, user, target, sites)
    data = [{"path": str(r.path), "site": r.site, "sequence": r.sequence, "full": r.full, "counts": r.counts}
            for r in results]
    lines = [f"{r.path}  Export {r.sequence}{' (vollständig)' if r.full else ''}: "
             + (", ".join(f"{k} {v}" for k, v in sorted(r.counts.items())) or "keine Änderungen") for r in results]
    ctx.out(data, "\n".join(lines) or "Keine Standorte mit eingelesenem Schlüssel.")
    return 0


def cmd_import(ctx: CliContext) -> int:
    """``whh import FILE…``: each bundle verified and applied in one transaction, or refused with the reason."""
    from whh_desktop.core.services import sync

    files = [Path(f) for f in ctx.args.files]
    with ctx.opened() as (store, user):
        reports = sync.import_bundles(store, user, files)
    text = []
    for r in reports:
        text.append(r.summary)
        text += [f"  übersprungen: {x['entity']} {x['id']}: {x['reason']}" for x in r.skipped[:20]]
    refused = [r.path.name for r in reports if not r.applied]
    if refused:  # which files failed, last, so it is seen (exit code 1)
        text.append(f"{len(refused)} von {len(reports)} Dateien nicht eingelesen: {', '.join(refused)}")
    ctx.out([r.as_dict() for r in reports], "\n".join(text))
    return 0 if all(r.applied for r in reports) else 1


def _add_sync_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common], help="Exportdatei schreiben (für den Kreis bzw. die Standorte)")
    p.add_argument("--to", required=True, help="district (am Standort); sites oder ein Standort (beim Kreis)")
    p.add_argument("--voll", action="store_true", help="alles exportieren, nicht nur die Änderungen")
    p.add_argument("-o", "--output", required=True, help="Zielordner")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("import", parents=[common], help="Exportdateien (.whhb) einlesen")
    p.add_argument("files", nargs="+", metavar="DATEI")
    p.set_defaults(func=cmd_import)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging()
    ctx = CliContext(args)
    try:
        return int(args.func(ctx))
    except WhhError as exc:
        log.info("command %s failed: %s", args.command, type(exc).__name__)
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except Exception as exc:  # an unexpected fault: a German message, details (without data) in the log
        log.error("command %s crashed: %s at %s", args.command, type(exc).__name__, _where(exc))
        print("Fehler: Ein unerwarteter Fehler ist aufgetreten. Es wurde nichts halb gespeichert. Bitte den "
              "Support informieren; Einzelheiten stehen in der Protokolldatei.", file=sys.stderr)
        return 1


def _where(exc: BaseException) -> str:
    """File and line of the innermost frame: enough for support, without values that could be personal."""
    tb = exc.__traceback__
    while tb and tb.tb_next:
        tb = tb.tb_next
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb else "?"


if __name__ == "__main__":
    sys.exit(main())
