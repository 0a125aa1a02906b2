"""The key file: the store's data key, wrapped once per account and once by the recovery key.

The data key never changes; a password change re-wraps it. The file also holds the failed-login counter and
audit events that happen before unlock (a failed login cannot be written into a store that is still locked).
It is written atomically (temp file, fsync, rename) with the previous version kept as ``.bak``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import secrets
import tempfile
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, Engine, text

from whh_desktop.core.errors import KeyFileDamaged, WrongPassword, WrongRecoveryKey

KEY_FILE_FORMAT = "whh-keyfile"
KEY_FILE_VERSION = 1
DATA_KEY_BYTES = 32
RECOVERY_SECRET_BYTES = 24
_B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, stored with every wrap so the file says how to unwrap it."""

    time_cost: int = 3
    memory_kib: int = 65536  # 64 MiB, RFC 9106 second recommended option
    parallelism: int = 4

    @classmethod
    def production(cls) -> KdfParams:
        return cls()

    @classmethod
    def for_tests(cls) -> KdfParams:
        """Cheap parameters so tests stay fast; a store created with them is upgraded on login."""
        return cls(time_cost=1, memory_kib=64, parallelism=1)

    def is_weaker_than(self, other: KdfParams) -> bool:
        return self.time_cost < other.time_cost or self.memory_kib < other.memory_kib


def default_kdf() -> KdfParams:
    """Production parameters, unless the test suite asked for cheap ones via the environment."""
    return KdfParams.for_tests() if os.environ.get("WHH_UNSAFE_TEST_KDF") == "1" else KdfParams.production()


@dataclass
class Wrap:
    salt: str
    nonce: str
    ciphertext: str
    kdf: dict[str, int] | None = None  # None for the recovery wrap (HKDF over a random secret)


@dataclass
class KeyFile:
    store_id: str
    accounts: dict[str, Wrap] = field(default_factory=dict)
    recovery: Wrap | None = None
    failed_logins: int = 0
    last_failed_at: str | None = None
    pending_audit: list[dict[str, str]] = field(default_factory=list)

    # ---- wrapping -------------------------------------------------------------------------------------------
    def wrap_for_account(self, username: str, password: str, data_key: bytes, kdf: KdfParams) -> None:
        salt = secrets.token_bytes(16)
        kek = _argon2(password, salt, kdf)
        self.accounts[username] = _seal(kek, data_key, salt, self._aad("account", username), asdict(kdf))

    def unwrap_for_account(self, username: str, password: str) -> bytes:
        wrap = self.accounts.get(username)
        if wrap is None:
            # Same work and message as a wrong password: the login must not reveal which names exist.
            _argon2(password, b"\0" * 16, default_kdf())
            raise WrongPassword("Benutzername oder Passwort ist falsch.")
        kdf = KdfParams(**wrap.kdf) if wrap.kdf else default_kdf()
        kek = _argon2(password, _b64d(wrap.salt), kdf)
        try:
            return _open(kek, wrap, self._aad("account", username))
        except InvalidTag:
            raise WrongPassword("Benutzername oder Passwort ist falsch.") from None

    def account_kdf(self, username: str) -> KdfParams | None:
        wrap = self.accounts.get(username)
        return KdfParams(**wrap.kdf) if wrap and wrap.kdf else None

    def wrap_for_recovery(self, recovery_key: str, data_key: bytes) -> None:
        secret = parse_recovery_key(recovery_key)
        salt = secrets.token_bytes(16)
        self.recovery = _seal(_hkdf(secret, salt), data_key, salt, self._aad("recovery", ""), None)

    def unwrap_with_recovery(self, recovery_key: str) -> bytes:
        if self.recovery is None:
            raise KeyFileDamaged("Die Schlüsseldatei enthält keinen Notfallschlüssel.")
        secret = parse_recovery_key(recovery_key)
        try:
            return _open(_hkdf(secret, _b64d(self.recovery.salt)), self.recovery, self._aad("recovery", ""))
        except InvalidTag:
            raise WrongRecoveryKey("Der Notfallschlüssel passt nicht zu diesem Datenbestand.") from None

    def remove_account(self, username: str) -> None:
        self.accounts.pop(username, None)

    def _aad(self, kind: str, username: str) -> bytes:
        return f"whh-wrap|{self.store_id}|{kind}|{username}".encode()

    # ---- failed logins and early audit ----------------------------------------------------------------------
    def note_failed_login(self, username: str, now: datetime) -> None:
        self.failed_logins += 1
        self.last_failed_at = now.isoformat()
        # Only a hash of the name: the key file is not encrypted.
        self.pending_audit.append({"at": now.isoformat(), "action": "login_failed",
                                   "subject": _name_digest(self.store_id, username)})

    def clear_failed_logins(self) -> None:
        self.failed_logins = 0
        self.last_failed_at = None

    def login_delay(self, now: datetime) -> float:
        """Seconds until the next attempt is allowed: free for 3 failures, then 2, 4, 8 … up to 300 s."""
        if self.failed_logins < 3 or not self.last_failed_at:
            return 0.0
        wait = min(2 ** (self.failed_logins - 2), 300)
        elapsed = (now - datetime.fromisoformat(self.last_failed_at)).total_seconds()
        return max(0.0, float(wait) - elapsed)

    # ---- persistence ----------------------------------------------------------------------------------------
    def to_json(self) -> str:
        body: dict[str, Any] = {
            "format": KEY_FILE_FORMAT,
            "version": KEY_FILE_VERSION,
            "store_id": self.store_id,
            "accounts": {name: asdict(w) for name, w in sorted(self.accounts.items())},
            "recovery": asdict(self.recovery) if self.recovery else None,
            "failed_logins": self.failed_logins,
            "last_failed_at": self.last_failed_at,
            "pending_audit": self.pending_audit,
        }
        return json.dumps(body, indent=2)

    @classmethod
    def from_json(cls, text: str) -> KeyFile:
        try:
            body = json.loads(text)
            if body.get("format") != KEY_FILE_FORMAT:
                raise ValueError("format")
            if int(body["version"]) > KEY_FILE_VERSION:
                raise KeyFileDamaged("Die Schlüsseldatei stammt von einer neueren Programmversion. "
                                     "Bitte aktualisieren Sie WHH Desktop.")
            return cls(
                store_id=str(body["store_id"]),
                accounts={str(k): Wrap(**v) for k, v in body["accounts"].items()},
                recovery=Wrap(**body["recovery"]) if body.get("recovery") else None,
                failed_logins=int(body.get("failed_logins", 0)),
                last_failed_at=body.get("last_failed_at"),
                pending_audit=list(body.get("pending_audit", [])),
            )
        except KeyFileDamaged:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise KeyFileDamaged("Die Schlüsseldatei ist beschädigt.") from exc

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        """Load the key file, falling back to its ``.bak`` when the main copy is damaged."""
        if not path.exists() and not backup_path(path).exists():
            raise KeyFileDamaged(f"Die Schlüsseldatei fehlt: {path}")
        errors: list[Exception] = []
        for candidate in (path, backup_path(path)):
            try:
                key_file = cls.from_json(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(exc)
                continue
            except KeyFileDamaged as exc:
                errors.append(exc)
                continue
            if candidate != path:
                with contextlib.suppress(OSError):
                    key_file.save(path)  # repair the main copy from the intact backup
            return key_file
        raise KeyFileDamaged(
            "Die Schlüsseldatei ist beschädigt und ihre Sicherheitskopie auch. Stellen Sie die Schlüsseldatei "
            "aus einer Datensicherung wieder her (Ordner »backups«, Dateien mit der Endung .key).") from errors[0]

    def save(self, path: Path) -> None:
        write_atomic(path, self.to_json().encode("utf-8"), keep_backup=True)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def write_atomic(path: Path, data: bytes, *, keep_backup: bool = False) -> None:
    """Write via a temp file in the same folder, fsync and rename, so a crash leaves old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if keep_backup and path.exists():
            os.replace(path, backup_path(path))
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# ---- recovery key text form ---------------------------------------------------------------------------------
def new_recovery_key() -> str:
    """24 random bytes + 1 check byte, base32 in eight groups of five: ``ABCDE-FGHIJ-…``."""
    secret = secrets.token_bytes(RECOVERY_SECRET_BYTES)
    raw = secret + hashlib.sha256(secret).digest()[:1]
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i:i + 5] for i in range(0, len(text), 5))


def parse_recovery_key(text: str) -> bytes:
    """Accept any grouping, case and the usual misreadings (0/O, 1/I, 8/B); check the check byte."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans("018", "OIB"))
    if len(cleaned) != 40 or any(ch not in _B32 for ch in cleaned):
        raise WrongRecoveryKey("Der Notfallschlüssel hat 40 Zeichen in acht Gruppen zu je fünf. "
                               "Bitte prüfen Sie die Eingabe.")
    raw = base64.b32decode(cleaned)
    secret, check = raw[:RECOVERY_SECRET_BYTES], raw[RECOVERY_SECRET_BYTES:]
    if hashlib.sha256(secret).digest()[:1] != check:
        raise WrongRecoveryKey("Der Notfallschlüssel enthält einen Tippfehler. Bitte prüfen Sie jede Gruppe.")
    return secret


def recovery_key_groups(key: str) -> list[str]:
    return key.split("-")


# ---- primitives ---------------------------------------------------------------------------------------------
def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def _argon2(password: str, salt: bytes, kdf: KdfParams) -> bytes:
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=kdf.time_cost, memory_cost=kdf.memory_kib,
                           parallelism=kdf.parallelism, hash_len=32, type=Type.ID)


def _hkdf(secret: bytes, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"whh recovery wrap").derive(secret)


def _seal(kek: bytes, data_key: bytes, salt: bytes, aad: bytes, kdf: dict[str, int] | None) -> Wrap:
    nonce = secrets.token_bytes(12)
    ct = AESGCM(kek).encrypt(nonce, data_key, aad)
    return Wrap(salt=_b64e(salt), nonce=_b64e(nonce), ciphertext=_b64e(ct), kdf=kdf)


def _open(kek: bytes, wrap: Wrap, aad: bytes) -> bytes:
    return AESGCM(kek).decrypt(_b64d(wrap.nonce), _b64d(wrap.ciphertext), aad)


def _name_digest(store_id: str, username: str) -> str:
    return hashlib.sha256(f"{store_id}|{username.casefold()}".encode()).hexdigest()[:16]


def _b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64d(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise KeyFileDamaged("Die Schlüsseldatei ist beschädigt.") from exc


def utcnow() -> datetime:
    return datetime.now(UTC)


# ---- where the wraps are kept ---------------------------------------------------------------------------------
class KeyRing(ABC):
    """The ``KeyFile`` of a store: a file beside an SQLCipher store, a table inside a PostgreSQL one."""

    @abstractmethod
    def exists(self) -> bool: ...

    @abstractmethod
    def load(self) -> KeyFile: ...

    @abstractmethod
    def save(self, key_file: KeyFile) -> None: ...


class FileKeyRing(KeyRing):
    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        return self.path.exists() or backup_path(self.path).exists()

    def load(self) -> KeyFile:
        return KeyFile.load(self.path)

    def save(self, key_file: KeyFile) -> None:
        key_file.save(self.path)


class DatabaseKeyRing(KeyRing):
    """One row of ``whh_keyring`` holds the same JSON as ``store.key``: only wraps (Argon2id per account, HKDF for
    the recovery key), never a key in the clear — a dump of the database opens nothing without a password."""

    TABLE = "whh_keyring"

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, conn: Connection) -> None:
        conn.exec_driver_sql(f"CREATE TABLE {self.TABLE} (id integer PRIMARY KEY CHECK (id = 1), body text NOT NULL, "
                             "updated_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))")

    def exists(self) -> bool:
        with self.engine.connect() as conn:
            return bool(conn.exec_driver_sql(f"SELECT to_regclass('{self.TABLE}') IS NOT NULL").scalar()) and \
                conn.exec_driver_sql(f"SELECT count(*) FROM {self.TABLE}").scalar() == 1

    def load(self) -> KeyFile:
        with self.engine.connect() as conn:
            if not conn.exec_driver_sql(f"SELECT to_regclass('{self.TABLE}') IS NOT NULL").scalar():
                raise KeyFileDamaged("Die Datenbank enthält keinen WHH-Schlüsselbund (Tabelle whh_keyring fehlt).")
            body = conn.exec_driver_sql(f"SELECT body FROM {self.TABLE} WHERE id = 1").scalar()
        if body is None:
            raise KeyFileDamaged("Der Schlüsselbund in der Datenbank ist leer.")
        return KeyFile.from_json(str(body))

    def save(self, key_file: KeyFile, conn: Connection | None = None) -> None:
        # READ COMMITTED: two clerks' failed-login counts never abort each other.
        sql = text(f"INSERT INTO {self.TABLE} (id, body) VALUES (1, :body) ON CONFLICT (id) DO UPDATE "
                   "SET body = excluded.body, updated_at = now() AT TIME ZONE 'UTC'")
        if conn is not None:
            conn.execute(sql, {"body": key_file.to_json()})
            return
        with self.engine.connect().execution_options(isolation_level="READ COMMITTED") as c:
            c.execute(sql, {"body": key_file.to_json()})
            c.commit()


# ---- secrets kept in rows of an unencrypted database ------------------------------------------------------------
SEALED_FORMAT = "whh-sealed-v1"
SEAL_KEY_INFO = "whh_seal_key"  # Session.info entry a store sets when its rows are not encrypted as a whole


def seal_key(data_key: bytes) -> bytes:
    """The key sealing secret rows, derived from the data key (never the data key itself)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"whh sealed settings").derive(data_key)


def seal_value(info: dict[str, Any], name: str, value: Any) -> Any:
    """Encrypt a JSON value when the store's rows are not encrypted as a whole (PostgreSQL); unchanged otherwise."""
    key = info.get(SEAL_KEY_INFO)
    if key is None:
        return value
    nonce = secrets.token_bytes(12)
    ct = AESGCM(key).encrypt(nonce, json.dumps(value).encode("utf-8"), f"whh-sealed|{name}".encode())
    return {"format": SEALED_FORMAT, "nonce": _b64e(nonce), "ciphertext": _b64e(ct)}


def open_value(info: dict[str, Any], name: str, value: Any) -> Any:
    if not (isinstance(value, dict) and value.get("format") == SEALED_FORMAT):
        return value
    key = info.get(SEAL_KEY_INFO)
    if key is None:
        raise KeyFileDamaged("Ein verschlüsselter Eintrag kann ohne Anmeldung nicht gelesen werden.")
    try:
        plain = AESGCM(key).decrypt(_b64d(value["nonce"]), _b64d(value["ciphertext"]), f"whh-sealed|{name}".encode())
    except (InvalidTag, KeyError):
        raise KeyFileDamaged("Ein verschlüsselter Eintrag der Datenbank passt nicht zum Schlüssel.") from None
    return json.loads(plain)
