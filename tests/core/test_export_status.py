"""The last export for the status bar and the key check before an export (issue 18 point 9)."""

from __future__ import annotations

from tests.core.test_sync_import_fixtures import exchange, new_case  # noqa: F401  (fixture)
from whh_desktop.core.services import sync_keys, sync_views


def test_a_site_without_the_kreis_key_is_told_where_to_read_it(counsellor) -> None:
    store, user = counsellor
    assert sync_views.last_export(store, user) == sync_views.LastExport(None, None)
    problem = sync_views.export_blocker(store, user)
    assert problem.startswith("Der Schlüssel des Kreises ist noch nicht eingelesen.")
    assert "»Austausch → Schlüssel«" in problem


def test_the_district_without_any_site_key_is_told_before_writing(district_any) -> None:
    store, user = district_any
    sync_keys.ensure_keys(store, "a.becker")
    assert sync_views.export_blocker(store, user) == sync_views.NO_SITE_KEY


def test_keys_present_and_the_last_export_is_the_newest(exchange) -> None:  # noqa: F811
    ex = exchange
    assert sync_views.export_blocker(ex.site, ex.site_user) == ""
    assert sync_views.export_blocker(ex.district, ex.district_user) == ""
    new_case(ex.site, ex.site_user, "Kowalski", kreis_consent=True)
    ex.export()
    new_case(ex.site, ex.site_user, "Nowak")
    ex.export()
    last = sync_views.last_export(ex.site, ex.site_user)
    assert last.sequence == 2 and last.at is not None
    assert sync_views.last_export(ex.district, ex.district_user).at is None
