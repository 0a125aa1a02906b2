"""The UI's formatting module only passes the one core implementation on (no copy of its own)."""

from __future__ import annotations

from whh_desktop.core.domain import formatting
from whh_desktop.ui import formatting as ui_formatting


def test_the_ui_module_only_passes_the_core_functions_on() -> None:
    assert ui_formatting.__all__
    for name in ui_formatting.__all__:
        assert getattr(ui_formatting, name) is getattr(formatting, name), name
    own = [name for name, value in vars(ui_formatting).items()
           if callable(value) and getattr(value, "__module__", "") == ui_formatting.__name__]
    assert own == []  # nothing formatted here
