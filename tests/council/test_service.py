"""The 村民议事会 service on a real database (SQLite, and PostgreSQL when VILLAGEGOV_TEST_PG is set)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

import peewee
import pytest

from tests.conftest import set_up_village
from villagegov import schema
from villagegov.accounts import service as accounts
from villagegov.core import audit, i18n, voting
from villagegov.core.actor import SECRETARY, SUPERVISOR, Actor
from villagegov.core.errors import FinalisedRecord, NotFound, PermissionDenied, ValidationError
from villagegov.council import rules, service
from villagegov.council.demo_data import add_demo_council
from villagegov.council.rules import AttendanceInput, ItemInput, MeetingInput, Person, RecusalInput
from villagegov.roster import service as roster
from villagegov.roster.rules import FEMALE, MALE, VillagerInput

TODAY = date(2026, 6, 30)
TERM_START, TERM_END = date(2025, 1, 1), date(2029, 12, 31)
NAMES = ("王建国", "李秀英", "张志刚", "刘桂兰", "陈卫东", "杨春燕", "赵德福", "黄丽华", "周海涛", "吴红梅",
         "孙立新", "郑晓燕")  # fmt: skip
ROLES = (rules.CHAIR, rules.VICE_CHAIR, rules.VICE_CHAIR, *[rules.MEMBER] * 6)


@dataclass
class Village:
    clerk: Actor
    villagers: list[int]
    council: service.CouncilRow
    seats: list[service.MemberRow]

    @property
    def secretary(self) -> Actor:
        return Actor(None, "shuji", "王书记", SECRETARY, self.clerk.village_id)


def _roster(clerk: Actor) -> list[int]:
    group = roster.add_group(clerk, "第一村民小组")
    ids = []
    for n, name in enumerate(NAMES):
        household = roster.add_household(clerk, group.id, f"01-{n + 1:03d}")
        row = roster.add_villager(
            clerk,
            VillagerInput(name, household, "head", gender=MALE if n % 2 == 0 else FEMALE,
                          birth_date=date(1960 + n, 3, 1), party_member=n < 4),
            TODAY,
        )  # fmt: skip
        ids.append(row.id)
    return ids


def _village(clerk: Actor) -> Village:
    villagers = _roster(clerk)
    council = service.create_council(clerk, TERM_START, TERM_END)
    seats = [
        service.add_member(clerk, council.id, villager, role, TERM_START)
        for villager, role in zip(villagers, ROLES, strict=False)
    ]
    return Village(clerk, villagers, council, seats)


@pytest.fixture
def village(any_clerk: Actor) -> Village:
    return _village(any_clerk)


def _plan(v: Village, day: date = date(2025, 3, 1), *items: ItemInput) -> service.MeetingDetail:
    chair = Person(villager_id=v.seats[0].villager_id)
    data = MeetingInput(day, "村委会会议室", "14:30", chair, chair, Person("李文书"))
    meeting = service.create_meeting(v.clerk, v.council.id, data)
    for item in items:
        service.add_item(v.clerk, meeting.id, item)
    return service.get_meeting(v.clerk, meeting.id)


def _attend(v: Village, meeting: service.MeetingDetail, absent: int) -> service.MeetingDetail:
    """Everyone comes except the last `absent` members on the list."""
    seats = [a.member_id for a in meeting.attendance]
    entries = [
        AttendanceInput(s, n < len(seats) - absent, "外出务工" if n >= len(seats) - absent else "")
        for n, s in enumerate(seats)
    ]
    return service.record_attendance(v.clerk, meeting.id, entries, today=TODAY)


def _sign(v: Village, meeting_id: int) -> service.MeetingDetail:
    service.sign_off(v.clerk, meeting_id, "chair", date(2025, 3, 2), today=TODAY)
    return service.sign_off(v.clerk, meeting_id, "recorder", date(2025, 3, 3), today=TODAY)


def _audit_clean() -> None:
    assert audit.verify_database_chain() == []
    assert audit.verify_records(schema.AUDITED_MODELS) == []


# --- the council and its members ---------------------------------------------------------------------


def test_a_council_starts_with_the_default_rules_and_its_members_in_order(village: Village) -> None:
    v = village
    assert v.council.name == "青石村村民议事会"
    (version,) = service.council_rules(v.clerk, v.council.id)
    assert version.effective_from == TERM_START
    assert version.quorum == voting.Threshold(Fraction(2, 3))
    assert version.pass_threshold == voting.Threshold(Fraction(1, 2), strict=True)
    assert version.two_thirds == voting.Threshold(Fraction(2, 3))
    members = service.list_members(v.clerk, v.council.id)
    assert [m.name for m in members] == list(NAMES[:9])
    assert [m.role for m in members][:3] == [rules.CHAIR, rules.VICE_CHAIR, rules.VICE_CHAIR]
    assert members[0].group == "第一村民小组"
    with pytest.raises(ValidationError) as err:  # one chair at a time
        service.add_member(v.clerk, v.council.id, v.villagers[9], rules.CHAIR, date(2025, 6, 1))
    assert "王建国" in err.value.message()
    with pytest.raises(ValidationError):  # the same villager twice
        service.add_member(v.clerk, v.council.id, v.villagers[1], rules.MEMBER, date(2025, 6, 1))
    with pytest.raises(ValidationError):  # terms of one village do not overlap
        service.create_council(v.clerk, date(2029, 12, 31), date(2034, 12, 31))
    following = service.create_council(
        v.clerk, date(2030, 1, 1), date(2034, 12, 31), "青石村第二届村民议事会"
    )
    assert [c.id for c in service.list_councils(v.clerk)] == [following.id, v.council.id]
    assert service.council_on(v.clerk, date(2030, 5, 1)) == following
    _audit_clean()


def test_a_seat_change_may_not_rewrite_a_recorded_meeting(village: Village) -> None:
    v = village
    meeting = _attend(v, _plan(v, date(2025, 3, 1), ItemInput("修缮村东水渠")), absent=0)
    last = v.seats[-1]
    with pytest.raises(ValidationError):  # would take a member away from the recorded meeting
        service.update_member(v.clerk, last.id, last.role, date(2025, 3, 2))
    with pytest.raises(ValidationError):  # would add someone to it
        service.add_member(v.clerk, v.council.id, v.villagers[9], rules.MEMBER, date(2025, 2, 1))
    with pytest.raises(ValidationError):
        service.remove_member(v.clerk, last.id)
    ended = service.update_member(v.clerk, last.id, last.role, last.joined_on, date(2025, 6, 1))
    assert ended.left_on == date(2025, 6, 1)
    service.add_member(v.clerk, v.council.id, v.villagers[9], rules.MEMBER, date(2025, 6, 1))
    later = _plan(v, date(2025, 7, 1))
    assert [a.name for a in later.attendance][-1] == NAMES[9]
    assert service.get_meeting(v.clerk, meeting.id).expected == 9
    promoted = service.change_role(v.clerk, v.seats[3].id, rules.VICE_CHAIR, date(2025, 8, 1))
    assert (promoted.role, promoted.joined_on) == (rules.VICE_CHAIR, date(2025, 8, 1))
    _audit_clean()


# --- a meeting from plan to finalised --------------------------------------------------------------


def test_the_clerks_path_from_plan_to_finalised_minutes(village: Village) -> None:
    v = village
    i18n.set_language("en")
    meeting = _plan(
        v, date(2025, 3, 1),
        ItemInput("修缮村东水渠", "张志刚", "渠道渗漏"),
        ItemInput("集体鱼塘重新发包", "村民委员会"),
        ItemInput("修订村规民约", "村党支部", needs_two_thirds=True),
    )  # fmt: skip
    assert (meeting.number, meeting.state, meeting.expected, meeting.quorum_needed) == (
        1,
        rules.PLANNED,
        9,
        6,
    )
    assert meeting.chair.name == "王建国" and meeting.recorder == Person("李文书")
    service.add_observer(v.clerk, meeting.id, "陈淑芬", rules.SUPERVISORY, "监委会主任")
    with pytest.raises(ValidationError):  # no votes before the attendance
        service.record_votes(v.clerk, meeting.items[0].id, 5, 0, 0)
    with pytest.raises(ValidationError):  # not before the day
        service.record_attendance(v.clerk, meeting.id, [], today=date(2025, 2, 28))

    meeting = _attend(v, meeting, absent=1)
    assert (meeting.state, meeting.quorum_met, meeting.present) == (rules.HELD, True, 8)
    canal, pond, customs = meeting.items
    absent_seat = meeting.attendance[-1].member_id
    with pytest.raises(ValidationError):  # only members present step aside
        service.set_recusals(v.clerk, pond.id, [RecusalInput(absent_seat)])
    conflicted = meeting.attendance[4]
    service.set_recusals(v.clerk, pond.id, [RecusalInput(conflicted.member_id, "近亲属为现承包人")])

    passed = service.record_votes(v.clerk, canal.id, 5, 2, 1)
    assert passed.vote is not None and passed.vote.outcome == voting.PASSED and passed.vote.needed == 5
    assert passed.resolution is not None and passed.resolution.number == "〔2025〕议字第1号"

    before = audit.AuditEntry.select().count()
    with pytest.raises(ValidationError) as err:  # 9 votes, 8 present
        service.record_votes(v.clerk, canal.id, 6, 2, 1)
    assert "8" in err.value.message()
    with pytest.raises(ValidationError):
        service.record_votes(v.clerk, canal.id, -1, 0, 0)
    assert audit.AuditEntry.select().count() == before  # nothing half-written

    eligible = [a.member_id for a in meeting.attendance if a.status == rules.PRESENT]
    eligible.remove(conflicted.member_id)
    with pytest.raises(ValidationError):  # the member who stepped aside does not vote
        service.record_roll_call(v.clerk, pond.id, {conflicted.member_id: rules.FOR})
    roll = {m: rules.FOR for m in eligible[:4]} | {m: rules.AGAINST for m in eligible[4:]}
    pond_row = service.record_roll_call(v.clerk, pond.id, roll)
    assert pond_row.vote is not None
    assert (pond_row.vote.for_, pond_row.vote.against, pond_row.vote.eligible) == (4, 3, 7)
    assert pond_row.vote.outcome == voting.PASSED  # 4 of 7 eligible; it would be exactly half of 8
    assert pond_row.resolution is not None and pond_row.resolution.number == "〔2025〕议字第2号"

    failed = service.record_votes(v.clerk, customs.id, 5, 2, 1)
    assert failed.vote is not None and failed.vote.outcome == voting.NOT_PASSED  # 5 of 8 < 2/3
    assert failed.vote.needed == 6 and failed.resolution is None

    service.set_minutes(v.clerk, meeting.id, "会议由王建国主持。")
    service.set_minutes(v.clerk, meeting.id, "成员同意修缮。", canal.id)
    service.update_resolution(
        v.clerk, passed.resolution.id, "关于修缮村东水渠的决议", "同意修缮，预算12万元。"
    )

    signed = service.sign_off(v.clerk, meeting.id, "chair", date(2025, 3, 2), today=TODAY)
    assert signed.state == rules.HELD and signed.chair_signed_on == date(2025, 3, 2)
    with pytest.raises(ValidationError) as err:  # a signature stands on the record
        service.set_minutes(v.clerk, meeting.id, "改一下")
    assert "signed" in err.value.message()
    final = service.sign_off(v.clerk, meeting.id, "recorder", date(2025, 3, 3), today=TODAY)
    assert final.state == rules.FINALISED and final.finalised_at is not None

    for locked in (
        lambda: service.add_item(v.clerk, meeting.id, ItemInput("临时动议")),
        lambda: service.record_votes(v.clerk, customs.id, 6, 2, 0),
        lambda: service.clear_vote(v.clerk, canal.id),
        lambda: service.set_minutes(v.clerk, meeting.id, "改一下"),
        lambda: service.update_meeting(v.clerk, meeting.id, final.as_input()),
        lambda: service.withdraw_sign_off(v.clerk, meeting.id, "chair"),
    ):
        with pytest.raises(FinalisedRecord):
            locked()

    minutes_id = final.items[0].minutes_id
    assert minutes_id is not None
    amendment = service.amend(
        v.clerk, meeting.id, "minutes.text", minutes_id, "成员同意修缮，秋收后施工。", "漏记施工时间",
        now=datetime(2025, 3, 10, 9),
    )  # fmt: skip
    assert (amendment.original, amendment.corrected) == ("成员同意修缮。", "成员同意修缮，秋收后施工。")
    assert service.get_meeting(v.clerk, meeting.id).items[0].minutes == "成员同意修缮，秋收后施工。"
    with pytest.raises(ValidationError):  # votes stand as finalised
        service.amend(v.clerk, meeting.id, "vote.for_", canal.id, "6", "点错了")
    with pytest.raises(NotFound):  # a part of another record
        service.amend(v.clerk, meeting.id, "minutes.text", 99_999, "x", "y")

    doc = service.minutes_document(v.clerk, meeting.id)
    assert doc.final and doc.held and (doc.expected, doc.present, doc.quorum_needed) == (9, 8, 6)
    assert doc.present_names[0] == "王建国" and doc.absent == (service.AbsenceLine(NAMES[8], "外出务工"),)
    assert doc.observers[0].name == "陈淑芬"
    assert [i.vote.outcome for i in doc.items if i.vote] == [voting.PASSED, voting.PASSED, voting.NOT_PASSED]
    assert doc.items[1].recused == (service.AbsenceLine(conflicted.name, "近亲属为现承包人"),)
    assert [i.resolution_number for i in doc.items] == ["〔2025〕议字第1号", "〔2025〕议字第2号", ""]
    assert doc.items[0].minutes == "成员同意修缮，秋收后施工。"
    assert doc.amendments[0].original == "成员同意修缮。" and doc.amendments[0].reason == "漏记施工时间"
    assert (doc.chair_signed_on, doc.recorder_signed_on) == (date(2025, 3, 2), date(2025, 3, 3))
    _audit_clean()


def test_quorum_not_met_means_not_held_and_no_votes(village: Village) -> None:
    v = village
    i18n.set_language("en")
    meeting = _attend(v, _plan(v, date(2025, 3, 1), ItemInput("修缮村东水渠")), absent=4)  # 5 of 9
    assert (meeting.state, meeting.quorum_met, meeting.present) == (rules.NOT_HELD, False, 5)
    with pytest.raises(ValidationError) as err:
        service.record_votes(v.clerk, meeting.items[0].id, 5, 0, 0)
    assert "quorum was not met" in err.value.message()
    with pytest.raises(ValidationError):
        service.set_recusals(v.clerk, meeting.items[0].id, [])
    row = service.list_meetings(v.clerk, 2025)[0]
    assert (row.state, row.expected, row.present, row.resolutions) == (rules.NOT_HELD, 9, 5, 0)
    # One more came after all (the sign-in sheet was misread): the attendance is redone, and it is held.
    assert _attend(v, service.get_meeting(v.clerk, meeting.id), absent=3).state == rules.HELD
    meeting = _attend(v, service.get_meeting(v.clerk, meeting.id), absent=4)
    final = _sign(v, meeting.id)  # a 流会 is signed too; its items need no votes
    assert final.state == rules.FINALISED and final.quorum_met is False
    doc = service.minutes_document(v.clerk, meeting.id)
    assert not doc.held and doc.items[0].vote is None
    _audit_clean()


def test_exactly_two_thirds_present_is_a_quorum(village: Village) -> None:
    v = village
    assert _attend(v, _plan(v, date(2025, 3, 1)), absent=3).state == rules.HELD  # 6 of 9
    assert _attend(v, _plan(v, date(2025, 3, 2)), absent=4).state == rules.NOT_HELD  # 5 of 9


def test_resolution_numbers_run_per_year_and_are_never_given_again(village: Village) -> None:
    v = village
    meeting = _attend(v, _plan(v, date(2025, 3, 1), ItemInput("甲"), ItemInput("乙")), absent=0)
    first, second = meeting.items
    assert service.record_votes(v.clerk, first.id, 9, 0, 0).resolution.number == "〔2025〕议字第1号"
    voided = service.clear_vote(v.clerk, first.id)
    assert voided.resolution is not None and voided.resolution.void
    assert service.record_votes(v.clerk, second.id, 9, 0, 0).resolution.number == "〔2025〕议字第2号"
    failed = service.record_votes(v.clerk, first.id, 4, 5, 0)  # corrected: it did not pass
    assert failed.resolution is not None and failed.resolution.void
    assert [r.number for r in service.list_resolutions(v.clerk, 2025)] == ["〔2025〕议字第2号"]
    restored = service.record_votes(v.clerk, first.id, 7, 2, 0)  # and corrected back: the same number
    assert restored.resolution is not None and not restored.resolution.void
    assert restored.resolution.number == "〔2025〕议字第1号"
    with pytest.raises(ValidationError):  # an item with a number stays on the record
        service.delete_item(v.clerk, first.id)
    next_year = _attend(v, _plan(v, date(2026, 1, 10), ItemInput("丙")), absent=0)
    assert next_year.number == 2  # meetings are numbered per term, not per year
    row = service.record_votes(v.clerk, next_year.items[0].id, 6, 3, 0)
    assert row.resolution is not None and row.resolution.number == "〔2026〕议字第1号"
    _audit_clean()


def test_rules_are_versioned_by_date_and_set_by_the_secretary(village: Village) -> None:
    v = village
    held = _attend(v, _plan(v, date(2025, 3, 1), ItemInput("甲", needs_two_thirds=True)), absent=0)
    three_quarters = voting.Threshold(Fraction(3, 4))
    with pytest.raises(PermissionDenied):  # the clerk keeps the records, the secretary sets the rules
        service.set_council_rules(v.clerk, v.council.id, date(2025, 4, 1), three_quarters,
                                  voting.COUNCIL_PASS, three_quarters)  # fmt: skip
    with pytest.raises(ValidationError):  # a meeting was held under the old rules that day
        service.set_council_rules(v.secretary, v.council.id, date(2025, 3, 1), three_quarters,
                                  voting.COUNCIL_PASS, three_quarters)  # fmt: skip
    with pytest.raises(ValidationError):  # a tie may not pass
        service.set_council_rules(v.secretary, v.council.id, date(2025, 4, 1), three_quarters,
                                  voting.Threshold(Fraction(1, 2)), three_quarters)  # fmt: skip
    service.set_council_rules(v.secretary, v.council.id, date(2025, 4, 1), three_quarters,
                              voting.COUNCIL_PASS, three_quarters)  # fmt: skip
    # 6 of 9 present: a quorum under 2/3 (exactly), not under 3/4 (which needs 7).
    assert _attend(v, _plan(v, date(2025, 3, 20)), absent=3).state == rules.HELD
    later = _attend(v, _plan(v, date(2025, 4, 1), ItemInput("乙", needs_two_thirds=True)), absent=3)
    assert later.state == rules.NOT_HELD and later.quorum_needed == 7
    assert service.rules_in_force(v.clerk, v.council.id, date(2025, 3, 31)).quorum.fraction == Fraction(2, 3)
    # The first meeting keeps its rules: 6 of 9 is two-thirds, enough there.
    assert service.record_votes(v.clerk, held.items[0].id, 6, 3, 0).vote.outcome == voting.PASSED
    again = _attend(v, service.get_meeting(v.clerk, later.id), absent=0)
    assert service.record_votes(v.clerk, again.items[0].id, 6, 3, 0).vote.outcome == voting.NOT_PASSED
    _audit_clean()


def test_attendance_can_be_redone_until_votes_are_in(village: Village) -> None:
    v = village
    meeting = _attend(v, _plan(v, date(2025, 3, 1), ItemInput("甲")), absent=0)
    with pytest.raises(ValidationError):  # the date belongs to the attendance
        service.update_meeting(v.clerk, meeting.id, MeetingInput(date(2025, 3, 8), "会议室", "",
                               meeting.convener, meeting.chair, meeting.recorder))  # fmt: skip
    service.record_votes(v.clerk, meeting.items[0].id, 9, 0, 0)
    with pytest.raises(ValidationError):
        _attend(v, meeting, absent=1)
    with pytest.raises(ValidationError):
        service.clear_attendance(v.clerk, meeting.id)
    service.clear_vote(v.clerk, meeting.items[0].id)
    planned = service.clear_attendance(v.clerk, meeting.id)
    assert planned.state == rules.PLANNED and planned.present == 0
    moved = service.update_meeting(v.clerk, meeting.id, MeetingInput(date(2025, 3, 8), "会议室", "9点",
                                   meeting.convener, meeting.chair, meeting.recorder))  # fmt: skip
    assert (moved.date, moved.time) == (date(2025, 3, 8), "09:00")
    with pytest.raises(ValidationError):  # attendance covers every member expected
        service.record_attendance(v.clerk, meeting.id, [AttendanceInput(v.seats[0].id, True)], today=TODAY)
    _audit_clean()


def test_listing_meetings_by_year_with_their_counts(village: Village) -> None:
    v = village
    first = _attend(v, _plan(v, date(2025, 3, 1), ItemInput("甲"), ItemInput("乙")), absent=1)
    service.record_votes(v.clerk, first.items[0].id, 6, 1, 1)
    service.record_votes(v.clerk, first.items[1].id, 2, 5, 1)
    _plan(v, date(2026, 2, 1), ItemInput("丙"))
    rows = service.list_meetings(v.clerk)
    assert [(r.number, r.date.year) for r in rows] == [(2, 2026), (1, 2025)]
    (row,) = service.list_meetings(v.clerk, 2025)
    assert (row.id, row.number, row.date, row.state) == (first.id, 1, date(2025, 3, 1), rules.HELD)
    assert (row.expected, row.present, row.items, row.resolutions) == (9, 8, 2, 1)
    (planned,) = service.list_meetings(v.clerk, 2026)
    assert (planned.state, planned.expected, planned.present, planned.items) == (rules.PLANNED, 9, 0, 1)
    assert service.list_meetings(v.clerk, 2024) == []


def test_agenda_order(village: Village) -> None:
    v = village
    meeting = _plan(v, date(2025, 3, 1), ItemInput("甲"), ItemInput("乙"), ItemInput("丙"))
    third = meeting.items[2]
    assert [i.title for i in service.move_item(v.clerk, third.id, 1)] == ["丙", "甲", "乙"]
    service.delete_item(v.clerk, meeting.items[0].id)
    assert [(i.order, i.title) for i in service.get_meeting(v.clerk, meeting.id).items] == [
        (1, "丙"),
        (2, "乙"),
    ]


def test_what_a_decision_step_takes_from_an_agenda_item(village: Village) -> None:
    """The 四议两公开 room links a step to an item and reads these facts; nothing is typed twice."""
    v = village
    i18n.set_language("en")
    meeting = _plan(
        v, date(2025, 3, 1), ItemInput("修缮村东水渠"), ItemInput("鱼塘发包", needs_two_thirds=True),
        ItemInput("听取通报", for_vote=False),
    )  # fmt: skip
    canal, pond, report = meeting.items
    waiting = service.agenda_item_facts(v.clerk, canal.id)
    assert (waiting.state, waiting.outcome, waiting.for_, waiting.quorum_met) == (
        rules.PLANNED,
        None,
        None,
        None,
    )
    service.add_observer(v.clerk, meeting.id, "陈淑芬", rules.SUPERVISORY, "监委会主任")
    meeting = _attend(v, meeting, absent=1)
    service.set_recusals(v.clerk, pond.id, [RecusalInput(meeting.attendance[2].member_id, "近亲属承包")])
    row = service.record_votes(v.clerk, canal.id, 5, 2, 1)
    assert row.resolution is not None
    service.update_resolution(v.clerk, row.resolution.id, "关于修缮村东水渠的决议", "同意修缮。")
    service.record_votes(v.clerk, pond.id, 4, 3, 0)  # 4 of 7 eligible: a majority, not two-thirds
    _sign(v, meeting.id)

    facts = service.agenda_item_facts(v.clerk, canal.id)
    assert (facts.meeting_id, facts.meeting_number, facts.meeting_title) == (meeting.id, 1, "Meeting no. 1")
    assert (facts.date, facts.time, facts.place) == (date(2025, 3, 1), "14:30", "村委会会议室")
    assert (facts.chair, facts.recorder, facts.council) == ("王建国", "李文书", "青石村村民议事会")
    assert (facts.state, facts.finalised, facts.quorum_met) == (rules.FINALISED, True, True)
    assert (facts.expected, facts.present, facts.observers) == (9, 8, 1)
    assert (facts.for_, facts.against, facts.abstain, facts.recused, facts.eligible) == (5, 2, 1, 0, 8)
    assert facts.threshold == voting.Threshold(Fraction(1, 2), strict=True) and facts.needed == 5
    assert facts.threshold_text == "more than 1/2 of those present"
    assert facts.outcome == voting.PASSED
    assert (facts.resolution_number, facts.resolution_title, facts.resolution_text) == (
        "〔2025〕议字第1号", "关于修缮村东水渠的决议", "同意修缮。",
    )  # fmt: skip

    failed = service.agenda_item_facts(v.clerk, pond.id)
    assert (failed.for_, failed.recused, failed.eligible, failed.needed) == (4, 1, 7, 5)
    assert failed.threshold == voting.Threshold(Fraction(2, 3))
    assert failed.outcome == voting.NOT_PASSED and failed.resolution_number == ""
    heard = service.agenda_item_facts(v.clerk, report.id)
    assert (heard.for_vote, heard.outcome) == (False, None)

    # A 流会: its items were not voted on, and the step sees why.
    not_held = _attend(v, _plan(v, date(2025, 4, 1), ItemInput("机动地租金")), absent=4)
    facts = service.agenda_item_facts(v.clerk, not_held.items[0].id)
    assert (facts.quorum_met, facts.present, facts.outcome) == (False, 5, voting.QUORUM_NOT_MET)

    listed = service.agenda_items_facts(v.clerk, 2025)
    assert [f.item_id for f in listed] == [not_held.items[0].id, canal.id, pond.id]
    with pytest.raises(NotFound):
        service.agenda_item_facts(v.clerk, 99_999)
    outsider = Actor(99, "x", "x", "clerk", 99)
    with pytest.raises(PermissionDenied):
        service.agenda_item_facts(outsider, canal.id)


def test_documents_for_printing(village: Village) -> None:
    v = village
    meeting = _plan(v, date(2025, 3, 1), ItemInput("修缮村东水渠", "张志刚", "渠道渗漏"))
    service.add_observer(v.clerk, meeting.id, "陈淑芬", rules.SUPERVISORY, "监委会主任")
    notice = service.meeting_notice(v.clerk, meeting.id, today=date(2025, 2, 20))
    assert (notice.village, notice.council, notice.number, notice.time) == (
        "青石村",
        "青石村村民议事会",
        1,
        "14:30",
    )
    assert notice.recipients == NAMES[:9] and notice.items[0].background == "渠道渗漏"
    assert notice.sign_date == date(2025, 2, 20) and notice.chair == "王建国"
    sheet = service.sign_in_sheet(v.clerk, meeting.id)
    assert sheet.expected == 9 and [r.order for r in sheet.rows] == list(range(1, 10))
    assert sheet.rows[0].name == "王建国" and sheet.rows[0].group == "第一村民小组"
    assert sheet.observers[0].name == "陈淑芬" and sheet.blank_observer_rows == 3
    held = _attend(v, meeting, absent=0)
    row = service.record_votes(v.clerk, held.items[0].id, 7, 1, 1)
    assert row.resolution is not None
    doc = service.resolution_document(v.clerk, row.resolution.id)
    assert doc.number == "〔2025〕议字第1号" and doc.title == "修缮村东水渠" and not doc.final
    assert (doc.vote.for_, doc.vote.against, doc.vote.abstain, doc.vote.needed) == (7, 1, 1, 5)
    assert doc.vote.outcome == voting.PASSED and doc.sign_date == date(2025, 3, 1)
    assert doc.vote.threshold and doc.vote.outcome_label and doc.council == "青石村村民议事会"
    service.clear_vote(v.clerk, held.items[0].id)
    with pytest.raises(ValidationError):  # a void resolution is not printed
        service.resolution_document(v.clerk, row.resolution.id)


def test_who_may_do_what(store: peewee.Database) -> None:
    clerk = set_up_village()
    v = _village(clerk)
    accounts.create_user(clerk, "jianwei", "陈淑芬", SUPERVISOR, "mima-5678", "mima-5678")
    supervisor = Actor(None, "jianwei", "陈淑芬", SUPERVISOR, clerk.village_id)
    meeting = _plan(v, date(2025, 3, 1), ItemInput("甲"))
    with pytest.raises(PermissionDenied):
        service.add_item(supervisor, meeting.id, ItemInput("乙"))
    with pytest.raises(PermissionDenied):
        service.sign_off(supervisor, meeting.id, "chair", today=TODAY)
    assert service.get_meeting(supervisor, meeting.id).items[0].title == "甲"  # reading is allowed
    outsider = Actor(99, "x", "x", "clerk", 99)
    with pytest.raises(PermissionDenied):
        service.get_meeting(outsider, meeting.id)
    with pytest.raises(PermissionDenied):
        service.list_meetings(outsider, village_id=clerk.village_id)
    with pytest.raises(NotFound):  # writing goes to one's own village only
        service.add_item(outsider, meeting.id, ItemInput("乙"))
    reviewer = Actor(None, "xiangzhen", "乡镇", "reviewer", None)
    assert len(service.list_meetings(reviewer, village_id=clerk.village_id)) == 1


# --- the demo ------------------------------------------------------------------------------------------


def test_the_demo_council_has_a_year_of_meetings_in_every_state(any_store: peewee.Database) -> None:
    clerk = set_up_village()
    for username, name, role in (("shuji", "王建国", SECRETARY), ("jianwei", "陈淑芬", SUPERVISOR)):
        accounts.create_user(clerk, username, name, role, "mima-5678", "mima-5678")
    group = roster.add_group(clerk, "第一村民小组")
    today = date(2026, 11, 22)
    for n in range(24):
        household = roster.add_household(clerk, group.id, f"01-{n + 1:03d}")
        roster.add_villager(
            clerk,
            VillagerInput(f"村民{n + 1:02d}", household, "head", gender=MALE if n % 3 else FEMALE,
                          birth_date=date(1960 + n, 5, 1), party_member=n % 4 == 0),
            today,
        )  # fmt: skip
    assert clerk.village_id is not None
    demo = add_demo_council(clerk.village_id, today, clerk, random.Random(7))
    assert demo.states == {rules.FINALISED: 6, rules.NOT_HELD: 1, rules.HELD: 1, rules.PLANNED: 1}
    assert demo.meetings == 9 and demo.members == 10 and demo.resolutions >= 9
    meetings = service.list_meetings(clerk, council_id=demo.council_id)
    assert all(today.toordinal() - 365 <= m.date.toordinal() <= today.toordinal() + 14 for m in meetings)
    details = [service.get_meeting(clerk, m.id) for m in meetings]
    outcomes = [i.vote.outcome for d in details for i in d.items if i.vote]
    assert voting.NOT_PASSED in outcomes
    assert any(i.recusals for d in details for i in d.items)
    assert any(i.vote and i.vote.roll_call for d in details for i in d.items)
    assert any(d.amendments for d in details)
    assert len(service.council_rules(clerk, demo.council_id)) == 2
    _audit_clean()
    for d in details:  # every document builds; a meeting not yet held has no minutes to print
        if d.state == rules.PLANNED:
            with pytest.raises(ValidationError):
                service.minutes_document(clerk, d.id)
        else:
            service.minutes_document(clerk, d.id)
        service.sign_in_sheet(clerk, d.id)
    for r in service.list_resolutions(clerk):
        service.resolution_document(clerk, r.id)
