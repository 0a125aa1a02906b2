"""Kölner Phonetik (Postel 1969): a phonetic key for German names, so Meier, Mayer and Maier meet.

Input is folded first (``text.fold``): umlauts and diacritics become their base letters, so Łukasz and Lukasz get
the same key. Each word of a name gets its own code; ``name_key`` joins them with spaces.
"""

from __future__ import annotations

from functools import lru_cache

from whh_desktop.core.domain.text import fold

_SIMPLE = {
    **dict.fromkeys("aeijouy", "0"), "b": "1", "f": "3", "v": "3", "w": "3",
    **dict.fromkeys("gkq", "4"), "l": "5", "m": "6", "n": "6", "r": "7", "s": "8", "z": "8",
}


def _letter_code(word: str, i: int) -> str:
    ch = word[i]
    prev = word[i - 1] if i > 0 else ""
    nxt = word[i + 1] if i + 1 < len(word) else ""
    if ch == "h":
        return ""
    if ch == "p":
        return "3" if nxt == "h" else "1"
    if ch in "dt":
        return "8" if nxt in ("c", "s", "z") and nxt else "2"
    if ch == "c":
        if i == 0:
            return "4" if nxt and nxt in "ahkloqrux" else "8"
        return "4" if nxt and nxt in "ahkoqux" and prev not in ("s", "z") else "8"
    if ch == "x":
        return "8" if prev and prev in "ckq" else "48"
    return _SIMPLE.get(ch, "")


@lru_cache(maxsize=65536)
def cologne(word: str) -> str:
    """Code of one word: letter codes, repeated codes collapsed, zeros dropped except at the start."""
    letters = "".join(ch for ch in fold(word) if "a" <= ch <= "z")
    if not letters:
        return ""
    raw = "".join(_letter_code(letters, i) for i in range(len(letters)))
    collapsed = [c for i, c in enumerate(raw) if i == 0 or c != raw[i - 1]]
    return "".join(c for i, c in enumerate(collapsed) if c != "0" or i == 0)


def name_key(name: str) -> str:
    """Phonetic key of a whole name, word by word: ``name_key("Meier-Schulz") == "67 858"``."""
    return " ".join(code for code in (cologne(w) for w in fold(name).split()) if code)
