"""The Hilfeplan of a case as a PDF for the planning conference, with the site letterhead (report-PDF style).

The Suchthilfe pathway is not printed: the conference's participants are not all allowed to see health data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from whh_desktop.core.domain.enums import ConferenceKind, GoalStatus, ServiceKind
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.letterhead import Letterhead
from whh_desktop.core.letters import fonts
from whh_desktop.core.letters.report_page import GREY, page_frame

LEFT, RIGHT, TOP, BOTTOM = 20 * mm, 15 * mm, 20 * mm, 20 * mm
RULE = HexColor("#bbbbbb")
HEAD = HexColor("#eeeeee")


@dataclass(frozen=True)
class PlanGoal:
    what: str
    steps: str | None
    responsible: str | None
    due_on: date | None
    status: str  # a GoalStatus value
    result: str | None


@dataclass(frozen=True)
class PlanService:
    name: str
    kind: str  # a ServiceKind value
    contact_person: str
    phone: str
    email: str
    task: str  # already masked for the printing user


@dataclass(frozen=True)
class PlanConference:
    held_on: date
    kind: str  # a ConferenceKind value
    participants: tuple[str, ...]
    agreements: str | None
    next_review_on: date | None


@dataclass(frozen=True)
class PlanPrint:
    """What the printout shows, gathered by ``services.help_plans.help_plan_pdf``."""

    case_number: str
    person: str
    birth_date: date | None
    counsellor: str
    goals: tuple[PlanGoal, ...]
    services: tuple[PlanService, ...]
    conferences: tuple[PlanConference, ...]


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
