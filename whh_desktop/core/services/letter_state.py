"""The case's legal state as a letter needs it: the facts its check runs against and the values its template's
conditions read (issue 14, points 2 and 3).

The state is ``domain.legal_state``'s one computation over the inputs ``services.legal_state`` gathers, the same
the case overview, the Fristen list and the CLI read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from whh_desktop.core.domain import letter_check
from whh_desktop.core.domain.formatting import fmt_money
from whh_desktop.core.domain.legal_state import LegalState, legal_state
from whh_desktop.core.domain.letter_catalogue import LetterType
from whh_desktop.core.domain.letter_check import LetterFacts
from whh_desktop.core.domain.text import fold
from whh_desktop.core.errors import InvalidInput, NotFound
from whh_desktop.core.letters import fields, wording
from whh_desktop.core.services import legal_state as legal_service
from whh_desktop.core.services import letter_fields, offers
from whh_desktop.core.store.models import Application, Case, Landlord, Person
from whh_desktop.core.store.rows import get_live


@dataclass(frozen=True)
class LetterState:
    facts: LetterFacts
    values: dict[str, str]     # fields filled from the state (dates with overrides, Ihr Zeichen, IBAN)
    conditions: dict[str, str]  # the template's condition values (fields.STATE_FIELDS)


def case_state(session: Session, case_id: uuid.UUID, offer_id: uuid.UUID | None, today: date) -> LegalState:
    """The legal state of the case today, as the case overview and Fristen read it (``services.legal_state``);
    a letter about another flat than the proposed one (``offer_id``) has that flat's KdU check as the proposal."""

    case = get_live(session, Case, case_id, "Diesen Fall", where=lambda c: c.erased_on is None, field="case")
    inputs = legal_service.inputs_of(session, case, today)
    if offer_id is not None and str(offer_id) != inputs.proposed_offer_id:
        persons, attributes = legal_service.household(session, case)
        try:
            check, missing = offers.kdu_check(session, offer_id, persons, attributes, on=today), ""
        except (InvalidInput, NotFound) as exc:
            check, missing = None, str(exc)
        inputs = replace(inputs, kdu_proposed=check, kdu_proposed_missing=missing, proposed_offer_id=str(offer_id))
    return legal_state(inputs, today)


def _application(session: Session, case_id: uuid.UUID, code: str) -> Application | None:
    """The application a letter about a procedure is about: for a Sachstandsanfrage the newest one still
    undecided, for a Widerspruch the newest decided one."""
    rows = sorted(letter_fields.live_rows(session, Application, case_id), key=lambda a: (a.submitted_on, a.created_at),
                  reverse=True)
    rows = [a for a in rows if (a.decision is None) == (code == "jc_sachstand")]
    return rows[0] if rows else None


def _landlord_iban(session: Session, case: Case) -> str:
    """The IBAN of the case's landlord from the registry (matched by name), where the record has one."""
    if not case.landlord_name or not hasattr(Landlord, "iban"):
        return ""
    wanted = fold(case.landlord_name)
    for row in session.execute(select(Landlord).where(Landlord.deleted_at.is_(None),
                                                      Landlord.merged_into.is_(None))).scalars():
        if fold(row.name) == wanted and getattr(row, "iban", None):
            return str(row.iban)
    return ""


def letter_state(session: Session, case_id: uuid.UUID, kind: LetterType, recipient_kind: str,
                 offer_id: uuid.UUID | None, today: date) -> LetterState:
    """Facts, state-filled values and template conditions of one letter of a case."""
    state = case_state(session, case_id, offer_id if kind.uses_offer else None, today)
    case = session.get(Case, case_id)
    person = session.get(Person, case.person_id) if case is not None else None
    application = _application(session, case_id, kind.code) if kind.group == "verfahren" else None
    iban = _landlord_iban(session, case) if case is not None else ""
    facts = letter_check.facts_from_state(
        kind.code, state, recipient_kind=recipient_kind, client_signs=kind.client_signs, iban=iban,
        application_file_no=(application.file_no or "") if application else "",
        application_submitted_on=application.submitted_on if application else None)
    values: dict[str, str] = {}
    sf = facts.schonfrist
    # The deadline list's date, override included; no Schonfrist date where none applies.
    values["schonfrist_ende"] = fields.long_date(sf.due) if sf is not None and sf.applies else ""
    if application is not None:
        if application.file_no:
            values["ihr_zeichen"] = application.file_no
        values["antrag_datum"] = fields.long_date(application.submitted_on)
        if application.decided_on:
            values["bescheid_datum"] = fields.long_date(application.decided_on)
    if iban:
        values["vermieter_iban"] = iban
    if facts.kdu is not None and not kind.uses_offer:  # the current flat's limit (Mietschulden)
        values["kdu_grenze"] = fmt_money(facts.kdu.limit)
    conditions = _conditions(facts, person, kind)
    return LetterState(facts, values, conditions)


def _conditions(facts: LetterFacts, person: Person | None, kind: LetterType) -> dict[str, str]:
    name = " ".join(x for x in (person.given_names, person.family_name) if x) if person else ""
    forms = wording.client_forms(person.sex if person else None, name)
    kdu = facts.kdu
    sf = facts.schonfrist
    six_months = letter_check.submitted_long_ago(facts.application_submitted_on, facts.today)
    return {
        "kdu_angemessen": "" if kdu is None else ("ja" if kdu.appropriate else "nein"),
        "kdu_ueberschreitung": fmt_money(kdu.over_by) if kdu is not None and not kdu.appropriate else "",
        "schonfrist_stand": sf.stage if sf is not None else "",
        "ordentliche_kuendigung_bleibt": "ja" if sf is not None and sf.ordinary_too else "",
        "antrag_ueber_sechs_monate": "ja" if six_months else "",
        "klient_bez": forms.nominative, "klient_bez_gen": forms.genitive, "klient_bez_dat": forms.dative,
        "klient_pron": forms.pronoun,
    }
