"""Log files in the platform log directory. Log lines name actions and ids, never personal data."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from whh_desktop.paths import log_dir


def configure(level: int = logging.INFO) -> Path | None:
    directory = Path(os.environ.get("WHH_LOG_DIR") or log_dir())
    root = logging.getLogger("whh_desktop")
    if root.handlers:
        return directory
    root.setLevel(level)
    written: Path | None = directory
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            directory / "whh_desktop.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()  # an unwritable log dir must not stop the program
        written = None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return written
