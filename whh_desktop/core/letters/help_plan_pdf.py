"""The Hilfeplan of a case as a PDF for the planning conference, with the site letterhead (report-PDF style).

The Suchthilfe pathway is not printed: the conference's participants are not all allowed to see health data.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select

from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.letters import fonts
from whh_desktop.core.letters.report_page import GREY, page_frame
from whh_desktop.core.services import help_plans, site_settings
from whh_desktop.core.services.access import require_case_worker
from whh_desktop.core.services.help_plans import ConferenceKind, GoalStatus, ServiceKind
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.site_settings import Letterhead
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Account, Case, Person
from whh_desktop.core.store.models.help_plans import HelpPlanConference, HelpPlanGoal
from whh_desktop.core.store.rows import get_live

LEFT, RIGHT, TOP, BOTTOM = 20 * mm, 15 * mm, 20 * mm, 20 * mm
RULE = HexColor("#bbbbbb")
HEAD = HexColor("#eeeeee")


@dataclass(frozen=True)
class PlanPrint:
    case_number: str
    person: str
    birth_date: date | None
    counsellor: str
    goals: list[HelpPlanGoal]
    services: list[help_plans.ServiceView]  # masked for the printing user
    conferences: list[HelpPlanConference]


def _d(value: date | None) -> str:
    return fmt_date(value)


def render_help_plan(plan: PlanPrint, letterhead: Letterhead, today: date | None = None) -> bytes:
    fonts.register()
    today = today or date.today()
    body = ParagraphStyle("body", fontName=fonts.SANS, fontSize=8.5, leading=11)
    label = ParagraphStyle("label", parent=body, textColor=GREY)
    bold = ParagraphStyle("bold", parent=body, fontName=fonts.SANS_BOLD)
    heading = ParagraphStyle("heading", parent=body, fontName=fonts.SANS_BOLD, fontSize=11.5, leading=15,
                             spaceBefore=5 * mm, spaceAfter=1.5 * mm, keepWithNext=1)
    title = ParagraphStyle("title", parent=body, fontName=fonts.SANS_BOLD, fontSize=16, leading=20,
                           spaceAfter=2 * mm)

    def p(text: str | None, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(fonts.printable(text or "–", style.fontName)).replace("\n", "<br/>"), style)

    width = A4[0] - LEFT - RIGHT - 12

    def table(header: list[str], rows: list[list[Paragraph]], widths: list[float]) -> Table:
        scale = width / sum(widths)
        t = Table([[p(h, bold) for h in header], *rows], colWidths=[w * scale for w in widths], repeatRows=1,
                  hAlign="LEFT")
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, 0), HEAD),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
        return t

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP + 10 * mm,
                            bottomMargin=BOTTOM, title=f"Hilfeplan {plan.case_number}", author="WHH Desktop",
                            creator="WHH Desktop", initialFontName=fonts.SANS)
    person = plan.person + (f", geb. {_d(plan.birth_date)}" if plan.birth_date else "")
    review = plan.conferences[-1].next_review_on if plan.conferences else None
    info = Table([[p("Person", label), p(person)], [p("Fall", label), p(plan.case_number)],
                  [p("Fallführende Beratung", label), p(plan.counsellor)],
                  [p("Nächste Überprüfung", label), p(_d(review))]],
                 colWidths=[45 * mm, width - 45 * mm], hAlign="LEFT")
    info.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    story: list = [p("Hilfeplan", title), p(f"für die Planungskonferenz · Stand {fmt_date(today)}", label),
                   Spacer(0, 3 * mm), info]

    story.append(p("Ziele", heading))
    if plan.goals:
        story.append(table(["Ziel", "Schritte", "Zuständig", "Bis wann", "Stand", "Ergebnis"],
                           [[p(g.what), p(g.steps), p(g.responsible), p(_d(g.due_on)), p(GoalStatus(g.status).label),
                             p(g.result)] for g in plan.goals], [28, 30, 17, 16, 14, 25]))
    else:
        story.append(p("Noch keine Ziele eingetragen."))

    story.append(p("Beteiligte Stellen", heading))
    if plan.services:
        story.append(table(["Stelle", "Art", "Ansprechperson", "Erreichbar", "Aufgabe"],
                           [[p(s.name), p(ServiceKind(s.kind).label), p(s.contact_person),
                             p("\n".join(x for x in (s.phone, s.email) if x) or None), p(s.task)]
                            for s in plan.services], [26, 22, 20, 24, 38]))
    else:
        story.append(p("Noch keine Stellen eingetragen."))

    story.append(p("Planungskonferenzen", heading))
    if plan.conferences:
        story.append(table(["Datum", "Art", "Teilnehmende", "Vereinbarungen", "Nächste Überprüfung"],
                           [[p(_d(c.held_on)), p(ConferenceKind(c.kind).label), p("\n".join(c.participants or [])),
                             p(c.agreements), p(_d(c.next_review_on))] for c in plan.conferences],
                           [16, 25, 24, 40, 17]))
    else:
        story.append(p("Noch keine Konferenz eingetragen."))

    decorate = page_frame(letterhead, f"Vertraulich – Hilfeplan {plan.case_number}",
                          left=LEFT, right=RIGHT, top=TOP, bottom=BOTTOM)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def help_plan_pdf(store: Store, user: CurrentUser, case_id: uuid.UUID, today: date | None = None) -> bytes:
    """Collect the plan (audited as printed) and render it with the site's letterhead."""
    require_case_worker(user)
    with store.session(user.username) as s:
        case = get_live(s, Case, case_id, "Diesen Fall")
        person = s.get(Person, case.person_id)
        name = f"{person.given_names or ''} {person.family_name or ''}".strip() if person else ""
        counsellor = s.execute(select(Account.display_name).where(Account.username == case.counsellor)).scalar()
        plan = PlanPrint(case.case_number, name, person.birth_date if person else None, counsellor or case.counsellor,
                         help_plans.goals(s, case_id), help_plans.services(s, user, case_id),
                         help_plans.conferences(s, case_id))
        letterhead = site_settings.load(s).letterhead
        audit.append(s, user.username, "help_plan_printed", object_type="case", object_id=str(case_id))
        s.expunge_all()
    return render_help_plan(plan, letterhead, today)
