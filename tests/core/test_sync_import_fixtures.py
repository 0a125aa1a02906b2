"""Shared helpers for the sync export/import tests: a Löhne site and the district with exchanged keys."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import ADMIN
from whh_desktop.core.services import consent, intake, sync, sync_keys
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Role

EXCLUDED = {"audit_log", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}


@dataclass
class Exchange:
    site: Store
    site_user: CurrentUser
    district: Store
    district_user: CurrentUser
    out: Path

    def export(self, full: bool = False) -> Path:
        return sync.export_for_district(self.site, self.site_user, self.out, full=full).path

    def import_district(self, *paths: Path) -> list[sync.ImportReport]:
        return sync.import_bundles(self.district, self.district_user, list(paths), backup=False)

    def export_sites(self) -> list[sync.ExportResult]:
        return sync.export_for_sites(self.district, self.district_user, self.out / "to-sites")

    def import_site(self, *paths: Path) -> list[sync.ImportReport]:
        return sync.import_bundles(self.site, self.site_user, list(paths), backup=False)


def pair_keys(site: Store, district: Store) -> None:
    admin = CurrentUser(ADMIN, "Anna Becker", Role.ADMIN)
    sync_keys.ensure_keys(site, ADMIN)
    sync_keys.ensure_keys(district, ADMIN)
    sync_keys.create_escrow(district, admin)
    dfile = sync_keys.public_key_file(district)
    sync_keys.import_public_key(site, admin, dfile, sync_keys.fingerprint(dfile))
    sfile = sync_keys.public_key_file(site)
    sync_keys.import_public_key(district, admin, sfile, sync_keys.fingerprint(sfile))


def make_exchange(counsellor, district, tmp_path: Path) -> Exchange:
    site_store, site_user = counsellor
    d_store, d_user = district
    pair_keys(site_store, d_store)
    return Exchange(site_store, site_user, d_store, d_user, tmp_path / "out")


@pytest.fixture
def exchange(counsellor, district_any, tmp_path: Path) -> Exchange:
    """A site and a district with paired keys: the district on both backends (SQLCipher file, PostgreSQL)."""
    return make_exchange(counsellor, district_any, tmp_path)


@pytest.fixture
def exchange_on_file(counsellor, district, tmp_path: Path) -> Exchange:
    """The same on the file store only: for views, which never see the backend (the core tests cover both)."""
    return make_exchange(counsellor, district, tmp_path)


def new_case(store: Store, user: CurrentUser, name: str = "Kowalski", *, kreis_consent: bool = False,
             birth: date = date(1980, 5, 17)) -> object:
    case_id, _ = intake.save_intake(store, user, IntakeData(family_name=name, given_names="Jan", birth_date=birth,
                                                            sex="maennlich", municipality="Löhne"), draft=True)
    if kreis_consent:
        give_consent(store, user, case_id)
    return case_id


def give_consent(store: Store, user: CurrentUser, case_id: object) -> object:
    return consent.record(store, user, case_id, ConsentData(  # type: ignore[arg-type]
        recipients=["kreis"], purpose="Hilfeplanung mit dem Kreis", categories=["stammdaten"], health_data=False,
        signed_on=date(2026, 1, 5), valid_from=date(2026, 1, 5)))


def dump(store: Store) -> str:
    """A digest of every table except the audit log (DESIGN.md §10: "store unchanged")."""
    h = hashlib.sha256()
    with store.engine.connect() as conn:
        tables = sorted(sa.inspect(conn).get_table_names())
        for t in tables:
            if t in EXCLUDED or t.startswith("search_fts_"):
                continue
            rows = conn.exec_driver_sql(f'SELECT * FROM "{t}"').fetchall()
            h.update(t.encode())
            for r in sorted(repr(tuple(r)) for r in rows):
                h.update(r.encode())
    return h.hexdigest()


def district_state(store: Store) -> str:
    """The district's content without ledger and audit (for order-independence)."""
    h = hashlib.sha256()
    with store.engine.connect() as conn:
        for t in ("persons", "cases", "contacts", "consents", "case_categories", "household_members",
                  "sync_pseudonyms", "search_docs", "deadlines", "incomes"):
            cols = "*" if t != "sync_pseudonyms" else "site, pseudonym, person_pseudonym, identified, case_id, " \
                                                     "person_id, data, rev_epoch, rev_seq"
            rows = conn.exec_driver_sql(f'SELECT {cols} FROM "{t}"').fetchall()
            if t == "search_docs":
                rows = [r[1:] for r in rows]
            h.update(t.encode())
            for r in sorted(repr(tuple(r)) for r in rows):
                h.update(r.encode())
        # the report facts of the pseudonymous records, keyed by pseudonym (row ids depend on the order)
        for t in ("sync_pseudonym_facts", "sync_pseudonym_categories", "sync_pseudonym_contacts"):
            rows = conn.exec_driver_sql(f'SELECT p.site, p.pseudonym, f.* FROM "{t}" f '
                                        "JOIN sync_pseudonyms p ON p.id = f.pseudonym_id").fetchall()
            h.update(t.encode())
            for r in sorted(repr(tuple(r)[:2] + tuple(r)[3:]) for r in rows):
                h.update(r.encode())
    return h.hexdigest()
