"""Alembic environment: always run in-process on a connection handed over by schema.py."""

from __future__ import annotations

from alembic import context

from whh_desktop.core.store import models  # noqa: F401  (registers the tables)
from whh_desktop.core.store.base import Base
from whh_desktop.core.store.schema import include_object

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  include_object=include_object, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
