"""Colours, fonts and translations shared by all views. Sizes are relative, so the system font size rules."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from whh_desktop.resources import resource

ERROR = "#b71c1c"
OK = "#1b5e20"
MUTED = "#4a4a4a"
WARN = "#8a4b00"
MONO_FAMILY = "DejaVu Sans Mono"


@cache
def register_fonts() -> str:
    """Add the shipped monospace font once; returns the family to use for recovery keys."""
    font_id = QFontDatabase.addApplicationFont(str(resource("fonts", "DejaVuSansMono.ttf")))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else MONO_FAMILY


def mono_font(point_delta: int = 0, bold: bool = False) -> QFont:
    font = QFont(register_fonts())
    font.setStyleHint(QFont.StyleHint.Monospace)
    base = QApplication.font().pointSizeF()
    font.setPointSizeF(max(6.0, (base if base > 0 else 10.0) + point_delta))
    font.setBold(bold)
    return font


def scaled(widget: QWidget, point_delta: int, bold: bool = False) -> None:
    font = QFont(widget.font())
    size = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size + point_delta)
    font.setBold(bold)
    widget.setFont(font)


def heading(text: str, point_delta: int = 6) -> QLabel:
    label = QLabel(text)
    scaled(label, point_delta, bold=True)
    label.setAccessibleName(text)
    return label


def muted(text: str = "", *, wrap: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    label.setStyleSheet(f"color: {MUTED};")
    return label


class MessageLabel(QLabel):
    """An inline message under a form: red for errors, green for success; read out by screen readers."""

    def __init__(self, accessible_name: str = "Meldung", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(accessible_name)
        self.setObjectName("message")
        self.setVisible(False)  # takes no room until there is something to say

    def setText(self, text: str) -> None:  # type: ignore[override]
        super().setText(text)
        self.setVisible(bool(text))

    def error(self, text: str) -> None:
        self.setStyleSheet(f"color: {ERROR}; font-weight: bold;")
        self.setText(text)
        self.setAccessibleDescription(text)

    def success(self, text: str) -> None:
        self.setStyleSheet(f"color: {OK};")
        self.setText(text)
        self.setAccessibleDescription(text)

    def info(self, text: str) -> None:
        self.setStyleSheet(f"color: {MUTED};")
        self.setText(text)
        self.setAccessibleDescription(text)

    def clear(self) -> None:  # type: ignore[override]
        self.setText("")
        self.setAccessibleDescription("")


_translators: list[QTranslator] = []


def app_icon() -> QIcon:
    """The house icon of windows and the task bar (``resources/icons``; the .ico beside it is for Windows)."""
    icon = QIcon(str(resource("icons", "whh.png")))
    if icon.isNull():
        raise FileNotFoundError(f"Symbol fehlt: {resource('icons', 'whh.png')}")
    return icon


def install_german(app: QApplication) -> None:
    """German locale and Qt's own German texts (standard buttons, context menus, file dialogs)."""
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_de", "qt_de"):
        translator = QTranslator(app)
        if translator.load(name, directory):
            app.installTranslator(translator)
            _translators.append(translator)
