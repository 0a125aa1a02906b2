"""The navigation registry (DESIGN.md §6).

The main window lists exactly the registered areas the signed-in user may use, in ``order``; there are no
buttons for areas that don't exist yet. The areas are declared here with a lazy factory (``view("module",
"Class")``): the navigation shows every name, but a view's module is imported and its widget built only when the
area is first shown, so the start pays for the first view only (issue 20 point 2). A later issue adds its area
with one entry in ``_declare`` below (or one ``register`` call)::

    register(Area("cases", "Fälle", view("whh_desktop.ui.views.cases", "CasesView"), order=ORDER["cases"],
                  allowed=case_workers))
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QWidget

from whh_desktop.core.domain.enums import Role
from whh_desktop.core.domain.sites import StoreMode
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store

# Places of DESIGN.md §6, so areas land in the same order whenever they arrive.
ORDER = {"overview": 0, "cases": 10, "deadlines": 20, "housing_search": 30, "landlords": 40, "letters": 50,
         "exchange": 60, "reports": 70, "privacy": 80, "admin": 90}


class Shell(Protocol):
    """What a view may ask of the main window."""

    def set_autolock_minutes(self, minutes: int) -> None: ...

    def request_restore(self, backup: Path) -> None: ...

    def show_area(self, label: str) -> QWidget: ...


Factory = Callable[[Store, CurrentUser, Shell], QWidget]


def view(module: str, name: str) -> Factory:
    """A factory that imports ``module`` only when the area is first built (its imports stay off the start)."""

    def build(store: Store, user: CurrentUser, shell: Shell) -> QWidget:
        return getattr(importlib.import_module(module), name)(store, user, shell)  # type: ignore[no-any-return]

    build.__qualname__ = f"view({module}.{name})"
    return build


def everyone(store: Store, user: CurrentUser) -> bool:
    return True


def admins_only(store: Store, user: CurrentUser) -> bool:
    return user.is_admin


def case_workers(store: Store, user: CurrentUser) -> bool:
    """Case content is for Beratung (and Kreis reading); admins manage accounts (DESIGN.md §10)."""
    return user.role is not Role.ADMIN


def site_counsellors(store: Store, user: CurrentUser) -> bool:
    return user.role is not Role.ADMIN and store.info.mode == StoreMode.SITE.value


def district_staff(store: Store, user: CurrentUser) -> bool:
    return user.role is not Role.ADMIN and store.info.mode == StoreMode.DISTRICT.value


def my_day_badge(store: Store, user: CurrentUser) -> int:
    from whh_desktop.core.services import my_day  # a counsellor's start: the Mein Tag view needs it anyway

    return my_day.my_day_count(store, user)


def deadlines_badge(store: Store, user: CurrentUser) -> int:
    from whh_desktop.core.services import fristen

    return fristen.my_badge_count(store, user)


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


def registered() -> list[Area]:
    return sorted(_registry.values(), key=lambda a: (a.order, a.label))


def available_areas(store: Store, user: CurrentUser) -> list[Area]:
    return [area for area in registered() if area.allowed(store, user)]


def _declare() -> None:
    views = "whh_desktop.ui.views"
    for area in (
        Area("overview", "Übersicht", view(f"{views}.overview", "OverviewView"), order=ORDER["overview"],
             allowed=admins_only, description="Standort, Datenbestand und letzte Sicherung"),
        Area("my_day", "Mein Tag", view(f"{views}.my_day", "MyDayView"), order=ORDER["overview"],
             allowed=site_counsellors, badge=my_day_badge,
             description="Eigene Fristen, Wiedervorlagen, Entwürfe, fällige Anträge und neue Fälle; die Zahl "
                         "zählt, was heute zu tun ist"),
        Area("district_day", "Kreisübersicht", view(f"{views}.my_day", "DistrictDayView"), order=ORDER["overview"],
             allowed=district_staff, description="Pakete je Standort, mögliche Doppelungen und fällige Berichte"),
        Area("cases", "Fälle", view(f"{views}.cases", "CasesView"), order=ORDER["cases"], allowed=case_workers,
             description="Personen und Fälle suchen, Fallakten öffnen"),
        Area("deadlines", "Fristen", view(f"{views}.fristen", "FristenView"), order=ORDER["deadlines"],
             allowed=case_workers, badge=deadlines_badge,
             description="Fällige und überfällige Fristen (überfällige zuerst); die Zahl zählt die eigenen, die "
                         "in den nächsten 7 Tagen fällig sind"),
        Area("housing_search", "Wohnungssuche", view(f"{views}.housing", "HousingView"),
             order=ORDER["housing_search"], allowed=case_workers,
             description="Suchende Haushalte, passende freie Wohnungen, Vorschläge bis zum Mietvertrag"),
        Area("landlords", "Vermieter und Wohnungen", view(f"{views}.landlords", "LandlordsView"),
             order=ORDER["landlords"], allowed=case_workers,
             description="Vermieterregister, Wohnungsangebote und Wohnungsmarkt; beim Kreis auch KdU-Tabelle und "
                         "die Vorschläge der Standorte"),
        Area("letters", "Briefe", view(f"{views}.letters", "LettersView"), order=ORDER["letters"],
             allowed=case_workers, description="Serienbriefe an Vermieter; Briefe zu einem Fall in der Fallakte"),
        Area("exchange", "Austausch", view(f"{views}.exchange", "ExchangeView"), order=ORDER["exchange"],
             description="Verschlüsselte Pakete zwischen den Standorten und dem Kreis, Schlüssel, Doppelungen"),
        Area("reports", "Berichte", view(f"{views}.reports", "ReportsView"), order=ORDER["reports"],
             allowed=case_workers,
             description="Kennzahlen mit Diagrammen, Stichtagsstatistik, Sachbericht, Datenqualität"),
        Area("privacy", "Datenschutz", view(f"{views}.privacy", "PrivacyView"), order=ORDER["privacy"],
             allowed=case_workers,
             description="Löschfristen: abgeschlossene Fälle nach Ablauf der Aufbewahrungsfrist löschen"),
        Area("admin", "Verwaltung", view(f"{views}.admin", "AdminView"), order=ORDER["admin"], allowed=admins_only,
             description="Konten, Einstellungen, Briefkopf und Brieftexte, Adressbuch, Datensicherung und "
                         "Protokoll"),
    ):
        register(area)


_declare()
