"""A store schema made directly from the models on either backend, for the district code that runs on a session:
the same tables as the migrations (``create_all``), the backend's search table, and the flush hooks of a Store
(stamping, change log, search index). Used to compare SQLite and PostgreSQL on the same data without the store
lifecycle (keys, login), which has its own tests."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import sqlcipher3
from sqlalchemy.orm import Session, sessionmaker

import whh_desktop.core.store.models  # noqa: F401 - every table on the metadata
from whh_desktop.core.store import changes, search_index
from whh_desktop.core.store.base import Base

BACKENDS = ["sqlite", "postgresql"]


class BareStore:
    def __init__(self, url: str, site: str = "kreis") -> None:
        # SQLite through sqlcipher3, the store's driver (its SQLite is newer than Python's own)
        self.engine = sa.create_engine(url, module=sqlcipher3) if url.startswith("sqlite") else sa.create_engine(url)
        Base.metadata.create_all(self.engine)
        with self.engine.begin() as conn:
            search_index.create_search_table(conn)
        self.site = site
        self._factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        changes.install(self._factory)

    @contextlib.contextmanager
    def session(self, actor: str = "test") -> Iterator[Session]:
        with self._factory(info={"site": self.site, "actor": actor}) as s, s.begin():
            yield s

    def dispose(self) -> None:
        self.engine.dispose()


def open_bare(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> BareStore:
    """A new bare store on ``backend`` (each call its own file or database), closed and dropped after the test."""
    if backend == "postgresql":
        cluster = request.getfixturevalue("pg_cluster")
        name = cluster.create_database()
        store = BareStore(cluster.url(name))
        request.addfinalizer(lambda: (store.dispose(), cluster.drop_database(name)))
        return store
    store = BareStore(f"sqlite:///{tmp_path / f'bare-{uuid.uuid4().hex[:8]}.db'}")
    request.addfinalizer(store.dispose)
    return store
