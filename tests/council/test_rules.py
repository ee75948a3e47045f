"""The council room's pure rules: terms, seats, rules versions, meeting states, roll calls, numbers."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from villagegov.core import i18n, voting
from villagegov.core.errors import FinalisedRecord, ValidationError
from villagegov.council import rules
from villagegov.council.rules import Membership, RulesVersion, Term

TERM = Term(date(2024, 1, 1), date(2028, 12, 31), "青石村村民议事会")


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
        rules.check_open(rules.FINALISED, label)


def test_votes_only_at_a_meeting_held() -> None:
    i18n.set_language("en")
    label = rules.meeting_label(2)
    rules.check_can_vote(rules.HELD, label)
    with pytest.raises(ValidationError) as err:
        rules.check_can_vote(rules.NOT_HELD, label)
    assert "quorum was not met" in err.value.message()
    with pytest.raises(ValidationError):
        rules.check_can_vote(rules.PLANNED, label)
    with pytest.raises(FinalisedRecord):
        rules.check_can_vote(rules.FINALISED, label)


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
