"""What counts as special-category content (health and addiction, Art. 9 GDPR / § 13 DSG-EKD).

Pure predicates on stored keys: the access rule of the services, the health filter of the exchange and the
Art. 15 report ask them, so the three agree on what is health data.
"""

from __future__ import annotations

from collections.abc import Iterable

HEALTH_BAUSTEINE = frozenset({"4", "5"})
HEALTH_REFERRAL_TARGETS = frozenset({"spdi", "suchthilfe"})
HEALTH_SERVICE_KINDS = frozenset({"spdi", "gpv", "suchtberatung", "eingliederungshilfe"})


def is_health_related(bausteine: Iterable[str] | None) -> bool:
    """A contact serving Baustein 4 or 5."""
    return bool(HEALTH_BAUSTEINE.intersection(bausteine or []))


def is_health_referral(target: str) -> bool:
    return target in HEALTH_REFERRAL_TARGETS


def is_health_service(kind: str) -> bool:
    return kind in HEALTH_SERVICE_KINDS
