"""The case's legal state as the Überblick shows it: the lines of ``LegalState.lines()``, problems in red."""

from __future__ import annotations

from html import escape

from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.legal_state import LegalState

ALERT = "#b71c1c"


def _alerts(state: LegalState) -> set[str]:
    """Headings whose line needs attention: no cure possible any more, a § 543 risk, rent over the KdU limit,
    an SGG period that ends within a week or has ended."""
    out = set()
    s = state.schonfrist
    if s.barred or (s.computed is not None and s.expired):
        out.add("Schonfrist")
    if state.termination_risk and state.termination_risk.at_risk:
        out.add("Kündigungsrisiko (§ 543 BGB)")
    if state.kdu_current.appropriate is False or state.kdu_current.table_outdated:
        out.add("KdU aktuelle Wohnung")
    if state.kdu_proposed.appropriate is False or state.kdu_proposed.table_outdated:
        out.add("KdU vorgeschlagene Wohnung")
    if any(d.days_left <= 7 for d in state.open_sgg_deadlines):
        out.update(("Widerspruchsfrist", "Klagefrist"))
    return out


def legal_state_html(state: LegalState) -> str:
    alerts = _alerts(state)
    rows = []
    for heading, text in state.lines():
        style = f" style='color:{ALERT}'" if heading in alerts else ""
        rows.append(f"<tr><td valign='top'><b>{escape(heading)}:</b>&nbsp;</td><td{style}>{escape(text)}</td></tr>")
    return (f"<b>Rechtlicher Stand am {fmt_date(state.today)}</b> (berechnet aus den erfassten Angaben)"
            f"<table cellspacing='2'>{''.join(rows)}</table>")
