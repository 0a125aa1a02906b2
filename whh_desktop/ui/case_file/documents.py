"""The tab »Dokumente«: letters written from the case file and files added to it (kept inside the store)."""

from __future__ import annotations

import mimetypes

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.filenames import safe_file_name
from whh_desktop.core.domain.formatting import fmt_date, fmt_size
from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import applications, case_file, casework
from whh_desktop.core.services.case_file import CaseFile
from whh_desktop.ui import files, messages, modal
from whh_desktop.ui.case_file.panel import CasePanel, button, table_tab
from whh_desktop.ui.dialogs.letter import FILED, LetterDialog
from whh_desktop.ui.widgets.tables import ReadOnlyTable

FILE_TYPES = "Dokumente (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.odt *.docx *.txt);;Alle Dateien (*)"


class DocumentsPanel(CasePanel):
    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.documents = ReadOnlyTable(["Datum", "Titel", "Art", "Empfänger", "Größe"], "Dokumente", "documents")
        self.letter_button = button("&Brief schreiben…", self.write_letter)
        self.add_document_button = button("Datei hinzu&fügen…", self.add_document)
        self.save_document_button = button("&Speichern unter…", self.save_document)
        table_tab(self, self.documents, self.letter_button, self.add_document_button, self.save_document_button)

    def fill(self, cf: CaseFile) -> None:
        self.documents.fill([[fmt_date(x.created_at.date()), x.title, labels.document_kind(x.kind),
                              x.recipient or "", fmt_size(x.size)] for x in cf.documents])

    def enable(self) -> None:
        editable = self.data is not None and self.data.editable
        self.letter_button.setEnabled(editable)
        self.add_document_button.setEnabled(editable)
        self.save_document_button.setEnabled(self.documents.selected_row() is not None)

    def add_document(self) -> None:
        path = files.choose_open_path(self, "Dokument zum Fall hinzufügen", FILE_TYPES)
        if path is None:
            return
        try:
            data = path.read_bytes()
        except OSError as exc:
            messages.show_error(self, f"Die Datei konnte nicht gelesen werden: {exc.strerror or exc}")
            return
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self.run(lambda: casework.add_document(self.store, self.user, self.case_id, path.stem, mime, data))

    def write_letter(self) -> None:
        """A letter is filed in the case; an application letter may go into »Anträge« as well."""
        dialog = LetterDialog(self.store, self.user, self.case_id, self)
        dialog.then_asks_application = True
        modal.run_modal(dialog)
        if dialog.recorded is None:
            return
        kind = applications.kind_for_letter(dialog.letter_type.code)
        if kind is not None and messages.confirm(
                self, f"{FILED}\n\nDieser Brief ist ein Antrag ({kind.label}). In die Anträge übernehmen, um "
                "Entscheidung und Fristen zu verfolgen?", title="Antrag erfassen", yes="In die &Anträge übernehmen"):
            self.run(lambda: applications.add_from_letter(self.store, self.user, dialog.recorded))

    def save_document(self) -> None:
        row = self.documents.selected_row()
        if row is None or self.data is None:
            return
        doc = self.data.documents[row]
        try:
            data = case_file.document_content(self.store, self.user, doc.id)
        except WhhError as exc:
            messages.show_error(self, exc)
            return
        suffix = mimetypes.guess_extension(doc.mime or "") or ""
        path = files.choose_save_path(self, "Dokument speichern", f"{safe_file_name(doc.title)}{suffix}",
                                      "Alle Dateien (*)")
        if path is not None:
            try:
                path.write_bytes(data)
            except OSError as exc:
                messages.show_error(self, f"Die Datei konnte nicht gespeichert werden: {exc.strerror or exc}")
