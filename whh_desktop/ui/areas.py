"""The navigation registry (DESIGN.md §6). An area is listed only once it exists and the user may use it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store

# Order of DESIGN.md §6; areas not built yet are simply absent.
ORDER = ("Übersicht", "Fälle", "Fristen", "Wohnungssuche", "Vermieter & Wohnungen", "Briefe", "Austausch",
         "Berichte", "Verwaltung")


@dataclass(frozen=True)
class Area:
    label: str
    factory: Callable[[Store, CurrentUser, QWidget], QWidget]
    allowed: Callable[[Store, CurrentUser], bool] = lambda store, user: True


def available_areas(store: Store, user: CurrentUser) -> list[Area]:
    from whh_desktop.ui.views import admin, overview

    areas = [Area("Übersicht", overview.OverviewView),
             Area("Verwaltung", admin.AdminView, lambda store, user: user.is_admin)]
    allowed = [a for a in areas if a.allowed(store, user)]
    return sorted(allowed, key=lambda a: ORDER.index(a.label))
