"""German everywhere a user looks: walk the main window's areas and the case file offscreen on a demo store and
scan every visible text (labels, buttons, tabs, combo box items, list and table cells) for identifiers: snake_case
keys and stored enum values that have a German label."""

from __future__ import annotations

import re
from enum import Enum

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QTabWidget,
    QWidget,
)

from tests.conftest import ADMIN, ADMIN_PASSWORD, COUNSELLOR, COUNSELLOR_PASSWORD
from tests.core.test_data_report import _full_case
from tests.ui.conftest import open_window
from whh_desktop.core.demo import fill_demo
from whh_desktop.core.domain import enums, housing, labels
from whh_desktop.core.domain import letter_catalogue as catalogue
from whh_desktop.core.services import login
from whh_desktop.core.store.models import applications
from whh_desktop.ui.case_file.workspace import CaseWorkspace

SNAKE = re.compile(r"(?<![\w./@\\-])[a-z]+_[a-z0-9_]+(?![\w.@/\\-])")
MAX_ROWS = 60


def _keys_with_labels() -> set[str]:
    """Stored values that must never be shown as they are (their label differs)."""
    keys = set(labels.DOCUMENT_KINDS) | {t.code for t in catalogue.CATALOGUE} | {"draft", "open", "closed"}
    german: set[str] = set()
    for module in (enums, housing, applications):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Enum) and hasattr(value, "label"):
                keys |= {m.value for m in value if m.value != m.label and not m.value.isdigit()}
                german |= {m.label for m in value}
    return keys - german  # »aktiv« is a key of one enum and the German label of another


KEYS = _keys_with_labels()


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for everything a user can read in ``root`` and its visible children."""
    out: list[tuple[str, str]] = []
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisibleTo(root):
            continue
        name = w.objectName() or type(w).__name__
        if isinstance(w, QLabel):
            out.append((name, re.sub(r"<[^>]+>", " ", w.text())))
        elif isinstance(w, QAbstractButton | QGroupBox):
            out.append((name, w.text() if not isinstance(w, QGroupBox) else w.title()))
        elif isinstance(w, QComboBox):
            out += [(name, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QTabWidget):
            out += [(name, w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model, top = w.model(), QModelIndex()
            try:
                columns = model.columnCount(top)
            except TypeError:  # a list model keeps its column count private: one column
                columns = 1
            for col in range(columns):
                out.append((name, str(model.headerData(col, Qt.Orientation.Horizontal) or "")))
            for row in range(min(model.rowCount(top), MAX_ROWS)):
                for col in range(columns):
                    value = model.data(model.index(row, col))
                    out.append((name, "" if value is None else str(value)))
    return out


def identifiers(root: QWidget) -> list[tuple[str, str]]:
    bad = []
    for where, text in visible_texts(root):
        if SNAKE.search(text) or text.strip() in KEYS:
            bad.append((where, text))
    return bad


def _walk_areas(win) -> list[tuple[str, str]]:
    bad = []
    for row in range(win.nav.count()):
        win.nav.setCurrentRow(row)
        QApplication.processEvents()
        tabs = win.pages.currentWidget().findChildren(QTabWidget)
        for tab in tabs or [None]:
            for index in range(tab.count() if tab else 1):
                if tab:
                    tab.setCurrentIndex(index)
                    QApplication.processEvents()
                bad += [(f"{win.nav.item(row).text()} › {w}", t) for w, t in identifiers(win)]
    return bad


@pytest.fixture
def demo_store(site_paths):
    store, user = login.unlock(site_paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    fill_demo(store, user.username, 40, seed=11)
    case_id, _ = _full_case(store, user)
    store.close()
    return site_paths, case_id


def test_no_identifier_in_any_area_of_the_counsellor(qtbot, demo_store) -> None:
    paths, case_id = demo_store
    win = open_window(qtbot, paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    try:
        assert _walk_areas(win) == []
        dialog = CaseWorkspace(win.store, win.user, case_id)
        qtbot.addWidget(dialog)
        dialog.show()
        bad, texts = [], ""
        for part, name in enumerate(dialog.part_names()):
            dialog.select_part(part)
            QApplication.processEvents()
            bad += [(f"Fallakte › {name} › {w}", t) for w, t in identifiers(dialog)]
            texts += " ".join(t for _, t in visible_texts(dialog))
            for tab in dialog.stack.currentWidget().findChildren(QTabWidget):
                for index in range(tab.count()):
                    tab.setCurrentIndex(index)
                    QApplication.processEvents()
                    bad += [(f"Fallakte › {name} › {tab.tabText(index)} › {w}", t) for w, t in identifiers(dialog)]
        assert bad == []
        assert "Brief" in texts and "Birgit Schulz" in texts  # document kind and staff by their German names
    finally:
        win.close()
        win.store.close()


def test_no_identifier_in_the_admin_areas_and_protocol(qtbot, demo_store) -> None:
    paths, _ = demo_store
    win = open_window(qtbot, paths, ADMIN, ADMIN_PASSWORD)
    try:
        assert _walk_areas(win) == []
    finally:
        win.close()
        win.store.close()


def test_every_audit_action_written_has_a_german_label() -> None:
    """Scan the sources for the actions given to ``audit.append`` (literally, through a variable or an f-string
    over an enum) and for the main window's lock events."""
    import ast
    from pathlib import Path

    import whh_desktop
    from whh_desktop.core.domain.housing import ProposalStep

    root = Path(whh_desktop.__file__).parent
    actions: set[str] = set()
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text("utf-8"))
        assigned = {n.value.value for n in ast.walk(tree) if isinstance(n, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "action" for t in n.targets)
                    and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "append" and isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "audit" \
                    and len(node.args) >= 3:
                arg = node.args[2]
                if isinstance(arg, ast.Constant):
                    actions.add(arg.value)
                elif isinstance(arg, ast.Name) and arg.id == "action":
                    actions |= assigned
            if name == "_audit" and node.args and isinstance(node.args[0], ast.Constant):
                actions.add(node.args[0].value)
    actions |= {f"proposal_{s.value}" for s in ProposalStep if s is not ProposalStep.VORGESCHLAGEN}
    actions |= {f"duplicate_{d}{u}" for d in ("linked", "dismissed") for u in ("", "_undone")}
    assert len(actions) > 60
    assert sorted(a for a in actions if a not in labels.AUDIT_ACTIONS) == []


def test_labels_fall_back_to_words_never_to_keys() -> None:
    assert labels.audit_action("new_future_action") == "new future action"
    assert labels.export_count("household_members") == "Haushaltsmitglieder"
    assert labels.document_kind("letter") == "Brief"
    assert labels.letter_type("jc_mietschulden").startswith("Antrag auf Übernahme von Mietschulden")
    assert labels.audit_detail("letter_printed", "jc_mietschulden ohne Einwilligung").endswith("(ohne Einwilligung)")
    assert labels.audit_detail("application_added", "sgb2_22_8") == "Mietschulden (§ 22 Abs. 8 SGB II)"
    assert labels.audit_detail("document_added", "scan") == "Datei/Scan"
    assert labels.of(enums.Sex, "maennlich") == "männlich" and labels.of(enums.Sex, None) == ""
