"""Staff display names where a person is meant (issue 18 point 6): Fristen "Zuständig", the case list's counsellor
column and filter show "Birgit Schulz", while filters and permissions keep the login name b.schulz."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import ADMIN, COUNSELLOR
from whh_desktop.core.services import cases, fristen, intake, reports
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.store.models import Account, Case

TODAY = date.today()


def _case(store, user, family: str = "Okonkwo"):
    return intake.save_intake(store, user, IntakeData(
        family_name=family, given_names="Ada", birth_date=date(1981, 5, 4), municipality="Vlotho",
        category="bei_bekannten", category_since=TODAY - timedelta(days=3)), draft=False,
        today=TODAY - timedelta(days=3))


def test_fristen_name_the_person_and_keep_the_login_for_the_filter(counsellor) -> None:
    store, user = counsellor
    case_id, _ = _case(store, user)
    fristen.add_follow_up(store, user, case_id, TODAY + timedelta(days=2), "Unterlagen nachreichen")
    fristen.add_follow_up(store, user, case_id, TODAY + timedelta(days=3), "Vertretung", assigned_to=ADMIN)
    fristen.add_follow_up(store, user, case_id, TODAY + timedelta(days=4), "Anderer Standort",
                          assigned_to="x.extern")  # a login without an account in this store
    everyone = {i.note: (i.assigned_to, i.assigned_name) for i in fristen.work_list(store, user, mine=False)}
    assert everyone == {"Unterlagen nachreichen": (COUNSELLOR, "Birgit Schulz"),
                        "Vertretung": (ADMIN, "Anna Becker"), "Anderer Standort": ("x.extern", "x.extern")}
    assert [i.assigned_name for i in fristen.work_list(store, user, mine=True)] == ["Birgit Schulz"]


def test_case_list_shows_the_counsellors_name_and_filters_by_login(counsellor) -> None:
    store, user = counsellor
    _case(store, user, "Okonkwo")
    other_id, _ = _case(store, user, "Yilmaz")
    with store.session(ADMIN) as s:  # a case handed to a counsellor of another site, and an empty display name
        s.get(Case, other_id).counsellor = "z.zimmer"
        s.query(Account).filter_by(username=ADMIN).update({"display_name": "  "})
    assert cases.counsellor_names(store, user) == [(COUNSELLOR, "Birgit Schulz"), ("z.zimmer", "z.zimmer")]
    found = cases.search_cases(store, user, "", cases.CaseFilter(counsellor=COUNSELLOR))
    [row] = cases.case_rows(store, user, found.exact)
    assert (row.family_name, row.counsellor, row.counsellor_name) == ("Okonkwo", COUNSELLOR, "Birgit Schulz")
    [other] = cases.case_rows(store, user, cases.search_cases(store, user, "yilmaz").exact)
    assert other.counsellor_name == "z.zimmer"



def test_the_data_quality_list_names_the_counsellor(counsellor) -> None:
    store, user = counsellor
    case_id, _ = _case(store, user)
    with store.session(ADMIN) as s:  # no municipality: the case appears on the list to be completed
        s.get(Case, case_id).municipality = None
    with store.read_session() as s:
        table = reports.data_quality(s)
    [row] = [r for r in table.rows if r.key == str(case_id)]
    assert table.columns[2].header == "Beratung" and row.cells[2] == "Birgit Schulz"
