"""The start pages' read models: a counsellor's "Mein Tag" and the district's start page (issue 18, point 1).

Everything a counsellor has to act on today comes from one read session: own overdue and this week's
deadlines, Wiedervorlagen, drafts to complete, applications due for a Sachstandsanfrage or past the § 88 SGG
period, recently opened cases and the state of the export to the Kreis. Only case numbers, names, dates and
kinds are shown, never a note: nothing special-category (Art. 9 GDPR) can reach the page, so nothing needs masking.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.deadlines import DeadlineKind
from whh_desktop.core.domain.enums import ApplicationKind
from whh_desktop.core.domain.formatting import fmt_date, local
from whh_desktop.core.domain.sites import SiteCode, StoreMode
from whh_desktop.core.services import access, applications, fristen
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Application, Case, DeadlineEntry, Objection, Person
from whh_desktop.core.store.models.sync import ExportState
from whh_desktop.core.sync import ledger

WEEK_DAYS = 7          # "this week": due within the next seven days, like the Fristen badge
RECENT_DAYS = 14       # cases opened in the last two weeks
EXPORT_STALE_DAYS = 7  # an export to the Kreis older than this is shown as waiting
SHOWN = 50             # lines per section: the most urgent; the rest is counted (3 000 overdue are no work list)


@dataclass(frozen=True)
class DeadlineLine:
    deadline_id: uuid.UUID
    case_id: uuid.UUID
    case_number: str
    person: str
    kind: str        # German label
    due_on: date
    days_left: int   # negative when overdue


@dataclass(frozen=True)
class CaseLine:
    case_id: uuid.UUID
    case_number: str
    person: str
    opened_on: date


@dataclass(frozen=True)
class ApplicationLine:
    case_id: uuid.UUID
    case_number: str
    person: str
    kind: str        # German label of the application
    reason: str      # what is due, German


@dataclass(frozen=True)
class MyDay:
    today: date
    overdue: tuple[DeadlineLine, ...]
    this_week: tuple[DeadlineLine, ...]
    follow_ups: tuple[DeadlineLine, ...]   # Wiedervorlagen due by the end of the week (overdue ones too)
    drafts: tuple[CaseLine, ...]
    applications: tuple[ApplicationLine, ...]
    recent: tuple[CaseLine, ...]
    exchange: tuple[str, ...]              # an export or import waiting, German sentences
    more: dict[str, int] = field(default_factory=dict)  # section ("overdue", "recent" …) -> lines beyond SHOWN

    @property
    def count(self) -> int:
        """What needs acting on: the number beside "Mein Tag" in the navigation (the lines not listed too)."""
        return (len(self.overdue) + len(self.this_week) + len(self.follow_ups) + len(self.drafts)
                + len(self.applications)
                + sum(self.more.get(k, 0) for k in ("overdue", "week", "follow_ups", "drafts", "applications")))


def _person(family: str | None, given: str | None) -> str:
    return f"{family or ''}, {given or ''}".strip(", ")


def _deadlines(session: Session, user: CurrentUser, today: date,
               more: dict[str, int]) -> tuple[list[DeadlineLine], ...]:
    """Overdue, this week's and the Wiedervorlagen: the first ``SHOWN`` of each, the rest counted in ``more``."""
    follow_up = DeadlineEntry.kind == DeadlineKind.WIEDERVORLAGE.value
    sections = {"overdue": (~follow_up, fristen.effective_due() < today),
                "week": (~follow_up, fristen.effective_due() >= today),
                "follow_ups": (follow_up,)}
    until = today + timedelta(days=WEEK_DAYS)
    found: dict[str, list[DeadlineLine]] = {}
    for key, where in sections.items():
        items = fristen.due_dates(session, user.username, until, limit=SHOWN + 1, where=where)
        found[key] = [DeadlineLine(item.id, item.case_id, item.case_number, item.person, item.kind.label,
                                   item.due_on, (item.due_on - today).days) for item in items[:SHOWN]]
        if len(items) > SHOWN:
            more[key] = fristen.due_count(session, counsellor=user.username, until=until, where=where) - SHOWN
    return found["overdue"], found["week"], found["follow_ups"]


def _my_cases(user: CurrentUser, *conditions):
    return (select(Case.id, Case.case_number, Case.opened_on, Person.family_name, Person.given_names)
            .join(Person, Person.id == Case.person_id)
            .where(Case.counsellor == user.username, Case.deleted_at.is_(None), *conditions)
            .order_by(Case.opened_on.desc(), Case.case_number))


def _case_lines(session: Session, stmt, more: dict[str, int], key: str) -> list[CaseLine]:
    lines = [CaseLine(cid, number, _person(family, given), opened)
             for cid, number, opened, family, given in session.execute(stmt.limit(SHOWN + 1))]
    if len(lines) > SHOWN:
        total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
        more[key] = int(total) - SHOWN
    return lines[:SHOWN]


def _no_index(column):  # type: ignore[no-untyped-def]
    """The same value, but no index on ``column`` is used for it (``column || ''``, on SQLite and PostgreSQL).

    A site's cases have a handful of counsellors and two states, yet SQLite's sampled statistics (``analysis_limit``)
    rate those indexes as selective: it would walk every open case of the counsellor (57 000 at 100 000 persons)
    instead of starting from the few undecided applications and finding each one's case by its key."""
    return column.concat("")


def _applications(session: Session, user: CurrentUser, today: date) -> list[ApplicationLine]:
    weeks = applications.reminder_weeks(session)
    mine = (_no_index(Case.counsellor) == user.username, _no_index(Case.status) == "open", Case.deleted_at.is_(None))
    lines: list[ApplicationLine] = []
    rows = session.execute(
        select(Application, Case.case_number, Person.family_name, Person.given_names)
        .join(Case, Case.id == Application.case_id).join(Person, Person.id == Case.person_id)
        .where(Application.deleted_at.is_(None), Application.decision.is_(None), *mine)
        .order_by(Application.submitted_on, Case.case_number))
    for app, number, family, given in rows:
        flag = applications.inaction(app.submitted_on, today)
        due = applications.reminder_due_on(app, weeks)
        if flag.possible:
            reason = f"Untätigkeitsklage möglich seit {fmt_date(flag.possible_from)} (§ 88 Abs. 1 SGG)"
        elif due is not None and due <= today:
            reason = f"Sachstandsanfrage fällig seit {fmt_date(due)}"
        else:
            continue
        lines.append(ApplicationLine(app.case_id, number, _person(family, given), ApplicationKind(app.kind).label,
                                     reason))
    objections = session.execute(
        select(Objection, Application.kind, Case.case_number, Person.family_name, Person.given_names)
        .join(Application, Application.id == Objection.application_id)
        .join(Case, Case.id == Objection.case_id).join(Person, Person.id == Case.person_id)
        .where(Objection.deleted_at.is_(None), Objection.decision.is_(None), *mine)
        .order_by(Objection.lodged_on, Case.case_number))
    for obj, kind, number, family, given in objections:
        flag = applications.inaction(obj.lodged_on, today, objection=True)
        if flag.possible:
            lines.append(ApplicationLine(obj.case_id, number, _person(family, given), ApplicationKind(kind).label,
                                         f"Untätigkeitsklage zum Widerspruch möglich seit "
                                         f"{fmt_date(flag.possible_from)} (§ 88 Abs. 2 SGG)"))
    return lines


def _exchange(session: Session, today: date) -> list[str]:
    """At a site: the export to the Kreis that is due, and an export the Kreis has not confirmed yet."""
    state = session.get(ExportState, SiteCode.KREIS.value)
    if state is None or not state.last_sequence or state.last_export_at is None:
        return ["Noch kein Export an den Kreis: im Bereich »Austausch« erstellen."]
    lines = []
    exported_on = local(state.last_export_at).date()
    age = (today - exported_on).days
    if age > EXPORT_STALE_DAYS:
        lines.append(f"Der letzte Export an den Kreis ist vom {fmt_date(exported_on)}: "
                     "im Bereich »Austausch« einen neuen erstellen.")
    ack = ledger.district_ack(session)
    if ack.sequence is None or (ack.last_export is not None and ack.sequence < ack.last_export):
        lines.append(f"Der Kreis hat Export {state.last_sequence} noch nicht bestätigt.")
    return lines


def my_day(store: Store, user: CurrentUser, today: date | None = None) -> MyDay:
    """The counsellor's start page in one read: only the user's own cases and deadlines."""
    access.require_case_worker(user)
    today = today or date.today()
    more: dict[str, int] = {}
    with store.read_session() as s:
        overdue, week, follow_ups = _deadlines(s, user, today, more)
        drafts = _case_lines(s, _my_cases(user, Case.status == "draft"), more, "drafts")
        recent = _case_lines(s, _my_cases(user, Case.status == "open",
                                          Case.opened_on >= today - timedelta(days=RECENT_DAYS)), more, "recent")
        apps = _applications(s, user, today)
        exchange = _exchange(s, today) if store.info.mode == StoreMode.SITE.value else []
    if len(apps) > SHOWN:
        more["applications"] = len(apps) - SHOWN
    return MyDay(today, tuple(overdue), tuple(week), tuple(follow_ups), tuple(drafts), tuple(apps[:SHOWN]),
                 tuple(recent), tuple(exchange), more)


def my_day_count(store: Store, user: CurrentUser) -> int:
    return my_day(store, user).count


# ---- the district ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SiteLine:
    site: str
    label: str
    last_bundle_at: datetime | None
    last_sequence: int | None
    missing: str     # "" or the gaps, German ("2–4 (3 Exporte)")

    @property
    def state(self) -> str:
        """One German line: what arrived from this site and what is missing."""
        if self.last_sequence is None or self.last_bundle_at is None:
            return "noch kein Paket eingegangen"
        text = f"bis Export {self.last_sequence}, zuletzt am {fmt_date(local(self.last_bundle_at))}"
        return f"{text}; es fehlen: {self.missing}" if self.missing else text


@dataclass(frozen=True)
class ReportDue:
    name: str        # German
    stichtag: date
    days_left: int


# DOMAIN.md, Reporting: the NRW Wohnungsnotfall-Berichterstattung counts on 30 June, WoBerichtsG on 31 January.
REPORT_DATES = (("Integrierte Wohnungsnotfall-Berichterstattung NRW", 6, 30),
                ("Statistik untergebrachter wohnungsloser Personen (WoBerichtsG)", 1, 31))


def reports_due(today: date) -> list[ReportDue]:
    """The next Stichtag of each report, soonest first (today counts as due today)."""
    due = []
    for name, month, day in REPORT_DATES:
        stichtag = date(today.year, month, day)
        if stichtag < today:
            stichtag = date(today.year + 1, month, day)
        due.append(ReportDue(name, stichtag, (stichtag - today).days))
    return sorted(due, key=lambda r: r.stichtag)


@dataclass(frozen=True)
class DistrictDay:
    today: date
    sites: tuple[SiteLine, ...]
    duplicates: int
    reports: tuple[ReportDue, ...]

    @property
    def count(self) -> int:
        """Sites with missing bundles plus pairs to review."""
        return sum(1 for site in self.sites if site.missing) + self.duplicates


def district_day(store: Store, user: CurrentUser, today: date | None = None) -> DistrictDay:
    """The district's start page: bundles per site, duplicates to review, reports due."""
    from whh_desktop.core.services import duplicates  # the name matching library loads at the Kreis only

    access.require_case_worker(user)
    today = today or date.today()
    with store.read_session() as s:
        received = {st.site: st for st in ledger.site_status(s)}
        pairs = len(duplicates.candidates(s))
    sites = []
    for site in SiteCode.counselling_sites():  # a site that never sent anything shows too
        st = received.get(site.value)
        sites.append(SiteLine(site.value, site.label, st.last_bundle_at if st else None,
                              st.last_sequence if st else None, st.gap_text if st and st.missing else ""))
    return DistrictDay(today, tuple(sites), pairs, tuple(reports_due(today)))
