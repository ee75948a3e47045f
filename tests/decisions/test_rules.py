"""The 四议两公开 rules on their own: the order of the six steps, dates, the law's boundaries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest

from villagegov.core import i18n, voting
from villagegov.core.actions import FINAL, ROLE
from villagegov.core.errors import FinalisedRecord, PermissionDenied, ValidationError
from villagegov.decisions import rules
from villagegov.decisions.rules import (
    AGREED,
    DISCLOSE_RESOLUTION,
    DISCLOSE_RESULT,
    DISCLOSED,
    DISCLOSING,
    DISCUSS,
    NOT_AGREED,
    PROPOSE,
    RESOLVE,
    REVIEW,
    Composition,
    PostingFacts,
    StepFact,
    StepInput,
)
from villagegov.notices import rules as notice_rules

D = date(2026, 3, 1)


def fact(n: int, step: str, outcome: str, on: date | None, **kw: object) -> StepFact:
    return StepFact(n, step, kw.pop("round", 1), outcome, on, **kw)  # type: ignore[arg-type]


def at(step: str, facts: list[StepFact], state: str = rules.IN_PROGRESS, round_: int = 1) -> rules.Progress:
    p = rules.progress(state, round_, facts)
    assert p.step == step
    return p


PASSED_TO_RESOLVE = [
    fact(1, PROPOSE, AGREED, D),
    fact(2, DISCUSS, AGREED, D + timedelta(1)),
    fact(3, REVIEW, voting.PASSED, D + timedelta(2)),
    fact(4, RESOLVE, voting.PASSED, D + timedelta(3)),
]


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_language("en")


# --- order ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("done", range(0, 4))
def test_no_step_is_recorded_before_its_predecessor(done: int) -> None:
    facts = PASSED_TO_RESOLVE[:done]
    p = rules.progress(rules.IN_PROGRESS, 1, facts)
    assert p.step == rules.STEPS[done] and p.waiting == rules.RECORD
    rules.check_can_record(p, rules.STEPS[done])  # the next one is fine
    for later in rules.STEPS[done + 1 :]:
        with pytest.raises(ValidationError) as err:
            rules.check_can_record(p, later)
        assert "not done yet" in err.value.message() or "only after" in err.value.message()


def test_a_step_already_recorded_is_corrected_not_recorded_again() -> None:
    p = at(REVIEW, PASSED_TO_RESOLVE[:2])
    with pytest.raises(ValidationError, match="already recorded"):
        rules.check_can_record(p, DISCUSS)


def test_the_resolution_is_disclosed_only_after_the_vote_passed() -> None:
    failed = [*PASSED_TO_RESOLVE[:3], fact(4, RESOLVE, voting.NOT_PASSED, D + timedelta(3))]
    p = at(RESOLVE, failed)
    assert p.waiting == rules.CHOICE
    with pytest.raises(ValidationError, match="only after the vote of step 4 has passed"):
        rules.check_can_record(p, DISCLOSE_RESOLUTION)
    no_quorum = [*PASSED_TO_RESOLVE[:3], fact(4, RESOLVE, voting.QUORUM_NOT_MET, D + timedelta(3))]
    p = at(RESOLVE, no_quorum)
    assert p.waiting == rules.AGAIN
    rules.check_can_record(p, RESOLVE)  # the meeting is held again
    with pytest.raises(ValidationError, match="only after the vote of step 4 has passed"):
        rules.check_can_record(p, DISCLOSE_RESOLUTION)
    rules.check_can_record(at(DISCLOSE_RESOLUTION, PASSED_TO_RESOLVE), DISCLOSE_RESOLUTION)


def test_the_result_is_disclosed_only_after_the_resolution_disclosure_ended() -> None:
    hanging = [*PASSED_TO_RESOLVE, fact(5, DISCLOSE_RESOLUTION, DISCLOSING, D + timedelta(5))]
    p = at(DISCLOSE_RESOLUTION, hanging)
    assert p.waiting == rules.UNDER_WAY
    with pytest.raises(ValidationError, match="only after the resolution's posting period has ended"):
        rules.check_can_record(p, DISCLOSE_RESULT)
    with pytest.raises(ValidationError, match="under way"):
        rules.check_can_record(p, DISCLOSE_RESOLUTION)
    ended = [*PASSED_TO_RESOLVE, fact(5, DISCLOSE_RESOLUTION, DISCLOSED, D + timedelta(5), period_end=D)]
    rules.check_can_record(at(DISCLOSE_RESULT, ended), DISCLOSE_RESULT)


def test_a_failed_vote_waits_for_revision_or_the_end() -> None:
    failed = [fact(1, PROPOSE, AGREED, D), fact(2, DISCUSS, NOT_AGREED, D)]
    p = at(DISCUSS, failed)
    assert p.waiting == rules.CHOICE
    with pytest.raises(ValidationError, match="revised proposal"):
        rules.check_can_record(p, DISCUSS)
    # Round 2 starts again at step 1; round 1 stays as history.
    p2 = rules.progress(rules.IN_PROGRESS, 2, failed)
    assert (p2.step, p2.waiting) == (PROPOSE, rules.RECORD)
    ended = rules.progress(rules.NOT_ADOPTED, 1, failed)
    assert ended.waiting == rules.ENDED
    with pytest.raises(FinalisedRecord):
        rules.check_can_record(ended, DISCUSS)


def test_a_corrected_record_no_longer_counts() -> None:
    facts = [fact(1, PROPOSE, AGREED, D, superseded=True), fact(2, PROPOSE, NOT_AGREED, D)]
    assert rules.progress(rules.IN_PROGRESS, 1, facts).waiting == rules.CHOICE


# --- dates ---------------------------------------------------------------------------------------------


def test_a_date_earlier_than_the_step_before_is_refused_the_same_day_is_not() -> None:
    facts = PASSED_TO_RESOLVE[:2]
    before = D + timedelta(1)
    rules.check_step_date(REVIEW, before, facts, today=D + timedelta(30), since=D)
    with pytest.raises(ValidationError) as err:
        rules.check_step_date(REVIEW, before - timedelta(1), facts, today=D + timedelta(30), since=D)
    assert err.value.field == "held_on" and "before Step 2" in err.value.message()
    with pytest.raises(ValidationError, match="future"):
        rules.check_step_date(REVIEW, D + timedelta(31), facts, today=D + timedelta(30), since=D)
    with pytest.raises(ValidationError, match="opened or sent back"):
        rules.check_step_date(PROPOSE, D - timedelta(1), [], today=D, since=D)


def test_steps_1_and_2_in_one_meeting_share_its_date() -> None:
    facts = [fact(1, PROPOSE, AGREED, D)]
    rules.check_joint(StepInput(D, joint=True), facts, 1)
    with pytest.raises(ValidationError, match="same date"):
        rules.check_joint(StepInput(D + timedelta(1), joint=True), facts, 1)


# --- 村民会议 notice: 10 days (Art. 22) ----------------------------------------------------------------


def test_villagers_are_notified_ten_days_ahead() -> None:
    held = date(2026, 5, 20)
    rules.check_notice_lead(date(2026, 5, 10), held)  # exactly 10 days
    rules.check_notice_lead(date(2026, 5, 1), held)
    with pytest.raises(ValidationError) as err:
        rules.check_notice_lead(date(2026, 5, 11), held)  # 9 days
    assert "only 9 days" in err.value.message() and "May 10, 2026" in err.value.message()
    assert "Art. 22" in err.value.message()
    with pytest.raises(ValidationError):
        rules.check_notice_lead(None, held)
    with pytest.raises(ValidationError, match="after the meeting"):
        rules.check_notice_lead(date(2026, 5, 21), held)


def test_the_chinese_message_cites_the_current_article() -> None:
    i18n.set_language("zh_CN")
    with pytest.raises(ValidationError) as err:
        rules.check_notice_lead(date(2026, 5, 11), date(2026, 5, 20))
    assert "第22条" in err.value.message()


# --- 村民代表会议 composition (Art. 26) ---------------------------------------------------------------


def test_representatives_make_up_four_fifths_at_the_boundary() -> None:
    rules.check_composition(Composition(members=15, representatives=12, women_representatives=5))  # 4/5
    with pytest.raises(ValidationError, match="fewer than 4/5"):
        rules.check_composition(Composition(members=15, representatives=11, women_representatives=5))


def test_women_representatives_make_up_a_third_at_the_boundary() -> None:
    rules.check_composition(Composition(members=15, representatives=13, women_representatives=5))  # 1/3
    with pytest.raises(ValidationError, match="fewer than 1/3"):
        rules.check_composition(Composition(members=15, representatives=13, women_representatives=4))


def test_one_representative_per_5_to_15_households_is_guidance() -> None:
    ok = Composition(members=12, representatives=10, women_representatives=4, households=150)
    assert rules.check_composition(ok) == []
    many = Composition(members=12, representatives=10, women_representatives=4, households=151)
    assert "5 to 15" in rules.check_composition(many)[0]


# --- thresholds of each body at their boundaries ---------------------------------------------------------


def tally(body: str, counts: voting.Counts, quorum: voting.Threshold = rules.PARTY_QUORUM_DEFAULT) -> str:
    return voting.tally(rules.voting_rule(body, quorum), counts).result


def test_party_members_meeting_quorum_half_and_majority_of_those_expected() -> None:
    p = rules.PARTY_MEMBERS
    assert tally(p, voting.Counts(20, 10, for_=11 - 1)) == voting.NOT_PASSED  # 10 of 20 expected: not > 1/2
    assert tally(p, voting.Counts(20, 9, for_=9)) == voting.QUORUM_NOT_MET  # 9 of 20: under half present
    assert tally(p, voting.Counts(20, 11, for_=11)) == voting.PASSED  # 11 > 10 of those expected
    assert tally(p, voting.Counts(20, 10, for_=10)) == voting.NOT_PASSED  # all 10 present, still not > 1/2
    # A village may tighten the quorum to 2/3 present, never loosen it.
    tight = rules.PARTY_QUORUM_TIGHT
    assert tally(p, voting.Counts(21, 13, for_=13), tight) == voting.QUORUM_NOT_MET
    assert tally(p, voting.Counts(21, 14, for_=11), tight) == voting.PASSED
    with pytest.raises(ValidationError):
        rules.voting_rule(p, voting.Threshold(Fraction(1, 3)))


def test_villagers_meeting_two_quorum_bases_and_majority_of_those_present() -> None:
    v = rules.VILLAGERS

    def counts(present: int, households_present: int, for_: int) -> voting.Counts:
        return voting.Counts(1000, present, for_=for_, households=300, households_present=households_present)

    assert tally(v, counts(500, 199, 500)) == voting.QUORUM_NOT_MET  # exactly half the adults; 199 < 2/3
    assert tally(v, counts(501, 0, 251)) == voting.PASSED  # more than half the adults
    assert tally(v, counts(300, 200, 151)) == voting.PASSED  # exactly 2/3 of the households
    assert tally(v, counts(501, 0, 250)) == voting.NOT_PASSED  # 250 of 501 present is not more than half
    assert tally(v, counts(500, 200, 250)) == voting.NOT_PASSED  # exactly half of those present
    assert tally(v, counts(500, 200, 251)) == voting.PASSED


def test_representatives_meeting_two_thirds_present_and_majority_of_those_present() -> None:
    r = rules.REPRESENTATIVES
    assert tally(r, voting.Counts(12, 7, for_=7)) == voting.QUORUM_NOT_MET  # 7 < 8
    assert tally(r, voting.Counts(12, 8, for_=5)) == voting.PASSED  # exactly 2/3; 5 > 4
    assert tally(r, voting.Counts(12, 8, for_=4)) == voting.NOT_PASSED  # exactly half present
    assert tally(r, voting.Counts(12, 8, recused=2, for_=4)) == voting.PASSED  # 4 of 6 eligible


# --- disclosures ---------------------------------------------------------------------------------------


def posting(**changes: object) -> PostingFacts:
    base: dict[str, object] = dict(
        number="〔2026〕3号", state="posted", posted_at=date(2026, 3, 22), period_days=7, period_unit="days",
        period_end=date(2026, 3, 28), open_objections=0,
    )  # fmt: skip
    base.update(changes)
    return PostingFacts(**base)  # type: ignore[arg-type]


def test_a_disclosure_is_complete_from_the_day_after_its_period() -> None:
    check = rules.check_disclosure_complete
    with pytest.raises(ValidationError, match="runs until"):
        check(DISCLOSE_RESOLUTION, posting(), date(2026, 3, 28), 7, "days", date(2026, 3, 20))
    check(DISCLOSE_RESOLUTION, posting(), date(2026, 3, 29), 7, "days", date(2026, 3, 20))
    with pytest.raises(ValidationError, match="not posted"):
        check(
            DISCLOSE_RESOLUTION, posting(posted_at=None, period_end=None), date(2026, 3, 29), 7, "days", None
        )
    with pytest.raises(ValidationError, match="at least 7"):
        check(DISCLOSE_RESOLUTION, posting(period_days=6), date(2026, 3, 29), 7, "days", None)
    with pytest.raises(ValidationError, match="before the step before"):
        check(DISCLOSE_RESOLUTION, posting(), date(2026, 3, 29), 7, "days", date(2026, 3, 23))
    with pytest.raises(ValidationError, match="not answered"):
        check(DISCLOSE_RESOLUTION, posting(open_objections=1), date(2026, 3, 29), 7, "days", None)


def test_the_result_is_posted_only_after_the_resolution_stopped_hanging() -> None:
    result = posting(posted_at=date(2026, 4, 5), period_end=date(2026, 4, 11))
    with pytest.raises(ValidationError, match="still hung"):
        rules.check_disclosure_complete(DISCLOSE_RESULT, result, date(2026, 4, 12), 7, "days", None,
                                        previous_period_end=date(2026, 4, 5))  # fmt: skip
    rules.check_disclosure_complete(DISCLOSE_RESULT, result, date(2026, 4, 12), 7, "days", None,
                                    previous_period_end=date(2026, 4, 4))  # fmt: skip


# --- warnings ------------------------------------------------------------------------------------------


def test_stalled_after_thirty_days_at_one_step() -> None:
    p = at(REVIEW, PASSED_TO_RESOLVE[:2])
    since = D + timedelta(1)
    assert rules.alerts(p, since, since + timedelta(30)) == []
    [alert] = rules.alerts(p, since, since + timedelta(31))
    assert (alert.kind, alert.days) == (rules.STALLED, 31)
    assert "31 days" in alert.text()


def test_a_notice_hanging_its_period_is_not_stalled_but_its_end_is_told() -> None:
    facts = [*PASSED_TO_RESOLVE, fact(5, DISCLOSE_RESOLUTION, DISCLOSING, None)]
    p = at(DISCLOSE_RESOLUTION, facts)
    long = posting(posted_at=D, period_days=60, period_end=D + timedelta(59))
    assert rules.alerts(p, D, D + timedelta(45), posting=long) == []
    [ended] = rules.alerts(p, D + timedelta(59), D + timedelta(60), posting=long)
    assert ended.kind == rules.PERIOD_ENDED


def test_a_result_not_disclosed_thirty_days_after_the_work_ended() -> None:
    ended = [*PASSED_TO_RESOLVE, fact(5, DISCLOSE_RESOLUTION, DISCLOSED, D, period_end=D)]
    p = at(DISCLOSE_RESULT, ended)
    work = date(2026, 6, 1)
    kinds = [a.kind for a in rules.alerts(p, work, work + timedelta(30), implementation_ended=work)]
    assert kinds == [rules.AWAITING_DISCLOSURE]
    kinds = [a.kind for a in rules.alerts(p, work, work + timedelta(31), implementation_ended=work)]
    assert kinds == [rules.STALLED, rules.RESULT_OVERDUE, rules.AWAITING_DISCLOSURE]
    late = rules.alerts(p, work, work + timedelta(31), implementation_ended=work, result_posted=True)
    assert [a.kind for a in late] == [rules.STALLED, rules.AWAITING_DISCLOSURE]  # no longer overdue


def test_step_input_is_refused_with_its_field() -> None:
    today = date(2026, 3, 31)
    with pytest.raises(ValidationError) as err:
        rules.check_step_input(PROPOSE, StepInput(D), today)
    assert err.value.field == "agreed"
    with pytest.raises(ValidationError) as err:
        rules.check_step_input(REVIEW, StepInput(D, for_=-1, participants=(rules.Participant("甲"),)), today)
    assert err.value.field == "for"
    with pytest.raises(ValidationError) as err:
        rules.check_step_input(RESOLVE, StepInput(D, body=rules.BRANCH_COMMITTEE), today)
    assert err.value.field == "body"
    with pytest.raises(ValidationError) as err:
        rules.check_step_input(DISCUSS, StepInput(D, agreed=True), today)
    assert err.value.field == "participants"
    with pytest.raises(ValidationError) as err:
        rules.check_step_input(DISCLOSE_RESOLUTION, StepInput(D), today)
    with pytest.raises(ValidationError) as err:
        people = (rules.Participant("甲"), rules.Participant(" 甲 "))
        rules.check_step_input(DISCUSS, StepInput(D, participants=people, agreed=True), today)
    assert "twice" in err.value.message()


# --- what may be done now (the room's buttons and the service's checks) ------------------------------

CLERK, SECRETARY, SUPERVISOR, REVIEWER = "clerk", "secretary", "supervisor", "reviewer"
FIVE = fact(5, DISCLOSE_RESOLUTION, DISCLOSING, date(2026, 3, 22))


def facts(
    steps: list[StepFact], state: str = rules.IN_PROGRESS, round_: int = 1, **kw: object
) -> rules.DecisionFacts:
    return rules.DecisionFacts(rules.progress(state, round_, steps), tuple(steps), **kw)  # type: ignore[arg-type]


def why(allowed: rules.Allowed, action: str) -> str:
    text = allowed.why_not(action)
    assert text is not None, f"{action} is allowed"
    return text


def notice(state: str) -> notice_rules.NoticeFacts:
    return notice_rules.NoticeFacts(state, notice_rules.PUBLICITY, "〔2026〕3号", date(2026, 3, 28))


def under_way(state: str = notice_rules.POSTED, **kw: object) -> rules.DecisionFacts:
    """At step 5, its notice in `state` (posted on 3-22, hanging to 3-28)."""
    given: dict[str, object] = dict(
        notice=notice(state), posting=posting(state=state), not_before=D + timedelta(3)
    )
    given.update(kw)
    return facts([*PASSED_TO_RESOLVE, FIVE], **given)


def test_the_role_decides_first_and_says_so() -> None:
    nothing = facts([])
    clerk = rules.decision_actions(CLERK, nothing, D)
    assert clerk.may(rules.RECORD_STEP) and clerk.may(rules.EDIT) and clerk.may(rules.DELETE)
    assert "supervisory committee may sign off" in why(clerk, rules.SIGN_OFF)
    assert rules.room_actions(CLERK).may(rules.NEW) and rules.room_actions(SECRETARY).may(rules.SETTINGS)
    for role in (SUPERVISOR, REVIEWER):
        allowed = rules.decision_actions(role, nothing, D)
        assert "Only the clerk or the secretary may change records" in why(allowed, rules.RECORD_STEP)
        assert allowed[rules.RECORD_STEP].reason == ROLE  # type: ignore[union-attr]
        assert not rules.room_actions(role).may(rules.NEW)
        assert allowed.may(rules.PRINT) and allowed.may(rules.ATTACHMENTS)
        with pytest.raises(PermissionDenied):
            allowed.require(rules.START_DISCLOSURE)
    watcher = rules.decision_actions(SUPERVISOR, nothing, D)
    assert why(watcher, rules.SIGN_OFF) == "There is no step to supervise yet."
    one = rules.decision_actions(SUPERVISOR, facts([fact(1, PROPOSE, AGREED, D)]), D)
    assert one.may(rules.SIGN_OFF) and one.may(rules.RAISE_CONCERN)
    assert "Only the clerk or the secretary" in why(
        rules.decision_actions(REVIEWER, under_way(), D), rules.POST_NOTICE
    )


def test_the_buttons_follow_the_six_steps_in_order() -> None:
    first = rules.decision_actions(CLERK, facts([]), D)
    assert first.may(rules.RECORD_STEP) and not first.may(rules.CORRECT_STEP)
    assert "only after the vote of step 4" in why(first, rules.START_DISCLOSURE)
    assert "once the resolution has passed" in why(first, rules.IMPLEMENTATION)
    assert "Nothing is being disclosed" in why(first, rules.COMPLETE_DISCLOSURE)
    assert "may approve" in why(first, rules.APPROVE_NOTICE)  # the role first
    assert "Nothing is being disclosed" in why(
        rules.decision_actions(SECRETARY, facts([]), D), rules.APPROVE_NOTICE
    )
    assert "vote failed" in why(first, rules.REVISE)
    at_five = rules.decision_actions(CLERK, facts(PASSED_TO_RESOLVE), D)
    assert "is a disclosure: it is started from its notice" in why(at_five, rules.RECORD_STEP)
    assert at_five.may(rules.START_DISCLOSURE) and at_five.may(rules.IMPLEMENTATION)
    assert at_five.may(rules.CORRECT_STEP)  # step 4 is the latest record
    # The service asks the same for any step it is given.
    assert "not done yet" in rules.step_refusal(CLERK, facts([]), REVIEW).message()  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="already recorded"):
        rules.require(rules.step_refusal(CLERK, facts(PASSED_TO_RESOLVE[:2]), DISCUSS))


def _resolved(present: int, for_: int) -> list[StepFact]:
    """Step 4 by a representatives' meeting of 12 members: its outcome as core/voting.py decides it."""
    counts = voting.Counts(
        expected=12, present=present, recused=0, for_=for_, against=present - for_, abstain=0
    )
    outcome = voting.tally(rules.voting_rule(rules.REPRESENTATIVES), counts).result
    return [*PASSED_TO_RESOLVE[:3], fact(4, RESOLVE, outcome, D + timedelta(3))]


def test_step_4s_thresholds_decide_between_the_disclosure_and_a_revision() -> None:
    # 8 of 12 present is 2/3: the meeting sits; 5 of 8 is more than half of those present.
    passed = rules.decision_actions(CLERK, facts(_resolved(8, 5)), D)
    assert passed.may(rules.START_DISCLOSURE) and not passed.may(rules.REVISE) and not passed.may(rules.END)
    assert "put to the vote at step 4" in why(passed, rules.EDIT)
    # 4 of 8 is half, not more: the vote failed; revise or end, nothing is disclosed.
    failed = rules.decision_actions(CLERK, facts(_resolved(8, 4)), D)
    assert failed.may(rules.REVISE) and failed.may(rules.END)
    assert "did not pass" in why(failed, rules.RECORD_STEP)
    assert "only after the vote of step 4" in why(failed, rules.START_DISCLOSURE)
    assert "put to the vote at step 4" in why(failed, rules.EDIT)
    # 7 of 12 present is less than 2/3: nothing was decided; the meeting is held again (or the matter ends).
    thin = rules.decision_actions(CLERK, facts(_resolved(7, 7)), D)
    assert thin.may(rules.RECORD_STEP) and thin.may(rules.REVISE)
    assert "only after the vote of step 4" in why(thin, rules.START_DISCLOSURE)


def test_a_disclosure_completes_from_the_day_after_its_period_and_its_notice_follows_the_notices_rules() -> (
    None
):
    draft = under_way(notice_rules.DRAFT)
    assert rules.decision_actions(SECRETARY, draft, D).may(rules.APPROVE_NOTICE)
    clerk = rules.decision_actions(CLERK, draft, D)
    assert (
        why(clerk, rules.APPROVE_NOTICE)
        == "Only the party secretary may approve; you are signed in as Clerk."
    )
    assert not clerk.may(rules.POST_NOTICE) and not clerk.may(rules.START_DISCLOSURE)
    assert rules.decision_actions(CLERK, under_way(notice_rules.APPROVED), D).may(rules.POST_NOTICE)
    posted = under_way()
    assert "runs until" in why(
        rules.decision_actions(CLERK, posted, date(2026, 3, 28)), rules.COMPLETE_DISCLOSURE
    )
    assert rules.decision_actions(CLERK, posted, date(2026, 3, 29)).may(rules.COMPLETE_DISCLOSURE)
    short = under_way(posting=posting(period_days=6))
    assert "at least 7" in why(
        rules.decision_actions(CLERK, short, date(2026, 3, 29)), rules.COMPLETE_DISCLOSURE
    )
    # A draft deleted or withdrawn in 村务公开: the disclosure is drafted again, nothing else.
    lost = rules.decision_actions(SECRETARY, under_way(notice_rules.WITHDRAWN, notice_lost=True), D)
    assert lost.may(rules.START_DISCLOSURE)
    assert (
        why(lost, rules.APPROVE_NOTICE) == "The draft was deleted or withdrawn; draft the disclosure again."
    )


def test_the_result_is_disclosed_after_the_work_and_the_work_stays_as_disclosed() -> None:
    done5 = [
        *PASSED_TO_RESOLVE,
        fact(5, DISCLOSE_RESOLUTION, DISCLOSED, date(2026, 3, 22), period_end=date(2026, 3, 28)),
    ]
    before_work = rules.decision_actions(CLERK, facts(done5), D)
    assert "Record the implementation" in why(before_work, rules.START_DISCLOSURE)
    assert before_work.may(rules.IMPLEMENTATION)
    worked = rules.decision_actions(CLERK, facts(done5, work_ended=date(2026, 5, 31)), D)
    assert worked.may(rules.START_DISCLOSURE)
    six = [*done5, fact(6, DISCLOSE_RESULT, DISCLOSING, date(2026, 6, 2))]
    result = posting(posted_at=date(2026, 6, 2), period_end=date(2026, 6, 8))
    hanging = facts(six, work_ended=date(2026, 5, 31), notice=notice(notice_rules.POSTED), posting=result,
                    previous_period_end=date(2026, 3, 28), open_concerns=1)  # fmt: skip
    allowed = rules.decision_actions(CLERK, hanging, date(2026, 6, 9))
    assert allowed[rules.IMPLEMENTATION].reason == FINAL  # type: ignore[union-attr]
    assert "concerns are not all answered" in why(allowed, rules.COMPLETE_DISCLOSURE)
    answered = rules.decision_actions(CLERK, replace(hanging, open_concerns=0), date(2026, 6, 9))
    assert answered.may(rules.COMPLETE_DISCLOSURE)


def test_only_the_latest_meeting_record_in_force_is_corrected() -> None:
    corrected = [fact(1, PROPOSE, AGREED, D, superseded=True), fact(2, PROPOSE, AGREED, D)]
    f = facts(corrected)
    assert rules.last_record(f) == corrected[1] and rules.correction_refusal(CLERK, f, 2) is None
    with pytest.raises(FinalisedRecord, match="already corrected"):
        rules.require(rules.correction_refusal(CLERK, f, 1))
    two = facts([*corrected, fact(3, DISCUSS, AGREED, D)])
    with pytest.raises(FinalisedRecord, match="latest"):
        rules.require(rules.correction_refusal(CLERK, two, 2))
    assert "through its notice" in why(rules.decision_actions(CLERK, under_way(), D), rules.CORRECT_STEP)
    # A revised matter's new round has nothing to correct yet; the earlier rounds stay as they are.
    failed = [fact(1, PROPOSE, NOT_AGREED, D)]
    revised = rules.decision_actions(CLERK, facts(failed, round_=2), D)
    assert "nothing to correct" in why(revised, rules.CORRECT_STEP) and revised.may(rules.RECORD_STEP)


def test_a_closed_matter_keeps_its_record_but_stays_open_to_supervision() -> None:
    for state in (rules.COMPLETE, rules.NOT_ADOPTED):
        ended = rules.decision_actions(CLERK, facts(PASSED_TO_RESOLVE, state=state), D)
        for action in (
            rules.EDIT,
            rules.RECORD_STEP,
            rules.ADD_ATTACHMENT,
            rules.START_DISCLOSURE,
            rules.REVISE,
        ):
            assert ended[action].reason == FINAL, action  # type: ignore[union-attr]
        assert ended.may(rules.PRINT)
        assert rules.decision_actions(SUPERVISOR, facts(PASSED_TO_RESOLVE, state=state), D).may(
            rules.RAISE_CONCERN
        )
    fresh = rules.decision_actions(CLERK, facts([]), D)
    assert fresh.may(rules.DELETE) and fresh.may(rules.DELETE_ATTACHMENT)
    stepped = rules.decision_actions(CLERK, facts(PASSED_TO_RESOLVE[:1]), D)
    assert "End it instead" in why(stepped, rules.DELETE) and "papers stay" in why(
        stepped, rules.DELETE_ATTACHMENT
    )
    assert "No concern is waiting" in why(stepped, rules.ANSWER_CONCERN)
    assert rules.decision_actions(CLERK, facts(PASSED_TO_RESOLVE[:1], open_concerns=1), D).may(
        rules.ANSWER_CONCERN
    )


def test_a_step_is_signed_off_once_no_concern_is_open_and_a_concern_is_answered_once() -> None:
    assert rules.supervision_actions(SUPERVISOR, 0, False).may(rules.SIGN_OFF)
    assert "not answered yet" in why(rules.supervision_actions(SUPERVISOR, 1, False), rules.SIGN_OFF)
    assert "already signed off" in why(rules.supervision_actions(SUPERVISOR, 0, True), rules.SIGN_OFF)
    assert rules.supervision_actions(SUPERVISOR, 1, True).may(rules.RAISE_CONCERN)
    assert not rules.supervision_actions(CLERK, 0, False).may(rules.RAISE_CONCERN)
    assert rules.concern_actions(CLERK, rules.CONCERN, None).may(rules.ANSWER_CONCERN)
    answered = rules.concern_actions(SECRETARY, rules.CONCERN, date(2026, 3, 4))
    assert "answered on March 4, 2026" in why(answered, rules.ANSWER_CONCERN)
    with pytest.raises(FinalisedRecord):
        answered.require(rules.ANSWER_CONCERN)
    assert "needs no answer" in why(rules.concern_actions(CLERK, rules.SIGN_OFF, None), rules.ANSWER_CONCERN)
    assert not rules.concern_actions(SUPERVISOR, rules.CONCERN, None).may(rules.ANSWER_CONCERN)
