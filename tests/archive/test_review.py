"""The township's review of each room: pure functions of a package's records, tested with hand-made
records at their edges (a day before and after each limit)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from villagegov.archive.contract import ReviewFinding
from villagegov.ceremonies import archiving as ceremonies
from villagegov.council import archiving as council
from villagegov.decisions import archiving as decisions
from villagegov.notices import archiving as notices
from villagegov.petitions import archiving as petitions

AS_OF = date(2026, 12, 31)


def day(offset: int) -> str:
    """A day `offset` days before AS_OF, as the records write it."""
    return (AS_OF - timedelta(days=offset)).isoformat()


def msgids(found: list[ReviewFinding]) -> list[str]:
    return [f.msgid for f in found]


def has(found: list[ReviewFinding], part: str) -> bool:
    return any(part in f.msgid for f in found)


# --- 村民议事会 -----------------------------------------------------------------------------------------


def _meeting(**changes: Any) -> dict[str, Any]:
    record = {
        "id": 1, "council_id": 1, "number": 3, "date": day(10), "state": "finalised", "quorum_met": True,
        "quorum_needed": 6, "expected": 9, "present": 7,
    }  # fmt: skip
    return {**record, **changes}


def _vote(**changes: Any) -> dict[str, Any]:
    record = {
        "id": 5, "item_id": 2, "for": 5, "against": 1, "abstain": 1, "eligible": 7, "needed": 4,
        "outcome": "passed",
    }  # fmt: skip
    return {**record, **changes}


def _council(meeting: dict, vote: dict | None = None, resolution: dict | None = None) -> dict[str, list]:
    return {
        "council_terms": [{"id": 1, "name": "青石村村民议事会"}],
        "meetings": [meeting],
        "agenda_items": [{"id": 2, "meeting_id": meeting["id"], "title": "修建村道"}],
        "votes": [vote] if vote else [],
        "resolutions": [resolution] if resolution else [],
    }


RESOLUTION = {"id": 8, "item_id": 2, "number": "〔2026〕议字第3号", "void": False}


def test_a_sound_council_meeting_has_no_findings() -> None:
    assert council.review(_council(_meeting(), _vote(), RESOLUTION), AS_OF) == []


def test_a_meeting_recorded_as_held_without_its_quorum() -> None:
    found = council.review(_council(_meeting(present=5), _vote(eligible=5, abstain=0, against=0)), AS_OF)
    assert has(found, "is recorded as held with {present} of {expected}")
    assert found[0].params["needed"] == 6
    # A meeting that failed its quorum (流会), finalised as such, is in order.
    not_held = _meeting(state="finalised", quorum_met=False, present=5)
    assert council.review(_council(not_held), AS_OF) == []
    # ...but not once a vote is on record for it.
    assert has(council.review(_council(not_held, _vote(eligible=5)), AS_OF), "recorded as held")


def test_a_passed_item_without_a_resolution_and_a_resolution_without_a_passed_vote() -> None:
    assert has(council.review(_council(_meeting(), _vote()), AS_OF), "no resolution of it is on record")
    void = {**RESOLUTION, "void": True}
    assert has(council.review(_council(_meeting(), _vote(), void), AS_OF), "no resolution")
    failed = _vote(outcome="not_passed", **{"for": 3})
    found = council.review(_council(_meeting(), failed, RESOLUTION), AS_OF)
    assert msgids(found) == [
        "Resolution {resolution} stands, but the vote on its item “{item}” did not pass."
    ]


def test_a_vote_its_own_counts_contradict() -> None:
    at_needed = _vote(**{"for": 4})  # exactly the votes needed: passed is right
    assert council.review(_council(_meeting(), at_needed, RESOLUTION), AS_OF) == []
    one_short = _vote(**{"for": 3})
    assert has(council.review(_council(_meeting(), one_short, RESOLUTION), AS_OF), "yet recorded as")
    too_many = _vote(**{"for": 6})  # 6 + 1 + 1 cast by 7 entitled
    assert has(council.review(_council(_meeting(), too_many, RESOLUTION), AS_OF), "votes cast by {eligible}")


def test_an_unsigned_meeting_is_named_after_thirty_days_not_before() -> None:
    on_the_day = _meeting(state="held", date=day(council.UNSIGNED_DAYS))
    assert council.review(_council(on_the_day, _vote(), RESOLUTION), AS_OF) == []
    a_day_late = _meeting(state="held", date=day(council.UNSIGNED_DAYS + 1))
    found = council.review(_council(a_day_late, _vote(), RESOLUTION), AS_OF)
    assert has(found, "still not signed") and found[0].params["days"] == 31
    planned = _meeting(state="planned", quorum_met=None, present=0, date=day(40))
    assert has(council.review(_council(planned), AS_OF), "nobody's attendance is on record")
    assert council.review(_council(planned)) == []  # no day to count from: nothing said of time


# --- 四议两公开 -----------------------------------------------------------------------------------------

STEP_ORDER = ("propose", "discuss", "review", "resolve", "disclose_resolution", "disclose_result")
OUTCOMES = ("agreed", "agreed", "passed", "passed", "disclosed", "disclosed")


def _steps(upto: int = 6, start: int = 100, **changes: Any) -> list[dict[str, Any]]:
    """A matter's steps 1..upto, ten days apart from `start` days before AS_OF, each disclosure 7 days."""
    out = []
    for n, (step, outcome) in enumerate(zip(STEP_ORDER[:upto], OUTCOMES, strict=False)):
        posted = start - 10 * n
        record = {
            "id": 10 + n, "decision_id": 1, "round": 1, "step": step, "date": day(posted), "outcome": outcome,
            "period_end": day(posted - 6) if step.startswith("disclose") else None, "notice_id": None,
            "superseded_by": None, "supervision": [],
        }  # fmt: skip
        out.append({**record, **changes.get(step, {})})
    return out


def _decision(**changes: Any) -> dict[str, Any]:
    record = {
        "id": 1, "number": "〔2026〕事字第1号", "title": "鱼塘发包", "state": "complete",
        "step": "disclose_result", "round": 1, "opened_on": day(120),
        "rounds": [{"number": 1, "started_on": day(120)}], "ended_on": day(30), "work_started_on": day(60),
        "work_ended_on": day(50),
    }  # fmt: skip
    return {**record, **changes}


def _matter(decision: dict, steps: list[dict]) -> dict[str, list]:
    return {decisions.DECISIONS: [decision], decisions.STEPS: steps}


def test_a_complete_matter_in_order_has_no_findings() -> None:
    assert decisions.review(_matter(_decision(), _steps()), AS_OF) == []


def test_a_step_recorded_without_the_one_before_it() -> None:
    steps = [s for s in _steps() if s["step"] != "review"]
    found = decisions.review(_matter(_decision(), steps), AS_OF)
    assert has(found, "is recorded without {missing} before it")
    assert has(found, "is marked complete, but {step} is not on record")
    assert found[0].record_id == 13  # the resolve step's record
    # A corrected record does not count; its correction does.
    corrected = _steps(review={"superseded_by": 99})
    assert has(decisions.review(_matter(_decision(), corrected), AS_OF), "without")


def test_a_step_dated_before_the_step_before_it() -> None:
    steps = _steps(discuss={"date": day(101)})  # proposed 100 days ago, discussed 101 days ago
    found = decisions.review(_matter(_decision(), steps), AS_OF)
    assert msgids(found) == ["{decision}: {step} is dated {date}, before {before} on {before_date}."]


def test_a_disclosure_shorter_than_seven_days() -> None:
    seven = _steps()  # posted day 0, last day +6: seven days
    assert decisions.review(_matter(_decision(), seven), AS_OF) == []
    six = _steps(disclose_result={"period_end": day(100 - 50 - 5)})
    found = decisions.review(_matter(_decision(), six), AS_OF)
    assert has(found, "hangs only {days} days") and found[0].params["days"] == 6
    # A disclosure under way is judged by its notice's period.
    under_way = _steps(disclose_result={"outcome": "disclosing", "period_end": None, "notice_id": 7})
    records = _matter(_decision(state="in_progress"), under_way)
    records["notices"] = [{"id": 7, "period_end": day(100 - 50 - 3)}]
    assert has(decisions.review(records, AS_OF), "hangs only")


def test_a_resolution_not_disclosed_after_thirty_days() -> None:
    waiting = _decision(state="in_progress", step="disclose_resolution", ended_on=None, work_started_on=None,
                        work_ended_on=None)  # fmt: skip
    at_limit = _steps(4, start=30 + 30)  # resolved exactly 30 days before AS_OF
    assert decisions.review(_matter(waiting, at_limit), AS_OF) == []
    over = _steps(4, start=31 + 30)
    found = decisions.review(_matter(waiting, over), AS_OF)
    assert msgids(found) == ["{decision}: the resolution of {date} is not disclosed {days} days later."]
    assert found[0].params["days"] == 31


def test_a_result_not_disclosed_thirty_days_after_the_work() -> None:
    ended = _decision(state="in_progress", ended_on=None, work_ended_on=day(31), work_started_on=day(40))
    found = decisions.review(_matter(ended, _steps(5)), AS_OF)
    assert has(found, "its result is not disclosed")
    assert decisions.review(_matter(_decision(state="in_progress", ended_on=None, work_ended_on=day(30),
                                              work_started_on=day(30)), _steps(5)), AS_OF) == []  # fmt: skip


def test_an_open_concern_of_the_supervisory_committee() -> None:
    concern = {"kind": "concern", "on": day(20), "answered_on": None}
    answered = {**concern, "answered_on": day(10)}
    found = decisions.review(_matter(_decision(), _steps(review={"supervision": [concern, answered]})), AS_OF)
    assert [(f.record_id, f.params["date"]) for f in found] == [(12, day(20))]
    assert has(found, "a concern the supervisory committee raised")


def test_a_matter_stalled_more_than_thirty_days() -> None:
    stalled = _decision(state="in_progress", step="review", ended_on=None, work_started_on=None,
                        work_ended_on=None, opened_on=day(40), rounds=[])  # fmt: skip
    found = decisions.review(_matter(stalled, _steps(2, start=31 + 10)), AS_OF)
    assert has(found, "has stood at {step} since {date}") and found[0].params["days"] == 31
    assert decisions.review(_matter(stalled, _steps(2, start=30 + 10)), AS_OF) == []


# --- 红白理事会 -----------------------------------------------------------------------------------------


def _ceremony(**changes: Any) -> dict[str, Any]:
    record = {
        "id": 4, "number": "〔2026〕红白备字第4号", "kind": "wedding", "stage": "closed", "day": day(60),
        "reported_on": day(67), "actual_breaches": [], "follow_up": {"satisfaction": "satisfied"},
    }  # fmt: skip
    return {**record, **changes}


def test_a_ceremony_within_the_standard_has_no_findings() -> None:
    assert ceremonies.review({"ceremonies": [_ceremony()]}, AS_OF) == []


def test_a_ceremony_over_the_caps_names_each_figure() -> None:
    breaches = [
        {"item": "tables", "value": 21, "cap": 20},
        {"item": "cost_per_table", "value": 50001, "cap": 50000},
    ]
    [finding] = ceremonies.review({"ceremonies": [_ceremony(actual_breaches=breaches)]}, AS_OF)
    assert "桌数：21，超过上限20" in finding.params["items"]
    assert "¥500.01" in finding.params["items"] and "¥500.00" in finding.params["items"]


def test_a_ceremony_reported_on_its_day_or_after() -> None:
    assert has(ceremonies.review({"ceremonies": [_ceremony(reported_on=day(60))]}, AS_OF), "not beforehand")
    assert ceremonies.review({"ceremonies": [_ceremony(reported_on=day(61))]}, AS_OF) == []


def test_a_ceremony_reported_fewer_days_ahead_than_its_standard_asked() -> None:
    four_ahead = _ceremony(reported_on=day(64), report_days_asked=5)
    [finding] = ceremonies.review({"ceremonies": [four_ahead]}, AS_OF)
    assert (finding.params["ahead"], finding.params["asked"]) == (4, 5)
    assert "仅提前4天" in finding.message() and "至少提前5天" in finding.message()
    assert ceremonies.review({"ceremonies": [{**four_ahead, "reported_on": day(65)}]}, AS_OF) == []
    assert ceremonies.review({"ceremonies": [{**four_ahead, "report_days_asked": None}]}, AS_OF) == []
    # A record of version 1 (before the standards said how early) is judged as it was then.
    older = _ceremony(reported_on=day(64))
    assert "report_days_asked" not in older and ceremonies.review({"ceremonies": [older]}, AS_OF) == []


def test_supervision_and_follow_up_overdue_at_their_edges() -> None:
    grace = ceremonies.SUPERVISION_GRACE_DAYS
    reported = _ceremony(stage="reported", day=day(grace), reported_on=day(grace + 5), follow_up=None)
    assert ceremonies.review({"ceremonies": [reported]}, AS_OF) == []
    late = {**reported, "day": day(grace + 1)}
    assert has(ceremonies.review({"ceremonies": [late]}, AS_OF), "no supervision is on record")
    supervised = _ceremony(stage="supervised", day=day(ceremonies.FOLLOW_UP_DAYS), follow_up=None)
    assert ceremonies.review({"ceremonies": [supervised]}, AS_OF) == []
    supervised["day"] = day(ceremonies.FOLLOW_UP_DAYS + 1)
    assert has(ceremonies.review({"ceremonies": [supervised]}, AS_OF), "has not been followed up")
    cancelled = {**late, "stage": "cancelled"}
    assert ceremonies.review({"ceremonies": [cancelled]}, AS_OF) == []


def test_a_dissatisfied_family() -> None:
    unhappy = _ceremony(follow_up={"satisfaction": "dissatisfied", "visited_on": day(40)})
    assert has(ceremonies.review({"ceremonies": [unhappy]}, AS_OF), "dissatisfied at the follow-up")


# --- 民情三本账 and 调解 --------------------------------------------------------------------------------


def _step(step: str, done: int, **changes: Any) -> dict[str, Any]:
    return {"step": step, "round": 0, "done_on": day(done), "on_time": True, "satisfaction": "", **changes}


def _petition(**changes: Any) -> dict[str, Any]:
    steps = [_step(s, 50 - n) for n, s in enumerate(
        ("register", "review", "acknowledge", "assign", "supervise", "feedback", "check", "consult", "close")
    )]  # fmt: skip
    steps[7]["satisfaction"] = "satisfied"
    record = {
        "id": 9, "number": "〔2026〕诉字第9号", "ledger": "claim", "state": "closed", "next_step": "",
        "due_on": None, "round": 0, "steps": steps,
    }  # fmt: skip
    return {**record, **changes}


def test_a_petition_handled_in_order_and_on_time_has_no_findings() -> None:
    assert petitions.review({petitions.PETITION: [_petition()]}, AS_OF) == []


def test_an_open_petition_is_overdue_the_day_after_its_deadline() -> None:
    due_today = _petition(state="open", next_step="feedback", due_on=AS_OF.isoformat(), steps=[])
    assert petitions.review({petitions.PETITION: [due_today]}, AS_OF) == []
    overdue = {**due_today, "due_on": day(1)}
    [finding] = petitions.review({petitions.PETITION: [overdue]}, AS_OF)
    assert "is overdue" in finding.msgid and finding.params["due"] == day(1)


def test_late_steps_and_dissatisfied_answers() -> None:
    record = _petition()
    record["steps"][3]["on_time"] = False
    record["steps"].insert(8, _step("consult", 40, satisfaction="dissatisfied"))
    found = petitions.review({petitions.PETITION: [record]}, AS_OF)
    assert has(found, "done after the deadline") and has(found, "answered “dissatisfied”")


def test_a_petition_closed_without_the_secretary() -> None:
    record = _petition(ledger="complaint")
    record["steps"] = [s for s in record["steps"] if s["step"] != "check"]
    [finding] = petitions.review({petitions.PETITION: [record]}, AS_OF)
    assert "closed without the secretary's" in finding.msgid


def _mediation(**changes: Any) -> dict[str, Any]:
    record = {
        "id": 3, "number": "〔2026〕调字第3号", "outcome": "agreement", "concluded_on": day(60),
        "perform_by": None, "due_on": day(70), "follow_ups": [],
    }  # fmt: skip
    return {**record, **changes}


def test_mediations_overdue_not_followed_up_or_not_performed() -> None:
    limit = petitions.FOLLOW_UP_DAYS
    assert petitions.review({petitions.MEDIATION: [_mediation(concluded_on=day(limit))]}, AS_OF) == []
    unvisited = petitions.review({petitions.MEDIATION: [_mediation(concluded_on=day(limit + 1))]}, AS_OF)
    assert has(unvisited, "no follow-up visit")
    # The visit is due a month after the agreement is to be performed, not after it was signed.
    later = _mediation(concluded_on=day(90), perform_by=day(limit))
    assert petitions.review({petitions.MEDIATION: [later]}, AS_OF) == []
    visit = {"visited_on": day(5), "performance": "not_performed"}
    assert has(
        petitions.review({petitions.MEDIATION: [_mediation(follow_ups=[visit])]}, AS_OF), "not performed"
    )
    open_case = _mediation(outcome="", concluded_on=None, due_on=day(1))
    assert has(petitions.review({petitions.MEDIATION: [open_case]}, AS_OF), "due to be concluded")
    assert petitions.review({petitions.MEDIATION: [{**open_case, "due_on": AS_OF.isoformat()}]}, AS_OF) == []


# --- 村务公开: the posting period ---------------------------------------------------------------------


def _notice(**changes: Any) -> dict[str, Any]:
    record = {
        "id": 6, "number": "〔2026〕6号", "title": "低保评议", "kind": "publicity", "state": "posted",
        "major": False, "posted_at": day(20), "period_days": 7, "period_unit": "days",
        "period_start": day(20), "period_end": day(14), "removed_at": None,
    }  # fmt: skip
    return {**record, **changes}


SETTINGS = [{"period_days": 7, "period_unit": "days"}]


def test_a_notice_posted_for_less_than_the_villages_period_or_taken_down_early() -> None:
    assert notices.review({"notices": [_notice()], "notice_settings": SETTINGS}, AS_OF) == []
    short = _notice(period_days=6, period_end=day(15))
    assert has(notices.review({"notices": [short], "notice_settings": SETTINGS}, AS_OF), "less than the")
    early = _notice(removed_at=day(15))
    assert has(notices.review({"notices": [early], "notice_settings": SETTINGS}, AS_OF), "taken down on")
    on_its_last_day = _notice(removed_at=day(14))
    assert notices.review({"notices": [on_its_last_day], "notice_settings": SETTINGS}, AS_OF) == []


def test_an_objection_within_its_ten_days_is_not_yet_a_finding() -> None:
    objection = {"id": 1, "notice_id": 6, "received_on": day(5), "answered_on": None, "answer_due": day(0)}
    records = {"notices": [_notice()], "objections": [objection], "notice_settings": SETTINGS}
    assert notices.review(records, AS_OF) == []
    records["objections"] = [{**objection, "answer_due": day(1)}]
    assert has(notices.review(records, AS_OF), "has no answer")


@pytest.mark.parametrize("module", [council, decisions, ceremonies, petitions, notices])
def test_every_finding_reads_in_chinese(module: Any) -> None:
    """Each room's findings are messages the township reads in Chinese, with every value filled in."""
    from villagegov.core import i18n

    i18n.set_language("zh_CN")
    records: dict[str, list] = {
        **_council(_meeting(state="held", present=5, date=day(40)), _vote(**{"for": 9})),
        **_matter(_decision(state="complete"), [s for s in _steps() if s["step"] != "review"]),
        "ceremonies": [
            _ceremony(reported_on=day(60), actual_breaches=[{"item": "tables", "value": 21, "cap": 20}])
        ],
        petitions.PETITION: [_petition(state="open", next_step="assign", due_on=day(3))],
        petitions.MEDIATION: [_mediation(concluded_on=day(90))],
        "notices": [_notice(removed_at=day(15))],
        "notice_settings": SETTINGS,
    }
    found = module.review(records, AS_OF)
    assert found
    for finding in found:
        text = finding.message()
        assert text != finding.msgid, f"{finding.msgid} has no Chinese"
        assert "{" not in text and not any(word in text for word in ("the ", " is ", " was ")), text
