"""The letterhead fields (name, street, PLZ, city, phone, e-mail) from ``forms/letterhead.ui``.

Used by the setup wizard and by Verwaltung → Einstellungen, so both validate and mark fields the same way.
"""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services.site_settings import Letterhead
from whh_desktop.ui.forms import load_form
from whh_desktop.ui.widgets.fields import clear_mark, mark_invalid

FIELD_NAMES = tuple(f.name for f in fields(Letterhead))


class LetterheadFields(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form("letterhead.ui", self)
        self.fields: dict[str, QLineEdit] = {name: self.form.findChild(QLineEdit, name) for name in FIELD_NAMES}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.setFocusProxy(self.fields["name"])

    def value(self) -> Letterhead:
        return Letterhead(**{name: field.text().strip() for name, field in self.fields.items()})

    def set_value(self, letterhead: Letterhead) -> None:
        for name, field in self.fields.items():
            field.setText(getattr(letterhead, name))

    def validate(self) -> InvalidInput | None:
        """Check the fields; the first wrong one is marked and focused. Returns the error or None."""
        clear_mark(*self.fields.values())
        try:
            self.value().validate()
        except InvalidInput as exc:
            self.mark(exc)
            return exc
        return None

    def mark(self, exc: InvalidInput) -> bool:
        field = self.fields.get(exc.field or "")
        if field is not None:
            mark_invalid(field, str(exc))
        return field is not None
