"""The Fristen view and the case list show the counsellor's display name; the filter still selects by login."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import COUNSELLOR
from whh_desktop.core.services import fristen, intake
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.models.case_list import COLUMNS
from whh_desktop.ui.views.cases import CasesView
from whh_desktop.ui.views.fristen import FristenView

TODAY = date.today()


def test_zustaendig_and_beratung_show_the_person(qtbot, counsellor) -> None:
    store, user = counsellor
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Okonkwo", given_names="Ada", birth_date=date(1981, 5, 4), municipality="Vlotho",
        category="bei_bekannten", category_since=TODAY), draft=False, today=TODAY)
    fristen.add_follow_up(store, user, case_id, TODAY + timedelta(days=2), "Unterlagen nachreichen")

    view = FristenView(store, user)
    qtbot.addWidget(view)
    view.show()
    column = [view.table.horizontalHeaderItem(c).text() for c in range(view.table.columnCount())].index("Zuständig")
    assert [view.table.item(r, column).text() for r in range(view.table.rowCount())] == ["Birgit Schulz"]

    cases_view = CasesView(store, user)
    qtbot.addWidget(cases_view)
    assert cases_view.counsellor.itemText(1) == "Birgit Schulz"
    assert cases_view.counsellor.itemData(1) == COUNSELLOR
    cases_view.counsellor.setCurrentIndex(1)
    cases_view.search.setText("okonkwo")
    assert cases_view.model.exact_count == 1
    index = cases_view.model.index(0, COLUMNS.index("Beratung"))
    assert cases_view.model.data(index) == "Birgit Schulz"
