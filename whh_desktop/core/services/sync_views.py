"""What the Austausch area shows, read in a session of its own: the Kreis's acknowledgement at a site, and at
the Kreis the status per site and the import history (frozen rows of ``core/sync/ledger``)."""

from __future__ import annotations

from dataclasses import dataclass

from whh_desktop.core.services import sync
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store
from whh_desktop.core.sync.ledger import HistoryRow, SiteStatus


def district_ack_message(store: Store, user: CurrentUser) -> str:
    """At a site: what the Kreis has confirmed reading (German, one line)."""
    with store.read_session() as s:
        return sync.district_ack(s).message


@dataclass(frozen=True)
class DistrictLedger:
    status: tuple[SiteStatus, ...]
    history: tuple[HistoryRow, ...]


def district_ledger(store: Store, user: CurrentUser) -> DistrictLedger:
    """At the Kreis: per site the last bundle and gaps, and the import history with refusals."""
    with store.read_session() as s:
        return DistrictLedger(tuple(sync.site_status(s)), tuple(sync.import_history(s, with_refusals=True)))
