"""Run as a separate process: start like the app, unlock, build the main window, report when it has painted.

Prints one line ``startup {json}`` for startup_bench: the seconds of each part, in the order they happen —
interpreter start (from the parent's spawn, ``WHH_BENCH_SPAWNED``), the imports split by package group, the
QApplication set-up, the unlock, the main window (each area's widget, the badges, the status bar, the rest of the
shell) and show → first paint. ``-X importtime`` on this module shows which import is heavy.
"""

from __future__ import annotations

import time

WALL0, T0 = time.time(), time.perf_counter()

import json  # noqa: E402  (the clock starts before anything is imported)
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def main() -> None:
    data_dir, user, password = sys.argv[1], sys.argv[2], os.environ["WHH_PASSWORD"]
    spawned = float(os.environ.get("WHH_BENCH_SPAWNED", WALL0))
    marks: dict[str, float] = {"interpreter": max(0.0, WALL0 - spawned)}
    last = T0

    def mark(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        marks[name] = now - last
        last = now

    import PySide6.QtCore
    import PySide6.QtGui
    import PySide6.QtWidgets  # noqa: F401
    mark("import_pyside6")
    import sqlalchemy.orm  # noqa: F401
    mark("import_sqlalchemy")
    from whh_desktop.core.services import login
    from whh_desktop.paths import DataPaths
    mark("import_core")
    from whh_desktop.ui import app as app_module
    from whh_desktop.ui import areas
    from whh_desktop.ui.main_window import MainWindow
    mark("import_ui")
    app = app_module.make_application()
    mark("qapplication")
    store, current = login.unlock(DataPaths(Path(data_dir)), user, password)
    mark("unlock")

    parts: dict[str, float] = {}
    started = time.perf_counter()
    _time_window_parts(areas, MainWindow, parts)
    window = MainWindow(store, current)
    window_seconds = time.perf_counter() - started
    mark("window")
    marks["window_shell"] = window_seconds - sum(parts.values())
    from PySide6.QtCore import QEvent, QObject, QTimer

    class PaintWatch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                mark("first_paint")
                marks["to_paint_wall"] = time.time() - spawned
                times = os.times()  # CPU seconds to here: less swayed by a busy machine than the wall clock
                marks["cpu_to_paint"] = times.user + times.system
                app.removeEventFilter(self)
                QTimer.singleShot(0, app.quit)
            return False

    watch = PaintWatch()
    app.installEventFilter(watch)
    window.show()
    app.exec()
    print("startup " + json.dumps({"marks": marks, "parts": parts,
                                   "modules": len(sys.modules)}), flush=True)
    window.close()
    store.close()


def _time_window_parts(areas, window_class, parts: dict[str, float]) -> None:  # type: ignore[no-untyped-def]
    """Wrap every area factory and badge, and the status bar's read, so their seconds are summed by name."""
    import dataclasses

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                parts[name] = parts.get(name, 0.0) + time.perf_counter() - started
        return wrapper

    started = time.perf_counter()
    areas.registered()  # every area is known before it is wrapped (the window asks the same first)
    parts["area registry (imports)"] = time.perf_counter() - started
    for key, area in list(areas._registry.items()):
        changes = {"factory": timed(f"area {key}", area.factory)}
        if area.badge is not None:
            changes["badge"] = timed("badges", area.badge)
        areas._registry[key] = dataclasses.replace(area, **changes)
    window_class.refresh_status = timed("status bar", window_class.refresh_status)


if __name__ == "__main__":
    main()
