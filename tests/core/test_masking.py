"""One masking rule (access.health_mask), enforced in the services: every service that returns case content is
walked as a colleague of the same site (neither counsellor nor substitute) and as the counsellor. The colleague
never sees special-category content (Baustein 4/5 contacts' note and next step, SpDi/Suchthilfe referrals' note
and outcome, help plan services with health involvement, Suchthilfe stages); the counsellor sees all of it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

import whh_desktop
from tests.core.pdf_reading import pdf_text
from whh_desktop.core.domain import letter_catalogue as catalogue
from whh_desktop.core.domain.enums import ReferralStatus, ReferralTarget
from whh_desktop.core.errors import PermissionDenied
from whh_desktop.core.services import (
    address_book,
    case_file,
    cases,
    casework,
    consent,
    data_report,
    help_plans,
    housing_views,
    intake,
    legal_state,
    letter_views,
    letters,
    rules_views,
    suchthilfe,
)
from whh_desktop.core.services.access import CONFIDENTIAL, HealthMask, health_mask
from whh_desktop.core.services.casework import ContactData
from whh_desktop.core.services.consent import ConsentData
from whh_desktop.core.services.data_report import data_report_pdf
from whh_desktop.core.services.help_plan_print import help_plan_pdf
from whh_desktop.core.services.intake import IntakeData
from whh_desktop.core.services.login import CurrentUser
from whh_desktop.core.store.models import Case, Role

TODAY = date.today()
COLLEAGUE = CurrentUser("d.vogel", "Dana Vogel", Role.BERATUNG)
SECRETS = {
    "contact5_note": "Rückfall nach der Trennung",
    "contact5_next": "Entgiftung Klinik Waldblick am Montag",
    "contact4_note": "Psychose, Medikation umgestellt",
    "contact4_next": "Termin Gemeindepsychiatrie",
    "spdi_note": "SpDi kennt Diagnose",
    "spdi_outcome": "Betreuung durch SpDi beginnt",
    "sucht_note": "Substitution läuft",
    "service_task": "Begleitung zur Suchtberatung",
    "stage_facility": "Fachklinik Haus Lindenhof",
    "stage_housing": "Miete zahlt das Jobcenter während der Therapie",
}
VISIBLE = "Unterlagen Jobcenter besprochen"  # a Baustein 3 note: everyone on the site sees it


@pytest.fixture
def health_case(counsellor):
    store, user = counsellor
    start = TODAY - timedelta(days=30)
    case_id, _ = intake.save_intake(store, user, IntakeData(
        family_name="Kowalczyk", given_names="Marta", birth_date=date(1981, 3, 4), municipality="Löhne",
        category="kuendigung", category_since=start, cold_rent=40000, utilities=9000), draft=False, today=start)
    add = casework.add_contact
    add(store, user, case_id, ContactData(TODAY - timedelta(days=3), 30, "buero", ["3"], VISIBLE, "Antrag stellen"))
    add(store, user, case_id, ContactData(TODAY - timedelta(days=2), 30, "telefon", ["5"], SECRETS["contact5_note"],
                                          SECRETS["contact5_next"]))
    add(store, user, case_id, ContactData(TODAY - timedelta(days=1), 30, "buero", ["2", "4"],
                                          SECRETS["contact4_note"], SECRETS["contact4_next"]))
    consent.record(store, user, case_id, ConsentData(["spdi", "suchthilfe", "jobcenter"], "Hilfeplanung",
                                                     ["stammdaten", "gesundheit"], True, start, start))
    spdi = casework.add_referral(store, user, case_id, ReferralTarget.SPDI, TODAY, "SpDi Herford",
                                 SECRETS["spdi_note"])
    casework.update_referral(store, user, spdi, ReferralStatus.ANGENOMMEN, SECRETS["spdi_outcome"])
    casework.add_referral(store, user, case_id, ReferralTarget.SUCHTHILFE, TODAY, "Suchtberatung",
                          SECRETS["sucht_note"])
    help_plans.add_service(store, user, case_id, help_plans.ServiceData(
        "suchtberatung", "Suchtberatung Herford", contact_person="Herr Kaya", task=SECRETS["service_task"]))
    suchthilfe.save_stage(store, user, case_id, suchthilfe.StageData(
        "entgiftung", "geplant", planned_on=TODAY + timedelta(days=7), facility=SECRETS["stage_facility"],
        housing=SECRETS["stage_housing"], flat_kept=True))
    with store.read_session() as s:
        person_id = s.get(Case, case_id).person_id
    return store, user, case_id, person_id


# ---- every service that returns case content, as text ----------------------------------------------------------
def _case_file(store, user, case_id, person_id) -> str:
    cf = case_file.open_case(store, user, case_id)
    return "\n".join([repr(cf), *(cf.note_of(c) for c in cf.contacts), *(e.what for e in cf.log)])


def _read(fn):
    def call(store, user, case_id, person_id) -> str:
        with store.read_session() as s:
            return repr(fn(s, user, case_id))
    return call


def _letter(store, user, case_id, person_id) -> str:
    kind = catalogue.get("klient_vollmacht")
    with store.read_session() as s:
        recipient = address_book.recipients(s, kind.recipient_kinds, case_id)[0]
    draft = letters.prepare(store, user, case_id, kind, recipient)
    return repr(draft.values) + pdf_text(letters.render(draft))


WALK = {
    "case_file.open_case": _case_file,
    "case_file.case_applications": lambda store, user, case_id, person_id: repr(
        case_file.case_applications(store, user, case_id)),
    "case_file.case_proposals": lambda store, user, case_id, person_id: repr(
        case_file.case_proposals(store, user, case_id)),
    "casework.contacts": _read(casework.contacts),
    "casework.referrals": _read(casework.referrals),
    "cases.closing_check": lambda store, user, case_id, person_id: repr(cases.closing_check(store, user, case_id)),
    "help_plans.services": _read(help_plans.services),
    "suchthilfe.stages": _read(suchthilfe.stages),
    "suchthilfe.pathway": _read(suchthilfe.pathway),
    "data_report.data_report": lambda store, user, case_id, person_id: repr(
        data_report.data_report(store, user, person_id)),
    "data_report.data_report_pdf": lambda store, user, case_id, person_id: pdf_text(
        data_report_pdf(store, user, person_id)),
    "help_plan_print.help_plan_pdf": lambda store, user, case_id, person_id: pdf_text(
        help_plan_pdf(store, user, case_id)),
    "intake.load_intake": lambda store, user, case_id, person_id: repr(intake.load_intake(store, user, case_id)),
    "intake.tenancy": lambda store, user, case_id, person_id: repr(intake.tenancy(store, user, case_id)),
    "legal_state.case_state": lambda store, user, case_id, person_id: repr(
        legal_state.case_state(store, user, case_id)),
    "letters.prepare": _letter,
    "letter_views.case_letter_recipients": lambda store, user, case_id, person_id: repr(
        letter_views.case_letter_recipients(store, user, "klient_vollmacht", case_id)),
    "rules_views.case_benefit": lambda store, user, case_id, person_id: repr(
        rules_views.case_benefit(store, user, case_id)),
    "housing_views.newest_search_of_case": lambda store, user, case_id, person_id: repr(
        housing_views.newest_search_of_case(store, user, case_id)),
}
# Which secrets each service shows the counsellor (a service that shows none of them could not fail this test).
SHOWS = {
    "case_file.open_case": {"contact5_note", "contact5_next", "contact4_note", "contact4_next", "spdi_note",
                            "spdi_outcome", "sucht_note", "service_task", "stage_facility", "stage_housing"},
    "case_file.case_applications": set(),  # applications carry no health content
    "case_file.case_proposals": set(),  # flats and their steps
    "casework.contacts": {"contact5_note", "contact5_next", "contact4_note", "contact4_next"},
    "casework.referrals": {"spdi_note", "spdi_outcome", "sucht_note"},
    "cases.closing_check": set(),  # what is still open: kind, date, referral target and status, never a note
    "help_plans.services": {"service_task"},
    "suchthilfe.stages": {"stage_facility", "stage_housing"},
    "suchthilfe.pathway": {"stage_facility", "stage_housing"},
    "data_report.data_report": set(SECRETS),
    "data_report.data_report_pdf": set(SECRETS),
    "help_plan_print.help_plan_pdf": {"service_task"},
    "intake.load_intake": set(),  # person and case master data only
    "intake.tenancy": set(),  # the flat, landlord, rent and arrears
    "legal_state.case_state": set(),  # deadlines, arrears, KdU and consents: no contact or referral text
    "letters.prepare": set(),  # letter fields come from person, case and tenancy
    "letter_views.case_letter_recipients": set(),  # names and addresses only
    "rules_views.case_benefit": set(),  # the benefit start and whether a child lives in the household
    "housing_views.newest_search_of_case": set(),  # the id of the case's housing search
}
# Functions that take a user and a case but return no case content for a screen.
NOT_CONTENT = {"cases.get_for_change"}  # the ORM row a change works on, inside a write transaction


def _content_services() -> set[str]:
    """Every public function in core/services and core/letters that takes a user and a case or person and returns
    something other than an id or nothing."""
    found = set()
    for package in ("whh_desktop.core.services", "whh_desktop.core.letters"):
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            module = importlib.import_module(f"{package}.{info.name}")
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if fn.__module__ != module.__name__ or name.startswith("_"):
                    continue
                signature = inspect.signature(fn)
                takes_case = {"case_id", "person_id"} & set(signature.parameters)
                if "user" in signature.parameters and takes_case and str(signature.return_annotation) not in (
                        "None", "uuid.UUID", "tuple[uuid.UUID, str]"):
                    found.add(f"{info.name}.{name}")
    return found


def test_the_walk_covers_every_service_that_returns_case_content() -> None:
    assert _content_services() == set(WALK) | NOT_CONTENT


@pytest.mark.parametrize("name", sorted(WALK))
def test_a_colleague_never_sees_special_category_content(health_case, name) -> None:
    store, _, case_id, person_id = health_case
    try:
        text = WALK[name](store, COLLEAGUE, case_id, person_id)
    except PermissionDenied:  # refusing outright hides it too (the Suchthilfe tab)
        assert name == "suchthilfe.pathway"
        return
    leaked = [key for key, secret in SECRETS.items() if secret in text]
    assert leaked == [], f"{name} zeigt einer Kollegin: {leaked}"
    if SHOWS[name]:
        assert CONFIDENTIAL in text
    if name in ("case_file.open_case", "casework.contacts", "data_report.data_report"):
        assert VISIBLE in text  # masking hides only what it must


@pytest.mark.parametrize("name", sorted(WALK))
def test_the_counsellor_sees_everything(health_case, name) -> None:
    store, user, case_id, person_id = health_case
    text = WALK[name](store, user, case_id, person_id)
    missing = [key for key in SHOWS[name] if SECRETS[key] not in text]
    assert missing == [], f"{name} fehlt für die Beratung: {missing}"


def test_a_named_substitute_sees_it_too(health_case) -> None:
    store, user, case_id, _ = health_case
    with store.session(user.username) as s:
        s.get(Case, case_id).substitutes = [COLLEAGUE.username]
    with store.read_session() as s:
        notes = [c.next_step for c in casework.contacts(s, COLLEAGUE, case_id)]
    assert SECRETS["contact5_next"] in notes


def test_the_rule_itself() -> None:
    case = Case(counsellor="b.schulz", substitutes=["e.meyer"])
    for who, sees in (("b.schulz", True), ("e.meyer", True), ("d.vogel", False)):
        assert health_mask(CurrentUser(who, who, Role.BERATUNG), case).visible is sees
    assert health_mask(CurrentUser("b.schulz", "x", Role.ADMIN), case).visible is False
    assert health_mask(CurrentUser("k.kreis", "x", Role.KREIS), case).visible is False
    hidden = HealthMask(False)
    assert hidden.text("Entgiftung", True) == CONFIDENTIAL and hidden.text("Entgiftung", False) == "Entgiftung"
    assert hidden.text("", True) == ""  # nothing to hide: no »vertraulich« for an empty field


def test_a_colleague_cannot_overwrite_a_masked_referral_outcome(health_case) -> None:
    store, user, case_id, _ = health_case
    with store.read_session() as s:
        spdi = next(r for r in casework.referrals(s, COLLEAGUE, case_id) if r.target == "spdi")
    assert spdi.confidential and spdi.outcome == CONFIDENTIAL
    with pytest.raises(PermissionDenied, match="vertraulich"):
        casework.update_referral(store, COLLEAGUE, spdi.id, ReferralStatus.ABGESCHLOSSEN, "vertraulich")
    casework.update_referral(store, COLLEAGUE, spdi.id, ReferralStatus.ABGESCHLOSSEN)  # the status alone is fine
    with store.read_session() as s:
        spdi = next(r for r in casework.referrals(s, user, case_id) if r.target == "spdi")
    assert spdi.outcome == SECRETS["spdi_outcome"] and spdi.status == "abgeschlossen"


def test_only_the_masking_services_read_special_category_rows() -> None:
    """Whole rows of the special-category tables are read only where the read models are built; everything else
    (views, reports, letters, the CLI) goes through those services."""
    root = Path(whh_desktop.__file__).parent
    pattern = re.compile(r"(select|get)\((Contact|Referral|HelpPlanService|SuchthilfeStage)\b")
    # cases.py: the closing check lists the open referrals' target, date and status (what ReferralView shows
    # everyone) and closing settles their status; it reads no note and no outcome (it is in WALK as well)
    allowed = {"core/services/casework.py", "core/services/help_plans.py", "core/services/suchthilfe.py",
               "core/services/cases.py"}
    readers = {str(p.relative_to(root)) for p in root.rglob("*.py") if pattern.search(p.read_text("utf-8"))}
    assert readers <= allowed, readers - allowed
