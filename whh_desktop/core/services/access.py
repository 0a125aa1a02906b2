"""Who may see what (DESIGN.md §10, Access), decided here and nowhere else.

Beratung works on its site's cases; Kreis reads the merged district data; Admin manages accounts and settings,
not case content. Special-category content (health and addiction, Art. 9 GDPR / § 13 DSG-EKD) is visible only to
the case's counsellor and the substitutes named on the case. ``health_mask`` is the one rule: every service that
returns such content builds its read model through it, so views, reports, letters, exports and the command line
get the fields already replaced by ``CONFIDENTIAL`` and cannot forget to mask.

What counts as special-category content:
- a contact serving Baustein 4 (Psychiatrie) or 5 (Suchthilfe): its note and its next step;
- a referral to the SpDi/GPV or the Suchthilfe: its note and its outcome;
- a help plan service with health involvement (SpDi, GPV, Suchtberatung, Eingliederungshilfe): its task;
- every stage of the Suchthilfe pathway: all of it (kind of stage, dates, facility, housing, note).
"""

from __future__ import annotations

from dataclasses import dataclass

# the predicates (core/domain/health.py) are part of this module's interface: callers ask access.is_health_*
from whh_desktop.core.domain.health import is_health_referral as is_health_referral
from whh_desktop.core.domain.health import is_health_related as is_health_related
from whh_desktop.core.domain.health import is_health_service as is_health_service
from whh_desktop.core.errors import PermissionDenied
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.models import Case, Role

CONFIDENTIAL = "vertraulich"
HIDDEN_NOTE = "(vertraulich: Gesundheits-/Suchtangaben nur für die fallführende Beratung und Vertretungen)"


def require_case_worker(user: CurrentUser) -> None:
    if user.role is Role.ADMIN:
        raise PermissionDenied("Admin-Konten verwalten Konten und Einstellungen, nicht Fallinhalte. Bitte mit "
                               "einem Beratungskonto anmelden.")


def may_see_health(user: CurrentUser, case: Case) -> bool:
    return user.role is not Role.ADMIN and (user.username == case.counsellor
                                            or user.username in (case.substitutes or []))


@dataclass(frozen=True)
class HealthMask:
    """What one user may see of one case's special-category content."""

    visible: bool

    def text(self, value: str | None, special: bool) -> str:
        """The text as this user may see it: empty stays empty (nothing to hide), a special one is replaced."""
        if not value:
            return ""
        return value if self.visible or not special else CONFIDENTIAL

    def hides(self, special: bool) -> bool:
        return special and not self.visible


def health_mask(user: CurrentUser, case: Case) -> HealthMask:
    return HealthMask(may_see_health(user, case))
