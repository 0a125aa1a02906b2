"""What the Austausch area shows, read in a session of its own: the Kreis's acknowledgement at a site, and at
the Kreis the status per site and the import history (frozen rows of ``core/sync/ledger``). It reads the ledger
itself, so the status bar's last export does not load the exchange services at start."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from whh_desktop.core.errors import WhhError
from whh_desktop.core.services import staff
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import ExportState
from whh_desktop.core.sync import ledger
from whh_desktop.core.sync.ledger import HistoryRow, SiteStatus


def district_ack_message(store: Store, user: CurrentUser) -> str:
    """At a site: what the Kreis has confirmed reading (German, one line)."""
    with store.read_session() as s:
        return ledger.district_ack(s).message


@dataclass(frozen=True)
class DistrictLedger:
    status: tuple[SiteStatus, ...]
    history: tuple[HistoryRow, ...]
    staff: dict[str, str] = field(default_factory=dict)  # login -> display name (who imported)

    def who(self, username: str | None) -> str:
        return staff.name_of(self.staff, username)


def district_ledger(store: Store, user: CurrentUser) -> DistrictLedger:
    """At the Kreis: per site the last bundle and gaps, and the import history with refusals."""
    with store.read_session() as s:
        return DistrictLedger(tuple(ledger.site_status(s)), tuple(ledger.import_history(s, with_refusals=True)),
                              staff.names(s))


@dataclass(frozen=True)
class LastExport:
    """The newest export this store wrote (to the Kreis at a site, to any site at the Kreis), for the status bar."""
    at: datetime | None
    sequence: int | None


def last_export(store: Store, user: CurrentUser) -> LastExport:
    with store.read_session() as s:
        row = s.execute(select(ExportState.last_export_at, ExportState.last_sequence)
                        .where(ExportState.last_export_at.is_not(None))
                        .order_by(ExportState.last_export_at.desc()).limit(1)).first()
    return LastExport(row[0], row[1]) if row else LastExport(None, None)


NO_SITE_KEY = ("Von keinem Standort ist ein Schlüssel eingelesen, es kann noch kein Paket geschrieben werden. Bitte "
               "unter »Austausch → Schlüssel« die Schlüsseldateien der Standorte einlesen und die Fingerabdrücke "
               "bestätigen.")


def export_blocker(store: Store, user: CurrentUser) -> str:
    """Why no export can be written now (the other side's key is missing), asked BEFORE a folder is chosen;
    empty when the keys are there."""
    from whh_desktop.core.services import sync_keys  # keys and escrow sheets: only when an export is near

    try:
        recipients = sync_keys.export_recipients(store)
    except WhhError as exc:
        return str(exc)
    return NO_SITE_KEY if store.info.mode == "district" and not recipients else ""
