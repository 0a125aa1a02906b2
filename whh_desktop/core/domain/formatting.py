"""German display formats (DESIGN.md §6), the one implementation for the UI, letters, reports and the CLI.

Dates TT.MM.JJJJ (moments in local time), "24. November 2026" in the text of a letter, amounts in cents shown as
``1.234,56 €``, counts with a thousands point, decimals with a comma. Callers that need a variant say so with a
parameter (an empty text instead of "–", an amount without "€" for CSV), never with a copy of their own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

DASH = "–"  # shown where a value is missing in a table or a form
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")
_KIB, _MIB, _GIB = 1024, 1_048_576, 1_073_741_824


def local(moment: datetime) -> datetime:
    """A stored moment in the local time zone; naive datetimes from the store are UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone()


def fmt_date(value: date | datetime | None, empty: str = DASH) -> str:
    """``31.01.2026``; a moment is shown on its local calendar day."""
    if value is None:
        return empty
    if isinstance(value, datetime):
        value = local(value)
    return value.strftime("%d.%m.%Y")


def fmt_datetime(value: datetime | None, seconds: bool = False, empty: str = DASH) -> str:
    """``31.01.2026 14:05`` in local time (``:07`` seconds when asked)."""
    if value is None:
        return empty
    return local(value).strftime("%d.%m.%Y %H:%M:%S" if seconds else "%d.%m.%Y %H:%M")


def fmt_time(value: datetime) -> str:
    """``14:05`` in local time (a moment of today, e.g. when a draft was saved)."""
    return local(value).strftime("%H:%M")


def long_date(day: date | None) -> str:
    """``24. November 2026`` (in the text of a letter); empty for no date."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}" if day else ""


def fmt_count(n: int) -> str:
    """``12345`` → ``12.345``."""
    return f"{n:,}".replace(",", ".")


def fmt_money(cents: int | None, *, unit: bool = True, thousands: bool = True, empty: str = "") -> str:
    """``123456`` → ``1.234,56 €``; ``unit=False`` drops " €", ``thousands=False`` the point (``1234,56`` for CSV),
    ``empty`` is shown for no amount. Integer cents only: never a float on the way."""
    if cents is None:
        return empty
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    text = f"{sign}{fmt_count(euros) if thousands else euros},{rest:02d}"
    return text + " €" if unit else text


def fmt_percent(hundredths: int, *, unit: bool = True) -> str:
    """Hundredths of a percent: ``1234`` → ``12,34 %``."""
    sign = "-" if hundredths < 0 else ""
    whole, rest = divmod(abs(hundredths), 100)
    return f"{sign}{whole},{rest:02d}" + (" %" if unit else "")


def fmt_number(value: float, decimals: int | None = None, *, trim: bool = True) -> str:
    """A decimal with a comma: ``2.5`` → ``2,5``, ``3.0`` → ``3``. ``decimals`` rounds first; ``trim=False`` keeps
    the zeros it leaves (``2,0``)."""
    if decimals is None:
        text = f"{value:g}"
    else:
        text = f"{value:.{decimals}f}"
        if trim and "." in text:
            text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def fmt_size(size: int, *, smallest: str = "KB", largest: str = "MB") -> str:
    """A file size: KB below 1 MB (when ``smallest`` is "KB"), else MB with one decimal; GB from 10 GB on when
    ``largest`` is "GB"."""
    if smallest == "KB" and size < _MIB:
        return f"{max(1, round(size / _KIB))} KB"
    if largest == "GB" and size >= 10 * _GIB:
        return fmt_number(size / _GIB, 1, trim=False) + " GB"
    return fmt_number(size / _MIB, 1, trim=False) + " MB"


def plural(n: int, one: str, many: str) -> str:
    """A count with its noun in the right number: ``plural(1, "Minute", "Minuten")`` → ``1 Minute``, ``2 Minuten``
    (0 is plural in German); the count gets a thousands point."""
    return f"{fmt_count(n)} {one if n == 1 else many}"


def days_ago(days: int) -> str:
    """``heute``, ``vor 1 Tag``, ``vor 2 Tagen``; a moment in the future (clock skew) counts as today."""
    if days <= 0:
        return "heute"
    return f"vor {plural(days, 'Tag', 'Tagen')}"


def in_seconds(seconds: int) -> str:
    """``in 1 Sekunde``, ``in 30 Sekunden``."""
    return f"in {plural(seconds, 'Sekunde', 'Sekunden')}"


def ask(prefix: str, messages: list[str] | tuple[str, ...], sep: str = " ") -> str:
    """Messages under a heading such as "Bitte prüfen:"; when the first message already asks ("Bitte den Vornamen
    angeben."), the heading would double the "Bitte" and is left out."""
    text = sep.join(messages)
    return text if text.startswith("Bitte") else f"{prefix} {text}"
