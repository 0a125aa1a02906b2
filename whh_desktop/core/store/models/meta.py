"""Store identity and local settings (not synced)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from whh_desktop.core.store.base import Base, UtcDateTime, utcnow


class StoreMeta(Base):
    """Exactly one row: who this store is."""

    __tablename__ = "store_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    store_id: Mapped[str] = mapped_column(String(36))
    mode: Mapped[str] = mapped_column(String(10))
    site_code: Mapped[str] = mapped_column(String(20))
    epoch: Mapped[int] = mapped_column(Integer, default=1)  # raised by a restore; forces a full export
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Setting(Base):
    """Local configuration as JSON values: letterhead, auto-lock minutes, backup retention."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)  # any JSON value
