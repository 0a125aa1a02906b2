"""The data report for one person (Art. 15 GDPR / § 19 DSG-EKD) in plain German.

First what Art. 15 (1) and (2) GDPR asks to be told (purposes, categories, recipients with the consents that allowed
each sharing, storage period and the retention rule, rights, source, automated decisions, third countries), then
the stored data in readable sections. Every value is formatted (dates TT.MM.JJJJ, euros 1.234,56 €, enum labels,
staff display names); nothing internal (ids, keys, column names). Special-category content comes masked for a
user who may not see it (``access.health_mask`` through the services' read models).

Every table of a case found from the mapped models (``rights.case_child_models``) needs a section renderer in
``RENDERERS``; a test fails for a table without one, so a table added later cannot silently vanish from the report.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
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
from whh_desktop.core.domain.housing import ProposalStep, SearchStatus
from whh_desktop.core.domain.validation import format_money
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import casework, help_plans, kdu_tables, rights, site_settings, suchthilfe
from whh_desktop.core.services.access import CONFIDENTIAL, require_case_worker
from whh_desktop.core.services.consent import DATA_CATEGORIES
from whh_desktop.core.services.help_plans import ConferenceKind, GoalStatus, ServiceKind
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Account,
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
from whh_desktop.core.store.models.help_plans import (
    HelpPlanConference,
    HelpPlanGoal,
    HelpPlanService,
    SuchthilfeStage,
)
from whh_desktop.core.store.models.housing import HousingSearch, Proposal

SUPERVISORY_AUTHORITY = "Der Beauftragte für den Datenschutz der EKD (kirchliche Datenschutzaufsicht, zuständig " \
                        "für die Diakonie in Nordrhein-Westfalen)"
STAFF_FALLBACK = "eine Mitarbeiterin oder ein Mitarbeiter der Beratungsstelle"


@dataclass(frozen=True)
class ReportSection:
    """A heading with explaining paragraphs and/or label–value rows; ``level`` 2 is a part of the section above."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    level: int = 1


# ---- formatting ------------------------------------------------------------------------------------------------
def d(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def money(cents: int | None) -> str:
    return format_money(cents) if cents is not None else ""


def yes(flag: bool | None) -> str:
    return "ja" if flag else "nein"


def joined(parts: Iterable[str], sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


def nationality(code: str | None) -> str:
    if not code:
        return ""
    return "deutsch" if code.upper() == "DE" else f"Ländercode {code.upper()}"


@dataclass
class _Context:
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
Renderer = Callable[[_Context, list], list[Row]]


def _rows(*pairs: tuple[str, str]) -> list[Row]:
    """Label–value pairs without the empty ones."""
    return [(k, v) for k, v in pairs if v]


# ---- one renderer per table of a case --------------------------------------------------------------------------
def _categories(ctx: _Context, rows: list[CategoryEntry]) -> list[Row]:
    return [("Wohnsituation ab " + d(c.since), labels.of(Category, c.category))
            for c in sorted(rows, key=lambda c: c.since)]


def _household(ctx: _Context, rows: list[HouseholdMember]) -> list[Row]:
    return [(labels.of(Relation, m.relation),
             joined([joined([m.given_names or "", m.family_name or ""], " "),
                     f"geboren am {d(m.birth_date)}" if m.birth_date else "",
                     labels.of(Sex, m.sex) if m.sex and m.sex != Sex.OHNE_ANGABE else ""]) or "ohne Namen erfasst")
            for m in rows]


def _incomes(ctx: _Context, rows: list[Income]) -> list[Row]:
    return [("Einkommen", joined([labels.of(IncomeKind, i.kind), f"seit {d(i.since)}" if i.since else "",
                                  f"Nummer der Bedarfsgemeinschaft {i.bg_number}" if i.bg_number else "",
                                  i.note or ""])) for i in rows]


def _rent(ctx: _Context, rows: list[RentDueEntry]) -> list[Row]:
    return [(f"Miete fällig am {d(r.due_on)}", f"{money(r.amount_due)}, gezahlt {money(r.amount_paid)}")
            for r in sorted(rows, key=lambda r: r.due_on)]


def _proceedings(ctx: _Context, rows: list[EvictionProceeding]) -> list[Row]:
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


def _contacts(ctx: _Context, rows: list[Contact]) -> list[Row]:
    out: list[Row] = []
    for c in sorted(casework.contacts(ctx.session, ctx.user, ctx.case.id), key=lambda c: (c.on, c.created_at)):
        head = joined([labels.of(ContactKind, c.kind), f"{c.minutes} Minuten" if c.minutes else "",
                       joined(labels.of(Baustein, b) for b in c.bausteine) and
                       "Baustein " + joined(labels.of(Baustein, b) for b in c.bausteine),
                       f"mit {ctx.who(c.counsellor)}"])
        text = joined([head, f"Notiz: {c.note}" if c.note else "",
                       f"Nächster Schritt: {c.next_step}" if c.next_step else ""], "\n")
        out.append((f"Kontakt am {d(c.on)}", text))
    return out


def _deadlines(ctx: _Context, rows: list[DeadlineEntry]) -> list[Row]:
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


def _applications(ctx: _Context, rows: list[Application]) -> list[Row]:
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


def _objections(ctx: _Context, rows: list[Objection]) -> list[Row]:
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


def _goals(ctx: _Context, rows: list[HelpPlanGoal]) -> list[Row]:
    return [("Ziel", joined([g.what, f"Schritte: {g.steps}" if g.steps else "",
                             f"verantwortlich: {g.responsible}" if g.responsible else "",
                             f"bis {d(g.due_on)}" if g.due_on else "",
                             f"Überprüfung am {d(g.review_on)}" if g.review_on else "",
                             f"Stand: {labels.of(GoalStatus, g.status)}",
                             f"Ergebnis: {g.result}" if g.result else ""], "\n"))
            for g in sorted(rows, key=lambda g: g.created_at)]


def _services(ctx: _Context, rows: list[HelpPlanService]) -> list[Row]:
    return [("Beteiligte Stelle", joined([joined([s.name, labels.of(ServiceKind, s.kind)], " – "),
                                          f"seit {d(s.since)}", f"Ansprechperson: {s.contact_person}"
                                          if s.contact_person else "", joined([s.phone, s.email]),
                                          f"Aufgabe: {s.task}" if s.task else "",
                                          f"Einwilligung: {s.consent_note}" if s.consent_note else ""], "\n"))
            for s in help_plans.services(ctx.session, ctx.user, ctx.case.id)]


def _conferences(ctx: _Context, rows: list[HelpPlanConference]) -> list[Row]:
    return [(f"{labels.of(ConferenceKind, c.kind)} am {d(c.held_on)}",
             joined([f"Teilnehmende: {joined(c.participants or [])}" if c.participants else "",
                     f"Vereinbarungen: {c.agreements}" if c.agreements else "",
                     f"nächste Überprüfung am {d(c.next_review_on)}" if c.next_review_on else ""], "\n")
             or "ohne weitere Angaben") for c in sorted(rows, key=lambda c: c.held_on)]


def _stages(ctx: _Context, rows: list[SuchthilfeStage]) -> list[Row]:
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


def _searches(ctx: _Context, rows: list[HousingSearch]) -> list[Row]:
    names = {str(m.id): joined([m.given_names or "", m.family_name or ""], " ") for m in ctx.session.execute(
        select(HouseholdMember).where(HouseholdMember.case_id == ctx.case.id)).scalars()}
    out: list[Row] = []
    for h in rows:
        wishes = [w for flag, w in ((h.barrier_free, "barrierefrei"), (h.ground_floor, "Erdgeschoss"),
                                    (h.pets, "mit Haustier"), (h.has_wbs, "Wohnberechtigungsschein vorhanden")) if flag]
        rooms = f"{h.min_rooms:g}".replace(".", ",") if h.min_rooms else ""
        out.append(("Wohnungssuche", joined([
            f"Stand: {labels.of(SearchStatus, h.status)}", f"Haushalt: {h.household_size} Personen",
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


def _proposals(ctx: _Context, rows: list[Proposal]) -> list[Row]:
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
        "Daten: " + joined(DATA_CATEGORIES.get(k, k) for k in c.categories) if c.categories else "",
        "einschließlich Gesundheitsdaten" if c.health_data else "ohne Gesundheitsdaten",
        f"unterschrieben am {d(c.signed_on)}, gültig ab {d(c.valid_from)}"
        + (f" bis {d(c.valid_until)}" if c.valid_until else ""),
        f"widerrufen am {d(c.revoked_on)}" if c.revoked_on else ""], "\n")


def _consents(ctx: _Context, rows: list[Consent]) -> list[Row]:
    return [("Einwilligung", consent_text(c)) for c in sorted(rows, key=lambda c: c.signed_on)]


def _documents(ctx: _Context, rows: list[Document]) -> list[Row]:
    return [(f"{labels.document_kind(doc.kind)} vom {d(doc.created_at.date())}",
             joined([doc.title, f"Brief: {labels.letter_type(doc.letter_type)}" if doc.letter_type else "",
                     f"an {doc.recipient}" if doc.recipient else ""], "\n"))
            for doc in sorted(rows, key=lambda doc: doc.created_at)]


def _referrals(ctx: _Context, rows: list[Referral]) -> list[Row]:
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


def _case_overview(ctx: _Context) -> list[Row]:
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


def _person_rows(person: Person) -> list[Row]:
    return _rows(
        ("Name", joined([person.given_names, person.family_name], " ")), ("Geburtsdatum", d(person.birth_date)),
        ("Geschlecht", labels.of(Sex, person.sex) if person.sex else ""),
        ("Staatsangehörigkeit", nationality(person.nationality)), ("Sprache", person.language or ""),
        ("Dolmetscher nötig", "ja" if person.interpreter_needed else ""), ("Telefon", person.phone or ""),
        ("E-Mail", person.email or ""),
        ("Anschrift", joined([person.street or "", joined([person.plz or "", person.city or ""], " ")])),
        ("Kommune", person.municipality or ""), ("Gespeichert seit", d(person.created_at.date())))


# ---- the Art. 15 information ------------------------------------------------------------------------------------
PURPOSES = [
    "Beratung und Hilfe, um Ihre Wohnung zu erhalten oder eine Wohnung zu finden (Hilfe in Wohnungsnotfällen, "
    "Prävention von Wohnungslosigkeit).",
    "Schreiben an Jobcenter, Sozialamt, Vermieter und andere Stellen in Ihrem Auftrag; Fristen im Blick behalten.",
    "Zusammenarbeit mit anderen Stellen (zum Beispiel Sozialpsychiatrischer Dienst, Suchthilfe), nur mit Ihrer "
    "Einwilligung.",
    "Statistik für den Kreis Herford und das Land NRW: ohne Ihre Einwilligung nur ohne Namen (pseudonym) und in "
    "Zahlen, aus denen niemand einzeln erkennbar ist.",
]
LEGAL_BASIS = ("Rechtsgrundlagen sind Ihre Einwilligung und die Beratung, um die Sie gebeten haben (Art. 6 Abs. 1 "
               "Buchst. a und b DSGVO), für Sozialdaten die §§ 67 ff. SGB X, für Gesundheitsangaben Ihre "
               "ausdrückliche Einwilligung (Art. 9 DSGVO, § 13 DSG-EKD). Die Diakoniestiftung ist eine Einrichtung "
               "der evangelischen Kirche; für sie gilt neben der DSGVO das Datenschutzgesetz der EKD (DSG-EKD).")
RIGHTS = [
    ("Berichtigung", "Sind Angaben falsch oder unvollständig, werden sie auf Ihren Wunsch berichtigt "
                     "(Art. 16 DSGVO)."),
    ("Löschung", "Sie können verlangen, dass Ihre Daten gelöscht werden, wenn sie nicht mehr gebraucht werden oder "
                 "Sie Ihre Einwilligung widerrufen (Art. 17 DSGVO)."),
    ("Einschränkung", "Sie können verlangen, dass Ihre Daten nur noch gespeichert, aber nicht mehr weiter "
                      "verwendet werden (Art. 18 DSGVO)."),
    ("Widerspruch", "Sie können der Verarbeitung aus Gründen, die sich aus Ihrer besonderen Situation ergeben, "
                    "widersprechen (Art. 21 DSGVO)."),
    ("Widerruf", "Eine Einwilligung können Sie jederzeit für die Zukunft widerrufen; was bis dahin geschehen ist, "
                 "bleibt rechtmäßig (Art. 7 Abs. 3 DSGVO)."),
    ("Beschwerde", f"Sie können sich bei der Aufsichtsbehörde beschweren. Für die Diakonie ist das nach dem "
                   f"kirchlichen Datenschutzrecht: {SUPERVISORY_AUTHORITY}."),
]


def _category_names(present: set[type], health: bool) -> list[str]:
    names = ["Angaben zur Person (Name, Geburtsdatum, Kontaktdaten, Anschrift, Staatsangehörigkeit)",
             "Wohnsituation und Mietverhältnis"]
    wanted = [(HouseholdMember, "Haushalt"), (Income, "Einkommen und Leistungen"),
              (EvictionProceeding, "Kündigung und Räumungsverfahren"), (RentDueEntry, "Mietkonto und Mietschulden"),
              (Contact, "Beratungskontakte und Notizen"), (DeadlineEntry, "Fristen"),
              (Application, "Anträge und Bescheide"), (HelpPlanGoal, "Hilfeplan"),
              (HousingSearch, "Wohnungssuche"), (Consent, "Einwilligungen"), (Document, "Dokumente und Briefe"),
              (Referral, "Vermittlungen an andere Stellen")]
    names += [name for model, name in wanted if model in present]
    if health:
        names.append("Gesundheit und Sucht (besondere Kategorie personenbezogener Daten, Art. 9 DSGVO, "
                     "§ 13 DSG-EKD)")
    return names


def _recipients(consents: list[Consent], documents: list[Document]) -> list[str]:
    out = []
    for c in sorted(consents, key=lambda c: c.signed_on):
        who = joined(labels.of(ConsentRecipient, r) for r in c.recipients) or c.recipient_note or "benannte Stellen"
        until = f" bis {d(c.revoked_on)} (widerrufen)" if c.revoked_on else (
            f" bis {d(c.valid_until)}" if c.valid_until else "")
        out.append(f"{who}: auf Grund Ihrer Einwilligung vom {d(c.signed_on)}, gültig ab {d(c.valid_from)}{until}"
                   + (", einschließlich Gesundheitsangaben" if c.health_data else "") + ".")
    letters = sorted({doc.recipient for doc in documents if doc.recipient and doc.kind == "letter"})
    if letters:
        out.append(f"Briefe in Ihrer Sache gingen an: {joined(letters)}.")
    kreis = any(ConsentRecipient.KREIS.value in c.recipients and not c.revoked_on for c in consents)
    out.append("Kreis Herford (Koordination der Wohnungsnotfallhilfe): " + (
        "mit Ihrer Einwilligung mit Namen, für die Abstimmung zwischen den Beratungsstellen."
        if kreis else "ohne Ihren Namen (pseudonym), nur für die Statistik."))
    out.append("In Länder außerhalb der Europäischen Union werden keine Daten übermittelt.")
    return out


def _storage(cases: list[Case], years: int) -> list[str]:
    out = [f"Ihre Daten werden gelöscht, wenn die Aufbewahrungsfrist abgelaufen ist: {years} Jahre nach dem Ende "
           f"des Jahres, in dem Ihr Fall abgeschlossen wurde. Was dann bleibt, sind Zahlen für die Statistik ohne "
           f"Ihren Namen."]
    for c in cases:
        if c.closed_on:
            out.append(f"Fall {c.case_number}: abgeschlossen am {d(c.closed_on)}, Löschung ab "
                       f"{d(rights.retention_end(c.closed_on, years))}.")
        else:
            out.append(f"Fall {c.case_number}: noch nicht abgeschlossen; die Frist beginnt mit dem Abschluss.")
    return out


def _sources(cases: list[Case], present: set[type]) -> list[str]:
    out = ["Die meisten Angaben stammen von Ihnen selbst aus den Beratungsgesprächen."]
    came = sorted({labels.of(CameVia, c.came_via) for c in cases if c.came_via and c.came_via != CameVia.SELBST})
    if came:
        out.append(f"Der erste Hinweis auf Ihre Lage kam von: {joined(came)}.")
    if EvictionProceeding in present:
        out.append("Angaben zu Kündigung und Räumung stammen aus den Schreiben des Vermieters, des Gerichts oder "
                   "des Gerichtsvollziehers, die Sie uns gezeigt haben.")
    if Application in present:
        out.append("Angaben zu Anträgen stammen aus den Bescheiden von Jobcenter oder Sozialamt.")
    out.append("Es gibt keine automatisierte Entscheidung über Sie: Fristen und Grenzen rechnet das Programm aus, "
               "entschieden wird immer von Menschen.")
    return out


def data_report(store: Store, user: CurrentUser, person_id: uuid.UUID,
                years: int = rights.DEFAULT_RETENTION_YEARS) -> list[ReportSection]:
    """Everything stored about one person, in German, for printing; audited as printed."""
    require_case_worker(user)
    with store.session(user.username) as s:
        person = s.get(Person, person_id)
        if person is None or person.deleted_at is not None:
            raise InvalidInput("Zu dieser Person sind keine Daten (mehr) gespeichert.")
        staff = dict(s.execute(select(Account.username, Account.display_name)).all())
        surcharges = {x.code: x.label for t in kdu_tables.tables(s) for x in t.surcharges}
        cases = list(s.execute(select(Case).where(Case.person_id == person_id, Case.deleted_at.is_(None))
                               .order_by(Case.opened_on)).scalars())
        data: list[ReportSection] = []
        present: set[type] = set()
        consents: list[Consent] = []
        documents: list[Document] = []
        health = False
        for case in cases:
            ctx = _Context(s, user, case, staff, surcharges)
            data.append(ReportSection(f"Fall {case.case_number}", _case_overview(ctx)))
            for model in _ordered(rights.case_child_models()):
                rows = list(s.execute(select(model).where(model.case_id == case.id,
                                                          model.deleted_at.is_(None))).scalars())
                if not rows:
                    continue
                present.add(model)
                consents += rows if model is Consent else []
                documents += rows if model is Document else []
                health = health or _has_health(model, rows)
                title, render = RENDERERS.get(model, ("Weitere Angaben", _unnamed))
                data.append(ReportSection(title, [(k, ctx.unname(v)) for k, v in render(ctx, rows)], level=2))
        controller = site_settings.load(s).letterhead
        info = [
            ReportSection("Wer Ihre Daten verarbeitet", paragraphs=[
                joined(controller.address_lines()) + "." if controller.name else
                "Die Beratungsstelle, die Ihnen diese Auskunft gibt.",
                "Die Daten liegen verschlüsselt auf dem Rechner der Beratungsstelle."]),
            ReportSection("1. Wozu wir Ihre Daten verarbeiten", paragraphs=[*PURPOSES, LEGAL_BASIS]),
            ReportSection("2. Welche Arten von Daten gespeichert sind", paragraphs=_category_names(present, health)),
            ReportSection("3. Wer Ihre Daten bekommen hat oder bekommt", paragraphs=_recipients(consents, documents)),
            ReportSection("4. Wie lange Ihre Daten gespeichert werden", paragraphs=_storage(cases, years)),
            ReportSection("5. Ihre Rechte", rows=RIGHTS, paragraphs=[
                "Diese Auskunft selbst ist Ihr Recht auf Auskunft (Art. 15 DSGVO, § 19 DSG-EKD). Die Rechte unten "
                "gibt Ihnen die DSGVO; das DSG-EKD gibt Ihnen dieselben Rechte. Sprechen Sie uns einfach an."]),
            ReportSection("6. Woher die Daten stammen", paragraphs=_sources(cases, present)),
            ReportSection("Ihre Angaben zur Person", _person_rows(person)),
        ]
        audit.append(s, user.username, "data_report_printed", object_type="person", object_id=str(person_id))
        return info + data


def _ordered(models: list[type]) -> list[type]:
    order = list(RENDERERS)
    return sorted(models, key=lambda m: order.index(m) if m in order else len(order))


def _has_health(model: type, rows: list) -> bool:
    from whh_desktop.core.services.access import is_health_referral, is_health_related, is_health_service

    if model is SuchthilfeStage:
        return True
    if model is Contact:
        return any(is_health_related(r.bausteine) for r in rows)
    if model is Referral:
        return any(is_health_referral(r.target) for r in rows)
    if model is HelpPlanService:
        return any(is_health_service(r.kind) for r in rows)
    return False


def _unnamed(ctx: _Context, rows: list) -> list[Row]:
    """A table added later without a renderer: counted, never shown raw (a test fails until it gets one)."""
    return [("Gespeicherte Einträge", str(len(rows)))]
