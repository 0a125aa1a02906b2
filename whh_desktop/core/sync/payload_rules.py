"""The trust rules a payload is held to before anything touches the store (DESIGN.md §10, issue 10): a site sends
only its own rows; the district sends its registry rows and case rows only inside a handover to the recipient;
case numbers belong to the case's origin site; handover entries name the sender's cases or the recipient only.
Any breach refuses the whole bundle with a German message.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.sync.payload_codec import BadValue, in_str, in_uuid
from whh_desktop.core.sync.payload_schema import (
    COUNSELLING_SITES,
    DISTRICT,
    DISTRICT_TABLES,
    DISTRICT_TO_SITE,
    MAX_DOCUMENT_BYTES,
    SITE_TO_DISTRICT,
    Column,
    Payload,
    PayloadInvalid,
    column_names,
    refuse,
)

ROW_KINDS = {"persons": "Person", "cases": "Fall", "case_categories": "Kategorie", "household_members":
             "Haushaltsmitglied", "incomes": "Einkommen", "contacts": "Kontakt", "eviction_proceedings":
             "Räumungsverfahren", "rent_ledger": "Mietschuld", "referrals": "Vermittlung", "consents": "Einwilligung",
             "deadlines": "Frist", "documents": "Dokument", "housing_searches": "Wohnungssuche", "proposals":
             "Wohnungsvorschlag", "applications": "Antrag", "application_objections": "Widerspruch",
             "help_plan_goals": "Hilfeplanziel", "help_plan_services": "Hilfeplanleistung",
             "help_plan_conferences": "Hilfeplankonferenz", "registry_requests": "Vorschlag an den Kreis",
             "landlord_notes": "Vermieterkontakt", "landlords": "Vermieter", "flat_offers": "Wohnungsangebot",
             "kdu_tables": "KdU-Tabelle", "address_book": "Adressbucheintrag", "registry_decisions":
             "Entscheidung des Kreises", "pseudonyms": "Pseudonym-Eintrag", "handover": "Übergabe"}


def row_kind(entity: str) -> str:
    """The German name of a kind of row, for refusal messages."""
    return ROW_KINDS.get(entity, entity)


def ownership_refusal(sender: str, owner: str | None, entity: str, detail: str = "") -> PayloadInvalid:
    """The whole bundle is refused: it refers to a row that belongs to another site (DESIGN.md §10)."""
    whose = f"von {site_label(owner)}" if owner else "eines anderen Standorts"
    extra = f" {detail}" if detail else ""
    sent = "des Kreises" if sender == DISTRICT else f"von {site_label(sender)}"
    err = PayloadInvalid(f"Das Paket {sent} verweist auf Daten {whose} ({row_kind(entity)}){extra}. Ein Standort "
                         "darf nur eigene Daten senden; es wurde nichts übernommen.")
    err.code = "ownership"
    return err


def check_owner(entity: str, row: dict[str, Any], owner: str, kind: str, sender: str, recipient: str,
                 handover_ids: set[str], n: int) -> None:
    """A row's owner fits the direction: a site sends only its own rows; the district its own registry rows, and
    case rows only of a case handed over to the recipient in this very bundle."""
    if kind == SITE_TO_DISTRICT:
        if owner != sender:
            raise PayloadInvalid(f"Das Paket von {site_label(sender)} enthält Datensätze eines anderen Standorts "
                                 f"({site_label(owner)}, {row_kind(entity)}, Datensatz {n}). Es wurde nichts "
                                 "übernommen.")
        return
    if entity in DISTRICT_TABLES:
        if owner != DISTRICT:
            raise PayloadInvalid(f"Das Paket des Kreises enthält Datensätze, die nicht dem Kreis gehören ({entity}, "
                                 f"Datensatz {n}). Es wurde nichts übernommen.")
        return
    # case aggregate rows only travel district → site inside a handover to this very site
    case_id = row["id"] if entity == "cases" else row.get("case_id")
    if owner != recipient or (entity != "persons" and case_id not in handover_ids):
        raise PayloadInvalid(f"Das Paket des Kreises enthält Falldaten ohne Übergabe an diesen Standort ({entity}, "
                             f"Datensatz {n}). Es wurde nichts übernommen.")


_CASE_NUMBER = re.compile(r"([A-Z]{2,4})-(\d{4})-(\d{4,6})\Z")


def check_case_numbers(rows: list[tuple[Any, ...]], names: list[str], sender: str) -> None:
    """A case number is ``PREFIX-YEAR-SERIAL`` in the series of the case's origin site (intake.next_case_number).
    A case from another origin site is only legitimate when it was handed over to the sender, which the importer
    checks against the store."""
    at_number, at_origin = names.index("case_number"), names.index("origin_site")
    for n, values in enumerate(rows, 1):
        origin = values[at_origin]
        match = _CASE_NUMBER.match(str(values[at_number]))
        if origin == DISTRICT or match is None or match.group(1) != SiteCode(origin).case_prefix:
            raise PayloadInvalid(f"Der Inhalt des Pakets von {site_label(sender)} ist ungültig: Fall, Datensatz {n}: "
                                 "Aktenzeichen passt nicht zum Herkunftsstandort. Es wurde nichts übernommen.")


def check_handover_persons(p: Payload) -> None:
    """District → site: a person travels only as the person of a handed-over case in the same bundle."""
    names = column_names("cases")
    wanted = {r[names.index("person_id")] for r in p.rows.get("cases", ())}
    id_at = column_names("persons").index("id")
    for n, r in enumerate(p.rows["persons"], 1):
        if r[id_at] not in wanted:
            raise PayloadInvalid("Das Paket des Kreises enthält Personendaten ohne Übergabe an diesen Standort "
                                 f"(Person, Datensatz {n}). Es wurde nichts übernommen.")


def site_label(site: str | None) -> str:
    """The German name of a site code; an unknown code shortened as it came (for refusal messages)."""
    try:
        return SiteCode(site or "").label
    except ValueError:
        return str(site)[:20]


def handover_entry(h: Any, kind: str, sender: str, recipient: str) -> dict[str, Any]:
    """One handover entry, validated: known sites, a request for the sender's own case (site → district) or a
    handover to or from the recipient (district → site); its documents decoded."""
    keys = {"case_id", "case_number", "from_site", "to_site", "state", "documents"}
    if type(h) is not dict or set(h) != keys:
        raise refuse("Übergabe: falscher Aufbau")
    try:
        case_hex = in_uuid(h["case_id"], Column("case_id", "uuid", False))
        number = in_str(h["case_number"], Column("case_number", "str", False, 20))
    except BadValue as exc:
        raise refuse(f"Übergabe: {exc.why}") from None
    if h["from_site"] not in COUNSELLING_SITES or h["to_site"] not in COUNSELLING_SITES \
            or h["from_site"] == h["to_site"]:
        raise refuse("Übergabe: unbekannter Standort")
    if kind == SITE_TO_DISTRICT and (h["from_site"] != sender or h["state"] != "requested"):
        raise PayloadInvalid("Das Paket enthält eine Übergabe eines Falls, der nicht dem Absender gehört. Es wurde "
                             "nichts übernommen.")
    if kind == DISTRICT_TO_SITE and not ((h["state"] == "incoming" and h["to_site"] == recipient)
                                         or (h["state"] == "done" and h["from_site"] == recipient)):
        raise PayloadInvalid("Das Paket enthält eine Übergabe für einen anderen Standort. Es wurde nichts "
                             "übernommen.")
    docs = h["documents"]
    if type(docs) is not list:
        raise refuse("Übergabe: Dokumente ungültig")
    documents = []
    for d in docs:
        if type(d) is not dict or set(d) != {"document_id", "data"} or type(d["data"]) is not str \
                or len(d["data"]) > MAX_DOCUMENT_BYTES * 4 // 3 + 4:
            raise refuse("Übergabe: Dokument ungültig")
        try:
            doc_hex = in_uuid(d["document_id"], Column("document_id", "uuid", False))
            data = base64.b64decode(d["data"], validate=True)
        except (BadValue, binascii.Error, ValueError):
            raise refuse("Übergabe: Dokument ungültig") from None
        documents.append((doc_hex, data))
    return {"case_id": h["case_id"], "case_hex": case_hex, "case_number": number, "from_site": h["from_site"],
            "to_site": h["to_site"], "state": h["state"], "documents": documents}
