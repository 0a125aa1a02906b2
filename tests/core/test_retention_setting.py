"""The retention period of closed cases is a site setting: the deletion list and the Art. 15 report read it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.core.test_rights import closed_case  # noqa: F401
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import data_report, rights, site_settings
from whh_desktop.core.store.models import Case


def _set_years(store, user, years: int) -> None:
    with store.session(user.username) as s:
        site_settings.save(s, replace(site_settings.load(s), retention_years=years), user.username)


def _storage_text(store, user, case_id) -> str:
    with store.read_session() as s:
        person_id = s.get(Case, case_id).person_id
    sections = data_report.data_report(store, user, person_id)
    [storage] = [sec for sec in sections if sec.title.startswith("4. ")]
    return " ".join(storage.paragraphs)


def test_default_is_three_years(closed_case) -> None:  # noqa: F811
    store, user, case_id = closed_case
    with store.read_session() as s:
        assert site_settings.load(s).retention_years == 3 == site_settings.retention_years(s)
        assert [d.deletable_from for d in rights.due_for_deletion(s, today=date(2026, 11, 25))] == [date(2026, 1, 1)]
    text = _storage_text(store, user, case_id)
    assert "3 Jahre nach dem Ende des Jahres" in text and "Löschung ab 01.01.2026" in text


def test_a_longer_period_moves_the_deletion_list_and_the_report(closed_case) -> None:  # noqa: F811
    store, user, case_id = closed_case  # closed 30.06.2022
    _set_years(store, user, 5)
    with store.read_session() as s:
        assert site_settings.retention_years(s) == 5
        assert rights.due_for_deletion(s, today=date(2026, 11, 25)) == []
        assert [d.deletable_from for d in rights.due_for_deletion(s, today=date(2028, 1, 1))] == [date(2028, 1, 1)]
        assert rights.due_for_deletion(s, today=date(2026, 11, 25), years=3) != []  # explicit years still win
    text = _storage_text(store, user, case_id)
    assert "5 Jahre nach dem Ende des Jahres" in text and "Löschung ab 01.01.2028" in text
    _set_years(store, user, 1)
    assert "1 Jahr nach dem Ende des Jahres" in _storage_text(store, user, case_id)


@pytest.mark.parametrize("years", [0, 11, -3])
def test_a_period_out_of_range_is_refused_with_a_german_message(closed_case, years) -> None:  # noqa: F811
    store, user, _ = closed_case
    with pytest.raises(InvalidInput, match="zwischen 1 und 10 Jahren") as err:
        _set_years(store, user, years)
    assert err.value.field == "retention_years"
    with store.read_session() as s:
        assert site_settings.retention_years(s) == 3


def test_the_change_is_audited_in_german(closed_case) -> None:  # noqa: F811
    from sqlalchemy import select

    from whh_desktop.core.domain import labels
    from whh_desktop.core.store.models import AuditEntry

    store, user, _ = closed_case
    _set_years(store, user, 4)
    with store.read_session() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "settings_changed")).scalars().all()[-1]
    assert labels.audit_detail(entry.action, entry.detail) == "Aufbewahrungsfrist abgeschlossener Fälle"
