"""Verwaltung → Briefe: footer and logo of the letterhead, and the site's own texts of the catalogue letters.

Name, address, phone and e-mail of the letterhead stay in Verwaltung → Einstellungen. A letter text is a Jinja2
template (``resources/letters/README.md``); the site keeps its own copy, a broken one is refused with its line.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QPixmap, QTextCursor
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.domain.letter_catalogue import LetterType
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.core.services import letter_views, letters
from whh_desktop.core.services.letter_views import LetterRow, TemplateBroken
from whh_desktop.core.services.letters import LetterSettings
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.site_settings import Letterhead
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import files, messages, modal, printing
from whh_desktop.ui.dirty import FormWindow
from whh_desktop.ui.ops import Op, listen, wants
from whh_desktop.ui.style import MessageLabel, mono_font, muted
from whh_desktop.ui.widgets.fields import clear_mark, mark_invalid
from whh_desktop.ui.widgets.screen_fit import resize_within_screen
from whh_desktop.ui.widgets.tables import ReadOnlyTable

OWN_TEXT = "eigener Text des Standorts"
STANDARD_TEXT = "Standard"
LOGO_SIZE = QSize(220, 90)


class LettersController:
    """What the tab needs from the letter services; the tests drive the tab through it with a real store."""

    def __init__(self, store: Store, user: CurrentUser) -> None:
        self.store, self.user = store, user

    def rows(self) -> list[LetterRow]:
        return letter_views.letter_rows(self.store, self.user)

    def settings(self) -> LetterSettings:
        return letter_views.settings_of(self.store)

    def letterhead(self) -> Letterhead:
        return letter_views.letterhead_of(self.store)

    def source(self, code: str) -> tuple[str, bool]:
        return letter_views.template_source(self.store, code)

    def shipped(self, code: str) -> str:
        return letter_views.shipped_template(code)

    def save_settings(self, footer: str, logo_file: Path | None, remove_logo: bool) -> None:
        letters.save_letter_settings(self.store, self.user, footer, logo_file=logo_file, remove_logo=remove_logo)

    def save_template(self, code: str, source: str) -> None:
        letters.save_template(self.store, self.user, code, source)

    def reset_template(self, code: str) -> None:
        letters.reset_template(self.store, self.user, code)

    def preview(self, kind: LetterType, source: str) -> letters.Rendered:
        """The letter with fictional data, as it would print with this text, footer and logo."""
        return letter_views.sample_preview(self.store, self.user, kind, source)


def logo_pixmap(data: bytes | None) -> QPixmap | None:
    if not data:
        return None
    pixmap = QPixmap()
    return pixmap if pixmap.loadFromData(data) and not pixmap.isNull() else None


# ---- dialogs -------------------------------------------------------------------------------------------------
class PreviewDialog(QDialog):
    """A sample letter shown from memory (QtPdf); the buffer lives as long as the dialog."""

    def __init__(self, title: str, rendered: letters.Rendered, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Vorschau – {title}")
        self.setAccessibleName("Vorschau des Briefes mit Beispieldaten")
        self.document, self.buffer = printing.load_pdf(rendered.pdf)
        self.document.setParent(self)
        self.buffer.setParent(self)
        self.view = QPdfView(self)
        self.view.setAccessibleName("Briefvorschau")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        note = muted("Beispieldaten (erfunden). So sieht der Brief mit dem Text im Editor, dem Briefkopf, der "
                     "Fußzeile und dem Logo aus.")
        self.warnings = MessageLabel("Hinweise zur Vorschau")
        if rendered.warnings:
            self.warnings.info("\n".join(rendered.warnings))
        close = QPushButton("&Schließen")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.warnings)
        layout.addLayout(row)
        resize_within_screen(self, 720, 860)

    @property
    def pages(self) -> int:
        return self.document.pageCount()

    def done(self, result: int) -> None:
        if self.document.status() == QPdfDocument.Status.Ready:
            self.document.close()
        super().done(result)


class TemplateDialog(FormWindow):
    """The text of one letter: editor (monospace) with the fields beside it; save refuses a broken template."""

    def __init__(self, controller: LettersController, kind: LetterType, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller, self.kind = controller, kind
        self.reset_done = False
        source, self.own = controller.source(kind.code)
        self.setWindowTitle(f"Brieftext bearbeiten – {kind.title}")
        self.setAccessibleName("Brieftext bearbeiten")

        self.editor = QPlainTextEdit(source)
        self.editor.setObjectName("template_editor")
        self.editor.setAccessibleName(f"Text der Vorlage »{kind.title}«")
        self.editor.setFont(mono_font())
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.editor.setTabChangesFocus(True)
        self.editor.document().setModified(False)
        self.editor.cursorPositionChanged.connect(self._show_position)
        self.position = muted("", wrap=False)
        self.position.setAccessibleName("Position des Cursors")
        editor_label = QLabel("&Text der Vorlage (erste Zeile »# Betreff«):")
        editor_label.setBuddy(self.editor)

        self.variables = QListWidget()
        self.variables.setObjectName("template_variables")
        self.variables.setAccessibleName("Platzhalter; Doppelklick oder Eingabetaste fügt ein")
        for key in letter_views.FIELDS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.variables.addItem(item)
        self.mark_used()
        self._mark_timer = QTimer(self)  # re-mark the used fields shortly after typing stops
        self._mark_timer.setSingleShot(True)
        self._mark_timer.setInterval(400)
        self._mark_timer.timeout.connect(self.mark_used)
        self.editor.textChanged.connect(self._mark_timer.start)
        self.variables.itemActivated.connect(self._insert_variable)
        variables_label = QLabel("&Platzhalter (✓ = im Text verwendet):")
        variables_label.setBuddy(self.variables)
        self.insert_button = QPushButton("&Einfügen")
        self.insert_button.setToolTip("Fügt den gewählten Platzhalter an der Cursorposition ein.")
        self.insert_button.clicked.connect(lambda: self._insert_variable(self.variables.currentItem()))
        help_text = muted("Leerzeile = neuer Absatz · »- « Aufzählung · »[x] «/»[ ] « Kästchen · »## « fette "
                          "Überschrift · **fett** · {% if feld %}…{% endif %} für Optionales · "
                          "{{ feld | oder(\"____\") }} gibt einen Ersatz, wenn das Feld leer ist.")
        help_text.setAccessibleName("Hinweise zum Format")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(editor_label)
        left_layout.addWidget(self.editor, 1)
        left_layout.addWidget(self.position)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(variables_label)
        right_layout.addWidget(self.variables, 1)
        right_layout.addWidget(self.insert_button)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        state = muted("Dieser Brief verwendet den eigenen Text des Standorts." if self.own else
                       "Dieser Brief verwendet den mitgelieferten Standardtext. Beim Speichern entsteht ein "
                       "eigener Text des Standorts.")
        state.setAccessibleName("Herkunft des Textes")
        self.message = MessageLabel()
        self.message.setObjectName("template_message")
        self.save_button = QPushButton("&Speichern")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.preview_button = QPushButton("&Vorschau…")
        self.preview_button.setToolTip("Zeigt den Brief mit erfundenen Beispieldaten und dem Text im Editor.")
        self.preview_button.clicked.connect(self.preview)
        self.reset_button = QPushButton("Auf Standard &zurücksetzen…")
        self.reset_button.setToolTip("Verwirft den eigenen Text und verwendet wieder den mitgelieferten.")
        self.reset_button.setEnabled(self.own)
        self.reset_button.clicked.connect(self.reset)
        self.cancel_button = QPushButton("Abbrechen")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.preview_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(state)
        layout.addWidget(splitter, 1)
        layout.addWidget(help_text)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        resize_within_screen(self, 1100, 720)
        self.editor.setFocus()
        self._show_position()

    @property
    def text(self) -> str:
        return self.editor.toPlainText()

    def mark_used(self) -> None:
        """✓ beside the fields the text uses (kept as they were while the text does not parse)."""
        used = letter_views.template_fields(self.editor.toPlainText())
        if not used and "{{" in self.editor.toPlainText():
            return
        for row in range(self.variables.count()):
            item = self.variables.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            item.setText(f"{key} – {letter_views.FIELDS[key]}" + ("  ✓" if key in used else ""))
            item.setToolTip(f"Fügt {{{{ {key} }}}} an der Cursorposition ein."
                            + (" Wird in diesem Text schon verwendet." if key in used else ""))

    def _show_position(self) -> None:
        cursor = self.editor.textCursor()
        self.position.setText(f"Zeile {cursor.blockNumber() + 1}, Spalte {cursor.positionInBlock() + 1}")

    def _insert_variable(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.editor.insertPlainText(f"{{{{ {item.data(Qt.ItemDataRole.UserRole)} }}}}")
        self.editor.setFocus()

    def go_to_line(self, line: int) -> None:
        block = self.editor.document().findBlockByNumber(max(0, line - 1))
        if not block.isValid():
            block = self.editor.document().lastBlock()
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()
        self.editor.setFocus()

    def _broken(self, exc: TemplateBroken, saving: bool) -> None:
        text = str(exc)
        if exc.line:
            problem = text.split(": ", 1)[1] if ": " in text else text
            text = f"Zeile {exc.line}: {problem}"
            self.go_to_line(exc.line)
        mark_invalid(self.editor, text, focus=exc.line is None)
        self.message.error(f"Nicht gespeichert. {text}" if saving else text)

    def save(self) -> None:
        clear_mark(self.editor)
        self.message.clear()
        Op(self, lambda: self.controller.save_template(self.kind.code, self.text)) \
            .failure(self._save_refused).success(lambda _: self._finish()).run()

    def _save_refused(self, exc: WhhError) -> None:
        if isinstance(exc, TemplateBroken):
            self._broken(exc, saving=True)
        else:
            self.message.error(str(exc))

    def _finish(self) -> None:
        self.editor.document().setModified(False)
        self.accept()

    def preview(self) -> None:
        clear_mark(self.editor)
        self.message.clear()
        try:
            rendered = self.controller.preview(self.kind, self.text)
            dialog = PreviewDialog(self.kind.title, rendered, self)
        except TemplateBroken as exc:
            self._broken(exc, saving=False)
            return
        except Exception as exc:
            self.message.error(messages.error_text(exc))
            return
        modal.run_modal(dialog)
        dialog.deleteLater()

    def reset(self) -> None:
        if not messages.confirm(self, f"Den eigenen Text von »{self.kind.title}« verwerfen und wieder den "
                                      "mitgelieferten Standardtext verwenden?\n\nDer eigene Text geht dabei verloren.",
                                title="Auf Standard zurücksetzen", yes="&Zurücksetzen"):
            return
        if Op(self, lambda: self.controller.reset_template(self.kind.code)) \
                .failure(lambda exc: self.message.error(str(exc))).run():
            self.reset_done = True
            self._finish()



# ---- the tab -------------------------------------------------------------------------------------------------
class LettersTab(QWidget):
    def __init__(self, controller: LettersController) -> None:
        super().__init__()
        self.controller = controller
        self.setObjectName("letters_tab")
        self.rows: list[LetterRow] = []
        self.pending_logo: Path | None = None
        self.remove_logo = False
        self.saved_logo: bytes | None = None

        # letterhead extras
        self.footer = QPlainTextEdit()
        self.footer.setObjectName("letters_footer")
        self.footer.setAccessibleName("Fußzeile der Briefe, höchstens 3 Zeilen")
        self.footer.setPlaceholderText("z. B. Träger · Sparkasse Herford · IBAN DE00 0000 0000 0000 0000 00")
        self.footer.setTabChangesFocus(True)
        self.footer.setFixedHeight(self.footer.fontMetrics().lineSpacing() * 4 + 12)
        footer_label = QLabel("F&ußzeile (z. B. Träger und Bankverbindung, höchstens 3 Zeilen):")
        footer_label.setBuddy(self.footer)
        self.logo = QLabel()
        self.logo.setObjectName("letters_logo")
        self.logo.setAccessibleName("Logo des Briefkopfs")
        self.logo.setFixedSize(LOGO_SIZE)
        self.logo.setFrameShape(QFrame.Shape.StyledPanel)
        self.logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo.setWordWrap(True)
        self.logo_state = muted()
        self.logo_state.setAccessibleName("Zustand des Logos")
        self.choose_logo_button = QPushButton("Logo &wählen…")
        self.choose_logo_button.setToolTip("Ein PNG- oder JPEG-Bild, höchstens 2 MB.")
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button = QPushButton("Logo ent&fernen")
        self.remove_logo_button.clicked.connect(self.drop_logo)
        self.save_button = QPushButton("Fußzeile und Logo s&peichern")
        self.save_button.clicked.connect(self.save_settings)
        self.revert_button = QPushButton("Ve&rwerfen")
        self.revert_button.setToolTip("Zeigt wieder die gespeicherte Fußzeile und das gespeicherte Logo.")
        self.revert_button.clicked.connect(self.load_settings)
        self.settings_message = MessageLabel("Meldung zu Fußzeile und Logo")
        self.settings_message.setObjectName("letters_settings_message")

        head = QGroupBox("Briefkopf: Fußzeile und Logo")
        head_layout = QVBoxLayout(head)
        head_layout.addWidget(muted("Name, Anschrift, Telefon und E-Mail der Stelle stehen unter »Einstellungen« → "
                                    "Briefkopf."))
        columns = QHBoxLayout()
        footer_box = QVBoxLayout()
        footer_box.addWidget(footer_label)
        footer_box.addWidget(self.footer)
        footer_box.addStretch()
        columns.addLayout(footer_box, 1)
        logo_box = QVBoxLayout()
        logo_box.addWidget(self.logo)
        logo_box.addWidget(self.logo_state)
        logo_buttons = QHBoxLayout()
        logo_buttons.addWidget(self.choose_logo_button)
        logo_buttons.addWidget(self.remove_logo_button)
        logo_box.addLayout(logo_buttons)
        columns.addLayout(logo_box)
        head_layout.addLayout(columns)
        head_layout.addWidget(self.settings_message)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.revert_button)
        save_row.addStretch()
        head_layout.addLayout(save_row)

        # letter texts
        self.table = ReadOnlyTable(["Brief", "Gruppe", "An", "Text"], "Brieftexte", "letters_table")
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.edit_template())
        self.edit_button = QPushButton("&Text bearbeiten…")
        self.edit_button.clicked.connect(self.edit_template)
        self.reset_button = QPushButton("Auf Standard &zurücksetzen…")
        self.reset_button.setToolTip("Verwirft den eigenen Text des Standorts für den gewählten Brief.")
        self.reset_button.clicked.connect(self.reset_template)
        self.preview_button = QPushButton("&Vorschau…")
        self.preview_button.setToolTip("Zeigt den gewählten Brief mit erfundenen Beispieldaten.")
        self.preview_button.clicked.connect(self.preview)
        self.own_count = muted(wrap=False)
        self.own_count.setAccessibleName("Zahl der eigenen Texte")
        self.message = MessageLabel("Meldung zu den Brieftexten")
        self.message.setObjectName("letters_message")
        texts = QGroupBox("Brieftexte")
        texts_layout = QVBoxLayout(texts)
        texts_layout.addWidget(muted("Jeder Brief hat einen mitgelieferten Text. Ein geänderter Text gilt nur für "
                                     "diesen Standort (Spalte »Text«: eigener Text des Standorts) und lässt sich "
                                     "jederzeit auf den Standard zurücksetzen."))
        buttons = QHBoxLayout()
        for button in (self.edit_button, self.reset_button, self.preview_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.own_count)
        texts_layout.addLayout(buttons)
        texts_layout.addWidget(self.table, 1)
        texts_layout.addWidget(self.message)

        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(texts, 1)
        self.setTabOrder(self.footer, self.choose_logo_button)
        self.setTabOrder(self.choose_logo_button, self.remove_logo_button)
        self.setTabOrder(self.remove_logo_button, self.save_button)
        self.setTabOrder(self.save_button, self.revert_button)
        self.setTabOrder(self.revert_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.reset_button)
        self.setTabOrder(self.reset_button, self.preview_button)
        self.setTabOrder(self.preview_button, self.table)
        self.load_settings()
        self.refresh_texts()
        listen(self, wants(Aggregate.SETTINGS), self.refresh)

    # -- refresh
    def refresh(self) -> None:
        """Called when the tab is shown: the list is reloaded, unsaved footer or logo edits are kept."""
        if not self.has_unsaved_settings():
            self.load_settings()
        self.refresh_texts()

    def has_unsaved_settings(self) -> bool:
        return self.footer.document().isModified() or self.pending_logo is not None or self.remove_logo

    def load_settings(self) -> None:
        try:
            current = self.controller.settings()
        except Exception as exc:
            self.settings_message.error(messages.error_text(exc))
            return
        self.footer.setPlainText(current.footer)
        self.footer.document().setModified(False)
        self.saved_logo = current.logo
        self.pending_logo, self.remove_logo = None, False
        clear_mark(self.footer, self.logo)
        self.settings_message.clear()
        self._show_logo()

    def refresh_texts(self) -> None:
        self.rows = self.controller.rows()
        self.table.fill([[r.kind.title, r.kind.group_label, r.recipients, OWN_TEXT if r.own else STANDARD_TEXT]
                         for r in self.rows])
        for index, row in enumerate(self.rows):
            if row.own:
                for column in range(self.table.columnCount()):
                    item = self.table.item(index, column)
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
        own = sum(r.own for r in self.rows)
        self.own_count.setText(f"{own} von {len(self.rows)} Briefen mit eigenem Text" if own else
                               "Alle Briefe verwenden den Standardtext.")
        self._update_buttons()

    # -- logo and footer
    def _show_logo(self) -> None:
        if self.pending_logo is not None:
            try:
                data: bytes | None = self.pending_logo.read_bytes()
            except OSError:
                data = None
            state = f"Neu gewählt: {self.pending_logo.name} (noch nicht gespeichert)"
        elif self.remove_logo:
            data, state = None, "Wird beim Speichern entfernt."
        else:
            data = self.saved_logo
            state = "Gespeichertes Logo." if data else "Kein Logo – der Briefkopf zeigt nur den Text."
        pixmap = logo_pixmap(data)
        if pixmap is not None:
            self.logo.setPixmap(pixmap.scaled(LOGO_SIZE - QSize(8, 8), Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation))
        else:
            self.logo.clear()
            self.logo.setText("kein Logo" if not data else "Bild nicht lesbar")
        self.logo_state.setText(state)
        self.logo.setAccessibleDescription(state)
        self.remove_logo_button.setEnabled(self.pending_logo is not None or (bool(self.saved_logo)
                                                                             and not self.remove_logo))

    def choose_logo(self) -> None:
        path = files.choose_open_path(self, "Logo für den Briefkopf wählen", "Bilder (*.png *.jpg *.jpeg)")
        if path is None:
            return
        clear_mark(self.logo)
        self.pending_logo, self.remove_logo = path, False
        self._show_logo()
        self.settings_message.info("Logo gewählt. Zum Übernehmen »Fußzeile und Logo speichern« wählen.")

    def drop_logo(self) -> None:
        if self.pending_logo is not None:
            self.pending_logo = None
        else:
            self.remove_logo = bool(self.saved_logo)
        clear_mark(self.logo)
        self._show_logo()
        if self.remove_logo:
            self.settings_message.info("Das Logo wird beim Speichern entfernt.")
        else:
            self.settings_message.clear()

    def save_settings(self) -> bool:
        clear_mark(self.footer, self.logo)
        self.settings_message.clear()
        footer, logo, remove = self.footer.toPlainText(), self.pending_logo, self.remove_logo
        if not Op(self, lambda: self.controller.save_settings(footer, logo, remove)) \
                .failure(self._settings_refused).run():
            return False
        self.load_settings()  # the form starts clean: no pending logo, footer not modified
        self.settings_message.success("Fußzeile und Logo gespeichert.")
        return True

    def _settings_refused(self, exc: WhhError) -> None:
        if isinstance(exc, InvalidInput):
            target = self.logo if exc.field == "logo" else self.footer
            mark_invalid(target, str(exc))
            if target is self.logo:
                self.choose_logo_button.setFocus()
        self.settings_message.error(str(exc))

    # -- letter texts
    def selected(self) -> LetterRow | None:
        row = self.table.selected_row()
        return self.rows[row] if row is not None and row < len(self.rows) else None

    def select(self, code: str) -> None:
        for i, row in enumerate(self.rows):
            if row.kind.code == code:
                self.table.selectRow(i)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.preview_button.setEnabled(row is not None)
        self.reset_button.setEnabled(row is not None and row.own)

    def edit_template(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.message.clear()
        dialog = TemplateDialog(self.controller, row.kind, self)
        if modal.accepted(dialog):
            self.message.success(f"Der Standardtext von »{row.kind.title}« gilt wieder." if dialog.reset_done
                                 else f"Der eigene Text von »{row.kind.title}« ist gespeichert.")
        dialog.deleteLater()
        self.select(row.kind.code)

    def reset_template(self) -> None:
        row = self.selected()
        if row is None or not row.own:
            return
        if not messages.confirm(self, f"Den eigenen Text von »{row.kind.title}« verwerfen und wieder den "
                                      "mitgelieferten Standardtext verwenden?\n\nDer eigene Text geht dabei verloren.",
                                title="Auf Standard zurücksetzen", yes="&Zurücksetzen"):
            return
        if not Op(self, lambda: self.controller.reset_template(row.kind.code)).run():
            return
        self.message.success(f"Der Standardtext von »{row.kind.title}« gilt wieder.")
        self.select(row.kind.code)

    def preview(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.message.clear()
        try:
            source, _own = self.controller.source(row.kind.code)
            dialog = PreviewDialog(row.kind.title, self.controller.preview(row.kind, source), self)
        except Exception as exc:  # e.g. a site text written by an older version that no longer passes
            self.message.error(messages.error_text(exc))
            return
        modal.run_modal(dialog)
        dialog.deleteLater()
