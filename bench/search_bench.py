"""Search as you type at 100 000 persons: latency per keystroke vs a raw FTS5 prefix query."""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench.harness import Result

QUERIES = ["m", "mu", "mül", "müll", "mülle", "müller", "müller a", "12.3.1970", "0151", "LOE-2025", "meier",
           "łukasz", "nguyen thi", "öztürk"]


def keystrokes(text: str) -> list[str]:
    return [text[:i] for i in range(1, len(text) + 1)]


def run(store, user=None) -> list[Result]:
    from whh_desktop.core.services import cases

    latencies = []
    with store.read_session() as s:
        for query in QUERIES:
            for prefix in keystrokes(query):
                started = time.perf_counter()
                result = cases.search(s, prefix, limit=cases.LIST_BATCH + 1)  # exactly what the list view asks
                cases.rows(s, (result.exact + result.phonetic)[:50])  # the first visible page
                latencies.append(time.perf_counter() - started)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)]
    raw = raw_fts_prefix(100_000)
    return [Result(f"search as you type, median of {len(latencies)} keystrokes (ids + first 50 rows)",
                   statistics.median(latencies) * 1000, "ms", 30, raw * 1000, "raw FTS5 prefix"),
            Result("search as you type, 95th percentile", p95 * 1000, "ms", 30, raw * 1000, "raw FTS5 prefix"),
            *([] if user is None else ui_path(store, user, raw))]


def ui_path(store, user, raw: float) -> list[Result]:
    """The same keystrokes as the list view asks them: the read-model calls, each in its own read session."""
    from whh_desktop.core.services import cases

    latencies = []
    for query in QUERIES:
        for prefix in keystrokes(query):
            started = time.perf_counter()
            result = cases.search_cases(store, user, prefix, limit=cases.LIST_BATCH + 1)
            cases.case_rows(store, user, (result.exact + result.phonetic)[:50])
            latencies.append(time.perf_counter() - started)
    latencies.sort()
    return [Result(f"search as you type via the UI's read-model calls, median of {len(latencies)} keystrokes",
                   statistics.median(latencies) * 1000, "ms", 30, raw * 1000, "raw FTS5 prefix"),
            Result("search as you type via the UI's read-model calls, 95th percentile",
                   latencies[int(len(latencies) * 0.95)] * 1000, "ms", 30, raw * 1000, "raw FTS5 prefix")]


def raw_fts_prefix(rows: int) -> float:
    """The raw limit: a plain-SQLite FTS5 prefix query over the same number of short documents."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "fts.db")
        conn.execute("CREATE VIRTUAL TABLE f USING fts5(body, prefix='2 3')")
        names = ["muller anna", "meier hans", "ozturk sukru", "nguyen thi", "kowalski lukasz", "schmidt eva"]
        conn.executemany("INSERT INTO f(body) VALUES (?)", [(f"{names[i % 6]} {i}",) for i in range(rows)])
        conn.commit()
        best = float("inf")
        for _ in range(20):
            started = time.perf_counter()
            conn.execute("SELECT rowid FROM f WHERE f MATCH '\"mul\"*' LIMIT 50").fetchall()
            best = min(best, time.perf_counter() - started)
        conn.close()
        return best
