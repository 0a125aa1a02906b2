"""Views of one area follow writes made in another area's dialog through the operations' broadcast (ui/ops.py),
never through a hand-written reload: the case list, the housing matches, the landlord registry."""

from __future__ import annotations

from datetime import date, timedelta

from tests.ui.conftest import set_text
from tests.ui.test_landlords_view import site_market  # noqa: F401 - the fixture
from whh_desktop.core.domain.changes import Aggregate, Changes
from whh_desktop.core.domain.housing import OfferStatus
from whh_desktop.core.services import cases, housing_search, intake, offers
from whh_desktop.core.services.housing_search import SearchData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.dialogs.case_forms import CloseDialog
from whh_desktop.ui.dialogs.offer_dialogs import OfferDetailDialog, OfferDialog, StatusDialog
from whh_desktop.ui.ops import broadcast
from whh_desktop.ui.views.cases import CasesView
from whh_desktop.ui.views.housing import HousingView
from whh_desktop.ui.views.landlords import LandlordsView

TODAY = date.today()


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_a_case_closed_from_the_case_file_leaves_the_list_of_open_cases(qtbot, counsellor) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Okonkwo", given_names="Ada", birth_date=date(1981, 5, 4), municipality="Vlotho",
        category="bei_bekannten", category_since=TODAY - timedelta(days=10)), draft=False,
        today=TODAY - timedelta(days=10))
    visible = shown(qtbot, CasesView(store, user))
    hidden = CasesView(store, user)
    qtbot.addWidget(hidden)
    for view in (visible, hidden):
        view.status.setCurrentIndex(view.status.findData("open"))
        view.search.setText("Okonkwo")
        assert view.model.exact_count == 1

    def close(d: CloseDialog) -> None:
        d.outcome.setCurrentIndex(d.outcome.findData("wohnung_erhalten"))
        d.accept()

    # the form the case file closes a case with, saving through the same service call
    dialog = CloseDialog(lambda v: cases.close_case(store, user, case_id, *v))
    qtbot.addWidget(dialog)
    close(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert visible.model.exact_count == 0 and visible.info.text() == "0 Treffer"  # refreshed by the broadcast
    assert hidden.model.exact_count == 1  # a hidden view only notes that it is stale …
    hidden.show()
    assert hidden.model.exact_count == 0  # … and refreshes when it is shown

    # the list reloads for changes to what it shows, and only for those
    resets: list[int] = []
    visible.model.modelReset.connect(lambda: resets.append(1))
    broadcast(Changes.of(Aggregate.LANDLORDS, Aggregate.FLAT_OFFERS))
    assert resets == []
    broadcast(Changes.of(Aggregate.PERSONS, cases=[case_id]))
    assert resets == [1]


def test_a_status_reported_in_the_offer_dialog_leaves_the_housing_matches(qtbot, site_market, answers) -> None:  # noqa: F811
    store, user, case_id, _landlord_id, offer_id = site_market
    housing_search.save_search(store, user, case_id, SearchData(household_size=2, wanted_municipalities=("Löhne",),
                                                                 earliest_move=TODAY))
    housing = shown(qtbot, HousingView(store, user))
    housing.refresh()
    searches = housing.searches
    searches.searches.selectRow(0)
    assert searches.matches.rowCount() == 1 and "Teststraße 1" in searches.matches.cell(0, 1)

    landlords = shown(qtbot, LandlordsView(store, user))
    landlords.tabs.setCurrentWidget(landlords.offers_tab)
    assert landlords.offers_tab.table.cell(0, 9) == "frei"

    def report(d: StatusDialog) -> None:
        d.status.setCurrentIndex(d.status.findData(OfferStatus.RESERVIERT.value))
        d.note.setPlainText("Zusage mündlich")
        d.accept()

    def detail(d: OfferDetailDialog) -> None:
        answers.on(StatusDialog, report)
        d.status_button.click()
        d.accept()

    answers.on(OfferDetailDialog, detail)
    landlords.offers_tab.open_offer(offer_id)
    assert not answers.pending
    # nobody called the housing view: the broadcast of the status operation refreshed it
    assert searches.selected_search() is not None
    assert searches.matches.rowCount() == 0 and "Keine freie Wohnung" in searches.reasons.text()
    assert landlords.offers_tab.table.cell(0, 9) == "frei (gemeldet: reserviert)"
    with store.read_session() as s:
        assert offers.effective_statuses(s) == {offer_id: OfferStatus.RESERVIERT.value}


def test_a_flat_offered_in_the_registry_appears_in_the_housing_matches(qtbot, district, answers) -> None:
    """The district's Wohnungsangebote and Wohnungssuche: a new offer saved in the offer form shows up at once."""
    store, user = district
    housing = shown(qtbot, HousingView(store, user))
    housing.tabs.setCurrentWidget(housing.offers)
    assert housing.offers.offers.rowCount() == 0

    dialog = OfferDialog(lambda v: offers.save_offer(store, user, v[0]), [])
    qtbot.addWidget(dialog)
    set_text(dialog.street, "Lindenstraße 5")
    dialog.municipality.setCurrentText("Löhne")
    set_text(dialog.space, "58,5")
    set_text(dialog.rooms, "2")
    set_text(dialog.cold_rent, "350,00")
    set_text(dialog.utilities, "80,00")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.message.text()
    assert housing.offers.offers.rowCount() == 1 and "Lindenstraße 5" in housing.offers.offers.cell(0, 0)
    assert housing.offers.count.text() == "1 frei"
