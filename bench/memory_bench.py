"""Memory of the GUI after a counsellor's day (issue 20 point 4): the real main window, offscreen, in a child process.

The child (``python -m bench.memory_bench --probe DATA_DIR USER``, password in ``WHH_PASSWORD``) unlocks the store,
builds the main window and walks the core story: Mein Tag, search as you type in Fälle and scrolling down the list,
five cases opened with every part shown, Fristen, Wohnungssuche with its matching, Vermieter und Wohnungen, a letter
with its preview, Berichte. After each step it prints the current RSS (VmRSS) and the peak (VmHWM) as one JSON
line; the parent turns them into a per-step table and bench rows.

``python -m bench --only memory --persons N`` builds the demo store first; on a prebuilt one (never opened in place:
the copy is made here)::

    python -m bench.memory_bench /work/scale/site-1m --table steps.txt   # copies the folder to a temp dir first

Both add the demo housing market (``add_housing``) when the store has none.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import Result

TARGET_MB = 400  # issue 20 point 4, at 1 000 000 persons
QUERIES = ("m", "mü", "mül", "müll", "mülle", "müller", "müller a", "12.3.1970", "0151", "LOE-2025", "meier",
           "łukasz", "nguyen thi", "öztürk")
SCROLL_PAGES = 60       # page-down steps through the list of the open cases (the next keys arrive on the way)
CASES_OPENED = 5
LETTER = "klient_vollmacht"
STEP_PREFIX = "MEMSTEP "


# ---- the child process ------------------------------------------------------------------------------------------
def _rss_mb() -> tuple[float, float]:
    """(current VmRSS, peak VmHWM) in MB. Not ru_maxrss: Linux carries it over from the parent through fork and
    exec, so the child would report the bench process's own peak."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found["VmRSS"], found["VmHWM"]


def _sqlite_mb() -> float:
    """What SQLite (SQLCipher) itself has allocated now: page caches, statements, temp tables."""
    import ctypes

    import sqlcipher3._sqlite3 as driver  # type: ignore[import-not-found]

    used = ctypes.CDLL(driver.__file__).sqlite3_memory_used
    used.restype = ctypes.c_int64
    return used() / 1_048_576


def probe(data_dir: str, username: str, password: str) -> None:
    started = time.perf_counter()
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QAbstractSlider, QApplication, QDialog

    app = QApplication([sys.argv[0]])
    from whh_desktop.core.services import login
    from whh_desktop.paths import DataPaths
    from whh_desktop.ui import modal, workers

    unexpected: list[str] = []

    def no_modal(dialog: QDialog) -> int:
        """The story never needs a modal answer; one that appears is reported (its text) and rejected."""
        unexpected.append(f"{type(dialog).__name__}: {getattr(dialog, 'text', lambda: '')()}"[:300])
        dialog.reject()
        return int(QDialog.DialogCode.Rejected)

    modal.run_modal = no_modal  # every ask()/message box goes through here (ui/modal.py)

    def settle() -> None:
        """Let the views paint and the background jobs end, then free what is garbage (as the idle GUI would)."""
        for _ in range(3):
            workers.wait_all()
            app.processEvents()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()

    last = time.perf_counter()

    def step(name: str) -> None:
        nonlocal last
        settle()
        rss, peak = _rss_mb()
        now = time.perf_counter()
        print(STEP_PREFIX + json.dumps({"step": name, "rss": round(rss, 1), "peak": round(peak, 1),
                                        "sqlite": round(_sqlite_mb(), 1), "seconds": round(now - last, 2),
                                        "objects": len(gc.get_objects())}),
              flush=True)
        last = now

    step("Python + Qt started")
    from whh_desktop.ui.main_window import MainWindow

    step("imports")
    store, user = login.unlock(DataPaths(Path(data_dir)), username, password)
    step("unlock")
    window = MainWindow(store, user)
    window.show()
    step("main window shown (Mein Tag)")

    def show(label: str) -> Any:
        view = window.show_area(label)
        app.processEvents()
        return view

    # Mein Tag once more, as after coming back to it
    show("Mein Tag").refresh()
    step("Mein Tag refreshed")

    cases_view = show("Fälle")
    step("Fälle shown")
    for query in QUERIES:
        for i in range(1, len(query) + 1):
            cases_view.search.setText(query[:i])  # textChanged: the list asks for keys and the first page
            app.processEvents()
    step(f"search as you type ({len(QUERIES)} queries)")
    cases_view.search.clear()
    cases_view.status.setCurrentIndex(cases_view.status.findData("open"))  # drafts would open the intake form
    app.processEvents()
    bar = cases_view.table.verticalScrollBar()
    for _ in range(SCROLL_PAGES):
        bar.triggerAction(QAbstractSlider.SliderAction.SliderPageStepAdd)
        app.processEvents()
    step(f"case list scrolled {SCROLL_PAGES} pages ({cases_view.model.rowCount()} rows known)")

    case_ids = []
    for row in range(cases_view.model.rowCount()):
        found = cases_view.model.row_at(row)
        if found is not None and found.status == "open":
            case_ids.append(found.id)
        if len(case_ids) == CASES_OPENED:
            break
    for case_id in case_ids:
        page = window.open_case_page(case_id)
        for part in page.part_names():
            page.show_part(part)
            app.processEvents()
    step(f"{len(case_ids)} cases opened, every part shown")

    fristen_view = show("Fristen")
    fristen_view.mine.setChecked(False)  # every open deadline of the site
    app.processEvents()
    step("Fristen (all)")

    housing = show("Wohnungssuche")
    if housing.searches.searches.rowCount():
        housing.searches.searches.selectRow(0)  # the flats that suit the first household
    housing.tabs.setCurrentWidget(housing.offers)
    app.processEvents()
    if housing.offers.offers.rowCount():
        housing.offers.offers.selectRow(0)  # the households that suit the first flat
    step(f"Wohnungssuche with matching ({housing.searches.searches.rowCount()} households, "
         f"{housing.offers.offers.rowCount()} flats)")

    landlords_view = show("Vermieter und Wohnungen")
    for index in range(landlords_view.tabs.count()):
        landlords_view.tabs.setCurrentIndex(index)
        app.processEvents()
    step("Vermieter und Wohnungen (every tab)")

    if case_ids:
        from whh_desktop.ui.dialogs.letter import LetterDialog

        dialog = LetterDialog(store, user, case_ids[0], window)
        dialog.show()
        dialog.kind.setCurrentIndex(max(dialog.kind.findData(LETTER), 0))
        app.processEvents()
        for key in dialog.required:  # what the case does not hold, typed as a counsellor would
            if not dialog.inputs[key].text().strip():
                dialog.inputs[key].setText("1. Dezember 2026")
        dialog.update_preview()
        app.processEvents()
        pages = dialog.preview.page_count
        dialog.discard()  # the counsellor closes it without filing the letter
        dialog.deleteLater()
        step(f"letter dialog with preview ({pages} page{'s' if pages != 1 else ''})")

    reports_view = show("Berichte")
    for index in range(reports_view.tabs.count()):
        reports_view.tabs.setCurrentIndex(index)
        settle()
    step("Berichte (every tab)")

    show("Mein Tag")
    step("back to Mein Tag: after the story")
    for message in unexpected:
        print(f"unexpected modal: {message}", file=sys.stderr, flush=True)
    print(f"{STEP_PREFIX}{json.dumps({'done': round(time.perf_counter() - started, 1)})}", flush=True)
    window.close()
    store.close()


# ---- the parent ------------------------------------------------------------------------------------------------
def measure(data_dir: Path, user: str, password: str) -> list[dict[str, Any]]:
    env = {**os.environ, "WHH_PASSWORD": password,
           "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    out = subprocess.run([sys.executable, "-m", "bench.memory_bench", "--probe", str(data_dir), user], env=env,
                         capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    if out.returncode != 0:
        raise RuntimeError(f"memory probe failed:\n{out.stderr[-3000:]}")
    if out.stderr.strip():
        print(out.stderr[-2000:], file=sys.stderr)
    return [json.loads(line[len(STEP_PREFIX):]) for line in out.stdout.splitlines()
            if line.startswith(STEP_PREFIX)]


def table(steps: list[dict[str, Any]]) -> str:
    """The per-step table: RSS after the step, its growth, the peak so far, SQLite's own allocations (mostly page
    cache), seconds, live Python objects tracked by the collector."""
    lines = [f"{'step':<58} {'RSS MB':>8} {'+MB':>7} {'peak MB':>8} {'sqlite MB':>9} {'s':>6} {'objects':>9}"]
    before = 0.0
    for s in steps:
        if "step" not in s:
            continue
        lines.append(f"{s['step']:<58} {s['rss']:>8.1f} {s['rss'] - before:>+7.1f} {s['peak']:>8.1f} "
                     f"{s['sqlite']:>9.1f} {s['seconds']:>6.2f} {s['objects']:>9,}")
        before = s["rss"]
    return "\n".join(lines)


def results(steps: list[dict[str, Any]], persons: int | None) -> list[Result]:
    shown = [s for s in steps if "step" in s]
    at = f" at {persons:,} persons" if persons else ""
    story = next((i for i, s in enumerate(shown) if s["step"] == "unlock"), 0)  # the story, not the imports
    growth = [(b["rss"] - a["rss"], b["step"]) for a, b in itertools.pairwise(shown[story:])]
    grew, name = max(growth)
    return [Result(f"GUI RSS after the core story{at} (real main window, offscreen)", shown[-1]["rss"], "MB",
                   TARGET_MB),
            Result("  peak RSS during the story", shown[-1]["peak"], "MB"),
            Result(f"  step that grew most: {name}", grew, "MB")]


def add_housing(data_dir: Path) -> int:
    """The housing market the demo command writes beside ``persons`` people (``whh demo``: a tenth as many offers
    up to 10 000, a twentieth as many searches up to 1 000), so Wohnungssuche has households and flats to match.
    Returns the number of persons in the store."""
    from sqlalchemy import func, select

    from bench.store_bench import PASSWORD
    from whh_desktop.core.demo_housing import fill_housing_demo
    from whh_desktop.core.services import login
    from whh_desktop.core.store.models import HousingSearch, Person
    from whh_desktop.paths import DataPaths

    store, admin = login.unlock(DataPaths(data_dir), "bench", PASSWORD)
    try:
        with store.read_session() as s:
            persons = int(s.execute(select(func.count()).select_from(Person)).scalar_one())
            searches = int(s.execute(select(func.count()).select_from(HousingSearch)).scalar_one())
        if not searches:
            offers = min(10_000, max(50, persons // 10))
            fill_housing_demo(store, admin.username, landlords=max(10, offers // 10), offers=offers,
                              searches=min(1_000, max(20, persons // 20)), seed=1)
    finally:
        store.close()
    return persons


def run(data_dir: Path, user: str, password: str, persons: int | None = None) -> list[Result]:
    add_housing(data_dir)
    steps = measure(data_dir, user, password)
    print(table(steps))
    return results(steps, persons)


def _copy_and_run(prebuilt: Path, out: Path | None) -> None:
    from bench import harness
    from bench.store_bench import COUNSELLOR, PASSWORD

    with tempfile.TemporaryDirectory(prefix="m-memory-") as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(prebuilt, data)  # never open a prebuilt store in place
        persons = add_housing(data)
        steps = measure(data, COUNSELLOR, PASSWORD)
    text = table(steps)
    print(text)
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    harness.report(results(steps, persons), Path(__file__).parent / "results-memory.json")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.memory_bench")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("user", nargs="?", default="beratung")
    parser.add_argument("--table", type=Path, help="die Tabelle je Schritt zusätzlich in diese Datei schreiben")
    args = parser.parse_args(argv)
    if args.probe:
        probe(str(args.data_dir), args.user, os.environ["WHH_PASSWORD"])
    else:
        _copy_and_run(args.data_dir, args.table)


if __name__ == "__main__":
    main()

