"""Dates, amounts, counts and decimals are formatted in one place (issue 12): no module keeps a copy of its own."""

from __future__ import annotations

import re
from pathlib import Path

import whh_desktop

ROOT = Path(whh_desktop.__file__).parent
HOME = ROOT / "core" / "domain" / "formatting.py"

# What a hand-made German format looks like; each has its function in core/domain/formatting.py.
COPIES = {
    "date pattern": re.compile(r"%d\.%m\.%Y|:%d\.%m"),
    "thousands point": re.compile(r""":,\}"?\)?\.replace\(",", "\."\)"""),
    "decimal comma": re.compile(r""":g\}"?\)?\.replace\("\.", ","\)"""),
    "amount without unit": re.compile(r"""(removesuffix|replace)\(" €\""""),
    "month names": re.compile(r""""Januar", "Februar\""""),
}


def test_no_module_formats_by_hand() -> None:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        if path == HOME:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for what, pattern in COPIES.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {what}")
    assert found == []


def test_the_patterns_find_what_they_look_for() -> None:
    samples = {"date pattern": 'f"{day:%d.%m.%Y}"', "thousands point": 'f"{n:,}".replace(",", ".")',
               "decimal comma": 'f"{x:g}".replace(".", ",")', "amount without unit": 'text.removesuffix(" €")',
               "month names": 'MONTHS = ("Januar", "Februar", "März")'}
    for what, sample in samples.items():
        assert COPIES[what].search(sample), what
