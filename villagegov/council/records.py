"""村民议事会's plain records: what the service returns and the layouts, screens, the archive and the
四议两公开 room take.

Plain dataclasses only: no peewee, no Qt (a layout imports these, never the service).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from villagegov.core import voting
from villagegov.core.actions import Allowed
from villagegov.core.privacy import DEFAULT_MASKING, Masking
from villagegov.council import rules

# For annotations inside the dataclasses below that have a field named `date`.
Day = date

# --- plain data returned to the screens, the CLI, the PDF layouts and the 四议两公开 room ----------------


@dataclass(frozen=True)
class CouncilRow:
    id: int
    name: str
    term_start: date
    term_end: date


@dataclass(frozen=True)
class MemberRow:
    id: int  # the seat
    council_id: int
    villager_id: int
    name: str
    gender: str
    group: str
    phone: str
    role: str
    joined_on: date
    left_on: date | None  # the first day without the seat
    attended: bool = False  # the seat's attendance is on record at a meeting

    def actions(self, role: str) -> Allowed:
        return rules.seat_actions(role, self.attended)


@dataclass(frozen=True)
class RulesRow:
    id: int
    council_id: int
    effective_from: date
    quorum: voting.Threshold
    pass_threshold: voting.Threshold
    two_thirds: voting.Threshold
    set_at: datetime
    set_by: str  # the user name
    set_by_name: str = ""  # as the screens name them (council_rules gives it)

    def version(self) -> rules.RulesVersion:
        return rules.RulesVersion(self.effective_from, self.quorum, self.pass_threshold, self.two_thirds)


@dataclass(frozen=True)
class MeetingRow:
    id: int
    council_id: int
    number: int
    title: str  # 第3次会议
    date: date
    time: str
    place: str
    state: str
    quorum_met: bool | None
    expected: int
    present: int  # 0 until attendance is recorded
    items: int
    resolutions: int  # valid (not void) resolutions


@dataclass(frozen=True)
class AttendanceRow:
    member_id: int
    villager_id: int
    name: str
    role: str
    status: str | None  # present / absent; None until recorded
    reason: str
    id: int | None  # the attendance row (for an amendment of the reason)


@dataclass(frozen=True)
class ObserverRow:
    id: int
    name: str
    kind: str
    note: str


@dataclass(frozen=True)
class RecusalRow:
    member_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class RollCallRow:
    member_id: int
    name: str
    choice: str | None  # for / against / abstain; None: present and eligible but did not vote


@dataclass(frozen=True)
class VoteRow:
    method: str  # counts / roll_call
    for_: int
    against: int
    abstain: int
    expected: int
    present: int
    recused: int
    eligible: int  # present and not stepping aside
    not_voting: int
    needed: int  # least votes for that pass
    pass_threshold: voting.Threshold
    pass_base: str
    outcome: str  # passed / not_passed / quorum_not_met
    roll_call: tuple[RollCallRow, ...]  # empty for typed counts
    recorded_at: datetime
    recorded_by: str
    id: int | None = None  # the vote's row (the archive checks it against the audit log)


@dataclass(frozen=True)
class ResolutionRow:
    id: int
    item_id: int
    meeting_id: int
    year: int
    sequence: int
    number: str  # 〔2026〕议字第3号
    title: str
    text: str
    void: bool
    meeting_date: date


@dataclass(frozen=True)
class ItemRow:
    id: int
    meeting_id: int
    order: int
    title: str
    proposer: str
    background: str
    needs_two_thirds: bool
    for_vote: bool
    recusals: tuple[RecusalRow, ...]
    vote: VoteRow | None
    resolution: ResolutionRow | None
    minutes: str
    minutes_id: int | None

    def facts(self) -> rules.ItemFacts:
        r = self.resolution
        return rules.ItemFacts(self.title, self.for_vote, self.vote is not None, r.number if r else "",
                               bool(r and r.void))  # fmt: skip


@dataclass(frozen=True)
class AmendmentRow:
    id: int
    meeting_id: int
    target: str  # minutes.text, resolution.text, …
    target_id: int
    what: str  # the target in words
    original: str
    corrected: str
    reason: str
    amended_by: str
    amended_at: datetime


@dataclass(frozen=True)
class MeetingDetail:
    """A meeting as the clerk's screen shows it: everything."""

    id: int
    council_id: int
    council_name: str
    village: str
    number: int
    title: str
    date: date
    time: str
    place: str
    convener: rules.Person
    chair: rules.Person
    recorder: rules.Person
    state: str
    quorum_met: bool | None
    rules_version: RulesRow  # the council's rules in force on the meeting's date
    expected: int
    present: int
    quorum_needed: int  # least present for the quorum
    attendance: tuple[AttendanceRow, ...]  # every expected member, chair first
    observers: tuple[ObserverRow, ...]
    items: tuple[ItemRow, ...]
    minutes: str  # on the meeting as a whole
    minutes_id: int | None
    chair_signed_on: Day | None
    recorder_signed_on: Day | None
    finalised_at: datetime | None
    amendments: tuple[AmendmentRow, ...]

    def as_input(self) -> rules.MeetingInput:
        return rules.MeetingInput(self.date, self.place, self.time, self.convener, self.chair, self.recorder)

    def facts(self) -> rules.MeetingFacts:
        """What the rules decide the meeting's actions from (the service and the screen alike)."""
        return rules.MeetingFacts(
            self.number, self.state, self.date, self.chair.name, self.recorder.name, self.chair_signed_on,
            self.recorder_signed_on, self.expected, has_votes=any(i.vote is not None for i in self.items),
            numbered=any(i.resolution is not None for i in self.items),
            unvoted=tuple((i.order, i.title) for i in self.items if i.for_vote and i.vote is None),
        )  # fmt: skip

    def actions(self, role: str, today: Day) -> Allowed:
        return rules.meeting_actions(role, self.facts(), today)

    def item_actions(self, role: str, item_id: int) -> Allowed:
        item = next(i for i in self.items if i.id == item_id)
        return rules.item_actions(role, self.facts(), item.facts())


# --- documents for printing (always in the document language) -------------------------------------------


@dataclass(frozen=True)
class NoticeItem:
    order: int
    title: str
    proposer: str
    background: str


@dataclass(frozen=True)
class MeetingNoticeDocument:
    """会议通知 to the members."""

    meeting_id: int
    village: str
    council: str  # 青石村村民议事会, also the signing body
    meeting_title: str  # 第3次会议
    number: int
    date: date
    time: str  # 14:30 or ""
    place: str
    convener: str
    chair: str
    recorder: str
    recipients: tuple[str, ...]  # the members expected, chair first
    items: tuple[NoticeItem, ...]
    sign_date: Day
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class SignInRow:
    order: int
    name: str
    role: str  # 会长 / 副会长 / 成员, in words
    group: str  # the member's villager group


@dataclass(frozen=True)
class ObserverLine:
    name: str
    kind: str  # in words
    note: str


@dataclass(frozen=True)
class SignInSheetDocument:
    """签到表: the expected members with a blank column for signatures, and the observers (列席)."""

    meeting_id: int
    village: str
    council: str
    meeting_title: str
    number: int
    date: date
    time: str
    place: str
    chair: str
    recorder: str
    expected: int
    rows: tuple[SignInRow, ...]
    observers: tuple[ObserverLine, ...]  # known in advance; the layout adds blank lines
    blank_observer_rows: int
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class AbsenceLine:
    name: str
    reason: str


@dataclass(frozen=True)
class VoteLine:
    """An item's vote as printed: counts, the threshold in words, the outcome in words."""

    method: str  # in words: 举手表决 / 逐人表决
    expected: int
    present: int
    recused: int
    eligible: int
    for_: int
    against: int
    abstain: int
    not_voting: int
    needed: int
    threshold: str  # 超过实到人数的1/2
    outcome: str  # passed / not_passed / quorum_not_met
    outcome_label: str  # 通过
    roll_call: tuple[tuple[str, str], ...]  # (name, vote in words), roll calls only


@dataclass(frozen=True)
class MinutesItem:
    order: int
    title: str
    proposer: str
    background: str
    for_vote: bool
    needs_two_thirds: bool
    minutes: str
    recused: tuple[AbsenceLine, ...]  # who stepped aside and why
    vote: VoteLine | None
    resolution_number: str  # "" when none


@dataclass(frozen=True)
class AmendmentLine:
    what: str
    original: str
    corrected: str
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class MinutesDocument:
    """会议记录: the meeting, who came, what was said and decided per item, corrections, signatures."""

    meeting_id: int
    village: str
    council: str
    meeting_title: str
    number: int
    date: date
    time: str
    place: str
    convener: str
    chair: str
    recorder: str
    state: str
    state_label: str
    final: bool  # finalised: signed by the chair and the recorder
    held: bool  # the quorum was met
    expected: int
    present: int
    quorum_needed: int
    quorum_text: str  # 不少于成员总数的2/3
    quorum_result: str  # "" while planned; 符合法定人数 / 不足法定人数，会议流会
    present_names: tuple[str, ...]
    absent: tuple[AbsenceLine, ...]
    observers: tuple[ObserverLine, ...]
    minutes: str  # on the meeting as a whole
    items: tuple[MinutesItem, ...]
    amendments: tuple[AmendmentLine, ...]
    chair_signed_on: Day | None
    recorder_signed_on: Day | None
    signatures: str = ""  # who has signed, in words (rules.signatures_sentence): the paper's mark until final
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


@dataclass(frozen=True)
class ResolutionDocument:
    """决议: one passed item's resolution, dated the day of the meeting that adopted it."""

    resolution_id: int
    village: str
    council: str  # the signing body
    number: str  # 〔2026〕议字第3号
    title: str
    text: str
    item_title: str
    meeting_title: str
    meeting_date: date
    place: str
    vote: VoteLine
    final: bool  # the meeting is finalised
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper


# --- what a 四议两公开 step takes from the council --------------------------------------------------------


@dataclass(frozen=True)
class AgendaItemFacts:
    """What a 四议两公开 decision step needs from the council agenda item that served it.

    The decisions room stores the link (its step references `item_id`) and shows or prints these
    facts; it never reads the council's tables. Every number is the council's own record:

    - the meeting: `meeting_id`, `meeting_number` (第N次会议 of the term, also as `meeting_title`),
      `date`, `time` ("14:30" or ""), `place`, `chair` (主持人), `recorder` (记录人), `state`
      (planned / held / not_held / finalised) and `finalised` (signed by the chair and the recorder:
      only then is the record locked and fit to cite);
    - attendance: `expected` (members holding a seat that day), `present`, `observers` (列席, no
      vote), `quorum_met` (None until attendance is recorded);
    - the item: `item_id`, `order` on the agenda, `title`, `needs_two_thirds`, `for_vote` (False for
      an item only heard or discussed);
    - its vote (all None until entered): `for_`, `against`, `abstain`, `recused` (回避, not
      eligible), `eligible` (present and not stepping aside), `needed` (least votes for that pass),
      `threshold` (an exact Fraction with `strict`: more than half is Fraction(1, 2) strict) and
      `threshold_text` in the user's language;
    - `outcome`: passed / not_passed / quorum_not_met, computed by core/voting.py under the council's
      rules on the meeting's date, never typed; quorum_not_met also for an item of a 流会 (no vote can
      be entered there); None while the item awaits its vote or is not voted on;
    - the resolution of a passed item: `resolution_id`, `resolution_number` (〔2026〕议字第3号),
      `resolution_title`, `resolution_text` (all "" / None when there is none or it became void).
    """

    item_id: int
    meeting_id: int
    council: str
    meeting_number: int
    meeting_title: str
    date: date
    time: str
    place: str
    chair: str
    recorder: str
    state: str
    finalised: bool
    expected: int
    present: int
    observers: int
    quorum_met: bool | None
    order: int
    title: str
    needs_two_thirds: bool
    for_vote: bool
    for_: int | None
    against: int | None
    abstain: int | None
    recused: int | None
    eligible: int | None
    needed: int | None
    threshold: voting.Threshold | None
    threshold_text: str
    outcome: str | None
    resolution_id: int | None
    resolution_number: str
    resolution_title: str
    resolution_text: str
