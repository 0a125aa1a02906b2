"""KdU table versions in the store, and checks against them.

The district maintains the table (a new version with ``valid_from``; old versions stay, so a check of last year
can be repeated); sites receive it with the district bundle and use it for checks. Every store starts with the
2019 Kreis Herford table (seeded by migration 0003).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import kdu
from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import KduTableVersion, Role
from whh_desktop.resources import resource

SEED_FILE = ("data", "kdu-herford-2019.json")


@cache
def seed_table() -> kdu.KduTable:
    """The shipped 2019 Kreis Herford table (also what migration 0003 writes into every store)."""
    return kdu.table_from_dict(json.loads(resource(*SEED_FILE).read_text(encoding="utf-8")))


@dataclass(frozen=True)
class KduVersionRow:
    id: uuid.UUID
    label: str
    valid_from: date
    valid_until: date | None
    table: kdu.KduTable


def versions(session: Session) -> list[KduVersionRow]:
    """All table versions, oldest first."""
    rows = session.execute(select(KduTableVersion).where(KduTableVersion.deleted_at.is_(None))
                           .order_by(KduTableVersion.valid_from)).scalars()
    return [KduVersionRow(r.id, r.label, r.valid_from, r.valid_until, kdu.table_from_dict(r.data)) for r in rows]


def tables(session: Session) -> list[kdu.KduTable]:
    return [v.table for v in versions(session)] or [seed_table()]


def table_on(session: Session, day: date | None = None) -> kdu.KduTable:
    """The version valid on ``day`` (today if None)."""
    return kdu.table_for(tables(session), day or date.today())


def check(session: Session, municipality: str, persons: int, *, cold_rent: int | None = None,
          utilities: int | None = None, gross_rent: int | None = None, heating: int | None = None,
          floor_space_m2: float | None = None, attributes: tuple[str, ...] = (), on: date | None = None
          ) -> kdu.KduCheck:
    """A KdU check with the table valid on ``on`` (today if None); see ``domain.kdu.check``."""
    return kdu.check(table_on(session, on), municipality, persons, cold_rent=cold_rent, utilities=utilities,
                     gross_rent=gross_rent, heating=heating, floor_space_m2=floor_space_m2, attributes=attributes)


def limit(session: Session, municipality: str, persons: int, attributes: tuple[str, ...] = (),
          on: date | None = None) -> int:
    """The KdU limit (Bruttokaltmiete, cents) — the default maximum rent of a housing search."""
    return table_on(session, on).limit(municipality, kdu.check_persons(persons, "household_size"), attributes)


def draft_version(session: Session, valid_from: date, label: str = "") -> kdu.KduTable:
    """A new version to edit: the values of the latest version, valid from ``valid_from`` with no end. Save it
    with ``add_version`` once the form has changed its values (``kdu.with_area_values``)."""
    latest = tables(session)[-1]
    return replace(latest, valid_from=valid_from, valid_until=None,
                   label=label or f"Richtwerte ab {valid_from:%d.%m.%Y}")


def require_district_staff(store: Store, user: CurrentUser, what: str) -> None:
    if store.info.mode != "district":
        raise PermissionDenied(f"{what} pflegt der Kreis. Änderungen kommen mit dem nächsten Paket des Kreises.")
    if user.role is not Role.KREIS:
        raise PermissionDenied(f"{what}: nur Mitarbeitende des Kreises (Rolle »Kreis«) können das ändern.")


def add_version(store: Store, user: CurrentUser, table: kdu.KduTable) -> uuid.UUID:
    """Store a new table version (district only). Refused in German when the table has a gap (a municipality,
    area value or household size missing) or its validity overlaps or leaves a gap to the other versions."""
    require_district_staff(store, user, "Die KdU-Tabelle")
    kdu.validate_table(table)
    with store.session(user.username) as s:
        existing = [v.table for v in versions(s)]
        kdu.validate_versions([*existing, table])
        row = KduTableVersion(label=table.label, valid_from=table.valid_from, valid_until=table.valid_until,
                              data=table.to_dict())
        s.add(row)
        s.flush()
        audit.append(s, user.username, "kdu_table_added", object_type="kdu_table", object_id=str(row.id),
                     detail=table.valid_from.isoformat())
        return row.id


def end_version(store: Store, user: CurrentUser, version_id: uuid.UUID, valid_until: date | None) -> None:
    """Set or clear the end of a version; the versions must still be free of gaps and overlaps."""
    require_district_staff(store, user, "Die KdU-Tabelle")
    with store.session(user.username) as s:
        row = s.get(KduTableVersion, version_id)
        if row is None or row.deleted_at is not None:
            raise InvalidInput("Diese Tabellenversion gibt es nicht.")
        others = [v.table for v in versions(s) if v.id != version_id]
        changed = kdu.table_from_dict(row.data | {"valid_until": valid_until.isoformat() if valid_until else None})
        kdu.validate_table(changed)
        kdu.validate_versions([*others, changed])
        row.valid_until, row.data = valid_until, changed.to_dict()
        audit.append(s, user.username, "kdu_table_changed", object_type="kdu_table", object_id=str(row.id))
