"""The Sachbericht for the funding body: a quarterly or annual PDF (reportlab, embedded DejaVu fonts).

Letterhead line, title and period; the indicator overview; a bar chart per month (households advised, new cases,
Beratungskontakte) drawn with reportlab.graphics; the breakdowns per month, site, municipality and category and
contacts per Baustein; then the free-text part per Baustein. The report leaves the site, so by default the tables
are suppressed (counts 1–2 as "< 3", see suppress.py) and the chart leaves such bars out.
"""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from whh_desktop.core.domain.enums import Baustein
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.letterhead import Letterhead
from whh_desktop.core.letters import fonts
from whh_desktop.core.letters.report_page import GREY, page_frame
from whh_desktop.core.reports import suppress as _suppress
from whh_desktop.core.reports.tables import ReportTable, format_cell

LEFT, RIGHT, TOP, BOTTOM = 20 * mm, 20 * mm, 20 * mm, 20 * mm
RULE = HexColor("#bbbbbb")
SHADE = HexColor("#eeeeee")
BARS = (HexColor("#1f5f8b"), HexColor("#e08a1e"), HexColor("#5a9e4b"))
CHART_SERIES = (("households", "Haushalte beraten"), ("new_cases", "Neue Fälle"), ("contacts", "Beratungskontakte"))
SECTIONS = ("overview", "by_month", "by_site", "by_municipality", "by_category", "by_baustein")


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(fonts.printable(text, style.fontName)).replace("\n", "<br/>"), style)


def period_label(von: date, bis: date) -> str:
    if von.day == 1 and von.month in (1, 4, 7, 10) and (bis - von).days in range(88, 93) and bis.year == von.year:
        return f"{(von.month - 1) // 3 + 1}. Quartal {von.year}"
    if (von.month, von.day, bis.month, bis.day) == (1, 1, 12, 31) and von.year == bis.year:
        return f"Jahr {von.year}"
    return f"{fmt_date(von)} bis {fmt_date(bis)}"


def chart(by_month: ReportTable, width: float, height: float = 62 * mm) -> Drawing:
    """Grouped bars per month; suppressed or missing values are left out (drawn as 0)."""
    drawing = Drawing(width, height)
    bars = VerticalBarChart()
    bars.x, bars.y = 28, 34
    bars.width, bars.height = width - 40, height - 52
    data = []
    for key, _label in CHART_SERIES:
        i = by_month.column_index(key)
        data.append([r.cells[i] if isinstance(r.cells[i], int) else 0 for r in by_month.rows])
    bars.data = data
    bars.categoryAxis.categoryNames = [r.key[5:] + "/" + r.key[2:4] for r in by_month.rows]
    bars.categoryAxis.labels.fontName = fonts.SANS
    bars.categoryAxis.labels.fontSize = 6.5
    bars.valueAxis.labels.fontName = fonts.SANS
    bars.valueAxis.labels.fontSize = 6.5
    bars.valueAxis.valueMin = 0
    bars.valueAxis.forceZero = 1
    bars.barSpacing = 0.5
    bars.groupSpacing = 4
    for n, color in enumerate(BARS):
        bars.bars[n].fillColor = color
        bars.bars[n].strokeColor = None
    drawing.add(bars)
    legend = Legend()
    legend.x, legend.y = 28, 10
    legend.fontName, legend.fontSize = fonts.SANS, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.colorNamePairs = [(BARS[n], label) for n, (_, label) in enumerate(CHART_SERIES)]
    drawing.add(legend)
    drawing.add(String(0, height - 8, "Je Monat", fontName=fonts.SANS_BOLD, fontSize=8))
    return drawing


def _table(table: ReportTable, width: float, small: ParagraphStyle, head: ParagraphStyle) -> Table:
    first = (34 * mm if len(table.columns) > 6 else 48 * mm) if len(table.columns) > 3 else width * 0.6
    rest = (width - first) / max(1, len(table.columns) - 1)
    if len(table.columns) > 6:
        head = ParagraphStyle("head-narrow", parent=head, fontSize=6.5, leading=7.5)
    rows = [[_p(c.short_header, head) for c in table.columns]]
    for row in table.all_rows():
        rows.append([format_cell(c, v) if c.numeric else _p(format_cell(c, v), small)
                     for c, v in zip(table.columns, row.cells, strict=True)])
    t = Table(rows, colWidths=[first] + [rest] * (len(table.columns) - 1), hAlign="LEFT", repeatRows=1)
    style = [("FONTNAME", (0, 0), (-1, -1), fonts.SANS), ("FONTSIZE", (0, 0), (-1, -1), 7.5),
             ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
             ("LINEBELOW", (0, 0), (-1, 0), 0.6, GREY), ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
             ("TOPPADDING", (0, 0), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
             ("LEFTPADDING", (0, 0), (-1, -1), 1.5), ("RIGHTPADDING", (0, 0), (-1, -1), 1.5)]
    if table.totals is not None:
        style += [("FONTNAME", (0, -1), (-1, -1), fonts.SANS_BOLD), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]
    t.setStyle(TableStyle(style))
    return t


def render(tables: list[ReportTable], letterhead: Letterhead, von: date, bis: date, texts: dict[str, str],
           *, suppressed: bool = True, today: date | None = None) -> bytes:
    fonts.register()
    today = today or date.today()
    if suppressed:
        tables = _suppress.suppress_all(tables)
    by_key = {t.key: t for t in tables}
    body = ParagraphStyle("body", fontName=fonts.SANS, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9)
    head = ParagraphStyle("head", parent=small, fontName=fonts.SANS_BOLD)
    note = ParagraphStyle("note", parent=small, textColor=GREY, fontSize=7, leading=8.5)
    label = ParagraphStyle("label", parent=body, textColor=GREY)
    heading = ParagraphStyle("heading", parent=body, fontName=fonts.SANS_BOLD, fontSize=11.5, leading=15,
                             spaceBefore=5 * mm, spaceAfter=1.5 * mm, keepWithNext=1)
    title = ParagraphStyle("title", parent=body, fontName=fonts.SANS_BOLD, fontSize=16, leading=20,
                           spaceAfter=2 * mm)
    period = period_label(von, bis)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP + 8 * mm,
                            bottomMargin=BOTTOM, title=f"Sachbericht {period}", author=letterhead.name or "WHH Desktop",
                            creator="WHH Desktop", initialFontName=fonts.SANS)
    width = A4[0] - LEFT - RIGHT - 12
    story: list = [_p(f"Sachbericht {period}", title),
                   _p(f"Landesinitiative »Endlich ein ZUHAUSE!« · {letterhead.name} · Zeitraum {fmt_date(von)} bis "
                      f"{fmt_date(bis)} · erstellt am {fmt_date(today)}", label)]

    def section(key: str, heading_text: str, with_chart: bool = False) -> None:
        table = by_key.get(key)
        if table is None:
            return
        part: list = [_p(heading_text, heading)]
        if with_chart:
            part += [chart(table, width), Spacer(0, 2 * mm)]
        part.append(_table(table, width, small, head))
        part += [_p(n, note) for n in table.footnotes]
        story.extend([KeepTogether(part)] if len(table.rows) <= 14 else part)

    section("overview", "1. Kennzahlen im Überblick")
    section("by_month", "2. Verlauf je Monat", with_chart=True)
    section("by_site", "3. Je Standort")
    section("by_municipality", "4. Je Gemeinde")
    section("by_category", "5. Je Wohnungsnotfall-Kategorie")
    section("by_baustein", "6. Beratungskontakte je Baustein")
    story.append(_p("7. Bericht zu den Bausteinen", heading))
    for b in Baustein:
        text = (texts.get(b.value) or "").strip()
        story.append(KeepTogether([_p(b.label, ParagraphStyle("bh", parent=body, fontName=fonts.SANS_BOLD,
                                                                  spaceBefore=2 * mm)),
                                   _p(text or "–", body)]))
    decorate = page_frame(letterhead, f"Sachbericht {period}",
                          left=LEFT, right=RIGHT, top=TOP, bottom=BOTTOM)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
