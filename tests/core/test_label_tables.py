"""One label table: the keys of exchange keys, bundles, backups and consents and the countries read from labels.py."""

from __future__ import annotations

import re
from pathlib import Path

from whh_desktop.core.domain import labels
from whh_desktop.core.services import consent, sync_keys
from whh_desktop.core.store import backup
from whh_desktop.core.sync import bundle

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"


def test_the_former_tables_are_the_label_table() -> None:
    assert sync_keys.ROLE_LABELS is labels.KEY_ROLES
    assert bundle.KIND_LABELS is labels.BUNDLE_KINDS
    assert backup.REASONS is labels.BACKUP_REASONS
    assert consent.DATA_CATEGORIES is labels.CONSENT_CATEGORIES


def test_every_key_has_a_german_label() -> None:
    for role in (sync_keys.ROLE_SITE, sync_keys.ROLE_DISTRICT, sync_keys.ROLE_ESCROW):
        assert labels.key_role(role) in ("Standort", "Kreis", "Escrow (Kreis, offline)")
    assert [labels.bundle_kind(k) for k in bundle.KINDS] == ["Standort → Kreis", "Kreis → Standort"]
    assert labels.backup_reason("import") == "vor Import"
    assert labels.consent_category("gesundheit").startswith("Gesundheit und Sucht")
    # a key of a newer version reads as words, never as an identifier
    assert labels.key_role("cold_spare") == "cold spare" and labels.backup_reason("before_update") == "before update"
    assert labels.audit_detail("backup", "import") == "vor Import"
    assert labels.audit_detail("backup", "external") == "auf externes Laufwerk"


def test_backup_reason_label_of_an_unknown_reason_has_no_underscore(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    info = backup.BackupInfo(tmp_path / "x.whhbak", datetime(2026, 1, 5, tzinfo=UTC), "some_new_reason", 1)
    assert info.reason_label == "some new reason"


def test_country_names() -> None:
    assert labels.country("PL") == "Polen"
    assert labels.country("de") == "Deutschland"
    assert labels.country(" tr ") == "Türkei"
    assert labels.country("QQ") == "Ländercode QQ"
    assert labels.country(None) == labels.country("") == ""


def test_every_demo_nationality_has_a_german_name() -> None:
    codes = set()
    for path in DEMO.glob("names-*.txt"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("@nationality"):
                codes |= set(re.findall(r"\b([A-Z]{2})\b", line))
    assert len(codes) > 20
    missing = sorted(c for c in codes if labels.country(c).startswith("Ländercode"))
    assert missing == []


def test_the_duplicate_review_shows_nationality_by_country_name() -> None:
    import uuid
    from datetime import date

    from whh_desktop.core.sync import dedup

    a = dedup.PersonFacts(uuid.uuid4(), "loehne", "Nowak", "Jan", date(1980, 1, 2), nationality="PL")
    b = dedup.PersonFacts(uuid.uuid4(), "buende", "Nowak", "Jan", date(1980, 1, 2), nationality="")
    rows = {r[0]: r for r in dedup.side_by_side(dedup.Candidate(a, b, 100, ()))}
    assert rows["Staatsangehörigkeit"][1:] == ("Polen", "", True)
