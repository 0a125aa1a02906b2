"""Search as you type: latency per keystroke through the case list's model, against a raw FTS5 prefix query (and
on PostgreSQL a plain GIN tsvector table) built at the same number of rows.

What is timed per keystroke is what the user waits for: ``CasesView.refresh`` (the keys of the search, the model's
``set_keys``, the hit count text) and the rows of the first visible page (``CaseListModel.row_at(0)`` loads one
page, as painting the table does). The bench prints a per-keystroke table, slowest first, with the exact and
phonetic hit counts, and p50/p95/p99 over all timed keystrokes.

``python -m bench.search_bench --data-dir DIR [--user beratung]`` measures an existing store (a copy: never a store
in use); ``--district-pg`` also fills a district store on a throw-away PostgreSQL cluster with the same number
of persons as the store holds, when the server binaries are installed.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.harness import Result, timed

QUERIES = ["m", "mu", "mül", "müll", "mülle", "müller", "müller a", "12.3.1970", "0151", "LOE-2025", "meier",
           "łukasz", "nguyen thi", "öztürk"]
REPEATS = 5  # timed rounds over all keystrokes (after one warm-up round); the table shows each keystroke's median
TARGET_P99_MS = 16.0
TARGET_MEDIAN_MS = 5.0


def keystrokes(text: str) -> list[str]:
    return [text[:i] for i in range(1, len(text) + 1)]


def all_keystrokes() -> list[str]:
    return [prefix for query in QUERIES for prefix in keystrokes(query)]


def percentile(values: list[float], q: float) -> float:
    """The ``q``-quantile (0..1) by the nearest-rank method: a value that was measured."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 1))  # ceil(n * q), at least the first
    return ordered[int(min(rank, len(ordered))) - 1]


@dataclass(frozen=True)
class Keystroke:
    text: str
    exact: int              # exact hits (all of them, counted once after timing)
    phonetic: int           # sounds-alike hits beyond the exact ones
    ms: list[float]         # wall time, one per timed round
    cpu_ms: list[float]     # the process's CPU time of the same rounds (less noisy on a shared machine)

    @property
    def p50(self) -> float:
        return statistics.median(self.ms)

    @property
    def cpu_p50(self) -> float:
        return statistics.median(self.cpu_ms)


@dataclass(frozen=True)
class Run:
    label: str
    keystrokes: list[Keystroke]

    @property
    def samples(self) -> list[float]:
        return [ms for k in self.keystrokes for ms in k.ms]

    def table(self, slowest: int | None = None) -> str:
        rows = sorted(self.keystrokes, key=lambda k: -k.p50)[:slowest]
        out = [f"{self.label}: {len(self.keystrokes)} keystrokes × {REPEATS} rounds, slowest first",
               f"  {'keystroke':<14} {'exact':>9} {'phonetic':>9} {'p50 ms':>8} {'max ms':>8} {'cpu p50':>8}"]
        out += [f"  {k.text!r:<14} {k.exact:>9,} {k.phonetic:>9,} {k.p50:>8.2f} {max(k.ms):>8.2f} {k.cpu_p50:>8.2f}"
                for k in rows]
        samples, cpu = self.samples, [ms for k in self.keystrokes for ms in k.cpu_ms]
        out.append(f"  all {len(samples)} timed keystrokes: p50 {percentile(samples, 0.5):.2f} ms, "
                   f"p95 {percentile(samples, 0.95):.2f} ms, p99 {percentile(samples, 0.99):.2f} ms "
                   f"(CPU time: p50 {percentile(cpu, 0.5):.2f}, p95 {percentile(cpu, 0.95):.2f}, "
                   f"p99 {percentile(cpu, 0.99):.2f} ms)")
        return "\n".join(out)

    def results(self, raw_ms: float | None, raw_label: str) -> list[Result]:
        samples = self.samples
        return [Result(f"{self.label}: search as you type through the list model, median of {len(samples)}",
                       percentile(samples, 0.5), "ms", TARGET_MEDIAN_MS, raw_ms, raw_label),
                Result(f"{self.label}: 95th percentile", percentile(samples, 0.95), "ms", None, raw_ms, raw_label),
                Result(f"{self.label}: 99th percentile", percentile(samples, 0.99), "ms", TARGET_P99_MS, raw_ms,
                       raw_label)]


def through_the_list(store, user, label: str) -> Run:
    """Every keystroke typed into the Fälle view's search field (offscreen), the first page's rows loaded."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from whh_desktop.ui.views.cases import CasesView

    app = QApplication.instance() or QApplication([])
    view = CasesView(store, user)
    texts = all_keystrokes()

    def type_one(text: str) -> tuple[float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        view.search.setText(text)  # textChanged → refresh: keys, set_keys, hit count
        view.model.row_at(0)       # the first visible page's rows, as the table's paint asks
        return (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000

    for text in texts:  # warm-up: the pages a user's typing has in the cache
        type_one(text)
    timings: dict[str, list[tuple[float, float]]] = {t: [] for t in texts}
    for _ in range(REPEATS):
        for text in texts:
            timings[text].append(type_one(text))
    view.search.setText("")
    view.deleteLater()
    app.processEvents()
    return Run(label, [Keystroke(t, *_hit_counts(store, user, t), [w for w, _ in timings[t]],
                                 [c for _, c in timings[t]]) for t in dict.fromkeys(texts)])


def _hit_counts(store, user, text: str) -> tuple[int, int]:
    from whh_desktop.core.services import cases

    found = cases.search_cases(store, user, text)  # no limit: every hit, for the table only
    return len(found.exact), len(found.phonetic)


def run(store, user=None, persons: int | None = None) -> list[Result]:
    if persons is None:
        with store.read_session() as s:
            from sqlalchemy import func, select

            from whh_desktop.core.store.models import Person

            persons = int(s.execute(select(func.count()).select_from(Person)).scalar() or 0)
    raw = raw_fts_prefix(persons)
    if user is None:  # the store part: the counsellor of the bench store
        return service_only(store, raw)
    measured = through_the_list(store, user, f"{store.info.mode} store ({store.backend.name}), {persons:,} persons")
    print(measured.table(), flush=True)
    return measured.results(raw * 1000, f"raw FTS5 prefix, {persons:,} rows")


def service_only(store, raw: float) -> list[Result]:
    """Without a user (the whole-store bench): the service calls the list makes, in one read session."""
    from whh_desktop.core.services import cases

    latencies = []
    with store.read_session() as s:
        for prefix in all_keystrokes():
            started = time.perf_counter()
            result = cases.search(s, prefix, limit=cases.LIST_BATCH + 1)
            cases.rows(s, (result.exact + result.phonetic)[:100])
            latencies.append((time.perf_counter() - started) * 1000)
    return [Result(f"search as you type (service calls), median of {len(latencies)} keystrokes",
                   percentile(latencies, 0.5), "ms", TARGET_MEDIAN_MS, raw * 1000, "raw FTS5 prefix"),
            Result("search as you type (service calls), 99th percentile", percentile(latencies, 0.99), "ms",
                   TARGET_P99_MS, raw * 1000, "raw FTS5 prefix")]


_RAW_NAMES = ["muller anna", "meier hans", "ozturk sukru", "nguyen thi", "kowalski lukasz", "schmidt eva"]


def raw_fts_prefix(rows: int) -> float:
    """The raw limit: a plain-SQLite FTS5 prefix query over ``rows`` short documents (as many as the store's
    persons), seconds."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "fts.db")
        conn.execute("CREATE VIRTUAL TABLE f USING fts5(body, prefix='2 3')")
        for start in range(0, rows, 100_000):
            conn.executemany("INSERT INTO f(body) VALUES (?)",
                             [(f"{_RAW_NAMES[i % 6]} {i}",) for i in range(start, min(rows, start + 100_000))])
        conn.commit()
        best = timed(lambda: conn.execute("SELECT rowid FROM f WHERE f MATCH '\"mul\"*' LIMIT 50").fetchall(),
                     repeat=20)
        conn.close()
        return best


def raw_pg_prefix(cluster, rows: int) -> float:
    """The raw limit on PostgreSQL: a plain table with a GIN tsvector index of ``rows`` short documents, seconds."""
    import psycopg

    with psycopg.connect(cluster.conninfo(cluster.create_database("rawfts")), autocommit=True) as conn:
        conn.execute("CREATE TABLE f (id bigint PRIMARY KEY, body text NOT NULL, "
                     "tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', body)) STORED)")
        with conn.cursor().copy("COPY f (id, body) FROM STDIN") as copy:
            for i in range(rows):
                copy.write_row((i, f"{_RAW_NAMES[i % 6]} {i}"))
        conn.execute("CREATE INDEX f_tsv ON f USING gin (tsv)")
        conn.execute("ANALYZE f")
        return timed(lambda: conn.execute(
            "SELECT id FROM f WHERE tsv @@ to_tsquery('simple', 'mul:*') LIMIT 50").fetchall(), repeat=20)


def run_all(persons: int) -> list[Result]:
    """``--only search``: the site store (SQLite), the district store on SQLite and on PostgreSQL (skipped with a
    note when the server programs are missing), each with ``persons`` demo people, each against its raw limit."""
    from bench import store_bench
    from whh_desktop.core.services import login

    results: list[Result] = []
    raw_lite = raw_fts_prefix(persons) * 1000
    raw_label = f"raw FTS5 prefix, {persons:,} rows"
    with tempfile.TemporaryDirectory() as tmp:
        paths, _fill = store_bench.make_store(Path(tmp) / "data", persons)
        store, user = login.unlock(paths, store_bench.COUNSELLOR, store_bench.PASSWORD)
        try:
            measured = through_the_list(store, user, f"site store (SQLite), {persons:,} persons")
        finally:
            store.close()
    print(measured.table(), flush=True)
    results += measured.results(raw_lite, raw_label)
    for backend in ("sqlite", "postgresql"):
        with store_bench.district_store(persons, backend) as made:
            if made is None:
                print("district store on PostgreSQL: skipped, no PostgreSQL server programs (initdb/pg_ctl) found")
                continue
            store, user = login.unlock(made[0], store_bench.DISTRICT_USER, store_bench.PASSWORD)
            try:
                measured = through_the_list(store, user, f"district store ({backend}), {persons:,} persons")
                raw, label = raw_lite, raw_label
                if backend == "postgresql":
                    raw, label = _raw_pg(persons) * 1000, f"raw GIN tsvector prefix, {persons:,} rows"
            finally:
                store.close()
        print(measured.table(), flush=True)
        results += measured.results(raw, label)
    return results


def _raw_pg(persons: int) -> float:
    from tests.pg_server import start_cluster

    cluster = start_cluster()
    if cluster is None:
        return float("nan")
    try:
        return raw_pg_prefix(cluster, persons)
    finally:
        cluster.stop()


def main() -> None:
    from bench.store_bench import COUNSELLOR, PASSWORD
    from whh_desktop.core.services import login
    from whh_desktop.paths import DataPaths

    parser = argparse.ArgumentParser(prog="bench.search_bench")
    parser.add_argument("--data-dir", type=Path, required=True, help="a COPY of a bench store")
    parser.add_argument("--user", default=COUNSELLOR)
    parser.add_argument("--slowest", type=int, default=None, help="only the N slowest keystrokes in the table")
    args = parser.parse_args()
    os.environ.pop("WHH_UNSAFE_TEST_KDF", None)
    store, user = login.unlock(DataPaths(args.data_dir), args.user, PASSWORD)
    try:
        with store.read_session() as s:
            from sqlalchemy import func, select

            from whh_desktop.core.store.models import Person

            persons = int(s.execute(select(func.count()).select_from(Person)).scalar() or 0)
        raw = raw_fts_prefix(persons)
        measured = through_the_list(store, user, f"{store.info.mode} store ({store.backend.name}), {persons:,} persons")
        print(measured.table(args.slowest))
        print(f"  raw FTS5 prefix query at {persons:,} rows: {raw * 1000:.3f} ms")
    finally:
        store.close()


if __name__ == "__main__":
    main()
