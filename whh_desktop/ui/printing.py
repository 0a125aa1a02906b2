"""Print or save PDF bytes from memory (no temporary file with personal data)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget

from whh_desktop.core.errors import WhhError
from whh_desktop.ui.messages import show_error


def load_pdf(data: bytes, parent: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    """The buffer must outlive the document: return both and keep both."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    return document, buffer


def print_to(printer: QPrinter, data: bytes) -> int:
    """Render every page at the printer's resolution; returns the number of pages printed."""
    document, buffer = load_pdf(data)
    painter = QPainter()
    if not painter.begin(printer):
        raise WhhError("Der Drucker konnte nicht geöffnet werden.")
    try:
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            target = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
            image = document.render(index, QSize(target.width(), target.height()))
            painter.drawImage(target.topLeft(), image)
    finally:
        painter.end()
        buffer.close()
    return document.pageCount()


def print_pdf(parent: QWidget | None, data: bytes, title: str) -> bool:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"{title} drucken")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    try:
        print_to(printer, data)
    except WhhError as exc:
        show_error(parent, exc)
        return False
    return True


def save_pdf(parent: QWidget | None, data: bytes, suggested_name: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Als PDF speichern", str(Path.home() / suggested_name),
                                          "PDF-Dateien (*.pdf)")
    if not name:
        return None
    path = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
    try:
        path.write_bytes(data)
    except OSError as exc:
        show_error(parent, f"Die Datei konnte nicht gespeichert werden: {exc.strerror or exc}")
        return None
    return path
