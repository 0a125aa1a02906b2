"""Mögliche Doppelungen (district): pairs of persons from two sites that may be the same person, compared field by
field; staff link them (same person, two records) or mark them as different. Both reversible, never a merge."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.formatting import fmt_datetime, plural
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.services import duplicates
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import messages
from whh_desktop.ui.dialogs.case_forms import FormDialog
from whh_desktop.ui.modal import accepted
from whh_desktop.ui.ops import Op, listen, wants
from whh_desktop.ui.widgets.tables import ReadOnlyTable
from whh_desktop.ui.workers import Job, run_in_background

DIFFERS = QColor("#fff3cd")


def site_label(code: str) -> str:
    try:
        return SiteCode(code).label
    except ValueError:
        return code


def _who(p: duplicates.PersonFacts | None) -> str:
    if p is None:
        return "(inzwischen gelöscht)"
    return f"{p.family_name}, {p.given_names} ({site_label(p.site)}{', ' + p.case_number if p.case_number else ''})"


class DecisionDialog(FormDialog):
    """Confirm a decision, with a note on how it was made (kept with the decision)."""

    def __init__(self, save, link: bool, pair: str, parent: QWidget | None = None) -> None:
        self.link, self.pair = link, pair
        self.TITLE = "Gleiche Person – verknüpfen" if link else "Verschiedene Personen"
        self.OK_TEXT = "&Verknüpfen" if link else "&Als verschieden markieren"
        super().__init__(save, parent)

    def build(self) -> None:
        text = QLabel(self.pair)
        text.setWordWrap(True)
        self.form.addRow(text)
        self.note = self.row("Woran &erkannt?", "note", QLineEdit())
        self.note.setAccessibleName("Woran erkannt")
        self.note.setPlaceholderText("z. B. Rückfrage beim Standort Löhne am 25.11.")

    def value(self) -> str:
        return self.note.text()


class DuplicatesTab(QWidget):
    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.found: list[duplicates.Candidate] = []
        self.history: list[duplicates.DecisionRow] = []
        self.job: Job | None = None
        self.count = QLabel()
        self.count.setAccessibleName("Anzahl")
        self.search_button = QPushButton("&Neu suchen")
        self.search_button.clicked.connect(self.refresh)
        self.pairs = ReadOnlyTable(["Ähnlichkeit", "Person A", "Person B", "Gründe"], "Mögliche Doppelungen",
                                   "duplicate_pairs")
        self.pairs.itemSelectionChanged.connect(self._show_pair)
        self.fields = ReadOnlyTable(["Angabe", "Person A", "Person B"], "Vergleich", "duplicate_fields")
        self.link_button = QPushButton("&Gleiche Person – verknüpfen…")
        self.link_button.clicked.connect(lambda: self.decide(link=True))
        self.dismiss_button = QPushButton("&Verschiedene Personen")
        self.dismiss_button.clicked.connect(lambda: self.decide(link=False))
        self.decisions = ReadOnlyTable(["Entschieden am", "Entscheidung", "Person A", "Person B", "von", "Notiz"],
                                       "Entscheidungen", "duplicate_decisions")
        self.decisions.itemSelectionChanged.connect(self._enable)
        self.undo_button = QPushButton("Entscheidung &rückgängig machen…")
        self.undo_button.clicked.connect(self.undo)

        head = QHBoxLayout()
        intro = QLabel("Personen zweier Standorte mit gleichem Geburtsdatum (oder gleichem Klang und "
                              "Geburtsjahr) und ähnlichem Namen. Verknüpfen führt nichts zusammen: beide Datensätze "
                              "bleiben, die Berichte zählen die Person einmal.")
        intro.setWordWrap(True)
        head.addWidget(intro, 1)
        head.addWidget(self.search_button)
        review = QWidget()
        review_layout = QVBoxLayout(review)
        review_layout.addWidget(self.count)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.pairs)
        compare = QWidget()
        compare_layout = QVBoxLayout(compare)
        compare_layout.setContentsMargins(0, 0, 0, 0)
        compare_layout.addWidget(self.fields, 1)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(self.link_button)
        compare_layout.addLayout(buttons)
        split.addWidget(compare)
        review_layout.addWidget(split, 1)
        done = QWidget()
        done_layout = QVBoxLayout(done)
        done_layout.addWidget(self.decisions, 1)
        undo_row = QHBoxLayout()
        undo_row.addStretch()
        undo_row.addWidget(self.undo_button)
        done_layout.addLayout(undo_row)
        self.tabs = QTabWidget()
        self.tabs.addTab(review, "Zu pr&üfen")
        self.tabs.addTab(done, "&Entschieden")
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        self._fill([])
        # a decision (here, or one undone) changes both lists at once; small enough to reload at once
        listen(self, wants(Aggregate.PERSON_LINKS), self.load_now)

    # ---- loading (in the background: the district holds every site's persons) --------------------------------
    def refresh(self) -> None:
        if self.job is not None and not self.job.isFinished():
            return
        self.search_button.setEnabled(False)
        self.count.setText("Suche läuft …")

        def work(progress, cancelled):
            return duplicates.review(self.store, self.user)

        self.job = run_in_background(self, "Mögliche Doppelungen werden gesucht …", work, on_done=self._loaded)
        self.job.done.connect(lambda: self.search_button.setEnabled(True))

    def load_now(self) -> None:
        """The same as ``refresh`` on the calling thread (tests, small stores)."""
        self._loaded(duplicates.review(self.store, self.user))

    def _loaded(self, result: duplicates.Review) -> None:
        found, history = result.candidates, result.decisions
        self._fill(found)
        self.history = history
        self.decisions.fill([[fmt_datetime(d.decided_at), d.label, _who(d.a), _who(d.b), d.decided_by_name, d.note]
                             for d in history])
        self._enable()

    def _fill(self, found: list[duplicates.Candidate]) -> None:
        self.found = found
        self.pairs.fill([[f"{c.score} %", _who(c.a), _who(c.b), "; ".join(c.reasons)] for c in found])
        self.count.setText(f"{plural(len(found), 'mögliche Doppelung', 'mögliche Doppelungen')} zu prüfen" if found
                           else "Keine möglichen Doppelungen offen.")
        self._show_pair()

    def selected(self) -> duplicates.Candidate | None:
        row = self.pairs.selected_row()
        return self.found[row] if row is not None and row < len(self.found) else None

    def _show_pair(self) -> None:
        c = self.selected()
        rows = duplicates.side_by_side(c) if c else []
        self.fields.fill([[label, site_label(a), site_label(b)] if label == "Standort" else [label, a, b]
                          for label, a, b, _ in rows])
        for index, (*_, differs) in enumerate(rows):
            if differs:
                for col in range(3):
                    self.fields.item(index, col).setBackground(DIFFERS)
                    self.fields.item(index, col).setToolTip("weicht ab")
        self._enable()

    def _enable(self) -> None:
        chosen = self.selected() is not None
        self.link_button.setEnabled(chosen)
        self.dismiss_button.setEnabled(chosen)
        self.undo_button.setEnabled(self.decisions.selected_row() is not None)

    # ---- deciding --------------------------------------------------------------------------------------------
    def decide(self, link: bool) -> None:
        c = self.selected()
        if c is None:
            return
        decide = duplicates.link if link else duplicates.dismiss
        accepted(DecisionDialog(lambda note: decide(self.store, self.user, c.a.id, c.b.id, c.score, note),
                                link, f"{_who(c.a)}\n{_who(c.b)}", self))

    def undo(self) -> None:
        row = self.decisions.selected_row()
        if row is None:
            return
        d = self.history[row]
        if not messages.confirm(self, f"Die Entscheidung »{d.label}« für {_who(d.a)} und {_who(d.b)} rückgängig "
                                      "machen? Das Paar erscheint dann wieder unter »Zu prüfen«.",
                                yes="&Rückgängig machen"):
            return
        if not Op(self, lambda: duplicates.undo(self.store, self.user, d.id)).run():
            self.load_now()  # refused (e.g. undone meanwhile elsewhere): show the lists as they are now
