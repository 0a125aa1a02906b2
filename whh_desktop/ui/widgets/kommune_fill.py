"""Kommune typed once: a form's Kommune box follows its PLZ and Ort (``municipalities.kommune_from_address``);
a choice the user made differently stays, and the note says why nothing was filled in."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit

from whh_desktop.core.domain.municipalities import MUNICIPALITIES, KommuneGuess, kommune_from_address
from whh_desktop.ui.style import WARN

_NAMES = {m.name for m in MUNICIPALITIES}


class KommuneFill(QObject):
    """Fills ``combo`` (items named like the municipalities) from ``plz`` and ``city`` (None: the form has no
    Ort) as they are typed. ``note`` shows why the Kommune is left to choose (outside the district, PLZ and Ort
    disagree, a shared PLZ the Ort does not decide)."""

    def __init__(self, plz: QLineEdit, city: QLineEdit | None, combo: QComboBox, note: QLabel) -> None:
        super().__init__(combo)
        self.plz, self.city, self.combo, self.note = plz, city, combo, note
        self.manual = False  # the user chose a Kommune the address does not give: never overwritten
        self._filling = False
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {WARN};")
        note.setAccessibleName("Hinweis zur Kommune")
        plz.textChanged.connect(self.follow)
        if city is not None:
            city.textChanged.connect(self.follow)
        combo.currentIndexChanged.connect(self._chosen)
        self.follow()

    def _show_note(self, visible: bool) -> None:
        """Show or hide the note; in a form its whole row, so no empty gap stays when there is nothing to say."""
        parent = self.note.parentWidget()
        layout = parent.layout() if parent is not None else None
        if isinstance(layout, QFormLayout) and layout.indexOf(self.note) >= 0:
            layout.setRowVisible(self.note, visible)
        else:
            self.note.setVisible(visible)

    def guess(self) -> KommuneGuess:
        return kommune_from_address(self.plz.text(), self.city.text() if self.city is not None else None)

    def chosen(self) -> str | None:
        text = self.combo.currentText().strip()
        return text if text in _NAMES else None

    def follow(self) -> None:
        """Fill the Kommune from the address unless the user chose another one."""
        guess = self.guess()
        self.note.setText(guess.note)
        self._show_note(bool(guess.note) and not self.manual)
        if self.manual or guess.municipality is None or guess.municipality == self.chosen():
            return
        index = self.combo.findText(guess.municipality)
        if index >= 0:
            self._filling = True
            try:
                self.combo.setCurrentIndex(index)
            finally:
                self._filling = False

    def _chosen(self) -> None:
        """Any change not made here (the user's choice, a saved draft) that differs from the address's Kommune is a
        manual choice; choosing the empty entry hands the Kommune back to the address."""
        if self._filling:
            return
        chosen = self.chosen()
        self.manual = chosen is not None and chosen != self.guess().municipality
        self._show_note(bool(self.note.text()) and not self.manual)
