"""The Suchthilfe pathway of a case (issue 08, point 3): stages with dates and the housing arranged around them.

Addiction data are health data: only the case's counsellor and the substitutes named on the case see or change
the pathway (DESIGN.md §10, Access). The stages stay at the site: they are not in the sync whitelist, because
the exporter sends a case's rows with any Kreis consent and has no per-row health gate.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain.enums import Stage as Stage  # the pathway enums live in the domain
from whh_desktop.core.domain.enums import StageStatus as StageStatus
from whh_desktop.core.errors import InvalidInput, PermissionDenied
from whh_desktop.core.services.access import CONFIDENTIAL, HealthMask, health_mask, may_see_health, require_case_worker
from whh_desktop.core.services.cases import get_for_change
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.changes import tombstone
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Case
from whh_desktop.core.store.models.help_plans import SuchthilfeStage
from whh_desktop.core.store.rows import get_live

MAX_TEXT = 20_000
NOT_ALLOWED = ("Der Suchthilfe-Verlauf enthält Gesundheitsdaten. Er ist nur für die fallführende Beratung und die "
               "im Fall eingetragenen Vertretungen sichtbar.")


@dataclass(frozen=True)
class StageData:
    stage: str
    status: str = StageStatus.GEPLANT.value
    planned_on: date | None = None
    started_on: date | None = None
    ended_on: date | None = None
    facility: str = ""
    housing: str = ""
    flat_kept: bool = False
    note: str = ""


def _check(user: CurrentUser, case: Case) -> None:
    require_case_worker(user)
    if not may_see_health(user, case):
        raise PermissionDenied(NOT_ALLOWED)


def validate(data: StageData) -> tuple[Stage, StageStatus]:
    try:
        stage = Stage(data.stage)
    except ValueError:
        raise InvalidInput("Bitte die Stufe wählen.", "stage") from None
    try:
        status = StageStatus(data.status)
    except ValueError:
        raise InvalidInput("Bitte den Stand wählen.", "status") from None
    if data.started_on and data.ended_on and data.ended_on < data.started_on:
        raise InvalidInput("Das Ende liegt vor dem Beginn.", "ended_on")
    if status is StageStatus.LAUFEND and not data.started_on:
        raise InvalidInput("Bitte den Beginn eintragen, wenn die Stufe läuft.", "started_on")
    if status in (StageStatus.ABGESCHLOSSEN, StageStatus.ABGEBROCHEN) and not data.ended_on:
        raise InvalidInput("Bitte das Ende eintragen.", "ended_on")
    if data.started_on and data.started_on > date.today() and status is not StageStatus.GEPLANT:
        raise InvalidInput("Eine begonnene Stufe kann nicht in der Zukunft beginnen; sonst »geplant« wählen.",
                           "started_on")
    if not any((data.planned_on, data.started_on)):
        raise InvalidInput("Bitte ein geplantes Datum oder den Beginn eintragen.", "planned_on")
    for name in ("housing", "note"):
        if len(getattr(data, name)) > MAX_TEXT:
            raise InvalidInput(f"Der Text ist zu lang (höchstens {MAX_TEXT} Zeichen).", name)
    if stage in (Stage.ENTGIFTUNG, Stage.ENTWOEHNUNG) and not data.housing.strip():
        raise InvalidInput("Bitte eintragen, wie das Wohnen während dieser Stufe geregelt ist (z. B. Wohnung bleibt "
                           "erhalten, Miete zahlt das Jobcenter weiter).", "housing")
    return stage, status


def save_stage(store: Store, user: CurrentUser, case_id: uuid.UUID, data: StageData,
               stage_id: uuid.UUID | None = None) -> uuid.UUID:
    stage, status = validate(data)
    with store.session(user.username) as s:
        case = get_for_change(s, case_id, user)
        _check(user, case)
        row = (get_live(s, SuchthilfeStage, stage_id, "Diese Stufe", where=lambda r: r.case_id == case_id)
               if stage_id else None)
        if row is None:
            row = SuchthilfeStage(case_id=case_id)
            s.add(row)
        row.stage, row.status = stage.value, status.value
        row.planned_on, row.started_on, row.ended_on = data.planned_on, data.started_on, data.ended_on
        row.facility = data.facility.strip()[:200] or None
        row.housing, row.note = data.housing.strip() or None, data.note.strip() or None
        row.flat_kept = data.flat_kept
        s.flush()
        audit.append(s, user.username, "suchthilfe_stage_saved", object_type="case", object_id=str(case_id))
        return row.id


def remove_stage(store: Store, user: CurrentUser, stage_id: uuid.UUID) -> None:
    with store.session(user.username) as s:
        row = get_live(s, SuchthilfeStage, stage_id, "Diese Stufe")
        _check(user, get_for_change(s, row.case_id, user))
        tombstone(row)
        audit.append(s, user.username, "suchthilfe_stage_removed", object_type="case", object_id=str(row.case_id))


@dataclass(frozen=True)
class StageView:
    """A stage as this user may see it. The whole pathway is special-category content: for a user outside the
    case's counsellor and substitutes every field is masked (``confidential``), dates included."""

    id: uuid.UUID
    case_id: uuid.UUID
    stage: str
    status: str
    planned_on: date | None
    started_on: date | None
    ended_on: date | None
    facility: str
    housing: str
    flat_kept: bool
    note: str
    confidential: bool

    @property
    def stage_label(self) -> str:
        return CONFIDENTIAL if self.confidential else Stage(self.stage).label

    @property
    def status_label(self) -> str:
        return CONFIDENTIAL if self.confidential else StageStatus(self.status).label

    @classmethod
    def of(cls, row: SuchthilfeStage, mask: HealthMask) -> StageView:
        if mask.hides(True):
            return cls(row.id, row.case_id, "", "", None, None, None, CONFIDENTIAL, CONFIDENTIAL, False,
                       CONFIDENTIAL, True)
        return cls(row.id, row.case_id, row.stage, row.status, row.planned_on, row.started_on, row.ended_on,
                   row.facility or "", row.housing or "", row.flat_kept, row.note or "", False)


def stages(session: Session, user: CurrentUser, case_id: uuid.UUID) -> list[StageView]:
    """The stages in pathway order, masked for ``user`` (for reports that list everything of a case)."""
    case = get_live(session, Case, case_id, "Diesen Fall")
    mask = health_mask(user, case)
    stmt = select(SuchthilfeStage).where(SuchthilfeStage.case_id == case_id, SuchthilfeStage.deleted_at.is_(None))
    rows = sorted(session.execute(stmt).scalars(),
                  key=lambda r: (r.started_on or r.planned_on or date.max, Stage(r.stage).order))
    return [StageView.of(row, mask) for row in rows]


def pathway(session: Session, user: CurrentUser, case_id: uuid.UUID) -> list[StageView]:
    """The stages for the Suchthilfe tab; refuses anyone not allowed to see health data of the case."""
    case = get_live(session, Case, case_id, "Diesen Fall")
    _check(user, case)
    return stages(session, user, case_id)


def may_see(user: CurrentUser, case: Case) -> bool:
    return not user.is_admin and may_see_health(user, case)
