"""Operations broadcast what they changed; views refresh themselves (visible at once, hidden when shown)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QMessageBox, QWidget

from tests.ui.conftest import click
from whh_desktop.core.domain.changes import Aggregate, Changes
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import intake
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.ui.ops import LongOp, Op, hub, listen, wants


def _intake(store, user):
    return intake.save_intake(store, user, IntakeData(
        family_name="Öztürk", given_names="Ayşe", birth_date=date(1979, 8, 1), municipality="Bünde",
        category="kuendigung", category_since=date.today() - timedelta(days=2)), draft=False)[0]


class Counter(QWidget):
    def __init__(self, *aggregates: Aggregate) -> None:
        super().__init__()
        self.refreshed = 0
        listen(self, wants(*aggregates), self.refresh)

    def refresh(self) -> None:
        self.refreshed += 1


def test_op_broadcasts_and_only_interested_visible_views_refresh(qtbot, counsellor) -> None:
    store, user = counsellor
    cases, landlords = Counter(Aggregate.CASES), Counter(Aggregate.LANDLORDS)
    for view in (cases, landlords):
        qtbot.addWidget(view)
        view.show()
    seen: list[Changes] = []
    hub().changed.connect(seen.append)
    op = Op(None, lambda: _intake(store, user))
    assert op.run()
    assert op.changes.touches_case(op.result)
    assert seen == [op.changes]
    assert (cases.refreshed, landlords.refreshed) == (1, 0)


def test_hidden_view_refreshes_once_when_shown(qtbot, counsellor) -> None:
    store, user = counsellor
    view = Counter(Aggregate.PERSONS)
    qtbot.addWidget(view)
    Op(None, lambda: _intake(store, user)).run()
    Op(None, lambda: _intake(store, user)).run()
    assert view.refreshed == 0
    view.show()
    assert view.refreshed == 1


def test_refused_op_shows_german_message_and_broadcasts_nothing(qtbot, answers, counsellor) -> None:
    seen: list[Changes] = []
    hub().changed.connect(seen.append)
    answers.on(QMessageBox, lambda box: click(box, "OK"))
    def refuse() -> None:
        raise WhhError("Dieser Fall ist abgeschlossen.")
    assert not Op(None, refuse).run()
    assert answers.texts == ["Dieser Fall ist abgeschlossen."]
    assert seen == []
    taken: list[str] = []
    assert not Op(None, refuse).failure(lambda exc: taken.append(str(exc))).run()
    assert taken == ["Dieser Fall ist abgeschlossen."] and answers.texts == ["Dieser Fall ist abgeschlossen."]


def test_long_op_records_in_the_worker_and_broadcasts_in_the_gui(qtbot, counsellor) -> None:
    store, user = counsellor
    view = Counter(Aggregate.CASES)
    qtbot.addWidget(view)
    view.show()
    done: list[object] = []
    job = LongOp(None, "Fälle anlegen", lambda progress, cancelled: _intake(store, user)).success(done.append).run()
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    job.wait()
    assert view.refreshed == 1


def test_a_page_the_window_re_reads_on_switching_refreshes_once(qtbot, counsellor) -> None:
    from whh_desktop.ui.ops import mark_fresh

    store, user = counsellor
    page = Counter(Aggregate.CASES)
    qtbot.addWidget(page)
    Op(None, lambda: _intake(store, user)).run()  # hidden: only marked stale
    mark_fresh(page)  # the main window re-reads the page itself as it switches to it
    page.show()
    assert page.refreshed == 0
