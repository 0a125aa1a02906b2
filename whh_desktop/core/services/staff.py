"""Staff as people: the display name of an account wherever a person is meant (issue 18, point 6). The user name
(``m.yilmaz``) stays the identifier in the data; a name of another store (a handover, a site's bundle at the
district) that this store has no account for is shown as it is."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.store.models import Account


def names(session: Session) -> dict[str, str]:
    """User name -> display name of every account of this store."""
    return {login: name for login, name in session.execute(select(Account.username, Account.display_name)).all()
            if name}


def name_of(staff: dict[str, str], username: str | None) -> str:
    """The person's name, or the user name when this store has no such account."""
    return staff.get(username or "", username or "")
