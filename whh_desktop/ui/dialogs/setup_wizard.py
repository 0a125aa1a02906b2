"""First start: mode, site details, first admin, the recovery key shown once and two groups typed back."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QFrame,
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

from whh_desktop.core.domain.passwords import check_username
from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services import login, store_setup
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.site_settings import Letterhead
from whh_desktop.core.services.store_api import KdfParams, Store, new_recovery_key, recovery_key_groups
from whh_desktop.paths import DataPaths
from whh_desktop.ui import modal, printing
from whh_desktop.ui.dirty import Protected
from whh_desktop.ui.messages import error_text
from whh_desktop.ui.style import MessageLabel, mono_font, muted
from whh_desktop.ui.widgets.fields import (
    StrengthHint,
    clear_mark,
    is_marked,
    line_edit,
    mark_invalid,
    password_field,
)
from whh_desktop.ui.widgets.letterhead import LetterheadFields
from whh_desktop.ui.widgets.screen_fit import resize_within_screen
from whh_desktop.ui.workers import run_blocking

SITES = [*SiteCode.counselling_sites(), SiteCode.KREIS]


def site_choice_label(site: SiteCode) -> str:
    return "Kreis Herford – Kreisverwaltung (führt die Daten der Standorte zusammen)" if site.is_district \
        else f"Beratungsstelle {site.label}"


def suggested_letterhead(site: SiteCode) -> Letterhead:
    """Only what follows from the site's name; street, PLZ and contact data are typed in, never guessed."""
    if site.is_district:
        return Letterhead(name="Kreis Herford", city="Herford")
    city = "" if "/" in site.label else site.label  # Enger/Spenge: two towns, the user chooses
    return Letterhead(name=f"Beratungsstelle {site.label}", city=city)


class ModePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Für welche Stelle wird WHH Desktop eingerichtet?")
        self.setSubTitle("Jede Beratungsstelle hat ihren eigenen Datenbestand. Der Kreis richtet einen "
                         "Kreis-Datenbestand ein. Die Wahl lässt sich später nicht ändern.")
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Beratungsstelle</b>"))
        for i, site in enumerate(SITES):
            if site.is_district:
                layout.addSpacing(10)
                layout.addWidget(QLabel("<b>Kreis</b>"))
            button = QRadioButton(site_choice_label(site))
            button.setObjectName(f"mode_{site.value}")
            button.setAccessibleName(site_choice_label(site))
            self.group.addButton(button, i)
            layout.addWidget(button)
        layout.addWidget(self._district_place())
        self.group.button(0).setChecked(True)
        self.group.idToggled.connect(lambda _id, _on: self._update_place())
        self._update_place()
        layout.addStretch()

    def _district_place(self) -> QWidget:
        """Where the district's data live: the encrypted file here, or a PostgreSQL server for several clerks."""
        box = QWidget()
        box.setObjectName("district_place")
        self.place_group = QButtonGroup(self)
        self.place_file = QRadioButton("Verschlüsselte Datei auf diesem Rechner (eine Person)")
        self.place_file.setObjectName("place_file")
        self.place_server = QRadioButton("Datenbankserver (PostgreSQL) – mehrere Sachbearbeitungen gleichzeitig")
        self.place_server.setObjectName("place_server")
        for n, button in enumerate((self.place_file, self.place_server)):
            button.setAccessibleName(button.text())
            self.place_group.addButton(button, n)
        self.place_file.setChecked(True)
        self.server = line_edit("Verbindungsangabe des Datenbankservers", "server_url")
        self.server.setPlaceholderText("postgresql://sachbearbeitung@db.kreis-herford.example/whh?sslmode=verify-full")
        self.server_hint = muted("Eine leere Datenbank, die die Datenbank-Administration angelegt hat. Das Passwort "
                                 "gehört nicht hierher: es steht in der PostgreSQL-Passwortdatei (~/.pgpass). "
                                 "Server außerhalb dieses Rechners nur mit sslmode=verify-full oder require.")
        self.error = MessageLabel("Fehlermeldung")
        self.place_group.idToggled.connect(lambda _id, _on: self._update_place())
        layout = QVBoxLayout(box)
        layout.setContentsMargins(24, 4, 0, 0)
        layout.addWidget(self.place_file)
        layout.addWidget(self.place_server)
        layout.addWidget(self.server)
        layout.addWidget(self.server_hint)
        layout.addWidget(self.error)
        return box

    def _update_place(self) -> None:
        district = self.site.is_district
        for widget in (self.place_file, self.place_server):
            widget.setEnabled(district)
        on_server = district and self.place_server.isChecked()
        self.server.setEnabled(on_server)
        self.server_hint.setVisible(on_server)

    @property
    def server_url(self) -> str | None:
        """The connection string when the district store goes on a server, else None."""
        if self.site.is_district and self.place_server.isChecked():
            return self.server.text().strip()
        return None

    def validatePage(self) -> bool:
        clear_mark(self.server)
        if self.server_url is not None:
            try:
                store_setup.check_server(self.server_url)
            except InvalidInput as exc:
                self.error.error(str(exc))
                mark_invalid(self.server, str(exc))
                return False
        self.error.clear()
        return True

    @property
    def site(self) -> SiteCode:
        return SITES[self.group.checkedId()]

    @property
    def mode(self) -> StoreMode:
        return StoreMode.DISTRICT if self.site.is_district else StoreMode.SITE

    def select(self, site: SiteCode) -> None:
        self.group.button(SITES.index(site)).setChecked(True)


class SitePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Angaben zur Stelle")
        self.setSubTitle("Sie stehen im Briefkopf und auf dem Notfallschlüssel. Pflichtfelder sind mit * "
                         "markiert; alles lässt sich später unter Verwaltung → Einstellungen ändern.")
        self.letterhead_fields = LetterheadFields()
        self.fields = self.letterhead_fields.fields
        self.error = MessageLabel("Fehlermeldung")
        layout = QVBoxLayout(self)
        layout.addWidget(self.letterhead_fields)
        layout.addWidget(self.error)
        layout.addStretch()
        self._suggested = Letterhead()

    def initializePage(self) -> None:
        """Fill in what follows from the chosen site, without overwriting anything the user typed."""
        new = suggested_letterhead(self.wizard().mode_page.site)
        for name, field in self.fields.items():
            if field.text().strip() in ("", getattr(self._suggested, name)):
                field.setText(getattr(new, name))
        self._suggested = new
        self.fields["street"].setFocus()

    def letterhead(self) -> Letterhead:
        return self.letterhead_fields.value()

    def validatePage(self) -> bool:
        problem = self.letterhead_fields.validate()
        if problem is not None:
            self.error.error(str(problem))
            return False
        self.error.clear()
        return True


class AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Erstes Admin-Konto")
        self.setSubTitle("Das Admin-Konto verwaltet Konten, Einstellungen und Datensicherungen. Für die "
                         "Fallarbeit legen Sie danach eigene Beratungskonten an.")
        self.username = line_edit("Benutzername", "admin_username")
        self.username.setPlaceholderText("z. B. a.becker – Kleinbuchstaben, ohne Umlaute")
        self.display_name = line_edit("Name", "admin_display_name")
        self.display_name.setPlaceholderText("z. B. Anna Becker")
        self.password = password_field("Passwort", "admin_password")
        self.repeat = password_field("Passwort wiederholen", "admin_password_repeat")
        self.hint = StrengthHint(self.password, self.username)
        self.error = MessageLabel("Fehlermeldung")
        form = QFormLayout()
        form.addRow("&Benutzername *", self.username)
        form.addRow("&Name *", self.display_name)
        form.addRow("&Passwort *", self.password)
        form.addRow("", self.hint)
        form.addRow("Passwort wi&ederholen *", self.repeat)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addStretch()
        self.username.editingFinished.connect(self._check_username)

    def _check_username(self) -> None:
        name = self.username.text().strip().lower()
        message = check_username(name) if name else None
        if message:
            mark_invalid(self.username, message, focus=False)
            self.error.error(message)
        elif is_marked(self.username):  # only take back what this check said
            clear_mark(self.username)
            self.error.clear()

    def validatePage(self) -> bool:
        fields = {"admin_username": self.username, "admin_display_name": self.display_name,
                  "admin_password": self.password}
        clear_mark(*fields.values(), self.repeat)
        try:
            store_setup.validate(self.wizard().request())
        except InvalidInput as exc:
            self.error.error(str(exc))
            target = fields.get(exc.field or "")
            if target is not None:
                mark_invalid(target, str(exc))
            return False
        if self.password.text() != self.repeat.text():
            self.error.error("Die beiden Passwörter stimmen nicht überein.")
            mark_invalid(self.repeat, self.error.text())
            return False
        self.error.clear()
        return True


class KeyPage(QWizardPage):
    def __init__(self, recovery_key: str) -> None:
        super().__init__()
        self.setTitle("Ihr Notfallschlüssel")
        self.setSubTitle("Mit ihm lassen sich die Daten öffnen, wenn alle Passwörter verloren sind. Er wird nur "
                         "jetzt angezeigt: Drucken Sie ihn aus und legen Sie ihn in den Tresor – nie zum Laptop.")
        self.recovery_key = recovery_key
        self.groups = recovery_key_groups(recovery_key)
        box = QFrame()
        box.setObjectName("keybox")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setStyleSheet("#keybox { border: 2px solid #333; border-radius: 8px; background: #ffffff; }"
                          "#keybox QLabel { background: transparent; }")
        box.setAccessibleName("Notfallschlüssel: " + " ".join(self.groups))
        grid = QGridLayout(box)
        grid.setContentsMargins(24, 18, 24, 18)
        grid.setHorizontalSpacing(28)
        grid.setVerticalSpacing(2)
        self.group_labels: list[QLabel] = []
        for i, group in enumerate(self.groups):
            label = QLabel(group)
            label.setObjectName(f"key_group_{i + 1}")
            label.setFont(mono_font(point_delta=10, bold=True))
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setAccessibleName(f"Gruppe {i + 1}")
            label.setAccessibleDescription(" ".join(group))  # spelled out for screen readers
            number = muted(f"Gruppe {i + 1}", wrap=False)
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            row, col = divmod(i, 4)
            grid.addWidget(label, row * 3, col)
            grid.addWidget(number, row * 3 + 1, col)
            self.group_labels.append(label)
        grid.setRowMinimumHeight(2, 16)  # air between the two rows of groups
        hint = muted("Groß- und Kleinschreibung spielt später keine Rolle; 0 und O, 1 und I, 8 und B werden nicht "
                     "verwechselt.")
        self.save_button = QPushButton("Als &PDF speichern…")
        self.save_button.setObjectName("save_key_pdf")
        self.print_button = QPushButton("&Drucken…")
        self.print_button.setObjectName("print_key")
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_pdf)
        self.status = MessageLabel("Stand")
        self.status.info("Noch nicht gedruckt oder gespeichert.")
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addWidget(hint)
        layout.addSpacing(8)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch()

    def pdf(self) -> bytes:
        wizard = self.wizard()
        return store_setup.recovery_sheet_pdf(self.recovery_key, wizard.site_page.letterhead(),
                                              wizard.mode_page.site.label, wizard.store_id, datetime.now(UTC))

    def save_pdf(self) -> None:
        try:
            data = self.pdf()
        except Exception as exc:
            self.status.error(error_text(exc))
            return
        path = printing.save_pdf(self, data, "Notfallschluessel-WHH-Desktop.pdf")
        if path:
            self.status.success(f"Gespeichert unter {path}. Bitte ausdrucken und die Datei danach löschen.")

    def print_pdf(self) -> None:
        try:
            data = self.pdf()
        except Exception as exc:
            self.status.error(error_text(exc))
            return
        if printing.print_pdf(self, data, "Notfallschlüssel"):
            self.status.success("Gedruckt. Bitte den Ausdruck in den Tresor legen.")


def same_group(typed: str, group: str) -> bool:
    """Case and the usual misreadings (0/O, 1/I, 8/B) don't matter, as when the key is used."""
    table = str.maketrans({"0": "O", "1": "I", "8": "B"})
    return "".join(typed.split()).upper().translate(table) == group.upper().translate(table)


class ConfirmPage(QWizardPage):
    def __init__(self, recovery_key: str, rng: random.Random) -> None:
        super().__init__()
        self.setTitle("Notfallschlüssel bestätigen")
        self.setSubTitle("Damit sicher ist, dass der Schlüssel vorliegt: Tippen Sie bitte die beiden Gruppen von "
                         "Ihrem Ausdruck oder Ihrer Abschrift ab.")
        self.groups = recovery_key_groups(recovery_key)
        self.asked = sorted(rng.sample(range(len(self.groups)), 2))
        self.inputs: list[QLineEdit] = []
        form = QFormLayout()
        for row, index in enumerate(self.asked):
            field = line_edit(f"Gruppe {index + 1}", f"confirm_group_{row}")
            field.setMaxLength(5)
            field.setFont(mono_font(point_delta=4, bold=True))
            field.setFixedWidth(field.fontMetrics().horizontalAdvance("WWWWW") + 24)
            field.textChanged.connect(self._changed)
            form.addRow(f"Gruppe &{index + 1}", field)
            self.inputs.append(field)
        self.error = MessageLabel("Fehlermeldung")
        note = muted("Nach »Fertigstellen« wird der verschlüsselte Datenbestand angelegt. Das dauert einige "
                     "Sekunden.")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addSpacing(8)
        layout.addWidget(note)
        layout.addStretch()

    def _changed(self) -> None:
        wrong = [f"Gruppe {i + 1}" for f, i in zip(self.inputs, self.asked, strict=True)
                 if len(f.text().strip()) == 5 and not same_group(f.text(), self.groups[i])]
        for field, index in zip(self.inputs, self.asked, strict=True):
            bad = len(field.text().strip()) == 5 and not same_group(field.text(), self.groups[index])
            (mark_invalid(field, "Stimmt nicht mit dem Schlüssel überein.", focus=False) if bad
             else clear_mark(field))
        if wrong:
            self.error.error(" und ".join(wrong) + " stimmt nicht. Bitte mit dem Ausdruck vergleichen "
                             "(mit »Zurück« sehen Sie den Schlüssel noch einmal).")
        else:
            self.error.clear()
        self.completeChanged.emit()

    def initializePage(self) -> None:
        self.inputs[0].setFocus()

    def isComplete(self) -> bool:
        return all(same_group(f.text(), self.groups[i]) for f, i in zip(self.inputs, self.asked, strict=True))

    def validatePage(self) -> bool:
        try:
            self.wizard().create()
        except Exception as exc:  # shown on the page; the wizard stays open and nothing typed is lost
            self.error.error(error_text(exc))
            return False
        return True


class SetupWizard(Protected, QWizard):
    """After a successful finish ``store`` and ``user`` are set: the new admin is signed in right away. Abbrechen,
    Escape and the close button ask before typed input is discarded (``dirty.Protected``)."""

    def __init__(self, paths: DataPaths, parent: QWidget | None = None, *, kdf: KdfParams | None = None,
                 rng: random.Random | None = None) -> None:
        super().__init__(parent)
        self.protect()
        self.paths = paths
        self._kdf = kdf
        self.store: Store | None = None
        self.user: CurrentUser | None = None
        self.recovery_key = new_recovery_key()
        self.store_id = str(uuid.uuid4())  # known before creation, so the printed sheet can name it
        self.setObjectName("setup_wizard")
        self.setWindowTitle("WHH Desktop – Einrichtung")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        resize_within_screen(self, 760, 560)
        self.setButtonText(QWizard.WizardButton.NextButton, "&Weiter >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< &Zurück")
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Fertigstellen")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Abbrechen")
        self.mode_page = ModePage()
        self.site_page = SitePage()
        self.admin_page = AdminPage()
        self.key_page = KeyPage(self.recovery_key)
        self.confirm_page = ConfirmPage(self.recovery_key, rng or random.SystemRandom())
        for page in (self.mode_page, self.site_page, self.admin_page, self.key_page, self.confirm_page):
            self.addPage(page)

    def request(self) -> store_setup.SetupRequest:
        return store_setup.SetupRequest(
            mode=self.mode_page.mode, site=self.mode_page.site, letterhead=self.site_page.letterhead(),
            admin_username=self.admin_page.username.text().strip().lower(),
            admin_display_name=self.admin_page.display_name.text().strip(),
            admin_password=self.admin_page.password.text(), kdf=self._kdf)

    def create(self) -> None:
        """Create the store in a worker (Argon2 takes a moment), then sign the admin in."""
        request = self.request()

        def work(_progress, _cancelled) -> tuple[Store, CurrentUser]:
            if not self.paths.exists():  # a retry after a failed sign-in must not create twice
                store_setup.create_store(self.paths, request, recovery_key=self.recovery_key,
                                         store_id=self.store_id, server=self.mode_page.server_url)
            return login.unlock(self.paths, request.admin_username, request.admin_password)

        what = "auf dem Datenbankserver" if self.mode_page.server_url else "verschlüsselt"
        self.store, self.user = run_blocking(self, f"Der Datenbestand wird {what} angelegt…", work)

    @classmethod
    def ask(cls, paths: DataPaths, parent: QWidget | None = None) -> tuple[Store, CurrentUser] | None:
        wizard = cls(paths, parent)
        if modal.accepted(wizard) and wizard.store is not None and wizard.user is not None:
            return wizard.store, wizard.user
        return None
