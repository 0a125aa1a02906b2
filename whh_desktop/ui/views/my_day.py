"""The start pages (DESIGN.md §6, issue 18 point 1): "Mein Tag" for counsellors, the district's start page for
the Kreis. Each line opens its place (double-click or Enter): the case file, the Austausch area, the reports."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from whh_desktop.core.domain.changes import CASE_FILE, Aggregate
from whh_desktop.core.domain.formatting import fmt_count, fmt_date, long_date, plural
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.services import my_day
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.services.store_api import Store
from whh_desktop.ui.areas import Shell
from whh_desktop.ui.ops import listen, wants
from whh_desktop.ui.style import heading, muted
from whh_desktop.ui.widgets.tabs import select_tab

_MORE_ROLE = Qt.ItemDataRole.UserRole + 1  # the last line that counts what is not listed
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
EXCHANGE_AREA, REPORTS_AREA = "Austausch", "Berichte"
DEADLINES_AREA, CASES_AREA = "Fristen", "Fälle"  # where the lines beyond my_day.SHOWN are all listed



@dataclass(frozen=True)
class Place:
    """What a line opens: a case file (``case_id``) or an area of the main window (``area``), at a tab."""

    case_id: uuid.UUID | None = None
    area: str = ""
    tab: str = ""  # the tab's title without its mnemonic ("Fristen", "Mögliche Doppelungen")



def greeting(now: datetime | None = None) -> str:
    hour = (now or datetime.now()).hour
    return "Guten Morgen" if hour < 11 else "Guten Abend" if hour >= 18 else "Guten Tag"


def days_text(days: int) -> str:
    """``heute``, ``morgen``, ``in 3 Tagen``, ``seit 1 Tag überfällig`` (German plural forms)."""
    if days == 0:
        return "heute"
    if days == 1:
        return "morgen"
    if days > 1:
        return f"in {plural(days, 'Tag', 'Tagen')}"
    return f"seit {plural(-days, 'Tag', 'Tagen')} überfällig"


def day_title(today: date) -> str:
    return f"{WEEKDAYS[today.weekday()]}, {long_date(today)}"


class WrappingList(QListWidget):
    """A list exactly as tall as its lines, also when a narrow window wraps them (1366×768 at 150 %)."""

    _fit_pending = False

    def fit_height(self) -> None:
        if not self.isVisible():  # measured when shown, at the width it is shown at: once, not at fill and show
            self._fit_pending = True
            return
        self._fit_pending = False
        width, metrics = max(self.viewport().width() - 8, 80), self.fontMetrics()
        # Every line has the same font and margins: one line's hint serves all (asking each of a thousand lines
        # for its hint cost more than reading them at 100 000 persons); the wrapped text height adds the margin.
        one_line = self.sizeHintForRow(0) if self.count() else 0
        margin = max(one_line - metrics.height(), 4)

        def height(row: int) -> int:  # the item's hint does not know the width it wraps at
            text = self.item(row).text() if row < self.count() else ""
            wrapped = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, text).height()
            return max(one_line, wrapped + margin)

        self.setFixedHeight(sum(height(i) for i in range(max(self.count(), 1))) + 6)
        self.doItemsLayout()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit_height()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._fit_pending:
            self.fit_height()


class Section(QFrame):
    """A titled list of lines; as tall as its lines (the page scrolls, never the list)."""

    def __init__(self, key: str, title: str, empty: str, activate: Callable[[Place], None],
                 counted: bool = True) -> None:
        super().__init__()
        self.counted = counted  # the number of lines in the heading (not for a fixed list like the sites)
        self.setObjectName(f"section_{key}")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)  # the page's stretch takes the rest
        self.title, self.empty = title, empty
        self.heading = QLabel()
        self.heading.setObjectName(f"heading_{key}")
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 1)
        self.heading.setFont(font)
        self.list = WrappingList()
        self.list.setObjectName(f"list_{key}")
        self.list.setAccessibleName(title)
        self.list.setWordWrap(True)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemActivated.connect(lambda item: self._activate(item, activate))
        self.heading.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)

    @staticmethod
    def _activate(item: QListWidgetItem, activate: Callable[[Place], None]) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target is not None:
            activate(target)

    def fill(self, lines: list[tuple[str, Place | None]], more: int = 0, more_place: Place | None = None) -> None:
        """``more``: lines the read model did not list (beyond ``my_day.SHOWN``); one last line counts them and
        opens ``more_place`` (the area that lists them all)."""
        total = len(lines) + more
        self.heading.setText(f"{self.title} ({fmt_count(total)})" if total and self.counted else self.title)
        self.list.clear()
        for text, target in lines or [(self.empty, None)]:
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, target)
            if target is None:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setForeground(self.palette().placeholderText())
        if more:
            where = f" – im Bereich »{more_place.area}«" if more_place is not None else ""
            item = QListWidgetItem(f"… und {fmt_count(more)} weitere{where}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, more_place)
            item.setData(_MORE_ROLE, True)
            if more_place is None:
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.list.fit_height()

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())
                if self.list.item(i).data(Qt.ItemDataRole.UserRole) is not None
                and not self.list.item(i).data(_MORE_ROLE)]


class StartPage(QWidget):
    """The scrolling frame both start pages share: greeting, date line, sections."""

    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None, name: str) -> None:
        super().__init__()
        self.store, self.user, self.shell = store, user, shell
        self.setObjectName(name)
        self.title = heading("")
        self.subtitle = muted()
        self.sections: dict[str, Section] = {}
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(28, 24, 28, 24)
        self.body.setSpacing(6)
        self.body.addWidget(self.title)
        self.body.addWidget(self.subtitle)
        self.body.addSpacing(6)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def add_section(self, key: str, title: str, empty: str, counted: bool = True) -> Section:
        section = Section(key, title, empty, self.open_target, counted)
        self.sections[key] = section
        self.body.addWidget(section)
        return section

    def finish(self) -> None:
        self.body.addStretch()

    def open_target(self, place: Place) -> None:
        if place.case_id is not None:
            self.open_case(place.case_id, place.tab)
        elif self.shell is not None:
            select_tab(self.shell.show_area(place.area), place.tab)

    def open_case(self, case_id: uuid.UUID, tab: str = "") -> QDialog:
        """The case file on ``tab``; a draft opens in the intake form (like the Fälle list)."""
        from whh_desktop.ui.dialogs.case_file import open_case  # the case file's modules: when first opened

        return open_case(self, self.store, self.user, case_id, tab)


class MyDayView(StartPage):
    """Mein Tag: what the signed-in counsellor has to act on, from one read model (``services/my_day``)."""

    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None) -> None:
        super().__init__(store, user, shell, "my_day")
        self.setAccessibleName("Mein Tag")
        self.add_section("overdue", "Überfällige Fristen", "Keine überfälligen Fristen.")
        self.add_section("week", "Fristen dieser Woche", "In den nächsten 7 Tagen läuft keine Frist ab.")
        self.add_section("follow_ups", "Wiedervorlagen", "Keine Wiedervorlage fällig.")
        self.add_section("drafts", "Entwürfe zu vervollständigen", "Keine Entwürfe.")
        self.add_section("applications", "Anträge: Sachstandsanfrage oder Untätigkeitsklage",
                         "Kein Antrag wartet auf eine Nachfrage.")
        self.add_section("recent", f"Neue Fälle der letzten {plural(my_day.RECENT_DAYS, 'Tag', 'Tage')}",
                         "Keine neuen Fälle.")
        self.add_section("exchange", "Austausch mit dem Kreis", "Nichts wartet auf Export oder Einlesen.")
        self.finish()
        self.day: my_day.MyDay | None = None
        listen(self, wants(CASE_FILE, Aggregate.SETTINGS, Aggregate.SYNC_EXPORT_STATE,
                           Aggregate.SYNC_IMPORTED_BUNDLES), self.refresh)
        self.refresh()

    def badge_count(self) -> int:
        """The number beside "Mein Tag", from the page just read (the navigation need not read it again)."""
        return self.day.count if self.day is not None else my_day.my_day_count(self.store, self.user)

    def refresh(self) -> None:
        day = self.day = my_day.my_day(self.store, self.user)
        self.title.setText(f"{greeting()}, {self.user.display_name}")
        self.title.setAccessibleName(self.title.text())
        self.subtitle.setText(f"{day_title(day.today)} · {SiteCode(self.store.info.site_code).label}")

        def deadline(line: my_day.DeadlineLine, kind: bool = True) -> tuple[str, Place]:
            what = f" · {line.kind}" if kind else ""
            return (f"{fmt_date(line.due_on)} ({days_text(line.days_left)}){what} · {line.case_number} {line.person}",
                    Place(line.case_id, tab="Fristen"))

        def case(line: my_day.CaseLine, what: str) -> tuple[str, Place]:
            return f"{line.case_number} {line.person} · {what} {fmt_date(line.opened_on)}", Place(line.case_id)

        more = day.more.get
        fristen, cases = Place(area=DEADLINES_AREA), Place(area=CASES_AREA)
        self.sections["overdue"].fill([deadline(d) for d in day.overdue], more("overdue", 0), fristen)
        self.sections["week"].fill([deadline(d) for d in day.this_week], more("week", 0), fristen)
        self.sections["follow_ups"].fill([deadline(d, kind=False) for d in day.follow_ups], more("follow_ups", 0),
                                         fristen)
        self.sections["drafts"].fill([case(c, "Entwurf vom") for c in day.drafts], more("drafts", 0), cases)
        self.sections["applications"].fill([(f"{a.case_number} {a.person} · {a.kind}: {a.reason}",
                                             Place(a.case_id, tab="Anträge")) for a in day.applications],
                                           more("applications", 0))
        self.sections["recent"].fill([case(c, "eröffnet am") for c in day.recent], more("recent", 0), cases)
        self.sections["exchange"].fill([(text, Place(area=EXCHANGE_AREA, tab="Export und Einlesen"))
                                        for text in day.exchange])


class DistrictDayView(StartPage):
    """The Kreis's start page: bundles per site, duplicates to review, reports due."""

    def __init__(self, store: Store, user: CurrentUser, shell: Shell | None = None) -> None:
        super().__init__(store, user, shell, "district_day")
        self.setAccessibleName("Kreisübersicht")
        self.add_section("sites", "Pakete je Standort", "Noch keine Standorte.", counted=False)
        self.add_section("duplicates", "Mögliche Doppelungen", "Keine Doppelungen zu prüfen.")
        self.add_section("reports", "Fällige Berichte", "Kein Bericht fällig.")
        self.finish()
        self.day: my_day.DistrictDay | None = None
        listen(self, wants(Aggregate.SYNC_IMPORTED_BUNDLES, Aggregate.PERSONS, Aggregate.PERSON_LINKS), self.refresh)
        self.refresh()

    def refresh(self) -> None:
        day = self.day = my_day.district_day(self.store, self.user)
        self.title.setText(f"{greeting()}, {self.user.display_name}")
        self.title.setAccessibleName(self.title.text())
        self.subtitle.setText(f"{day_title(day.today)} · {SiteCode(self.store.info.site_code).label}")
        self.sections["sites"].fill([(f"{s.label}: {s.state}", Place(area=EXCHANGE_AREA, tab="Pakete"))
                                     for s in day.sites])
        pairs = day.duplicates
        self.sections["duplicates"].fill(
            [(f"{pairs} {'Paar' if pairs == 1 else 'Paare'} zu prüfen (Austausch → Mögliche Doppelungen)",
              Place(area=EXCHANGE_AREA, tab="Mögliche Doppelungen"))] if pairs else [])
        self.sections["reports"].fill([(f"{r.name}: Stichtag {fmt_date(r.stichtag)} ({days_text(r.days_left)})",
                                        Place(area=REPORTS_AREA)) for r in day.reports])
