"""The key material a bundle is written and opened with: the recipients' public HPKE keys, the sender's signing
key, our own HPKE private keys and the trusted senders' signing keys. Filled from the store by
the sync_keys service; ``bundle`` only uses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RecipientKey:
    """A public HPKE key a bundle can be sealed to."""

    key_id: str
    site: str
    public_hpke: bytes = field(repr=False)
    role: str  # "district" | "escrow" | "site"


@dataclass(frozen=True)
class SenderIdentity:
    site: str
    store_id: str
    key_id: str
    signing_private: bytes = field(repr=False)


@dataclass(frozen=True)
class ReceiverIdentity:
    """Own HPKE private keys: the current one first, then retired ones (bundles still under way)."""

    site: str
    role: str  # "site" | "district" | "escrow"
    keys: tuple[tuple[str, bytes], ...] = field(repr=False)  # (key_id, hpke private)

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.keys)


@dataclass(frozen=True)
class TrustedSender:
    key_id: str
    site: str
    store_id: str
    signing_public: bytes = field(repr=False)
    revoked: bool = False


@dataclass(frozen=True)
class TrustList:
    senders: Mapping[str, TrustedSender] = field(default_factory=dict)

    def get(self, key_id: str) -> TrustedSender | None:
        return self.senders.get(key_id)
