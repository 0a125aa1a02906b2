"""Re-export only: the German display formats live in ``core/domain/formatting.py`` (one implementation for UI,
letters, reports and CLI). No Qt-specific formatting is left here; UI modules import these names from this module
until their import lines are switched to the core module."""

from __future__ import annotations

from whh_desktop.core.domain.formatting import (
    DASH,
    fmt_count,
    fmt_date,
    fmt_datetime,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_size,
    long_date,
)

__all__ = ["DASH", "fmt_count", "fmt_date", "fmt_datetime", "fmt_money", "fmt_number", "fmt_percent", "fmt_size",
           "long_date"]
