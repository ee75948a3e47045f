"""The 四议两公开 service on a real database (SQLite, and PostgreSQL where VILLAGEGOV_TEST_PG is set)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.decisions.conftest import (
    COMMITTEE,
    DAYS,
    OPENED,
    RESOLUTION_POSTED,
    RESULT_POSTED,
    TODAY,
    WORK,
    Village,
    at,
    complete,
    council_item,
    meeting,
    open_matter,
    post_disclosure,
    through,
)
from villagegov.core import audit, i18n, voting
from villagegov.core.actor import Actor
from villagegov.core.errors import FinalisedRecord, NotFound, PermissionDenied, ValidationError
from villagegov.decisions import rules, service
from villagegov.decisions.models import Decision, DecisionStep
from villagegov.decisions.rules import Participant
from villagegov.notices import rules as notice_rules
from villagegov.notices import service as notices
from villagegov.schema import AUDITED_MODELS


@pytest.fixture(autouse=True)
def english() -> None:
    """Refusals are matched by their English words here; the Chinese ones are tested where they show."""
    i18n.set_language("en")


def actions(entity: str) -> list[str]:
    query = audit.AuditEntry.select().where(audit.AuditEntry.entity == entity).order_by(audit.AuditEntry.seq)
    return [e.action for e in query]


def test_a_matter_goes_through_its_six_steps_to_completion(village: Village) -> None:
    opened = open_matter(village)
    assert opened.number == "〔2026〕事字第1号" and opened.amount_fen == 12_000_000
    assert (opened.progress.step, opened.progress.waiting) == (rules.PROPOSE, rules.RECORD)

    resolved = through(village, opened.id, rules.RESOLVE)
    resolve = resolved.current(rules.RESOLVE)
    assert resolve is not None
    assert (resolve.expected, resolve.present, resolve.for_, resolve.needed) == (12, 12, 10, 7)
    assert (resolve.representatives, resolve.women_representatives) == (10, 4)
    assert resolve.outcome == voting.PASSED and resolve.threshold_text() == "more than 1/2 of those present"
    review = resolved.current(rules.REVIEW)
    assert review is not None and (review.expected, review.needed, review.pass_base) == (
        6,
        4,
        voting.EXPECTED,
    )
    assert [o.name for o in review.observers] == ["陈淑芬"]
    assert resolved.progress.step == rules.DISCLOSE_RESOLUTION
    assert [a.kind for a in resolved.alerts] == [rules.STALLED, rules.AWAITING_DISCLOSURE]  # TODAY is far on

    # Step 5: a real 公示 in the 村务公开 room, from the resolution.
    started = service.start_disclosure(
        village.clerk, opened.id, today=date(2026, 3, 21), now=at(date(2026, 3, 21))
    )
    step5 = started.current(rules.DISCLOSE_RESOLUTION)
    assert step5 is not None and step5.outcome == rules.DISCLOSING and step5.notice is not None
    notice = notices.get_notice(village.clerk, step5.notice.id)
    assert (notice.kind, notice.state, notice.major) == (notice_rules.PUBLICITY, notice_rules.DRAFT, True)
    assert notice.title == "关于村东水渠修缮工程决议的公示"
    assert "赞成10票，反对1票，弃权1票" in notice.body and "120,000.00元" in notice.body
    assert "2026年3月20日" in notice.body
    with pytest.raises(ValidationError, match="not posted"):
        service.complete_disclosure(village.clerk, opened.id, today=TODAY)
    notices.approve(village.secretary, notice.id, now=at(date(2026, 3, 21), 15))
    notices.post(village.clerk, notice.id, RESOLUTION_POSTED, "张组长", today=RESOLUTION_POSTED)
    with pytest.raises(ValidationError, match="runs until"):
        service.complete_disclosure(village.clerk, opened.id, today=date(2026, 3, 28))
    disclosed = service.complete_disclosure(village.clerk, opened.id, today=date(2026, 3, 29))
    step5 = disclosed.current(rules.DISCLOSE_RESOLUTION)
    assert step5 is not None and (step5.outcome, step5.date, step5.period_end) == (
        rules.DISCLOSED, RESOLUTION_POSTED, date(2026, 3, 28),
    )  # fmt: skip

    # Step 6 needs the work done, then its own 公示.
    with pytest.raises(ValidationError, match="Record the implementation"):
        service.start_disclosure(village.clerk, opened.id, today=date(2026, 4, 1))
    service.record_implementation(village.clerk, opened.id, WORK, today=date(2026, 6, 1))
    post_disclosure(village, opened.id, date(2026, 6, 1), RESULT_POSTED)
    result = notices.get_notice(
        village.clerk, service.get_decision(village.clerk, opened.id).steps[-1].notice_id
    )
    assert result.title == "关于村东水渠修缮工程实施结果的公示"
    assert "实际支出118,500.00元" in result.body and "节余1,500.00元" in result.body
    assert result.tables[0].rows[1] == ("实际支出", "118,500.00")
    done = service.complete_disclosure(village.clerk, opened.id, today=date(2026, 6, 9))
    assert done.state == rules.COMPLETE and done.ended_on == date(2026, 6, 9)
    assert done.progress.waiting == rules.DONE and done.alerts == ()
    assert [s.step for s in done.steps] == list(rules.STEPS)
    dates = [s.date for s in done.steps]
    assert dates == sorted(dates)

    assert actions("decision") == ["open", "implementation", "complete"]
    assert actions("decision_step")[:4] == ["record"] * 4
    assert actions("decision_step").count("complete") == 2
    assert audit.verify_database_chain() == []
    assert audit.verify_records(AUDITED_MODELS) == []
    with pytest.raises(FinalisedRecord):
        service.record_step(
            village.clerk, opened.id, rules.PROPOSE, meeting(rules.PROPOSE, village), today=TODAY
        )


def test_no_step_before_its_predecessor_and_no_date_before_the_step_before(village: Village) -> None:
    d = open_matter(village)
    for step in (rules.DISCUSS, rules.REVIEW, rules.RESOLVE):
        with pytest.raises(ValidationError, match="not done yet"):
            service.record_step(village.clerk, d.id, step, meeting(step, village), today=TODAY)
    with pytest.raises(ValidationError, match="only after the vote of step 4"):
        service.start_disclosure(village.clerk, d.id, today=TODAY)
    through(village, d.id, rules.DISCUSS)
    early = meeting(rules.REVIEW, village, DAYS[rules.DISCUSS] - timedelta(days=1))
    with pytest.raises(ValidationError) as err:
        service.record_step(village.clerk, d.id, rules.REVIEW, early, today=TODAY)
    assert err.value.field == "held_on"
    same_day = meeting(rules.REVIEW, village, DAYS[rules.DISCUSS])
    ok = service.record_step(village.clerk, d.id, rules.REVIEW, same_day, today=TODAY)
    assert ok.progress.step == rules.RESOLVE
    with pytest.raises(ValidationError, match="already recorded"):
        service.record_step(village.clerk, d.id, rules.DISCUSS, meeting(rules.DISCUSS, village), today=TODAY)
    assert DecisionStep.select().count() == 3  # nothing half-written by the refusals


def test_step_one_is_not_dated_before_the_matter_was_opened(village: Village) -> None:
    d = open_matter(village)
    with pytest.raises(ValidationError, match="opened"):
        service.record_step(
            village.clerk,
            d.id,
            rules.PROPOSE,
            meeting(rules.PROPOSE, village, OPENED - timedelta(1)),
            today=TODAY,
        )


def test_steps_1_and_2_in_one_meeting_keep_both_records(village: Village) -> None:
    d = open_matter(village)
    through(village, d.id, rules.PROPOSE)
    with pytest.raises(ValidationError, match="same date"):
        service.record_step(
            village.clerk, d.id, rules.DISCUSS, meeting(rules.DISCUSS, village, joint=True), today=TODAY
        )
    joint = meeting(rules.DISCUSS, village, DAYS[rules.PROPOSE], joint=True)
    detail = service.record_step(village.clerk, d.id, rules.DISCUSS, joint, today=TODAY)
    assert [(s.step, s.joint, s.date) for s in detail.steps] == [
        (rules.PROPOSE, False, DAYS[rules.PROPOSE]), (rules.DISCUSS, True, DAYS[rules.PROPOSE]),
    ]  # fmt: skip


def test_a_failed_vote_at_step_4_ends_the_matter_as_not_adopted(village: Village) -> None:
    d = open_matter(village)
    through(village, d.id, rules.REVIEW)
    failed = service.record_step(
        village.clerk,
        d.id,
        rules.RESOLVE,
        meeting(rules.RESOLVE, village, for_=6, against=5, abstain=1),
        today=TODAY,
    )  # 6 of 12 present is not more than half
    assert failed.current(rules.RESOLVE).outcome == voting.NOT_PASSED  # type: ignore[union-attr]
    assert (failed.progress.waiting, [a.kind for a in failed.alerts][-1]) == (rules.CHOICE, rules.VOTE_FAILED)
    with pytest.raises(ValidationError, match="did not pass"):
        service.record_step(village.clerk, d.id, rules.RESOLVE, meeting(rules.RESOLVE, village), today=TODAY)
    with pytest.raises(ValidationError, match="only after the vote of step 4"):
        service.start_disclosure(village.clerk, d.id, today=TODAY)
    with pytest.raises(ValidationError):  # before the vote
        service.end_not_adopted(village.clerk, d.id, DAYS[rules.RESOLVE] - timedelta(1), "否决", today=TODAY)
    ended = service.end_not_adopted(
        village.clerk, d.id, date(2026, 3, 21), "村民代表会议未通过。", today=TODAY
    )
    assert (ended.state, ended.ended_on, ended.progress.waiting) == (
        rules.NOT_ADOPTED,
        date(2026, 3, 21),
        rules.ENDED,
    )
    for attempt in (
        lambda: service.revise(village.clerk, d.id, date(2026, 3, 22), "再议", today=TODAY),
        lambda: service.start_disclosure(village.clerk, d.id, today=TODAY),
        lambda: service.record_step(
            village.clerk, d.id, rules.RESOLVE, meeting(rules.RESOLVE, village), today=TODAY
        ),
        lambda: service.update_decision(village.clerk, d.id, ended.as_input()),
    ):
        with pytest.raises((FinalisedRecord, ValidationError)):
            attempt()
    assert len(service.get_decision(village.clerk, d.id).steps) == 4


def test_a_matter_sent_back_at_step_2_keeps_its_history(village: Village) -> None:
    d = open_matter(village)
    through(village, d.id, rules.PROPOSE)
    service.record_step(
        village.clerk, d.id, rules.DISCUSS, meeting(rules.DISCUSS, village, agreed=False), today=TODAY
    )
    with pytest.raises(ValidationError, match="Say what is revised"):
        service.revise(village.clerk, d.id, date(2026, 3, 6), " ", today=TODAY)
    revised = service.revise(village.clerk, d.id, date(2026, 3, 6), "预算压缩至10万元。", today=TODAY)
    assert revised.round == 2 and revised.progress.step == rules.PROPOSE
    assert [(r.number, r.reason) for r in revised.rounds] == [(1, ""), (2, "预算压缩至10万元。")]
    with pytest.raises(ValidationError, match="before"):  # round 2 starts on the day it was sent back
        service.record_step(village.clerk, d.id, rules.PROPOSE, meeting(rules.PROPOSE, village), today=TODAY)
    day = date(2026, 3, 8)
    for step in rules.MEETING_STEPS:
        held = day if step != rules.RESOLVE else date(2026, 3, 20)
        revised = service.record_step(village.clerk, d.id, step, meeting(step, village, held), today=TODAY)
    assert revised.progress.step == rules.DISCLOSE_RESOLUTION
    history = [(s.round, s.step, s.outcome) for s in revised.steps]
    assert history[:2] == [(1, rules.PROPOSE, rules.AGREED), (1, rules.DISCUSS, rules.NOT_AGREED)]
    assert [s for (r, s, _o) in history if r == 2] == list(rules.MEETING_STEPS)


def test_a_meeting_without_its_quorum_is_held_again(village: Village) -> None:
    d = open_matter(village)
    through(village, d.id, rules.DISCUSS)
    people = tuple(
        replace(p, present=i < 2)
        for i, p in enumerate(service.party_members(village.clerk, DAYS[rules.REVIEW]))
    )
    thin = meeting(rules.REVIEW, village, participants=people, for_=2, against=0)
    detail = service.record_step(village.clerk, d.id, rules.REVIEW, thin, today=TODAY)
    assert detail.current(rules.REVIEW).outcome == voting.QUORUM_NOT_MET  # type: ignore[union-attr]
    assert detail.progress.waiting == rules.AGAIN
    again = service.record_step(
        village.clerk, d.id, rules.REVIEW, meeting(rules.REVIEW, village), today=TODAY
    )
    assert [s.outcome for s in again.steps if s.step == rules.REVIEW] == [
        voting.QUORUM_NOT_MET,
        voting.PASSED,
    ]


def test_the_party_members_meeting_may_be_tightened_to_two_thirds(village: Village) -> None:
    service.update_decision_settings(
        village.clerk,
        replace(service.decision_settings(village.clerk), party_quorum=rules.PARTY_QUORUM_TIGHT),
    )
    d = open_matter(village)
    through(village, d.id, rules.DISCUSS)
    people = tuple(
        replace(p, present=i < 3)
        for i, p in enumerate(service.party_members(village.clerk, DAYS[rules.REVIEW]))
    )  # 3 of 6: half, enough nationally, not for 2/3
    detail = service.record_step(
        village.clerk,
        d.id,
        rules.REVIEW,
        meeting(rules.REVIEW, village, participants=people, for_=3, against=0),
        today=TODAY,
    )
    review = detail.current(rules.REVIEW)
    assert review is not None and review.outcome == voting.QUORUM_NOT_MET
    assert review.quorum == rules.PARTY_QUORUM_TIGHT


def test_a_villagers_meeting_needs_ten_days_notice_and_counts_the_rosters_adults(village: Village) -> None:
    d = open_matter(village)
    through(village, d.id, rules.REVIEW)
    base = service.villagers_meeting_base(village.clerk, DAYS[rules.RESOLVE])
    assert base == (16, 19)  # 16 adults (the 3 children are not counted), 19 households
    data = rules.StepInput(
        DAYS[rules.RESOLVE], "村小学操场", "何主任", "李文书", body=rules.VILLAGERS, adults_present=9,
        households_present=0, for_=5, against=3, notified_on=DAYS[rules.RESOLVE] - timedelta(days=9),
    )  # fmt: skip
    with pytest.raises(ValidationError) as err:
        service.record_step(village.clerk, d.id, rules.RESOLVE, data, today=TODAY)
    assert err.value.field == "notified_on"
    data = replace(data, notified_on=DAYS[rules.RESOLVE] - timedelta(days=10))
    detail = service.record_step(village.clerk, d.id, rules.RESOLVE, data, today=TODAY)
    resolve = detail.current(rules.RESOLVE)
    assert resolve is not None and (resolve.expected, resolve.present, resolve.households) == (16, 9, 19)
    assert resolve.outcome == voting.PASSED  # 9 of 16 adults is more than half; 5 of 9 more than half


def test_a_representatives_meeting_expects_every_representative_of_the_roster(village: Village) -> None:
    d = open_matter(village)
    through(village, d.id, rules.REVIEW)
    day = DAYS[rules.RESOLVE]
    reps = service.representatives_on(village.clerk, day)
    committee = tuple(Participant(n, kind=rules.COMMITTEE_MEMBER) for n in COMMITTEE)
    short = meeting(rules.RESOLVE, village, participants=(*reps[1:], *committee))
    with pytest.raises(ValidationError, match=reps[0].name):
        service.record_step(village.clerk, d.id, rules.RESOLVE, short, today=TODAY)
    outsider = meeting(rules.RESOLVE, village, participants=(*reps, *committee, Participant("外村人")))
    with pytest.raises(ValidationError, match="neither"):
        service.record_step(village.clerk, d.id, rules.RESOLVE, outsider, today=TODAY)
    too_many_cadres = tuple(Participant(f"委员{i}", kind=rules.COMMITTEE_MEMBER) for i in range(3))
    crowded = meeting(rules.RESOLVE, village, participants=(*reps, *too_many_cadres))  # 10 of 13 < 4/5
    with pytest.raises(ValidationError, match="4/5"):
        service.record_step(village.clerk, d.id, rules.RESOLVE, crowded, today=TODAY)
    assert service.get_decision(village.clerk, d.id).progress.step == rules.RESOLVE


def test_a_correction_is_a_new_record_and_the_original_survives(village: Village) -> None:
    d = open_matter(village)
    detail = through(village, d.id, rules.REVIEW)
    original = detail.current(rules.REVIEW)
    assert original is not None and original.for_ == 5
    with pytest.raises(ValidationError, match="Say why"):
        service.correct_step(
            village.clerk, original.id, meeting(rules.REVIEW, village, for_=4), "", today=TODAY
        )
    first = detail.current(rules.PROPOSE)
    assert first is not None
    with pytest.raises(FinalisedRecord, match="latest"):
        service.correct_step(village.clerk, first.id, meeting(rules.PROPOSE, village), "笔误", today=TODAY)
    fixed = service.correct_step(
        village.clerk,
        original.id,
        meeting(rules.REVIEW, village, for_=4, against=2),
        "赞成票数笔误",
        today=TODAY,
    )
    current = fixed.current(rules.REVIEW)
    assert current is not None and (current.for_, current.corrects, current.correction_reason) == (
        4, original.id, "赞成票数笔误",
    )  # fmt: skip
    kept = DecisionStep.get_by_id(original.id)
    assert (kept.for_, kept.superseded_by_id) == (5, current.id)
    assert [s.id for s in fixed.steps].count(original.id) == 1
    with pytest.raises(FinalisedRecord):
        service.correct_step(village.clerk, original.id, meeting(rules.REVIEW, village), "再改", today=TODAY)
    assert "supersede" in actions("decision_step")


def test_supervision_signs_off_and_a_concern_shows_until_answered(village: Village) -> None:
    d = open_matter(village)
    detail = through(village, d.id, rules.PROPOSE)
    step = detail.current(rules.PROPOSE)
    assert step is not None
    with pytest.raises(PermissionDenied):
        service.sign_off(village.clerk, step.id, today=TODAY)
    with pytest.raises(PermissionDenied):
        service.record_step(
            village.supervisor, d.id, rules.DISCUSS, meeting(rules.DISCUSS, village), today=TODAY
        )
    with pytest.raises(ValidationError, match="on that day or after"):
        service.raise_concern(village.supervisor, step.id, "会议记录缺签名", on=OPENED, today=TODAY)
    concern = service.raise_concern(
        village.supervisor, step.id, "会议记录缺签名", on=date(2026, 3, 3), today=TODAY
    )
    shown = service.get_decision(village.clerk, d.id, date(2026, 3, 4))
    assert [a.kind for a in shown.alerts] == [rules.OPEN_CONCERN]
    assert shown.current(rules.PROPOSE).open_concerns == 1  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="not answered"):
        service.sign_off(village.supervisor, step.id, on=date(2026, 3, 3), today=TODAY)
    with pytest.raises(PermissionDenied):
        service.answer_concern(village.supervisor, concern.id, "已补签", today=TODAY)
    answered = service.answer_concern(village.clerk, concern.id, "已补签。", on=date(2026, 3, 4), today=TODAY)
    assert not answered.open
    with pytest.raises(FinalisedRecord):
        service.answer_concern(village.clerk, concern.id, "改答复", today=TODAY)
    signed = service.sign_off(village.supervisor, step.id, "程序合规", on=date(2026, 3, 4), today=TODAY)
    assert signed.by_name == "陈淑芬"
    with pytest.raises(ValidationError, match="already signed"):
        service.sign_off(village.supervisor, step.id, on=date(2026, 3, 4), today=TODAY)
    final = service.get_decision(village.clerk, d.id, date(2026, 3, 4))
    assert final.alerts == () and final.current(rules.PROPOSE).signed_off  # type: ignore[union-attr]


def test_objections_to_a_disclosure_show_on_the_decision_and_hold_it_until_answered(village: Village) -> None:
    d = open_matter(village)
    through(village, d.id, rules.RESOLVE)
    detail = post_disclosure(village, d.id, date(2026, 3, 21), RESOLUTION_POSTED)
    notice_id = detail.current(rules.DISCLOSE_RESOLUTION).notice_id  # type: ignore[union-attr]
    objection = notices.record_objection(
        village.clerk, notice_id, "王大山", "预算偏高", date(2026, 3, 24), today=date(2026, 3, 24)
    )
    shown = service.get_decision(village.clerk, d.id, date(2026, 3, 29))
    step5 = shown.current(rules.DISCLOSE_RESOLUTION)
    assert step5 is not None and step5.notice is not None
    assert [o.content for o in step5.notice.objections] == ["预算偏高"]
    assert {a.kind for a in shown.alerts} >= {rules.OPEN_OBJECTION, rules.PERIOD_ENDED}
    with pytest.raises(ValidationError, match="not answered"):
        service.complete_disclosure(village.clerk, d.id, today=date(2026, 3, 29))
    notices.update_objection(village.clerk, objection.id, "已核实", "预算经审核合理。", date(2026, 3, 27),
                             today=date(2026, 3, 29))  # fmt: skip
    assert service.complete_disclosure(village.clerk, d.id, today=date(2026, 3, 29)).progress.step == (
        rules.DISCLOSE_RESULT
    )


def test_a_corrected_disclosure_counts_by_its_correction(village: Village) -> None:
    d = open_matter(village)
    through(village, d.id, rules.RESOLVE)
    detail = post_disclosure(village, d.id, date(2026, 3, 21), RESOLUTION_POSTED)
    old = detail.current(rules.DISCLOSE_RESOLUTION).notice_id  # type: ignore[union-attr]
    correction = notices.correct(village.clerk, old, now=at(date(2026, 3, 24)))
    notices.approve(village.secretary, correction.id, now=at(date(2026, 3, 24), 10))
    notices.post(village.clerk, correction.id, date(2026, 3, 24), today=date(2026, 3, 24))
    with pytest.raises(ValidationError, match="runs until"):  # the correction hangs its own full period
        service.complete_disclosure(village.clerk, d.id, today=date(2026, 3, 29))
    done = service.complete_disclosure(village.clerk, d.id, today=date(2026, 3, 31))
    step5 = done.current(rules.DISCLOSE_RESOLUTION)
    assert step5 is not None and step5.notice_id == correction.id and step5.period_end == date(2026, 3, 30)
    assert step5.notice is not None and step5.notice.corrected == (old,)


def test_a_withdrawn_or_deleted_draft_is_drafted_again(village: Village) -> None:
    d = open_matter(village)
    through(village, d.id, rules.RESOLVE)
    started = service.start_disclosure(
        village.clerk, d.id, today=date(2026, 3, 21), now=at(date(2026, 3, 21))
    )
    first = started.current(rules.DISCLOSE_RESOLUTION).notice_id  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="under way"):
        service.start_disclosure(village.clerk, d.id, today=date(2026, 3, 21))
    notices.delete_draft(village.clerk, first)
    # SQLite gives a deleted last row's id to the next notice: an unrelated notice must not be taken
    # for the disclosure.
    unrelated = notices.create_draft(
        village.clerk, notice_rules.NoticeInput(notice_rules.VILLAGE, notice_rules.NOTIFICATION, "春耕通知")
    )
    gone = service.get_decision(village.clerk, d.id).current(rules.DISCLOSE_RESOLUTION)
    assert gone is not None and gone.notice is None
    again = service.start_disclosure(
        village.clerk,
        d.id,
        today=date(2026, 3, 21),
        now=at(
            date(
                2026,
                3,
                21,
            ),
            10,
        ),
    )
    second = again.current(rules.DISCLOSE_RESOLUTION)
    assert second is not None and second.notice is not None and second.notice_id != unrelated.id
    assert second.notice.title == "关于村东水渠修缮工程决议的公示"
    notices.approve(village.secretary, second.notice.id, now=at(date(2026, 3, 21), 11))
    notices.withdraw(village.secretary, second.notice.id, now=at(date(2026, 3, 21), 12))
    third = service.start_disclosure(village.clerk, d.id, today=date(2026, 3, 22), now=at(date(2026, 3, 22)))
    step5 = third.current(rules.DISCLOSE_RESOLUTION)
    assert step5 is not None and step5.notice is not None and step5.notice.state == notice_rules.DRAFT
    assert step5.notice_id not in (second.notice.id, unrelated.id)
    assert len([s for s in third.steps if s.step == rules.DISCLOSE_RESOLUTION]) == 1
    assert actions("decision_step").count("redraft") == 2
    assert audit.verify_records(AUDITED_MODELS) == []


def test_every_shortcut_to_complete_fails(village: Village) -> None:
    """Try each write the service offers to reach "complete" without the six steps done properly."""
    d = open_matter(village)
    clerk, today = village.clerk, TODAY

    def refused(*attempts: object) -> None:
        for attempt in attempts:
            with pytest.raises((ValidationError, FinalisedRecord, PermissionDenied)):
                attempt()  # type: ignore[operator]
            assert Decision.get_by_id(d.id).state == rules.IN_PROGRESS

    # From nothing: no disclosure, no completion, no implementation, no later step, not as a disclosure.
    refused(
        lambda: service.start_disclosure(clerk, d.id, today=today),
        lambda: service.complete_disclosure(clerk, d.id, today=today),
        lambda: service.record_implementation(clerk, d.id, WORK, today=today),
        lambda: service.record_step(clerk, d.id, rules.RESOLVE, meeting(rules.RESOLVE, village), today=today),
        lambda: service.record_step(
            clerk, d.id, rules.DISCLOSE_RESULT, meeting(rules.PROPOSE, village), today=today
        ),
        lambda: service.end_not_adopted(clerk, d.id, today, "x", today=today),
        lambda: service.revise(clerk, d.id, today, "x", today=today),
        lambda: service.record_step(village.supervisor, d.id, rules.PROPOSE, meeting(rules.PROPOSE, village)),
    )
    # A decision's own edit has no state to set; a village cannot shorten a disclosure below 7 days.
    assert "state" not in service.DecisionInput.__dataclass_fields__
    settings = service.decision_settings(clerk)
    refused(lambda: service.update_decision_settings(clerk, replace(settings, disclosure_days=3)))
    through(village, d.id, rules.REVIEW)
    # A failed vote cannot be disclosed.
    failing = meeting(rules.RESOLVE, village, for_=6, against=6, abstain=0)
    service.record_step(clerk, d.id, rules.RESOLVE, failing, today=today)
    refused(lambda: service.start_disclosure(clerk, d.id, today=today))
    # Correcting the failed vote is allowed (it is the latest record) and the matter goes on properly.
    failed = service.get_decision(clerk, d.id).current(rules.RESOLVE)
    assert failed is not None
    service.correct_step(clerk, failed.id, meeting(rules.RESOLVE, village), "票数录入错误", today=today)
    # The resolution's notice: not posted, posted but hanging, too short a period.
    started = service.start_disclosure(clerk, d.id, today=date(2026, 3, 21), now=at(date(2026, 3, 21)))
    notice_id = started.current(rules.DISCLOSE_RESOLUTION).notice_id  # type: ignore[union-attr]
    refused(
        lambda: service.complete_disclosure(clerk, d.id, today=today),
        lambda: service.start_disclosure(clerk, d.id, today=today),
    )
    draft = notices.get_notice(clerk, notice_id)
    notices.update_draft(clerk, notice_id, replace(draft.as_input(), period_days=3))
    notices.approve(village.secretary, notice_id, now=at(date(2026, 3, 21), 15))
    notices.post(clerk, notice_id, RESOLUTION_POSTED, today=RESOLUTION_POSTED)
    refused(
        lambda: service.complete_disclosure(clerk, d.id, today=date(2026, 3, 24)),  # hanging
        lambda: service.complete_disclosure(clerk, d.id, today=today),  # 3 days: too short
        lambda: service.start_disclosure(clerk, d.id, today=today),  # step 6 before step 5
    )
    correction = notices.correct(clerk, notice_id, now=at(date(2026, 3, 25)))
    notices.update_draft(clerk, correction.id, replace(correction.as_input(), period_days=7))
    notices.approve(village.secretary, correction.id, now=at(date(2026, 3, 25), 10))
    notices.post(clerk, correction.id, date(2026, 3, 25), today=date(2026, 3, 25))  # 7 days: to 3-31
    service.complete_disclosure(clerk, d.id, today=date(2026, 4, 1))
    # The result: not before the work is recorded; not back-dated into the resolution's period.
    refused(lambda: service.start_disclosure(clerk, d.id, today=date(2026, 4, 2)))
    service.record_implementation(clerk, d.id, WORK, today=date(2026, 6, 1))
    started = service.start_disclosure(clerk, d.id, today=date(2026, 6, 1), now=at(date(2026, 3, 26)))
    result_id = started.current(rules.DISCLOSE_RESULT).notice_id  # type: ignore[union-attr]
    notices.approve(village.secretary, result_id, now=at(date(2026, 3, 26), 9))
    notices.post(clerk, result_id, date(2026, 3, 26), today=date(2026, 6, 1))  # inside 3-25..3-31
    refused(
        lambda: service.complete_disclosure(clerk, d.id, today=date(2026, 6, 9)),
        lambda: service.record_implementation(clerk, d.id, WORK, today=today),
    )
    # Properly: a new result notice posted after the resolution stopped hanging, and a concern answered.
    result = notices.correct(clerk, result_id, now=at(date(2026, 6, 2)))
    notices.approve(village.secretary, result.id, now=at(date(2026, 6, 2), 10))
    notices.post(clerk, result.id, date(2026, 6, 2), today=date(2026, 6, 2))
    step1 = service.get_decision(clerk, d.id).current(rules.PROPOSE)
    assert step1 is not None
    concern = service.raise_concern(village.supervisor, step1.id, "提议记录不全", today=date(2026, 6, 3))
    refused(lambda: service.complete_disclosure(clerk, d.id, today=date(2026, 6, 9)))
    # Supervision and papers never move a matter on.
    service.add_attachment(clerk, d.id, "验收单.pdf", b"%PDF-1.7\n")
    refused(lambda: service.sign_off(village.supervisor, step1.id, today=date(2026, 6, 9)))  # concern open
    service.answer_concern(clerk, concern.id, "已补全", today=date(2026, 6, 4))
    service.sign_off(village.supervisor, step1.id, today=date(2026, 6, 4))
    assert Decision.get_by_id(d.id).state == rules.IN_PROGRESS
    done = service.complete_disclosure(clerk, d.id, today=date(2026, 6, 9))
    assert done.state == rules.COMPLETE


def test_step_4_may_be_the_councils_own_record(village: Village) -> None:
    from villagegov.council import service as council

    clerk = village.clerk
    d = open_matter(village)
    through(village, d.id, rules.REVIEW)
    item_id = council_item(village, DAYS[rules.RESOLVE], finalise=False)
    data = rules.StepInput(DAYS[rules.RESOLVE], body=rules.COUNCIL, agenda_item_id=item_id)
    with pytest.raises(ValidationError, match="not signed and finalised"):
        service.record_step(clerk, d.id, rules.RESOLVE, data, today=TODAY)
    meeting_id = council.agenda_item_facts(clerk, item_id).meeting_id
    council.sign_off(clerk, meeting_id, "chair", DAYS[rules.RESOLVE], today=TODAY)
    council.sign_off(clerk, meeting_id, "recorder", DAYS[rules.RESOLVE], today=TODAY)
    assert [i.item_id for i in service.council_items(clerk)] == [item_id]
    detail = service.record_step(clerk, d.id, rules.RESOLVE, data, today=TODAY)
    step4 = detail.current(rules.RESOLVE)
    assert step4 is not None and step4.council is not None
    assert (step4.outcome, step4.expected, step4.present, step4.for_) == (voting.PASSED, 5, 5, 4)
    assert step4.council.meeting_title == "Meeting no. 1" and step4.date == DAYS[rules.RESOLVE]
    assert step4.council.resolution_number  # the council's own resolution number
    ref = service.step_for_agenda_item(clerk, item_id)
    assert ref is not None and (ref.decision_id, ref.step) == (d.id, rules.RESOLVE)
    other = open_matter(village, "另一事项")
    through(village, other.id, rules.REVIEW)
    with pytest.raises(ValidationError, match="already holds step 4"):
        service.record_step(clerk, other.id, rules.RESOLVE, data, today=TODAY)
    # The council's record is the step: the disclosure quotes its vote.
    started = service.start_disclosure(clerk, d.id, today=TODAY)
    notice = notices.get_notice(clerk, started.current(rules.DISCLOSE_RESOLUTION).notice_id)  # type: ignore[arg-type, union-attr]
    assert "村民议事会" in notice.body and "赞成4票，反对1票" in notice.body


def test_a_council_item_that_failed_makes_step_4_fail(village: Village) -> None:
    d = open_matter(village)
    through(village, d.id, rules.REVIEW)
    item_id = council_item(village, DAYS[rules.RESOLVE], passed=False)
    data = rules.StepInput(DAYS[rules.RESOLVE], body=rules.COUNCIL, agenda_item_id=item_id)
    detail = service.record_step(village.clerk, d.id, rules.RESOLVE, data, today=TODAY)
    assert detail.current(rules.RESOLVE).outcome == voting.NOT_PASSED  # type: ignore[union-attr]
    assert detail.progress.waiting == rules.CHOICE


def test_the_list_shows_step_state_and_last_date(village: Village) -> None:
    a = open_matter(village, "甲事项")
    through(village, a.id, rules.DISCUSS)
    b = open_matter(village, "乙事项")
    complete(village, b.id)
    rows = service.list_decisions(village.clerk, year=2026, today=TODAY)
    assert [(r.title, r.step, r.state) for r in rows] == [
        ("乙事项", rules.DISCLOSE_RESULT, rules.COMPLETE), ("甲事项", rules.REVIEW, rules.IN_PROGRESS),
    ]  # fmt: skip
    assert rows[1].last_date == DAYS[rules.DISCUSS] and rows[1].alerts[0].kind == rules.STALLED
    assert rows[0].last_date == date(2026, 6, 9)
    assert service.list_decisions(village.clerk, year=2025) == []
    assert [r.title for r in service.list_decisions(village.clerk, text="乙")] == ["乙事项"]
    assert [r.title for r in service.list_decisions(village.clerk, state=rules.COMPLETE)] == ["乙事项"]
    for row in rows:  # the list's fast path says what the timeline says
        detail = service.get_decision(village.clerk, row.id, TODAY)
        assert (row.step, row.waiting, row.last_date, row.alerts) == (
            detail.progress.step, detail.progress.waiting, detail.last_date, detail.alerts,
        )  # fmt: skip
    pairs = service.all_alerts(village.clerk, TODAY)
    assert [(row.title, alert.kind) for row, alert in pairs] == [("甲事项", rules.STALLED)]


def test_bad_input_is_refused_in_the_users_language_and_nothing_is_written(village: Village) -> None:
    before = audit.AuditEntry.select().count()
    i18n.set_language("zh_CN")
    with pytest.raises(ValidationError) as err:
        service.open_decision(
            village.clerk, service.DecisionInput("", rules.PUBLIC_WORKS), OPENED, today=TODAY
        )
    assert err.value.field == "title"
    with pytest.raises(ValidationError) as err:
        service.open_decision(
            village.clerk, service.DecisionInput("修路", rules.PUBLIC_WORKS, "12.345"), OPENED
        )
    assert err.value.field == "amount" and "分" in err.value.message()
    with pytest.raises(ValidationError):
        service.open_decision(village.clerk, service.DecisionInput("修路", "roads"), OPENED)
    with pytest.raises(ValidationError):
        later = TODAY + timedelta(1)
        service.open_decision(
            village.clerk, service.DecisionInput("修路", rules.PUBLIC_WORKS), later, today=TODAY
        )
    assert audit.AuditEntry.select().count() == before


def test_readers_read_and_other_villages_are_out_of_reach(village: Village) -> None:
    d = open_matter(village)
    reviewer = Actor(None, "xiangzhen", "乡镇", "reviewer", None)
    assert service.get_decision(reviewer, d.id).title == "村东水渠修缮工程"
    assert service.list_decisions(reviewer, village_id=d.village_id)[0].id == d.id
    with pytest.raises(PermissionDenied):
        service.open_decision(reviewer, service.DecisionInput("x", rules.OTHER), OPENED)
    with pytest.raises(PermissionDenied):
        service.get_decision(Actor(99, "x", "x", "clerk", 99), d.id)
    with pytest.raises(NotFound):
        service.get_decision(village.clerk, d.id + 100)


def test_a_matter_opened_by_mistake_is_deleted_before_any_step(village: Village) -> None:
    d = open_matter(village)
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
    a = service.add_attachment(village.clerk, d.id, "预算.pdf", pdf)
    assert service.attachment_content(village.clerk, a.id) == pdf
    with pytest.raises(ValidationError):
        service.add_attachment(village.clerk, d.id, "x.exe", b"MZ....")
    kept = open_matter(village, "另一事项")
    through(village, kept.id, rules.PROPOSE)
    service.add_attachment(village.clerk, kept.id, "方案.pdf", pdf)
    with pytest.raises(FinalisedRecord):
        service.delete_decision(village.clerk, kept.id)
    with pytest.raises(FinalisedRecord):
        service.delete_attachment(
            village.clerk, service.get_decision(village.clerk, kept.id).attachments[0].id
        )
    service.delete_decision(village.clerk, d.id)
    assert [r.id for r in service.list_decisions(village.clerk)] == [kept.id]
    assert audit.verify_records(AUDITED_MODELS) == []
    # The next matter does not take the deleted one's number.
    assert open_matter(village, "第三事项").number == "〔2026〕事字第3号"
