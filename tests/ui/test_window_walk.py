"""Runs the window walk (tests/ui/window_walk.py) at 1366×768, 100 % and 150 %, in child processes: the offscreen
screen's size and QT_SCALE_FACTOR are read when the QApplication starts. Also checks that every dialog class under
whh_desktop.ui has an entry in the walk's registry, so a new dialog cannot slip past it."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

import whh_desktop.ui
from tests.ui.window_walk import ABSTRACT, class_key, dialog_key, registry

ROOT = Path(__file__).resolve().parents[2]


def dialog_classes() -> set[type]:
    found: set[type] = set()
    for info in pkgutil.walk_packages(whh_desktop.ui.__path__, "whh_desktop.ui."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__ == module.__name__:
                found.add(cls)
    return found


def test_every_dialog_is_walked() -> None:
    names = {dialog_key(cls) for cls in dialog_classes()} - ABSTRACT
    assert names, "no dialog classes found under whh_desktop.ui"
    walked = {class_key(name) for name in registry()}
    missing = sorted(names - walked)
    assert not missing, f"Dialoge ohne Eintrag in tests/ui/window_walk.py: {missing}"
    stale = sorted(walked - names)
    assert not stale, f"Einträge ohne Dialog: {stale}"


@pytest.mark.slow
@pytest.mark.parametrize("scale", ["1", "1.5"], ids=["100", "150"])
def test_window_walk(tmp_path, scale) -> None:
    screen = tmp_path / "screen.json"
    screen.write_text(json.dumps({"screens": [{"name": "walk", "x": 0, "y": 0, "width": 1366, "height": 768,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "QT_SCALE_FACTOR": scale}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--tb=short",
                          "tests/ui/window_walk.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, f"Fensterrundgang bei {float(scale):.0%}:\n{run.stdout[-12000:]}{run.stderr[-2000:]}"


def test_the_checks_catch_what_they_name(qtbot) -> None:
    """A window built wrong on purpose: two Alt+N, a cut button, the focus in the second field."""
    from PySide6.QtWidgets import QFormLayout, QLineEdit, QPushButton

    from tests.ui.window_walk import focus_problem, mnemonic_clashes, overflows, show

    dialog = QDialog()
    form = QFormLayout(dialog)
    first, second = QLineEdit(), QLineEdit()
    form.addRow("&Name", first)
    form.addRow("&Notiz", second)
    cut = QPushButton("Widerspruchsbescheid erfassen…")
    cut.setFixedWidth(60)
    form.addRow(cut)
    show(qtbot, dialog)
    second.setFocus()
    assert mnemonic_clashes(dialog) == ["Alt+N: Name | Notiz"]
    assert [p for p in overflows(dialog) if "Widerspruchsbescheid" in p]
    assert focus_problem(dialog)
    first.setFocus()
    assert not focus_problem(dialog)
