"""What the council's papers print (always in the document language): the meeting notice, the sign-in
sheet, the minutes and each resolution, as plain records for the layouts (pdf.py)."""

from __future__ import annotations

from datetime import date

from villagegov.accounts.models import User
from villagegov.core import clock, voting
from villagegov.core.actor import Actor
from villagegov.core.i18n import N_, _, in_document_language
from villagegov.core.privacy import Masking
from villagegov.council import rules
from villagegov.council.models import AgendaItem, CouncilMember, Observer
from villagegov.council.records import (
    AbsenceLine,
    AmendmentLine,
    MeetingNoticeDocument,
    MinutesDocument,
    MinutesItem,
    NoticeItem,
    ObserverLine,
    ResolutionDocument,
    SignInRow,
    SignInSheetDocument,
    VoteLine,
    VoteRow,
)
from villagegov.council.service._common import _member_query, _member_row, _readable_meeting
from villagegov.council.service._rows import _detail
from villagegov.council.service.resolutions import get_resolution
from villagegov.roster.models import Village


def _masking(actor: Actor, village_id: int) -> Masking:
    """How the village's paper masks numbers (kept with its notices' settings)."""
    from villagegov.notices import service as notices

    return notices.masking(actor, village_id)


def _observer_lines(meeting_id: int) -> tuple[ObserverLine, ...]:
    query = Observer.select().where(Observer.meeting == meeting_id).order_by(Observer.id)
    return tuple(ObserverLine(o.name, rules.observer_label(o.kind), o.note) for o in query)


@in_document_language
def meeting_notice(actor: Actor, meeting_id: int, today: date | None = None) -> MeetingNoticeDocument:
    """会议通知 to the members expected, with the agenda; signed by the council on `today`."""
    meeting = _readable_meeting(actor, meeting_id)
    detail = _detail(meeting)
    return MeetingNoticeDocument(
        meeting_id=detail.id, village=detail.village, council=detail.council_name, meeting_title=detail.title,
        number=detail.number, date=detail.date, time=detail.time, place=detail.place,
        convener=detail.convener.name, chair=detail.chair.name, recorder=detail.recorder.name,
        recipients=tuple(a.name for a in detail.attendance),
        items=tuple(NoticeItem(i.order, i.title, i.proposer, i.background) for i in detail.items),
        sign_date=today or clock.today(), masking=_masking(actor, meeting.council.village_id),
    )  # fmt: skip


@in_document_language
def sign_in_sheet(actor: Actor, meeting_id: int, blank_observer_rows: int = 3) -> SignInSheetDocument:
    """签到表: the members expected on the meeting's date, a blank column for each signature."""
    meeting = _readable_meeting(actor, meeting_id)
    detail = _detail(meeting)
    groups = {
        m.id: m.group
        for m in (_member_row(s) for s in _member_query().where(CouncilMember.council == detail.council_id))
    }
    rows = tuple(
        SignInRow(n, a.name, rules.role_label(a.role), groups.get(a.member_id, ""))
        for n, a in enumerate(detail.attendance, start=1)
    )
    return SignInSheetDocument(
        meeting_id=detail.id, village=detail.village, council=detail.council_name, meeting_title=detail.title,
        number=detail.number, date=detail.date, time=detail.time, place=detail.place, chair=detail.chair.name,
        recorder=detail.recorder.name, expected=detail.expected, rows=rows,
        observers=_observer_lines(detail.id), blank_observer_rows=max(0, blank_observer_rows),
        masking=_masking(actor, meeting.council.village_id),
    )  # fmt: skip


_METHOD_LABELS = {rules.COUNTS: N_("Show of hands"), rules.ROLL_CALL: N_("Roll call")}


def _vote_line(vote: VoteRow) -> VoteLine:
    return VoteLine(
        method=_(_METHOD_LABELS[vote.method]), expected=vote.expected, present=vote.present,
        recused=vote.recused, eligible=vote.eligible, for_=vote.for_, against=vote.against,
        abstain=vote.abstain, not_voting=vote.not_voting, needed=vote.needed,
        threshold=voting.threshold_text(vote.pass_threshold, vote.pass_base), outcome=vote.outcome,
        outcome_label=voting.result_label(vote.outcome),
        roll_call=tuple(
            (r.name, rules.choice_label(r.choice) if r.choice else _("Did not vote")) for r in vote.roll_call
        ),
    )  # fmt: skip


@in_document_language
def minutes_document(actor: Actor, meeting_id: int) -> MinutesDocument:
    """会议记录: everything the meeting's record prints, amendments included (the corrected text in place,
    the original beside it in the list of amendments). A meeting not yet held has no record."""
    meeting = _readable_meeting(actor, meeting_id)
    detail = _detail(meeting)
    detail.actions(actor.role, clock.today()).require(rules.PRINT_MINUTES)
    # Who corrected the record, by the name the papers know them by, not their user name.
    people = dict(User.select(User.username, User.display_name).tuples())
    quorum_text = voting.threshold_text(detail.rules_version.quorum, voting.MEMBERS)
    if detail.quorum_met is None:
        quorum_result = ""
    elif detail.quorum_met:
        quorum_result = _("The quorum was met.")
    else:
        quorum_result = _("The quorum was not met: the meeting was not held.")
    items = tuple(
        MinutesItem(
            order=i.order,
            title=i.title,
            proposer=i.proposer,
            background=i.background,
            for_vote=i.for_vote,
            needs_two_thirds=i.needs_two_thirds,
            minutes=i.minutes,
            recused=tuple(AbsenceLine(r.name, r.reason) for r in i.recusals),
            vote=_vote_line(i.vote) if i.vote else None,
            resolution_number=i.resolution.number if i.resolution and not i.resolution.void else "",
        )
        for i in detail.items
    )
    return MinutesDocument(
        meeting_id=detail.id, village=detail.village, council=detail.council_name, meeting_title=detail.title,
        number=detail.number, date=detail.date, time=detail.time, place=detail.place,
        convener=detail.convener.name, chair=detail.chair.name, recorder=detail.recorder.name,
        state=detail.state, state_label=rules.state_label(detail.state),
        final=detail.state == rules.FINALISED, held=bool(detail.quorum_met), expected=detail.expected,
        present=detail.present, quorum_needed=detail.quorum_needed, quorum_text=quorum_text,
        quorum_result=quorum_result,
        present_names=tuple(a.name for a in detail.attendance if a.status == rules.PRESENT),
        absent=tuple(AbsenceLine(a.name, a.reason) for a in detail.attendance if a.status == rules.ABSENT),
        observers=_observer_lines(detail.id), minutes=detail.minutes, items=items,
        amendments=tuple(
            AmendmentLine(a.what, a.original, a.corrected, a.reason, people.get(a.amended_by, a.amended_by),
                          a.amended_at)
            for a in detail.amendments
        ),
        chair_signed_on=detail.chair_signed_on, recorder_signed_on=detail.recorder_signed_on,
        signatures=rules.signatures_sentence(detail.chair_signed_on, detail.recorder_signed_on),
        masking=_masking(actor, meeting.council.village_id),
    )  # fmt: skip


@in_document_language
def resolution_document(actor: Actor, resolution_id: int) -> ResolutionDocument:
    """决议 as printed; a void resolution (its item no longer passes) is not printed."""
    row = get_resolution(actor, resolution_id)
    item = AgendaItem.get_by_id(row.item_id)
    meeting = _readable_meeting(actor, item.meeting_id)
    detail = _detail(meeting)
    detail.item_actions(actor.role, item.id).require(rules.PRINT_RESOLUTION)
    item_row = next(i for i in detail.items if i.id == item.id)
    assert item_row.vote is not None  # a valid resolution has its passing vote
    return ResolutionDocument(
        resolution_id=row.id, village=Village.get_by_id(meeting.council.village_id).name,
        council=meeting.council.name, number=row.number, title=row.title, text=row.text,
        item_title=item.title,
        meeting_title=rules.meeting_label(meeting.number), meeting_date=meeting.date, place=meeting.place,
        vote=_vote_line(item_row.vote), final=meeting.state == rules.FINALISED, sign_date=meeting.date,
        masking=_masking(actor, meeting.council.village_id),
    )  # fmt: skip
