"""``python -m whh_desktop``: the desktop application."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``--data-dir``, lock the data folder, set up or log in, run the main window; the exit code."""
    from whh_desktop.ui.app import run

    return run(sys.argv[1:] if argv is None else list(argv))


if __name__ == "__main__":
    sys.exit(main())
