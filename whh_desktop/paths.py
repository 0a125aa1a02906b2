"""Where WHH Desktop keeps its files.

platformdirs gives the per-user locations; ``--data-dir`` or ``WHH_DATA_DIR`` override the data directory (tests,
portable installs, a second store for the district office on the same PC).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "WHH Desktop"
APP_AUTHOR = "Diakoniestiftung Herford"
ENV_DATA_DIR = "WHH_DATA_DIR"


@dataclass(frozen=True)
class DataPaths:
    """All files of one store, derived from its data directory."""

    root: Path

    @property
    def store(self) -> Path:
        return self.root / "store.whh"

    @property
    def key_file(self) -> Path:
        return self.root / "store.key"

    @property
    def server_config(self) -> Path:
        """A district store on a PostgreSQL server: only the connection string (no password) is kept here."""
        return self.root / "server.json"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def lock_file(self) -> Path:
        return self.root / "whh.lock"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def exists(self) -> bool:
        return self.key_file.exists() or self.store.exists() or self.server_config.exists()


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> DataPaths:
    """The command-line value wins over the environment, which wins over the platform default."""
    raw = cli_value or os.environ.get(ENV_DATA_DIR)
    root = Path(raw).expanduser() if raw else default_data_dir()
    return DataPaths(root.resolve())


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
