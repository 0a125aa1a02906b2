"""Password rules (DESIGN.md §10: at least 12 characters, not a common password) and a strength hint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from whh_desktop.resources import resource

MIN_LENGTH = 12
_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


@cache
def _common() -> frozenset[str]:
    lines = resource("data", "common-passwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class Strength:
    score: int  # 0..4
    label: str
    problems: tuple[str, ...]

    @property
    def acceptable(self) -> bool:
        return not self.problems


_LABELS = ("sehr schwach", "schwach", "mittel", "gut", "sehr gut")


def assess(password: str, username: str = "") -> Strength:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"mindestens {MIN_LENGTH} Zeichen (bisher {len(password)})")
    folded = password.casefold()
    if folded in _common() or re.sub(r"\d+$", "", folded) in _common():
        problems.append("kein häufig benutztes Passwort")
    if username and len(username) >= 3 and username.casefold() in folded:
        problems.append("darf den Benutzernamen nicht enthalten")
    if len(set(password)) < 5 and password:
        problems.append("zu viele gleiche Zeichen")
    classes = sum(bool(re.search(p, password)) for p in (r"[a-zäöüß]", r"[A-ZÄÖÜ]", r"\d", r"[^\w\s]|_", r"\s"))
    score = 0
    if not problems:
        score = 2 + (len(password) >= 16) + (classes >= 3 or len(password) >= 20)
    elif len(password) >= 8:
        score = 1
    return Strength(min(score, 4), _LABELS[min(score, 4)], tuple(problems))


def problem_text(strength: Strength) -> str:
    return "Das Passwort braucht: " + "; ".join(strength.problems) + "."


def check_username(username: str) -> str | None:
    """German message when the login name is not acceptable, else None."""
    if not _USERNAME_RE.match(username):
        return ("Der Benutzername hat 2 bis 32 Zeichen: Kleinbuchstaben a–z, Ziffern, Punkt, Binde- oder "
                "Unterstrich, ohne Umlaute (z. B. »a.becker«).")
    return None
