"""Wohnungssuche through the GUI: the search form, matching offers with reasons, proposal, viewing, lease, and the
case showing the new flat (issue 03's counsellor story)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from tests.core.test_housing import market  # noqa: F401  (the fixture: a site store with the district's offers)
from tests.ui.conftest import set_text
from whh_desktop.core.services import housing_search
from whh_desktop.core.services.housing_search import SearchData
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.dialogs.housing_search import HousingSearchDialog, ProposalStepDialog, ProposeDialog
from whh_desktop.ui.views.housing import HousingView

TODAY = date.today()


def _check(widget, value: str, on: bool = True) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == value:
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            return
    raise AssertionError(value)


def test_search_form_match_list_proposal_and_lease(qtbot, market, answers) -> None:  # noqa: F811
    store, user, case_id, _landlord, _ids = market
    case_file = CaseWorkspace(store, user, case_id)
    qtbot.addWidget(case_file)
    case_file.show()  # a page re-reads while shown (or when shown next)
    assert "keine Wohnungssuche" in case_file.housing_panel.search_summary.text()

    def fill(form: HousingSearchDialog) -> None:
        w = form.w
        assert "KdU-Grenze für 1 Person" in w["kdu_hint"].text()
        w["household_size"].setValue(2)
        assert "424,45 €" in w["kdu_hint"].text()  # Löhne, 2 persons
        _check(w["wanted_municipalities"], "Vlotho")
        set_text(w["max_rent"], "-3")
        form.accept()
        assert form.isVisible() and "negativ" in form.message.text()
        assert "border" in w["max_rent"].styleSheet()
        w["max_rent"].clear()
        set_text(w["earliest_move"], "31.02.2026")
        form.accept()
        assert "gibt es nicht" in form.message.text()
        set_text(w["earliest_move"], TODAY.strftime("%d.%m.%Y"))
        form.accept()

    answers.on(HousingSearchDialog, fill)
    case_file.housing_panel.edit_housing_search()
    summary = case_file.housing_panel.search_summary.text()
    assert "sucht" in summary and "Löhne, Vlotho" in summary

    view = HousingView(store, user)
    qtbot.addWidget(view)
    view.show()  # a hidden view only marks itself stale and refreshes when shown (ui/ops.py)
    view.refresh()
    tab = view.searches
    assert tab.searches.rowCount() == 1
    tab.searches.selectRow(0)
    addresses = [tab.matches.cell(r, 1) for r in range(tab.matches.rowCount())]
    assert len(addresses) == 2 and all("Teststraße" in a for a in addresses)  # too dear, WBS, reserved: out
    tab.matches.selectRow(0)
    assert "KdU" in tab.reasons.text() or "Grenze" in tab.reasons.text()
    chosen = tab.selected_match().offer

    answers.on(ProposeDialog, lambda d: d.accept())
    tab.propose()
    assert tab.proposals.table.rowCount() == 1
    assert "schon vorgeschlagen" in [tab.matches.cell(r, 8) for r in range(tab.matches.rowCount())]
    tab.proposals.table.selectRow(0)
    for step in ("besichtigung", "zusage"):
        answers.on(ProposalStepDialog, lambda d: d.accept())
        tab.proposals.record(next(s for s in tab.proposals.buttons if s.value == step))
        tab.proposals.table.selectRow(0)

    def refuse_without_reason(d: ProposalStepDialog) -> None:
        d.accept()
        assert d.isVisible() and "Grund" in d.message.text()

    from whh_desktop.core.domain.housing import ProposalStep

    answers.on(ProposalStepDialog, refuse_without_reason)
    tab.proposals.record(ProposalStep.ABSAGE)
    assert "Zusage" in tab.proposals.table.cell(0, 4)
    answers.on(ProposalStepDialog, lambda d: d.accept())
    tab.proposals.record(ProposalStep.MIETVERTRAG)
    assert tab.searches.rowCount() == 0  # the household found a flat: no longer among the searching
    tab.status.setCurrentIndex(tab.status.findData("versorgt"))
    tab.searches.selectRow(0)
    assert tab.proposals.table.cell(0, 4).startswith("Mietvertrag")
    tab.proposals.table.selectRow(0)
    assert not any(b.isEnabled() for b in tab.proposals.buttons.values())  # the proposal is final

    case_file.reload()
    assert chosen.street in case_file.overview_panel.overview.text()
    assert "Wohnung gefunden" in case_file.housing_panel.search_summary.text()
    view.tabs.setCurrentIndex(1)
    free = [view.offers.offers.cell(r, 0) for r in range(view.offers.offers.rowCount())]
    assert chosen.address not in free


def test_offer_side_lists_households_and_proposes(qtbot, market, answers) -> None:  # noqa: F811
    store, user, case_id, _landlord, ids = market
    housing_search.save_search(store, user, case_id, SearchData(household_size=2, wanted_municipalities=("Löhne",)))
    view = HousingView(store, user)
    qtbot.addWidget(view)
    view.show()  # a hidden view only marks itself stale and refreshes when shown (ui/ops.py)
    view.tabs.setCurrentIndex(1)
    tab = view.offers
    rows = {tab.rows[r].id: r for r in range(len(tab.rows))}
    tab.offers.selectRow(rows[ids["fits"]])
    assert tab.households.rowCount() == 1 and tab.households.cell(0, 2).startswith("Yılmaz")
    tab.households.selectRow(0)
    answers.on(ProposeDialog, lambda d: d.accept())
    tab.propose()
    assert tab.households.cell(0, 5) == "schon vorgeschlagen"
    tab.offers.selectRow(rows[ids["too-dear"]])
    assert tab.households.rowCount() == 0 and "Kein suchender Haushalt" in tab.reasons.text()


def test_household_larger_than_its_size_is_refused_in_the_form(qtbot, counsellor, answers) -> None:
    from whh_desktop.core.services import intake
    from whh_desktop.core.services.intake import HouseholdData, IntakeData

    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Nowak", given_names="Zofia", birth_date=date(1988, 8, 8), municipality="Bünde",
        category="kuendigung", category_since=TODAY - timedelta(days=5),
        household=[HouseholdData("kind", "Nowak", "Jan", date(2016, 1, 1)),
                   HouseholdData("kind", "Nowak", "Ola", date(2018, 1, 1))]), draft=False)
    form = HousingSearchDialog(store, user, case_id)
    qtbot.addWidget(form)
    assert form.w["household_size"].value() == 3 and form.w["members"].count() == 2
    form.w["household_size"].setValue(2)
    form.accept()
    assert "ziehen 3 Personen um" in form.message.text() and "border" in form.w["household_size"].styleSheet()
    _check(form.w["members"], str(form.w["members"].item(1).data(Qt.ItemDataRole.UserRole)), on=False)
    form.accept()
    assert form.search_id is not None
