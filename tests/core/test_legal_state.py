"""The legal state of a case, rule by rule (issue 09, point 1): pure functions over plain values."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from whh_desktop.core.domain.deadlines import (
    DeadlineKind,
    NotificationKind,
    RentDue,
    klagefrist,
    termination_risk,
    widerspruchsfrist,
)
from whh_desktop.core.domain.enums import ConsentRecipient, TerminationKind
from whh_desktop.core.domain.kdu import check as kdu_check
from whh_desktop.core.domain.legal_state import (
    ConsentFacts,
    CureMethod,
    DecisionFacts,
    LegalInputs,
    ProceedingFacts,
    legal_state,
    schonfrist_state,
    table_age_months,
)
from whh_desktop.core.errors import InvalidInput
from whh_desktop.core.services.kdu_tables import seed_table

D = date
TODAY = D(2026, 12, 3)
SERVED = D(2026, 11, 2)           # + 2 months = 02.01.2027 (Saturday) -> Monday 04.01.2027
TERMINATED = D(2026, 9, 1)


def proceeding(kind: TerminationKind | None = TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, **kw) -> ProceedingFacts:
    values = {"id": "p1", "termination_kind": kind, "termination_on": TERMINATED, "suit_served_on": SERVED} | kw
    return ProceedingFacts(**values)


def cure(on: date, case_number: str = "LOE-2024-0007", pid: str = "p0") -> ProceedingFacts:
    return ProceedingFacts(pid, TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, on - timedelta(days=90),
                           on - timedelta(days=40), cure_used_on=on, cure_method=CureMethod.VERPFLICHTUNG,
                           case_number=case_number)


# ---- Schonfrist: only a fristlose termination for arrears --------------------------------------------------
@pytest.mark.parametrize(("kind", "applies", "computed", "stays"), [
    (TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, True, True, False),
    (TerminationKind.FRISTLOS_UND_ORDENTLICH, True, True, True),
    (TerminationKind.ORDENTLICH, False, False, False),
    (TerminationKind.SONSTIGE, False, False, False),
    (None, False, False, False),
])
def test_schonfrist_applies_only_to_a_fristlose_termination_for_arrears(kind, applies, computed, stays) -> None:
    state = schonfrist_state(proceeding(kind), (), TODAY)
    assert state.applies is applies
    assert (state.computed is not None) is computed
    assert state.ordinary_termination_stays is stays
    if applies:
        assert state.effective_on == D(2027, 1, 4) and state.target_on == D(2027, 1, 2)
        assert state.cure_possible and not state.expired and state.days_left == 32
    else:
        assert state.not_applicable_reason and state.effective_on is None and not state.cure_possible
    if stays:
        assert any("ordentliche bleibt bestehen" in w for w in state.warnings)


def test_non_arrears_reason_says_that_paying_does_not_cure() -> None:
    state = schonfrist_state(proceeding(TerminationKind.ORDENTLICH), (), TODAY)
    assert "ordentlich" in state.not_applicable_reason and "nicht unwirksam" in state.not_applicable_reason


def test_no_proceeding_and_not_yet_served() -> None:
    assert schonfrist_state(None, (), TODAY).applies is False
    waiting = schonfrist_state(proceeding(suit_served_on=None), (), TODAY)
    assert waiting.applies is False and "noch nicht zugestellt" in waiting.not_applicable_reason


# ---- the two-year bar from recorded cures of every proceeding of the tenancy -------------------------------
@pytest.mark.parametrize(("cure_on", "barred"), [
    (D(2025, 2, 1), True),                 # 19 months before the termination
    (D(2024, 9, 2), True),                 # one day less than two years before
    (D(2024, 9, 1), False),                # exactly two years before: no longer "within" two years
    (D(2023, 5, 1), False),
    (D(2026, 10, 1), False),               # after this termination: not an *earlier* cure
])
def test_cure_recorded_in_another_proceeding_bars_within_two_years(cure_on: date, barred: bool) -> None:
    state = schonfrist_state(proceeding(), (cure(cure_on),), TODAY)
    assert state.barred is barred and state.applies is not barred
    assert state.computed is not None  # the date is still shown, with the bar
    if barred:
        assert state.barred_by_cure_on == cure_on and state.barred_by_case == "LOE-2024-0007"
        assert "LOE-2024-0007" in state.not_applicable_reason and not state.cure_possible


def test_a_proceeding_without_a_recorded_cure_does_not_bar() -> None:
    other = ProceedingFacts("p0", TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, D(2025, 1, 1), D(2025, 2, 1))
    assert schonfrist_state(proceeding(), (other,), TODAY).applies


def test_a_cure_date_typed_by_hand_still_bars() -> None:
    assert schonfrist_state(proceeding(previous_cure_on=D(2025, 6, 1)), (), TODAY).barred


def test_this_proceedings_own_cure_is_not_a_bar_but_used() -> None:
    state = schonfrist_state(proceeding(cure_used_on=D(2026, 11, 20), cure_method=CureMethod.GEZAHLT), (), TODAY)
    assert state.applies and not state.barred and state.used_on == D(2026, 11, 20)
    assert not state.cure_possible  # already used: nothing left to announce


# ---- override and expiry -----------------------------------------------------------------------------------
def test_override_wins_and_is_the_effective_date() -> None:
    state = schonfrist_state(proceeding(override_on=D(2026, 12, 20), override_reason="Zustellung an Mitmieter"),
                             (), TODAY)
    assert state.effective_on == D(2026, 12, 20) and state.computed_on == D(2027, 1, 4)
    assert state.overridden and state.days_left == 17
    assert any("von Hand" in w for w in state.warnings)


@pytest.mark.parametrize(("today", "expired"), [
    (D(2027, 1, 4), False),   # the last day itself is still open
    (D(2027, 1, 5), True),
])
def test_expiry_as_of_today(today: date, expired: bool) -> None:
    state = schonfrist_state(proceeding(), (), today)
    assert state.expired is expired and state.cure_possible is not expired and state.applies


def test_an_override_in_the_past_makes_it_expired() -> None:
    state = schonfrist_state(proceeding(override_on=D(2026, 12, 1), override_reason="laut Gericht"), (), TODAY)
    assert state.expired and not state.cure_possible


# ---- § 543 BGB -------------------------------------------------------------------------------------------------
RENT = 50_000


def ledger(*unpaid: int) -> list[RentDue]:
    """Monthly due dates from 3 January 2026, each with ``unpaid`` cents left open."""
    return [RentDue(D(2026 + i // 12, i % 12 + 1, 3), RENT, RENT - u) for i, u in enumerate(unpaid)]


@pytest.mark.parametrize(("unpaid", "branch"), [
    ((RENT, 0, RENT), "b"),                        # the example: 500 unpaid, paid, 500 unpaid
    ((RENT, RENT), "a"),                           # whole rent on two consecutive dates
    ((30_000, 20_001), "a"),                       # exceeds one month's rent
    ((30_000, 20_000), None),                      # exactly one month's rent: does not *exceed*
    ((30_000, 20_000, 0, 0), None),                # ... and stays below two rents
    ((40_000, 0, 40_000, 0, 20_000), "b"),         # reaches two rents over five due dates
    ((40_000, 0, 40_000, 0, 19_999), None),        # one cent short of *reaching* two rents
    ((RENT, 0, 0, 0, 0, RENT), "b"),               # the period counts, however long
    ((0, 0, 0), None),
])
def test_section_543_both_branches(unpaid, branch) -> None:
    risk = termination_risk(ledger(*unpaid), RENT)
    assert risk.branch == branch and risk.at_risk is (branch is not None)


def test_a_later_overpayment_pays_older_arrears_off() -> None:
    entries = [RentDue(D(2026, 1, 3), RENT, 0), RentDue(D(2026, 2, 3), RENT, 2 * RENT),
               RentDue(D(2026, 3, 3), RENT, 0), RentDue(D(2026, 4, 3), RENT, RENT)]
    assert termination_risk(entries, RENT).at_risk is False


def _brute_force_b(unpaid: list[int]) -> bool:
    return any(sum(unpaid[i:j + 1]) >= 2 * RENT for j in range(len(unpaid)) for i in range(j - 1))


def _brute_force_a(unpaid: list[int]) -> bool:
    return any(x and y and x + y > RENT for x, y in pairwise(unpaid))


@given(st.lists(st.integers(min_value=0, max_value=RENT), max_size=14))
def test_branch_b_is_flagged_iff_some_window_of_more_than_two_due_dates_reaches_two_rents(unpaid) -> None:
    risk = termination_risk(ledger(*unpaid), RENT)
    assert risk.at_risk is (_brute_force_a(unpaid) or _brute_force_b(unpaid))
    if risk.branch == "b":
        assert _brute_force_b(unpaid)


# ---- notification kinds (Widerspruch, Klage) ---------------------------------------------------------------
@pytest.mark.parametrize(("notification", "served", "due"), [
    (NotificationKind.POST, None, D(2026, 12, 24)),          # posted 20.11. -> notified 24.11. -> 24.12.
    (NotificationKind.POSTZUSTELLUNGSURKUNDE, D(2026, 11, 21), D(2026, 12, 21)),
    (NotificationKind.EMPFANGSBEKENNTNIS, D(2026, 11, 23), D(2026, 12, 23)),
    (NotificationKind.AUSHAENDIGUNG, D(2026, 11, 20), D(2026, 12, 21)),   # 20.12. is a Sunday
])
def test_formal_service_runs_from_the_day_of_service(notification, served, due) -> None:
    result = widerspruchsfrist(D(2026, 11, 20), notification=notification, served_on=served)
    assert result.due == due
    assert klagefrist(D(2026, 11, 20), notification=notification, served_on=served).due == due


@pytest.mark.parametrize(("posted", "notification", "served", "field"), [
    (D(2026, 11, 19), NotificationKind.POST, None, "posted_on"),
    (None, NotificationKind.EMPFANGSBEKENNTNIS, None, "served_on"),
    (None, NotificationKind.POSTZUSTELLUNGSURKUNDE, D(2026, 11, 18), "served_on"),
])
def test_bad_notification_input_is_refused_in_german(posted, notification, served, field) -> None:
    with pytest.raises(InvalidInput) as err:
        widerspruchsfrist(D(2026, 11, 20), posted_on=posted, notification=notification, served_on=served)
    assert err.value.field == field
    assert "Bescheid" in str(err.value) or "Tag der Zustellung" in str(err.value)


def test_the_notification_day_of_a_posted_decision_at_a_month_end() -> None:
    decision = DecisionFacts("a", DeadlineKind.WIDERSPRUCH, "Kaution", D(2027, 1, 27))
    (item,) = legal_state(LegalInputs(decisions=(decision,)), TODAY).open_sgg_deadlines
    assert item.notified_on == D(2027, 1, 31) and item.deadline.target == D(2027, 2, 28)


def test_open_sgg_deadlines_skip_answered_ones_and_keep_the_override() -> None:
    decisions = (
        DecisionFacts("a1", DeadlineKind.WIDERSPRUCH, "Mietschulden", D(2026, 11, 20)),
        DecisionFacts("a2", DeadlineKind.WIDERSPRUCH, "Kaution", D(2026, 10, 1), answered=True),
        DecisionFacts("o1", DeadlineKind.KLAGE, "Widerspruchsbescheid", D(2026, 11, 2),
                      notification=NotificationKind.EMPFANGSBEKENNTNIS, served_on=D(2026, 11, 5),
                      override_on=D(2026, 12, 2), override_reason="Akte: Zustellung früher"),
    )
    state = legal_state(LegalInputs(decisions=decisions), TODAY)
    assert [d.source_id for d in state.open_sgg_deadlines] == ["o1", "a1"]
    klage, widerspruch = state.open_sgg_deadlines
    assert klage.effective_on == D(2026, 12, 2) and klage.expired and klage.notified_on == D(2026, 11, 5)
    assert widerspruch.notified_on == D(2026, 11, 24) and widerspruch.days_left == 21


# ---- consent per recipient kind ------------------------------------------------------------------------------
def test_consent_per_recipient_kind_jobcenter_is_not_sozialamt_is_not_kreis() -> None:
    consents = (ConsentFacts("c1", ("jobcenter",), ("stammdaten", "wohnsituation"), False, D(2026, 10, 1),
                             D(2026, 10, 1), D(2027, 9, 30)),
                ConsentFacts("c2", ("kreis",), (), False, D(2026, 1, 1), D(2026, 1, 1), None, D(2026, 6, 1)))
    by = legal_state(LegalInputs(consents=consents), TODAY).consent_by_recipient
    assert by[ConsentRecipient.JOBCENTER].valid
    assert by[ConsentRecipient.JOBCENTER].categories == ("stammdaten", "wohnsituation")
    assert by[ConsentRecipient.JOBCENTER].valid_until == D(2027, 9, 30)
    assert not by[ConsentRecipient.SOZIALAMT].valid and "Sozialamt" in by[ConsentRecipient.SOZIALAMT].message
    assert not by[ConsentRecipient.KREIS].valid and "widerrufen" in by[ConsentRecipient.KREIS].message
    assert not by[ConsentRecipient.VERMIETER].valid


@pytest.mark.parametrize(("consent", "valid", "word"), [
    (ConsentFacts("c", ("sozialamt",), (), False, D(2026, 1, 1), D(2026, 1, 1), D(2026, 11, 30)), False, "abgelaufen"),
    (ConsentFacts("c", ("sozialamt",), (), False, D(2026, 12, 1), D(2026, 12, 10)), False, "erst ab"),
    (ConsentFacts("c", ("sozialamt",), (), False, D(2026, 12, 1), D(2026, 12, 1)), True, "liegt vor"),
])
def test_consent_validity_on_the_day(consent, valid, word) -> None:
    result = legal_state(LegalInputs(consents=(consent,)), TODAY).consent_for(ConsentRecipient.SOZIALAMT)
    assert result.valid is valid and word in result.message


def test_a_valid_consent_wins_over_an_older_revoked_one() -> None:
    consents = (ConsentFacts("old", ("sozialamt",), (), False, D(2025, 1, 1), D(2025, 1, 1), None, D(2025, 6, 1)),
                ConsentFacts("new", ("sozialamt",), (), False, D(2026, 2, 1), D(2026, 2, 1)))
    assert legal_state(LegalInputs(consents=consents), TODAY).consent_for(ConsentRecipient.SOZIALAMT).valid


# ---- KdU verdicts --------------------------------------------------------------------------------------------
def test_kdu_state_of_current_and_proposed_flat_with_table_age() -> None:
    table = seed_table()
    over = kdu_check(table, "Löhne", 2, cold_rent=38_000, utilities=9_000)      # 470,00 > 424,45
    within = kdu_check(table, "Löhne", 2, cold_rent=33_000, utilities=9_000)    # 420,00 <= 424,45
    state = legal_state(LegalInputs(kdu_current=over, kdu_proposed=within, proposed_offer_id="o1"), TODAY)
    assert state.kdu_current.appropriate is False and state.kdu_current.over_by == 4_555
    assert state.kdu_proposed.appropriate is True and state.kdu_proposed.under_by == 445
    assert state.kdu_proposed.offer_id == "o1" and state.kdu_current.table_version == table.version
    assert state.kdu_current.table_age_months == table_age_months(table.valid_from, TODAY) > 24
    assert state.kdu_current.table_outdated and "älter als 24 Monate" in state.kdu_current.warnings[0]


def test_missing_kdu_check_says_why() -> None:
    state = legal_state(LegalInputs(kdu_current_missing="Kaltmiete fehlt"), TODAY)
    assert state.kdu_current.known is False and state.kdu_current.missing == "Kaltmiete fehlt"
    assert state.kdu_proposed.over_by == 0 and state.kdu_proposed.verdict is None


@pytest.mark.parametrize(("valid_from", "today", "months"), [
    (D(2019, 11, 1), D(2026, 12, 3), 85), (D(2026, 11, 3), D(2026, 12, 2), 0), (D(2026, 11, 3), D(2026, 12, 3), 1),
    (D(2026, 1, 31), D(2026, 2, 28), 1),
])
def test_table_age_in_full_months(valid_from, today, months) -> None:
    assert table_age_months(valid_from, today) == months


# ---- properties ----------------------------------------------------------------------------------------------
kinds = st.sampled_from([*TerminationKind, None])
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2028, 12, 31))


@given(kinds, days, days, st.lists(days, max_size=3), days)
def test_a_barred_or_non_arrears_termination_never_yields_an_applicable_schonfrist(kind, terminated, served,
                                                                                   cures, today) -> None:
    others = tuple(cure(c, pid=f"p{i + 10}") for i, c in enumerate(cures))
    state = schonfrist_state(proceeding(kind, termination_on=terminated, suit_served_on=served), others, today)
    if kind not in (TerminationKind.FRISTLOS_ZAHLUNGSVERZUG, TerminationKind.FRISTLOS_UND_ORDENTLICH):
        assert not state.applies and state.computed is None and not state.cure_possible
    if state.barred:
        assert not state.applies and not state.cure_possible
    if state.applies:
        assert state.effective_on is not None and state.effective_on >= served
        assert state.not_applicable_reason is None


@given(days, st.one_of(st.none(), days), days)
def test_the_effective_date_is_the_override_when_there_is_one(served, override, today) -> None:
    state = schonfrist_state(proceeding(suit_served_on=served, termination_on=None, override_on=override,
                                        override_reason="x" if override else None), (), today)
    assert state.effective_on == (override or state.computed_on)
    assert state.expired is (today > state.effective_on)


def test_lines_and_dict_speak_german_and_carry_the_figures() -> None:
    state = legal_state(LegalInputs(case_number="LOE-2026-0001", proceeding=proceeding(),
                                    rent_ledger=tuple(ledger(RENT, 0, RENT)), monthly_rent=RENT), TODAY)
    lines = dict(state.lines())
    assert "Schonfrist bis 04.01.2027" in lines["Schonfrist"]
    assert "543 Abs. 2 Satz 1 Nr. 3b" in lines["Kündigungsrisiko (§ 543 BGB)"]
    data = state.as_dict()
    assert data["schonfrist"]["ende"] == "2027-01-04" and data["kuendigungsrisiko"]["alternative"] == "b"
