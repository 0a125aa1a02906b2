"""``whh`` for the tests: the CLI's ``main()`` run inside the test process, or a real subprocess where the process
is the point.

A subprocess costs a Python start and the import of the whole core (1.5 s of CPU, several seconds on a loaded CI
machine) per call, and the CLI tests make about a hundred calls. In-process runs see the same arguments, the same
environment (swapped in for the call), stdin, stdout and stderr, and report the same exit codes: argparse's usage
errors (2) and ``--help`` (0) arrive as SystemExit. An exception escaping ``main()`` — which a user would see as a
traceback — becomes exit code 1 with the traceback on stderr, so the tests' ``"Traceback" not in r.stderr`` keeps
failing where it would fail for a subprocess. The tests that need a separate process keep one (``subprocess=True``):
the single-instance lock against a second process, kill -9, exit-code smoke tests of ``python -m whh_desktop.cli``.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import traceback
from collections.abc import Iterator, Mapping, Sequence


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_cli(args: Sequence[str], env: Mapping[str, str], *, input: str | None = None,
            subprocess_: bool = False, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``whh ARGS`` with exactly the environment ``env``; the result has returncode, stdout and stderr like
    ``subprocess.run(..., capture_output=True, text=True)``."""
    argv = [str(a) for a in args]
    if subprocess_:
        return subprocess.run([sys.executable, "-m", "whh_desktop.cli", *argv], capture_output=True, text=True,
                              env=dict(env), input=input, timeout=timeout)
    from whh_desktop.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(input or "")
    try:
        with _environment(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: usage errors (2), --help and --version (0)
                if exc.code is None or isinstance(exc.code, int):
                    code = exc.code or 0
                else:
                    print(exc.code, file=sys.stderr)
                    code = 1
            except Exception:  # what a subprocess would print as a traceback before dying with 1
                traceback.print_exc()
                code = 1
    finally:
        sys.stdin = saved_stdin
    return subprocess.CompletedProcess(["whh", *argv], code, out.getvalue(), err.getvalue())
