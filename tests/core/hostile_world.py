"""A small world for the hostile-bundle tests: the district holds cases of Löhne and Bünde, and both sites can
write validly signed bundles with any payload (a stolen laptop or a bug in an old version, issue 10).

Bundles are signed with the project's own code (``write_bundle`` and the sites' keys); only the payload is changed
before signing. The payload is written with ``json.dumps`` (ASCII escapes), so a lone surrogate travels as
``\\udXXX`` exactly as a hostile writer would send it.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

from tests.conftest import COUNSELLOR, COUNSELLOR_PASSWORD, TemplateStore
from tests.core.test_sync_import_fixtures import Exchange, new_case, pair_keys
from whh_desktop.core.services import login, sync, sync_keys
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import dialect
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.schema import head_revision
from whh_desktop.core.sync import exporter, payload_stream
from whh_desktop.core.sync import payload as pl
from whh_desktop.core.sync.bundle import write_bundle
from whh_desktop.paths import DataPaths

GERMAN = re.compile(r"nicht|Paket|Datei|Inhalt|übernommen|Standort|Kreis|gehört")


@dataclass
class World:
    ex: Exchange
    buende: Store
    buende_user: CurrentUser
    b_case: Any          # uuid.UUID of Bünde's case at the district
    l_case: Any          # uuid.UUID of Löhne's case at the district
    seq: dict[str, int] = field(default_factory=dict)
    own: dict[str, Any] = field(default_factory=dict)  # a payload of Löhne kept by a test

    @property
    def district(self) -> Store:
        return self.ex.district

    def next_sequence(self, store: Store) -> int:
        """A sequence the ledger has not seen for this sender (within the window above the last one)."""
        n = self.seq.get(store.info.site_code, 50) + 1
        self.seq[store.info.site_code] = n
        return n

    def import_district(self, *paths: Path) -> list[sync.ImportReport]:
        return self.ex.import_district(*paths)


def make_site(tmp_path: Path, district: Store, template: TemplateStore) -> tuple[Store, CurrentUser]:
    """A second site store (a copy of the session's template: admin and counsellor set up) with keys exchanged
    with the district."""
    paths = DataPaths(tmp_path / "buende")
    shutil.copytree(template.paths.root, paths.root)
    store, user = login.unlock(paths, COUNSELLOR, COUNSELLOR_PASSWORD)
    pair_keys(store, district)
    return store, user


def build_world(ex: Exchange, tmp_path: Path, buende_template: TemplateStore) -> World:
    """``buende_template``: the ``_buende_template`` fixture (tests/conftest.py)."""
    buende, buende_user = make_site(tmp_path, ex.district, buende_template)
    b_case = new_case(buende, buende_user, "Bündner", kreis_consent=True)
    l_case = new_case(ex.site, ex.site_user, "Löhner", kreis_consent=True)
    reports = ex.import_district(sync.export_for_district(buende, buende_user, ex.out).path, ex.export())
    assert all(r.applied for r in reports), [r.reason for r in reports]
    return World(ex, buende, buende_user, b_case, l_case)


def encode_any(payload: dict[str, Any]) -> bytes:
    """The payload's bundle bytes; strings the app's writer refuses (lone surrogates) are written the way another
    writer would, escaped by the standard library, so the reader's refusal is what the test sees."""
    try:
        return pl.encode(payload)
    except TypeError:
        with mock.patch.object(payload_stream, "_json",
                               lambda v: json.dumps(v, separators=(",", ":")).encode("ascii")):
            return pl.encode(payload)


def site_payload(store: Store) -> dict[str, Any]:
    """The full payload this site would export now (nothing recorded)."""
    sync._ensure_secret(store, "test")
    with store.read_session() as s:
        plan = exporter.build_site_payload(s, site=store.info.site_code, store_id=store.info.store_id,
                                           epoch=store.info.epoch, full=True)
    return copy.deepcopy(plan.payload)


def sign_site_bundle(store: Store, payload: dict[str, Any], path: Path, *, sequence: int, epoch: int = 1,
                     full: bool = True) -> Path:
    payload = {**payload, "sequence": sequence, "epoch": epoch, "full": full}
    body = encode_any(payload)
    data = write_bundle(body, kind=pl.SITE_TO_DISTRICT, sequence=sequence, epoch=epoch,
                        counts=payload_stream.counts_of(payload), full=full,
                        for_site=None, sender=sync_keys.sender_identity(store),
                        recipients=sync_keys.export_recipients(store), schema_version=head_revision(),
                        app_version="0.1.0")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def craft(w: World, store: Store, mutate: Callable[[dict[str, Any]], None], name: str = "crafted.whhb", *,
          sequence: int | None = None, epoch: int = 1) -> Path:
    p = site_payload(store)
    mutate(p)
    return sign_site_bundle(store, p, w.ex.out / "crafted" / name,
                            sequence=sequence if sequence is not None else w.next_sequence(store), epoch=epoch)


def district_payload(district: Store, site: str) -> dict[str, Any]:
    with district.read_session() as s:
        plan = exporter.build_district_payload(s, site=site, store_id=district.info.store_id,
                                               epoch=district.info.epoch)
    return copy.deepcopy(plan.payload)


def sign_district_bundle(district: Store, payload: dict[str, Any], path: Path, *, sequence: int,
                         for_site: str = "loehne", epoch: int = 1) -> Path:
    payload = {**payload, "sequence": sequence, "epoch": epoch}
    body = encode_any(payload)
    data = write_bundle(body, kind=pl.DISTRICT_TO_SITE, sequence=sequence, epoch=epoch,
                        counts=payload_stream.counts_of(payload),
                        full=payload["full"], for_site=for_site, sender=sync_keys.sender_identity(district),
                        recipients=sync_keys.recipients_for_site(district, for_site),
                        schema_version=head_revision(), app_version="0.1.0")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def rows_by_owner(store: Store, owner: str | None = None, *, not_owner: str | None = None) -> str:
    """All synced rows (site models and district models) of one owner, or of everyone but one, as sorted text."""
    out = []
    with store.engine.connect() as conn:
        for entity in pl.ALL_MODELS:
            if owner is not None:
                rows = dialect.rows(conn, f'SELECT * FROM "{entity}" WHERE owner_site = ?', (owner,))
            else:
                rows = dialect.rows(conn, f'SELECT * FROM "{entity}" WHERE owner_site != ?', (not_owner,))
            out += sorted(f"{entity}:{tuple(r)!r}" for r in rows)
        which = "site = ?" if owner is not None else "site != ?"
        rows = dialect.rows(conn, "SELECT site, pseudonym, identified, case_id, person_id, data, rev_epoch, "
                                  f"rev_seq FROM sync_pseudonyms WHERE {which}", (owner or not_owner,))
        out += sorted(f"pseudonym:{tuple(r)!r}" for r in rows)
    return "\n".join(out)


def assert_refused(report: sync.ImportReport, *needles: str) -> None:
    assert not report.applied, report
    assert report.reason and GERMAN.search(report.reason), report.reason
    assert "Traceback" not in report.reason
    for needle in needles:
        assert needle in report.reason, report.reason
