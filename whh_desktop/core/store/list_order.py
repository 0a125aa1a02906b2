"""Search-row ids in the case list's order, so a search reads its first page without sorting every hit.

A search row's id (``search_docs.id``, the rowid of its ``search_fts`` body) is ``FLAG | group << SLOT_BITS | slot``:
``group`` encodes the first ``GROUP_CHARS`` characters of the row's German sort key, order-preserving, and ``slot``
tells rows of one group apart. A full-text index hands its hits out in id order, so a query can stop after the
first page instead of collecting and sorting 100 000 hits of "mu": every hit of a smaller group sorts before every
hit of a larger one. Only rows of one group need sorting among themselves (by sort key and case number), which
``first_in_order`` does for the one group that a page boundary cuts.

The encoding maps each character to one of 32 symbols, never decreasing with the code point: the end of the key
(0) sorts first, letters a–z and the name separator have a symbol of their own, and the rest share a few class
symbols. After a shared symbol the group stops (the rest is zero): two keys with the same class symbol can differ
in either direction there, so the group must not tell them apart by what follows. The sort key changing group
(a rename) gives the row a new id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from whh_desktop.core.domain.formatting import plural
from whh_desktop.core.errors import WhhError

GROUP_CHARS = 9
SLOT_BITS = 16  # 65 536 rows per group ("muller\x1fan": all Müllers with given names beginning "An")
FLAG = 1 << 61  # every id carries it: never one of the small sequential ids of schema 16 and earlier
_SYMBOL_BITS = 5


def _symbol(ch: str) -> tuple[int, bool]:
    """(symbol, exact): exact symbols stand for one character only."""
    code = ord(ch)
    if code < 0x1F:
        return 1, False
    if code == 0x1F:  # sort_key's separator between family and given names
        return 2, True
    if code == 0x20:
        return 3, True
    if code < 0x61:  # punctuation, hyphen, digits (sort keys are case-folded)
        return 4, False
    if code <= 0x7A:
        return code - 0x61 + 5, True  # a = 5 … z = 30
    return 31, False


def group(sort_key: str) -> int:
    value, open_ = 0, True
    for i in range(GROUP_CHARS):
        symbol = 0
        if open_ and i < len(sort_key):
            symbol, open_ = _symbol(sort_key[i])
        elif open_:
            open_ = False  # the key ended: zeros follow, as for a class symbol
        value = value << _SYMBOL_BITS | symbol
    return value


def bounds(group_value: int) -> tuple[int, int]:
    """The smallest and largest id of a group."""
    low = FLAG | group_value << SLOT_BITS
    return low, low + (1 << SLOT_BITS) - 1


class GroupFull(WhhError):
    """More search rows than one group has slots: the store is not changed (the transaction rolls back)."""

    def __init__(self, sort_key: str) -> None:
        first = sort_key[:GROUP_CHARS].replace("\x1f", ", ")
        super().__init__(f"Mehr als {plural(1 << SLOT_BITS, 'Fall', 'Fälle')} beginnen mit denselben Namensbuchstaben "
                         f"(»{first}«); die Fallliste kann keinen weiteren einordnen. Es wurde nichts gespeichert. "
                         "Bitte die Betreuung von WHH Desktop verständigen.")


def group_of_id(doc_id: int) -> int:
    return (doc_id & ~FLAG) >> SLOT_BITS


def same_group(doc_id: int, sort_key: str) -> bool:
    return doc_id & FLAG != 0 and group_of_id(doc_id) == group(sort_key)


Query = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]  # "?" SQL and parameters → rows


class DocIds:
    """Hands out new search-row ids within one write transaction: the next slot after the group's highest id,
    remembered for the rows not written yet; a group whose top slot is taken gets its lowest free one."""

    def __init__(self, query: Query) -> None:
        self._query = query
        self._next: dict[int, int] = {}
        self._given: set[int] = set()

    def new_id(self, sort_key: str) -> int:
        low, high = bounds(group(sort_key))
        following = self._next.get(low)
        if following is None:
            top = self._query("SELECT MAX(id) FROM search_docs WHERE id BETWEEN ? AND ?", (low, high))[0][0]
            following = low if top is None else int(top) + 1
        if following <= high:
            self._next[low] = following + 1
            chosen = following
        else:
            used = {int(r[0]) for r in self._query("SELECT id FROM search_docs WHERE id BETWEEN ? AND ?",
                                                   (low, high))} | self._given
            chosen = next((i for i in range(low, high + 1) if i not in used), -1)
            if chosen < 0:
                raise GroupFull(sort_key)
            self._next[low] = high + 1
        self._given.add(chosen)
        return chosen


def first_in_order(fetch: Callable[[int | None, tuple[int, int] | None], Sequence[Any]], limit: int | None,
                   offset: int = 0) -> list[Any]:
    """Rows ``offset … offset + limit`` in the list's exact order (sort key, case number) of a query that returns
    its rows in id order. ``fetch(n, bounds)`` runs it: at most ``n`` rows (all when None), only ids within
    ``bounds`` when given. Reads the first ``offset + limit`` rows and the rest of the last one's group."""
    wanted = offset + limit if limit else None
    found = list(fetch(wanted, None))
    if wanted is not None and len(found) >= wanted:
        low, high = bounds(group_of_id(found[-1].doc))
        found = [r for r in found if r.doc < low] + list(fetch(None, (low, high)))
    found.sort(key=lambda r: (r.sort_key, r.case_number))
    return found[offset:wanted]
