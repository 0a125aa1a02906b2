"""Forms from forms/ and keyboard/screen-reader basics: every control is named, has a mnemonic or a label."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from whh_desktop.core.store.models import Role
from whh_desktop.resources import form
from whh_desktop.ui import forms
from whh_desktop.ui.dialogs.about import AboutDialog
from whh_desktop.ui.dialogs.account_dialog import AccountDialog, RoleDialog
from whh_desktop.ui.dialogs.change_password import ChangePasswordDialog
from whh_desktop.ui.dialogs.login import LoginDialog
from whh_desktop.ui.dialogs.recovery import RecoveryDialog
from whh_desktop.ui.dialogs.setup_wizard import SetupWizard

FORM_FILES = sorted(p.name for p in form("letterhead.ui").parent.glob("*.ui"))


@pytest.mark.parametrize("name", FORM_FILES)
def test_every_form_loads_with_the_names_the_code_needs(qtbot, name) -> None:
    widget = forms.load_form(name)
    qtbot.addWidget(widget)
    assert forms.missing_names(name, widget) == []


def test_every_required_form_exists() -> None:
    assert set(forms.REQUIRED) <= set(FORM_FILES)


def test_the_intake_dialog_only_looks_up_required_names() -> None:
    from whh_desktop.ui.dialogs.intake import WIDGETS

    assert set(WIDGETS) <= set(forms.REQUIRED["intake.ui"])


def inside(widget: QWidget, kinds: tuple[type, ...]) -> bool:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parent()
    return False


def unnamed_controls(root: QWidget) -> list[str]:
    """Inputs without an accessible name, buttons without text or name."""
    missing = []
    for widget in root.findChildren(QWidget):
        if inside(widget, (QAbstractSpinBox, QComboBox, QAbstractItemView)):
            continue  # parts of a spin box, combo box or table (editor, popup list, header, corner button)
        if isinstance(widget, (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)):
            if not widget.accessibleName():
                missing.append(f"{type(widget).__name__} {widget.objectName()}")
        elif isinstance(widget, QAbstractButton) and not (widget.text() or widget.accessibleName()):
            if widget.objectName().startswith("qt_") or not widget.isVisibleTo(root):
                continue
            missing.append(f"{type(widget).__name__} {widget.objectName()}")
    return missing


def labels_without_buddy(root: QWidget) -> list[str]:
    """Form labels with a mnemonic must point at their field."""
    return [label.text() for label in root.findChildren(QLabel)
            if "&" in label.text().replace("&&", "") and label.buddy() is None]


def forms_without_mnemonic(root: QWidget) -> list[str]:
    missing = []
    for layout in root.findChildren(QFormLayout):
        for row in range(layout.rowCount()):
            label_item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = layout.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if not label_item or not field_item or not isinstance(label_item.widget(), QLabel):
                continue
            field, text = field_item.widget(), label_item.widget().text()
            if isinstance(field, (QLineEdit, QComboBox, QAbstractSpinBox)) and text and "&" not in text:
                missing.append(text)
    return missing


def check(root: QWidget) -> None:
    assert unnamed_controls(root) == []
    assert labels_without_buddy(root) == []
    assert forms_without_mnemonic(root) == []


def test_main_window_and_administration_are_accessible(window) -> None:
    for label in ("Konten", "Einstellungen", "Datensicherung", "Protokoll"):
        window.show_area("Verwaltung").show_tab(label)
    check(window)
    for action in window.findChildren(type(window.lock_action)):
        if action.text() and not action.isSeparator() and action.menu() is None:
            assert "&" in action.text() or action.objectName().startswith("action_area_"), action.text()


@pytest.mark.parametrize("make", [
    lambda paths, store, user: LoginDialog(paths),
    lambda paths, store, user: RecoveryDialog(paths, "a.becker"),
    lambda paths, store, user: ChangePasswordDialog(store, user),
    lambda paths, store, user: AccountDialog([Role.BERATUNG, Role.ADMIN], lambda value: None),
    lambda paths, store, user: RoleDialog("Birgit Schulz", [Role.BERATUNG, Role.ADMIN], Role.BERATUNG),
    lambda paths, store, user: AboutDialog(store),
], ids=["login", "recovery", "password", "account", "role", "about"])
def test_dialogs_are_accessible(qtbot, site_paths, unlocked, make) -> None:
    store, user = unlocked
    dialog = make(site_paths, store, user)
    qtbot.addWidget(dialog)
    dialog.show()
    check(dialog)


def test_wizard_pages_are_accessible(qtbot, tmp_path) -> None:
    from whh_desktop.paths import DataPaths

    wizard = SetupWizard(DataPaths(tmp_path / "d"))
    qtbot.addWidget(wizard)
    wizard.show()
    for page in (wizard.mode_page, wizard.site_page, wizard.admin_page, wizard.key_page, wizard.confirm_page):
        check(page)
    assert all(b.accessibleName() for b in wizard.mode_page.group.buttons())
