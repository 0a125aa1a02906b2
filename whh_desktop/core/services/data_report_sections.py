"""The German sections of the Art. 15 report: one renderer per table of a case, the case overview and the person.

Every value is formatted (dates TT.MM.JJJJ, euros 1.234,56 €, enum labels from ``core/domain/labels.py``, staff
display names); nothing internal. Special-category tables are read through the masking services (``casework``,
``help_plans``, ``suchthilfe``), never from the raw rows handed in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.deadlines import DeadlineKind
from whh_desktop.core.domain.enums import (
    Baustein,
    CameVia,
    Category,
    ConsentRecipient,
    ContactKind,
    IncomeKind,
    Outcome,
    ReferralStatus,
    ReferralTarget,
    Relation,
    Sex,
    TerminationKind,
)
from whh_desktop.core.domain.formatting import fmt_date, fmt_money, fmt_number, plural
from whh_desktop.core.domain.housing import ProposalStep, SearchStatus
from whh_desktop.core.services import casework, help_plans, suchthilfe
from whh_desktop.core.services.access import CONFIDENTIAL
from whh_desktop.core.services.help_plans import ConferenceKind, GoalStatus, ServiceKind
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.models import (
    Case,
    CategoryEntry,
    Consent,
    Contact,
    DeadlineEntry,
    Document,
    EvictionProceeding,
    HouseholdMember,
    Income,
    Person,
    Referral,
    RentDueEntry,
)
from whh_desktop.core.store.models.applications import (
    Application,
    ApplicationKind,
    Decision,
    Objection,
    ObjectionDecision,
    SubmittedVia,
)
from whh_desktop.core.store.models.help_plans import HelpPlanConference, HelpPlanGoal, HelpPlanService, SuchthilfeStage
from whh_desktop.core.store.models.housing import HousingSearch, Proposal

STAFF_FALLBACK = "eine Mitarbeiterin oder ein Mitarbeiter der Beratungsstelle"


# ---- formatting ------------------------------------------------------------------------------------------------
def d(value: date | None) -> str:
    return fmt_date(value, empty="")


money = fmt_money  # empty for no amount


def yes(flag: bool | None) -> str:
    return "ja" if flag else "nein"


def joined(parts: Iterable[str], sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


def nationality(code: str | None) -> str:
    if not code:
        return ""
    return labels.country(code)


@dataclass
class Context:
    """What every section renderer needs: the session, the printing user, staff names, KdU surcharge names."""

    session: Session
    user: CurrentUser
    case: Case
    staff: dict[str, str]
    surcharges: dict[str, str]

    def who(self, username: str | None) -> str:
        if not username:
            return ""
        return self.staff.get(username, STAFF_FALLBACK)

    def unname(self, text: str) -> str:
        """A user name inside a stored text (»bestätigt von b.schulz«) replaced by the display name."""
        for username, name in self.staff.items():
            if username in text:
                text = re.sub(rf"(?<![\w.]){re.escape(username)}(?![\w.])", name, text)
        return text


Row = tuple[str, str]
Renderer = Callable[[Context, list], list[Row]]


def _rows(*pairs: tuple[str, str]) -> list[Row]:
    """Label–value pairs without the empty ones."""
    return [(k, v) for k, v in pairs if v]


# ---- one renderer per table of a case --------------------------------------------------------------------------
def _categories(ctx: Context, rows: list[CategoryEntry]) -> list[Row]:
    return [("Wohnsituation ab " + d(c.since), labels.of(Category, c.category))
            for c in sorted(rows, key=lambda c: c.since)]


def _household(ctx: Context, rows: list[HouseholdMember]) -> list[Row]:
    return [(labels.of(Relation, m.relation),
             joined([joined([m.given_names or "", m.family_name or ""], " "),
                     f"geboren am {d(m.birth_date)}" if m.birth_date else "",
                     labels.of(Sex, m.sex) if m.sex and m.sex != Sex.OHNE_ANGABE else ""]) or "ohne Namen erfasst")
            for m in rows]


def _incomes(ctx: Context, rows: list[Income]) -> list[Row]:
    return [("Einkommen", joined([labels.of(IncomeKind, i.kind), f"seit {d(i.since)}" if i.since else "",
                                  f"Nummer der Bedarfsgemeinschaft {i.bg_number}" if i.bg_number else "",
                                  i.note or ""])) for i in rows]


def _rent(ctx: Context, rows: list[RentDueEntry]) -> list[Row]:
    return [(f"Miete fällig am {d(r.due_on)}", f"{money(r.amount_due)}, gezahlt {money(r.amount_paid)}")
            for r in sorted(rows, key=lambda r: r.due_on)]


def _proceedings(ctx: Context, rows: list[EvictionProceeding]) -> list[Row]:
    out: list[Row] = []
    for p in rows:
        out += _rows(("Kündigung vom", d(p.termination_on)),
                     ("Art der Kündigung", labels.of(TerminationKind, p.termination_kind)),
                     ("Räumungsklage eingereicht am", d(p.suit_filed_on)),
                     ("Räumungsklage zugestellt am", d(p.suit_served_on)),
                     ("Verhandlungstermin", d(p.hearing_on)), ("Räumungstermin", d(p.eviction_on)),
                     ("Gericht", p.court or ""), ("Aktenzeichen des Gerichts", p.court_file_no or ""),
                     ("Frühere Nachzahlung in der Schonfrist", d(p.previous_cure_on)),
                     ("Mitteilung des Gerichts an das Jobcenter erhalten am", d(p.notice_received_on)),
                     ("Miete laut Mitteilung", money(p.notice_rent)),
                     ("Rückstand laut Mitteilung", money(p.notice_arrears)), ("Notiz", p.note or ""))
        if not out:
            out.append(("Räumungsverfahren", "erfasst, noch ohne Daten"))
    return out


def _contacts(ctx: Context, rows: list[Contact]) -> list[Row]:
    out: list[Row] = []
    for c in sorted(casework.contacts(ctx.session, ctx.user, ctx.case.id), key=lambda c: (c.on, c.created_at)):
        head = joined([labels.of(ContactKind, c.kind), plural(c.minutes, "Minute", "Minuten") if c.minutes else "",
                       joined(labels.of(Baustein, b) for b in c.bausteine) and
                       "Baustein " + joined(labels.of(Baustein, b) for b in c.bausteine),
                       f"mit {ctx.who(c.counsellor)}"])
        text = joined([head, f"Notiz: {c.note}" if c.note else "",
                       f"Nächster Schritt: {c.next_step}" if c.next_step else ""], "\n")
        out.append((f"Kontakt am {d(c.on)}", text))
    return out


def _deadlines(ctx: Context, rows: list[DeadlineEntry]) -> list[Row]:
    out: list[Row] = []
    for e in sorted(rows, key=lambda e: e.due_on):
        kind = labels.of(DeadlineKind, e.kind)
        lines = [f"fällig am {d(e.override_on or e.due_on)}"
                 + (f" (berechnet: {d(e.due_on)}; abweichend gesetzt: {e.override_reason or 'ohne Begründung'})"
                    if e.override_on else ""),
                 f"Regel: {e.rule}" if e.rule else "",
                 "Berechnet aus: " + joined(f"{k} {v}" for k, v in (e.inputs or {}).items()) if e.inputs else "",
                 joined((f"Hinweis: {w}" for w in (e.warnings or [])), "\n"),
                 f"zuständig: {ctx.who(e.assigned_to)}", f"erledigt am {d(e.done_on)}" if e.done_on else "",
                 f"Notiz: {e.note}" if e.note else ""]
        out.append((kind, joined(lines, "\n")))
    return out


def _applications(ctx: Context, rows: list[Application]) -> list[Row]:
    out: list[Row] = []
    for a in sorted(rows, key=lambda a: a.submitted_on):
        reminders = [d(date.fromisoformat(r["on"])) for r in (a.reminders or []) if r.get("on")]
        lines = [joined([f"gestellt am {d(a.submitted_on)}", labels.of(SubmittedVia, a.submitted_via),
                         f"bei {a.authority}" if a.authority else ""]),
                 f"Aktenzeichen: {a.file_no}" if a.file_no else "",
                 f"beantragt: {money(a.amount_requested)}" if a.amount_requested is not None else "",
                 f"Entscheidung erwartet bis {d(a.expected_on)}" if a.expected_on else "",
                 f"Sachstandsanfragen am {joined(reminders)}" if reminders else "",
                 joined([f"Bescheid: {labels.of(Decision, a.decision)}" if a.decision else "noch nicht entschieden",
                         f"vom {d(a.decided_on)}" if a.decided_on else "",
                         f"zur Post gegeben am {d(a.posted_on)}" if a.posted_on else ""]),
                 f"bewilligt: {money(a.amount_granted)}" if a.amount_granted is not None else "",
                 "Der Bescheid enthielt keine Rechtsbehelfsbelehrung." if a.without_instructions else "",
                 {True: "Die Wohnung blieb erhalten.", False: "Die Wohnung blieb nicht erhalten.",
                  None: ""}[a.eviction_averted],
                 f"Notiz: {a.note}" if a.note else ""]
        out.append((f"Antrag: {labels.of(ApplicationKind, a.kind)}", joined(lines, "\n")))
    return out


def _objections(ctx: Context, rows: list[Objection]) -> list[Row]:
    kinds = {a.id: a.kind for a in ctx.session.execute(select(Application).where(
        Application.case_id == ctx.case.id)).scalars()}
    out: list[Row] = []
    for o in sorted(rows, key=lambda o: o.lodged_on):
        against = kinds.get(o.application_id)
        lines = [f"eingelegt am {d(o.lodged_on)}" + (f" gegen den Bescheid zum Antrag "
                                                     f"»{labels.of(ApplicationKind, against)}«" if against else ""),
                 joined([f"Entscheidung: {labels.of(ObjectionDecision, o.decision)}" if o.decision
                         else "noch nicht entschieden", f"vom {d(o.decided_on)}" if o.decided_on else "",
                         f"zur Post gegeben am {d(o.posted_on)}" if o.posted_on else ""]),
                 f"Notiz: {o.note}" if o.note else ""]
        out.append(("Widerspruch", joined(lines, "\n")))
    return out


def _goals(ctx: Context, rows: list[HelpPlanGoal]) -> list[Row]:
    return [("Ziel", joined([g.what, f"Schritte: {g.steps}" if g.steps else "",
                             f"verantwortlich: {g.responsible}" if g.responsible else "",
                             f"bis {d(g.due_on)}" if g.due_on else "",
                             f"Überprüfung am {d(g.review_on)}" if g.review_on else "",
                             f"Stand: {labels.of(GoalStatus, g.status)}",
                             f"Ergebnis: {g.result}" if g.result else ""], "\n"))
            for g in sorted(rows, key=lambda g: g.created_at)]


def _services(ctx: Context, rows: list[HelpPlanService]) -> list[Row]:
    return [("Beteiligte Stelle", joined([joined([s.name, labels.of(ServiceKind, s.kind)], " – "),
                                          f"seit {d(s.since)}", f"Ansprechperson: {s.contact_person}"
                                          if s.contact_person else "", joined([s.phone, s.email]),
                                          f"Aufgabe: {s.task}" if s.task else "",
                                          f"Einwilligung: {s.consent_note}" if s.consent_note else ""], "\n"))
            for s in help_plans.services(ctx.session, ctx.user, ctx.case.id)]


def _conferences(ctx: Context, rows: list[HelpPlanConference]) -> list[Row]:
    return [(f"{labels.of(ConferenceKind, c.kind)} am {d(c.held_on)}",
             joined([f"Teilnehmende: {joined(c.participants or [])}" if c.participants else "",
                     f"Vereinbarungen: {c.agreements}" if c.agreements else "",
                     f"nächste Überprüfung am {d(c.next_review_on)}" if c.next_review_on else ""], "\n")
             or "ohne weitere Angaben") for c in sorted(rows, key=lambda c: c.held_on)]


def _stages(ctx: Context, rows: list[SuchthilfeStage]) -> list[Row]:
    out: list[Row] = []
    for st in suchthilfe.stages(ctx.session, ctx.user, ctx.case.id):
        if st.confidential:
            out.append(("Suchthilfe", CONFIDENTIAL))
            continue
        out.append((st.stage_label, joined([
            f"Stand: {st.status_label}", f"geplant für {d(st.planned_on)}" if st.planned_on else "",
            f"Beginn {d(st.started_on)}" if st.started_on else "", f"Ende {d(st.ended_on)}" if st.ended_on else "",
            f"Einrichtung: {st.facility}" if st.facility else "",
            "Die Wohnung bleibt während dieser Zeit erhalten." if st.flat_kept else "",
            f"Wohnen: {st.housing}" if st.housing else "", f"Notiz: {st.note}" if st.note else ""], "\n")))
    return out


def _searches(ctx: Context, rows: list[HousingSearch]) -> list[Row]:
    names = {str(m.id): joined([m.given_names or "", m.family_name or ""], " ") for m in ctx.session.execute(
        select(HouseholdMember).where(HouseholdMember.case_id == ctx.case.id)).scalars()}
    out: list[Row] = []
    for h in rows:
        wishes = [w for flag, w in ((h.barrier_free, "barrierefrei"), (h.ground_floor, "Erdgeschoss"),
                                    (h.pets, "mit Haustier"), (h.has_wbs, "Wohnberechtigungsschein vorhanden")) if flag]
        rooms = fmt_number(h.min_rooms) if h.min_rooms else ""
        out.append(("Wohnungssuche", joined([
            f"Stand: {labels.of(SearchStatus, h.status)}",
            f"Haushalt: {plural(h.household_size, 'Person', 'Personen')}",
            f"Mit einziehen: {joined(names.get(i, '') for i in h.member_ids)}" if h.member_ids else "",
            f"Gesuchte Orte: {joined(h.wanted_municipalities)}" if h.wanted_municipalities else "",
            f"Miete höchstens {money(h.max_rent)} (bruttokalt)" if h.max_rent is not None
            else "Miete höchstens bis zur Angemessenheitsgrenze der Kosten der Unterkunft",
            f"mindestens {rooms} Zimmer" if rooms else "", f"Wünsche: {joined(wishes)}" if wishes else "",
            f"Einzug frühestens am {d(h.earliest_move)}" if h.earliest_move else "",
            f"Besonderer Bedarf: {h.special_needs}" if h.special_needs else "",
            "Zuschläge zur Angemessenheitsgrenze: " + joined(ctx.surcharges.get(a, a.replace("_", " "))
                                                             for a in h.kdu_attributes) if h.kdu_attributes else ""],
            "\n")))
    return out


def _proposals(ctx: Context, rows: list[Proposal]) -> list[Row]:
    return [(f"Wohnung vorgeschlagen am {d(p.proposed_on)}", joined([
        joined([p.offer_address, p.municipality]), f"Vermieter: {p.landlord_name}" if p.landlord_name else "",
        f"Bruttokaltmiete {money(p.gross_rent)}", f"Stand: {labels.of(ProposalStep, p.step)}",
        f"Besichtigung am {d(p.viewing_on)}" if p.viewing_on else "",
        f"Zusage am {d(p.accepted_on)}" if p.accepted_on else "",
        f"Absage am {d(p.declined_on)}" if p.declined_on else "",
        f"Grund der Absage: {p.decline_reason}" if p.decline_reason else "",
        f"Mietvertrag unterschrieben am {d(p.lease_signed_on)}" if p.lease_signed_on else "",
        f"Notiz: {p.note}" if p.note else "", f"betreut von {ctx.who(p.counsellor)}"], "\n"))
        for p in sorted(rows, key=lambda p: p.proposed_on)]


def consent_text(c: Consent) -> str:
    return joined([
        "an " + joined(labels.of(ConsentRecipient, r) for r in c.recipients) if c.recipients else "",
        c.recipient_note or "", f"Zweck: {c.purpose}" if c.purpose else "",
        "Daten: " + joined(labels.consent_category(k) for k in c.categories) if c.categories else "",
        "einschließlich Gesundheitsdaten" if c.health_data else "ohne Gesundheitsdaten",
        f"unterschrieben am {d(c.signed_on)}, gültig ab {d(c.valid_from)}"
        + (f" bis {d(c.valid_until)}" if c.valid_until else ""),
        f"widerrufen am {d(c.revoked_on)}" if c.revoked_on else ""], "\n")


def _consents(ctx: Context, rows: list[Consent]) -> list[Row]:
    return [("Einwilligung", consent_text(c)) for c in sorted(rows, key=lambda c: c.signed_on)]


def _documents(ctx: Context, rows: list[Document]) -> list[Row]:
    return [(f"{labels.document_kind(doc.kind)} vom {d(doc.created_at.date())}",
             joined([doc.title, f"Brief: {labels.letter_type(doc.letter_type)}" if doc.letter_type else "",
                     f"an {doc.recipient}" if doc.recipient else ""], "\n"))
            for doc in sorted(rows, key=lambda doc: doc.created_at)]


def _referrals(ctx: Context, rows: list[Referral]) -> list[Row]:
    return [(f"Vermittlung am {d(r.on)}", joined([
        joined([f"an {labels.of(ReferralTarget, r.target)}", r.target_name]),
        f"Stand: {labels.of(ReferralStatus, r.status)}", f"Ergebnis: {r.outcome}" if r.outcome else "",
        f"Notiz: {r.note}" if r.note else ""], "\n"))
        for r in casework.referrals(ctx.session, ctx.user, ctx.case.id)]


# Section title and renderer per table, in the order the report shows them.
RENDERERS: dict[type, tuple[str, Renderer]] = {
    CategoryEntry: ("Wohnsituation (Kategorie)", _categories),
    HouseholdMember: ("Haushalt", _household),
    Income: ("Einkommen", _incomes),
    RentDueEntry: ("Mietkonto", _rent),
    EvictionProceeding: ("Kündigung und Räumungsverfahren", _proceedings),
    Contact: ("Beratungskontakte", _contacts),
    DeadlineEntry: ("Fristen und Wiedervorlagen", _deadlines),
    Application: ("Anträge und Bescheide", _applications),
    Objection: ("Widersprüche", _objections),
    HelpPlanGoal: ("Hilfeplan: Ziele", _goals),
    HelpPlanService: ("Hilfeplan: beteiligte Stellen", _services),
    HelpPlanConference: ("Hilfeplan: Planungsgespräche", _conferences),
    SuchthilfeStage: ("Suchthilfe", _stages),
    HousingSearch: ("Wohnungssuche", _searches),
    Proposal: ("Wohnungsvorschläge", _proposals),
    Consent: ("Einwilligungen und Schweigepflichtentbindungen", _consents),
    Document: ("Dokumente", _documents),
    Referral: ("Vermittlungen an andere Stellen", _referrals),
}


def case_overview(ctx: Context) -> list[Row]:
    c = ctx.case
    status = labels.case_status(c.status)
    tenancy = joined([c.tenancy_street or "", joined([c.tenancy_plz or "", c.tenancy_city or ""], " ")])
    return _rows(
        ("Aktenzeichen", c.case_number), ("Stand", status), ("Aufgenommen am", d(c.opened_on)),
        ("Zuständige Beratung", ctx.who(c.counsellor)),
        ("Vertretung", joined(ctx.who(u) for u in (c.substitutes or []))),
        ("Kommune", c.municipality or ""), ("Zugezogen", "ja" if c.moved_in else ""),
        ("Wohnsituation heute", labels.of(Category, c.current_category) if c.current_category else ""),
        ("Beschreibung der Wohnsituation", c.housing_note or ""),
        ("Zu uns gekommen über", labels.of(CameVia, c.came_via) if c.came_via else ""),
        ("Hinweis dazu", c.came_via_note or ""), ("Erster Bedarf", c.first_needs or ""),
        ("Bausteine der Hilfe", joined(labels.of(Baustein, b) for b in (c.bausteine or []))),
        ("Vermieter", c.landlord_name or ""), ("Anschrift des Vermieters", c.landlord_address or ""),
        ("Wohnung", tenancy), ("Kaltmiete", money(c.cold_rent)), ("Kalte Nebenkosten", money(c.utilities)),
        ("Heizkosten", money(c.heating)), ("Mietschulden", money(c.arrears)), ("Mietschulden seit", d(c.arrears_since)),
        ("Abgeschlossen am", d(c.closed_on)), ("Ergebnis", labels.of(Outcome, c.outcome) if c.outcome else ""),
        ("Abschlussvermerk", c.closing_note or ""),
        ("Verarbeitung eingeschränkt", "ja, auf Ihren Wunsch (Art. 18 DSGVO)" if c.restricted else ""))


def person_rows(person: Person) -> list[Row]:
    return _rows(
        ("Name", joined([person.given_names, person.family_name], " ")), ("Geburtsdatum", d(person.birth_date)),
        ("Geschlecht", labels.of(Sex, person.sex) if person.sex else ""),
        ("Staatsangehörigkeit", nationality(person.nationality)), ("Sprache", person.language or ""),
        ("Dolmetscher nötig", "ja" if person.interpreter_needed else ""), ("Telefon", person.phone or ""),
        ("E-Mail", person.email or ""),
        ("Anschrift", joined([person.street or "", joined([person.plz or "", person.city or ""], " ")])),
        ("Kommune", person.municipality or ""), ("Gespeichert seit", d(person.created_at.date())))
