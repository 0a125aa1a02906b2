"""The payload inside a bundle: JSON, one section per entity, rows as dicts of column values.

On the wire (format 2) the sections travel line by line, a bounded JSON document per line, decoded strictly and
validated as they are read (``payload_stream``); format 1 (the previous release, still read) is the single JSON
document below. Both carry the same content, which the exporter builds as this dict::

    {"format": 1, "kind": "site_to_district" | "district_to_site", "site": sender site, "store_id": …,
     "epoch": n, "sequence": n, "full": bool, "for_site": site | null,
     "entities": {"persons": [{column: value, …}, …], …},
     "pseudonyms": [{"pseudonym", "person_pseudonym", "identified", "case_id", "person_id", "rev": [epoch, seq],
                     "data": {whitelisted statistics} | null}, …],
     "handovers": [{"case_id", "case_number", "from_site", "to_site", "state", "documents": [{"document_id",
                    "data": base64}]}, …],
     "ack": {"epoch": n, "sequence": n} | null}

UUIDs travel hyphenated, dates as ``YYYY-MM-DD``, UTC timestamps as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, booleans as
JSON booleans, JSON columns as JSON. No pickle, no eval: strict ``orjson.loads`` per line, then ``parse`` checks
every record (known entity, known columns, types, enum values, lengths, ownership) before anything touches the
store; any failure raises ``PayloadInvalid`` with a German message and the whole bundle is refused.

Rows are converted between this wire form and the form SQLAlchemy stores on SQLite (UUID as 32 hex digits, dates
and timestamps as ISO text, JSON as text, booleans 0/1) without going through the ORM: an import of 100 000 cases
must stay within 3× a plain SQLite insert of the same rows (DESIGN.md §7).

The parts: ``payload_schema`` (entities, columns, allowed values, the ``Payload`` value), ``payload_codec`` (rows
between wire and storage form, validating), ``payload_stream`` (the byte layout, read with bounds),
``payload_rules`` (ownership, case numbers, handovers) and ``payload_pseudonyms`` (the statistics whitelist).
This module runs them in order (``parse``) and keeps the names the exporter, importer and services use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from whh_desktop.core.sync import payload_stream
from whh_desktop.core.sync.payload_codec import (
    BIRTH_DATE_COLUMNS,
    JSON_SCHEMAS,
    BadValue,
    clean_text,
    dumps,
    encode,
    hyphenated,
    out_json,
    row_decoder,
    row_encoder,
)
from whh_desktop.core.sync.payload_pseudonyms import (
    APPLICATION_FIELDS,
    HOUSEHOLD_TYPES,
    MAX_DAYS,
    NATIONALITY_GROUPS,
    PSEUDONYM_FIELDS,
    PSEUDONYM_OPTIONAL,
    pseudonym_entry,
)
from whh_desktop.core.sync.payload_rules import (
    ROW_KINDS,
    check_case_numbers,
    check_handover_persons,
    check_owner,
    handover_entry,
    ownership_refusal,
    row_kind,
)
from whh_desktop.core.sync.payload_schema import (
    ALL_MODELS,
    CASE_CHILDREN,
    CHILD_TABLES,
    COUNSELLING_SITES,
    DISTRICT,
    DISTRICT_MODELS,
    DISTRICT_TABLES,
    DISTRICT_TO_SITE,
    ENUM_COLUMNS,
    FORMAT_VERSION,
    HANDOVER_MODELS,
    LIST_ENUM_COLUMNS,
    MAX_DOCUMENT_BYTES,
    MAX_JSON_ITEMS,
    MAX_TEXT,
    READABLE_FORMATS,
    SITE_MODELS,
    SITE_TO_DISTRICT,
    SITES,
    Column,
    Payload,
    PayloadInvalid,
    column_names,
    columns,
    refuse,
)

# the names callers import from here, wherever they live
__all__ = ["ALL_MODELS", "APPLICATION_FIELDS", "BIRTH_DATE_COLUMNS", "CASE_CHILDREN", "CHILD_TABLES",
           "COUNSELLING_SITES", "DISTRICT", "DISTRICT_MODELS", "DISTRICT_TABLES", "DISTRICT_TO_SITE", "ENUM_COLUMNS",
           "FORMAT_VERSION", "HANDOVER_MODELS", "HOUSEHOLD_TYPES", "JSON_SCHEMAS", "LIST_ENUM_COLUMNS", "MAX_DAYS",
           "MAX_DOCUMENT_BYTES", "MAX_JSON_ITEMS", "MAX_TEXT", "NATIONALITY_GROUPS", "PSEUDONYM_FIELDS",
           "PSEUDONYM_OPTIONAL", "READABLE_FORMATS", "ROW_KINDS", "SITES", "SITE_MODELS", "SITE_TO_DISTRICT", "Column",
           "Payload", "PayloadInvalid", "clean_text", "column_names", "columns", "dumps", "encode", "hyphenated",
           "ownership_refusal", "parse", "row_decoder", "row_encoder", "row_kind"]

_out_json = out_json  # health_filter's name for it (its import lines move with issue 17 point 1)


def parse(data: bytes | Iterable[bytes], *, expected_kind: str, sender_site: str, recipient_site: str,
          counts: Mapping[str, int] | None = None) -> Payload:
    """Decode and validate a payload completely; raises ``PayloadInvalid`` on the first problem. ``data`` is the
    payload or an iterator of its decompressed chunks; it is decoded line by line (``payload_stream``) with the
    row counts held to ``counts`` (the signed header's), so no hostile payload is ever held whole."""
    try:
        source = payload_stream.open_source(data, counts)
        return _parse(source, expected_kind=expected_kind, sender_site=sender_site, recipient_site=recipient_site)
    except payload_stream.StreamInvalid as exc:
        raise PayloadInvalid(str(exc)) from None


def _parse(source: payload_stream.Source, *, expected_kind: str, sender_site: str,
           recipient_site: str) -> Payload:
    obj = source.meta
    allowed_keys = {"format", "kind", "site", "store_id", "epoch", "sequence", "full", "for_site", "entities",
                    "pseudonyms", "handovers", "ack"}
    if set(obj) - allowed_keys:
        raise refuse(f"unbekannter Abschnitt {sorted(set(obj) - allowed_keys)[0]!r}")
    if obj.get("format") not in READABLE_FORMATS:
        raise PayloadInvalid("Das Paket wurde mit einem neueren Programm erstellt (Inhaltsformat "
                             f"{obj.get('format')!r}). Bitte WHH Desktop aktualisieren.")
    kind = obj.get("kind")
    if kind != expected_kind:
        raise refuse("falsche Richtung (Standort/Kreis)")
    if obj.get("site") != sender_site:
        raise refuse("der Absender im Inhalt passt nicht zum Absender des Pakets")
    for key in ("epoch", "sequence"):
        if type(obj.get(key)) is not int or obj[key] < 1:
            raise refuse(f"{key} fehlt")
    if type(obj.get("store_id")) is not str or len(obj["store_id"]) > 36:
        raise refuse("store_id fehlt")
    if type(obj.get("full")) is not bool:
        raise refuse("full fehlt")
    for_site = obj.get("for_site")
    if kind == DISTRICT_TO_SITE and for_site != recipient_site:
        raise PayloadInvalid("Dieses Paket ist für einen anderen Standort bestimmt. Es wurde nichts übernommen.")
    p = Payload(kind=kind, site=sender_site, store_id=obj["store_id"], epoch=obj["epoch"],
                sequence=obj["sequence"], full=obj["full"], for_site=for_site)
    allowed_models = SITE_MODELS if kind == SITE_TO_DISTRICT else DISTRICT_MODELS
    allowed = {m.__tablename__ for m in allowed_models}
    handover_ids: set[str] = set()
    for h in source.handovers():
        p.handovers.append(handover_entry(h, kind, sender_site, recipient_site))
        handover_ids.add(h["case_id"])
    for entity, rows in source.entities():
        if entity not in ALL_MODELS or (entity not in allowed and not (
                kind == DISTRICT_TO_SITE and entity in {m.__tablename__ for m in HANDOVER_MODELS})):
            raise refuse(f"unbekannte Datenart {str(entity)[:40]!r}")
        decode = row_decoder(entity, p.warnings)
        names = column_names(entity)
        owner_at = names.index("owner_site")
        origin_at = names.index("origin_site")
        out = []
        for n, row in enumerate(rows, 1):
            try:
                values = decode(row)
            except BadValue as exc:
                raise refuse(f"{entity}, Datensatz {n}: {exc.why}") from None
            owner = values[owner_at]
            if values[origin_at] not in SITES:
                raise refuse(f"{entity}, Datensatz {n}: unbekannter Herkunftsstandort")
            check_owner(entity, row, owner, kind, sender_site, recipient_site, handover_ids, n)
            out.append(values)
        if entity == "cases":
            check_case_numbers(out, names, sender_site)
        p.rows[entity] = out
    if kind == DISTRICT_TO_SITE and p.rows.get("persons"):
        check_handover_persons(p)
    for n, e in enumerate(source.pseudonyms(), 1):
        if kind != SITE_TO_DISTRICT:
            raise refuse("Abschnitt pseudonyms ungültig")
        p.pseudonyms.append(pseudonym_entry(e, n))
    source.finish()
    ack = obj.get("ack")
    if ack is not None:
        if kind != DISTRICT_TO_SITE or type(ack) is not dict or set(ack) != {"epoch", "sequence"} or any(
                type(v) is not int or v < 0 for v in ack.values()):
            raise refuse("Abschnitt ack ungültig")
        p.ack = ack
    return p

