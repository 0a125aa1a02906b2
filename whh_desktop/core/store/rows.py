"""The one way to load a row a user acts on: it must exist and not be deleted, or the user reads why not."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from whh_desktop.core.errors import NotFound
from whh_desktop.core.store.base import SyncMixin

Row = TypeVar("Row", bound=SyncMixin)


def get_live(session: Session, model: type[Row], row_id: uuid.UUID, what: str, *,
             gone: str = "gibt es nicht (mehr)", where: Callable[[Row], bool] | None = None,
             field: str | None = None) -> Row:
    """The row ``row_id`` of ``model`` unless it is missing, tombstoned or fails ``where`` (e.g. "belongs to this
    case"); then ``NotFound`` with "``what`` ``gone``." — ``what`` is the accusative with its article as the
    sentence needs it ("Diesen Fall", "Dieses Ziel"), ``gone`` the rest where a text says more ("gibt es nicht (mehr)
    im Register")."""
    row = session.get(model, row_id)
    if row is None or row.deleted_at is not None or (where is not None and not where(row)):
        raise NotFound(f"{what} {gone}.", field)
    return row
