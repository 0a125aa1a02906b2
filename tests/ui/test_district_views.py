"""The district's merged view: all sites' cases read-only, filtered by site and municipality."""

from __future__ import annotations

from datetime import date

from whh_desktop.core.store.models import Case, CategoryEntry, Person
from whh_desktop.ui.dialogs.case_file import CaseFileDialog
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

    dialog = CaseFileDialog(store, user, loehne)
    qtbot.addWidget(dialog)
    assert "Nur lesen" in dialog.header.text() and "Löhne" in dialog.header.text()
    assert not dialog.add_contact_button.isEnabled() and not dialog.close_button.isEnabled()
    assert not dialog.letter_button.isEnabled() and not dialog.privacy_button.isEnabled()
    dialog.contacts.selectRow(0)
    assert not dialog.add_contact_button.isEnabled()


def test_a_site_sees_no_site_filter(qtbot, counsellor) -> None:
    store, user = counsellor
    view = CasesView(store, user)
    qtbot.addWidget(view)
    assert view.site.isHidden()
