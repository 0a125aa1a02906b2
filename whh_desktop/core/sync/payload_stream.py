"""The payload's byte layout and its bounded decoding (issue 10 point 6): no hostile bundle makes the reader hold
more than a few lines of JSON at a time.

Format 2 (written now) is a sequence of lines, each a tag, a tab and its content, in this order::

    M\t{meta: format, kind, site, store_id, epoch, sequence, full, for_site, ack}
    H\t{one handover without its documents}          then, per document of it:
    D\t<document uuid>\t<base64 bytes>
    E\t<entity>\t[rows …]                             at most ROWS_PER_LINE rows; one entity's lines together
    P\t[pseudonym entries …]

Every JSON line is at most ``MAX_LINE`` bytes and must be exactly what the writer (orjson, compact) produces for
the values it holds: a duplicate key, ``NaN``/``Infinity``, a lone surrogate or any other spelling is refused. Rows
are decoded line by line and handed on at once (the caller validates them into storage tuples), and the row count
of every section is held to the signed header's counts and to ``MAX_ROWS`` while reading, so a bundle that claims
few rows and carries a million is refused at the first row too many.

Format 1 (N−1, DESIGN.md §10) is one JSON document. It is read whole, so only up to ``FORMAT1_MAX_PAYLOAD``
bytes and ``FORMAT1_MAX_CONTAINERS`` objects/arrays (counted on the bytes before parsing), which bounds what the
parser can build; a larger one is refused with the advice to update the sender.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from whh_desktop.core.domain.formatting import fmt_count
from whh_desktop.core.errors import WhhError

FORMAT = 2
MAX_LINE = 4 * 1024 * 1024            # bytes of one JSON line
ROWS_PER_LINE = 2_000
MAX_ROWS = 400_000                    # rows + pseudonym entries + handovers of one bundle (20 000 cases ≈ 60 000)
MAX_DOCUMENT_LINE = 50 * 1024 * 1024 * 4 // 3 + 200
MAX_DOCUMENTS_TOTAL = 256 * 1024 * 1024  # base64 characters of all handover documents of one bundle
FORMAT1_MAX_PAYLOAD = 32 * 1024 * 1024
FORMAT1_MAX_CONTAINERS = 1_000_000
META_KEYS = ("format", "kind", "site", "store_id", "epoch", "sequence", "full", "for_site", "ack")
_TAB, _NL = b"\t", b"\n"
_PSEUDONYM_COUNTS = ("identified", "pseudonymous")


class StreamInvalid(WhhError):
    """The payload's layout or JSON is broken or exceeds a bound; the German message names it."""


def _refuse(why: str) -> StreamInvalid:
    return StreamInvalid(f"Der Inhalt des Pakets ist ungültig: {why}. Es wurde nichts übernommen.")


# ---- writing ------------------------------------------------------------------------------------------------------
def _json(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def _row_lines(prefix: bytes, rows: list[Any]) -> Iterator[bytes]:
    if not rows:  # an empty section is still a section: the reader checks its name like any other
        yield prefix + b"[]"
    for start in range(0, len(rows), ROWS_PER_LINE):
        yield from _fitting(prefix, rows[start:start + ROWS_PER_LINE])


def _fitting(prefix: bytes, rows: list[Any]) -> Iterator[bytes]:
    """One line for ``rows``, or halves until each fits ``MAX_LINE`` (long texts)."""
    line = prefix + _json(rows)
    if len(line) <= MAX_LINE:
        yield line
    elif len(rows) > 1:
        yield from _fitting(prefix, rows[:len(rows) // 2])
        yield from _fitting(prefix, rows[len(rows) // 2:])
    else:
        raise WhhError("Ein Datensatz ist zu groß für eine Exportdatei. Bitte den Support informieren.")


def encode(payload: Mapping[str, Any]) -> bytes:
    """The format-2 bytes of a payload given as the format-1 dict the exporter builds."""
    meta = {key: payload.get(key) for key in META_KEYS} | {"format": FORMAT}
    lines = [b"M\t" + _json(meta)]
    for h in payload.get("handovers") or ():
        lines.append(b"H\t" + _json({k: v for k, v in h.items() if k != "documents"}))
        for d in h.get("documents") or ():
            lines.append(b"D\t" + d["document_id"].encode("ascii") + _TAB + d["data"].encode("ascii"))
    for entity, rows in (payload.get("entities") or {}).items():
        lines += _row_lines(b"E\t" + entity.encode("ascii") + _TAB, rows)
    if payload.get("pseudonyms"):
        lines += _row_lines(b"P\t", payload["pseudonyms"])
    return _NL.join(lines) + _NL


def counts_of(payload: Mapping[str, Any]) -> dict[str, int]:
    """The header counts that match a payload dict (what the exporter records; for crafting bundles in tests)."""
    out = {e: len(rows) for e, rows in (payload.get("entities") or {}).items() if rows}
    entries = payload.get("pseudonyms") or []
    identified = sum(1 for e in entries if isinstance(e, dict) and e.get("identified") is True)
    if identified:
        out["identified"] = identified
    if len(entries) - identified:
        out["pseudonymous"] = len(entries) - identified
    if payload.get("handovers"):
        out["handovers"] = len(payload["handovers"])
    return out


# ---- reading ------------------------------------------------------------------------------------------------------
def _strict(raw: bytes | memoryview, where: str) -> Any:
    """orjson (refuses NaN/Infinity and lone surrogates), then the canonical check that refuses duplicate keys and
    every spelling our writer never produces."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise _refuse(f"{where}: kein gültiges JSON") from None
    try:
        same = _json(value) == bytes(raw)
    except (orjson.JSONEncodeError, TypeError):
        same = False
    if not same:
        raise _refuse(f"{where}: doppelte Schlüssel oder nicht erlaubte Schreibweise im JSON")
    return value


def lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Split decompressed chunks into lines, refusing any line longer than its tag allows before it is whole."""
    pending = bytearray()
    for chunk in chunks:
        pending += chunk
        start = 0
        while True:
            end = pending.find(_NL, start)
            if end < 0:
                break
            yield bytes(pending[start:end])
            start = end + 1
        del pending[:start]
        limit = MAX_DOCUMENT_LINE if pending[:2] == b"D\t" else MAX_LINE
        if len(pending) > limit:
            raise _refuse("eine Zeile ist unzulässig lang")
    if pending:
        raise _refuse("die letzte Zeile ist unvollständig")


@dataclass
class Budget:
    """Row counts held to the signed header while reading (``counts`` None: only ``MAX_ROWS``)."""

    counts: Mapping[str, int] | None
    seen: dict[str, int] = field(default_factory=dict)
    total: int = 0

    def __post_init__(self) -> None:
        if self.counts is not None and sum(self.counts.values()) > MAX_ROWS:
            raise _refuse(f"mehr als {fmt_count(MAX_ROWS)} Datensätze in einem Paket")

    def allowed(self, section: str) -> int | None:
        if self.counts is None:
            return None
        if section == "pseudonyms":
            return sum(int(self.counts.get(k, 0)) for k in _PSEUDONYM_COUNTS)
        return int(self.counts.get(section, 0))

    def take(self, section: str, n: int) -> None:
        self.seen[section] = self.seen.get(section, 0) + n
        self.total += n
        allowed = self.allowed(section)
        if self.total > MAX_ROWS or (allowed is not None and self.seen[section] > allowed):
            raise _refuse(f"{section}: mehr Datensätze als im Kopfteil angegeben")

    def finish(self) -> None:
        if self.counts is None:
            return
        for section in {*self.seen, *(k for k in self.counts if k not in _PSEUDONYM_COUNTS)}:
            if section in ("identified", "pseudonymous"):
                continue
            if self.seen.get(section, 0) != self.allowed(section):
                raise _refuse(f"{section}: Anzahl der Datensätze passt nicht zum Kopfteil")
        if self.allowed("pseudonyms") and "pseudonyms" not in self.seen:
            raise _refuse("pseudonyms: Anzahl der Datensätze passt nicht zum Kopfteil")


class Source:
    """The sections of a payload in reading order: ``meta``, then ``handovers()``, ``entities()`` (entity, rows),
    ``pseudonyms()``. Each is read once, in this order; rows are yielded one by one."""

    meta: dict[str, Any]

    def handovers(self) -> list[Any]:
        raise NotImplementedError

    def entities(self) -> Iterator[tuple[str, Iterator[Any]]]:
        raise NotImplementedError

    def pseudonyms(self) -> Iterator[Any]:
        raise NotImplementedError

    def finish(self) -> None:
        """Called after the last section: nothing may follow, and the counts must match the header."""


class _Lines(Source):
    def __init__(self, it: Iterator[bytes], budget: Budget) -> None:
        self._it = it
        self._budget = budget
        self._next: bytes | None = None
        self._seen_entities: set[str] = set()
        self._documents = 0
        first = self._pop()
        if first is None or first[:2] != b"M\t":
            raise _refuse("der Kopf des Inhalts fehlt")
        meta = _strict(memoryview(first)[2:], "Kopf")
        if type(meta) is not dict or set(meta) != set(META_KEYS) or meta["format"] == FORMAT - 1:
            raise _refuse("Kopf des Inhalts: falscher Aufbau")
        self.meta = meta

    def _peek(self) -> bytes | None:
        if self._next is None:
            self._next = next(self._it, None)
        return self._next

    def _pop(self) -> bytes | None:
        line = self._peek()
        self._next = None
        return line

    def handovers(self) -> list[Any]:
        out = []
        while (line := self._peek()) is not None and line[:2] == b"H\t":
            self._pop()
            self._budget.take("handovers", 1)
            h = _strict(memoryview(line)[2:], "Übergabe")
            if type(h) is not dict or "documents" in h:
                raise _refuse("Übergabe: falscher Aufbau")
            h["documents"] = []
            while (doc := self._peek()) is not None and doc[:2] == b"D\t":
                self._pop()
                parts = doc[2:].split(_TAB)
                self._documents += len(doc)
                if len(parts) != 2 or self._documents > MAX_DOCUMENTS_TOTAL:
                    raise _refuse("Übergabe: Dokument ungültig oder zu groß")
                try:
                    h["documents"].append({"document_id": parts[0].decode("ascii"),
                                           "data": parts[1].decode("ascii")})
                except UnicodeDecodeError:
                    raise _refuse("Übergabe: Dokument ungültig") from None
            out.append(h)
        return out

    def entities(self) -> Iterator[tuple[str, Iterator[Any]]]:
        while (line := self._peek()) is not None and line[:2] == b"E\t":
            name_end = line.find(_TAB, 2)
            if name_end < 0 or name_end > 66:
                raise _refuse("Datenart fehlt")
            try:
                entity = line[2:name_end].decode("ascii")
            except UnicodeDecodeError:
                raise _refuse("Datenart ungültig") from None
            if entity in self._seen_entities:
                raise _refuse(f"Datenart {entity[:40]!r} doppelt")
            self._seen_entities.add(entity)
            yield entity, self._rows(b"E\t" + entity.encode("ascii") + _TAB, entity)

    def _rows(self, prefix: bytes, section: str) -> Iterator[Any]:
        while (line := self._peek()) is not None and line.startswith(prefix):
            self._pop()
            rows = _strict(memoryview(line)[len(prefix):], section)
            if type(rows) is not list:
                raise _refuse(f"{section}: keine Liste")
            self._budget.take(section, len(rows))
            yield from rows
            del rows

    def pseudonyms(self) -> Iterator[Any]:
        return self._rows(b"P\t", "pseudonyms")

    def finish(self) -> None:
        if self._pop() is not None:
            raise _refuse("unerwartete Zeile (Reihenfolge oder Kennung falsch)")
        self._budget.finish()


class _Document(Source):
    """Format 1: one JSON document, bounded before parsing."""

    def __init__(self, data: bytes, budget: Budget) -> None:
        if len(data) > FORMAT1_MAX_PAYLOAD:
            raise StreamInvalid("Die Exportdatei im älteren Format ist zu groß, um sicher gelesen zu werden. Bitte "
                                "am Standort WHH Desktop aktualisieren und neu exportieren. Es wurde nichts "
                                "übernommen.")
        if data.count(b"{") + data.count(b"[") > FORMAT1_MAX_CONTAINERS:
            raise _refuse(f"mehr als {fmt_count(MAX_ROWS)} Datensätze in einem Paket")
        obj = _strict(data, "Inhalt")
        if type(obj) is not dict:
            raise _refuse("keine Struktur")
        self._obj = obj
        self._budget = budget
        self.meta = {k: v for k, v in obj.items() if k not in ("entities", "pseudonyms", "handovers")}

    def handovers(self) -> list[Any]:
        handovers = self._obj.get("handovers", [])
        if type(handovers) is not list:
            raise _refuse("Abschnitt handovers ist keine Liste")
        self._budget.take("handovers", len(handovers))
        return handovers

    def entities(self) -> Iterator[tuple[str, Iterator[Any]]]:
        entities = self._obj.get("entities", {})
        if type(entities) is not dict:
            raise _refuse("Abschnitt entities ist keine Struktur")
        for entity, rows in entities.items():
            if type(rows) is not list:
                raise _refuse(f"{str(entity)[:40]}: keine Liste")
            self._budget.take(str(entity), len(rows))
            yield entity, iter(rows)

    def pseudonyms(self) -> Iterator[Any]:
        pseudonyms = self._obj.get("pseudonyms", [])
        if type(pseudonyms) is not list:
            raise _refuse("Abschnitt pseudonyms ungültig")
        self._budget.take("pseudonyms", len(pseudonyms))
        return iter(pseudonyms)

    def finish(self) -> None:
        self._budget.finish()


def open_source(data: bytes | Iterable[bytes], counts: Mapping[str, int] | None = None,
                cap: int | None = None) -> Source:
    """The payload's sections from its bytes or from an iterator of decompressed chunks (a bundle stream)."""
    budget = Budget(counts)
    chunks: Iterator[bytes] = iter((bytes(data),)) if isinstance(data, (bytes, bytearray, memoryview)) else iter(data)
    first = b""
    for chunk in chunks:  # the first non-empty chunk tells the format
        first = bytes(chunk)
        if first:
            break
    if first[:2] == b"M\t":
        def all_chunks() -> Iterator[bytes]:
            yield first
            yield from chunks
        return _Lines(lines(all_chunks()), budget)
    limit = FORMAT1_MAX_PAYLOAD if cap is None else min(cap, FORMAT1_MAX_PAYLOAD)
    whole = bytearray(first)
    for chunk in chunks:
        whole += chunk
        if len(whole) > limit:
            break
    return _Document(bytes(whole), budget)

