"""``whh letter list | empfaenger TYP | render TYP --case … -o F.pdf``: DIN 5008 letters, the same code path as the
app (catalogue, recipients from the address book, the check before sending, filing in the case's documents)."""

from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import Any

from whh_desktop.cli.arguments import Subcommands, field_arg, uuid_arg
from whh_desktop.cli.context import CliContext
from whh_desktop.core.domain import letter_catalogue as catalogue
from whh_desktop.core.domain import letter_check
from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.domain.letter_catalogue import LetterType
from whh_desktop.core.domain.letter_check import Finding
from whh_desktop.core.domain.text import fold
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.letters import fields
from whh_desktop.core.services import address_book, cases, letters
from whh_desktop.core.services.address_book import Recipient


def register(sub: Subcommands, common: argparse.ArgumentParser) -> None:
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
    p.set_defaults(func=run_letter)


def run_letter(ctx: CliContext) -> int:
    if ctx.args.aktion == "list":
        return _list(ctx)
    return _recipients_or_render(ctx)


def _list(ctx: CliContext) -> int:
    data = [{"typ": t.code, "titel": t.title, "gruppe": t.group_label,
             "empfaenger": [catalogue.RECIPIENT_KINDS[k] for k in t.recipient_kinds],
             "pflichtfelder": [fields.FIELDS[k] for k in t.required], "serienbrief": t.serial}
            for t in letters.letter_types()]
    ctx.out(data, "\n".join(f"{t.code:<34} {t.title}" for t in letters.letter_types()))
    return 0


def _recipients_or_render(ctx: CliContext) -> int:
    a = ctx.args
    kind = catalogue.get(a.typ)
    with ctx.opened() as (store, user):
        case_id: uuid.UUID | None = None
        if a.case:
            with store.read_session() as s:
                case_id = cases.find_case_id(s, a.case)
        offer_id = uuid_arg(a.angebot, "--angebot") if getattr(a, "angebot", None) else None
        with store.read_session() as s:
            candidates = letters.recipients(s, kind, case_id, offer_id)
        if a.aktion == "empfaenger":
            ctx.out([c.as_dict() for c in candidates], "\n".join(c.label for c in candidates) or "Keine Empfänger.")
            return 0
        if kind.needs_case and case_id is None:
            raise InvalidInput("Bitte den Fall mit --case AKTENZEICHEN angeben.", "case")
        recipient = _pick_recipient(candidates, a.empfaenger, kind)
        overrides = dict(field_arg(x) for x in (a.feld or []))
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
            f"Brief gespeichert: {a.output} ({plural(result.pages, 'Seite', 'Seiten')}, an "
            f"{recipient.label})")
    return 0


def _finding(f: Finding) -> dict[str, Any]:
    return {"code": f.code, "blockiert": f.blocking, "text": f.text}


def _pick_recipient(candidates: list[Recipient], wanted: str | None, kind: LetterType) -> Recipient:
    """``--empfaenger``: an address typed with ``\\n`` is used as given; other text picks the first candidate whose
    lines contain it (folded like the search); none picks the default, the first."""
    if wanted and "\n" in wanted.replace("\\n", "\n"):
        return address_book.manual(kind.recipient_kinds[0], wanted.replace("\\n", "\n"))
    matches = [c for c in candidates if not wanted or fold(wanted) in fold(" ".join(c.lines))]
    if not matches:
        hint = "; ".join(c.label for c in candidates[:8]) or "keine im Adressbuch"
        raise InvalidInput(f"Kein passender Empfänger für »{wanted or ''}«. Möglich: {hint}.", "empfaenger")
    return matches[0]
