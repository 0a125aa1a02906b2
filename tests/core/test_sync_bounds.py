"""Bounded resources on import (issue 10 point 6): non-regular files are refused before any read, the header and
the sizes come before the body, the rows are held to the signed header counts and a row limit, the payload is
decoded line by line; every hostile file is refused by ``whh import`` within 500 MB peak RSS (measured in the
child process: its VmHWM at exit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from tests.conftest import KREIS_PASSWORD, KREIS_USER
from tests.core.test_sync_import_fixtures import Exchange, dump, exchange, new_case  # noqa: F401
from whh_desktop.core.services import sync, sync_keys
from whh_desktop.core.sync import bundle, exporter, payload_stream
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.errors import BundleRefused

RSS_LIMIT_MB = 500


# ---- crafting validly signed bundles from compressed payload pieces ---------------------------------------------
def _plan(ex: Exchange) -> exporter.ExportPlan:
    new_case(ex.site, ex.site_user, "Grenzfall", kreis_consent=True)
    sync._ensure_secret(ex.site, "test")
    with ex.site.read_session() as s:
        return exporter.build_site_payload(s, site="loehne", store_id=ex.site.info.store_id, epoch=1, full=True)


def _signed(ex: Exchange, pieces: Iterator[bytes], counts: dict[str, int], name: str) -> Path:
    """Compress the pieces as a stream (never whole in this process) and sign them as the Löhne site would."""
    header = bundle.BundleHeader(
        format_version=bundle.FORMAT_VERSION, bundle_id="0b4a2c1e-8f7d-4e6a-9c3b-2d1f0e9a8b7c",
        kind=bundle.KIND_SITE_TO_DISTRICT, sender_site="loehne", sender_store_id=ex.site.info.store_id,
        sender_key_id=sync_keys.sender_identity(ex.site).key_id, for_site=None,
        recipient_key_ids=tuple(r.key_id for r in sync_keys.export_recipients(ex.site)), sequence=1, epoch=1,
        created_at=datetime.now(UTC).isoformat(timespec="seconds"), schema_version="0016", app_version="test",
        counts=counts, full=True)
    z = zlib.compressobj(1)
    compressed = b"".join([*(z.compress(p) for p in pieces), z.flush()])
    data = bundle._encrypt_and_sign(header.to_bytes(), compressed, sync_keys.sender_identity(ex.site),
                                    sync_keys.export_recipients(ex.site))
    path = ex.out / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _meta(plan: exporter.ExportPlan) -> bytes:
    meta = {k: plan.payload.get(k) for k in payload_stream.META_KEYS} | {"format": payload_stream.FORMAT}
    return b"M\t" + orjson.dumps(meta) + b"\n"


def _many_rows(plan: exporter.ExportPlan, total: int) -> Iterator[bytes]:
    """``total`` valid ``case_categories`` rows (copies of a real one), 2 000 per line."""
    case = plan.payload["entities"]["cases"][0]
    sync_columns = ("origin_site", "owner_site", "created_at", "updated_at", "updated_by", "version", "deleted_at")
    row = {"case_id": case["id"], "category": "ohne_unterkunft", "since": "2026-01-05", "id": case["id"],
           **{c: case[c] for c in sync_columns}}
    line = b"E\tcase_categories\t" + orjson.dumps([row] * payload_stream.ROWS_PER_LINE) + b"\n"
    yield _meta(plan)
    for _ in range(total // payload_stream.ROWS_PER_LINE):
        yield line


# The child's own peak: VmHWM of its address space, written when it exits. (``ru_maxrss`` of a child also counts the
# parent's memory it was forked from before ``exec``, so a large test worker would inflate it.)
_PEAK_PROBE = ("import atexit, sys\n"
               "def _peak():\n"
               "    for line in open('/proc/self/status'):\n"
               "        if line.startswith('VmHWM:'):\n"
               "            sys.stderr.write('\\nPEAK_KB ' + line.split()[1] + '\\n')\n"
               "atexit.register(_peak)\n"
               "from whh_desktop.cli import main\n"
               "sys.exit(main(sys.argv[1:]))\n")


def child_peak_mb(stderr: str) -> float:
    return int(stderr.rsplit("PEAK_KB ", 1)[1].split()[0]) / 1024


def _child_import(district_dir: Path, bundle_path: Path, *more: Path) -> tuple[int, float, dict]:
    """``whh import`` in a child process: exit code, its own peak RSS in MB, and the JSON report of the first file."""
    env = {**os.environ, "WHH_PASSWORD": KREIS_PASSWORD, "WHH_USER": KREIS_USER, "WHH_UNSAFE_TEST_KDF": "1"}
    proc = subprocess.run([sys.executable, "-c", _PEAK_PROBE, "--data-dir", str(district_dir), "import",
                           str(bundle_path), *map(str, more), "--json"], env=env, capture_output=True, text=True,
                          timeout=600)
    rss = child_peak_mb(proc.stderr)
    print(f"whh import {bundle_path.name}: peak RSS {rss:.0f} MB")  # the figure for the report
    return proc.returncode, rss, json.loads(proc.stdout)[0] if proc.stdout.strip() else {}


@pytest.fixture
def closed_district(exchange) -> Exchange:  # noqa: F811
    """The exchange with the district store closed, so the CLI child opens it alone."""
    exchange.district.close()
    return exchange


# ---- non-regular files -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["fifo", "dev_zero", "directory"])
def test_non_regular_files_are_refused_before_any_read(exchange, tmp_path, kind) -> None:  # noqa: F811
    if kind == "fifo":
        target = tmp_path / "pipe.whhb"
        os.mkfifo(target)  # nobody writes: a read would wait for ever
    elif kind == "dev_zero":
        target = Path("/dev/zero")  # endless: a read would fill the memory
    else:
        target = tmp_path / "ordner.whhb"
        target.mkdir()
    before = dump(exchange.district)
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(exchange.import_district(target)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "the import waited on or read the non-regular file"
    [report] = result[0]  # type: ignore[misc]
    assert not report.applied and report.code == "not_a_file", report.reason
    assert "keine gewöhnliche Datei" in report.reason
    assert dump(exchange.district) == before
    with pytest.raises(BundleRefused) as info:
        bundle.read_header_file(target)
    assert info.value.code == "not_a_file"


def test_the_header_and_sizes_are_checked_before_the_body_is_read(exchange, monkeypatch) -> None:  # noqa: F811
    ex = exchange
    good = _signed(ex, iter([os.urandom(2 * bundle.HEAD_BYTES)]), {}, "gross.whhb")  # a body beyond the head
    requested: list[int] = []
    real = bundle._read_exactly
    monkeypatch.setattr(bundle, "_read_exactly", lambda fd, n: requested.append(n) or real(fd, n))
    header, size = bundle.read_header_file(good)  # ``whh bundle inspect``
    assert header.sequence == 1 and size == good.stat().st_size
    assert sum(requested) <= bundle.HEAD_BYTES < size  # the body was never asked for
    # a file one byte too long is refused from its head alone: the body is not read
    longer = good.with_name("laenger.whhb")
    longer.write_bytes(good.read_bytes() + b"\x00")
    requested.clear()
    with pytest.raises(BundleRefused) as info:
        bundle.read_bundle_file(longer)
    assert info.value.code == "header_invalid" and sum(requested) <= bundle.HEAD_BYTES
    # a file larger than any bundle may be is refused from its size alone
    requested.clear()
    with pytest.raises(BundleRefused) as info:
        bundle.read_bundle_file(good, limit=size - 1)
    assert info.value.code == "payload_too_large" and requested == []


def test_header_counts_above_the_row_limit_are_refused_before_decryption(closed_district) -> None:
    ex = closed_district
    plan = _plan(ex)
    path = _signed(ex, _many_rows(plan, 4_000), {"case_categories": bundle.MAX_ROWS + 1}, "viel.whhb")
    with pytest.raises(BundleRefused) as info:
        bundle.read_bundle_file(path)
    assert info.value.code == "too_many_rows"


@pytest.mark.slow
def test_a_million_tiny_rows_are_refused_within_the_memory_bound(closed_district) -> None:
    """1 000 000 valid rows in a ~1 MB bundle: the header claims the most a bundle may hold, so the reader keeps
    every row up to the limit before the row too many refuses the bundle (the worst case for memory)."""
    ex = closed_district
    plan = _plan(ex)
    claimed = bundle.MAX_ROWS - 1
    path = _signed(ex, _many_rows(plan, 1_000_000), {"case_categories": claimed}, "million.whhb")
    assert path.stat().st_size < 3 * 1024 * 1024
    code, rss, report = _child_import(ex.district.paths.root, path)
    assert code == 1 and not report["applied"]
    assert "mehr Datensätze als im Kopfteil" in report["reason"]
    assert rss < RSS_LIMIT_MB, f"peak RSS {rss:.0f} MB"


@pytest.mark.slow
def test_two_bundles_at_the_row_limit_in_one_batch_stay_within_the_bound(closed_district) -> None:
    """The next file is read ahead only while the current one is small: never two near the limit at once."""
    ex = closed_district
    plan = _plan(ex)
    counts = {"case_categories": bundle.MAX_ROWS - 1}
    first = _signed(ex, _many_rows(plan, 1_000_000), counts, "million-1.whhb")
    second = _signed(ex, _many_rows(plan, 1_000_000), counts, "million-2.whhb")
    code, rss, report = _child_import(ex.district.paths.root, first, second)
    assert code == 1 and not report["applied"]
    assert rss < RSS_LIMIT_MB, f"peak RSS {rss:.0f} MB"


def test_rows_beyond_the_header_counts_are_refused_at_the_first_one(closed_district) -> None:
    ex = closed_district
    plan = _plan(ex)
    path = _signed(ex, _many_rows(plan, 1_000_000), {"case_categories": 2_000}, "gelogen.whhb")
    code, rss, report = _child_import(ex.district.paths.root, path)
    assert code == 1 and "mehr Datensätze als im Kopfteil" in report["reason"]
    assert rss < 250, f"peak RSS {rss:.0f} MB"


def _long_line(plan: exporter.ExportPlan, tag: bytes, megabytes: int) -> Iterator[bytes]:
    yield _meta(plan)
    yield tag
    block = b"A" * (1024 * 1024)
    for _ in range(megabytes):
        yield block


@pytest.mark.parametrize("tag", [b"E\tcases\t[", b"D\t0b4a2c1e-8f7d-4e6a-9c3b-2d1f0e9a8b7c\t"])
def test_a_500_mb_payload_is_refused_at_its_first_overlong_line(closed_district, tag) -> None:
    ex = closed_district
    path = _signed(ex, _long_line(_plan(ex), tag, 500), {"cases": 1}, "riesig.whhb")
    code, rss, report = _child_import(ex.district.paths.root, path)
    assert code == 1 and "unzulässig lang" in report["reason"], report
    assert rss < RSS_LIMIT_MB, f"peak RSS {rss:.0f} MB"


def test_a_500_mb_payload_in_the_old_single_document_format_is_refused_unparsed(closed_district) -> None:
    ex = closed_district
    plan = _plan(ex)

    def document() -> Iterator[bytes]:
        yield b'{"format":1,"entities":{"cases":['
        block = b"{}," * (1024 * 1024 // 3)
        for _ in range(500):
            yield block
    path = _signed(ex, document(), {"cases": 1}, "alt-riesig.whhb")
    code, rss, report = _child_import(ex.district.paths.root, path)
    assert code == 1 and "älteren Format ist zu groß" in report["reason"], report
    assert rss < RSS_LIMIT_MB, f"peak RSS {rss:.0f} MB"
    assert plan.sequence == 1


# ---- the strict JSON of a line -------------------------------------------------------------------------------------
def _source(*lines: bytes) -> payload_stream.Source:
    return payload_stream.open_source(b"\n".join(lines) + b"\n")


META = b'M\t{"format":2,"kind":"site_to_district","site":"loehne","store_id":"s","epoch":1,"sequence":1,' \
       b'"full":true,"for_site":"kreis","ack":null}'


@pytest.mark.parametrize("line, why", [
    (b'E\tcases\t[{"id":1,"id":2}]', "doppelte Schlüssel"),
    (b'E\tcases\t[{"cold_rent":NaN}]', "kein gültiges JSON"),
    (b'E\tcases\t[{"cold_rent":Infinity}]', "kein gültiges JSON"),
    (b'E\tcases\t[{"cold_rent":1e999}]', "kein gültiges JSON"),
    (b'E\tcases\t[{"family_name":"\\ud800"}]', "kein gültiges JSON"),
    (b'E\tcases\t[ {"id":1}]', "nicht erlaubte Schreibweise"),
    (b'E\tcases\t[{"n":"\\u0041"}]', "nicht erlaubte Schreibweise"),
])
def test_duplicate_keys_nan_infinity_and_lone_surrogates_are_refused(line, why) -> None:
    source = _source(META, line)
    with pytest.raises(payload_stream.StreamInvalid, match=why):
        for _entity, rows in source.entities():
            list(rows)


def test_the_decoder_refuses_them_through_parse_with_a_german_reason() -> None:
    with pytest.raises(pl.PayloadInvalid, match="doppelte Schlüssel"):
        pl.parse(b"\n".join([META.replace(b'"epoch":1,', b'"epoch":1,"epoch":1,'), b""]),
                 expected_kind=pl.SITE_TO_DISTRICT, sender_site="loehne", recipient_site="kreis")


def test_format_1_payloads_stay_readable(exchange) -> None:  # noqa: F811
    """Bundle format N−1: the single JSON document of the previous release is still imported."""
    ex = exchange
    plan = _plan(ex)
    old = {**plan.payload, "format": 1}
    data = bundle.write_bundle(pl.dumps(old), kind=pl.SITE_TO_DISTRICT, sequence=plan.sequence, epoch=1,
                               counts=plan.counts, full=True, for_site=None,
                               sender=sync_keys.sender_identity(ex.site),
                               recipients=sync_keys.export_recipients(ex.site), schema_version="0015",
                               app_version="0.9.0")
    path = ex.out / "alt.whhb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    [report] = ex.import_district(path)
    assert report.applied and report.counts.get("cases") == 1, report.reason
