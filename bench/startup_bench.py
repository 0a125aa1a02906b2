"""Start to the first painted main window, as a separate process, on the 100 000-person store (issue 20 point 2).

Each run is a fresh process (startup_probe); every part is the median of the runs, so one slow run on a shared
machine does not decide. The total is the wall time from spawning the process to the first paint of the window.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import Result

TARGET_SECONDS = 1.0  # issue 20 point 2: process start to a painted main window at 100 000 persons
MARK_LABELS = {
    "interpreter": "interpreter start",
    "import_pyside6": "import PySide6 (QtCore, QtGui, QtWidgets)",
    "import_sqlalchemy": "import SQLAlchemy (core, ORM)",
    "import_core": "import our core (login, store, models)",
    "import_ui": "import our UI (app, main window, areas)",
    "qapplication": "QApplication set-up (translation, fonts, icon)",
    "unlock": "unlock (Argon2id 64 MiB, open, checks)",
    "window": "main window built",
    "first_paint": "show → first paint",
}


def probe(data_dir: Path, user: str, password: str, *, importtime: bool = False) -> dict:
    """One start in a fresh process; the probe's parts, the process wall time under ``process``."""
    env = {**os.environ, "WHH_PASSWORD": password,
           "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "WHH_BENCH_SPAWNED": repr(time.time())}
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "bench.startup_probe",
               str(data_dir), user]
    started = time.perf_counter()
    out = subprocess.run(command, env=env, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    if out.returncode != 0:
        raise RuntimeError(f"startup probe failed:\n{out.stderr[-2000:]}")
    line = next(x for x in out.stdout.splitlines() if x.startswith("startup "))
    values = json.loads(line.removeprefix("startup "))
    values["process"] = time.perf_counter() - started
    if importtime:
        values["importtime"] = out.stderr
    return values


def measure(data_dir: Path, user: str, password: str, runs: int = 5) -> dict[str, float]:
    """The median of ``runs`` starts for every part (the parts' medians need not add up to the total's)."""
    samples = [probe(data_dir, user, password) for _ in range(runs)]
    keys = {k for s in samples for k in s["marks"]} | {f"part:{k}" for s in samples for k in s["parts"]}
    medians = {}
    for key in keys:
        if key.startswith("part:"):
            values = [s["parts"].get(key[5:], 0.0) for s in samples]
        else:
            values = [s["marks"].get(key, 0.0) for s in samples]
        medians[key] = statistics.median(values)
    medians["process"] = statistics.median(s["process"] for s in samples)
    medians["modules"] = statistics.median(s["modules"] for s in samples)
    medians["runs"] = runs
    return medians


def breakdown(values: dict[str, float]) -> str:
    """The breakdown as text (the closing note quotes it before and after)."""
    lines = [f"start → painted main window: {values['to_paint_wall']:.3f} s (median of {values['runs']:.0f} runs; "
             f"target {TARGET_SECONDS} s); CPU to the paint {values.get('cpu_to_paint', 0.0):.3f} s; process incl. "
             f"exit {values['process']:.3f} s; {values['modules']:.0f} modules loaded"]
    for key, label in MARK_LABELS.items():
        lines.append(f"  {label:<48} {values.get(key, 0.0):7.3f} s")
        if key == "window":
            parts = sorted((k for k in values if k.startswith("part:")), key=lambda k: -values[k])
            lines += [f"    {k[5:]:<46} {values[k]:7.3f} s" for k in parts]
            lines.append(f"    {'rest of the shell (nav, menus, lock screen)':<46} {values['window_shell']:7.3f} s")
    return "\n".join(lines)


def run(data_dir: Path, user: str, password: str) -> list[Result]:
    values = measure(data_dir, user, password)
    print(breakdown(values))
    results = [Result("start → painted main window, process wall time (median of 5)", values["to_paint_wall"], "s",
                      TARGET_SECONDS)]
    results.append(Result("  CPU time of the process to the first paint (user + system)", values["cpu_to_paint"], "s"))
    results += [Result(f"  of which: {label}", values.get(key, 0.0), "s") for key, label in MARK_LABELS.items()]
    results += [Result(f"    window part: {key[5:]}", values[key], "s")
                for key in sorted(k for k in values if k.startswith("part:"))]
    results.append(Result("    window part: rest of the shell", values["window_shell"], "s"))
    return results


def main() -> None:
    """``python -m bench.startup_bench DATA_DIR [USER] [RUNS]``: the breakdown on an existing (copied!) store."""
    from bench.store_bench import COUNSELLOR, PASSWORD

    data_dir = Path(sys.argv[1])
    user = sys.argv[2] if len(sys.argv) > 2 else COUNSELLOR
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    os.environ.pop("WHH_UNSAFE_TEST_KDF", None)
    print(breakdown(measure(data_dir, user, PASSWORD, runs)))


if __name__ == "__main__":
    main()
