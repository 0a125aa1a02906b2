"""The one loader for the Qt Designer files in ``forms/`` (DESIGN.md §2).

``REQUIRED`` names the objects the code looks up in each form; a test loads every file and checks them, so a
renamed widget in Designer fails in CI instead of at a user's desk.
"""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QWidget

from whh_desktop.resources import form

REQUIRED: dict[str, tuple[str, ...]] = {
    "letterhead.ui": ("name", "street", "plz", "city", "phone", "email"),
    "intake.ui": ("family_name", "given_names", "birth_date", "sex", "nationality", "language", "interpreter_needed",
                  "phone", "email", "street", "plz", "city", "municipality", "moved_in", "category", "category_since",
                  "housing_note", "landlord_name", "landlord_address", "cold_rent", "utilities", "heating", "arrears",
                  "arrears_since", "income_kind", "income_since", "bg_number", "came_via", "first_needs", "message"),
    "housing_search.ui": ("household_size", "members", "label_members", "wanted_municipalities", "max_rent",
                          "kdu_hint", "min_rooms", "earliest_move", "barrier_free", "ground_floor", "pets", "has_wbs",
                          "kdu_attributes", "label_kdu_attributes", "special_needs", "status", "message"),
}


def load_form(name: str, parent: QWidget | None = None) -> QWidget:
    """Build the widget tree of ``forms/<name>``; children are found with ``findChild(Type, object_name)``."""
    path = form(name)
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"Formular fehlt: {path}")
    try:
        widget = QUiLoader().load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"Formular {name} ist fehlerhaft.")
    return widget


def missing_names(name: str, widget: QWidget) -> list[str]:
    from PySide6.QtCore import QObject

    return [obj for obj in REQUIRED.get(name, ()) if widget.findChild(QObject, obj) is None]
