"""``python -m whh_desktop``: the desktop application."""

from __future__ import annotations

import sys
from collections.abc import Sequence

SELFTEST_SWITCH = "--selftest-gui"


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``--data-dir``, lock the data folder, set up or log in, run the main window; the exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    if SELFTEST_SWITCH in args:
        return selftest_gui()
    from whh_desktop.ui.app import run

    return run(args)


def selftest_gui() -> int:
    """``--selftest-gui``: what an installed (frozen) build must carry, without touching any data folder.

    Starts Qt as the app does (German translation, shipped font), loads every Designer form, renders a PDF with
    reportlab and the shipped fonts, shows it through QtPdf, prints it to a PDF file through QtPrintSupport,
    builds a chart, checks the KdU table and the Alembic scripts, then paints one window and quits. Prints one
    JSON object; exit code 0 only when every check passed. Used by the smoke test of the frozen build.
    """
    import io
    import json
    import tempfile
    from pathlib import Path

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from whh_desktop import __version__
    from whh_desktop.resources import form, resource
    from whh_desktop.ui import style

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("WHH Desktop")
    style.install_german(app)
    checks: dict[str, object] = {"version": __version__, "frozen": bool(getattr(sys, "frozen", False)),
                                 "platform": QApplication.platformName()}
    failures: list[str] = []

    def check(name: str, fn) -> None:  # type: ignore[no-untyped-def]
        try:
            checks[name] = fn()
        except Exception as exc:  # report every failing part, not only the first
            failures.append(f"{name}: {type(exc).__name__}: {exc}")

    def forms() -> list[str]:
        from whh_desktop.ui.forms import load_form

        names = sorted(p.name for p in form("intake.ui").parent.glob("*.ui"))
        for name in names:
            load_form(name).deleteLater()
        return names

    def pdf() -> int:
        from PySide6.QtPrintSupport import QPrinter
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas

        from whh_desktop.ui.printing import load_pdf, print_to

        pdfmetrics.registerFont(TTFont("SelftestSans", str(resource("fonts", "DejaVuSans.ttf"))))
        out = io.BytesIO()
        pdf_canvas = canvas.Canvas(out)
        pdf_canvas.setFont("SelftestSans", 12)
        pdf_canvas.drawString(72, 720, "Systemcheck: Grüße aus Herford – äöüß")
        pdf_canvas.save()
        document, buffer = load_pdf(out.getvalue())
        pages = document.pageCount()
        document.close()
        buffer.close()
        with tempfile.TemporaryDirectory() as tmp:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(Path(tmp) / "print.pdf"))
            print_to(printer, out.getvalue())
            if (Path(tmp) / "print.pdf").stat().st_size == 0:
                raise RuntimeError("Druck in PDF-Datei leer")
        return pages

    def chart() -> str:
        from PySide6.QtCharts import QChart, QChartView

        chart = QChart()
        chart.setTitle("Systemcheck")
        QChartView(chart).deleteLater()
        return "ok"

    def kdu() -> int:
        return len(json.loads(resource("data", "kdu-herford-2019.json").read_text(encoding="utf-8")))

    def migrations() -> int:
        from whh_desktop.core.store.schema import MIGRATIONS_DIR

        scripts = sorted((MIGRATIONS_DIR / "versions").glob("0*.py"))
        if not (MIGRATIONS_DIR / "env.py").is_file() or not scripts:
            raise FileNotFoundError(f"Alembic-Skripte fehlen in {MIGRATIONS_DIR}")
        return len(scripts)

    check("font", style.register_fonts)
    check("icon", lambda: sorted(style.app_icon().availableSizes(), key=lambda size: size.width())[-1].width())
    check("forms", forms)
    check("pdf_pages", pdf)
    check("chart", chart)
    check("kdu_entries", kdu)
    check("migrations", migrations)
    check("letter_templates", lambda: len(list(resource("letters").glob("*.j2"))))

    window = QMainWindow()
    window.setWindowTitle("WHH Desktop – Systemcheck")
    window.setCentralWidget(QLabel("Systemcheck"))
    painted: list[bool] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(True)
                QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstPaint()
    window.installEventFilter(watcher)
    window.show()
    QTimer.singleShot(0, window.repaint)
    QTimer.singleShot(15_000, app.quit)  # never hang a smoke test
    app.exec()
    window.removeEventFilter(watcher)
    window.close()
    checks["painted"] = bool(painted)
    if not painted:
        failures.append("painted: kein Fenster gezeichnet")
    checks["failures"] = failures
    print(json.dumps(checks, ensure_ascii=False))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
