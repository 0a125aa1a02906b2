"""Keep the DESIGN.md §3 columns and the change_log in step with every flush.

A session carries ``info["site"]`` (the store's site code) and ``info["actor"]`` (the user name). New synced rows
get origin and owner; changed ones get ``version + 1``; each gets a change_log row in the same transaction, so an
export is simply "everything after the last exported sequence". Rows are never hard-deleted: a deletion sets
``deleted_at`` and erases the personal fields (a tombstone that syncs).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from whh_desktop.core.domain.changes import Aggregate, Changes
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import OwnedByAnotherSite
from whh_desktop.core.store import dialect, search_index
from whh_desktop.core.store.base import SyncMixin, new_id, utcnow
from whh_desktop.core.store.models import Case, Person
from whh_desktop.core.store.models.journal import ChangeLog


def _on_before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    _pend(session, _changes_of([*session.new, *session.dirty, *session.deleted]))
    site = session.info.get("site")
    actor = session.info.get("actor")
    now = utcnow()
    for obj in session.deleted:
        if isinstance(obj, SyncMixin):
            raise RuntimeError("synced rows are never deleted; use tombstone()")
    for obj in list(session.new):
        if not isinstance(obj, SyncMixin):
            continue
        if obj.id is None:
            obj.id = new_id()
        if site is not None:
            obj.origin_site = obj.origin_site or site
            obj.owner_site = obj.owner_site or site
        elif obj.origin_site is None or obj.owner_site is None:
            raise RuntimeError("session without site: cannot stamp origin/owner")
        obj.created_at = obj.created_at or now
        obj.updated_at = now
        obj.updated_by = actor
        obj.version = obj.version or 1
        session.add(ChangeLog(entity=type(obj).__tablename__, row_id=str(obj.id), version=obj.version,
                              op="insert", at=now))
    for obj in list(session.dirty):
        if not isinstance(obj, SyncMixin) or not session.is_modified(obj, include_collections=False):
            continue
        if obj.owner_site is not None and site is not None and obj.owner_site != site:
            raise OwnedByAnotherSite(owned_elsewhere(obj.owner_site))
        obj.version = (obj.version or 0) + 1
        obj.updated_at = now
        obj.updated_by = actor
        op = "delete" if obj.deleted_at is not None else "update"
        session.add(ChangeLog(entity=type(obj).__tablename__, row_id=str(obj.id), version=obj.version,
                              op=op, at=now))


def _on_after_flush(session: Session, _ctx: Any) -> None:
    """Keep the search index in the same transaction as the change (new/dirty still show the flushed rows)."""

    touched = [*session.new, *session.dirty]
    case_ids = {o.id for o in touched if isinstance(o, Case)}
    person_ids = {o.id for o in touched if isinstance(o, Person) and o not in session.new}
    if person_ids:
        case_ids.update(search_index.cases_of_persons(session, person_ids))
    if case_ids:
        search_index.index_cases(session, case_ids)
        _pend(session, Changes(cases=frozenset(str(c) for c in case_ids)))


# --- What a transaction changed, handed to whoever records it (the UI's operations, DESIGN.md §2) ---------------

_PENDING = "whh_changes"
_recorders: ContextVar[tuple[Recorder, ...]] = ContextVar("whh_change_recorders", default=())


class Recorder:
    """Collects the :class:`Changes` of every transaction committed in this thread while it records."""

    def __init__(self) -> None:
        self.changes = Changes()

    def add(self, changes: Changes) -> None:
        self.changes = self.changes | changes


@contextlib.contextmanager
def recording() -> Iterator[Recorder]:
    recorder = Recorder()
    token = _recorders.set((*_recorders.get(), recorder))
    try:
        yield recorder
    finally:
        _recorders.reset(token)


def publish(changes: Changes) -> None:
    """For writes that bypass a Session (bulk SQL on a raw connection): call after their commit."""
    for recorder in _recorders.get():
        recorder.add(changes)


def pend(session: Session, changes: Changes) -> None:
    """For bulk SQL inside a session: published when (and only if) the session commits."""
    _pend(session, changes)


def _pend(session: Session, changes: Changes) -> None:
    if changes.aggregates or changes.cases or changes.everything:
        session.info[_PENDING] = session.info.get(_PENDING, Changes()) | changes


def _changes_of(objects: list[Any]) -> Changes:
    aggregates: set[Aggregate] = set()
    cases: set[str] = set()
    for obj in objects:
        table = getattr(type(obj), "__tablename__", None)
        if table is None:
            continue
        aggregates.add(Aggregate(table))
        case_id = obj.id if table == Aggregate.CASES else getattr(obj, "case_id", None)
        if case_id is not None:
            cases.add(str(case_id))
    return Changes(frozenset(aggregates), frozenset(cases))


def _on_orm_execute(state: ORMExecuteState) -> None:
    """ORM-enabled bulk statements (``update(Model)``, ``delete(Model)``) never pass the flush."""
    if (state.is_update or state.is_delete or state.is_insert) and state.bind_mapper is not None:
        table = getattr(state.bind_mapper.class_, "__tablename__", None)
        if table is not None:
            _pend(state.session, Changes.of(Aggregate(table)))


def _on_after_commit(session: Session) -> None:
    changes = session.info.pop(_PENDING, None)
    if changes is not None:
        publish(changes)


def _on_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def owned_elsewhere(owner: str) -> str:
    """The German refusal for a change to a row ``owner`` keeps (services check first, the flush as a net)."""
    try:
        site = SiteCode(owner)
        who = "der Kreis" if site.is_district else f"die Beratungsstelle {site.label}"
    except ValueError:
        who = f"die Stelle »{owner}«"
    return f"Diesen Eintrag führt {who}; hier kann er nicht geändert werden."


def install(session_factory: Any) -> None:
    event.listen(session_factory, "before_flush", _on_before_flush)
    event.listen(session_factory, "after_flush", _on_after_flush)
    event.listen(session_factory, "do_orm_execute", _on_orm_execute)
    event.listen(session_factory, "after_commit", _on_after_commit)
    event.listen(session_factory, "after_rollback", _on_after_rollback)


def tombstone(obj: SyncMixin) -> None:
    """Mark a row deleted and erase its personal fields; the row itself stays so the deletion syncs."""
    for name in obj.__personal_fields__:
        column = type(obj).__table__.columns[name]
        setattr(obj, name, None if column.nullable else ("" if _is_text(column) else column.default.arg))
    obj.deleted_at = utcnow()


def _is_text(column: Any) -> bool:
    try:
        return column.type.python_type is str
    except NotImplementedError:
        return False


def record_bulk_insert(session: Session, entity: str, row_ids: list[str]) -> None:
    """change_log rows for rows inserted in bulk (which bypasses the flush hook)."""
    if row_ids:
        at = utcnow().replace(tzinfo=None).isoformat(sep=" ")
        dialect.run_many(session.connection(),
                         "INSERT INTO change_log(entity, row_id, version, op, at) VALUES (?, ?, 1, 'insert', ?)",
                         [(entity, rid, at) for rid in row_ids])
