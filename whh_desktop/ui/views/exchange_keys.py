"""Schlüssel austauschen: the own public key file and its fingerprint, importing the other side's key after the
fingerprint was compared by phone, the list of trusted keys (revoke), a new own key pair, and at the district the
offline escrow key whose private part is saved once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.changes import Aggregate
from whh_desktop.core.errors import InvalidInput, WhhError
from whh_desktop.core.services import sync_keys
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui import files, messages
from whh_desktop.ui.dialogs.case_forms import FormDialog
from whh_desktop.ui.modal import accepted
from whh_desktop.ui.ops import Op, listen, wants
from whh_desktop.ui.views.duplicates import site_label
from whh_desktop.ui.widgets.tables import ReadOnlyTable

KEY_FILTER = "WHH-Schlüsseldateien (*.whhkey);;Alle Dateien (*)"


def _mono(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSize(font.pointSize() + 3)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ConfirmKeyDialog(FormDialog):
    """The fingerprint of the file, to be read out and compared by phone, typed back before it is trusted."""

    TITLE = "Schlüssel prüfen und vertrauen"
    OK_TEXT = "&Vertrauen"

    def __init__(self, save, shown: str, sender: str, parent: QWidget | None = None) -> None:
        self.shown, self.sender = shown, sender
        super().__init__(save, parent)

    def build(self) -> None:
        intro = QLabel(f"Schlüssel von: <b>{self.sender}</b><br>Bitte die Gegenseite anrufen und den Fingerabdruck "
                       "Gruppe für Gruppe vergleichen. Nur wenn alle Gruppen gleich sind, hier eintippen.")
        intro.setWordWrap(True)
        self.form.addRow(intro)
        self.form.addRow("Fingerabdruck der Datei", _mono(self.shown))
        self.typed = self.row("&Am Telefon bestätigt", "fingerprint", QLineEdit())
        self.typed.setAccessibleName("Bestätigter Fingerabdruck")
        self.typed.setPlaceholderText("die Gruppen, wie die Gegenseite sie vorliest")

    def value(self) -> str:
        return self.typed.text()


class RevokeKeyDialog(FormDialog):
    TITLE = "Schlüssel sperren"
    OK_TEXT = "&Sperren"

    def __init__(self, save, key: sync_keys.KeyInfo, parent: QWidget | None = None) -> None:
        self.key = key
        super().__init__(save, parent)

    def build(self) -> None:
        text = QLabel(f"Schlüssel {self.key.key_id} von {site_label(self.key.site)} sperren? Pakete mit diesem "
                      "Schlüssel werden danach abgelehnt, und es wird nichts mehr an ihn verschlüsselt.")
        text.setWordWrap(True)
        self.form.addRow(text)
        self.reason = self.row("&Grund", "reason", QLineEdit())
        self.reason.setAccessibleName("Grund")
        self.reason.setPlaceholderText("z. B. Laptop verloren, neuer Laptop")

    def value(self) -> str:
        if len(self.reason.text().strip()) < 3:
            raise InvalidInput("Bitte den Grund angeben.", "reason")
        return self.reason.text().strip()


class KeysTab(QWidget):
    def __init__(self, store: Store, user: CurrentUser) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.district = store.info.mode == "district"
        self.own = _mono("")
        self.own.setAccessibleName("Eigener Fingerabdruck")
        self.export_button = QPushButton("E&igenen Schlüssel speichern…")
        self.export_button.clicked.connect(self.export_key)
        self.import_button = QPushButton("Schlüssel der &Gegenseite einlesen…")
        self.import_button.clicked.connect(self.import_key)
        self.revoke_button = QPushButton("Schlüssel spe&rren…")
        self.revoke_button.clicked.connect(self.revoke)
        self.replace_button = QPushButton("&Neues eigenes Schlüsselpaar…")
        self.replace_button.clicked.connect(self.replace_own)
        self.escrow_button = QPushButton("&Escrow-Schlüssel erzeugen…")
        self.escrow_button.clicked.connect(self.create_escrow)
        self.escrow_button.setVisible(self.district)
        self.keys = ReadOnlyTable(["Von", "Art", "Fingerabdruck", "Eingelesen", "Stand"], "Vertraute Schlüssel",
                                  "trusted_keys")
        self.keys.itemSelectionChanged.connect(self._enable)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        other = "die Standorte" if self.district else "der Kreis"
        intro = QLabel(f"Einmalig tauschen {other} und diese Stelle ihre öffentlichen Schlüssel aus (Datei per "
                       "USB-Stick oder E-Mail). Vor dem Vertrauen wird der Fingerabdruck am Telefon verglichen.")
        intro.setWordWrap(True)
        own_row = QHBoxLayout()
        own_row.addWidget(QLabel("Eigener Fingerabdruck:"))
        own_row.addWidget(self.own, 1)
        own_row.addWidget(self.export_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.revoke_button)
        buttons.addStretch()
        buttons.addWidget(self.replace_button)
        buttons.addWidget(self.escrow_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(own_row)
        layout.addLayout(buttons)
        layout.addWidget(self.keys, 1)
        layout.addWidget(self.hint)
        listen(self, wants(Aggregate.SETTINGS), self.refresh)  # the key lists live in the settings
        self.refresh()

    def refresh(self) -> None:
        sync_keys.ensure_keys(self.store, self.user.username)
        self.own.setText(sync_keys.fingerprint(sync_keys.public_key_file(self.store)))
        self.items = sync_keys.list_keys(self.store)
        self.keys.fill([[site_label(k.site), labels.key_role(k.role), k.fingerprint,
                         k.imported_at[:10], "aktiv" if k.active else f"gesperrt: {k.revoked_reason or ''}"]
                        for k in self.items])
        missing = not any(k.active and k.role != sync_keys.ROLE_ESCROW for k in self.items)
        self.hint.setText(("Noch kein Schlüssel der Gegenseite: Export und Einlesen sind erst danach möglich. "
                           if missing else "")
                          + ("" if self.user.is_admin else "Schlüssel einlesen und sperren kann nur die "
                                                            "Administration."))
        self._enable()

    def _enable(self) -> None:
        admin = self.user.is_admin
        row = self.keys.selected_row()
        for button in (self.import_button, self.replace_button, self.escrow_button):
            button.setEnabled(admin)
        self.revoke_button.setEnabled(admin and row is not None and self.items[row].active)

    def export_key(self) -> None:
        name = f"{self.store.info.site_code}-oeffentlicher-schluessel.whhkey"
        path = files.choose_save_path(self, "Öffentlichen Schlüssel speichern", name, KEY_FILTER)
        if path is None:
            return
        try:
            path.write_bytes(sync_keys.public_key_file(self.store))
        except OSError as exc:
            messages.show_error(self, f"Die Datei konnte nicht gespeichert werden: {exc.strerror or exc}")
            return
        messages.inform(self, f"Gespeichert: {path}\n\nFingerabdruck zum Vorlesen am Telefon:\n{self.own.text()}")

    def import_key(self) -> None:
        path = files.choose_open_path(self, "Schlüssel der Gegenseite einlesen", KEY_FILTER)
        if path is None:
            return
        try:
            data = path.read_bytes()
            shown = sync_keys.fingerprint(data)
            sender = _sender_of(data)
        except OSError as exc:
            messages.show_error(self, f"Die Datei konnte nicht gelesen werden: {exc.strerror or exc}")
            return
        except WhhError as exc:
            messages.show_error(self, exc)
            return
        accepted(ConfirmKeyDialog(lambda typed: sync_keys.import_public_key(self.store, self.user, data, typed),
                                  shown, sender, self))

    def revoke(self) -> None:
        row = self.keys.selected_row()
        if row is not None:
            key = self.items[row]
            accepted(RevokeKeyDialog(lambda why: sync_keys.revoke(self.store, self.user, key.key_id, why), key,
                                     self))

    def replace_own(self) -> None:
        if not messages.confirm(self, "Ein neues eigenes Schlüsselpaar erzeugen (neuer Laptop, Verdacht auf "
                                      "Missbrauch)? Die Gegenseite muss danach die neue Schlüsseldatei einlesen; bis "
                                      "dahin lehnt sie neue Pakete ab.", yes="&Neu erzeugen"):
            return
        Op(self, lambda: sync_keys.replace_own_keys(self.store, self.user)).run()
        self.export_key()

    def create_escrow(self) -> None:
        if not messages.confirm(self, "Einen Escrow-Schlüssel erzeugen? Sein geheimer Teil wird jetzt EINMAL "
                                      "gespeichert (z. B. auf einem USB-Stick für den Tresor) und ist danach nirgends "
                                      "mehr vorhanden. Mit ihm lassen sich alle Exporte der Standorte lesen, auch "
                                      "wenn ein Standort seine Passwörter verloren hat.", yes="&Erzeugen"):
            return
        path = files.choose_save_path(self, "Escrow-Schlüssel speichern (Tresor)", "kreis-escrow-GEHEIM.whhescrow",
                                      "Escrow-Schlüssel (*.whhescrow)")
        if path is None:
            return
        created = Op(self, lambda: sync_keys.create_escrow(self.store, self.user))
        if not created.run() or created.result is None:
            return
        data, fp = created.result
        try:
            sync_keys.write_escrow_file(path, data)
        except OSError as exc:
            messages.show_error(self, f"Die Datei konnte nicht gespeichert werden: {exc.strerror or exc}. Es wurde "
                                      "ein Schlüssel erzeugt; bitte noch einmal erzeugen und an einem anderen Ort "
                                      "speichern (der erste wird damit ungültig).")
            return
        messages.inform(self, f"Escrow-Schlüssel gespeichert: {path}\nFingerabdruck: {fp}\n\nBitte offline im "
                              "Tresor aufbewahren. Die Standorte erhalten seinen öffentlichen Teil mit der nächsten "
                              "Schlüsseldatei des Kreises.")


def _sender_of(data: bytes) -> str:
    import json

    try:
        body = json.loads(data.decode("utf-8"))
        return f"{site_label(str(body.get('site', '?')))} (Datenbestand {str(body.get('store_id', '?'))[:8]})"
    except (ValueError, UnicodeDecodeError, AttributeError):
        return "unbekannt"
