"""User accounts. Passwords are not here: each account's password wraps the data key in the key file."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ColumnElement, String, Uuid, func
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column

from whh_desktop.core.domain.enums import Role as Role  # the enum lives in the domain; models re-export it
from whh_desktop.core.store.base import Base, UtcDateTime, new_id, utcnow


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


def staff_name(username_column: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[str]:
    """The person behind a login name in a query: the display name of the account joined on ``username_column``
    (an outer join on Account), else the login name itself: a case synced from another site may name a counsellor
    without an account in this store."""
    return func.coalesce(func.nullif(func.trim(Account.display_name), ""), username_column)
