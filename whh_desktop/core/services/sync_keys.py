"""Sync keys: the store's own signing and HPKE keys, the trusted keys of the other side, the district escrow key.

Storage (no own table, no migration): two ``Setting`` rows inside the SQLCipher-encrypted store.

- ``sync.own_keys``: ``{"version": 1, "current": KEY, "retired": [KEY, …]}`` where KEY holds key_id, site,
  store_id, role, created and the raw keys in base64 (``ed25519_private``/``ed25519_public``,
  ``hpke_private``/``hpke_public``). Retired keys (after "eigene Schlüssel ersetzen") still open bundles that
  were sealed to them while under way; they never sign.
- ``sync.trust``: ``{"version": 1, "keys": [ENTRY, …]}`` where ENTRY holds key_id, site, store_id, role
  (``site``/``district``/``escrow``), the public keys, the fingerprint confirmed on import, who imported it
  when, and ``revoked_at``/``revoked_by``/``revoked_reason``/``replaced_by`` once revoked. Entries are never
  deleted, so a replaced key stays recorded and refused.

The escrow key's private part is never stored: ``create_escrow`` returns it once as a file (and the caller
prints the sheet); its public part is a trust entry of the district and travels in the district's public key
file, so every site seals its exports to it as well.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.letterhead import Letterhead
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.errors import InvalidInput, NotFound, PermissionDenied, WhhError
from whh_desktop.core.letters.escrow_sheet import render_escrow_sheet
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit, permissions
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.keys import open_value, seal_value
from whh_desktop.core.store.models import Role, Setting
from whh_desktop.core.sync import crypto
from whh_desktop.core.sync.bundle import (
    ReceiverIdentity,
    RecipientKey,
    SenderIdentity,
    TrustedSender,
    TrustList,
)

__all__ = [
    "KeyInfo",
    "ReceiverIdentity",
    "RecipientKey",
    "SenderIdentity",
    "TrustList",
    "create_escrow",
    "ensure_keys",
    "escrow_fingerprint",
    "escrow_identity",
    "export_recipients",
    "fingerprint",
    "import_public_key",
    "install_keys",
    "list_keys",
    "normalise_fingerprint",
    "own_key_id",
    "public_key_file",
    "receiver_identity",
    "recipients_for_site",
    "replace_own_keys",
    "revoke",
    "sender_identity",
    "trust_from_public_files",
    "trust_list",
]

OWN_KEY = "sync.own_keys"
TRUST_KEY = "sync.trust"
PUBLIC_FILE_FORMAT = "whh-public-key"
ESCROW_FILE_FORMAT = "whh-escrow-key"
FILE_VERSION = 1
MAX_KEY_FILE = 64 * 1024
SYSTEM_ACTOR = "system"
_B32_MISREAD = str.maketrans({"0": "O", "1": "I", "8": "B"})

ROLE_SITE = "site"
ROLE_DISTRICT = "district"
ROLE_ESCROW = "escrow"
ROLE_LABELS = labels.KEY_ROLES  # the German names live in the one label table


@dataclass(frozen=True)
class KeyInfo:
    """One trusted (or formerly trusted) key, for lists in the UI and the CLI."""

    key_id: str
    site: str
    role: str
    fingerprint: str
    imported_at: str
    imported_by: str
    revoked_at: str | None
    revoked_reason: str | None
    replaced_by: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def as_dict(self) -> dict[str, Any]:
        return {"key_id": self.key_id, "site": self.site, "role": self.role, "fingerprint": self.fingerprint,
                "imported_at": self.imported_at, "imported_by": self.imported_by, "revoked_at": self.revoked_at,
                "revoked_reason": self.revoked_reason, "replaced_by": self.replaced_by}


# ---- helpers ----------------------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64d(text: Any, length: int | None = None) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if length is not None and len(raw) != length:
        raise ValueError("wrong key length")
    return raw


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _canonical(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def _groups(digest: bytes) -> str:
    text = base64.b32encode(digest).decode("ascii")[:32]
    return "-".join(text[i:i + 4] for i in range(0, 32, 4))


def normalise_fingerprint(text: str) -> str:
    """Upper case, only letters and digits, the usual misreadings (0/O, 1/I, 8/B) mapped as for the recovery key."""
    return "".join(ch for ch in text.upper() if ch.isalnum()).translate(_B32_MISREAD)


def _own_role(store: Store) -> str:
    return ROLE_DISTRICT if store.info.mode == "district" else ROLE_SITE


def _require_admin(user: CurrentUser) -> None:
    if user.role is not Role.ADMIN:
        raise PermissionDenied("Schlüssel austauschen, ersetzen und widerrufen dürfen nur Admin-Konten.")


def _load(session: Session, key: str) -> dict[str, Any] | None:
    row = session.get(Setting, key)
    value = open_value(session.info, key, row.value) if row is not None else None
    return dict(value) if isinstance(value, dict) else None


def _save(session: Session, key: str, value: dict[str, Any]) -> None:
    # The private keys are sealed with a key derived from the data key where rows are not encrypted as a whole
    # (a district store on PostgreSQL): a dump of the database opens no bundle.
    session.merge(Setting(key=key, value=seal_value(session.info, key, value) if key == OWN_KEY else value))
    session.flush()


def _trust_entries(session: Session) -> list[dict[str, Any]]:
    data = _load(session, TRUST_KEY) or {}
    return [dict(e) for e in data.get("keys", [])]


def _save_trust(session: Session, entries: list[dict[str, Any]]) -> None:
    _save(session, TRUST_KEY, {"version": FILE_VERSION, "keys": entries})


def _new_key_record(site: str, store_id: str, role: str) -> dict[str, Any]:
    sign_private, sign_public = crypto.new_signing_keypair()
    hpke_private, hpke_public = crypto.new_hpke_keypair()
    return {"key_id": crypto.key_id(sign_public, hpke_public), "site": site, "store_id": store_id, "role": role,
            "created": _now(), "suite": crypto.SUITE_NAME,
            "ed25519_private": _b64(sign_private), "ed25519_public": _b64(sign_public),
            "hpke_private": _b64(hpke_private), "hpke_public": _b64(hpke_public)}


# ---- own keys ---------------------------------------------------------------------------------------------
def install_keys(session: Session, site: str, store_id: str, mode: str, actor: str) -> str:
    """Create the own key pairs inside an open transaction unless they exist; returns the key id (setup uses it)."""
    existing = _load(session, OWN_KEY)
    if existing and existing.get("current"):
        return str(existing["current"]["key_id"])
    record = _new_key_record(site, store_id, ROLE_DISTRICT if mode == "district" else ROLE_SITE)
    _save(session, OWN_KEY, {"version": FILE_VERSION, "current": record, "retired": []})
    audit.append(session, actor, "sync_keys_created", object_type="sync_key", object_id=record["key_id"])
    return str(record["key_id"])


def ensure_keys(store: Store, actor: str) -> None:
    """Create the signing and HPKE key pairs once (at setup, or lazily for stores made before sync existed)."""
    with store.read_session() as s:
        if (_load(s, OWN_KEY) or {}).get("current"):
            return
    with store.session(actor) as s:  # BEGIN IMMEDIATE: a second process waits and then sees the keys
        install_keys(s, store.info.site_code, store.info.store_id, store.info.mode, actor)


def _own_keys(store: Store) -> dict[str, Any]:
    ensure_keys(store, SYSTEM_ACTOR)
    with store.read_session() as s:
        own = _load(s, OWN_KEY)
    if not own or not own.get("current"):  # pragma: no cover - ensure_keys just made them
        raise WhhError("Die eigenen Schlüssel für den Austausch fehlen.")
    return own


def own_key_id(store: Store) -> str:
    return str(_own_keys(store)["current"]["key_id"])


def sender_identity(store: Store) -> SenderIdentity:
    current = _own_keys(store)["current"]
    return SenderIdentity(site=store.info.site_code, store_id=store.info.store_id, key_id=current["key_id"],
                          signing_private=_b64d(current["ed25519_private"], crypto.ED25519_PRIVATE_BYTES))


def receiver_identity(store: Store) -> ReceiverIdentity:
    own = _own_keys(store)
    records = [own["current"], *reversed(own.get("retired", []))]
    keys = tuple((str(r["key_id"]), _b64d(r["hpke_private"], crypto.HPKE_PRIVATE_BYTES)) for r in records)
    return ReceiverIdentity(site=store.info.site_code, role=_own_role(store), keys=keys)


def replace_own_keys(store: Store, user: CurrentUser) -> str:
    """New key pairs (new laptop, suspected compromise). The old ones only still decrypt; the other side must
    import the new public key file, which revokes the old key there. Returns the new key id."""
    _require_admin(user)
    ensure_keys(store, user.username)
    with store.session(user.username) as s:
        own = _load(s, OWN_KEY) or {}
        old = own["current"]
        record = _new_key_record(store.info.site_code, store.info.store_id, _own_role(store))
        retired = [*own.get("retired", []), {**old, "retired_at": _now()}]
        _save(s, OWN_KEY, {"version": FILE_VERSION, "current": record, "retired": retired})
        audit.append(s, user.username, "sync_own_keys_replaced", object_type="sync_key",
                     object_id=record["key_id"], detail=f"ersetzt {old['key_id']}")
    return str(record["key_id"])


# ---- public key files and fingerprints --------------------------------------------------------------------
def public_key_file(store: Store) -> bytes:
    """JSON with site, store id, role, key id, creation time, Ed25519 and HPKE public keys; the district's file
    also carries its active escrow public key."""
    current = _own_keys(store)["current"]
    body: dict[str, Any] = {
        "format": PUBLIC_FILE_FORMAT, "version": FILE_VERSION, "site": store.info.site_code,
        "store_id": store.info.store_id, "role": _own_role(store), "key_id": current["key_id"],
        "created": current["created"], "suite": crypto.SUITE_NAME,
        "ed25519": current["ed25519_public"], "hpke": current["hpke_public"], "escrow": None,
    }
    if body["role"] == ROLE_DISTRICT:
        with store.read_session() as s:
            escrows = [e for e in _trust_entries(s) if e["role"] == ROLE_ESCROW and not e.get("revoked_at")]
        if escrows:
            e = escrows[-1]
            body["escrow"] = {"key_id": e["key_id"], "hpke": e["hpke_public"], "created": e["created"]}
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("ascii")


@dataclass(frozen=True)
class _PublicFile:
    body: dict[str, Any]
    site: str
    store_id: str
    role: str
    key_id: str
    created: str
    ed25519: bytes
    hpke: bytes
    escrow: tuple[str, bytes, str] | None  # key id, hpke public, created


def _parse_public_file(data: bytes) -> _PublicFile:
    not_a_key = InvalidInput("Die Datei ist keine gültige Schlüsseldatei von WHH Desktop.", "file")
    if not data or len(data) > MAX_KEY_FILE:
        raise not_a_key
    try:
        body = json.loads(bytes(data).decode("utf-8"))
        if not isinstance(body, dict) or body.get("format") != PUBLIC_FILE_FORMAT:
            raise ValueError("format")
        if body.get("version") != FILE_VERSION:
            raise InvalidInput("Die Schlüsseldatei stammt von einer anderen Programmversion. Bitte beide Seiten "
                               "auf denselben Stand von WHH Desktop bringen.", "file")
        if body.get("suite") != crypto.SUITE_NAME:
            raise ValueError("suite")
        site = SiteCode(body["site"]).value
        role = body["role"]
        if role not in (ROLE_SITE, ROLE_DISTRICT) or (role == ROLE_DISTRICT) != (site == SiteCode.KREIS.value):
            raise ValueError("role")
        store_id = str(body["store_id"])
        ed = _b64d(body["ed25519"], crypto.ED25519_PUBLIC_BYTES)
        hp = _b64d(body["hpke"], crypto.HPKE_PUBLIC_BYTES)
        crypto.validate_signing_public(ed)
        crypto.validate_hpke_public(hp)
        if body["key_id"] != crypto.key_id(ed, hp):
            raise ValueError("key id")
        escrow = None
        if body.get("escrow") is not None:
            if role != ROLE_DISTRICT:
                raise ValueError("escrow on a site key")
            e = body["escrow"]
            ehp = _b64d(e["hpke"], crypto.HPKE_PUBLIC_BYTES)
            crypto.validate_hpke_public(ehp)
            if e["key_id"] != crypto.key_id(ehp):
                raise ValueError("escrow key id")
            escrow = (str(e["key_id"]), ehp, str(e["created"]))
        return _PublicFile(body, site, store_id, role, str(body["key_id"]), str(body["created"]), ed, hp, escrow)
    except InvalidInput:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, RecursionError):
        raise not_a_key from None


def fingerprint(public_file: bytes) -> str:
    """Eight groups of four base32 characters (160 bits of SHA-256 over the file's canonical JSON), e.g.
    ``K4TQ-7XM2-…``; the same for any formatting of the same content."""
    parsed = _parse_public_file(public_file)
    return _groups(hashlib.sha256(b"whh-fingerprint-v1\0" + _canonical(parsed.body)).digest())


def escrow_fingerprint(key_id: str, hpke_public: bytes) -> str:
    return _groups(hashlib.sha256(b"whh-escrow-fingerprint-v1\0" + _canonical(
        {"key_id": key_id, "hpke": _b64(hpke_public)})).digest())


# ---- trust ------------------------------------------------------------------------------------------------
def import_public_key(store: Store, user: CurrentUser, data: bytes, confirmed_fingerprint: str) -> RecipientKey:
    """Trust the other side's key once its fingerprint was compared by phone. A newer key of the same site
    replaces the older one (which is revoked and recorded). Every import, refusal and replacement is audited."""
    _require_admin(user)
    parsed = _parse_public_file(data)
    expected = fingerprint(data)
    if not hmac.compare_digest(normalise_fingerprint(confirmed_fingerprint), normalise_fingerprint(expected)):
        _audit_refusal(store, user, parsed.key_id, "fingerprint")
        raise InvalidInput("Der Fingerabdruck stimmt nicht mit der Schlüsseldatei überein. Der Schlüssel wurde "
                           "NICHT übernommen. Bitte den Fingerabdruck noch einmal am Telefon vergleichen; weicht "
                           "er ab, die Datei nicht verwenden.", "fingerprint")
    own = _own_keys(store)
    own_ids = {own["current"]["key_id"], *(r["key_id"] for r in own.get("retired", []))}
    if parsed.key_id in own_ids or parsed.store_id == store.info.store_id:
        raise InvalidInput("Das ist die Schlüsseldatei dieses Datenbestands selbst. Bitte die Datei der anderen "
                           "Stelle einlesen.", "file")
    wanted = ROLE_SITE if _own_role(store) == ROLE_DISTRICT else ROLE_DISTRICT
    if parsed.role != wanted:
        raise InvalidInput("Ein Standort liest nur die Schlüsseldatei des Kreises ein, der Kreis nur die der "
                           "Standorte." if wanted == ROLE_DISTRICT else
                           "Der Kreis liest nur Schlüsseldateien der Standorte ein.", "file")

    with store.session(user.username) as s:
        entries = _trust_entries(s)
        by_id = {e["key_id"]: e for e in entries}
        if (old := by_id.get(parsed.key_id)) and old.get("revoked_at"):
            raise InvalidInput(f"Dieser Schlüssel ({parsed.key_id}) wurde am {old['revoked_at'][:10]} widerrufen "
                               "und kann nicht erneut vertraut werden. Bitte bei der anderen Stelle neue "
                               "Schlüssel erzeugen lassen.", "file")
        new_entries: list[tuple[str, str, bytes | None, bytes, str]] = [
            (parsed.key_id, parsed.role, parsed.ed25519, parsed.hpke, parsed.created)]
        if parsed.escrow is not None:
            new_entries.append((parsed.escrow[0], ROLE_ESCROW, None, parsed.escrow[1], parsed.escrow[2]))
        for key_id, role, ed, hp, created in new_entries:
            if (known := by_id.get(key_id)) is not None:
                if known.get("revoked_at"):
                    raise InvalidInput(f"Der Escrow-Schlüssel {key_id} wurde widerrufen und kann nicht erneut "
                                       "vertraut werden.", "file")
                continue  # already trusted: nothing changes
            for e in entries:
                if e["site"] == parsed.site and e["role"] == role and not e.get("revoked_at"):
                    e.update(revoked_at=_now(), revoked_by=user.username, replaced_by=key_id,
                             revoked_reason=f"ersetzt durch {key_id}")
                    audit.append(s, user.username, "sync_key_replaced", object_type="sync_key",
                                 object_id=e["key_id"], detail=f"{parsed.site}:{role} -> {key_id}")
            entry = {"key_id": key_id, "site": parsed.site, "store_id": parsed.store_id, "role": role,
                     "ed25519_public": _b64(ed) if ed else None, "hpke_public": _b64(hp), "created": created,
                     "fingerprint": expected if role != ROLE_ESCROW else escrow_fingerprint(key_id, hp),
                     "imported_at": _now(), "imported_by": user.username,
                     "revoked_at": None, "revoked_by": None, "revoked_reason": None, "replaced_by": None}
            entries.append(entry)
            by_id[key_id] = entry
            audit.append(s, user.username, "sync_key_imported", object_type="sync_key", object_id=key_id,
                         detail=f"{parsed.site}:{role}")
        _save_trust(s, entries)
    return RecipientKey(key_id=parsed.key_id, site=parsed.site, public_hpke=parsed.hpke, role=parsed.role)


def _audit_refusal(store: Store, user: CurrentUser, key_id: str, why: str) -> None:
    with store.session(user.username) as s:
        audit.append(s, user.username, "sync_key_refused", object_type="sync_key", object_id=key_id, detail=why)


def revoke(store: Store, user: CurrentUser, key_id: str, reason: str) -> None:
    """Stop trusting a key (lost laptop, compromise): bundles signed with it are refused, none is sealed to it."""
    _require_admin(user)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Bitte einen Grund für den Widerruf angeben.", "reason")
    with store.session(user.username) as s:
        entries = _trust_entries(s)
        match = [e for e in entries if e["key_id"] == key_id]
        if not match:
            raise NotFound(f"Unbekannter Schlüssel {key_id}.", "key_id")
        if match[0].get("revoked_at"):
            return
        match[0].update(revoked_at=_now(), revoked_by=user.username, revoked_reason=reason[:200])
        _save_trust(s, entries)
        audit.append(s, user.username, "sync_key_revoked", object_type="sync_key", object_id=key_id,
                     detail=f"{match[0]['site']}:{match[0]['role']}")


def list_keys(store: Store) -> list[KeyInfo]:
    with store.read_session() as s:
        entries = _trust_entries(s)
    return [KeyInfo(e["key_id"], e["site"], e["role"], e["fingerprint"], e["imported_at"], e["imported_by"],
                    e.get("revoked_at"), e.get("revoked_reason"), e.get("replaced_by")) for e in entries]


def trust_list(store: Store) -> TrustList:
    """Trusted senders' Ed25519 keys by key id; revoked (and replaced) ones stay listed, marked revoked."""
    with store.read_session() as s:
        entries = _trust_entries(s)
    senders = {e["key_id"]: TrustedSender(key_id=e["key_id"], site=e["site"], store_id=e["store_id"],
                                          signing_public=_b64d(e["ed25519_public"], crypto.ED25519_PUBLIC_BYTES),
                                          revoked=bool(e.get("revoked_at")))
               for e in entries if e.get("ed25519_public")}
    return TrustList(senders)


def trust_from_public_files(files: Sequence[bytes]) -> TrustList:
    """A trust list from public key files alone (recovery drill without the district store); the caller has
    compared their fingerprints."""
    senders = {}
    for data in files:
        p = _parse_public_file(data)
        senders[p.key_id] = TrustedSender(p.key_id, p.site, p.store_id, p.ed25519)
    return TrustList(senders)


def _active(store: Store, role: str, site: str | None = None) -> list[dict[str, Any]]:
    with store.read_session() as s:
        entries = _trust_entries(s)
    return [e for e in entries if e["role"] == role and not e.get("revoked_at") and (site is None or
                                                                                     e["site"] == site)]


def _recipient(e: dict[str, Any]) -> RecipientKey:
    return RecipientKey(key_id=e["key_id"], site=e["site"], public_hpke=_b64d(e["hpke_public"],
                                                                              crypto.HPKE_PUBLIC_BYTES),
                        role=e["role"])


def export_recipients(store: Store) -> list[RecipientKey]:
    """A site: the district key and the district escrow key. The district: each site's active key."""
    if _own_role(store) == ROLE_DISTRICT:
        return [_recipient(e) for e in _active(store, ROLE_SITE)]
    district = _active(store, ROLE_DISTRICT)
    if not district:
        raise WhhError("Der Schlüssel des Kreises ist noch nicht eingelesen. Bitte unter »Austausch → Schlüssel« "
                       "die Schlüsseldatei des Kreises einlesen und den Fingerabdruck bestätigen.")
    escrow = _active(store, ROLE_ESCROW)
    if not escrow:
        raise WhhError("Die Schlüsseldatei des Kreises enthält noch keinen Escrow-Schlüssel. Bitte beim Kreis "
                       "eine aktuelle Schlüsseldatei anfordern und einlesen.")
    return [_recipient(district[-1]), _recipient(escrow[-1])]


def recipients_for_site(store: Store, site: str) -> list[RecipientKey]:
    """District → one site: that site's active key."""
    if _own_role(store) != ROLE_DISTRICT:
        raise WhhError("Nur der Kreis schreibt Exportdateien für einzelne Standorte.")
    keys = _active(store, ROLE_SITE, site)
    if not keys:
        label = SiteCode(site).label if site in {s.value for s in SiteCode} else site
        raise WhhError(f"Für {label} ist noch kein Schlüssel eingelesen. Bitte unter »Austausch → Schlüssel« die "
                       "Schlüsseldatei des Standorts einlesen und den Fingerabdruck bestätigen.")
    return [_recipient(keys[-1])]


# ---- escrow -----------------------------------------------------------------------------------------------
def create_escrow(store: Store, user: CurrentUser) -> tuple[bytes, str]:
    """District only: a new escrow key pair. Returns the private key file (shown/saved once, never stored) and
    its fingerprint. An older escrow key is revoked; sites pick up the new one with the district's next public
    key file."""
    _require_admin(user)
    if _own_role(store) != ROLE_DISTRICT:
        raise PermissionDenied("Nur der Kreis erzeugt den Escrow-Schlüssel.")
    private, public = crypto.new_hpke_keypair()
    key_id = crypto.key_id(public)
    created = _now()
    fp = escrow_fingerprint(key_id, public)
    with store.session(user.username) as s:
        entries = _trust_entries(s)
        for e in entries:
            if e["role"] == ROLE_ESCROW and not e.get("revoked_at"):
                e.update(revoked_at=created, revoked_by=user.username, replaced_by=key_id,
                         revoked_reason=f"ersetzt durch {key_id}")
                audit.append(s, user.username, "sync_key_replaced", object_type="sync_key", object_id=e["key_id"],
                             detail=f"kreis:escrow -> {key_id}")
        entries.append({"key_id": key_id, "site": SiteCode.KREIS.value, "store_id": store.info.store_id,
                        "role": ROLE_ESCROW, "ed25519_public": None, "hpke_public": _b64(public),
                        "created": created, "fingerprint": fp, "imported_at": created,
                        "imported_by": user.username, "revoked_at": None, "revoked_by": None,
                        "revoked_reason": None, "replaced_by": None})
        _save_trust(s, entries)
        audit.append(s, user.username, "sync_escrow_created", object_type="sync_key", object_id=key_id)
    body = {"format": ESCROW_FILE_FORMAT, "version": FILE_VERSION, "site": SiteCode.KREIS.value,
            "store_id": store.info.store_id, "key_id": key_id, "created": created, "suite": crypto.SUITE_NAME,
            "fingerprint": fp, "hpke_public": _b64(public), "hpke_private": _b64(private),
            "hinweis": "Escrow-Schlüssel des Kreises Herford für WHH Desktop. Geheim: offline im Tresor "
                       "aufbewahren. Öffnet alle Exporte der Standorte."}
    return (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("ascii"), fp


def escrow_identity(escrow_file: bytes) -> ReceiverIdentity:
    """Recovery drill: a receiver that holds only the escrow private key."""
    bad = InvalidInput("Die Datei ist keine gültige Escrow-Schlüsseldatei von WHH Desktop.", "file")
    if not escrow_file or len(escrow_file) > MAX_KEY_FILE:
        raise bad
    try:
        body = json.loads(bytes(escrow_file).decode("utf-8"))
        if not isinstance(body, dict) or body.get("format") != ESCROW_FILE_FORMAT or body.get("version") != 1:
            raise ValueError("format")
        private = _b64d(body["hpke_private"], crypto.HPKE_PRIVATE_BYTES)
        public = crypto.hpke_public_from_private(private)
        if public != _b64d(body["hpke_public"], crypto.HPKE_PUBLIC_BYTES) or body["key_id"] != crypto.key_id(public):
            raise ValueError("key mismatch")
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError, RecursionError):
        raise bad from None
    return ReceiverIdentity(site=SiteCode.KREIS.value, role=ROLE_ESCROW, keys=((str(body["key_id"]), private),))


def escrow_file_info(escrow_file: bytes) -> tuple[str, str, str]:
    """Key id, fingerprint and creation time of an escrow file (for the sheet), after checking it."""
    identity = escrow_identity(escrow_file)
    body = json.loads(escrow_file.decode("utf-8"))
    key_id, private = identity.keys[0]
    return key_id, escrow_fingerprint(key_id, crypto.hpke_public_from_private(private)), str(body["created"])


def escrow_sheet(escrow_file: bytes, letterhead: Letterhead, created_at: datetime) -> bytes:
    """The "Escrow-Schlüssel" sheet of a checked escrow file, as a PDF (``core/letters/escrow_sheet.py``)."""
    key_id, fingerprint, _ = escrow_file_info(escrow_file)
    return render_escrow_sheet(key_id, fingerprint, letterhead, created_at)


def write_escrow_file(path: Path, data: bytes) -> None:
    """The escrow secret opens every export: saved readable for the user only (raises OSError)."""
    permissions.write_private(path, data)
