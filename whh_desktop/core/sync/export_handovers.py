"""Case handovers in exports (a person moves to another site, DESIGN.md §10): the site sends a requested handover
with the case's document contents; the district forwards the whole case to the new site only (``incoming``) and
tells the old one it is ``done``. A handover is never visible to other sites."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.store import dialect
from whh_desktop.core.store.models import Handover
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.export_rows import Row, index, select_rows
from whh_desktop.core.sync.export_selection import Aggregate


def pending(session: Session, site: str) -> dict[str, Handover]:
    """The handovers ``site`` has asked for and not yet sent, by case hex."""
    return {h.case_id.hex: h for h in session.execute(
        select(Handover).where(Handover.state == "requested", Handover.from_site == site)).scalars()}


def site_entries(session: Session, site: str, pending: Mapping[str, Handover], shares: Mapping[str, bool],
                 aggregates: Mapping[str, Aggregate]) -> list[dict[str, Any]]:
    """The handover entries of a site export, each with its documents' contents."""
    handovers = []
    for case_hex, h in pending.items():
        if not shares.get(case_hex):
            continue  # no consent (any more): the handover waits; handover_case checked it when asked
        docs = []
        for doc in aggregates[case_hex].children.get("documents", []):
            doc_hex = doc[index("documents", "id")]
            data = dialect.scalar(session.connection(),
                "SELECT data FROM document_contents WHERE document_id = ?", (doc_hex,))
            if data is not None:
                docs.append({"document_id": pl.hyphenated(doc_hex), "data": base64.b64encode(data).decode()})
        handovers.append({"case_id": pl.hyphenated(case_hex), "case_number": h.case_number, "from_site": site,
                          "to_site": h.to_site, "state": "requested", "documents": docs})
    return handovers


def district_entries(session: Session, site: str,
                     out: dict[str, list[Row]]) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """The handover entries of a district export for ``site`` and what to record as sent. A case handed to
    ``site`` goes with its person and child rows (added to ``out``) and its documents."""
    handovers, sent = [], []
    incoming = session.execute(select(Handover).where(Handover.to_site == site,
                                                      Handover.state.in_(("received", "out_sent")))).scalars()
    for h in incoming:
        case_hex = h.case_id.hex
        case_rows = select_rows(session, "cases", "id = ?", (case_hex,))
        if not case_rows:
            continue
        out.setdefault("cases", []).extend(case_rows)
        out.setdefault("persons", []).extend(
            select_rows(session, "persons", "id = ?", (case_rows[0][index("cases", "person_id")],)))
        for model in pl.CASE_CHILDREN:
            out.setdefault(model.__tablename__, []).extend(
                select_rows(session, model.__tablename__, "case_id = ?", (case_hex,)))
        docs = [{"document_id": pl.hyphenated(d), "data": base64.b64encode(b).decode()}
                for d, b in dialect.rows(
                    session.connection(), "SELECT document_id, data FROM sync_handover_documents WHERE case_id = ?",
                    (case_hex,))]
        handovers.append({"case_id": str(h.case_id), "case_number": h.case_number, "from_site": h.from_site,
                          "to_site": h.to_site, "state": "incoming", "documents": docs})
        sent.append((str(h.case_id), "in_sent"))
    outgoing = session.execute(select(Handover).where(Handover.from_site == site,
                                                      Handover.state.in_(("received", "in_sent")))).scalars()
    for h in outgoing:
        handovers.append({"case_id": str(h.case_id), "case_number": h.case_number, "from_site": h.from_site,
                          "to_site": h.to_site, "state": "done", "documents": []})
        sent.append((str(h.case_id), "out_sent"))
    return handovers, sent
