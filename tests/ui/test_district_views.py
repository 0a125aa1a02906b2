"""The district's merged view: all sites' cases read-only, filtered by site and municipality."""

from __future__ import annotations

from datetime import date

from whh_desktop.core.store.models import Case, CategoryEntry, Person
from whh_desktop.ui.case_file.workspace import CaseWorkspace
from whh_desktop.ui.views.cases import CasesView


def imported_case(store, site: str, number: str, family: str, municipality: str) -> object:
    """A case as it arrives from a site's bundle: owned by the site, not by the Kreis."""
    with store.session(f"{site}-import") as s:
        person = Person(family_name=family, given_names="Test", birth_date=date(1980, 1, 1), origin_site=site,
                        owner_site=site, sort_key=family.lower())
        s.add(person)
        s.flush()
        case = Case(case_number=number, person_id=person.id, counsellor="x.site", opened_on=date(2026, 1, 5),
                    status="open", municipality=municipality, current_category="kuendigung", origin_site=site,
                    owner_site=site)
        s.add(case)
        s.flush()
        s.add(CategoryEntry(case_id=case.id, category="kuendigung", since=date(2026, 1, 5), origin_site=site,
                            owner_site=site))
        return case.id


def test_merged_view_filters_by_site_and_opens_read_only(qtbot, district, answers) -> None:
    store, user = district
    loehne = imported_case(store, "loehne", "LOE-2026-0001", "Özdemir", "Löhne")
    imported_case(store, "buende", "BUE-2026-0001", "Kowalski", "Bünde")
    view = CasesView(store, user)
    qtbot.addWidget(view)
    assert not view.site.isHidden() and view.intake_button.isHidden()
    view.refresh()
    assert view.model.rowCount() == 2
    view.site.setCurrentIndex(view.site.findData("loehne"))
    assert view.model.rowCount() == 1 and view.model.row_at(0).family_name == "Özdemir"
    view.site.setCurrentIndex(0)
    view.municipality.setCurrentIndex(view.municipality.findData("Bünde"))
    assert [view.model.row_at(i).case_number for i in range(view.model.rowCount())] == ["BUE-2026-0001"]

    dialog = CaseWorkspace(store, user, loehne)
    qtbot.addWidget(dialog)
    dialog.show()  # a page re-reads while shown (or when shown next)
    assert "Nur lesen" in dialog.header.text() and "Löhne" in dialog.header.text()
    assert not dialog.contacts_panel.add_contact_button.isEnabled() and not dialog.close_button.isEnabled()
    assert not dialog.documents_panel.letter_button.isEnabled() and not dialog.privacy_button.isEnabled()
    dialog.contacts_panel.contacts.selectRow(0)
    assert not dialog.contacts_panel.add_contact_button.isEnabled()


def test_a_site_sees_no_site_filter(qtbot, counsellor) -> None:
    store, user = counsellor
    view = CasesView(store, user)
    qtbot.addWidget(view)
    assert view.site.isHidden()


def test_duplicate_review_links_dismisses_and_undoes(qtbot, district, answers) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.conftest import click, set_text
    from whh_desktop.ui.views.duplicates import DecisionDialog, DuplicatesTab
    from whh_desktop.ui.workers import wait_all

    store, user = district
    imported_case(store, "loehne", "LOE-2026-0001", "Müller", "Löhne")
    imported_case(store, "buende", "BUE-2026-0001", "Mueller", "Bünde")
    imported_case(store, "vlotho", "VLO-2026-0001", "Schmitz", "Vlotho")
    tab = DuplicatesTab(store, user)
    qtbot.addWidget(tab)
    tab.show()  # a hidden view only marks itself stale and refreshes when shown (ui/ops.py)
    tab.refresh()  # in the background, as in the app
    qtbot.waitUntil(lambda: tab.pairs.rowCount() > 0, timeout=10_000)
    wait_all()
    assert tab.pairs.rowCount() == 1 and "100 %" in tab.pairs.cell(0, 0)
    tab.pairs.selectRow(0)
    fields = {tab.fields.cell(r, 0): r for r in range(tab.fields.rowCount())}
    assert tab.fields.item(fields["Standort"], 1).background().color().name() == "#fff3cd"  # differs: marked
    assert tab.fields.item(fields["Familienname"], 1).background().color().name() != "#fff3cd"  # Müller = Mueller

    def confirm(d: DecisionDialog) -> None:
        set_text(d.note, "Rückfrage in Bünde")
        d.accept()

    answers.on(DecisionDialog, confirm)
    tab.link_button.click()
    assert tab.pairs.rowCount() == 0 and tab.decisions.rowCount() == 1
    assert tab.decisions.cell(0, 1).startswith("gleiche Person") and tab.decisions.cell(0, 5) == "Rückfrage in Bünde"
    tab.decisions.selectRow(0)
    answers.on(QMessageBox, lambda box: click(box, "Rückgängig machen"))
    tab.undo()
    assert tab.pairs.rowCount() == 1 and tab.decisions.rowCount() == 0
    tab.pairs.selectRow(0)
    answers.on(DecisionDialog, lambda d: d.accept())
    tab.dismiss_button.click()
    assert tab.pairs.rowCount() == 0 and tab.decisions.cell(0, 1) == "verschiedene Personen"
