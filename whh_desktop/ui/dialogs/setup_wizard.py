"""First start: mode, site details, first admin, the recovery key shown once and typed back."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import login, store_setup
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.site_settings import Letterhead
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.keys import new_recovery_key, parse_recovery_key, recovery_key_groups
from whh_desktop.paths import DataPaths
from whh_desktop.ui import printing
from whh_desktop.ui.messages import error_text
from whh_desktop.ui.widgets.fields import StrengthHint, clear_mark, mark_invalid


def _line(name: str, object_name: str) -> QLineEdit:
    field = QLineEdit()
    field.setAccessibleName(name)
    field.setObjectName(object_name)
    return field


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #c62828;")
    label.setAccessibleName("Fehlermeldung")
    return label


class ModePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Betrieb wählen")
        self.setSubTitle("Für welche Stelle wird dieser Datenbestand eingerichtet?")
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        for i, site in enumerate([*SiteCode.counselling_sites(), SiteCode.KREIS]):
            label = f"Beratungsstelle {site.label}" if not site.is_district else "Kreis Herford (Kreisverwaltung)"
            button = QRadioButton(label)
            button.setObjectName(f"mode_{site.value}")
            button.setAccessibleName(label)
            self.group.addButton(button, i)
            layout.addWidget(button)
            if i == 0:
                button.setChecked(True)
        self._sites = [*SiteCode.counselling_sites(), SiteCode.KREIS]
        hint = QLabel("Der Kreis führt die Daten der Standorte zusammen. Die Wahl lässt sich später nicht ändern.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addSpacing(12)
        layout.addWidget(hint)

    @property
    def site(self) -> SiteCode:
        return self._sites[self.group.checkedId()]

    def select(self, site: SiteCode) -> None:
        self.group.button(self._sites.index(site)).setChecked(True)


class SitePage(QWizardPage):
    FIELDS = (("name", "Name der Stelle"), ("street", "Straße und Hausnummer"), ("plz", "PLZ"), ("city", "Ort"),
              ("phone", "Telefon"), ("email", "E-Mail"))

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Angaben zur Stelle")
        self.setSubTitle("Diese Angaben stehen im Briefkopf und auf dem Notfallschlüssel.")
        self.fields = {key: _line(label, key) for key, label in self.FIELDS}
        self.error = _error_label()
        grid = QGridLayout(self)
        for row, (key, label) in enumerate(self.FIELDS):
            caption = QLabel(f"&{label}" + ("" if key in ("phone", "email") else " *"))
            caption.setBuddy(self.fields[key])
            grid.addWidget(caption, row, 0)
            grid.addWidget(self.fields[key], row, 1)
        self.fields["plz"].setMaxLength(5)
        self.fields["plz"].setInputMask("")
        grid.addWidget(self.error, len(self.FIELDS), 0, 1, 2)

    def initializePage(self) -> None:
        site = self.wizard().mode_page.site
        if not self.fields["name"].text():
            self.fields["name"].setText("Kreis Herford" if site.is_district else
                                        f"Wohnungsnotfallhilfe {site.label}")
        if not self.fields["city"].text() and not site.is_district and "/" not in site.label:
            self.fields["city"].setText(site.label)

    def letterhead(self) -> Letterhead:
        return Letterhead(**{k: f.text().strip() for k, f in self.fields.items()})

    def validatePage(self) -> bool:
        for field in self.fields.values():
            clear_mark(field)
        try:
            self.letterhead().validate()
        except InvalidInput as exc:
            self.error.setText(str(exc))
            if exc.field in self.fields:
                mark_invalid(self.fields[exc.field], str(exc))
                self.fields[exc.field].setFocus()
            return False
        self.error.clear()
        return True


class AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Erstes Admin-Konto")
        self.setSubTitle("Das Admin-Konto verwaltet Konten, Einstellungen und Sicherungen. Für die Fallarbeit "
                         "legen Sie danach Beratungskonten an.")
        self.username = _line("Benutzername", "admin_username")
        self.display_name = _line("Name", "admin_display_name")
        self.password = _line("Passwort", "admin_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = _line("Passwort wiederholen", "admin_password_repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.hint = StrengthHint(self.password, self.username)
        self.error = _error_label()
        grid = QGridLayout(self)
        for row, (label, field) in enumerate((("&Benutzername *", self.username), ("&Name *", self.display_name),
                                              ("&Passwort *", self.password), ("Passwort &wiederholen *",
                                                                               self.repeat))):
            caption = QLabel(label)
            caption.setBuddy(field)
            grid.addWidget(caption, row, 0)
            grid.addWidget(field, row, 1)
        grid.addWidget(self.hint, 4, 1)
        grid.addWidget(self.error, 5, 0, 1, 2)
        self.username.setPlaceholderText("z. B. a.becker")

    def validatePage(self) -> bool:
        for field in (self.username, self.display_name, self.password, self.repeat):
            clear_mark(field)
        wizard = self.wizard()
        request = wizard.request()
        try:
            store_setup.validate(request)
        except InvalidInput as exc:
            target = {"admin_username": self.username, "admin_display_name": self.display_name,
                      "admin_password": self.password}.get(exc.field or "")
            self.error.setText(str(exc))
            if target:
                mark_invalid(target, str(exc))
                target.setFocus()
            return False
        if self.password.text() != self.repeat.text():
            self.error.setText("Die beiden Passwörter stimmen nicht überein.")
            mark_invalid(self.repeat, self.error.text())
            return False
        self.error.clear()
        return True


class KeyPage(QWizardPage):
    def __init__(self, recovery_key: str) -> None:
        super().__init__()
        self.setTitle("Notfallschlüssel")
        self.setSubTitle("Er wird nur jetzt angezeigt. Speichern oder drucken Sie ihn und bewahren Sie ihn im "
                         "Tresor auf – nie zusammen mit dem Laptop.")
        self.recovery_key = recovery_key
        grid = QGridLayout()
        mono = QFont("DejaVu Sans Mono")
        mono.setPointSize(20)
        mono.setStyleHint(QFont.StyleHint.Monospace)
        for i, group in enumerate(recovery_key_groups(recovery_key)):
            label = QLabel(group)
            label.setFont(mono)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAccessibleName(f"Gruppe {i + 1}: {' '.join(group)}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            number = QLabel(f"Gruppe {i + 1}")
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            number.setStyleSheet("color: #666;")
            row, col = divmod(i, 4)
            grid.addWidget(label, row * 2, col)
            grid.addWidget(number, row * 2 + 1, col)
        box = QWidget()
        box.setObjectName("keybox")
        box.setStyleSheet("#keybox { border: 2px solid #444; border-radius: 8px; background: #fafafa; }")
        box.setLayout(grid)
        self.save_button = QPushButton("Als &PDF speichern…")
        self.print_button = QPushButton("&Drucken…")
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_pdf)
        self.status = QLabel("Noch nicht gespeichert oder gedruckt.")
        self.status.setStyleSheet("color: #555;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addSpacing(10)
        layout.addLayout(buttons)
        layout.addWidget(self.status)

    def pdf(self) -> bytes:
        from whh_desktop.core.letters.recovery_sheet import render_recovery_sheet

        wizard = self.wizard()
        return render_recovery_sheet(self.recovery_key, wizard.site_page.letterhead(), wizard.mode_page.site.label,
                                     wizard.store_id, datetime.now(UTC))

    def save_pdf(self) -> None:
        path = printing.save_pdf(self, self.pdf(), "Notfallschluessel-WHH.pdf")
        if path:
            self.status.setText(f"Gespeichert: {path}. Bitte ausdrucken und die Datei danach löschen.")

    def print_pdf(self) -> None:
        if printing.print_pdf(self, self.pdf(), "Notfallschlüssel"):
            self.status.setText("Gedruckt.")


class ConfirmPage(QWizardPage):
    def __init__(self, recovery_key: str, rng: random.Random) -> None:
        super().__init__()
        self.setTitle("Notfallschlüssel bestätigen")
        self.setSubTitle("Damit sicher ist, dass er aufgeschrieben oder gedruckt vorliegt, tippen Sie bitte zwei "
                         "Gruppen ab.")
        self.groups = recovery_key_groups(recovery_key)
        self.asked = sorted(rng.sample(range(8), 2))
        self.inputs: list[QLineEdit] = []
        grid = QGridLayout(self)
        for row, index in enumerate(self.asked):
            field = _line(f"Gruppe {index + 1}", f"confirm_group_{row}")
            field.setMaxLength(5)
            field.setFont(QFont("DejaVu Sans Mono"))
            field.textChanged.connect(self.completeChanged)
            caption = QLabel(f"Gruppe &{index + 1}")
            caption.setBuddy(field)
            grid.addWidget(caption, row, 0)
            grid.addWidget(field, row, 1)
            self.inputs.append(field)
        self.error = _error_label()
        grid.addWidget(self.error, 3, 0, 1, 2)

    def isComplete(self) -> bool:
        return all(_same_group(f.text(), self.groups[i]) for f, i in zip(self.inputs, self.asked, strict=True))

    def validatePage(self) -> bool:
        wizard = self.wizard()
        try:
            wizard.create()
        except Exception as exc:  # shown on the page; the wizard stays open, nothing typed is lost
            self.error.setText(error_text(exc))
            return False
        return True


def _same_group(typed: str, group: str) -> bool:
    table = str.maketrans({"0": "O", "1": "I", "8": "B"})
    return typed.strip().upper().translate(table) == group


class SetupWizard(QWizard):
    """``store``/``user`` are set after a successful finish (the admin is logged in right away)."""

    def __init__(self, paths: DataPaths, parent: QWidget | None = None, *, kdf=None,
                 rng: random.Random | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self._kdf = kdf
        self.store: Store | None = None
        self.user: CurrentUser | None = None
        self.recovery_key = new_recovery_key()
        self.store_id = str(uuid.uuid4())  # known before creation, so the printed sheet names it
        parse_recovery_key(self.recovery_key)  # sanity: the shown key parses
        self.setWindowTitle("WHH Desktop – Einrichtung")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setMinimumSize(720, 520)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Weiter >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Zurück")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Fertigstellen")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Abbrechen")
        self.mode_page = ModePage()
        self.site_page = SitePage()
        self.admin_page = AdminPage()
        self.key_page = KeyPage(self.recovery_key)
        self.confirm_page = ConfirmPage(self.recovery_key, rng or random.Random())
        for page in (self.mode_page, self.site_page, self.admin_page, self.key_page, self.confirm_page):
            self.addPage(page)

    def request(self) -> store_setup.SetupRequest:
        site = self.mode_page.site
        return store_setup.SetupRequest(
            mode=StoreMode.DISTRICT if site.is_district else StoreMode.SITE, site=site,
            letterhead=self.site_page.letterhead(), admin_username=self.admin_page.username.text().strip().lower(),
            admin_display_name=self.admin_page.display_name.text().strip(),
            admin_password=self.admin_page.password.text(), kdf=self._kdf)

    def create(self) -> None:
        request = self.request()
        store_setup.create_store(self.paths, request, recovery_key=self.recovery_key, store_id=self.store_id)
        self.store, self.user = login.unlock(self.paths, request.admin_username, request.admin_password)
