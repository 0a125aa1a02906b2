"""The line layout of the payload (format 2): what the writer writes reads back unchanged; any damage to it is
refused with ``StreamInvalid`` (a German reason), never another exception; row counts hold to the header."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.sync import payload_stream as ps

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_scalar = st.one_of(st.none(), st.booleans(), st.integers(-(2**53), 2**53), _text,
                    st.floats(allow_nan=False, allow_infinity=False))
_row = st.dictionaries(st.sampled_from(["id", "name", "note", "n", "flag", "when"]), _scalar, max_size=6)
_uuid = st.uuids().map(str)


@st.composite
def payloads(draw: Any) -> dict[str, Any]:
    entities = draw(st.dictionaries(st.sampled_from(["persons", "cases", "contacts", "consents"]),
                                    st.lists(_row, max_size=5), max_size=4))
    handovers = draw(st.lists(st.fixed_dictionaries({
        "case_id": _uuid, "case_number": _text, "from_site": st.just("loehne"), "to_site": st.just("vlotho"),
        "state": st.just("requested"),
        "documents": st.lists(st.fixed_dictionaries({"document_id": _uuid,
                                                     "data": st.binary(max_size=40).map(_b64)}), max_size=2)}),
        max_size=2))
    pseudonyms = draw(st.lists(st.fixed_dictionaries({"pseudonym": _text, "identified": st.booleans()}),
                               max_size=4))
    return {"format": 2, "kind": "site_to_district", "site": "loehne", "store_id": "s", "epoch": 1, "sequence": 1,
            "full": True, "for_site": "kreis", "ack": None, "entities": entities, "handovers": handovers,
            "pseudonyms": pseudonyms}


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def read_all(source: ps.Source) -> dict[str, Any]:
    out: dict[str, Any] = {"meta": source.meta, "handovers": source.handovers(), "entities": {}}
    for entity, rows in source.entities():
        out["entities"][entity] = list(rows)
    out["pseudonyms"] = list(source.pseudonyms())
    source.finish()
    return out


@given(payloads())
def test_what_the_writer_writes_reads_back_unchanged(payload) -> None:
    data = ps.encode(payload)
    got = read_all(ps.open_source(data, ps.counts_of(payload)))
    assert got["meta"] == {k: payload[k] for k in ps.META_KEYS}
    assert got["entities"] == payload["entities"]
    assert got["handovers"] == payload["handovers"]
    assert got["pseudonyms"] == payload["pseudonyms"]
    # the same, fed in small decompressed pieces as a bundle stream delivers them
    pieces = [data[i:i + 7] for i in range(0, len(data), 7)]
    assert read_all(ps.open_source(iter(pieces), ps.counts_of(payload)))["entities"] == payload["entities"]


@given(payloads(), st.data())
def test_any_damage_is_refused_with_a_reason_never_a_crash(payload, data) -> None:
    raw = bytearray(ps.encode(payload))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(raw) - 1))
        raw[at] = data.draw(st.integers(0, 255))
    try:
        got = read_all(ps.open_source(bytes(raw), ps.counts_of(payload)))
    except ps.StreamInvalid as exc:
        assert "ungültig" in str(exc) or "zu groß" in str(exc)
        return
    # a change the layout cannot see (inside a string, a document's base64) still reads as the same shape
    assert set(got["meta"]) == set(ps.META_KEYS)
    assert all(isinstance(rows, list) for rows in got["entities"].values())
    assert len(got["handovers"]) == len(payload["handovers"])
    assert sum(map(len, got["entities"].values())) == sum(map(len, payload["entities"].values()))


@given(payloads(), st.integers(1, 3))
def test_more_rows_than_the_header_claims_are_refused(payload, extra) -> None:
    rows = [{"id": n} for n in range(extra)]
    payload["entities"]["cases"] = payload["entities"].get("cases", []) + rows
    claimed = ps.counts_of(payload) | {"cases": len(payload["entities"]["cases"]) - extra}
    with pytest.raises(ps.StreamInvalid, match="Kopfteil"):
        read_all(ps.open_source(ps.encode(payload), claimed))


def test_fewer_rows_than_the_header_claims_are_refused() -> None:
    payload = {"format": 2, "kind": "site_to_district", "site": "loehne", "store_id": "s", "epoch": 1,
               "sequence": 1, "full": True, "for_site": "kreis", "ack": None, "entities": {"cases": [{"id": 1}]}}
    with pytest.raises(ps.StreamInvalid, match="passt nicht zum Kopfteil"):
        read_all(ps.open_source(ps.encode(payload), {"cases": 2}))


def test_an_overlong_line_is_refused_before_it_is_whole() -> None:
    def chunks():
        yield b'M\t{"format":2}\n'
        yield b"E\tcases\t["
        while True:  # endless: only the length bound ends it
            yield b"1," * 65536

    with pytest.raises(ps.StreamInvalid, match="unzulässig lang"):
        for _line in ps.lines(chunks()):
            pass
