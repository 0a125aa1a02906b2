"""The tabs »Überblick« (person, categories, household, incomes, tenancy, legal state) and »Verlauf«."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout

from whh_desktop.core.domain.enums import Baustein, Category, IncomeKind, Relation
from whh_desktop.core.domain.formatting import fmt_date, fmt_money
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.ui.case_file.panel import CasePanel
from whh_desktop.ui.widgets.legal_state import legal_state_html


def money(value: int | None) -> str:
    return fmt_money(value) if value is not None else "–"


class OverviewPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.overview = QLabel()
        self.overview.setWordWrap(True)
        self.overview.setTextFormat(Qt.TextFormat.RichText)
        self.overview.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.overview)

    def fill(self, cf: CaseFile) -> None:
        self.overview.setText(overview_html(cf))


def overview_html(cf: CaseFile) -> str:
    c, p = cf.case, cf.person
    lines = [f"<b>Person:</b> {p.given_names} {p.family_name}, geboren {fmt_date(p.birth_date) or '–'}, "
             f"{p.municipality or c.municipality or '–'}"]
    lines.append("<b>Kategorie-Verlauf:</b> " + ("; ".join(
        f"{fmt_date(x.since)} {Category(x.category).label}" for x in cf.categories) or "–"))
    lines.append("<b>Bausteine:</b> " + (", ".join(Baustein(b).label for b in cf.bausteine) or "–"))
    lines.append("<b>Offene Fristen:</b> " + ("; ".join(
        f"{d.kind.label} {fmt_date(d.due_on)}" for d in cf.deadlines) or "keine"))
    if cf.household:
        lines.append("<b>Haushalt:</b> " + "; ".join(
            f"{Relation(m.relation).label} {m.given_names or ''} {fmt_date(m.birth_date)}" for m in cf.household))
    if cf.incomes:
        lines.append("<b>Einkommen:</b> " + "; ".join(
            f"{IncomeKind(i.kind).label} seit {fmt_date(i.since) or '–'}" for i in cf.incomes))
    flat = cf.tenancy  # the flat letters and the eviction form name (the intake's address when not typed apart)
    if flat.address or flat.landlord_name:
        lines.append(f"<b>Wohnung:</b> {flat.address or '–'}" + (f"; Vermieter: {flat.landlord_name}"
                                                                 if flat.landlord_name else ""))
    lines.append(f"<b>Miete:</b> kalt {money(c.cold_rent)}, Nebenkosten {money(c.utilities)}, Heizung "
                 f"{money(c.heating)}; Mietschulden {money(c.arrears)}"
                 + (f" seit {fmt_date(c.arrears_since)}" if c.arrears_since else ""))
    if cf.legal is not None:
        lines.append(legal_state_html(cf.legal))
    return "<br><br>".join(lines)


class HistoryPanel(CasePanel):
    """»Verlauf«: categories, contacts, referrals, consents, documents and audited steps, newest first."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.log = QListWidget()
        self.log.setAccessibleName("Verlauf")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.log)

    def fill(self, cf: CaseFile) -> None:
        self.log.clear()
        for entry in cf.log:
            self.log.addItem(f"{fmt_date(entry.on)}  {entry.what}")
