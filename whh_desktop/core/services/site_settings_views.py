"""The site settings as the windows read and save them (Verwaltung → Einstellungen, auto-lock of the window).

``site_settings`` keeps the session-taking functions core code uses; these open the session themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from whh_desktop.core.services import applications, site_settings
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.site_settings import Settings
from whh_desktop.core.store.engine import Store


def current(store: Store) -> Settings:
    with store.read_session() as s:
        return site_settings.load(s)


def retention_years(store: Store) -> int:
    with store.read_session() as s:
        return site_settings.retention_years(s)


@dataclass(frozen=True)
class AdminSettings:
    """What Verwaltung → Einstellungen shows: the site settings and the weeks before a Sachstandsanfrage."""

    settings: Settings
    reminder_weeks: int


def admin_settings(store: Store, user: CurrentUser) -> AdminSettings:
    with store.read_session() as s:
        return AdminSettings(site_settings.load(s), applications.reminder_weeks(s))


def save_admin_settings(store: Store, user: CurrentUser, value: AdminSettings) -> None:
    """The settings first (their check names the field), then the reminder weeks when they changed."""
    with store.session(user.username) as s:
        site_settings.save(s, value.settings, user.username)
        weeks = applications.reminder_weeks(s)
    if value.reminder_weeks != weeks:
        applications.set_reminder_weeks(store, user, value.reminder_weeks)
