"""Run as a separate process: unlock, build the main window, report when it has painted (for startup_bench)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

T0 = time.perf_counter()


def main() -> None:
    data_dir, user, password = sys.argv[1], sys.argv[2], os.environ["WHH_PASSWORD"]
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    from whh_desktop.core.services import login
    from whh_desktop.paths import DataPaths
    from whh_desktop.ui.main_window import MainWindow

    t_import = time.perf_counter()
    store, current = login.unlock(DataPaths(Path(data_dir)), user, password)
    t_unlocked = time.perf_counter()
    window = MainWindow(store, current)

    class PaintWatch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                done = time.perf_counter()
                print(f"imports={t_import - T0:.4f} unlock={t_unlocked - t_import:.4f} "
                      f"window={done - t_unlocked:.4f} total={done - T0:.4f}", flush=True)
                QTimer.singleShot(0, app.quit)
                app.removeEventFilter(self)
            return False

    watch = PaintWatch()
    app.installEventFilter(watch)
    window.show()
    app.exec()
    window.close()
    store.close()


if __name__ == "__main__":
    main()
