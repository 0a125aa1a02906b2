"""The Hilfeplan printout: gather the plan as this user may see it, record the printing, render it
(``core/letters/help_plan_pdf.py`` lays it out)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from whh_desktop.core.letters.help_plan_pdf import PlanConference, PlanGoal, PlanPrint, PlanService, render_help_plan
from whh_desktop.core.services import help_plans, site_settings
from whh_desktop.core.services.access import require_case_worker
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store import audit
from whh_desktop.core.store.engine import Store
from whh_desktop.core.store.models import Account, Case, Person
from whh_desktop.core.store.rows import get_live


def help_plan_pdf(store: Store, user: CurrentUser, case_id: uuid.UUID, today: date | None = None) -> bytes:
    """Collect the plan (audited as printed) and render it with the site's letterhead."""
    require_case_worker(user)
    with store.session(user.username) as s:
        case = get_live(s, Case, case_id, "Diesen Fall")
        person = s.get(Person, case.person_id)
        name = f"{person.given_names or ''} {person.family_name or ''}".strip() if person else ""
        counsellor = s.execute(select(Account.display_name).where(Account.username == case.counsellor)).scalar()
        goals = tuple(PlanGoal(g.what, g.steps, g.responsible, g.due_on, g.status, g.result)
                      for g in help_plans.goals(s, case_id))
        services = tuple(PlanService(v.name, v.kind, v.contact_person, v.phone, v.email, v.task)
                         for v in help_plans.services(s, user, case_id))  # masked for the printing user
        conferences = tuple(PlanConference(c.held_on, c.kind, tuple(c.participants or ()), c.agreements,
                                           c.next_review_on) for c in help_plans.conferences(s, case_id))
        plan = PlanPrint(case.case_number, name, person.birth_date if person else None, counsellor or case.counsellor,
                         goals, services, conferences)
        letterhead = site_settings.load(s).letterhead
        audit.append(s, user.username, "help_plan_printed", object_type="case", object_id=str(case_id))
    return render_help_plan(plan, letterhead, today)
