"""The printable data report for one person (Art. 15 DSGVO / § 19 DSG-EKD), rendered in memory."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.letterhead import Letterhead
from whh_desktop.core.letters import fonts
from whh_desktop.core.letters.report_page import GREY, page_frame

LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 20 * mm, 20 * mm, 20 * mm
LABEL_WIDTH = 48 * mm
RULE = HexColor("#bbbbbb")

INTRO = ("Sie haben das Recht zu erfahren, welche Daten die Beratungsstelle über Sie gespeichert hat und was mit "
         "ihnen geschieht (Art. 15 DSGVO, § 19 DSG-EKD). Diese Auskunft beschreibt zuerst, wozu, an wen und wie "
         "lange Ihre Daten verarbeitet werden und welche Rechte Sie haben; danach folgen alle Angaben, die zum Tag "
         "der Erstellung zu Ihrer Person gespeichert sind.")


@dataclass(frozen=True)
class ReportSection:
    """A heading with explaining paragraphs and/or label–value rows; ``level`` 2 is a part of the section above."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    level: int = 1


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(fonts.printable(text, style.fontName)).replace("\n", "<br/>"), style)


def render_data_report(sections: list[ReportSection], letterhead: Letterhead, today: date | None = None) -> bytes:
    """A4 pages: letterhead line, title, the explanation of the right, then one table per section."""
    fonts.register()
    today = today or date.today()
    body = ParagraphStyle("body", fontName=fonts.SANS, fontSize=9.5, leading=12.5)
    label = ParagraphStyle("label", parent=body, textColor=GREY)
    heading = ParagraphStyle("heading", parent=body, fontName=fonts.SANS_BOLD, fontSize=11.5, leading=15,
                             spaceBefore=4 * mm, spaceAfter=1.5 * mm, keepWithNext=1)
    title = ParagraphStyle("title", parent=body, fontName=fonts.SANS_BOLD, fontSize=16, leading=20,
                           spaceAfter=3 * mm)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP + 10 * mm,
                            bottomMargin=BOTTOM, title="Auskunft nach Art. 15 DSGVO", author="WHH Desktop",
                            creator="WHH Desktop", initialFontName=fonts.SANS)
    width = A4[0] - LEFT - RIGHT - 12  # the frame keeps 6 pt padding on each side
    story: list = [_para("Auskunft über gespeicherte Daten", title),
                   _para(f"nach Art. 15 DSGVO / § 19 DSG-EKD · erstellt am {fmt_date(today)}", label),
                   Spacer(0, 4 * mm), _para(INTRO, body)]
    sub = ParagraphStyle("sub", parent=heading, fontSize=10, leading=13, spaceBefore=2.5 * mm, spaceAfter=1 * mm)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=4 * mm, bulletIndent=0, spaceAfter=1)
    for section in sections:
        part: list = [_para(section.title, heading if section.level == 1 else sub)]
        part += [Paragraph(escape(fonts.printable(text, bullet.fontName)), bullet, bulletText="•")
                 for text in section.paragraphs]
        rows = [[_para(k, label), _para(v or "–", body)] for k, v in section.rows]
        if rows:
            table = Table(rows, colWidths=[LABEL_WIDTH, width - LABEL_WIDTH], hAlign="LEFT")
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]))
            part.append(table)
        # short sections stay on one page; long ones (many contacts) may break, the heading stays with its rows
        story.extend([KeepTogether(part)] if len(rows) + len(section.paragraphs) < 12 else part)

    decorate = page_frame(letterhead, "Vertraulich – nur für die betroffene Person",
                          left=LEFT, right=RIGHT, top=TOP, bottom=BOTTOM)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
