"""Print or save PDF bytes from memory (no temporary file with personal data, DESIGN.md §4)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QWidget

from whh_desktop.core.errors import WhhError
from whh_desktop.ui import files
from whh_desktop.ui.messages import show_error


def load_pdf(data: bytes) -> tuple[QPdfDocument, QBuffer]:
    """The buffer must outlive the document (DESIGN.md §10): both are returned, keep both."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise WhhError("Das PDF konnte nicht geladen werden.")
    return document, buffer


def print_to(printer: QPrinter, data: bytes) -> int:
    """Render every page at the printer's resolution, keeping the aspect ratio; returns the pages printed."""
    document, buffer = load_pdf(data)
    pages = document.pageCount()  # read before closing: a closed document has none
    painter = QPainter()
    if not painter.begin(printer):
        raise WhhError("Der Drucker konnte nicht geöffnet werden.")
    try:
        for index in range(document.pageCount()):
            if index:
                printer.newPage()
            target = painter.viewport()
            page = document.pagePointSize(index)
            scale = min(target.width() / page.width(), target.height() / page.height())
            size = QSize(int(page.width() * scale), int(page.height() * scale))
            painter.drawImage(target.topLeft(), document.render(index, size))
    finally:
        painter.end()
        document.close()
        buffer.close()
    return pages


def ask_printer(parent: QWidget | None, title: str) -> QPrinter | None:
    """The print dialog; None when cancelled. Tests patch this function."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"{title} drucken")
    return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None


def print_pdf(parent: QWidget | None, data: bytes, title: str) -> bool:
    printer = ask_printer(parent, title)
    if printer is None:
        return False
    try:
        print_to(printer, data)
    except WhhError as exc:
        show_error(parent, exc)
        return False
    return True


def save_pdf(parent: QWidget | None, data: bytes, suggested_name: str) -> Path | None:
    path = files.choose_save_path(parent, "Als PDF speichern", suggested_name, "PDF-Dateien (*.pdf)")
    if path is None:
        return None
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    try:
        path.write_bytes(data)
    except OSError as exc:
        show_error(parent, f"Die Datei konnte nicht gespeichert werden: {exc.strerror or exc}")
        return None
    return path
