"""Demo data: realistic, fictional, consistent, searchable, deterministic and cancellable."""

from __future__ import annotations

from sqlalchemy import func, select

from whh_desktop.core.demo import fill_demo
from whh_desktop.core.domain.municipalities import by_name
from whh_desktop.core.services import cases
from whh_desktop.core.store import audit
from whh_desktop.core.store.models import Case, ChangeLog, Contact, Person


def count(session, model) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_demo_fills_consistent_fictional_data(counsellor) -> None:
    store, user = counsellor
    assert fill_demo(store, user.username, 600, seed=1) == 600
    with store.read_session() as s:
        assert count(s, Person) == count(s, Case) == 600
        persons = s.execute(select(Person)).scalars().all()
        assert all(p.plz in by_name(p.municipality).plz for p in persons)
        assert all(p.email is None or p.email.endswith("@example.org") for p in persons)
        names = " ".join(f"{p.family_name} {p.given_names}" for p in persons)
        assert any(ch in names for ch in "äöüß") and any(ch in names for ch in "łşğăễ")
        logged = s.execute(select(func.count()).select_from(ChangeLog).where(ChangeLog.entity == "persons"))
        assert logged.scalar_one() == 600
        assert count(s, Contact) > 600
        hit = s.execute(select(Person).where(Person.family_name == "Müller")).scalars().first()
        assert hit is None or "muller" in hit.search_text
        found = cases.search(s, persons[0].family_name, cases.CaseFilter(status="all"))
        assert found.exact  # the search index was filled too
        assert audit.verify_chain(s).ok


def test_demo_is_cancellable_between_chunks(counsellor) -> None:
    store, user = counsellor
    calls = []
    written = fill_demo(store, user.username, 12_000, seed=5, progress=lambda d, t: calls.append(d),
                        cancel=lambda: len(calls) >= 1)
    assert written == 5000 and calls == [5000]  # stops between chunks; the finished chunk stays
    with store.read_session() as s:
        first = s.execute(select(Person.family_name, Person.given_names).order_by(Person.sort_key).limit(5)).all()
    assert first and all(name for name, _ in first)
