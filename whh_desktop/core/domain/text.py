"""One fold function for search index and query, and a German sort key (DESIGN.md §10, Search).

Fold: lower case, diacritics stripped, ß → ss, and the German transliterations ae/oe/ue collapsed to a/o/u, so
Müller, Mueller and Muller meet; Łukasz meets Lukasz. Sort key: DIN 5007-1 (ä sorts with a).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that NFKD does not decompose into base + combining mark.
_SPECIAL = str.maketrans({
    "ß": "ss", "ẞ": "ss", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae",
    "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "ð": "d", "ħ": "h",
})
_TRANSLIT = re.compile(r"(?<=[a-z])([aou])e")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)  # names repeat: search typing and bulk indexing fold the same words again and again
def fold(text: str) -> str:
    """Search form of a text: ``fold("Müller") == fold("Mueller") == fold("Muller") == "muller"``."""
    plain = strip_diacritics(text).casefold().translate(_SPECIAL)
    plain = _TRANSLIT.sub(r"\1", plain)
    return _NON_WORD.sub(" ", plain).strip()


def sort_key(*parts: str) -> str:
    """German dictionary order (DIN 5007-1): umlauts sort as their base letter, case ignored."""
    return "\x1f".join(strip_diacritics(p).casefold() for p in parts)
