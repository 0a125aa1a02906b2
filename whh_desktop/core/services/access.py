"""Who may see what (DESIGN.md §10, Access).

Beratung works on its site's cases; Kreis reads the merged district data; Admin manages accounts and settings,
not case content. Health and addiction notes (contacts serving Baustein 4 or 5) are visible only to the case's
counsellor and the substitutes named on the case.
"""

from __future__ import annotations

from whh_desktop.core.errors import PermissionDenied
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.models import Case, Role

HEALTH_BAUSTEINE = frozenset({"4", "5"})
HIDDEN_NOTE = "(vertraulich: Gesundheits-/Suchtangaben nur für die fallführende Beratung und Vertretungen)"


def require_case_worker(user: CurrentUser) -> None:
    if user.role is Role.ADMIN:
        raise PermissionDenied("Admin-Konten verwalten Konten und Einstellungen, nicht Fallinhalte. Bitte mit "
                               "einem Beratungskonto anmelden.")


def may_see_health(user: CurrentUser, case: Case) -> bool:
    return user.username == case.counsellor or user.username in (case.substitutes or [])


def is_health_related(bausteine: list[str] | None) -> bool:
    return bool(HEALTH_BAUSTEINE.intersection(bausteine or []))
