"""Which store a data folder names: the SQLCipher file in it, or a district database on a PostgreSQL server whose
connection string (never a password: libpq's password file or a client certificate supply that) is kept in
``server.json``. Login opens a store through this without knowing which backend runs."""

from __future__ import annotations

import json

from sqlalchemy import Engine, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from whh_desktop.core.errors import KeyFileDamaged, NotAStore, StoreNotFound
from whh_desktop.core.store.backend import Backend, PostgresBackend, SqliteBackend, parse_server_url, server_error
from whh_desktop.core.store.engine import Store, StoreInfo, open_engine_checked
from whh_desktop.core.store.keys import DatabaseKeyRing, FileKeyRing, KeyFile, KeyRing, write_atomic
from whh_desktop.core.store.models import StoreMeta
from whh_desktop.paths import DataPaths

CONFIG_FORMAT = "whh-server"


def read_server_url(paths: DataPaths) -> URL | None:
    """The server of this folder's store, or None for an SQLCipher file."""
    if not paths.server_config.exists():
        return None
    try:
        body = json.loads(paths.server_config.read_text(encoding="utf-8"))
        if body.get("format") != CONFIG_FORMAT:
            raise ValueError("format")
        return parse_server_url(str(body["url"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyFileDamaged(f"Die Einstellungsdatei {paths.server_config} ist beschädigt.") from exc


def write_server_url(paths: DataPaths, url: URL) -> None:
    body = {"format": CONFIG_FORMAT, "backend": "postgresql",
            "url": url.set(drivername="postgresql").render_as_string(hide_password=True)}
    write_atomic(paths.server_config, json.dumps(body, indent=2).encode("utf-8"))


class Location:
    """A store before unlock: its key ring can be read, then it opens with the data key."""

    def __init__(self, paths: DataPaths, server: URL | None) -> None:
        self.paths = paths
        self.server = server
        self._engine: Engine | None = None

    @property
    def on_server(self) -> bool:
        return self.server is not None

    def engine(self) -> Engine:
        """The server's engine (made once; the opened store keeps using it)."""
        assert self.server is not None
        if self._engine is None:
            self._engine = PostgresBackend(self.server).make_engine()
        return self._engine

    def keyring(self) -> KeyRing:
        if self.server is None:
            if not self.paths.key_file.exists() and not self.paths.store.exists():
                raise StoreNotFound(f"In {self.paths.root} ist noch kein Datenbestand eingerichtet.")
            return FileKeyRing(self.paths.key_file)
        return DatabaseKeyRing(self.engine())

    def load_keys(self) -> tuple[KeyRing, KeyFile]:
        ring = self.keyring()
        try:
            return ring, ring.load()
        except DBAPIError as exc:
            self.dispose()
            assert self.server is not None
            raise server_error(exc, self.server) from exc

    def open(self, data_key: bytes, store_id: str) -> Store:
        if self.server is None:
            engine, info = open_engine_checked(self.paths.store, data_key, store_id)
            return Store(self.paths, engine, info, data_key, SqliteBackend(self.paths.store, data_key))
        engine = self.engine()
        try:
            with engine.connect() as conn:
                meta = conn.execute(select(StoreMeta.store_id, StoreMeta.mode, StoreMeta.site_code,
                                           StoreMeta.epoch)).first()
        except DBAPIError as exc:
            self.dispose()
            raise server_error(exc, self.server) from exc
        if meta is None or meta.store_id != store_id:
            self.dispose()
            raise NotAStore("Die Datenbank auf dem Server gehört nicht zu diesem Schlüsselbund.")
        self._engine = None  # the store owns the engine now
        backend: Backend = PostgresBackend(self.server)
        return Store(self.paths, engine, StoreInfo(meta.store_id, meta.mode, meta.site_code, meta.epoch), data_key,
                     backend, DatabaseKeyRing(engine))

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def locate(paths: DataPaths) -> Location:
    return Location(paths, read_server_url(paths))


def server_path_label(paths: DataPaths) -> str:
    url = read_server_url(paths)
    return str(paths.store) if url is None else PostgresBackend(url).describe()

