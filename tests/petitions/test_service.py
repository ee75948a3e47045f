"""The petitions service on a real database (SQLite, and PostgreSQL where VILLAGEGOV_TEST_PG is set)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from fractions import Fraction

import pytest

from tests.petitions.conftest import (
    COMPLAINANT,
    COMPLAINANT_PHONE,
    ID_A,
    ID_OUTSIDE,
    PARTY_A,
    PETITIONER,
    Village,
    agreement_input,
    mediation_input,
    petition_input,
    walk,
)
from villagegov.core import audit, i18n, maintenance
from villagegov.core.actor import REVIEWER, Actor
from villagegov.core.errors import FinalisedRecord, NotFound, PermissionDenied, ValidationError
from villagegov.notices import service as notices
from villagegov.petitions import (
    commands,
    mediation_rules,
    mediation_service,
    petition_rules,
    petition_service,
    records,
    rules,
    service,
)
from villagegov.petitions.petition_models import Petition, PetitionStep
from villagegov.petitions.petition_records import PetitionDetail
from villagegov.schema import AUDITED_MODELS

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_language("en")


def reviewer() -> Actor:
    return Actor(None, "township", "乡镇审查员", REVIEWER, None)


def every_reader(v: Village) -> list[Actor]:
    return [v.clerk, v.secretary, v.supervisor, reviewer()]


def record(v: Village, pid: int, on: date, **fields: str) -> PetitionDetail:
    """Record the petition's next step on `on` (by the secretary for the secretary's steps)."""
    step = petition_service.get_petition(v.secretary, pid, on).next_step
    actor = v.secretary if step in petition_rules.SECRETARY_STEPS else v.clerk
    defaults = {
        petition_rules.REVIEW: {"note": "同意受理"},
        petition_rules.SUPERVISE: {"note": "进展正常"},
        petition_rules.FEEDBACK: {"note": "已办结"},
        petition_rules.CONSULT: {"note": "已回复", "satisfaction": petition_rules.SATISFIED},
        petition_rules.ASSIGN: {"assignee": "村委会委员张明"},
    }.get(step, {})
    return petition_service.record_step(
        actor, pid, petition_rules.StepInput(step, on, **{**defaults, **fields}), today=on
    )


# --- 建账 -----------------------------------------------------------------------------------------------


def test_a_petition_enters_its_ledger_with_its_number_and_the_first_step(village: Village) -> None:
    v = village
    first = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=date(2026, 11, 2))
    second = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=date(2026, 11, 2))
    other = petition_service.create_petition(
        v.clerk, petition_input(v.petitioner, petition_rules.SUGGESTION), today=date(2026, 11, 2)
    )
    assert (first.number, second.number, other.number) == (
        "〔2026〕诉字第1号",
        "〔2026〕诉字第2号",
        "〔2026〕意字第1号",
    )
    assert first.petitioner == PETITIONER and first.villager_id == v.petitioner
    [step] = first.steps
    assert (step.step, step.done_on, step.done_by, step.due_on, step.on_time) == (
        petition_rules.REGISTER,
        date(2026, 11, 2),
        "李文书",
        date(2026, 11, 3),
        True,
    )
    assert (first.next_step, first.due_on, first.status) == (
        petition_rules.REVIEW,
        date(2026, 11, 3),
        petition_rules.DUE_SOON,
    )


def test_a_petition_registered_late_is_late_from_its_first_step(village: Village) -> None:
    v = village
    late = petition_service.create_petition(
        v.clerk, petition_input(v.petitioner), registered_on=date(2026, 11, 4), today=date(2026, 11, 4)
    )
    assert not late.steps[0].on_time and not late.on_time
    with pytest.raises(ValidationError, match="before"):
        petition_service.create_petition(
            v.clerk, petition_input(v.petitioner), registered_on=date(2026, 11, 1), today=date(2026, 11, 4)
        )


def test_bad_input_writes_nothing(village: Village) -> None:
    v = village
    before = audit.AuditEntry.select().count()
    with pytest.raises(ValidationError, match="roster"):
        petition_service.create_petition(v.clerk, petition_input(999_999), today=date(2026, 11, 2))
    with pytest.raises(ValidationError, match="Only a complaint may be anonymous"):
        petition_service.create_petition(
            v.clerk, petition_input(None, petition_rules.SUGGESTION, anonymous=True), today=date(2026, 11, 2)
        )
    assert audit.AuditEntry.select().count() == before and Petition.select().count() == 0


def test_the_supervisory_committee_and_the_township_only_read(village: Village) -> None:
    v = village
    p = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=date(2026, 11, 2))
    for actor in (v.supervisor, reviewer()):
        with pytest.raises(PermissionDenied):
            petition_service.create_petition(actor, petition_input(v.petitioner), today=date(2026, 11, 2))
        with pytest.raises(PermissionDenied):
            petition_service.record_step(
                actor, p.id, petition_rules.StepInput(petition_rules.REVIEW, date(2026, 11, 2), note="x")
            )
        with pytest.raises(PermissionDenied):
            mediation_service.create_mediation(actor, mediation_input(v), today=date(2026, 11, 3))
    vid = v.clerk.village_id
    assert [r.id for r in petition_service.list_petitions(reviewer(), village_id=vid)] == [p.id]
    assert petition_service.get_petition(v.supervisor, p.id).number == p.number


# --- the order of steps, who may do them ------------------------------------------------------------------


def test_every_skip_is_refused_and_nothing_is_written(village: Village) -> None:
    v = village
    on = date(2026, 11, 2)
    p = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=on)
    for expected in petition_rules.STEPS[1:]:
        entries = audit.AuditEntry.select().count()
        for other in petition_rules.STEPS:
            if other == expected:
                continue
            with pytest.raises(ValidationError, match="The next step"):
                data = petition_rules.StepInput(
                    other, on, note="x", assignee="张明", satisfaction=petition_rules.SATISFIED
                )
                petition_service.record_step(v.secretary, p.id, data, today=on)
        assert audit.AuditEntry.select().count() == entries
        detail = record(v, p.id, on)
        assert detail.steps[-1].step == expected
    assert detail.state == petition_rules.CLOSED and detail.closed_on == on and detail.next_step == ""
    with pytest.raises(FinalisedRecord, match="closed and filed"):
        petition_service.record_step(
            v.secretary, p.id, petition_rules.StepInput(petition_rules.REVIEW, on, note="x"), today=on
        )
    with pytest.raises(FinalisedRecord):
        petition_service.update_petition(v.clerk, p.id, petition_input(v.petitioner, subject="改"), today=on)


@pytest.mark.parametrize("step", [petition_rules.REVIEW, petition_rules.CHECK, petition_rules.CLOSE])
def test_only_the_secretary_reviews_checks_and_closes(village: Village, step: str) -> None:
    v = village
    on = date(2026, 11, 2)
    p = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=on)
    before = petition_rules.STEPS[petition_rules.STEPS.index(step) - 1]
    if before != petition_rules.REGISTER:
        walk(v, p.id, before, on)
    data = petition_rules.StepInput(step, on, note="同意")
    for actor in (v.clerk, v.supervisor, reviewer()):
        with pytest.raises(PermissionDenied) as refused:
            petition_service.record_step(actor, p.id, data, today=on)
        if actor is v.clerk:
            assert "secretary" in refused.value.message()
    assert petition_service.get_petition(v.clerk, p.id).next_step == step
    done = petition_service.record_step(v.secretary, p.id, data, today=on)
    assert done.steps[-1].step == step and done.steps[-1].done_by == "王建国"


# --- deadlines in working days ----------------------------------------------------------------------


def test_acceptance_notice_due_across_national_day_on_its_make_up_saturday(village: Village) -> None:
    """Received 30 September 2026: 3 working days are 8, 9 and the make-up Saturday 10 October."""
    v = village
    received = date(2026, 9, 30)
    on_time = petition_service.create_petition(
        v.clerk, petition_input(v.petitioner, received_on=received), today=received
    )
    late = petition_service.create_petition(
        v.clerk, petition_input(v.petitioner, received_on=received), today=received
    )
    for p in (on_time, late):
        record(v, p.id, received)  # 书记阅批 the same day
    assert petition_service.get_petition(v.clerk, on_time.id).due_on == date(2026, 10, 10)

    def overdue(today: date) -> list[int]:
        return [
            r.id
            for r in petition_service.list_petitions(
                v.clerk, petition_service.PetitionFilter(overdue=True), today
            )
        ]

    assert overdue(date(2026, 10, 10)) == []  # the last day is on time
    assert overdue(date(2026, 10, 11)) == [on_time.id, late.id]  # the next day is overdue
    assert service.attention(v.clerk, date(2026, 10, 10)).due_soon == 2
    assert service.attention(v.clerk, date(2026, 10, 11)).overdue == 2
    first = record(v, on_time.id, date(2026, 10, 10), note="当面告知")
    second = record(v, late.id, date(2026, 10, 11), note="电话告知")
    assert first.steps[-1].on_time and not second.steps[-1].on_time
    # Each has moved on: 交办 was due within 1 working day of the 阅批 on 30 September, that is on
    # 8 October, the first working day after the holiday.
    assert first.due_on == date(2026, 10, 8) and first.status == petition_rules.OVERDUE
    late_now = petition_service.list_petitions(
        v.clerk, petition_service.PetitionFilter(overdue=True), date(2026, 10, 11)
    )
    assert {r.next_step for r in late_now} == {petition_rules.ASSIGN}


def test_one_working_day_can_end_on_a_make_up_sunday(village: Village) -> None:
    v = village
    friday = date(2026, 9, 18)
    p = petition_service.create_petition(
        v.clerk, petition_input(v.petitioner, received_on=friday), today=friday
    )
    assert p.due_on == date(2026, 9, 20)  # 书记阅批 by the make-up Sunday
    assert petition_service.get_petition(v.clerk, p.id, date(2026, 9, 20)).status == petition_rules.DUE_SOON
    assert petition_service.get_petition(v.clerk, p.id, date(2026, 9, 21)).status == petition_rules.OVERDUE


def test_a_village_override_moves_the_deadline(village: Village) -> None:
    v = village
    # The village declares Tuesday 3 November a day off: 1 working day after Monday is Wednesday.
    notices.set_calendar_override(v.clerk, date(2026, 11, 3), working=False, note="村里停电")
    p = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=date(2026, 11, 2))
    assert p.due_on == date(2026, 11, 4)


def test_the_secretary_sets_the_time_limits_and_they_apply_from_then_on(village: Village) -> None:
    v = village
    on = date(2026, 11, 2)
    before = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=on)
    with pytest.raises(PermissionDenied):
        service.update_settings(v.clerk, service.Settings(petition_rules.TimeLimits(review=2)))
    service.update_settings(
        v.secretary, service.Settings(petition_rules.TimeLimits(review=3), "青石村调委会")
    )
    assert service.settings(v.clerk).limits.review == 3
    after = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=on)
    assert (before.due_on, after.due_on) == (date(2026, 11, 3), date(2026, 11, 5))
    assert petition_service.get_petition(v.clerk, before.id).due_on == date(2026, 11, 3)  # not moved
    with pytest.raises(ValidationError):
        service.update_settings(v.secretary, service.Settings(petition_rules.TimeLimits(feedback=99)))


def test_a_claim_needing_other_departments_gets_thirty_working_days(village: Village) -> None:
    v = village
    on = date(2026, 11, 2)
    p = petition_service.create_petition(v.clerk, petition_input(v.petitioner, departments=True), today=on)
    plain = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=on)
    for pid in (p.id, plain.id):
        walk(v, pid, petition_rules.SUPERVISE, on)
    assert petition_service.get_petition(v.clerk, p.id).due_on == date(2026, 12, 14)
    assert petition_service.get_petition(v.clerk, plain.id).due_on == date(2026, 11, 23)


def test_deadlines_into_an_unknown_year_are_provisional_then_counted(village: Village, any_store) -> None:  # type: ignore[no-untyped-def]
    v = village
    on = date(2026, 12, 30)
    p = petition_service.create_petition(v.clerk, petition_input(v.petitioner, received_on=on), today=on)
    record(v, p.id, on)
    detail = petition_service.get_petition(v.clerk, p.id, on)
    assert (
        detail.next_step == petition_rules.ACKNOWLEDGE
        and detail.provisional
        and detail.due_on == date(2027, 1, 4)
    )
    assert petition_service.provisional_count(v.clerk) == 1
    assert petition_service.recount_deadlines(v.clerk) == 0  # 2027 still unknown: nothing written
    notices.set_calendar_override(v.clerk, date(2027, 1, 1), working=False, note="元旦")
    notices.set_calendar_override(v.clerk, date(2027, 1, 4), working=False, note="元旦调休")
    assert petition_service.recount_deadlines(v.clerk) == 1
    counted = petition_service.get_petition(v.clerk, p.id, on)
    # 31 December, then 1 and 4 January are days off: 5 and 6 January.
    assert not counted.provisional and counted.due_on == date(2027, 1, 6)
    assert maintenance.check(any_store).ok


# --- reopening ------------------------------------------------------------------------------------------


def test_dissatisfied_reopens_at_assignment_and_keeps_the_history(village: Village) -> None:
    v = village
    on = date(2026, 11, 2)
    p = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=on)
    first = walk(v, p.id, petition_rules.CONSULT, on, satisfaction=petition_rules.DISSATISFIED)
    assert (first.state, first.next_step, first.round, first.satisfaction) == (
        petition_rules.OPEN,
        petition_rules.ASSIGN,
        1,
        petition_rules.DISSATISFIED,
    )
    assert first.due_on == date(2026, 11, 3)  # 交办 again within 1 working day of the answer
    kept = [(s.step, s.round) for s in first.steps]
    again = walk(v, p.id, petition_rules.CLOSE, date(2026, 11, 4))
    assert [(s.step, s.round) for s in again.steps][: len(kept)] == kept
    assert [s.step for s in again.steps] == [*petition_rules.STEPS[:8], *petition_rules.STEPS[3:]]
    assert [s.round for s in again.steps[8:]] == [1] * 6
    assert again.state == petition_rules.CLOSED and again.satisfaction == petition_rules.SATISFIED
    # The first answer is still there, as it was given; the database rows are the audit's.
    answers = [s.satisfaction for s in again.steps if s.step == petition_rules.CONSULT]
    assert answers == [petition_rules.DISSATISFIED, petition_rules.SATISFIED]
    assert PetitionStep.select().where(PetitionStep.petition == p.id).count() == 14
    assert audit.verify_records(AUDITED_MODELS) == []


def test_an_anonymous_complaint_is_answered_without_asking(village: Village) -> None:
    v = village
    on = date(2026, 11, 2)
    p = petition_service.create_petition(
        v.clerk,
        petition_input(None, petition_rules.COMPLAINT, anonymous=True, contact="13912345678"),
        today=on,
    )
    assert p.petitioner == "Anonymous" and p.contact == ""
    walk(v, p.id, petition_rules.CHECK, on)
    with pytest.raises(ValidationError):
        petition_service.record_step(
            v.clerk, p.id, petition_rules.StepInput(petition_rules.CONSULT, on, note="x"), today=on
        )
    done = record(v, p.id, on, satisfaction=petition_rules.NOT_ASKED, note="结果已公示")
    assert done.next_step == petition_rules.CLOSE
    with pytest.raises(ValidationError, match="anonymous"):
        petition_service.acknowledgement_document(v.secretary, p.id)


# --- privacy: who complained ----------------------------------------------------------------------------


def test_only_the_secretary_sees_a_complainant_everywhere_it_is_read(village: Village) -> None:
    v = village
    on = date(2026, 11, 2)
    complaint = petition_service.create_petition(
        v.clerk,
        petition_input(
            v.complainant, petition_rules.COMPLAINT, subject="反映养殖场异味", contact=COMPLAINANT_PHONE
        ),
        today=on,
    )
    claim = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=on)
    petition_service.add_attachment(v.secretary, complaint.id, "举报信.png", PNG)
    vid = v.clerk.village_id
    for actor in every_reader(v):
        sees = actor is v.secretary
        rows = {r.id: r for r in petition_service.list_petitions(actor, village_id=vid)}
        assert (rows[complaint.id].petitioner == COMPLAINANT) == sees
        assert rows[claim.id].petitioner == PETITIONER
        detail = petition_service.get_petition(actor, complaint.id)
        assert (detail.petitioner == COMPLAINANT) == sees and detail.petitioner_visible == sees
        assert (detail.villager_id == v.complainant) == sees
        assert (detail.contact == COMPLAINANT_PHONE) == sees
        if not sees:
            assert detail.petitioner == "(withheld)"
            assert COMPLAINANT not in repr(detail) and COMPLAINANT_PHONE not in repr(detail)
            assert COMPLAINANT not in repr(list(rows.values()))
            with pytest.raises(PermissionDenied):
                petition_service.attachment_content(actor, detail.attachments[0].id)
        # A search by the name finds the complaint only for the secretary.
        found = petition_service.list_petitions(
            actor, petition_service.PetitionFilter(text=COMPLAINANT[:2]), village_id=vid
        )
        assert [r.id for r in found] == ([complaint.id] if sees else [])
        assert [
            r.id
            for r in petition_service.list_petitions(
                actor, petition_service.PetitionFilter(text=PETITIONER), village_id=vid
            )
        ] == [claim.id]
    listed = "\n".join("\t".join(row) for row in commands.list_petitions(v.clerk, 2026))
    assert COMPLAINANT not in listed and "(withheld)" in listed
    assert COMPLAINANT in "\n".join("\t".join(row) for row in commands.list_petitions(v.secretary, 2026))
    with pytest.raises(PermissionDenied):
        petition_service.update_petition(v.clerk, complaint.id, complaint.as_input(), today=on)
    with pytest.raises(PermissionDenied):
        petition_service.add_attachment(v.clerk, complaint.id, "照片.png", PNG)


def test_no_document_names_a_complainant_whoever_prints_it(village: Village) -> None:
    v = village
    on = date(2026, 11, 2)
    complaint = petition_service.create_petition(
        v.clerk,
        petition_input(v.complainant, petition_rules.COMPLAINT, contact=COMPLAINANT_PHONE),
        today=on,
    )
    walk(v, complaint.id, petition_rules.CLOSE, on)
    for actor in (v.clerk, v.secretary, v.supervisor):
        ledger = petition_service.ledger_document(actor, date(2026, 1, 1), date(2026, 12, 31), today=on)
        notice = petition_service.acknowledgement_document(actor, complaint.id, on)
        summary = service.summary_document(actor, date(2026, 1, 1), date(2026, 12, 31), on)
        for document in (ledger, notice, summary):
            assert COMPLAINANT not in repr(document) and COMPLAINANT_PHONE not in repr(document)
        assert notice.addressee == "投诉举报人"
        [line] = next(lines for label, lines in ledger.ledgers if label.startswith("投诉举报"))
        assert line.petitioner == "（保密）"


# --- attachments ----------------------------------------------------------------------------------------


def test_attachments_are_images_or_pdfs_and_a_closed_petition_takes_none(village: Village) -> None:
    v = village
    on = date(2026, 11, 2)
    p = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=on)
    row = petition_service.add_attachment(v.clerk, p.id, "C:\\扫描\\来信.png", PNG)
    assert row.file_name == "来信.png" and petition_service.attachment_content(v.supervisor, row.id) == PNG
    with pytest.raises(ValidationError, match="not an image"):
        petition_service.add_attachment(v.clerk, p.id, "a.txt", b"hello")
    walk(v, p.id, petition_rules.CLOSE, on)
    with pytest.raises(FinalisedRecord):
        petition_service.add_attachment(v.clerk, p.id, "b.png", PNG)


# --- mediation -------------------------------------------------------------------------------------------


def test_a_dispute_goes_from_registration_to_agreement_and_follow_up(village: Village) -> None:
    v = village
    today = date(2026, 11, 30)
    m = mediation_service.create_mediation(v.clerk, mediation_input(v), today=today)
    assert m.number == "〔2026〕调字第1号" and m.due_on == date(2026, 12, 3)
    a, b = m.parties
    assert (a.name, a.villager_id, a.id_number, a.address) == (PARTY_A, v.party_a, ID_A, "青石村一组3号")
    assert (b.villager_id, b.id_number, b.phone) == (None, ID_OUTSIDE, "13698765432")
    with pytest.raises(ValidationError, match="session"):
        mediation_service.record_outcome(v.clerk, m.id, agreement_input(), today=today)
    session = mediation_rules.SessionInput(
        date(2026, 11, 5), "村委会调解室", ("张调解",), "双方陈述，现场测量"
    )
    mediation_service.record_session(v.clerk, m.id, session, today=today)
    with pytest.raises(ValidationError, match="Only an agreement"):
        mediation_service.record_follow_up(
            v.clerk,
            m.id,
            mediation_rules.FollowUpInput(
                1, today, mediation_rules.PERFORMED, petition_rules.SATISFIED, "张调解"
            ),
            today=today,
        )
    done = mediation_service.record_outcome(v.clerk, m.id, agreement_input(), today=today)
    assert done.outcome == mediation_rules.AGREEMENT and done.terms[0].startswith("乙方")
    with pytest.raises(FinalisedRecord):
        mediation_service.record_session(
            v.clerk, m.id, mediation_rules.SessionInput(today, "", ("张调解",), "再谈"), today=today
        )
    with pytest.raises(FinalisedRecord):
        mediation_service.record_outcome(
            v.clerk,
            m.id,
            mediation_rules.OutcomeInput(mediation_rules.NO_AGREEMENT, today, note="x"),
            today=today,
        )
    assert [r.kind for r in service.reminders(v.clerk, date(2026, 12, 1))] == [records.FOLLOW_UP_DUE]
    visited = mediation_service.record_follow_up(
        v.clerk,
        m.id,
        mediation_rules.FollowUpInput(
            2, date(2026, 12, 1), mediation_rules.PERFORMED, petition_rules.BASIC, "张调解", "院墙已拆除重砌"
        ),
        today=date(2026, 12, 1),
    )
    [visit] = visited.follow_ups
    assert (visit.party, visit.performance, visit.satisfaction) == (
        "赵国强",
        mediation_rules.PERFORMED,
        petition_rules.BASIC,
    )
    assert service.reminders(v.clerk, date(2026, 12, 1)) == []
    assert audit.verify_records(AUDITED_MODELS) == []


def test_disputes_end_in_each_outcome_and_late_ones_show(village: Village) -> None:
    v = village
    today = date(2026, 11, 30)
    outcomes = {}
    for outcome in (mediation_rules.NO_AGREEMENT, mediation_rules.REFERRED):
        m = mediation_service.create_mediation(v.clerk, mediation_input(v, date(2026, 10, 1)), today=today)
        session = mediation_rules.SessionInput(date(2026, 10, 8), "", ("张调解",), "各执一词")
        mediation_service.record_session(v.clerk, m.id, session, today=today)
        with pytest.raises(ValidationError):
            mediation_service.record_outcome(
                v.clerk, m.id, mediation_rules.OutcomeInput(outcome, date(2026, 10, 9)), today=today
            )
        done = mediation_service.record_outcome(
            v.clerk,
            m.id,
            mediation_rules.OutcomeInput(outcome, date(2026, 10, 9), note="移交镇司法所"),
            today=today,
        )
        outcomes[outcome] = done
    late = mediation_service.create_mediation(v.clerk, mediation_input(v, date(2026, 10, 20)), today=today)
    rows = {r.id: r for r in mediation_service.list_mediations(v.clerk, today=today)}
    assert rows[late.id].overdue and not rows[outcomes[mediation_rules.REFERRED].id].overdue
    assert service.attention(v.clerk, today).mediations_overdue == 1
    assert [r.number for r in service.reminders(v.clerk, today)] == [late.number]
    assert [
        r.id
        for r in mediation_service.list_mediations(v.clerk, mediation_service.MediationFilter(text=PARTY_A))
    ] == [
        late.id,
        outcomes[mediation_rules.REFERRED].id,
        outcomes[mediation_rules.NO_AGREEMENT].id,
    ]
    open_only = mediation_service.list_mediations(v.clerk, mediation_service.MediationFilter(outcome=""))
    assert [r.id for r in open_only] == [late.id]


def test_a_dispute_is_corrected_while_it_is_mediated(village: Village) -> None:
    v = village
    today = date(2026, 11, 30)
    m = mediation_service.create_mediation(v.clerk, mediation_input(v), today=today)
    data = m.as_input()
    from dataclasses import replace

    fixed = mediation_service.update_mediation(
        v.clerk, m.id, replace(data, facts="院墙向东多占约0.4米。"), today=today
    )
    assert fixed.facts == "院墙向东多占约0.4米。" and [p.name for p in fixed.parties] == [
        p.name for p in m.parties
    ]
    with pytest.raises(ValidationError, match="registered"):
        mediation_service.update_mediation(
            v.clerk, m.id, replace(data, received_on=date(2026, 11, 4)), today=today
        )
    assert audit.verify_records(AUDITED_MODELS) == []


def test_mediations_of_another_village_are_not_found(village: Village) -> None:
    with pytest.raises(NotFound):
        mediation_service.get_mediation(village.clerk, 4242)
    with pytest.raises(NotFound):
        petition_service.get_petition(village.clerk, 4242)


# --- figures, against a hand count ---------------------------------------------------------------------


def test_the_figures_of_a_small_period_match_the_hand_count(village: Village) -> None:
    """Four petitions and four disputes in October and November 2026, counted by hand (see test_rules)."""
    v = village

    def petition(ledger: str, received: date) -> int:
        return petition_service.create_petition(
            v.clerk, petition_input(v.petitioner, ledger, received), today=received
        ).id

    def steps(pid: int, *days: tuple[date, str]) -> None:
        for on, answer in days:
            record(v, pid, on, **({"satisfaction": answer} if answer else {}))

    d = date
    p1 = petition(petition_rules.CLAIM, d(2026, 10, 12))  # on time throughout
    steps(
        p1,
        (d(2026, 10, 12), ""),
        (d(2026, 10, 12), ""),
        (d(2026, 10, 12), ""),
        (d(2026, 10, 19), ""),
        (d(2026, 10, 26), ""),
        (d(2026, 10, 26), ""),
        (d(2026, 10, 28), petition_rules.SATISFIED),
        (d(2026, 10, 30), ""),
    )
    p2 = petition(petition_rules.CLAIM, d(2026, 10, 13))  # dissatisfied, reopened, then on time to the end
    steps(
        p2,
        (d(2026, 10, 13), ""),
        (d(2026, 10, 13), ""),
        (d(2026, 10, 13), ""),
        (d(2026, 10, 20), ""),
        (d(2026, 10, 27), ""),
        (d(2026, 10, 27), ""),
        (d(2026, 10, 29), petition_rules.DISSATISFIED),
        (d(2026, 10, 30), ""),
        (d(2026, 11, 6), ""),
        (d(2026, 11, 13), ""),
        (d(2026, 11, 13), ""),
        (d(2026, 11, 20), petition_rules.BASIC),
        (d(2026, 11, 23), ""),
    )
    p3 = petition(petition_rules.COMPLAINT, d(2026, 11, 2))  # reviewed a week late
    steps(
        p3,
        (d(2026, 11, 9), ""),
        (d(2026, 11, 9), ""),
        (d(2026, 11, 9), ""),
        (d(2026, 11, 16), ""),
        (d(2026, 11, 20), ""),
        (d(2026, 11, 20), ""),
        (d(2026, 11, 24), petition_rules.SATISFIED),
        (d(2026, 11, 25), ""),
    )
    p4 = petition(petition_rules.SUGGESTION, d(2026, 9, 25))  # received before the period, closed in it
    steps(
        p4,
        (d(2026, 9, 25), ""),
        (d(2026, 9, 25), ""),
        (d(2026, 9, 25), ""),
        (d(2026, 10, 12), ""),
        (d(2026, 10, 15), ""),
        (d(2026, 10, 15), ""),
        (d(2026, 10, 16), petition_rules.SATISFIED),
        (d(2026, 10, 20), ""),
    )
    petition(petition_rules.SUGGESTION, d(2026, 11, 10))  # still open
    petition(petition_rules.CLAIM, d(2026, 12, 1))  # after the period
    assert [petition_service.get_petition(v.clerk, p).on_time for p in (p1, p2, p3, p4)] == [
        True,
        True,
        False,
        True,
    ]

    def mediation(received: date, outcome: str, concluded: date | None) -> None:
        m = mediation_service.create_mediation(v.clerk, mediation_input(v, received), today=d(2026, 12, 31))
        if outcome:
            mediation_service.record_session(
                v.clerk,
                m.id,
                mediation_rules.SessionInput(received, "", ("张调解",), "调解"),
                today=d(2026, 12, 31),
            )
            data = (
                agreement_input(concluded)
                if outcome == mediation_rules.AGREEMENT
                else mediation_rules.OutcomeInput(outcome, concluded, note="未达成")
            )
            mediation_service.record_outcome(v.clerk, m.id, data, today=d(2026, 12, 31))

    mediation(d(2026, 10, 5), mediation_rules.AGREEMENT, d(2026, 10, 15))
    mediation(d(2026, 10, 20), mediation_rules.NO_AGREEMENT, d(2026, 11, 5))
    mediation(d(2026, 11, 10), "", None)
    mediation(d(2026, 9, 20), mediation_rules.REFERRED, d(2026, 10, 2))

    f = service.figures(v.supervisor, d(2026, 10, 1), d(2026, 11, 30))

    def cells(row: rules.LedgerFigures) -> tuple[int, ...]:
        return (row.received, row.closed, row.on_time, row.answers, row.satisfied)

    assert [cells(r) for r in f.ledgers[petition_rules.CLAIM]] == [(2, 1, 1, 2, 1), (0, 1, 1, 1, 1)]
    assert [cells(r) for r in f.ledgers[petition_rules.COMPLAINT]] == [(0, 0, 0, 0, 0), (1, 1, 0, 1, 1)]
    assert [cells(r) for r in f.ledgers[petition_rules.SUGGESTION]] == [(0, 1, 1, 1, 1), (1, 0, 0, 0, 0)]
    every = f.ledger_totals[""]
    assert cells(every) == (4, 4, 3, 5, 4)
    assert (every.on_time_rate, every.satisfaction_rate) == (Fraction(3, 4), Fraction(4, 5))
    assert [(m.received, m.concluded, m.resolved) for m in f.mediations] == [(2, 2, 1), (1, 1, 0)]
    assert f.mediation_total is not None and f.mediation_total.success_rate == Fraction(1, 3)
    with pytest.raises(ValidationError):
        service.figures(v.clerk, d(2026, 11, 30), d(2026, 10, 1))


# --- the audit trail ---------------------------------------------------------------------------------------


def test_every_write_is_audited_and_check_is_clean(village: Village, any_store) -> None:  # type: ignore[no-untyped-def]
    v = village
    on = date(2026, 11, 2)
    p = petition_service.create_petition(
        v.clerk, petition_input(v.petitioner), today=on, now=datetime(2026, 11, 2, 9)
    )
    walk(v, p.id, petition_rules.CLOSE, on)
    m = mediation_service.create_mediation(v.clerk, mediation_input(v), today=date(2026, 11, 30))
    mediation_service.record_session(
        v.clerk,
        m.id,
        mediation_rules.SessionInput(date(2026, 11, 5), "", ("张调解",), "调解"),
        today=date(2026, 11, 30),
    )
    mediation_service.record_outcome(v.clerk, m.id, agreement_input(), today=date(2026, 11, 30))
    actions = [e.action for e in audit.AuditEntry.select().where(audit.AuditEntry.entity == "petition_step")]
    assert actions == list(petition_rules.STEPS)
    report = maintenance.check(any_store)
    assert report.ok, report.lines()


def test_a_complaint_that_names_its_complainant_in_its_words_is_stored_without_it(village: Village) -> None:
    v = village
    on = date(2026, 11, 2)
    words = f"{COMPLAINANT}来访反映养殖场异味，电话{COMPLAINANT_PHONE}。"
    p = petition_service.create_petition(
        v.clerk,
        petition_input(
            v.complainant,
            petition_rules.COMPLAINT,
            subject=f"{COMPLAINANT}反映异味",
            content=words,
            contact=COMPLAINANT_PHONE,
        ),
        today=on,
    )
    record(v, p.id, on, note=f"请核实{COMPLAINANT}反映的问题")
    vid = v.clerk.village_id
    for actor in every_reader(v):
        sees = actor is v.secretary
        detail = petition_service.get_petition(actor, p.id)
        [row] = petition_service.list_petitions(actor, village_id=vid)
        # The words were stored without the name and phone: nobody reads them there, the secretary
        # reads who it was where it says so.
        shown = repr((detail.subject, detail.content, [s.note for s in detail.steps], row.subject))
        assert COMPLAINANT not in shown and COMPLAINANT_PHONE not in shown
        assert detail.subject == "（保密）反映异味" and "养殖场异味" in detail.content
        assert (detail.petitioner == COMPLAINANT) == sees and (row.petitioner == COMPLAINANT) == sees
        # Searching the name (or the phone) does not point at the complaint; its matter still finds it.
        for term in (COMPLAINANT, COMPLAINANT_PHONE):
            found = petition_service.list_petitions(
                actor, petition_service.PetitionFilter(text=term), village_id=vid
            )
            assert (len(found) == 1) == sees
        assert (
            len(
                petition_service.list_petitions(
                    actor, petition_service.PetitionFilter(text="异味"), village_id=vid
                )
            )
            == 1
        )


def test_no_audit_entry_and_no_audited_row_holds_a_complainant(village: Village, any_store) -> None:  # type: ignore[no-untyped-def]
    """The audit log goes to the township with the yearly archive: who complained stays in the village."""
    v = village
    on = date(2026, 11, 2)
    p = petition_service.create_petition(
        v.clerk,
        petition_input(
            v.complainant,
            petition_rules.COMPLAINT,
            subject=f"{COMPLAINANT}反映异味",
            content=f"我是{COMPLAINANT}，电话{COMPLAINANT_PHONE}。",
            contact=COMPLAINANT_PHONE,
        ),
        today=on,
    )
    walk(v, p.id, petition_rules.CHECK, on)
    record(v, p.id, on, note=f"已告知{COMPLAINANT}办理结果")  # 回复征询
    # The secretary corrects it (a new phone): still nothing in the log.
    seen = petition_service.get_petition(v.secretary, p.id).as_input()
    petition_service.update_petition(v.secretary, p.id, replace(seen, contact="13700001111"), today=on)
    # (The roster's own entries name her as a villager, as they name everyone: not as a complainant.)
    entries = audit.AuditEntry.select().where(audit.AuditEntry.entity.startswith("petition"))
    assert entries.count() >= 10
    logged = " ".join(f"{e.before or ''} {e.after or ''}" for e in entries)
    for secret in (COMPLAINANT, COMPLAINANT_PHONE, "13700001111", f'"villager_id":{v.complainant},'):
        assert secret not in logged
    stored = Petition.get_by_id(p.id)
    assert (stored.petitioner, stored.contact, stored.villager_id) == ("", "", None)
    assert stored.subject == "（保密）反映异味" and COMPLAINANT not in stored.content
    assert all(COMPLAINANT not in s.note for s in PetitionStep.select())
    # The secretary still sees who it was; the log still explains every audited row.
    detail = petition_service.get_petition(v.secretary, p.id)
    assert (detail.petitioner, detail.contact, detail.villager_id) == (
        COMPLAINANT,
        "13700001111",
        v.complainant,
    )
    assert maintenance.check(any_store).ok


# Each step's default time limit at its boundary, everything before it done on Monday 28 September
# 2026: 1-7 October are days off, Saturday 10 October is a make-up working day.
BOUNDARIES = {
    petition_rules.REVIEW: date(2026, 9, 29),  # 1 working day after 建账
    petition_rules.ACKNOWLEDGE: date(2026, 10, 8),  # 3 after receipt: 29, 30 September, 8 October
    petition_rules.ASSIGN: date(2026, 9, 29),  # 1 after 阅批
    petition_rules.SUPERVISE: date(2026, 10, 16),  # 10 after 交办, the make-up Saturday among them
    petition_rules.FEEDBACK: date(2026, 10, 23),  # 15 after 交办
    petition_rules.CHECK: date(2026, 9, 30),  # 2 after the result
    petition_rules.CONSULT: date(2026, 10, 10),  # 5 after the result: the make-up Saturday itself
    petition_rules.CLOSE: date(2026, 10, 8),  # 3 after 回复征询
}


@pytest.mark.parametrize("step", list(BOUNDARIES))
def test_each_time_limit_ends_on_its_last_working_day(village: Village, step: str) -> None:
    v = village
    monday = date(2026, 9, 28)
    before = petition_rules.STEPS[petition_rules.STEPS.index(step) - 1]
    petitions = []
    for _ in range(2):
        p = petition_service.create_petition(
            v.clerk, petition_input(v.petitioner, received_on=monday), today=monday
        )
        if before != petition_rules.REGISTER:
            walk(v, p.id, before, monday)
        petitions.append(p.id)
    last_day = BOUNDARIES[step]
    next_day = last_day + timedelta(days=1)
    detail = petition_service.get_petition(v.clerk, petitions[0], last_day)
    assert (detail.next_step, detail.due_on, detail.status) == (step, last_day, petition_rules.DUE_SOON)
    assert petition_service.get_petition(v.clerk, petitions[0], next_day).status == petition_rules.OVERDUE
    on_time = record(v, petitions[0], last_day)
    late = record(v, petitions[1], next_day)
    assert (on_time.steps[-1].step, on_time.steps[-1].on_time) == (step, True)
    assert (late.steps[-1].step, late.steps[-1].on_time) == (step, False)
