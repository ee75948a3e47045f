"""The rules of the three ledgers and of mediation, without a database: steps, deadlines, figures."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from villagegov.core import calendar as cal
from villagegov.core.actions import FINAL, ROLE, STATE
from villagegov.core.actor import CLERK, REVIEWER, SECRETARY, SUPERVISOR
from villagegov.core.errors import FinalisedRecord, ValidationError
from villagegov.core.i18n import set_language
from villagegov.petitions import mediation_rules, petition_rules, rules
from villagegov.petitions.petition_rules import StepFact, StepInput

CHINA = cal.WorkingCalendar()
LIMITS = petition_rules.DEFAULT_LIMITS


@pytest.fixture(autouse=True)
def english() -> None:
    """Refusals are matched by their English words here; the Chinese ones are the catalogue's."""
    set_language("en")


def history(*steps: str, on: date = date(2026, 11, 2), satisfaction: str = "") -> list[StepFact]:
    return [StepFact(s, on, satisfaction if s == petition_rules.CONSULT else "") for s in steps]


# --- deadlines in working days, at their boundaries ---------------------------------------------------


def test_acceptance_notice_across_national_day_falls_on_the_make_up_saturday() -> None:
    # Received Wednesday 30 September 2026; 1-7 October are days off, Saturday 10 October is a
    # make-up working day: 3 working days are 8, 9 and 10 October.
    due = petition_rules.deadline(date(2026, 9, 30), LIMITS.acknowledge, LIMITS.due_soon, CHINA)
    assert due == petition_rules.Deadline(date(2026, 10, 10), date(2026, 10, 9), provisional=False)
    assert petition_rules.status(due.due_on, due.warn_on, date(2026, 10, 8)) == petition_rules.ON_TRACK
    assert petition_rules.status(due.due_on, due.warn_on, date(2026, 10, 9)) == petition_rules.DUE_SOON
    assert (
        petition_rules.status(due.due_on, due.warn_on, date(2026, 10, 10)) == petition_rules.DUE_SOON
    )  # the last day: on time
    assert (
        petition_rules.status(due.due_on, due.warn_on, date(2026, 10, 11)) == petition_rules.OVERDUE
    )  # the next day


def test_one_working_day_after_a_friday_can_be_a_make_up_sunday() -> None:
    # Sunday 20 September 2026 is a make-up working day (for the National Day holiday).
    due = petition_rules.deadline(date(2026, 9, 18), LIMITS.register, LIMITS.due_soon, CHINA)
    assert due.due_on == date(2026, 9, 20)
    assert petition_rules.status(due.due_on, due.warn_on, date(2026, 9, 20)) == petition_rules.DUE_SOON
    assert petition_rules.status(due.due_on, due.warn_on, date(2026, 9, 21)) == petition_rules.OVERDUE


def test_spring_festival_days_off_are_not_counted() -> None:
    # Friday 13 February 2026: the 14th is a make-up Saturday, 16-20 and 23 February are days off.
    assert petition_rules.deadline(date(2026, 2, 13), 1, 1, CHINA).due_on == date(2026, 2, 14)
    assert petition_rules.deadline(date(2026, 2, 13), 3, 1, CHINA).due_on == date(2026, 2, 25)
    # A plain week: Monday + 1 working day is Tuesday.
    assert petition_rules.deadline(date(2026, 11, 2), 1, 1, CHINA).due_on == date(2026, 11, 3)


def test_the_result_deadline_is_longer_for_a_claim_needing_other_departments() -> None:
    assert (
        LIMITS.days(petition_rules.FEEDBACK) == 15
        and LIMITS.days(petition_rules.FEEDBACK, departments=True) == 30
    )
    assert LIMITS.days(petition_rules.SUPERVISE, departments=True) == LIMITS.supervise
    fifteen = petition_rules.deadline(date(2026, 11, 2), 15, 1, CHINA).due_on
    thirty = petition_rules.deadline(date(2026, 11, 2), 30, 1, CHINA).due_on
    assert (fifteen, thirty) == (date(2026, 11, 23), date(2026, 12, 14))


def test_a_deadline_in_a_year_the_calendar_does_not_know_is_provisional() -> None:
    # The State Council has not announced 2027 yet: counted Monday to Friday, and marked.
    due = petition_rules.deadline(date(2026, 12, 30), 3, 1, CHINA)
    assert due.provisional and due.due_on == date(2027, 1, 4)
    with pytest.raises(cal.UnknownCalendarYear):
        cal.deadline(date(2026, 12, 30), 3, cal.WORKING_DAYS, CHINA)
    # Once the village enters 2027's first days off, the same deadline is counted for real.
    known = cal.WorkingCalendar([cal.DayOverride(date(2027, 1, 1), working=False)])
    counted = petition_rules.deadline(date(2026, 12, 30), 3, 1, known)
    assert not counted.provisional and counted.due_on == date(2027, 1, 5)
    assert not petition_rules.deadline(date(2026, 12, 1), 3, 1, CHINA).provisional


def test_due_soon_starts_the_given_working_days_before_the_deadline() -> None:
    due = petition_rules.deadline(date(2026, 11, 2), 15, 3, CHINA)  # due Monday 23 November
    assert due.warn_on == date(2026, 11, 18)  # 3 working days before: Wednesday
    zero = petition_rules.deadline(date(2026, 11, 2), 15, 0, CHINA)
    assert zero.warn_on == zero.due_on
    quick = petition_rules.deadline(date(2026, 11, 2), 1, 5, CHINA)  # never before the anchor
    assert quick.warn_on == date(2026, 11, 2)


# --- the order of steps --------------------------------------------------------------------------------


def test_the_steps_follow_in_order_and_every_skip_is_refused() -> None:
    done: list[StepFact] = []
    for expected in petition_rules.STEPS:
        assert petition_rules.next_step(done) == expected
        for other in petition_rules.STEPS:
            if other == expected:
                continue
            with pytest.raises(ValidationError) as refused:
                petition_rules.check_step(
                    StepInput(other, date(2026, 11, 2), note="x", assignee="张明", satisfaction="satisfied"),
                    done,
                    "〔2026〕诉字第1号",
                    date(2026, 11, 2),
                    False,
                    date(2026, 11, 30),
                    "李文书",
                )
            assert refused.value.params["next"] == petition_rules.step_label(expected)
        done.append(
            StepFact(
                expected,
                date(2026, 11, 2),
                petition_rules.SATISFIED if expected == petition_rules.CONSULT else "",
            )
        )
    assert petition_rules.next_step(done) is None
    with pytest.raises(FinalisedRecord, match="closed and filed"):
        petition_rules.check_step(
            StepInput(petition_rules.REVIEW, date(2026, 11, 2)),
            done,
            "N",
            date(2026, 11, 2),
            False,
            date(2026, 11, 30),
            "",
        )


def test_a_dissatisfied_answer_goes_back_to_assignment_keeping_the_history() -> None:
    done = history(*petition_rules.STEPS[:8], satisfaction=petition_rules.DISSATISFIED)
    assert petition_rules.next_step(done) == petition_rules.ASSIGN
    assert petition_rules.round_of(done) == 1
    reopened = [*done, StepFact(petition_rules.ASSIGN, date(2026, 11, 20))]
    assert petition_rules.next_step(reopened) == petition_rules.SUPERVISE
    # The reassignment counts from the dissatisfied answer, the new result from the new assignment.
    answered = [*done[:-1], StepFact(petition_rules.CONSULT, date(2026, 11, 19), petition_rules.DISSATISFIED)]
    assert petition_rules.anchor_date(petition_rules.ASSIGN, answered, date(2026, 11, 2)) == date(
        2026, 11, 19
    )
    assert petition_rules.anchor_date(petition_rules.FEEDBACK, reopened, date(2026, 11, 2)) == date(
        2026, 11, 20
    )
    assert petition_rules.anchor_date(petition_rules.ACKNOWLEDGE, reopened, date(2026, 10, 30)) == date(
        2026, 10, 30
    )


def test_a_step_is_not_dated_before_the_one_before_it_nor_in_the_future() -> None:
    done = [StepFact(petition_rules.REGISTER, date(2026, 11, 5))]
    args = ("N", date(2026, 11, 4), False, date(2026, 11, 10), "李文书")
    with pytest.raises(ValidationError, match="before"):
        petition_rules.check_step(
            StepInput(petition_rules.REVIEW, date(2026, 11, 4), note="同意"), done, *args
        )
    with pytest.raises(ValidationError, match="future"):
        petition_rules.check_step(
            StepInput(petition_rules.REVIEW, date(2026, 11, 11), note="同意"), done, *args
        )
    same_day = petition_rules.check_step(
        StepInput(petition_rules.REVIEW, date(2026, 11, 5), note=" 同意 "), done, *args
    )
    assert (same_day.note, same_day.done_by) == ("同意", "李文书")


def test_each_step_asks_for_what_it_needs() -> None:
    args = ("N", date(2026, 11, 2), False, date(2026, 11, 30), "李文书")
    upto = {s: history(*petition_rules.STEPS[: petition_rules.STEPS.index(s)]) for s in petition_rules.STEPS}
    with pytest.raises(ValidationError) as no_instruction:
        petition_rules.check_step(
            StepInput(petition_rules.REVIEW, date(2026, 11, 2)), upto[petition_rules.REVIEW], *args
        )
    assert no_instruction.value.field == "note"
    with pytest.raises(ValidationError, match="who is to handle"):
        petition_rules.check_step(
            StepInput(petition_rules.ASSIGN, date(2026, 11, 2)), upto[petition_rules.ASSIGN], *args
        )
    with pytest.raises(ValidationError, match="answer"):
        petition_rules.check_step(
            StepInput(petition_rules.CONSULT, date(2026, 11, 2), note="已回复"),
            upto[petition_rules.CONSULT],
            *args,
        )
    with pytest.raises(ValidationError, match="anonymous"):
        petition_rules.check_step(
            StepInput(
                petition_rules.CONSULT,
                date(2026, 11, 2),
                note="已回复",
                satisfaction=petition_rules.NOT_ASKED,
            ),
            upto[petition_rules.CONSULT],
            *args,
        )
    anonymous = ("N", date(2026, 11, 2), True, date(2026, 11, 30), "李文书")
    ok = petition_rules.check_step(
        StepInput(
            petition_rules.CONSULT, date(2026, 11, 2), note="已公示", satisfaction=petition_rules.NOT_ASKED
        ),
        upto[petition_rules.CONSULT],
        *anonymous,
    )
    assert ok.satisfaction == petition_rules.NOT_ASKED
    with pytest.raises(ValidationError, match="only at"):
        petition_rules.check_step(
            StepInput(petition_rules.CLOSE, date(2026, 11, 2), satisfaction=petition_rules.SATISFIED),
            upto[petition_rules.CLOSE],
            *args,
        )


# --- petitions ---------------------------------------------------------------------------------------


def _petition(**changes: object) -> petition_rules.PetitionInput:
    base: dict[str, object] = {
        "ledger": petition_rules.CLAIM,
        "channel": petition_rules.PHONE,
        "received_on": date(2026, 11, 2),
        "subject": "申请修缮排水沟",
        "content": "门前排水沟堵塞。",
        "villager_id": 7,
    }
    base.update(changes)
    return petition_rules.PetitionInput(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ledger": "gossip"}, "ledger"),
        ({"channel": "pigeon"}, "channel"),
        ({"received_on": date(2026, 12, 1)}, "received_on"),
        ({"subject": "  "}, "subject"),
        ({"subject": "长" * 101}, "subject"),
        ({"content": ""}, "content"),
        ({"anonymous": True, "villager_id": None}, "anonymous"),  # a claim is never anonymous
        ({"villager_id": None}, "villager"),
        ({"ledger": petition_rules.SUGGESTION, "departments": True}, "departments"),
        ({"contact": "12345"}, "contact"),
    ],
)
def test_a_petition_is_refused_with_the_field_named(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        petition_rules.check_petition(_petition(**changes), date(2026, 11, 30))
    assert refused.value.field == field


def test_an_anonymous_complaint_keeps_no_villager_and_no_contact() -> None:
    clean = petition_rules.check_petition(
        _petition(ledger=petition_rules.COMPLAINT, anonymous=True, villager_id=5, contact="13912345678"),
        date(2026, 11, 30),
    )
    assert (clean.villager_id, clean.contact, clean.anonymous) == (None, "", True)
    assert (
        petition_rules.check_petition(_petition(contact="139 1234 5678"), date(2026, 11, 30)).contact
        == "13912345678"
    )


def test_only_the_secretary_sees_who_complained() -> None:
    for role in ("clerk", "secretary", "supervisor", "reviewer"):
        assert petition_rules.may_see_petitioner(petition_rules.SUGGESTION, role)
        assert petition_rules.may_see_petitioner(petition_rules.CLAIM, role)
        assert petition_rules.may_see_petitioner(petition_rules.COMPLAINT, role) == (role == "secretary")


def test_numbers_per_ledger() -> None:
    assert petition_rules.petition_number(petition_rules.CLAIM, 2026, 3) == "〔2026〕诉字第3号"
    assert petition_rules.petition_number(petition_rules.COMPLAINT, 2026, 1) == "〔2026〕投字第1号"
    assert mediation_rules.mediation_number(2026, 12) == "〔2026〕调字第12号"
    assert petition_rules.next_sequence([1, 2, None, 5]) == 6


def test_time_limits_are_checked() -> None:
    petition_rules.check_limits(LIMITS)
    with pytest.raises(ValidationError):
        petition_rules.check_limits(petition_rules.TimeLimits(feedback=61))
    with pytest.raises(ValidationError, match="other departments"):
        petition_rules.check_limits(petition_rules.TimeLimits(feedback=20, feedback_departments=10))
    with pytest.raises(ValidationError):
        petition_rules.check_limits(petition_rules.TimeLimits(mediation_days=0))


# --- mediation ----------------------------------------------------------------------------------------


def _mediation(**changes: object) -> mediation_rules.MediationInput:
    base: dict[str, object] = {
        "kind": mediation_rules.NEIGHBOURS,
        "received_on": date(2026, 11, 2),
        "facts": "通道堆放柴草。",
        "disputed": "通道使用。",
        "parties": (mediation_rules.PartyInput("李长顺"), mediation_rules.PartyInput("赵国强")),
        "mediators": ("张调解",),
    }
    base.update(changes)
    return mediation_rules.MediationInput(**base)  # type: ignore[arg-type]


def test_a_dispute_needs_two_parties_facts_and_a_mediator() -> None:
    today = date(2026, 11, 30)
    clean = mediation_rules.check_mediation(_mediation(mediators=(" 张调解 ", "张调解", "刘淑华")), today)
    assert clean.mediators == ("张调解", "刘淑华")
    for changes, field in (
        ({"parties": (mediation_rules.PartyInput("李长顺"),)}, "parties"),
        ({"parties": (mediation_rules.PartyInput("李长顺"), mediation_rules.PartyInput(""))}, "parties"),
        (
            {
                "parties": (
                    mediation_rules.PartyInput("李长顺"),
                    mediation_rules.PartyInput("赵", id_number="123"),
                )
            },
            "parties",
        ),
        ({"mediators": ()}, "mediators"),
        ({"facts": ""}, "facts"),
        ({"disputed": " "}, "disputed"),
        ({"kind": "war"}, "kind"),
    ):
        with pytest.raises(ValidationError) as refused:
            mediation_rules.check_mediation(_mediation(**changes), today)
        assert refused.value.field == field


def test_an_agreement_needs_every_content_the_law_names() -> None:
    today = date(2026, 11, 30)
    good = mediation_rules.OutcomeInput(
        mediation_rules.AGREEMENT,
        date(2026, 11, 10),
        ("负主要责任", "负次要责任"),
        ("甲方清理通道",),
        "自行清理",
        date(2026, 11, 20),
    )
    assert mediation_rules.check_outcome(good, 2, date(2026, 11, 9), date(2026, 11, 2), today).terms == (
        "甲方清理通道",
    )
    from dataclasses import replace

    for changes, field in (
        ({"responsibilities": ("", "")}, "responsibilities"),
        ({"responsibilities": ("负主要责任",)}, "responsibilities"),
        ({"terms": (" ",)}, "terms"),
        ({"performance": ""}, "performance"),
        ({"perform_by": None}, "perform_by"),
        ({"perform_by": date(2026, 11, 9)}, "perform_by"),
    ):
        with pytest.raises(ValidationError) as refused:
            mediation_rules.check_outcome(
                replace(good, **changes), 2, date(2026, 11, 9), date(2026, 11, 2), today
            )
        assert refused.value.field == field
    with pytest.raises(ValidationError, match="session"):
        mediation_rules.check_outcome(good, 2, None, date(2026, 11, 2), today)
    with pytest.raises(ValidationError, match="last session"):
        mediation_rules.check_outcome(good, 2, date(2026, 11, 12), date(2026, 11, 2), today)
    with pytest.raises(ValidationError, match="referred"):
        mediation_rules.check_outcome(
            mediation_rules.OutcomeInput(mediation_rules.REFERRED, date(2026, 11, 10)),
            2,
            date(2026, 11, 9),
            date(2026, 11, 2),
            today,
        )


# --- figures, by hand -------------------------------------------------------------------------------


def test_figures_of_a_small_period_match_the_hand_count() -> None:
    petitions = [
        rules.PetitionFact(petition_rules.CLAIM, date(2026, 10, 12), date(2026, 10, 30), True),
        rules.PetitionFact(petition_rules.CLAIM, date(2026, 10, 13), date(2026, 11, 23), True),
        rules.PetitionFact(petition_rules.COMPLAINT, date(2026, 11, 2), date(2026, 11, 25), False),
        rules.PetitionFact(
            petition_rules.SUGGESTION, date(2026, 9, 25), date(2026, 10, 20), True
        ),  # received before
        rules.PetitionFact(petition_rules.SUGGESTION, date(2026, 11, 10), None, True),  # open: never "closed"
        rules.PetitionFact(petition_rules.CLAIM, date(2026, 12, 1), None, True),  # after the period
    ]
    answers = [
        rules.AnswerFact(petition_rules.CLAIM, date(2026, 10, 28), petition_rules.SATISFIED),
        rules.AnswerFact(petition_rules.CLAIM, date(2026, 10, 29), petition_rules.DISSATISFIED),
        rules.AnswerFact(petition_rules.CLAIM, date(2026, 11, 20), petition_rules.BASIC),
        rules.AnswerFact(petition_rules.COMPLAINT, date(2026, 11, 24), petition_rules.SATISFIED),
        rules.AnswerFact(
            petition_rules.COMPLAINT, date(2026, 11, 24), petition_rules.NOT_ASKED
        ),  # anonymous: not counted
        rules.AnswerFact(petition_rules.SUGGESTION, date(2026, 10, 16), petition_rules.SATISFIED),
    ]
    mediations = [
        rules.MediationFact(date(2026, 10, 5), date(2026, 10, 15), mediation_rules.AGREEMENT),
        rules.MediationFact(date(2026, 10, 20), date(2026, 11, 5), mediation_rules.NO_AGREEMENT),
        rules.MediationFact(date(2026, 11, 10), None, ""),
        rules.MediationFact(date(2026, 9, 20), date(2026, 10, 2), mediation_rules.REFERRED),
    ]
    f = rules.figures(date(2026, 10, 1), date(2026, 11, 30), petitions, answers, mediations)
    assert f.months == (date(2026, 10, 1), date(2026, 11, 1))

    def cells(row: rules.LedgerFigures) -> tuple[int, ...]:
        return (row.received, row.closed, row.on_time, row.answers, row.satisfied)

    assert [cells(r) for r in f.ledgers[petition_rules.CLAIM]] == [(2, 1, 1, 2, 1), (0, 1, 1, 1, 1)]
    assert [cells(r) for r in f.ledgers[petition_rules.COMPLAINT]] == [(0, 0, 0, 0, 0), (1, 1, 0, 1, 1)]
    assert [cells(r) for r in f.ledgers[petition_rules.SUGGESTION]] == [(0, 1, 1, 1, 1), (1, 0, 0, 0, 0)]
    every = f.ledger_totals[""]
    assert cells(every) == (4, 4, 3, 5, 4)
    assert every.on_time_rate == Fraction(3, 4) and every.satisfaction_rate == Fraction(4, 5)
    assert f.ledgers[petition_rules.CLAIM][0].satisfaction_rate == Fraction(1, 2)
    assert f.ledgers[petition_rules.COMPLAINT][0].on_time_rate is None  # nothing closed: no rate
    assert [(m.received, m.concluded, m.resolved) for m in f.mediations] == [(2, 2, 1), (1, 1, 0)]
    assert f.mediation_total is not None and f.mediation_total.success_rate == Fraction(1, 3)
    assert rules.percent(f.mediation_total.success_rate) == "33.3%"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(3, 4), "75%"),
        (Fraction(1, 3), "33.3%"),
        (Fraction(2, 3), "66.7%"),
        (Fraction(1, 8), "12.5%"),
        (Fraction(1, 2000), "0.1%"),  # 0.05% rounds half up
        (Fraction(1, 2001), "0%"),
        (Fraction(1), "100%"),
        (None, "—"),
    ],
)
def test_rates_print_as_percentages_rounded_half_up(value: Fraction | None, text: str) -> None:
    assert rules.percent(value) == text


def test_months_of_a_period_and_their_labels() -> None:
    assert rules.months_of(date(2026, 11, 15), date(2027, 1, 3)) == (
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
    )
    with pytest.raises(ValidationError):
        rules.months_of(date(2026, 11, 2), date(2026, 11, 1))
    assert rules.month_label(date(2026, 3, 1), False) == "Mar"
    assert rules.month_label(date(2026, 3, 1), True) == "Mar 2026"
    set_language("zh_CN")
    assert rules.month_label(date(2026, 3, 1), False) == "3月"
    assert rules.month_label(date(2026, 3, 1), True) == "2026年3月"


def test_charts_carry_the_table_figures() -> None:
    set_language("zh_CN")
    f = rules.figures(
        date(2026, 10, 1),
        date(2026, 11, 30),
        [
            rules.PetitionFact(petition_rules.CLAIM, date(2026, 10, 12), None, True),
            rules.PetitionFact(petition_rules.COMPLAINT, date(2026, 11, 2), None, True),
        ],
        [],
        [rules.MediationFact(date(2026, 10, 5), date(2026, 10, 15), mediation_rules.AGREEMENT)],
    )
    chart = rules.petition_chart(f)
    assert chart.stacked and chart.categories == ("10月", "11月")
    assert {s.name: s.values for s in chart.series} == {
        "意见建议": (0, 0),
        "利益诉求": (1, 0),
        "投诉举报": (0, 1),
    }
    med = rules.mediation_chart(f)
    assert [s.values for s in med.series] == [(1, 0), (1, 0)]


# --- what may be done now (the room's buttons and the services ask the same) --------------------------

ROLES = (CLERK, SECRETARY, SUPERVISOR, REVIEWER)


def facts(**changes: object) -> petition_rules.PetitionFacts:
    base: dict[str, object] = {
        "number": "〔2026〕诉字第1号", "ledger": petition_rules.CLAIM, "state": petition_rules.OPEN,
        "next_step": petition_rules.REVIEW, "anonymous": False, "reviewed": False,
    }  # fmt: skip
    base.update(changes)
    return petition_rules.PetitionFacts(**base)  # type: ignore[arg-type]


def allowed_of(role: str, **changes: object) -> set[str]:
    answer = petition_rules.petition_actions(role, facts(**changes))
    return {action for action in petition_rules.PETITION_ACTIONS if answer.may(action)}


@pytest.mark.parametrize("step", petition_rules.STEP_ACTIONS)
def test_only_the_next_step_may_be_recorded_and_only_by_whom_it_belongs_to(step: str) -> None:
    doers = {SECRETARY} if step in petition_rules.SECRETARY_STEPS else {CLERK, SECRETARY}
    for role in ROLES:
        answer = petition_rules.petition_actions(role, facts(next_step=step, reviewed=True))
        assert answer.may(step) == (role in doers), role
    # Every other step waits its turn, and says which comes first.
    answer = petition_rules.petition_actions(SECRETARY, facts(next_step=step))
    for other in petition_rules.STEPS:
        if other != step:
            why = answer[other]
            assert why is not None and why.reason == STATE
            assert why.params["next"] == petition_rules.step_label(step)
    # The secretary's own steps say so to the clerk, whatever the order.
    refusal = petition_rules.petition_actions(CLERK, facts(next_step=step))[step]
    if step in petition_rules.SECRETARY_STEPS:
        assert refusal is not None and refusal.reason == ROLE
        label = petition_rules.step_label(step)
        assert (
            refusal.message() == f"Only the party secretary may record “{label}”; you are signed in as Clerk."
        )
    else:
        assert refusal is None


def test_the_read_only_roles_may_only_print() -> None:
    for role in (SUPERVISOR, REVIEWER):
        assert allowed_of(role, reviewed=True) == {petition_rules.PRINT_NOTICE}
        assert petition_rules.room_actions(role).may(petition_rules.PRINT_LEDGERS)
        assert not petition_rules.room_actions(role).may(petition_rules.NEW)
        assert mediation_rules.room_actions(role)[mediation_rules.NEW] is not None


def test_a_closed_petition_is_final_for_everyone() -> None:
    closed = {"state": petition_rules.CLOSED, "next_step": "", "reviewed": True}
    assert allowed_of(SECRETARY, **closed) == {petition_rules.PRINT_NOTICE}
    answer = petition_rules.petition_actions(SECRETARY, facts(**closed))
    for action in (petition_rules.EDIT, petition_rules.ADD_ATTACHMENT, petition_rules.CLOSE):
        refusal = answer[action]
        assert refusal is not None and refusal.reason == FINAL
        assert isinstance(refusal.error(), FinalisedRecord)
    open_ = petition_rules.petition_actions(SECRETARY, facts(next_step=petition_rules.CLOSE))
    assert open_.may(petition_rules.CLOSE) and open_.may(petition_rules.EDIT)


def test_only_the_secretary_changes_a_complaint_or_adds_its_papers() -> None:
    complaint = {"ledger": petition_rules.COMPLAINT}
    assert {petition_rules.EDIT, petition_rules.ADD_ATTACHMENT} <= allowed_of(SECRETARY, **complaint)
    assert not {petition_rules.EDIT, petition_rules.ADD_ATTACHMENT} & allowed_of(CLERK, **complaint)
    assert {petition_rules.EDIT, petition_rules.ADD_ATTACHMENT} <= allowed_of(
        CLERK
    )  # a claim: the clerk's too
    why = petition_rules.petition_actions(CLERK, facts(**complaint))[petition_rules.EDIT]
    assert why is not None and why.reason == ROLE and "complaint" in why.message()


def test_the_acceptance_notice_waits_for_the_review_and_has_no_one_to_go_to_when_anonymous() -> None:
    assert petition_rules.PRINT_NOTICE not in allowed_of(CLERK, reviewed=False)
    assert petition_rules.PRINT_NOTICE in allowed_of(CLERK, reviewed=True)
    anonymous = petition_rules.petition_actions(
        CLERK, facts(ledger=petition_rules.COMPLAINT, anonymous=True, reviewed=True)
    )[petition_rules.PRINT_NOTICE]
    assert anonymous is not None and "anonymous" in anonymous.message()


def test_registering_again_is_never_the_next_step() -> None:
    """建账 is done once, with the petition itself (NEW); asked for later, it says what comes next."""
    why = petition_rules.petition_actions(SECRETARY, facts())[petition_rules.REGISTER]
    assert why is not None and why.params["next"] == petition_rules.step_label(petition_rules.REVIEW)


def mediation(**changes: object) -> mediation_rules.MediationFacts:
    base: dict[str, object] = {"number": "〔2026〕调字第1号", "outcome": "", "sessions": 0}
    base.update(changes)
    return mediation_rules.MediationFacts(**base)  # type: ignore[arg-type]


def mediation_allowed(role: str, **changes: object) -> set[str]:
    answer = mediation_rules.mediation_actions(role, mediation(**changes))
    return {action for action in mediation_rules.MEDIATION_ACTIONS if answer.may(action)}


def test_a_dispute_is_sat_then_ended_once_then_followed_up() -> None:
    m = mediation_rules
    assert mediation_allowed(CLERK) == {m.EDIT, m.SESSION}  # an outcome needs a session first
    assert mediation_allowed(CLERK, sessions=1) == {m.EDIT, m.SESSION, m.OUTCOME}
    agreed = mediation_allowed(CLERK, sessions=1, outcome=m.AGREEMENT)
    assert agreed == {m.FOLLOW_UP, m.PRINT_AGREEMENT}
    for outcome in (m.NO_AGREEMENT, m.REFERRED):
        assert mediation_allowed(SECRETARY, sessions=2, outcome=outcome) == set()
        ended = m.mediation_actions(SECRETARY, mediation(sessions=2, outcome=outcome))[m.EDIT]
        assert ended is not None and ended.reason == FINAL and m.outcome_label(outcome) in ended.message()
    why = m.mediation_actions(CLERK, mediation())[m.OUTCOME]
    assert why is not None and why.message() == "Record at least one mediation session first."
    # Those who only read may print an agreement, and do nothing else.
    for role in (SUPERVISOR, REVIEWER):
        assert mediation_allowed(role, sessions=1, outcome=m.AGREEMENT) == {m.PRINT_AGREEMENT}
        assert mediation_allowed(role, sessions=1) == set()


def test_only_the_secretary_sets_the_time_limits() -> None:
    for role in ROLES:
        answer = rules.room_actions(role)
        assert answer.may(rules.LIMITS) and answer.may(rules.PRINT_SUMMARY)
        assert answer.may(rules.SET_LIMITS) == (role == SECRETARY)
    refusal = rules.room_actions(CLERK)[rules.SET_LIMITS]
    assert refusal is not None and refusal.reason == ROLE
    assert refusal.message() == "Only the party secretary sets the time limits; you are signed in as Clerk."
