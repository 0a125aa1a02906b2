"""The navigation registry (DESIGN.md §6).

The main window lists exactly the registered areas the signed-in user may use, in ``order``; there are no
buttons for areas that don't exist yet. A later issue adds its area with one ``register`` call at the bottom of
its view module and one entry in ``VIEW_MODULES``::

    register(Area("cases", "Fälle", CasesView, order=ORDER["cases"], shortcut="Ctrl+2",
                  allowed=lambda store, user: user.role is not Role.ADMIN))
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QWidget

from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store

# Places of DESIGN.md §6, so areas land in the same order whenever they arrive.
ORDER = {"overview": 0, "cases": 10, "deadlines": 20, "housing_search": 30, "landlords": 40, "letters": 50,
         "exchange": 60, "reports": 70, "privacy": 80, "admin": 90}

# Modules whose import registers their area(s).
VIEW_MODULES = ("whh_desktop.ui.views.overview", "whh_desktop.ui.views.my_day",
                "whh_desktop.ui.views.admin", "whh_desktop.ui.views.cases",
                "whh_desktop.ui.views.fristen", "whh_desktop.ui.views.privacy", "whh_desktop.ui.views.housing",
                "whh_desktop.ui.views.landlords", "whh_desktop.ui.views.letters",
                "whh_desktop.ui.views.exchange", "whh_desktop.ui.views.reports")


class Shell(Protocol):
    """What a view may ask of the main window."""

    def set_autolock_minutes(self, minutes: int) -> None: ...

    def request_restore(self, backup: Path) -> None: ...

    def show_area(self, label: str) -> QWidget: ...


Factory = Callable[[Store, CurrentUser, Shell], QWidget]


def everyone(store: Store, user: CurrentUser) -> bool:
    return True


def admins_only(store: Store, user: CurrentUser) -> bool:
    return user.is_admin


@dataclass(frozen=True)
class Area:
    key: str
    label: str  # German, as shown in the navigation
    factory: Factory
    order: int = 100
    allowed: Callable[[Store, CurrentUser], bool] = everyone
    description: str = ""  # tooltip and accessible description of the navigation entry
    badge: Callable[[Store, CurrentUser], int] | None = None  # a count shown beside the label (e.g. Fristen due)


_registry: dict[str, Area] = {}


def register(area: Area) -> Area:
    _registry[area.key] = area
    return area


def unregister(key: str) -> None:
    _registry.pop(key, None)


def _load_views() -> None:
    for module in VIEW_MODULES:
        importlib.import_module(module)


def registered() -> list[Area]:
    _load_views()
    return sorted(_registry.values(), key=lambda a: (a.order, a.label))


def available_areas(store: Store, user: CurrentUser) -> list[Area]:
    return [area for area in registered() if area.allowed(store, user)]
