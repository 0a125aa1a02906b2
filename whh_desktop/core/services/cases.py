"""Case list and search, case file data, closing and reopening, duplicate candidates at intake."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, Select, select, type_coerce
from sqlalchemy.orm import Session

from whh_desktop.core.domain import labels
from whh_desktop.core.domain.closing import FLAT_OUTCOMES, category_on_closing
from whh_desktop.core.domain.deadlines import DeadlineKind
from whh_desktop.core.domain.enums import ApplicationKind, Category, Outcome, ReferralStatus, ReferralTarget
from whh_desktop.core.domain.formatting import fmt_date
from whh_desktop.core.domain.phonetics import cologne
from whh_desktop.core.domain.sites import SiteCode
from whh_desktop.core.domain.text import fold, sort_key
from whh_desktop.core.errors import InvalidInput, NotFound
from whh_desktop.core.services.access import require_case_worker
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit, list_order, search_index
from whh_desktop.core.store.dialect import HexId
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import (
    Account,
    Application,
    AuditEntry,
    Case,
    CategoryEntry,
    DeadlineEntry,
    Person,
    Referral,
    SearchDoc,
)
from whh_desktop.core.store.models.accounts import staff_name
from whh_desktop.core.store.rows import get_live


@dataclass(frozen=True)
class CaseFilter:
    status: str = "active"          # active (draft + open), open, draft, closed, all
    category: str | None = None
    municipality: str | None = None
    counsellor: str | None = None
    site: str | None = None         # district: the cases of one site (by the case number's prefix)


# List ids are the UUIDs' 32-digit hex text: a search may return tens of thousands of them, and building
# uuid.UUID objects for all would cost more than the query. Rows are loaded for the visible page only.
CaseKey = str


@dataclass(frozen=True)
class SearchResult:
    exact: list[CaseKey]
    phonetic: list[CaseKey]         # sounds alike, not among the exact hits


@dataclass(frozen=True)
class CaseRow:
    id: uuid.UUID
    case_number: str
    family_name: str
    given_names: str
    birth_date: date | None
    municipality: str | None
    category: str | None
    status: str
    counsellor: str                 # the login name (filters, permissions)
    opened_on: date
    closed_on: date | None
    counsellor_name: str            # the person: the account's display name, the login name if it has none here

    @property
    def category_label(self) -> str:
        return Category(self.category).label if self.category else ""

    @property
    def status_label(self) -> str:
        return labels.case_status(self.status)


# Keys a list asks for per keystroke or scroll step (two pages of rows); more arrive while scrolling. Each keystroke
# reads this many hits in list order, so it is what a keystroke costs at any store size (issue 20: 1 000 000 persons).
LIST_BATCH = 200


def _filtered(stmt: Select, flt: CaseFilter) -> Select:
    """Filters on the narrow list index (search_docs), never on the wide case rows."""
    if flt.status == "active":
        stmt = stmt.where(SearchDoc.status.in_(("draft", "open")))
    elif flt.status == "all":
        stmt = stmt.where(SearchDoc.status != "")
    else:
        stmt = stmt.where(SearchDoc.status == flt.status)
    if flt.category:
        stmt = stmt.where(SearchDoc.category == flt.category)
    if flt.municipality:
        stmt = stmt.where(SearchDoc.municipality == flt.municipality)
    if flt.site:
        prefix = SiteCode(flt.site).case_prefix + "-"
        stmt = stmt.where(SearchDoc.case_number >= prefix, SearchDoc.case_number < prefix + "\uffff")
    if flt.counsellor:
        stmt = stmt.where(SearchDoc.counsellor == flt.counsellor)
    return stmt


_DOC_KEY = type_coerce(SearchDoc.case_id, HexId())
_KEY = type_coerce(Case.id, HexId())


def _ordered_ids(session: Session, stmt: Select, limit: int | None, offset: int = 0) -> list[CaseKey]:
    stmt = stmt.order_by(SearchDoc.sort_key, SearchDoc.case_number)
    if limit:
        stmt = stmt.limit(limit).offset(offset)
    return list(session.execute(stmt).scalars())


def search(session: Session, query: str, flt: CaseFilter | None = None, limit: int | None = None,
           offset: int = 0) -> SearchResult:
    """Search as you type: ids only (the list model loads rows lazily). No full scan of the case rows per
    keystroke: one letter uses the sort-key index, longer input the full-text index read in list order (its ids
    are in list order, ``list_order``), filters the narrow list index. A keystroke reads ``offset + limit`` hits,
    however many there are; the phonetic part is "sounds alike and no exact hit", paged the same way."""
    flt = flt or CaseFilter()
    query = query.strip()
    base = _filtered(select(_DOC_KEY), flt)
    if not query:
        return SearchResult(_ordered_ids(session, base, limit, offset), [])
    if len(fold(query)) <= 1 and not query.isdigit():
        prefix = sort_key(query)
        return SearchResult(_ordered_ids(session, base.where(SearchDoc.sort_key >= prefix,
                                                             SearchDoc.sort_key < prefix + "\uffff"), limit, offset),
                            [])
    if search_index.CASE_NUMBER_RE.match(query):  # an Aktenzeichen: its own index, in number order
        prefix = query.upper()  # a range, not LIKE: SQLite's LIKE is case-blind and cannot use the index
        stmt = (base.where(SearchDoc.case_number >= prefix, SearchDoc.case_number < prefix + "\uffff")
                .order_by(SearchDoc.case_number))
        return SearchResult(list(session.execute(stmt.limit(limit).offset(offset) if limit else stmt).scalars()),
                            [])
    built = search_index.build_query(query)
    exact = _matching(session, built.exact, flt, limit, offset) if built.exact else []
    phonetic = _matching(session, built.phonetic, flt, limit, offset) if built.phonetic else []
    return SearchResult(exact, phonetic)


def _matching(session: Session, match: str, flt: CaseFilter, limit: int | None, offset: int) -> list[CaseKey]:
    """The keys of the rows matching a full-text expression, in list order: read in id order (the list order by
    groups), so a page of "mu" never sorts its 100 000 hits (list_order)."""
    base = _filtered(select(_DOC_KEY.label("key"), SearchDoc.id.label("doc"), SearchDoc.sort_key,
                            SearchDoc.case_number), flt)

    def fetch(most: int | None, within: tuple[int, int] | None) -> list[Row]:
        stmt = search_index.matching_in_id_order(base, match, within)
        return list(session.execute(stmt.limit(most) if most else stmt).all())

    return [r.key for r in list_order.first_in_order(fetch, limit, offset)]


def rows(session: Session, ids: list[CaseKey]) -> list[CaseRow]:
    """Rows for the given list ids, in the given order (one page of the lazy list)."""
    if not ids:
        return []
    stmt = (select(_KEY, Case.case_number, Person.family_name, Person.given_names, Person.birth_date,
                   Case.municipality, Case.current_category, Case.status, Case.counsellor, Case.opened_on,
                   Case.closed_on, staff_name(Case.counsellor))
            .join(Person, Person.id == Case.person_id).outerjoin(Account, Account.username == Case.counsellor)
            .where(_KEY.in_(ids)))
    by_id = {r[0]: CaseRow(uuid.UUID(r[0]), *tuple(r)[1:]) for r in session.execute(stmt)}
    return [by_id[i] for i in ids if i in by_id]


def counsellors(session: Session) -> list[tuple[str, str]]:
    """(login name, display name) of every counsellor named on a case, by display name."""
    stmt = (select(Case.counsellor, staff_name(Case.counsellor)).distinct()
            .outerjoin(Account, Account.username == Case.counsellor))
    return sorted(((user, name) for user, name in session.execute(stmt)), key=lambda c: (sort_key(c[1]), c[0]))


def find_case_id(session: Session, text: str) -> uuid.UUID:
    """The id of the live case a user names by its Aktenzeichen (``BUE-2026-0042``) or its id (``whh letter``).
    Deleted and erased cases (Art. 17 DSGVO) are not found, as in the legal state's lookup."""
    wanted = text.strip()
    live = Case.deleted_at.is_(None) & Case.erased_on.is_(None)
    found = session.execute(select(Case.id).where(Case.case_number == wanted, live)).scalar_one_or_none()
    if found is None:
        try:
            case_id = uuid.UUID(wanted)
        except ValueError:
            case_id = None
        if case_id is not None:
            found = session.execute(select(Case.id).where(Case.id == case_id, live)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"Einen Fall »{text}« gibt es nicht (Aktenzeichen oder Fall-ID).", "case")
    return found


# ---- the case list as the UI reads it (each call one read session) -------------------------------------------
def search_cases(store: Store, user: CurrentUser, query: str, flt: CaseFilter | None = None,
                 limit: int | None = None, offset: int = 0) -> SearchResult:
    """``search`` in its own read session: the keys of one search or scroll step."""
    with store.read_session() as s:
        return search(s, query, flt, limit, offset)


def case_rows(store: Store, user: CurrentUser, ids: list[CaseKey]) -> list[CaseRow]:
    """``rows`` in its own read session: one page of the lazy list."""
    with store.read_session() as s:
        return rows(s, ids)


def counsellor_names(store: Store, user: CurrentUser) -> list[tuple[str, str]]:
    """The counsellors named on cases, for the list's filter: (login name to filter by, display name to show)."""
    with store.read_session() as s:
        return counsellors(s)


# ---- duplicate warning at intake -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SimilarPerson:
    person_id: uuid.UUID
    case_id: uuid.UUID | None
    case_number: str | None
    family_name: str
    given_names: str
    birth_date: date | None
    score: float


def similar_persons(session: Session, family_name: str, given_names: str, birth_date: date | None,
                    exclude: uuid.UUID | None = None, limit: int = 10) -> list[SimilarPerson]:
    """Existing persons that may be the same: the family name sounds alike (Kölner Phonetik) and the birth date
    matches (or one of them is unknown); ranked by rapidfuzz similarity of the whole name."""
    codes = [c for c in (cologne(w) for w in fold(family_name).split()) if c]
    if not codes:
        return []
    stmt = select(Person).where(Person.deleted_at.is_(None), Person.phonetic_key.like(f"{codes[0]}%")
                                | Person.phonetic_key.like(f"% {codes[0]}%"))
    if birth_date:
        stmt = stmt.where((Person.birth_date == birth_date) | Person.birth_date.is_(None))
    from rapidfuzz import fuzz  # loaded with the first intake check, not at every start

    wanted = fold(f"{family_name} {given_names}")
    found = []
    for person in session.execute(stmt.limit(500)).scalars():
        if person.id == exclude:
            continue
        score = fuzz.token_sort_ratio(wanted, fold(f"{person.family_name} {person.given_names}"))
        if birth_date and person.birth_date == birth_date:
            score = min(100.0, score + 15)
        if score >= 60:
            case = session.execute(select(Case.id, Case.case_number).where(Case.person_id == person.id)
                                   .order_by(Case.opened_on.desc()).limit(1)).first()
            found.append(SimilarPerson(person.id, case.id if case else None, case.case_number if case else None,
                                       person.family_name, person.given_names, person.birth_date, score))
    return sorted(found, key=lambda p: -p.score)[:limit]


# ---- closing and reopening -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpenItem:
    """Something still running in a case about to close, as one German line of the warning."""

    id: uuid.UUID
    text: str


@dataclass(frozen=True)
class ClosingCheck:
    """What is still open in a case: deadlines (a running Schonfrist, Wiedervorlagen …), referrals without a result
    and applications without a decision. Closing may mark the deadlines and referrals done; applications stay open
    until the Bescheid is recorded."""

    deadlines: tuple[OpenItem, ...]
    referrals: tuple[OpenItem, ...]
    applications: tuple[OpenItem, ...]

    @property
    def anything_open(self) -> bool:
        return bool(self.deadlines or self.referrals or self.applications)

    @property
    def settleable(self) -> bool:
        return bool(self.deadlines or self.referrals)


CLOSING_CATEGORY = "case_category_on_closing"  # audit action: the close set the category (detail: which)

# a referral with one of these statuses has its result; every other one is still running
_REFERRAL_SETTLED = (ReferralStatus.ABGELEHNT.value, ReferralStatus.ABGESCHLOSSEN.value)


def _open_deadlines(session: Session, case_id: uuid.UUID) -> list[DeadlineEntry]:
    return list(session.execute(select(DeadlineEntry).where(
        DeadlineEntry.case_id == case_id, DeadlineEntry.done_on.is_(None), DeadlineEntry.deleted_at.is_(None))
        .order_by(DeadlineEntry.due_on)).scalars())


def _open_referrals(session: Session, case_id: uuid.UUID) -> list[Referral]:
    return list(session.execute(select(Referral).where(
        Referral.case_id == case_id, Referral.deleted_at.is_(None), Referral.status.not_in(_REFERRAL_SETTLED))
        .order_by(Referral.on)).scalars())


def closing_check(store: Store, user: CurrentUser, case_id: uuid.UUID) -> ClosingCheck:
    """What closing the case would leave behind, for the warning of the close dialog."""
    with store.read_session() as s:
        get_for_change(s, case_id, user)
        deadlines = tuple(OpenItem(d.id, f"{labels.of(DeadlineKind, d.kind)}: fällig am "
                                         f"{fmt_date(d.effective_due)}" + (f" – {d.note}" if d.note else ""))
                          for d in _open_deadlines(s, case_id))
        referrals = tuple(OpenItem(r.id, f"Vermittlung an {r.target_name or labels.of(ReferralTarget, r.target)} "
                                         f"vom {fmt_date(r.on)} ({labels.of(ReferralStatus, r.status)})")
                          for r in _open_referrals(s, case_id))
        apps = s.execute(select(Application).where(
            Application.case_id == case_id, Application.deleted_at.is_(None), Application.decision.is_(None))
            .order_by(Application.submitted_on)).scalars()
        applications = tuple(OpenItem(a.id, f"{labels.of(ApplicationKind, a.kind)}, gestellt am "
                                             f"{fmt_date(a.submitted_on)} (noch kein Bescheid)") for a in apps)
    return ClosingCheck(deadlines, referrals, applications)


def close_case(store: Store, user: CurrentUser, case_id: uuid.UUID, outcome: Outcome, closed_on: date,
               note: str = "", settle_open: bool = False) -> None:
    """Closes the case; with ``settle_open`` its open deadlines are done and its running referrals closed on the
    closing day, in the same transaction."""
    with store.session(user.username) as s:
        case = get_for_change(s, case_id, user)
        if case.status == "closed":
            raise InvalidInput("Der Fall ist bereits abgeschlossen.")
        if closed_on < case.opened_on:
            raise InvalidInput("Das Abschlussdatum liegt vor der Aufnahme des Falls.", "closed_on")
        if closed_on > date.today():
            raise InvalidInput("Das Abschlussdatum liegt in der Zukunft.", "closed_on")
        case.status, case.closed_on, case.outcome = "closed", closed_on, outcome.value
        case.closing_note = note or None
        current = Category(case.current_category) if case.current_category else None
        if (after := category_on_closing(current, outcome)) is not None and after is not current:
            s.add(CategoryEntry(case_id=case.id, category=after.value, since=closed_on))
            case.current_category = after.value
            # the mark reopening reads to know that this close, not a move-in the same day, set the category
            audit.append(s, user.username, CLOSING_CATEGORY, object_type="case", object_id=str(case.id),
                         detail=after.value)
        if settle_open:
            for deadline in _open_deadlines(s, case_id):
                deadline.done_on = closed_on
            for referral in _open_referrals(s, case_id):
                referral.status = ReferralStatus.ABGESCHLOSSEN.value
        audit.append(s, user.username, "case_closed", object_type="case", object_id=str(case.id),
                     detail=outcome.value)


def reopen_case(store: Store, user: CurrentUser, case_id: uuid.UUID) -> None:
    """Reopens the case; a category the close set is undone: the one before it holds again from today."""
    with store.session(user.username) as s:
        case = get_for_change(s, case_id, user)
        if case.status != "closed":
            raise InvalidInput("Nur abgeschlossene Fälle können wieder geöffnet werden.")
        before = _category_before_close(s, case)
        if before is not None:
            since = max(date.today(), case.closed_on or date.today())  # never before the closing entry
            s.add(CategoryEntry(case_id=case.id, category=before, since=since))
            case.current_category = before
        case.status, case.closed_on, case.outcome = "open", None, None
        audit.append(s, user.username, "case_reopened", object_type="case", object_id=str(case.id))


def _category_before_close(session: Session, case: Case) -> str | None:
    """The category to restore on reopening, or None when the close changed none.

    The close set a category when the newest entry is "ehemals wohnungslos" dated on the closing day after a
    different one and the close left its audit mark. Closes of older versions left no mark; they wrote "ehemals"
    for every flat outcome, which for a person who was never homeless is undone all the same."""
    history = session.execute(select(CategoryEntry.category, CategoryEntry.since).where(
        CategoryEntry.case_id == case.id, CategoryEntry.deleted_at.is_(None))
        .order_by(CategoryEntry.since.desc(), CategoryEntry.created_at.desc(), CategoryEntry.id.desc())
        .limit(2)).all()
    if not (len(history) == 2 and history[0].category == Category.EHEMALS.value
            and history[0].since == case.closed_on and history[1].category != Category.EHEMALS.value):
        return None
    before = str(history[1].category)
    last = session.execute(select(AuditEntry.action).where(
        AuditEntry.object_type == "case", AuditEntry.object_id == str(case.id),
        AuditEntry.action.in_(("case_closed", CLOSING_CATEGORY, "case_reopened")))
        .order_by(AuditEntry.seq.desc()).limit(2)).scalars().all()
    marked = list(last) == ["case_closed", CLOSING_CATEGORY]
    was_homeless = before in {c.value for c in Category if c.is_homeless}
    return before if marked or (not was_homeless and case.outcome in {o.value for o in FLAT_OUTCOMES}) else None


def get_for_change(session: Session, case_id: uuid.UUID, user: CurrentUser) -> Case:
    """The case to change; refuses admins, deleted and restricted cases."""
    require_case_worker(user)
    case = get_live(session, Case, case_id, "Diesen Fall")
    if case.restricted:
        raise InvalidInput("Die Verarbeitung dieses Falls ist eingeschränkt (Art. 18 DSGVO); Änderungen sind "
                           "gesperrt.")
    return case
