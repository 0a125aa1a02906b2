"""Cryptographic primitives for bundles, all from ``cryptography`` (>= 50); nothing hand-made.

- HPKE (RFC 9180) with the hybrid KEM ML-KEM-768 + X25519, HKDF-SHA256 and AES-256-GCM seals the 32-byte
  content key of a bundle to each recipient (single-shot: the sealed key is ``enc || ciphertext``, 1 168 bytes).
  There is no silent downgrade to DHKEM-X25519: a key pair of one KEM cannot open a key sealed with the other,
  and ``cryptography`` 50 (pinned) always ships ML-KEM in its wheels. Without it the keys cannot be made and
  the user is told so.
- AES-256-GCM encrypts the compressed payload with the content key (fresh per bundle, so a random nonce is safe).
- Ed25519 signs every byte of the bundle before the signature.

Keys travel as raw bytes: the HPKE private key is the 64-byte ML-KEM seed followed by the 32-byte X25519 private
key; the public key is the 1 184-byte ML-KEM public key followed by the 32-byte X25519 public key.
"""

from __future__ import annotations

import hashlib
import secrets

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric import ed25519, mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from whh_desktop.core.errors import WhhError

KEM_NAME = "MLKEM768-X25519"
SUITE_NAME = "HPKE(MLKEM768-X25519, HKDF-SHA256, AES-256-GCM)"
MLKEM_SEED_BYTES = 64
MLKEM_PUBLIC_BYTES = 1184
X25519_BYTES = 32
HPKE_PRIVATE_BYTES = MLKEM_SEED_BYTES + X25519_BYTES
HPKE_PUBLIC_BYTES = MLKEM_PUBLIC_BYTES + X25519_BYTES
CONTENT_KEY_BYTES = 32
NONCE_BYTES = 12
GCM_TAG_BYTES = 16
ED25519_PUBLIC_BYTES = 32
ED25519_PRIVATE_BYTES = 32
SIGNATURE_BYTES = 64


class CryptoUnavailable(WhhError):
    pass


def _suite() -> hpke.Suite:
    return hpke.Suite(hpke.KEM.MLKEM768_X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


SEALED_KEY_BYTES = hpke.KEM.MLKEM768_X25519.enc_length() + CONTENT_KEY_BYTES + GCM_TAG_BYTES


def sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def key_id(*public_parts: bytes) -> str:
    """First 16 hex characters of SHA-256 over the public keys (in the order given)."""
    return hashlib.sha256(b"".join(public_parts)).hexdigest()[:16]


# ---- HPKE ---------------------------------------------------------------------------------------------------
def new_hpke_keypair() -> tuple[bytes, bytes]:
    """A fresh hybrid key pair as ``(private, public)`` raw bytes."""
    try:
        kem_key = mlkem.MLKEM768PrivateKey.generate()
    except UnsupportedAlgorithm as exc:  # pragma: no cover - cryptography >= 50 wheels always have ML-KEM
        raise CryptoUnavailable("Diese Installation bietet kein ML-KEM-768 (cryptography zu alt oder ohne "
                                "OpenSSL 3.5). Bitte WHH Desktop neu installieren.") from exc
    dh_key = x25519.X25519PrivateKey.generate()
    private = kem_key.private_bytes_raw() + dh_key.private_bytes_raw()
    public = kem_key.public_key().public_bytes_raw() + dh_key.public_key().public_bytes_raw()
    return private, public


def _private_key(private: bytes) -> hpke.MLKEM768X25519PrivateKey:
    if len(private) != HPKE_PRIVATE_BYTES:
        raise ValueError("HPKE private key has the wrong length")
    return hpke.MLKEM768X25519PrivateKey(mlkem.MLKEM768PrivateKey.from_seed_bytes(private[:MLKEM_SEED_BYTES]),
                                         x25519.X25519PrivateKey.from_private_bytes(private[MLKEM_SEED_BYTES:]))


def _public_key(public: bytes) -> hpke.MLKEM768X25519PublicKey:
    if len(public) != HPKE_PUBLIC_BYTES:
        raise ValueError("HPKE public key has the wrong length")
    return hpke.MLKEM768X25519PublicKey(
        mlkem.MLKEM768PublicKey.from_public_bytes(public[:MLKEM_PUBLIC_BYTES]),
        x25519.X25519PublicKey.from_public_bytes(public[MLKEM_PUBLIC_BYTES:]))


def hpke_public_from_private(private: bytes) -> bytes:
    if len(private) != HPKE_PRIVATE_BYTES:
        raise ValueError("HPKE private key has the wrong length")
    kem_key = mlkem.MLKEM768PrivateKey.from_seed_bytes(private[:MLKEM_SEED_BYTES])
    dh_key = x25519.X25519PrivateKey.from_private_bytes(private[MLKEM_SEED_BYTES:])
    return kem_key.public_key().public_bytes_raw() + dh_key.public_key().public_bytes_raw()


def validate_hpke_public(public: bytes) -> None:
    """Raise ``ValueError`` unless ``public`` loads as a hybrid public key."""
    _public_key(public)


def new_content_key() -> bytes:
    return secrets.token_bytes(CONTENT_KEY_BYTES)


def seal_key(public: bytes, content_key: bytes, info: bytes) -> bytes:
    """Seal the content key to one recipient; ``info`` binds it to the bundle header."""
    sealed = _suite().encrypt(content_key, _public_key(public), info=info)
    if len(sealed) != SEALED_KEY_BYTES:  # pragma: no cover - fixed by the suite
        raise ValueError("unexpected sealed key length")
    return sealed


def unseal_key(private: bytes, sealed: bytes, info: bytes) -> bytes:
    """Open a sealed content key; raises ``InvalidTag`` (or ``ValueError``) when it is not for this key."""
    if len(sealed) != SEALED_KEY_BYTES:
        raise ValueError("sealed key has the wrong length")
    key = _suite().decrypt(sealed, _private_key(private), info=info)
    if len(key) != CONTENT_KEY_BYTES:
        raise ValueError("content key has the wrong length")
    return key


# ---- AES-256-GCM --------------------------------------------------------------------------------------------
def encrypt(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    return AESGCM(key).encrypt(nonce, plaintext, aad)


def decrypt(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    """Raises ``InvalidTag`` when the ciphertext or the associated data were changed."""
    return AESGCM(key).decrypt(nonce, ciphertext, aad)


# ---- Ed25519 ------------------------------------------------------------------------------------------------
def new_signing_keypair() -> tuple[bytes, bytes]:
    key = ed25519.Ed25519PrivateKey.generate()
    return key.private_bytes_raw(), key.public_key().public_bytes_raw()


def signing_public_from_private(private: bytes) -> bytes:
    return ed25519.Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()


def validate_signing_public(public: bytes) -> None:
    if len(public) != ED25519_PUBLIC_BYTES:
        raise ValueError("Ed25519 public key has the wrong length")
    ed25519.Ed25519PublicKey.from_public_bytes(public)


def sign(private: bytes, data: bytes | memoryview) -> bytes:
    return ed25519.Ed25519PrivateKey.from_private_bytes(private).sign(data)


def verify(public: bytes, signature: bytes, data: bytes | memoryview) -> bool:
    if len(signature) != SIGNATURE_BYTES:
        return False
    try:
        ed25519.Ed25519PublicKey.from_public_bytes(public).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True
