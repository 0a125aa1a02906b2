"""Letters from a case: the API the letter form, preview and print dialog use, and ``whh letter``.

    draft = letters.prepare(store, user, case_id, "jc_zusicherung", recipient)   # fields, missing, warnings
    findings = letters.check(draft, {"ihr_zeichen": "123"})                      # Prüfung vor dem Versand
    pdf = letters.render(draft, {"ihr_zeichen": "123"}, "Zusätzlicher Absatz")   # bytes; LetterBlocked if blocking
    pdf = letters.render(draft, values, force="Rücksprache mit dem JC")          # sent anyway, with a reason
    letters.record(store, user, case_id, draft, pdf, forced=reason)               # copy in the case + contact

``render`` needs no store: a draft carries the template text, letterhead, footer and logo it was prepared with.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from whh_desktop.core.domain import letter_catalogue as catalogue
from whh_desktop.core.domain import letter_check
from whh_desktop.core.domain.enums import ContactKind
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.housing import ContactWay
from whh_desktop.core.domain.letter_catalogue import LetterType
from whh_desktop.core.domain.letter_check import Finding, LetterFacts
from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.letters import fields, fonts, layout, templates, wording
from whh_desktop.core.letters.layout import LetterContent
from whh_desktop.core.services import address_book, letter_fields, letter_state, proposals, site_settings
from whh_desktop.core.services.access import require_case_worker
from whh_desktop.core.services.address_book import Recipient
from whh_desktop.core.services.cases import get_for_change
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.site_settings import Letterhead
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Contact, Document, DocumentContent, FlatOffer, LandlordNote, Setting

FOOTER_KEY, LOGO_KEY = "letters.footer", "letters.logo"
MAX_LOGO = 2 * 1024 * 1024
MAX_FREE_TEXT = 30_000


# ---- catalogue -----------------------------------------------------------------------------------------------
def letter_types() -> tuple[LetterType, ...]:
    """All letters of the catalogue, grouped in the order of DOMAIN.md."""
    return catalogue.CATALOGUE


# ---- recipients ----------------------------------------------------------------------------------------------
NEW_FLAT_LETTERS = ("vermieter_bewerbung", "vermieter_nachbetreuung")


def recipients(session: Session, letter_type: str | LetterType, case_id: uuid.UUID | None,
               offer_id: uuid.UUID | None = None, query: str = "") -> list[Recipient]:
    """Who this letter can go to, the default first: for the application and aftercare letters the landlord of
    the new flat (the offer, else the case's proposed flat), not the landlord evicting the client."""

    kind = letter_type if isinstance(letter_type, LetterType) else catalogue.get(letter_type)
    out = address_book.recipients(session, kind.recipient_kinds, case_id, query)
    if kind.code not in NEW_FLAT_LETTERS or case_id is None:
        return out
    offer_id = offer_id or proposals.newest_proposed_offer(session, case_id)
    offer = session.get(FlatOffer, offer_id) if offer_id else None
    new = next((r for r in out if offer is not None and r.source == "vermieter" and r.ref_id == offer.landlord_id),
               None)
    evicting = [r for r in out if r.source == "fall"]
    rest = [r for r in out if r is not new and r.source != "fall"]
    return ([new] if new else []) + rest + evicting


# ---- drafts --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DraftField:
    key: str
    label: str
    value: str
    required: bool


@dataclass
class Draft:
    """A letter ready for the form: filled values, what is missing, and what to warn about."""

    letter_type: LetterType
    case_id: uuid.UUID | None
    recipient: Recipient
    values: dict[str, str]
    missing: list[str]
    consent_warning: str | None
    warnings: list[str]
    template_source: str
    template_is_own: bool
    letterhead: Letterhead
    footer: str = ""
    logo: bytes | None = None
    offer_id: uuid.UUID | None = None
    today: date = field(default_factory=date.today)
    facts: LetterFacts | None = None                           # the case's legal state for the check
    conditions: dict[str, str] = field(default_factory=dict)   # the template's state conditions

    @property
    def fields(self) -> list[DraftField]:
        """The fields the form shows: the template's and the required ones, in the order of ``FIELDS``."""
        used = (templates.variables(self.template_source) | set(self.letter_type.required)
                | {"ihr_zeichen", "anlagen"})
        used -= {"freitext", "anrede", "anlagen"} if self.letter_type.client_signs else {"freitext"}
        return [DraftField(k, label, self.values.get(k, ""), k in self.letter_type.required)
                for k, label in fields.FIELDS.items() if k in used]


@dataclass(frozen=True)
class LetterSettings:
    footer: str = ""
    logo: bytes | None = None


def letter_settings(session: Session) -> LetterSettings:
    footer = session.get(Setting, FOOTER_KEY)
    logo = session.get(Setting, LOGO_KEY)
    data = None
    if logo is not None and logo.value:
        try:
            data = base64.b64decode(str(logo.value), validate=True)
        except (binascii.Error, ValueError):
            data = b"damaged"  # the layout warns and leaves the logo out
    return LetterSettings(str(footer.value) if footer is not None and footer.value else "", data)


def prepare(store: Store, user: CurrentUser, case_id: uuid.UUID | None, letter_type: str | LetterType,
            recipient: Recipient, offer_id: uuid.UUID | None = None, today: date | None = None) -> Draft:
    """Fill a letter for a case (serial letters need none) and check consent, required fields and glyphs."""
    require_case_worker(user)
    kind = letter_type if isinstance(letter_type, LetterType) else catalogue.get(letter_type)
    if recipient.kind not in kind.recipient_kinds:
        allowed = ", ".join(catalogue.RECIPIENT_KINDS[k] for k in kind.recipient_kinds)
        raise InvalidInput(f"Dieser Brief geht an: {allowed} – nicht an {recipient.name}.", "recipient")
    if case_id is None and kind.needs_case:
        raise InvalidInput("Dieser Brief braucht einen Fall.", "case")
    today = today or date.today()
    with store.read_session() as s:
        settings = site_settings.load(s).letterhead
        extra = letter_settings(s)
        source, own = templates.source_for(s, kind.code)
        sender = fields.Sender(user.display_name, settings.name, settings.street, settings.plz, settings.city,
                               settings.phone, settings.email)
        values = fields.sender_values(sender, today)
        values["anrede"] = recipient.salutation or wording.salutation(recipient.name)
        values["anlagen"] = wording.default_attachments(kind.code)
        check = None
        state = None
        if case_id is not None:
            values |= letter_fields.case_values(s, case_id, today)
            if kind.uses_offer:
                offer_id = offer_id or proposals.newest_proposed_offer(s, case_id)
        if offer_id is not None and kind.uses_offer:
            values |= letter_fields.offer_values(s, offer_id, case_id, int(values.get("haushalt_personen") or 1))
        if case_id is not None:
            state = letter_state.letter_state(s, case_id, kind, recipient.kind, offer_id, today)
            values |= state.values
            check = None if state.facts.consent_ok else state.facts.consent_message
    values["empfaenger_name"] = recipient.name
    draft = Draft(kind, case_id, recipient, values, [], check, [], source, own, settings, extra.footer, extra.logo,
                  offer_id, today, state.facts if state else None, state.conditions if state else {})
    draft.missing = fields.missing(kind.required, values)
    draft.warnings = glyph_warnings(values, recipient)
    return draft


def glyph_warnings(values: Mapping[str, str], recipient: Recipient | None = None, free_text: str = "") -> list[str]:
    """One German warning per field with characters the font cannot draw (emoji, right-to-left scripts)."""
    texts = [(fields.FIELDS.get(k, k), v) for k, v in values.items() if v]
    if recipient is not None:
        texts += [("Anschrift des Empfängers", line) for line in recipient.lines]
    if free_text:
        texts.append((fields.FIELDS["freitext"], free_text))
    out: list[str] = []
    for label, text in texts:
        lacking = layout.unprintable(text)
        if lacking:
            message = (f"»{label}« enthält Zeichen, die die Schrift nicht drucken kann ({' '.join(sorted(lacking))}). "
                       f"Sie erscheinen im Brief als »{fonts.REPLACEMENT}«; bitte prüfen oder in lateinischer "
                       "Schrift ergänzen.")
            if message not in out:
                out.append(message)
    return out


# ---- rendering -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    warnings: list[str]
    findings: list[Finding] = field(default_factory=list)  # the check before sending


def final_values(draft: Draft, overrides: Mapping[str, str] | None = None, free_text: str = "") -> dict[str, str]:
    """The draft's values with the form's changes; raises ``MissingFields`` naming what is still empty."""
    if len(free_text) > MAX_FREE_TEXT:
        raise InvalidInput(f"Der zusätzliche Text ist zu lang (höchstens {MAX_FREE_TEXT} Zeichen).", "freitext")
    values = dict(draft.values)
    for key, value in (overrides or {}).items():
        if key not in fields.FIELDS:
            raise InvalidInput(f"Unbekanntes Feld »{key}«.", key)
        values[key] = fields.normalise(key, str(value))
    values["freitext"] = free_text.strip()
    lacking = fields.missing(draft.letter_type.required, values)
    if lacking:
        raise fields.MissingFields(lacking)
    return values


def _text(draft: Draft, values: Mapping[str, str]) -> tuple[str, str]:
    """Subject and body: the template with the values and the state's conditions, free text appended if unused."""
    conditions = dict(draft.conditions)
    if draft.facts is not None:  # a typed date of the application counts as well as the recorded one
        submitted = draft.facts.application_submitted_on or fields.parse_long_date(values.get("antrag_datum", ""))
        conditions["antrag_ueber_sechs_monate"] = "ja" if letter_check.submitted_long_ago(submitted,
                                                                                          draft.today) else ""
    subject, body = templates.render_text(draft.letter_type.template, draft.template_source,
                                          dict(values) | conditions)
    if values["freitext"] and "freitext" not in templates.variables(draft.template_source):
        body = f"{body}\n\n{values['freitext']}"
    return subject, body


def compose(draft: Draft, overrides: Mapping[str, str] | None = None, free_text: str = "") -> LetterContent:
    """The letter as the layout draws it (raises ``MissingFields`` or ``TemplateBroken``)."""
    values = final_values(draft, overrides, free_text)
    subject, body = _text(draft, values)
    enclosures = wording.attachment_lines(values.get("anlagen", "")) if not draft.letter_type.client_signs else ()
    lh = draft.letterhead
    place = f"{lh.plz} {lh.city}".strip()
    contact = " · ".join(x for x in (f"Telefon {lh.phone}" if lh.phone else "", lh.email) if x)
    kind = draft.letter_type
    signs = kind.client_signs
    return LetterContent(
        sender_name=lh.name, sender_lines=tuple(x for x in (" · ".join(x for x in (lh.street, place) if x), contact)
                                                if x),
        return_address=" · ".join(x for x in (lh.name, lh.street, place) if x),
        recipient_lines=draft.recipient.lines,
        info=(("Ihr Zeichen", values.get("ihr_zeichen", "")), ("Unser Zeichen", values.get("aktenzeichen", "")),
              ("Name", values.get("berater_name", "")), ("Telefon", values.get("berater_telefon", "")),
              ("E-Mail", values.get("berater_email", "")), ("Datum", short_date(values.get("datum", ""), draft.today))),
        subject=subject, body=body, notes=kind.notes,
        closing="" if signs else "Mit freundlichen Grüßen",
        signature=() if signs else (tuple(x for x in (values.get("berater_name", ""), lh.name) if x)
                                    + ((f"Anlagen: {', '.join(enclosures)}",) if enclosures else ())),
        sign_lines=("Ort, Datum", f"Unterschrift {values.get('klient_name', '')}".strip()) if signs else (),
        reference=" · ".join(x for x in (values.get("aktenzeichen", ""), short_date(values.get("datum", ""),
                                                                                     draft.today)) if x),
        footer=draft.footer, logo=draft.logo)


def short_date(text: str, fallback: date) -> str:
    """``24. November 2026`` → ``24.11.2026`` for the information block."""
    try:
        day, month, year = text.replace(".", "").split()
        return f"{int(day):02d}.{fields.MONTHS.index(month) + 1:02d}.{int(year)}"
    except ValueError:
        return text or fmt_date(fallback)


class LetterBlocked(InvalidInput):
    """The check before sending found contradictions; ``findings`` lists them all (blocking and warnings)."""

    def __init__(self, findings: list[Finding]) -> None:
        reasons = "\n".join(f"– {f.text}" for f in letter_check.blocking(findings))
        super().__init__("Der Brief widerspricht dem Stand des Falls und wird so nicht erstellt:\n" + reasons
                         + "\nBitte korrigieren oder mit Begründung trotzdem senden.", "check")
        self.findings = findings


def check(draft: Draft, overrides: Mapping[str, str] | None = None, free_text: str = "") -> list[Finding]:
    """Prüfung vor dem Versand: the findings for the letter as it would be printed (raises ``MissingFields``)."""
    if draft.facts is None:  # a serial letter: no case, no state to contradict
        return []
    values = final_values(draft, overrides, free_text)
    subject, body = _text(draft, values)
    return letter_check.check(draft.letter_type.code, values, f"{subject}\n{body}", draft.facts)


def force_reason(reason: str | None) -> str | None:
    """The reason a letter is sent despite blocking findings; an empty one is refused in German."""
    if reason is None:
        return None
    if not reason.strip():
        raise InvalidInput("Bitte angeben, warum der Brief trotz der Prüfung so gesendet wird – der Grund kommt "
                           "ins Protokoll.", "reason")
    if len(reason) > 500:
        raise InvalidInput("Der Grund hat höchstens 500 Zeichen.", "reason")
    return " ".join(reason.split())


def render_full(draft: Draft, overrides: Mapping[str, str] | None = None, free_text: str = "",
                force: str | None = None) -> Rendered:
    """PDF bytes with page count and warnings (glyphs, shortened address, damaged logo, the check's risks).

    Blocking findings raise ``LetterBlocked`` unless ``force`` gives a reason (audit it with ``record`` or
    ``audit_forced``)."""
    reason = force_reason(force)
    findings = check(draft, overrides, free_text)
    if letter_check.blocking(findings) and reason is None:
        raise LetterBlocked(findings)
    content = compose(draft, overrides, free_text)
    result = layout.render([content], title=content.subject, author=draft.letterhead.name or "WHH Desktop")
    values = final_values(draft, overrides, free_text)
    warnings = glyph_warnings(values, draft.recipient) + result.warnings
    return Rendered(result.pdf, result.pages[0], warnings, findings)


def render(draft: Draft, overrides: Mapping[str, str] | None = None, free_text: str = "",
           force: str | None = None) -> bytes:
    """The letter as PDF bytes, in memory."""
    return render_full(draft, overrides, free_text, force).pdf


# ---- keeping a copy ------------------------------------------------------------------------------------------
def _forced_detail(draft: Draft, findings: Sequence[Finding], reason: str) -> str:
    codes = ",".join(f.code for f in findings if f.blocking) or "-"
    return f"{draft.letter_type.code} trotz Prüfung ({codes}); Grund: {reason}"[:1000]


def audit_forced(store: Store, user: CurrentUser, case_id: uuid.UUID, draft: Draft, findings: Sequence[Finding],
                 reason: str) -> None:
    """Note in the audit log that a letter went out despite blocking findings, with the counsellor's reason."""
    require_case_worker(user)
    reason = force_reason(reason) or ""
    with store.session(user.username) as s:
        audit.append(s, user.username, "letter_check_overridden", object_type="case", object_id=str(case_id),
                     detail=_forced_detail(draft, findings, reason))


def record(store: Store, user: CurrentUser, case_id: uuid.UUID, draft: Draft, pdf: bytes,
           on: date | None = None, forced: str | None = None, findings: Sequence[Finding] = ()) -> uuid.UUID:
    """Keep the PDF in the case's documents (date, recipient, letter type), log the letter as a written contact
    and audit it as ``letter_printed`` (and ``letter_check_overridden`` with the reason when ``forced``), in one
    transaction. Returns the document id."""
    require_case_worker(user)
    forced = force_reason(forced)
    if not pdf.startswith(b"%PDF"):
        raise InvalidInput("Das ist kein PDF.", "pdf")
    on = on or date.today()
    kind, who = draft.letter_type, draft.recipient
    with store.session(user.username) as s:
        case = get_for_change(s, case_id, user)
        doc = Document(case_id=case_id, title=f"{kind.title} – {who.name} ({fmt_date(on)})"[:300], kind="letter",
                       mime="application/pdf", size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest(),
                       recipient=who.label[:200], letter_type=kind.code)
        s.add(doc)
        s.flush()
        s.add(DocumentContent(document_id=doc.id, data=pdf))
        s.add(Contact(case_id=case_id, on=max(on, case.opened_on), minutes=0, kind=ContactKind.SCHRIFTLICH.value,
                      bausteine=sorted(kind.bausteine), note=f"Brief »{kind.title}« an {who.name}",
                      counsellor=user.username))
        detail = kind.code + (" ohne Einwilligung" if draft.consent_warning else "")
        audit.append(s, user.username, "letter_printed", object_type="case", object_id=str(case_id), detail=detail)
        if forced is not None:
            audit.append(s, user.username, "letter_check_overridden", object_type="case", object_id=str(case_id),
                         detail=_forced_detail(draft, findings, forced))
        return doc.id


# ---- serial letters ------------------------------------------------------------------------------------------
class _Cancelled(Exception):
    pass


@dataclass(frozen=True)
class SerialRecord:
    recipient: Recipient
    record_id: uuid.UUID | None  # the landlord's contact note; None for address-book recipients (audit only)


@dataclass
class SerialResult:
    """A rendered serial letter; ``records`` stays empty until it is printed or saved (``record_serial``)."""

    pdf: bytes
    records: list[SerialRecord]
    cancelled: bool = False
    warnings: list[str] = field(default_factory=list)
    letter_type: LetterType | None = None
    recipients: tuple[Recipient, ...] = ()
    on: date | None = None

    @property
    def recorded(self) -> bool:
        return bool(self.records)


def render_serial(store: Store, user: CurrentUser, letter_type: str | LetterType, recipients: Sequence[Recipient],
                  overrides: Mapping[str, str] | None = None, free_text: str = "",
                  progress: Callable[[int, int], object] = lambda done, total: None,
                  cancelled: Callable[[], bool] = lambda: False, today: date | None = None) -> SerialResult:
    """One template to many recipients in one combined PDF, for the preview. Nothing is recorded here: a preview
    is not a letter sent; ``record_serial`` notes one contact per recipient once the PDF is printed or saved.
    Cancelling returns no PDF."""
    if not recipients:
        raise InvalidInput("Bitte mindestens einen Empfänger wählen.", "recipients")
    base = prepare(store, user, None, letter_type, recipients[0], today=today)
    if not base.letter_type.serial:
        raise InvalidInput("Dieser Brief ist kein Serienbrief; er wird für einen Fall geschrieben.", "letter_type")
    contents = []
    for who in recipients:  # each landlord with their own greeting, not the first recipient's
        greeting = who.salutation or wording.salutation(who.name)
        draft = replace(base, recipient=who, values=base.values | {"empfaenger_name": who.name, "anrede": greeting})
        contents.append(compose(draft, overrides, free_text))
    total = len(contents)

    def on_letter(index: int) -> None:
        if cancelled():
            raise _Cancelled
        progress(index + 1, total)

    try:
        result = layout.render(contents, title=base.letter_type.title, on_letter=on_letter)
    except _Cancelled:
        return SerialResult(b"", [], cancelled=True)
    return SerialResult(result.pdf, [], False, base.warnings + result.warnings, base.letter_type, tuple(recipients),
                        base.today)


def record_serial(store: Store, user: CurrentUser, result: SerialResult) -> list[SerialRecord]:
    """Note the serial letter once it has left the program (printed or saved): a contact note for each landlord,
    an audit entry for each office. A second print or save of the same result records nothing more."""
    if result.cancelled or result.letter_type is None or result.on is None:
        raise InvalidInput("Es gibt keinen fertigen Serienbrief, der vermerkt werden könnte.")
    if not result.recorded:
        result.records = _record_serial(store, user, result.letter_type, result.recipients, result.on)
    return result.records


def _record_serial(store: Store, user: CurrentUser, kind: LetterType, recipients: Sequence[Recipient],
                   on: date) -> list[SerialRecord]:
    out: list[SerialRecord] = []
    with store.session(user.username) as s:
        for who in recipients:
            note_id = None
            if who.source == "vermieter" and who.ref_id is not None:
                note = LandlordNote(landlord_id=who.ref_id, on=on, way=ContactWay.BRIEF.value,
                                    note=f"Serienbrief »{kind.title}«", author=user.username)
                s.add(note)
                s.flush()
                note_id = note.id
            audit.append(s, user.username, "letter_printed", object_type="landlord" if note_id else "address_book",
                         object_id=str(who.ref_id) if who.ref_id else None, detail=kind.code)
            out.append(SerialRecord(who, note_id))
    return out


# ---- admin: letterhead extras and templates ------------------------------------------------------------------
def _require_admin(user: CurrentUser) -> None:
    if not user.is_admin:
        raise PermissionDenied("Briefkopf und Brieftexte pflegt die Administration.")


def save_letter_settings(store: Store, user: CurrentUser, footer: str, logo_file: Path | None = None,
                         remove_logo: bool = False) -> None:
    """Footer (e.g. bank details, up to 3 lines) and the logo image (PNG or JPEG file) of the letterhead."""
    _require_admin(user)
    if len([x for x in footer.splitlines() if x.strip()]) > 3 or len(footer) > 400:
        raise InvalidInput("Die Fußzeile hat höchstens 3 Zeilen und 400 Zeichen.", "footer")
    logo = None
    if logo_file is not None:
        if not logo_file.is_file():
            raise InvalidInput(f"Die Logo-Datei {logo_file} gibt es nicht.", "logo")
        data = logo_file.read_bytes()
        if len(data) > MAX_LOGO:
            raise InvalidInput("Das Logo ist größer als 2 MB. Bitte eine kleinere Datei wählen.", "logo")
        if not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8")):
            raise InvalidInput("Das Logo muss ein PNG- oder JPEG-Bild sein.", "logo")
        logo = base64.b64encode(data).decode("ascii")
    with store.session(user.username) as s:
        s.merge(Setting(key=FOOTER_KEY, value=footer.strip()))
        if logo is not None or remove_logo:
            s.merge(Setting(key=LOGO_KEY, value=logo or ""))
        audit.append(s, user.username, "settings_changed", detail="letters")


def save_template(store: Store, user: CurrentUser, code: str, source: str) -> None:
    """Keep the site's own text of a letter; a broken template is refused with its line (``TemplateBroken``)."""
    _require_admin(user)
    kind = catalogue.get(code)
    templates.check(kind.template, source)
    with store.session(user.username) as s:
        s.merge(Setting(key=templates.OVERRIDE_PREFIX + code, value=source))
        audit.append(s, user.username, "settings_changed", detail=f"letter template {code}")


def reset_template(store: Store, user: CurrentUser, code: str) -> None:
    """Back to the text shipped with the app."""
    _require_admin(user)
    catalogue.get(code)
    with store.session(user.username) as s:
        row = s.get(Setting, templates.OVERRIDE_PREFIX + code)
        if row is not None:
            s.delete(row)
        audit.append(s, user.username, "settings_changed", detail=f"letter template {code} reset")
