"""The read and write functions the shell, Verwaltung, Austausch, Datenschutz and the letter screens call with the
store (issue 17 point 2): each opens its own session and returns frozen values; the sample letter of Verwaltung →
Briefe is rendered by the services from fictional values only."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from tests.core.pdf_reading import pdf_text
from whh_desktop.core.domain import letter_catalogue as catalogue
from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.letters import templates
from whh_desktop.core.letters.templates import TemplateBroken
from whh_desktop.core.services import (
    accounts,
    audit_log,
    letter_views,
    letters,
    rights,
    site_settings_views,
    sync_views,
)
from whh_desktop.core.services.operations import run_recorded
from whh_desktop.core.services.site_settings_views import AdminSettings


def test_audit_log_rows_are_frozen_newest_first_with_the_chain_check(unlocked) -> None:
    store, admin = unlocked
    audit_log.record_session_event(store, admin, "lock")
    audit_log.record_session_event(store, admin, "unlock")
    shown = audit_log.latest(store, admin, limit=2)
    assert [(e.action, e.actor) for e in shown.entries] == [("unlock", admin.username), ("lock", admin.username)]
    assert shown.check.ok and shown.check.entries >= 3  # the login before them is in the chain, too
    with pytest.raises(dataclasses.FrozenInstanceError):
        shown.entries[0].action = "x"  # type: ignore[misc]
    with pytest.raises(ValueError):
        audit_log.record_session_event(store, admin, "backup")  # only the window's own events


def test_a_session_event_never_fails_the_lock_even_when_the_store_is_gone(unlocked) -> None:
    store, admin = unlocked
    store.close()
    audit_log.record_session_event(store, admin, "lock")  # logged and swallowed: raising here fails the test


def test_admin_settings_save_both_and_a_refusal_names_its_field(unlocked) -> None:
    store, admin = unlocked
    shown = site_settings_views.admin_settings(store, admin)
    changed = AdminSettings(dataclasses.replace(shown.settings, autolock_minutes=7), 9)
    _, changes = run_recorded(lambda: site_settings_views.save_admin_settings(store, admin, changed))
    assert changes.touches(Aggregate.SETTINGS)
    again = site_settings_views.admin_settings(store, admin)
    assert (again.settings.autolock_minutes, again.reminder_weeks) == (7, 9)
    assert site_settings_views.current(store).autolock_minutes == 7
    with pytest.raises(InvalidInput) as refused:
        site_settings_views.save_admin_settings(store, admin, AdminSettings(again.settings, 60))
    assert refused.value.field == "weeks" and "52 Wochen" in str(refused.value)
    assert site_settings_views.admin_settings(store, admin).reminder_weeks == 9


def test_account_rows_and_the_deletion_list_are_read_models(unlocked) -> None:
    store, admin = unlocked
    rows = accounts.account_rows(store, admin)
    assert admin.username in [r.username for r in rows]
    due = rights.deletion_list(store, admin, date(2026, 6, 1))
    assert due.years == site_settings_views.retention_years(store) and due.items == ()


def test_exchange_views_at_the_site_and_at_the_district(counsellor, district_any) -> None:
    site_store, site_user = counsellor
    assert "noch keine Bestätigung" in sync_views.district_ack_message(site_store, site_user)
    d_store, d_user = district_any
    ledger = sync_views.district_ledger(d_store, d_user)
    assert ledger.history == () and all(s.imported == 0 for s in ledger.status)


def test_the_sample_letter_uses_fictional_values_and_the_site_letterhead(unlocked) -> None:
    store, admin = unlocked
    kind = catalogue.get("jc_sachstand")
    rendered = letter_views.sample_preview(store, admin, kind, templates.shipped_source(kind.code),
                                           today=date(2026, 11, 3))
    text = pdf_text(rendered.pdf)
    assert rendered.pdf.startswith(b"%PDF")
    assert "Beispiel-Stelle" in text and "Musterstadt" in text  # the Jobcenter letter goes to a fictional office
    assert letter_views.letterhead_of(store).name in text
    client = catalogue.get(next(t.code for t in letters.letter_types() if t.recipient_kinds[0] == "klient"))
    recipient, values = letter_views.sample_values(client, letter_views.letterhead_of(store), date(2026, 11, 3))
    assert recipient.lines == letter_views.SAMPLE_CLIENT_LINES and values["empfaenger_name"] == "Erika Musterfrau"
    with pytest.raises(TemplateBroken):
        letter_views.sample_preview(store, admin, kind, "# Betreff\n\n{{ klientname }}\n")


def test_letter_rows_say_which_texts_are_the_sites_own(unlocked) -> None:
    store, admin = unlocked
    code = "jc_sachstand"
    letters.save_template(store, admin, code, templates.shipped_source(code) + "\nEin eigener Satz.\n")
    rows = {r.kind.code: r for r in letter_views.letter_rows(store, admin)}
    assert rows[code].own and [c for c, r in rows.items() if r.own] == [code]
    source, own = letter_views.template_source(store, code)
    assert own and source.endswith("Ein eigener Satz.\n")
    assert rows[code].recipients
