"""The UI's formatting module only passes the one core implementation on (no copy of its own)."""

from __future__ import annotations

from whh_desktop.core.domain import formatting
from whh_desktop.ui import formatting as ui_formatting


def test_the_ui_module_only_passes_the_core_functions_on() -> None:
    assert ui_formatting.fmt_date is formatting.fmt_date
    assert ui_formatting.fmt_datetime is formatting.fmt_datetime
    assert ui_formatting.fmt_size is formatting.fmt_size
