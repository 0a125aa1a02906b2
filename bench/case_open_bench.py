"""Open a case with 200 contacts (DESIGN.md §7: ≤ 100 ms): the service that loads it (and audits the opening) and
the case file dialog built and filled, against a plain SELECT of the same rows on the same connection."""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta

from sqlalchemy import text

from bench.harness import Result, settle

CONTACTS = 200


def _case_with_contacts(store, user) -> object:
    from whh_desktop.core.services import intake
    from whh_desktop.core.services.intake import IntakeData
    from whh_desktop.core.store.models import Contact

    opened = date.today() - timedelta(days=CONTACTS + 10)
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Messfall", given_names="Zweihundert", birth_date=date(1970, 1, 1), municipality="Löhne",
        category="kuendigung", category_since=opened), draft=False, today=opened)
    with store.session(user.username) as s:
        for i in range(CONTACTS):
            s.add(Contact(case_id=case_id, on=opened + timedelta(days=i), minutes=30, kind="buero", bausteine=["2"],
                          note=f"Gespräch {i}: Mietrückstand, Jobcenter, nächste Schritte.", counsellor=user.username))
    return case_id


def _median_ms(fn, runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def run(store, user) -> list[Result]:
    from PySide6.QtWidgets import QApplication

    from whh_desktop.core.services import case_file
    from whh_desktop.ui.dialogs.case_file import CaseFileDialog

    case_id = _case_with_contacts(store, user)

    def plain() -> None:
        with store.read_session() as s:
            s.execute(text("SELECT * FROM cases WHERE id = :id"), {"id": case_id.hex}).all()
            s.execute(text("SELECT * FROM contacts WHERE case_id = :id"), {"id": case_id.hex}).all()

    raw = _median_ms(plain)
    service = _median_ms(lambda: case_file.open_case(store, user, case_id))
    app = QApplication.instance() or QApplication([])

    def dialog() -> None:
        d = CaseFileDialog(store, user, case_id)
        app.processEvents()
        d.deleteLater()

    shown = _median_ms(dialog, runs=7)
    # near the 100 ms target: the median of three runs (settle), each beside a new raw run
    return settle([
        Result(f"open a case with {CONTACTS} contacts (service, audited)", service, "ms", 100, raw,
               "plain SELECT of case + contacts",
               remeasure=lambda: (_median_ms(lambda: case_file.open_case(store, user, case_id)), _median_ms(plain))),
        Result(f"open a case with {CONTACTS} contacts (case file dialog built and filled)", shown, "ms", 100, raw,
               "plain SELECT of case + contacts", remeasure=lambda: (_median_ms(dialog, runs=7), _median_ms(plain)))])
