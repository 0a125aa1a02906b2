"""What every command gets: the parsed options, the data folder, the password and user, the opened store, and one
way to print (text for people, ``--json`` for scripts).

Passwords never go on the command line: ``WHH_PASSWORD`` or the first line of stdin (``--password-stdin``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import login
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.lock import InstanceLock
from whh_desktop.paths import DataPaths, resolve_data_dir


class CliContext:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.paths: DataPaths = resolve_data_dir(args.data_dir)
        self._password: str | None = None

    def password(self, prompt_env: str = "WHH_PASSWORD") -> str:
        if self._password is None:
            if self.args.password_stdin:
                self._password = sys.stdin.readline().rstrip("\r\n")
            else:
                self._password = os.environ.get(prompt_env, "")
            if not self._password:
                raise WhhError("Kein Passwort angegeben: bitte WHH_PASSWORD setzen oder --password-stdin benutzen.")
        return self._password

    def username(self) -> str:
        name = self.args.user or os.environ.get("WHH_USER")
        if not name:
            raise WhhError("Kein Benutzername angegeben: bitte --user NAME oder WHH_USER setzen.")
        return name

    def has_user(self) -> bool:
        """A user named (``--user``/``WHH_USER``) and a store to open: commands that also work without a store
        (``kdu``) then use the store's data."""
        return bool(self.args.user or os.environ.get("WHH_USER")) and (
            self.paths.store.exists() or self.paths.server_config.exists())

    @contextlib.contextmanager
    def opened(self) -> Iterator[tuple[Store, login.CurrentUser]]:
        """The store opened for the user, under the single-instance lock (no GUI or other command at the same time),
        closed afterwards."""
        with InstanceLock(self.paths.lock_file):
            store, user = login.unlock(self.paths, self.username(), self.password())
            try:
                yield store, user
            finally:
                store.close()

    def locked(self) -> InstanceLock:
        """The single-instance lock alone, for ``init`` (there is no store to open yet)."""
        return InstanceLock(self.paths.lock_file)

    def out(self, data: Any, text: str) -> None:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str) if self.args.json else text)
