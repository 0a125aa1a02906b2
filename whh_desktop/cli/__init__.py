"""``whh``: the core use cases without a window, for admins, support, scripts and tests (DESIGN.md §8).

One module per command group; each has ``register(sub, common)``, which adds its parser and sets ``func`` (a
function of a ``CliContext`` returning the exit code). The CLI calls services only and prints what they return.
Passwords never go on the command line: ``WHH_PASSWORD`` or ``--password-stdin``. Expected failures print their
German message on stderr and exit 1; usage errors exit 2; Ctrl+C exits 130.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from whh_desktop import __version__
from whh_desktop.cli import (
    backup,
    bundle,
    demo,
    fall,
    frist,
    init,
    kdu,
    keys,
    konto,
    letter,
    recovery,
    report,
    search,
    selftest,
    sync,
)
from whh_desktop.cli.arguments import add_common, common_options
from whh_desktop.cli.context import CliContext
from whh_desktop.core.errors import WhhError
from whh_desktop.logging_setup import configure as configure_logging

log = logging.getLogger("whh_desktop.cli")

# In the order ``whh --help`` lists them.
COMMAND_GROUPS = (init, konto, recovery, backup, selftest, search, frist, fall, demo, kdu, letter, keys, bundle, sync,
                  report)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="whh", description="WHH Desktop ohne Fenster.")
    add_common(parser, top=True)
    # The same options after the command (suppressed defaults: a value given before the command is kept).
    common = common_options()
    parser.add_argument("--version", action="version", version=f"WHH Desktop {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="BEFEHL")
    for group in COMMAND_GROUPS:
        group.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging()
    ctx = CliContext(args)
    try:
        return int(args.func(ctx))
    except WhhError as exc:
        log.info("command %s failed: %s", args.command, type(exc).__name__)
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except Exception as exc:  # an unexpected fault: a German message, details (without data) in the log
        log.error("command %s crashed: %s at %s", args.command, type(exc).__name__, _where(exc))
        print("Fehler: Ein unerwarteter Fehler ist aufgetreten. Es wurde nichts halb gespeichert. Bitte den "
              "Support informieren; Einzelheiten stehen in der Protokolldatei.", file=sys.stderr)
        return 1


def _where(exc: BaseException) -> str:
    """File and line of the innermost frame: enough for support, without values that could be personal."""
    tb = exc.__traceback__
    while tb and tb.tb_next:
        tb = tb.tb_next
    return f"{Path(tb.tb_frame.f_code.co_filename).name}:{tb.tb_lineno}" if tb else "?"
