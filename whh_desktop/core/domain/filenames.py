"""A safe file name from a title that came from elsewhere (a document title arrives in a bundle): the save dialog
suggests it, so it must never name another folder (``../``), a device or a hidden file."""

from __future__ import annotations

import re

MAX_NAME = 120
FALLBACK = "Dokument"
_SEPARATORS = re.compile(r"[/\\]+")
# Control characters, bidi overrides/isolates, zero-width characters (they hide or reorder what the user reads)
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\ufeff\u180e]")
_FORBIDDEN = re.compile(r'[:*?"<>|]')  # not allowed in Windows file names
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?\Z", re.IGNORECASE)


def safe_file_name(title: str, fallback: str = FALLBACK) -> str:
    """``title`` as one file name: path parts joined by ``_``, no ``.``/``..`` parts, no hidden or forbidden
    characters, no leading dots, no trailing dots or spaces, no Windows device name, at most ``MAX_NAME``
    characters; ``fallback`` when nothing is left."""
    text = _FORBIDDEN.sub("_", _HIDDEN.sub("", title or ""))
    parts = [p.strip() for p in _SEPARATORS.split(text)]
    name = "_".join(p for p in parts if p.strip(".")).lstrip(". ")
    name = name[:MAX_NAME].rstrip(". ")
    if not name:
        return fallback
    if _RESERVED.match(name):
        name += "_"
    return name
