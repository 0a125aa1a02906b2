"""District → site: the district-owned registry rows (landlords, offers, KdU tables, district address book,
district landlord notes, Karenzzeit rules, local courts), the decisions on that site's registry requests, case
handovers (only to the two sites concerned) and the acknowledgement "Kreis hat Stand bis Export N"."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from whh_desktop.core.store import dialect
from whh_desktop.core.sync import export_handovers
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.export_plan import ExportPlan, encode_rows
from whh_desktop.core.sync.export_rows import Row, changed, export_state, max_change, select_in, select_rows


def build_district_payload(session: Session, *, site: str, store_id: str, epoch: int,
                           today: date | None = None) -> ExportPlan:
    state = export_state(session, site)
    first = state.last_sequence == 0 or state.epoch != epoch
    sequence = 1 if state.epoch != epoch else state.last_sequence + 1
    hi = max_change(session)
    out: dict[str, list[Row]] = {}
    since = None if first else changed(session, state.last_change_seq, hi)
    for model in pl.DISTRICT_MODELS:
        name = model.__tablename__
        extra = " AND owner_site = ?"
        params: tuple[str, ...] = (pl.DISTRICT,)
        if name == "registry_decisions":  # only answers to this site's requests
            extra += " AND request_id IN (SELECT id FROM registry_requests WHERE owner_site = ?)"
            params = (pl.DISTRICT, site)
        if first:
            out[name] = select_rows(session, name, extra[5:], params)
        else:
            ids = since.get(name, set()) if since else set()
            out[name] = select_in(session, name, "id", ids, extra, params) if ids else []
    handovers, sent = export_handovers.district_entries(session, site, out)
    ack = acknowledgement(session, site)
    body = {"format": pl.FORMAT_VERSION, "kind": pl.DISTRICT_TO_SITE, "site": pl.DISTRICT, "store_id": store_id,
            "epoch": epoch, "sequence": sequence, "full": first, "for_site": site, "entities": encode_rows(out),
            "pseudonyms": [], "handovers": handovers, "ack": ack}
    counts = {e: len(rows) for e, rows in out.items() if rows}
    if handovers:
        counts["handovers"] = len(handovers)
    return ExportPlan(site, body, counts, sequence, epoch, first, hi, handovers=sent)


def acknowledgement(session: Session, site: str) -> dict[str, int] | None:
    """The highest sequence N such that exports 1…N of the site's latest epoch have all arrived."""
    rows = dialect.rows(session.connection(),
        "SELECT epoch, sequence FROM sync_imported_bundles WHERE sender_site = ? AND kind = ?",
        (site, pl.SITE_TO_DISTRICT))
    if not rows:
        return None
    epoch = max(e for e, _ in rows)
    have = {s for e, s in rows if e == epoch}
    n = 0
    while n + 1 in have:
        n += 1
    return {"epoch": epoch, "sequence": n}
