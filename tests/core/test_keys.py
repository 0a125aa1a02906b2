"""Key file, recovery key text form and the growing login delay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.errors import KeyFileDamaged, WrongPassword, WrongRecoveryKey
from whh_desktop.core.store.keys import (
    KdfParams,
    KeyFile,
    backup_path,
    new_data_key,
    new_recovery_key,
    parse_recovery_key,
    recovery_key_groups,
)

FAST = KdfParams.for_tests()


def test_recovery_key_has_eight_groups_of_five() -> None:
    key = new_recovery_key()
    groups = recovery_key_groups(key)
    assert len(groups) == 8 and all(len(g) == 5 for g in groups)


@given(st.data())
def test_recovery_key_survives_spacing_case_and_misreadings(data: st.DataObject) -> None:
    key = new_recovery_key()
    secret = parse_recovery_key(key)
    sloppy = key.lower().replace("-", data.draw(st.sampled_from([" ", "", "-", "  "])))
    sloppy = sloppy.replace("o", "0").replace("i", "1")  # what people type from paper
    assert parse_recovery_key(sloppy) == secret


def test_recovery_key_with_a_typo_is_reported_as_typo() -> None:
    key = new_recovery_key()
    wrong = ("A" if key[0] != "A" else "B") + key[1:]
    with pytest.raises(WrongRecoveryKey, match="Tippfehler"):
        parse_recovery_key(wrong)
    with pytest.raises(WrongRecoveryKey, match="40 Zeichen"):
        parse_recovery_key(key[:-3])


def test_wrap_and_unwrap_per_account_and_recovery() -> None:
    data_key = new_data_key()
    kf = KeyFile(store_id="s1")
    kf.wrap_for_account("anna", "Ein-langes-Passwort-1", data_key, FAST)
    recovery = new_recovery_key()
    kf.wrap_for_recovery(recovery, data_key)
    restored = KeyFile.from_json(kf.to_json())
    assert restored.unwrap_for_account("anna", "Ein-langes-Passwort-1") == data_key
    assert restored.unwrap_with_recovery(recovery) == data_key
    with pytest.raises(WrongPassword):
        restored.unwrap_for_account("anna", "falsches-Passwort-123")
    with pytest.raises(WrongPassword):
        restored.unwrap_for_account("niemand", "Ein-langes-Passwort-1")
    with pytest.raises(WrongRecoveryKey, match="passt nicht"):
        restored.unwrap_with_recovery(new_recovery_key())


def test_a_wrap_cannot_be_moved_to_another_account() -> None:
    data_key = new_data_key()
    kf = KeyFile(store_id="s1")
    kf.wrap_for_account("anna", "Ein-langes-Passwort-1", data_key, FAST)
    kf.accounts["mallory"] = kf.accounts["anna"]
    with pytest.raises(WrongPassword):
        kf.unwrap_for_account("mallory", "Ein-langes-Passwort-1")


def test_each_wrap_records_its_argon2_parameters() -> None:
    kf = KeyFile(store_id="s1")
    kf.wrap_for_account("anna", "Ein-langes-Passwort-1", new_data_key(), FAST)
    assert KeyFile.from_json(kf.to_json()).account_kdf("anna") == FAST
    assert KdfParams.production().memory_kib == 65536
    assert FAST.is_weaker_than(KdfParams.production())


def test_damaged_key_file_falls_back_to_bak_and_repairs(tmp_path) -> None:
    path = tmp_path / "store.key"
    kf = KeyFile(store_id="s1")
    kf.save(path)
    kf.failed_logins = 1
    kf.save(path)  # the first version is now the .bak
    path.write_text('{"format": "whh-keyfile", "vers', encoding="utf-8")
    loaded = KeyFile.load(path)
    assert loaded.store_id == "s1"
    assert KeyFile.from_json(path.read_text(encoding="utf-8")).store_id == "s1"  # repaired


def test_key_file_and_bak_both_damaged_gives_german_message(tmp_path) -> None:
    path = tmp_path / "store.key"
    path.write_bytes(b"\x00\xff garbage")
    backup_path(path).write_text("[]", encoding="utf-8")
    with pytest.raises(KeyFileDamaged, match=r"beschädigt.*Datensicherung"):
        KeyFile.load(path)


def test_login_delay_grows_after_three_failures() -> None:
    kf = KeyFile(store_id="s1")
    now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    delays = []
    for _ in range(7):
        kf.note_failed_login("anna", now)
        delays.append(kf.login_delay(now))
    assert delays[:2] == [0, 0]
    assert delays[2:] == [2, 4, 8, 16, 32]
    assert kf.login_delay(now + timedelta(seconds=40)) == 0
    assert all("anna" not in str(e) for e in kf.pending_audit)  # the unencrypted file holds no names
    kf.clear_failed_logins()
    assert kf.login_delay(now) == 0
