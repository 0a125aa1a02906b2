"""Austausch: encrypted, signed bundles between the sites and the Kreis (DESIGN.md §5).

A site exports "für den Kreis" and reads the Kreis's bundle; the Kreis reads the sites' bundles (any order, each
checked and applied whole or refused with its reason), sees per site the last export and gaps, the import history,
writes one bundle per site, and reviews possible duplicates. Export and import run in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.changes import EXCHANGE
from whh_desktop.core.domain.formatting import fmt_datetime, plural
from whh_desktop.core.services import sync, sync_views
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import files, messages
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.ops import LongOp, listen, wants
from whh_desktop.ui.views.duplicates import DuplicatesTab, site_label
from whh_desktop.ui.views.exchange_keys import KeysTab
from whh_desktop.ui.widgets.tables import ReadOnlyTable
from whh_desktop.ui.workers import Job

BUNDLE_FILTER = "WHH-Pakete (*.whhb)"
def kind_label(kind: str) -> str:
    return labels.export_count(kind)


def choose_bundles(parent: QWidget) -> list[Path]:
    """Several files at once; one place so tests patch it."""
    names, _ = QFileDialog.getOpenFileNames(parent, "Pakete einlesen", str(Path.home()), BUNDLE_FILTER)
    return [Path(n) for n in names]


class ImportPanel(QWidget):
    """Read one or many bundles, in the background with progress and cancel; a report line per file.

    An import changes everything (``Changes.all()``): every view refreshes itself through the broadcast. While a
    colleague's import runs (a district on a server), this one waits and says so."""

    waiting = Signal(str)  # emitted from the worker thread; queued to the label in the GUI thread

    def __init__(self, store: Store, user: CurrentUser, title: str) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.job: Job | None = None
        self.reports: list[sync.ImportReport] = []
        self.button = QPushButton(title)
        self.button.clicked.connect(self.choose)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("Hinweis zum Einlesen")
        self.notice.hide()
        self.waiting.connect(self._show_waiting)
        self.table = ReadOnlyTable(["Datei", "Ergebnis", "Von", "Export", "Datensätze", "Übersprungen"],
                                   "Ergebnis des Einlesens", "import_report")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch()
        layout.addLayout(row)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)

    def choose(self) -> None:
        paths = choose_bundles(self)
        if paths:
            self.run(paths)

    def run(self, paths: list[Path]) -> None:
        self.button.setEnabled(False)
        self.job = LongOp(
            self, f"{len(paths)} Paket(e) werden geprüft und eingelesen …",
            lambda progress, cancelled: sync.import_bundles(self.store, self.user, paths, progress, cancelled,
                                                            waiting=self.waiting.emit),
            cancellable=True).success(self._show).run()
        self.job.done.connect(self._finished)

    def _show_waiting(self, message: str) -> None:
        self.notice.setText(message)
        self.notice.show()

    def _finished(self) -> None:
        self.button.setEnabled(True)
        self.notice.hide()

    def _show(self, reports: list[sync.ImportReport]) -> None:
        self.reports = reports
        self.table.fill([[r.path.name, "eingelesen" if r.applied else f"abgelehnt: {r.reason}",
                          site_label(r.sender_site) if r.sender_site else "", str(r.sequence or ""),
                          str(sum(r.counts.values())), str(r.skipped_total)] for r in reports],
                        tooltips=["\n".join([f"{s.get('entity', '')} {s.get('id', '')}: {s.get('reason', '')}"
                                             for s in r.skipped[:20]]
                                            + [f"unsichtbare Steuerzeichen entfernt: {w}" for w in r.warnings])
                                  for r in reports])
        refused = [r for r in reports if not r.applied]
        if refused:
            messages.show_error(self, f"{len(refused)} von {plural(len(reports), 'Datei', 'Dateien')} "
                                      "wurden nicht eingelesen:\n"
                                + "\n".join(r.summary for r in refused))


class SiteExchange(QWidget):
    """At a site: what the next export holds, write it, and read the Kreis's bundle."""

    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.job: Job | None = None
        # Counting the next export builds it (seconds at 100 000 persons): off the GUI thread, and only once the
        # page is shown, so that neither the start of the app nor the page waits for it.
        self.preview_job: Job | None = None
        self._preview_wanted = True
        self._preview_generation = 0
        self.ack = QLabel()
        self.ack.setAccessibleName("Stand beim Kreis")
        self.full = QCheckBox("&Vollständiger Export (alles, nicht nur Änderungen)")
        self.full.toggled.connect(self.refresh)
        self.counts = ReadOnlyTable(["Art", "Anzahl"], "Inhalt des nächsten Exports", "export_counts")
        self.export_button = QPushButton("E&xport für den Kreis…")
        self.export_button.clicked.connect(self.export)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Ergebnis des Exports")
        self.importer = ImportPanel(store, user, "Paket des &Kreises einlesen…")
        note = QLabel("Personen ohne gültige Einwilligung für den Kreis gehen nur pseudonym hinaus (statistische "
                      "Angaben, keine Namen). Dokumente bleiben am Standort.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.ack)
        layout.addWidget(note)
        layout.addWidget(self.full)
        layout.addWidget(self.counts, 1)
        row = QHBoxLayout()
        row.addWidget(self.result, 1)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        layout.addWidget(QLabel("<b>Vom Kreis</b> (Vermieterregister, Wohnungsangebote, KdU-Tabellen, Adressbuch, "
                                "Übergaben)"))
        layout.addWidget(self.importer, 1)
        listen(self, wants(EXCHANGE), self.refresh)  # an export, an import (everything), a restore
        self.refresh()

    def refresh(self) -> None:
        self.ack.setText(f"<b>{sync_views.district_ack_message(self.store, self.user)}</b>")
        needs_full = sync.export_needs_full(self.store)
        if needs_full and not self.full.isChecked():
            self.full.setChecked(True)  # refreshes again
            return
        self.full.setEnabled(not needs_full)
        self.full.setToolTip("Nach einer Wiederherstellung oder vor dem ersten Export geht alles hinaus."
                             if needs_full else "")
        self._preview_wanted = True
        self.export_button.setEnabled(False)
        self.counts.fill([["Der Inhalt des nächsten Exports wird ermittelt …", ""]])
        if self.isVisible():
            self._start_preview()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._preview_wanted:
            self._start_preview()

    def _start_preview(self) -> None:
        self._preview_wanted = False
        self._preview_generation += 1
        generation, full = self._preview_generation, self.full.isChecked()
        job = self.preview_job = Job(lambda _progress, _cancelled: sync.preview_export(self.store, full=full),
                                     "whh-export-preview")
        job.succeeded.connect(lambda counts: self._show_counts(generation, counts))
        job.failed.connect(lambda exc: self._preview_failed(generation, exc))
        job.start()

    def _show_counts(self, generation: int, counts: dict[str, int]) -> None:
        if generation != self._preview_generation:  # a newer question (full export ticked, export written)
            return
        rows = [[kind_label(k), str(v)] for k, v in counts.items() if v]
        self.counts.fill(rows or [["Seit dem letzten Export hat sich nichts geändert.", ""]])
        self.export_button.setEnabled(bool(rows) and (self.job is None or self.job.isFinished()))

    def _preview_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._preview_generation:
            self.counts.fill([["Der Inhalt des nächsten Exports konnte nicht ermittelt werden.", ""]])
            self.export_button.setEnabled(True)  # the export itself says what is wrong
            messages.show_error(self, exc)

    def export(self) -> None:
        if not self._keys_present():
            return
        target = files.choose_directory(self, "Ordner für das Paket (z. B. USB-Stick)")
        if target is None:
            return
        full = self.full.isChecked()
        self.export_button.setEnabled(False)
        self.job = LongOp(
            self, "Export für den Kreis wird geschrieben …",
            lambda progress, cancelled: sync.export_for_district(self.store, self.user, target, full)) \
            .success(self._exported).failure(self._export_failed).run()

    def _keys_present(self) -> bool:
        """Without the Kreis key no export can be written: say so before a folder is asked for."""
        problem = sync_views.export_blocker(self.store, self.user)
        if problem:
            messages.show_error(self, problem)
        return not problem

    def _export_failed(self, exc: BaseException) -> None:
        messages.show_error(self, exc)
        self.refresh()  # nothing was exported: ask again what the next export holds, and offer it again

    def _exported(self, result: sync.ExportResult) -> None:
        total = sum(result.counts.values())
        self.result.setText(f"Export {result.sequence} geschrieben: {result.path} ({total} Datensätze"
                            f"{', vollständig' if result.full else ''}).")
        self.full.setChecked(False)


class DistrictExchange(QWidget):
    """At the Kreis: read the sites' bundles, per-site status with gaps, history, bundles for the sites."""

    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.job: Job | None = None
        self.importer = ImportPanel(store, user, "Pakete der Standorte ei&nlesen…")
        self.status = ReadOnlyTable(["Standort", "Letztes Paket", "Export", "Eingelesen", "Hinweis"],
                                    "Stand je Standort", "site_status")
        self.history = ReadOnlyTable(["Eingelesen am", "Von", "Export", "Voll", "Datensätze", "Übersprungen", "von"],
                                     "Importverlauf", "import_history")
        self.export_button = QPushButton("Pakete für die Standorte sch&reiben…")
        self.export_button.clicked.connect(self.export_sites)
        self.result = QLabel()
        self.result.setWordWrap(True)
        tabs = QTabWidget()
        tabs.addTab(self.importer, "&Einlesen")
        tabs.addTab(self.status, "Stand je S&tandort")
        tabs.addTab(self.history, "&Verlauf")
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        row = QHBoxLayout()
        row.addWidget(self.result, 1)
        row.addWidget(self.export_button)
        layout.addLayout(row)
        listen(self, wants(EXCHANGE), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        ledger = sync_views.district_ledger(self.store, self.user)
        status, history = ledger.status, ledger.history
        self.status.fill([[x.label, fmt_datetime(x.last_bundle_at) if x.last_bundle_at else "noch keines",
                           str(x.last_sequence or ""), str(x.imported), "; ".join(x.messages)] for x in status])
        self.history.fill([[fmt_datetime(h.imported_at), h.label, str(h.sequence or ""), "ja" if h.full else "",
                            f"abgelehnt: {h.refused_label} ({h.file})" if h.refused else str(sum(h.counts.values())),
                            str(h.skipped), ledger.who(h.imported_by)] for h in history])

    def export_sites(self) -> None:
        problem = sync_views.export_blocker(self.store, self.user)
        if problem:  # before the folder is asked for: without a site's key there is nothing to write
            messages.show_error(self, problem)
            return
        target = files.choose_directory(self, "Ordner für die Pakete an die Standorte")
        if target is None:
            return
        self.export_button.setEnabled(False)
        self.job = LongOp(
            self, "Pakete für die Standorte werden geschrieben …",
            lambda progress, cancelled: sync.export_for_sites(self.store, self.user, target)) \
            .success(self._exported).run()
        self.job.done.connect(lambda: self.export_button.setEnabled(True))

    def _exported(self, results: list[sync.ExportResult]) -> None:
        if not results:
            self.result.setText("Kein Paket geschrieben: von keinem Standort liegt ein vertrauter Schlüssel vor.")
            return
        self.result.setText("Geschrieben: " + ", ".join(r.path.name for r in results) + f" in {results[0].path.parent}")


class ExchangeView(QWidget):
    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None) -> None:
        super().__init__()
        self.district = store.info.mode == "district"
        self.tabs = QTabWidget()
        self.keys = KeysTab(store, user)
        if self.district:
            self.exchange: QWidget = DistrictExchange(store, user)
            self.duplicates = DuplicatesTab(store, user)
            self.tabs.addTab(self.exchange, "&Pakete")
            self.tabs.addTab(self.duplicates, "Mögliche D&oppelungen")
        else:
            self.exchange = SiteExchange(store, user)
            self.tabs.addTab(self.exchange, "&Export und Einlesen")
        self.tabs.addTab(self.keys, "&Schlüssel")
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        widget = self.tabs.currentWidget()
        if widget is not None:
            widget.refresh()
