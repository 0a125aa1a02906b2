"""COPY text of the bulk load (issue 20): what PostgreSQL reads back is exactly the values written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.store.bulk_load import copy_text

_UNESCAPE = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


def read_back(text: str) -> list[tuple[str | None, ...]]:
    """COPY's text format as PostgreSQL parses it (the escapes copy_text writes)."""
    assert text.endswith("\n")
    rows = []
    for line in text[:-1].split("\n"):
        values: list[str | None] = []
        for field in line.split("\t"):
            if field == r"\N":
                values.append(None)
                continue
            out, i = [], 0
            while i < len(field):
                if field[i] == "\\":
                    out.append(_UNESCAPE[field[i + 1]])
                    i += 2
                else:
                    out.append(field[i])
                    i += 1
            values.append("".join(out))
        rows.append(tuple(values))
    return rows


def test_plain_rows_and_nulls() -> None:
    rows = [("a", 1, None, "Müller"), ("b", 0, "x", None)]
    assert copy_text(rows, 4) == "a\t1\t\\N\tMüller\nb\t0\tx\t\\N\n"


def test_backslashes_tabs_and_line_breaks_are_escaped() -> None:
    rows = [('{"a": "\\u00e4"}', "tab\there", None), ("line\nbreak", "cr\r", "\\N")]
    assert read_back(copy_text(rows, 3)) == rows  # a literal "\N" text stays text, not NULL


@given(st.lists(st.tuples(st.none() | st.text(), st.none() | st.text(), st.integers()), min_size=1, max_size=20))
def test_any_values_read_back_unchanged(rows: list[tuple[str | None, str | None, int]]) -> None:
    got = read_back(copy_text(rows, 3))
    assert got == [(a, b, str(n)) for a, b, n in rows]
