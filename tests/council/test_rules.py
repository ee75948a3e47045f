"""The council room's pure rules: terms, seats, rules versions, meeting states, roll calls, numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from villagegov.core import i18n, voting
from villagegov.core.actions import FINAL, ROLE, STATE, Allowed
from villagegov.core.actor import CLERK, REVIEWER, SECRETARY, SUPERVISOR
from villagegov.core.errors import FinalisedRecord, PermissionDenied, ValidationError
from villagegov.council import rules
from villagegov.council.rules import Membership, RulesVersion, Term

TERM = Term(date(2024, 1, 1), date(2028, 12, 31), "青石村村民议事会")
TODAY = date(2026, 11, 25)
HELD_ON = date(2026, 11, 20)


def _facts(**changes: object) -> rules.MeetingFacts:
    """A meeting held on HELD_ON, nothing signed, nine members, no votes yet."""
    facts = rules.MeetingFacts(
        number=3, state=rules.HELD, day=HELD_ON, chair="王建国", recorder="李文书", chair_signed_on=None,
        recorder_signed_on=None, expected=9, has_votes=False, numbered=False,
    )  # fmt: skip
    return replace(facts, **changes)  # type: ignore[arg-type]


def _meeting_actions(role: str = CLERK, today: date = TODAY, **changes: object) -> Allowed:
    return rules.meeting_actions(role, _facts(**changes), today)


def test_terms_of_one_village_may_not_overlap_by_a_single_day() -> None:
    rules.check_no_overlap(date(2029, 1, 1), date(2033, 12, 31), [TERM])  # the next term, the day after
    with pytest.raises(ValidationError) as err:
        rules.check_no_overlap(date(2028, 12, 31), date(2033, 12, 31), [TERM])
    assert "青石村村民议事会" in err.value.message()
    with pytest.raises(ValidationError):
        rules.check_term(date(2024, 1, 1), date(2024, 1, 1))


def test_a_seat_runs_from_joining_up_to_the_leaving_day() -> None:
    assert rules.is_member_on(date(2024, 1, 1), date(2025, 6, 1), date(2025, 5, 31))
    assert not rules.is_member_on(date(2024, 1, 1), date(2025, 6, 1), date(2025, 6, 1))
    assert not rules.is_member_on(date(2024, 1, 1), None, date(2023, 12, 31))
    assert rules.is_member_on(date(2024, 1, 1), None, date(2028, 12, 31))


def test_seats_lie_within_the_term_and_do_not_overlap() -> None:
    wang = Membership(1, rules.CHAIR, date(2024, 1, 1), None, "王建国", id=10)
    with pytest.raises(ValidationError):
        rules.check_membership(Membership(2, rules.MEMBER, date(2023, 12, 31)), TERM, [])
    with pytest.raises(ValidationError):
        rules.check_membership(Membership(2, rules.MEMBER, date(2024, 1, 1), date(2029, 1, 1)), TERM, [])
    with pytest.raises(ValidationError):
        rules.check_membership(Membership(2, rules.MEMBER, date(2024, 5, 1), date(2024, 5, 1)), TERM, [])
    with pytest.raises(ValidationError) as err:  # the same villager twice
        rules.check_membership(Membership(1, rules.MEMBER, date(2025, 1, 1)), TERM, [wang])
    assert "王建国" in err.value.message()
    with pytest.raises(ValidationError) as err:  # a second chair at the same time
        rules.check_membership(Membership(2, rules.CHAIR, date(2025, 1, 1)), TERM, [wang])
    assert err.value.field == "role"
    # A chair after the first one left; the seat may be checked against itself when it is changed.
    left = Membership(1, rules.CHAIR, date(2024, 1, 1), date(2025, 1, 1), "王建国", id=10)
    rules.check_membership(Membership(2, rules.CHAIR, date(2025, 1, 1)), TERM, [left])
    rules.check_membership(Membership(1, rules.CHAIR, date(2024, 2, 1), None, id=10), TERM, [wang])
    with pytest.raises(ValidationError):
        rules.check_role("president")


def test_members_on_a_day_come_chair_first() -> None:
    seats = [
        Membership(3, rules.MEMBER, date(2024, 1, 1), id=3),
        Membership(2, rules.VICE_CHAIR, date(2024, 1, 1), id=2),
        Membership(1, rules.CHAIR, date(2024, 1, 1), id=1),
        Membership(4, rules.MEMBER, date(2024, 1, 1), date(2025, 1, 1), id=4),
    ]
    assert [s.id for s in rules.members_on(seats, date(2024, 6, 1))] == [1, 2, 3, 4]
    assert [s.id for s in rules.members_on(seats, date(2025, 1, 1))] == [1, 2, 3]


def test_the_rules_in_force_on_a_meeting_day() -> None:
    first = RulesVersion(date(2024, 1, 1))
    tighter = RulesVersion(date(2025, 7, 1), quorum=voting.Threshold(Fraction(3, 4)))
    assert rules.rules_in_force([tighter, first], date(2025, 6, 30)) is first
    assert rules.rules_in_force([tighter, first], date(2025, 7, 1)) is tighter
    with pytest.raises(ValidationError):
        rules.rules_in_force([tighter, first], date(2023, 12, 31))
    assert first.rule().pass_threshold == voting.COUNCIL_PASS
    assert first.rule(needs_two_thirds=True).pass_threshold == voting.COUNCIL_TWO_THIRDS


def test_new_rules_take_effect_after_the_last_meeting_held() -> None:
    rules.check_new_version(date(2025, 3, 2), TERM, date(2025, 3, 1))
    with pytest.raises(ValidationError):
        rules.check_new_version(date(2025, 3, 1), TERM, date(2025, 3, 1))
    with pytest.raises(ValidationError):
        rules.check_new_version(date(2029, 1, 1), TERM, None)


def test_a_pass_threshold_is_at_least_a_majority() -> None:
    day = date(2024, 1, 1)
    rules.check_rules(RulesVersion(day, pass_threshold=voting.Threshold(Fraction(3, 5))))
    with pytest.raises(ValidationError):  # half or more would let a tie pass
        rules.check_rules(RulesVersion(day, pass_threshold=voting.Threshold(Fraction(1, 2))))
    with pytest.raises(ValidationError):  # a two-thirds item asking less than an ordinary one
        rules.check_rules(
            RulesVersion(
                day, pass_threshold=voting.Threshold(Fraction(3, 4)), two_thirds=voting.COUNCIL_TWO_THIRDS
            )
        )
    with pytest.raises(ValidationError):
        rules.threshold(2, 0, False)
    assert rules.threshold(4, 6, False) == voting.Threshold(Fraction(2, 3))


def test_meeting_states_and_transitions() -> None:
    label = rules.meeting_label(3)
    assert rules.state_after_attendance(rules.PLANNED, True, label) == rules.HELD
    assert rules.state_after_attendance(rules.PLANNED, False, label) == rules.NOT_HELD
    assert rules.state_after_attendance(rules.NOT_HELD, True, label) == rules.HELD  # attendance corrected
    assert rules.check_transition(rules.HELD, rules.FINALISED, label) == rules.FINALISED
    assert rules.check_transition(rules.NOT_HELD, rules.FINALISED, label) == rules.FINALISED
    with pytest.raises(ValidationError):
        rules.check_transition(rules.PLANNED, rules.FINALISED, label)
    with pytest.raises(FinalisedRecord):
        rules.check_transition(rules.FINALISED, rules.HELD, label)
    with pytest.raises(FinalisedRecord):
        _meeting_actions(state=rules.FINALISED).require(rules.EDIT_MEETING)


def test_votes_only_at_a_meeting_held() -> None:
    i18n.set_language("en")
    item = rules.ItemFacts("修缮村东水渠", for_vote=True, voted=False)
    rules.item_actions(CLERK, _facts(state=rules.HELD), item).require(rules.VOTE)
    with pytest.raises(ValidationError) as err:
        rules.item_actions(CLERK, _facts(state=rules.NOT_HELD), item).require(rules.VOTE)
    assert "quorum was not met" in err.value.message()
    with pytest.raises(ValidationError):
        rules.item_actions(CLERK, _facts(state=rules.PLANNED), item).require(rules.VOTE)
    with pytest.raises(FinalisedRecord):
        rules.item_actions(CLERK, _facts(state=rules.FINALISED), item).require(rules.VOTE)


def test_numbers() -> None:
    assert rules.next_number([]) == 1
    assert rules.next_number([1, 2, 5, None]) == 6  # never one given before
    assert rules.resolution_number(2026, 3) == "〔2026〕议字第3号"
    i18n.set_language("en")
    assert rules.meeting_label(3) == "Meeting no. 3"


@pytest.mark.parametrize(
    ("text", "clean"),
    [("14:30", "14:30"), ("9:05", "09:05"), ("14：30", "14:30"), ("1430", "14:30"), ("9点", "09:00"),
     ("14点30分", "14:30"), ("", ""), ("  ", "")],
)  # fmt: skip
def test_times(text: str, clean: str) -> None:
    assert rules.check_time(text) == clean


@pytest.mark.parametrize("text", ["25:00", "14:61", "afternoon", "1:2"])
def test_bad_times(text: str) -> None:
    with pytest.raises(ValidationError):
        rules.check_time(text)


def test_a_meeting_needs_its_place_and_people_and_lies_within_the_term() -> None:
    ok = rules.MeetingInput(
        date(2025, 3, 1), " 村委会会议室 ", "14:30", rules.Person("王建国"), rules.Person("王建国"),
        rules.Person(villager_id=7),
    )  # fmt: skip
    clean = rules.check_meeting(ok, TERM)
    assert clean.place == "村委会会议室" and clean.recorder == rules.Person("", 7)
    with pytest.raises(ValidationError) as err:
        rules.check_meeting(rules.MeetingInput(date(2025, 3, 1), ""), TERM)
    assert err.value.field == "place"
    with pytest.raises(ValidationError):
        rules.check_meeting(rules.MeetingInput(date(2025, 3, 1), "会议室"), TERM)  # nobody chairs
    with pytest.raises(ValidationError):
        rules.check_meeting(
            ok.__class__(date(2029, 1, 1), "会议室", "", ok.convener, ok.chair, ok.recorder), TERM
        )


def test_attendance_covers_every_expected_member_once() -> None:
    expected = {1: "王建国", 2: "李秀英", 3: "张志刚"}
    entries = [rules.AttendanceInput(1, True), rules.AttendanceInput(2, False, " 外出务工 ")]
    with pytest.raises(ValidationError) as err:
        rules.check_attendance(entries, expected)
    assert "张志刚" in err.value.message()
    clean = rules.check_attendance([*entries, rules.AttendanceInput(3, True, "ignored")], expected)
    assert [(e.member_id, e.reason) for e in clean] == [(1, ""), (2, "外出务工"), (3, "")]
    with pytest.raises(ValidationError):
        rules.check_attendance(
            [*entries, rules.AttendanceInput(3, True), rules.AttendanceInput(1, False)], expected
        )
    with pytest.raises(ValidationError):
        rules.check_attendance(
            [*entries, rules.AttendanceInput(3, True), rules.AttendanceInput(9, True)], expected
        )


def test_only_members_present_step_aside_and_vote() -> None:
    present = {1: "王建国", 2: "李秀英", 3: "张志刚"}
    assert rules.check_recusals([rules.RecusalInput(2, "近亲属承包")], present)[0].reason == "近亲属承包"
    with pytest.raises(ValidationError):
        rules.check_recusals([rules.RecusalInput(4)], present)
    eligible = {1: "王建国", 3: "张志刚"}
    counts = rules.roll_call_counts({1: rules.FOR, 3: rules.ABSTAIN}, eligible)
    assert counts == rules.VoteCounts(1, 0, 1)
    with pytest.raises(ValidationError):  # stepped aside
        rules.roll_call_counts({2: rules.FOR}, eligible)
    with pytest.raises(ValidationError):
        rules.roll_call_counts({1: "maybe"}, eligible)


def test_items_and_observers() -> None:
    item = rules.check_item(rules.ItemInput(" 修缮村东水渠 ", "张志刚", "渠道渗漏", needs_two_thirds=True))
    assert item.title == "修缮村东水渠"
    with pytest.raises(ValidationError):
        rules.check_item(rules.ItemInput(""))
    with pytest.raises(ValidationError):
        rules.check_item(rules.ItemInput("听取汇报", needs_two_thirds=True, for_vote=False))
    assert rules.check_observer(" 陈淑芬 ", rules.SUPERVISORY, "监委会主任") == (
        "陈淑芬",
        "supervisory",
        "监委会主任",
    )
    with pytest.raises(ValidationError):
        rules.check_observer("陈淑芬", "press")


def test_sign_off_dates() -> None:
    meeting, today = date(2025, 3, 1), date(2025, 3, 10)
    assert rules.check_sign_date(date(2025, 3, 1), meeting, today) == meeting
    with pytest.raises(ValidationError):
        rules.check_sign_date(date(2025, 2, 28), meeting, today)
    with pytest.raises(ValidationError):
        rules.check_sign_date(date(2025, 3, 11), meeting, today)
    with pytest.raises(ValidationError):
        rules.check_signer("secretary")


def test_amendments_correct_texts_with_a_reason_never_votes() -> None:
    assert rules.check_amendment("minutes.text", "原文", "更正后", " 笔误 ") == ("更正后", "笔误")
    assert rules.check_amendment("meeting.time", "14:30", "1500", "记错时间") == ("15:00", "记错时间")
    with pytest.raises(ValidationError):
        rules.check_amendment("minutes.text", "原文", "原文", "笔误")  # nothing corrected
    with pytest.raises(ValidationError):
        rules.check_amendment("minutes.text", "原文", "更正后", "")  # no reason
    with pytest.raises(ValidationError):
        rules.check_amendment("vote.for_", "5", "6", "点错了")


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("〔2026〕议字第6号", (2026, 6)),
        ("[2026]议字第6号", (2026, 6)),
        ("2026议字第6号", (2026, 6)),
        (" 议字第 6 号 ", (None, 6)),
        ("议字6", (None, 6)),
        ("6", None),  # an id, not a number
        ("第6号", None),
        ("〔2026〕1号", None),  # a notice's number
    ],
)
def test_a_resolution_number_as_a_clerk_types_it(typed: str, parsed: tuple[int | None, int] | None) -> None:
    assert rules.parse_resolution_number(typed) == parsed


# --- what may be done now ---------------------------------------------------------------------------


def test_the_room_offers_a_term_first_and_rules_to_the_secretary_alone() -> None:
    none = rules.room_actions(CLERK, has_council=False)
    assert none.may(rules.NEW_TERM)
    for action in (rules.EDIT_TERM, rules.NEW_MEETING, rules.ADD_MEMBER):
        assert none.why_not(action) == "请先建立本届议事会。"
    clerk = rules.room_actions(CLERK, has_council=True)
    assert clerk.may(rules.NEW_MEETING) and clerk.may(rules.ADD_MEMBER)
    assert clerk[rules.NEW_RULES] is not None and clerk[rules.NEW_RULES].reason == ROLE
    assert clerk.why_not(rules.NEW_RULES) == "只有书记可以审批；您当前的登录身份是文书。"
    assert rules.room_actions(SECRETARY, has_council=True).may(rules.NEW_RULES)
    for role in (SUPERVISOR, REVIEWER):
        assert not any(rules.room_actions(role, has_council=True).may(a) for a in rules.ROOM_ACTIONS)
    with pytest.raises(PermissionDenied):
        rules.room_actions(SUPERVISOR, has_council=True).require(rules.NEW_MEETING)


def test_a_meeting_is_removed_only_while_planned_and_never_once_numbered() -> None:
    assert _meeting_actions(state=rules.PLANNED).may(rules.DELETE_MEETING)
    numbered = _meeting_actions(state=rules.PLANNED, numbered=True)
    assert numbered.why_not(rules.DELETE_MEETING) == "本次会议已有议题编了决议号，会议不能删除。"
    held = _meeting_actions()
    assert held.why_not(rules.DELETE_MEETING) == "第3次会议目前为“已召开”，只有筹备中的会议才能删除。"


def test_a_standing_signature_locks_the_record_until_withdrawn_and_finalised_is_final() -> None:
    open_ = _meeting_actions()
    assert all(open_.may(a) for a in (rules.EDIT_MEETING, rules.ADD_ITEM, rules.ADD_OBSERVER, rules.MINUTES))
    signed = _meeting_actions(chair_signed_on=date(2026, 11, 21))
    refusal = signed[rules.EDIT_MEETING]
    assert refusal is not None and refusal.reason == STATE
    assert signed.why_not(rules.EDIT_MEETING) == (
        "主持人已于2026年11月21日在第3次会议的记录上签字；如需修改，请先撤回签字。"
    )
    assert signed.may(rules.withdraw_action("chair")) and not signed.may(rules.withdraw_action("recorder"))
    assert signed.may(rules.WITHDRAW_SIGNATURE) and not signed.may(rules.CORRECT)
    final = _meeting_actions(
        state=rules.FINALISED, chair_signed_on=date(2026, 11, 21), recorder_signed_on=date(2026, 11, 22)
    )
    assert final[rules.EDIT_MEETING] is not None and final[rules.EDIT_MEETING].reason == FINAL
    assert not final.may(rules.WITHDRAW_SIGNATURE) and not final.may(rules.SIGN_OFF)
    assert final.may(rules.CORRECT) and final.may(rules.PRINT_MINUTES)
    with pytest.raises(FinalisedRecord):
        final.require(rules.withdraw_action("recorder"))
    assert not _meeting_actions(role=SUPERVISOR, state=rules.FINALISED).may(rules.CORRECT)


def test_attendance_is_taken_on_the_day_or_after_and_not_once_votes_are_in() -> None:
    planned = {"state": rules.PLANNED}
    assert _meeting_actions(today=HELD_ON, **planned).may(rules.RECORD_ATTENDANCE)  # on the day itself
    early = _meeting_actions(today=date(2026, 11, 19), **planned)
    assert (
        early.why_not(rules.RECORD_ATTENDANCE)
        == "第3次会议定于2026年11月20日召开，出席情况须在当天或之后登记。"
    )
    nobody = _meeting_actions(expected=0, **planned)
    assert nobody.why_not(rules.RECORD_ATTENDANCE) == "2026年11月20日议事会没有在任成员，请先添加成员。"
    assert not _meeting_actions(**planned).may(rules.CLEAR_ATTENDANCE)
    assert _meeting_actions().may(rules.RECORD_ATTENDANCE) and _meeting_actions().may(rules.CLEAR_ATTENDANCE)
    voted = _meeting_actions(has_votes=True)
    assert not voted.may(rules.RECORD_ATTENDANCE) and not voted.may(rules.CLEAR_ATTENDANCE)


def test_the_record_is_signed_once_held_every_item_voted_by_a_named_signer() -> None:
    planned = _meeting_actions(state=rules.PLANNED)
    assert planned.why_not(rules.SIGN_OFF) == "第3次会议还没有召开。"
    assert planned.why_not(rules.PRINT_MINUTES) == "第3次会议还没有召开。"
    waiting = _meeting_actions(unvoted=((2, "集体鱼塘重新发包"),))
    assert waiting.why_not(rules.SIGN_OFF) == (
        "第2项议题（集体鱼塘重新发包）还没有表决：请登记表决，或将其改为不表决的议题。"
    )
    # A 流会 takes no votes: its record is signed as it is.
    assert _meeting_actions(state=rules.NOT_HELD, unvoted=((1, "机动地租金调整"),)).may(rules.SIGN_OFF)
    # Who chaired is not said: only the recorder may sign, and the button stays usable for that.
    unnamed = _meeting_actions(chair="")
    assert not unnamed.may(rules.sign_action("chair")) and unnamed.may(rules.sign_action("recorder"))
    assert unnamed.may(rules.SIGN_OFF)
    after_chair = _meeting_actions(chair_signed_on=date(2026, 11, 21))
    assert not after_chair.may(rules.sign_action("chair")) and after_chair.may(rules.SIGN_OFF)
    assert after_chair.why_not(rules.sign_action("chair")) == "王建国已于2026年11月21日签字。"
    assert not _meeting_actions(role=SUPERVISOR).may(rules.SIGN_OFF)
    assert _meeting_actions().why_not(rules.WITHDRAW_SIGNATURE) == "没有可撤回的签字。"
    with pytest.raises(ValidationError):
        rules.sign_action("secretary")


def test_items_are_voted_stepped_aside_cleared_and_removed_by_their_state() -> None:
    held, planned = _facts(), _facts(state=rules.PLANNED)
    fresh = rules.ItemFacts("修缮村东水渠", for_vote=True, voted=False)
    voted = replace(fresh, voted=True)
    passed = replace(voted, resolution_number="〔2026〕议字第3号")
    void = replace(passed, voted=False, resolution_void=True)
    heard = rules.ItemFacts("监委会工作通报", for_vote=False, voted=False)
    allowed = rules.item_actions(CLERK, held, fresh)
    assert allowed.may(rules.VOTE) and allowed.may(rules.RECUSALS) and allowed.may(rules.REMOVE_ITEM)
    assert allowed.why_not(rules.CLEAR_VOTE) == "议题“修缮村东水渠”还没有表决，无需清除。"
    assert "没有决议" in (allowed.why_not(rules.RESOLUTION) or "")
    assert not rules.item_actions(CLERK, planned, fresh).may(rules.VOTE)
    assert rules.item_actions(CLERK, planned, fresh).may(rules.EDIT_ITEM)
    after = rules.item_actions(CLERK, held, voted)
    assert after.may(rules.VOTE) and after.may(rules.CLEAR_VOTE)  # a vote is entered again until signed
    assert not after.may(rules.RECUSALS) and not after.may(rules.REMOVE_ITEM)
    numbered = rules.item_actions(CLERK, held, passed)
    assert numbered.may(rules.RESOLUTION) and numbered.may(rules.PRINT_RESOLUTION)
    assert "〔2026〕议字第3号" in (numbered.why_not(rules.REMOVE_ITEM) or "")
    gone = rules.item_actions(CLERK, held, void)
    assert gone.why_not(rules.PRINT_RESOLUTION) == (
        "决议〔2026〕议字第3号已作废：该议题的表决结果已改为未通过。"
    )
    assert not gone.may(rules.REMOVE_ITEM), "a number once given stays in the record"
    for action in (rules.VOTE, rules.RECUSALS):
        assert rules.item_actions(CLERK, held, heard).why_not(action) == "议题“监委会工作通报”不进行表决。"
    reader = rules.item_actions(SUPERVISOR, held, passed)
    assert reader.may(rules.PRINT_RESOLUTION) and not reader.may(rules.RESOLUTION)
    signed = rules.item_actions(CLERK, _facts(recorder_signed_on=date(2026, 11, 22)), fresh)
    assert not signed.may(rules.VOTE) and not signed.may(rules.EDIT_ITEM)


def test_a_seat_with_attendance_on_record_is_ended_not_removed() -> None:
    assert rules.seat_actions(CLERK, attended=False).may(rules.REMOVE_SEAT)
    attended = rules.seat_actions(CLERK, attended=True)
    assert attended.may(rules.EDIT_SEAT) and attended.may(rules.CHANGE_ROLE)
    assert attended.why_not(rules.REMOVE_SEAT) == "该成员已有出席记录，不能删除，请填写离任日期。"
    assert not any(rules.seat_actions(SUPERVISOR, attended=False).may(a) for a in rules.SEAT_ACTIONS)


def test_who_signed_is_one_sentence_for_the_paper_and_the_screen() -> None:
    signed = date(2026, 11, 21)
    assert rules.signatures_sentence(None, None) == "尚未经主持人、记录人签字确认"
    assert rules.signatures_sentence(signed, None) == "主持人已签字，记录人尚未签字确认"
    assert rules.signatures_sentence(None, signed) == "记录人已签字，主持人尚未签字确认"
    assert rules.signatures_sentence(signed, signed) == "已经主持人、记录人签字确认"
    i18n.set_language("en")
    assert rules.signatures_sentence(signed, None) == "Signed by the chair; the recorder has not signed yet"
