"""The hit count under the case list tells the truth when the list holds only the first keys (issue 20 point 1): "N
Treffer" only when all are there, "mehr als N" when there are more, for the exact and the similar-sounding part,
and scrolling brings the rest without a case twice or one in both parts."""

from __future__ import annotations

from datetime import date

import pytest

from whh_desktop.core.services import intake
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.views.cases import CasesView

MUELLERS = ["Müller", "Mueller", "Muller", "Müller"]          # exact hits of "müller"
SOUNDALIKES = ["Möller", "Mahler", "Miller"]                  # Kölner Phonetik 657, no exact hit


@pytest.fixture
def people(counsellor):
    store, user = counsellor
    for n, family in enumerate(MUELLERS + SOUNDALIKES, start=1):
        intake.save_intake(store, user, IntakeData(
            family_name=family, given_names=f"Vorname{n}", birth_date=date(1970, 1, n), municipality="Löhne",
            category="kuendigung", category_since=date(2026, 1, 1)), draft=False, today=date(2026, 11, 25))
    return store, user


def _view(qtbot, monkeypatch, people, batch: int) -> CasesView:
    from whh_desktop.ui.models import case_list

    monkeypatch.setattr(case_list, "KEY_BATCH", batch)
    monkeypatch.setattr("whh_desktop.ui.views.cases.KEY_BATCH", batch)
    view = CasesView(*people)
    qtbot.addWidget(view)
    return view


def test_exactly_a_batch_of_hits_says_how_many(qtbot, monkeypatch, people) -> None:
    view = _view(qtbot, monkeypatch, people, 4)
    view.search.setText("müller")
    assert view.info.text() == "4 Treffer, dazu kursiv 3 ähnlich klingende"
    assert not view.model.canFetchMore()


def test_more_hits_than_shown_say_more_than(qtbot, monkeypatch, people) -> None:
    view = _view(qtbot, monkeypatch, people, 2)
    view.search.setText("müller")
    assert view.info.text().startswith("mehr als 2 Treffer")
    assert view.info.text().endswith(", dazu kursiv mehr als 2 ähnlich klingende")
    assert view.model.exact_count == 2 and view.model.phonetic_count == 2 and view.model.canFetchMore()
    while view.model.canFetchMore():
        view.model.fetchMore()
    names = [view.model.row_at(i).family_name for i in range(view.model.rowCount())]
    assert sorted(names[:view.model.exact_count]) == sorted(MUELLERS)
    assert set(names[view.model.exact_count:]) <= set(SOUNDALIKES)  # below the exact ones, none of them twice
    keys = [view.model.row_at(i).id for i in range(view.model.rowCount())]
    assert len(keys) == len(set(keys))


def test_a_capped_soundalike_list_says_more_than(qtbot, monkeypatch, people) -> None:
    view = _view(qtbot, monkeypatch, people, 3)
    view.search.setText("möller")  # exact: Möller; sounds alike: the four Müllers, Mahler, Miller
    assert view.info.text() == "1 Treffer, dazu kursiv mehr als 3 ähnlich klingende"
    view.search.setText("mahler")
    assert view.info.text().startswith("1 Treffer, dazu kursiv mehr als 3")
