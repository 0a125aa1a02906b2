"""German display formats (DESIGN.md §6): dates TT.MM.JJJJ, sizes with a decimal comma."""

from __future__ import annotations

from datetime import date, datetime


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = _local(value)
    return value.strftime("%d.%m.%Y")


def fmt_datetime(value: datetime | None, seconds: bool = False) -> str:
    if value is None:
        return "–"
    return _local(value).strftime("%d.%m.%Y %H:%M:%S" if seconds else "%d.%m.%Y %H:%M")


def fmt_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1_048_576:.1f} MB".replace(".", ",")


def _local(value: datetime) -> datetime:
    # Naive datetimes from the store are UTC.
    from datetime import UTC

    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone()
