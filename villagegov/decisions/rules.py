"""四议两公开: what the six steps of a major village matter allow, in what order. Pure: no database, no Qt.

The six steps, strictly in order (DOMAIN.md, GLOSSARY.md):

    1 propose              党支部会提议             party branch committee meeting
    2 discuss              村“两委”会商议           joint meeting of the two committees
    3 review               党员大会审议             party members' meeting: a vote (core/voting.py)
    4 resolve              村民会议或村民代表会议决议  villagers' or representatives' meeting (or, where that
                                                    is the village's practice, the council): a vote
    5 disclose_resolution  决议公开                 a 公示 of the resolution, posted for its whole period
    6 disclose_result      实施结果公开             a 公示 of what was done and spent, after step 5 ended

A step is recorded only when the step before it succeeded in the same round; its date is never earlier
than the date of the record before it. A failed vote (or a proposal not agreed) either ends the
decision as not adopted or sends it back to step 1 as a revised proposal: a new round, the earlier
rounds kept as history. A meeting whose quorum was not met did not decide anything: the step is held
again. Whether a vote passed is decided by core/voting.py, never here and never typed in.

Law as cited in the interface (村民委员会组织法 as amended on 2025-10-28, in force since 2026-01-01: a
new Article 5 moved every later article up by one; 2018 numbers in brackets): villagers are notified
10 days before a 村民会议 (Art. 22 [21]); its quorum and majority (Art. 23 [22]); the matters it
decides (Art. 25 [24]); the representatives' meeting's composition (Art. 26 [25]) and its quorum and
majority (Art. 27 [26]).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from villagegov.accounts import rules as access
from villagegov.core import voting
from villagegov.core.actions import FINAL, Allowed, Refusal, refuse
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_, _, format_date, ngettext
from villagegov.core.numbering import document_number
from villagegov.notices import rules as notice_rules
from villagegov.roster import rules as roster_rules

# --- the six steps ------------------------------------------------------------------------------

PROPOSE, DISCUSS, REVIEW, RESOLVE = "propose", "discuss", "review", "resolve"
DISCLOSE_RESOLUTION, DISCLOSE_RESULT = "disclose_resolution", "disclose_result"
STEPS = (PROPOSE, DISCUSS, REVIEW, RESOLVE, DISCLOSE_RESOLUTION, DISCLOSE_RESULT)
MEETING_STEPS = (PROPOSE, DISCUSS, REVIEW, RESOLVE)
DISCLOSURE_STEPS = (DISCLOSE_RESOLUTION, DISCLOSE_RESULT)
VOTING_STEPS = (REVIEW, RESOLVE)

STEP_LABELS = {
    PROPOSE: N_("Party branch proposes"),  # 党支部会提议
    DISCUSS: N_("Two committees discuss"),  # 村“两委”会商议
    REVIEW: N_("Party members' meeting reviews"),  # 党员大会审议
    RESOLVE: N_("Villagers' (representatives') meeting resolves"),  # 村民会议或村民代表会议决议
    DISCLOSE_RESOLUTION: N_("Resolution disclosed"),  # 决议公开
    DISCLOSE_RESULT: N_("Implementation result disclosed"),  # 实施结果公开
}


def step_number(step: str) -> int:
    return STEPS.index(step) + 1


def step_label(step: str) -> str:
    return _(STEP_LABELS[step])


def step_title(step: str) -> str:
    """“Step 4: Villagers' (representatives') meeting resolves”."""
    return _("Step {n}: {label}").format(n=step_number(step), label=step_label(step))


def previous_step(step: str) -> str | None:
    index = STEPS.index(step)
    return STEPS[index - 1] if index else None


# --- kinds of major matter (村民委员会组织法 Art. 25, 2018 Art. 24) ---------------------------------------

LOST_WORK_PAY = "lost_work_pay"
COLLECTIVE_INCOME = "collective_income"
PUBLIC_WORKS = "public_works"
LAND_CONTRACTING = "land_contracting"
COLLECTIVE_PROJECT = "collective_project"
HOMESTEAD = "homestead"
COMPENSATION = "compensation"
ASSET_DISPOSAL = "asset_disposal"
OTHER = "other"
KINDS = (
    COLLECTIVE_INCOME, PUBLIC_WORKS, LAND_CONTRACTING, COLLECTIVE_PROJECT, HOMESTEAD, COMPENSATION,
    ASSET_DISPOSAL, LOST_WORK_PAY, OTHER,
)  # fmt: skip
KIND_LABELS = {
    LOST_WORK_PAY: N_("Persons paid for lost work time and their pay"),
    COLLECTIVE_INCOME: N_("Use of collective economic income"),
    PUBLIC_WORKS: N_("Public-welfare works, their financing and construction contracts"),
    LAND_CONTRACTING: N_("Land contracting plan"),
    COLLECTIVE_PROJECT: N_("Collective economic projects and their contracting"),
    HOMESTEAD: N_("Homestead plan"),
    COMPENSATION: N_("Use and distribution of land-requisition compensation"),
    ASSET_DISPOSAL: N_("Disposal of collective property"),
    OTHER: N_("Other major matter"),
}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind])


# --- the bodies that hold the steps ----------------------------------------------------------------------

BRANCH_COMMITTEE = "branch_committee"  # 村党组织（党支部）委员会会议
TWO_COMMITTEES = "two_committees"  # 村“两委”联席会议
PARTY_MEMBERS = voting.PARTY_MEMBERS_MEETING_BODY
VILLAGERS = voting.VILLAGERS_MEETING_BODY
REPRESENTATIVES = voting.REPRESENTATIVES_MEETING_BODY
COUNCIL = voting.COUNCIL_BODY  # step 4 held by the council where that is the village's practice
BODIES: dict[str, tuple[str, ...]] = {
    PROPOSE: (BRANCH_COMMITTEE,),
    DISCUSS: (TWO_COMMITTEES,),
    REVIEW: (PARTY_MEMBERS,),
    RESOLVE: (REPRESENTATIVES, VILLAGERS, COUNCIL),
}
_BODY_LABELS = {
    BRANCH_COMMITTEE: N_("Party branch committee meeting"),
    TWO_COMMITTEES: N_("Joint meeting of the two committees"),
}


def body_label(body: str) -> str:
    if body in _BODY_LABELS:
        return _(_BODY_LABELS[body])
    return voting.body_label(body)


# --- outcomes ---------------------------------------------------------------------------------------------

AGREED, NOT_AGREED = "agreed", "not_agreed"  # steps 1 and 2: the meeting agreed, or did not
DISCLOSING, DISCLOSED = "disclosing", "disclosed"  # steps 5 and 6: under way, complete
SUCCEEDED = frozenset({AGREED, voting.PASSED, DISCLOSED})
FAILED = frozenset({NOT_AGREED, voting.NOT_PASSED})
OUTCOME_LABELS = {
    AGREED: N_("Agreed"),
    NOT_AGREED: N_("Not agreed"),
    DISCLOSING: N_("Being disclosed"),
    DISCLOSED: N_("Disclosed"),
}


def outcome_label(outcome: str) -> str:
    if outcome in OUTCOME_LABELS:
        return _(OUTCOME_LABELS[outcome])
    return voting.result_label(outcome)


# --- the decision's state ---------------------------------------------------------------------------------

IN_PROGRESS, NOT_ADOPTED, COMPLETE = "in_progress", "not_adopted", "complete"
STATES = (IN_PROGRESS, NOT_ADOPTED, COMPLETE)
STATE_LABELS = {
    IN_PROGRESS: N_("In progress"),
    NOT_ADOPTED: N_("Not adopted"),
    COMPLETE: N_("Complete"),
}


def state_label(state: str) -> str:
    return _(STATE_LABELS[state])


# What the decision is waiting for at its current step.
RECORD = "record"  # the step's record
CHOICE = "choice"  # the vote failed: revise (back to step 1) or end as not adopted
AGAIN = "again"  # the quorum was not met: hold the meeting again (or end)
UNDER_WAY = "under_way"  # the disclosure's notice is drafted or posted and runs its period
DONE = "done"
ENDED = "ended"

# --- participants -----------------------------------------------------------------------------------------

MEMBER, OBSERVER = "member", "observer"
# Kinds of member (who has a seat in the meeting) and of observer (列席, no vote).
REPRESENTATIVE, COMMITTEE_MEMBER, PARTY_MEMBER = "representative", "committee", "party_member"
MEMBER_KINDS = ("", REPRESENTATIVE, COMMITTEE_MEMBER, PARTY_MEMBER)
SUPERVISORY, TOWNSHIP, OTHER_OBSERVER = "supervisory", "township", "other"
OBSERVER_KINDS = (SUPERVISORY, TOWNSHIP, OTHER_OBSERVER)
KIND_OF_PERSON_LABELS = {
    "": N_("Member"),
    REPRESENTATIVE: N_("Villagers' representative"),
    COMMITTEE_MEMBER: N_("Village committee member"),
    PARTY_MEMBER: N_("Party member"),
    SUPERVISORY: N_("Supervisory committee"),
    TOWNSHIP: N_("Township"),
    OTHER_OBSERVER: N_("Other"),
}


def person_kind_label(kind: str) -> str:
    return _(KIND_OF_PERSON_LABELS[kind])


@dataclass(frozen=True)
class Participant:
    """Someone expected at a meeting (a member, who counts for the quorum) and whether they came."""

    name: str
    present: bool = True
    villager_id: int | None = None
    kind: str = ""  # representative / committee / party_member / ""
    note: str = ""  # why absent, or a position (村委会主任)


@dataclass(frozen=True)
class Observer:
    """列席: sits in without a vote: the supervisory committee, township staff, others."""

    name: str
    kind: str = SUPERVISORY
    note: str = ""


# --- what a step's form gives -----------------------------------------------------------------------------

MAX_TITLE = 200
MAX_NAME = 60
MAX_TEXT = 50_000
MAX_FIELD = 200


@dataclass(frozen=True)
class StepInput:
    """One meeting step (1 to 4) as its form gives it.

    `agreed` is the conclusion of steps 1 and 2; steps 3 and 4 give the vote counts instead, whose
    outcome core/voting.py decides. A villagers' meeting gives the adults present and the households
    represented (the village's adults and households come from the roster); a representatives'
    meeting and the party members' meeting list their members in `participants`. `agenda_item_id`
    makes step 4 the council meeting record that served it.
    """

    held_on: date
    place: str = ""
    chair: str = ""
    recorder: str = ""
    body: str = ""  # step 4: representatives / villagers / council; the others have one body each
    participants: tuple[Participant, ...] = ()
    observers: tuple[Observer, ...] = ()
    agreed: bool | None = None
    for_: int = 0
    against: int = 0
    abstain: int = 0
    recused: int = 0  # present but stepping aside (回避)
    adults_present: int | None = None
    households_present: int | None = None
    notified_on: date | None = None  # a villagers' meeting: the day villagers were notified
    joint: bool = False  # step 2 held in one meeting with step 1 (the secretary also chairs: 一肩挑)
    agenda_item_id: int | None = None
    summary: str = ""  # what was said
    text: str = ""  # the proposal, the plan, the resolution, as agreed


def clean_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def clean_text(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def check_title(title: str) -> str:
    clean = clean_line(title)
    if not clean:
        raise ValidationError(N_("Please enter the matter's title."), field="title")
    if len(clean) > MAX_TITLE:
        raise ValidationError(N_("A title has at most {max} characters."), field="title", max=MAX_TITLE)
    return clean


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationError(N_("Unknown kind of matter: {kind}"), field="kind", kind=kind)
    return kind


def check_long_text(text: str, field: str) -> str:
    clean = clean_text(text)
    if len(clean) > MAX_TEXT:
        raise ValidationError(N_("The text has more than {max} characters."), field=field, max=MAX_TEXT)
    return clean


def _check_field(text: str, field: str, label: str) -> str:
    clean = clean_line(text)
    if len(clean) > MAX_FIELD:
        raise ValidationError(
            N_("{what} has at most {max} characters."), field=field, what=_(label), max=MAX_FIELD
        )
    return clean


def check_people(
    participants: Sequence[Participant], observers: Sequence[Observer]
) -> tuple[tuple[Participant, ...], tuple[Observer, ...]]:
    """Names cleaned; nobody listed twice among the members; kinds known."""
    members: list[Participant] = []
    seen: set[tuple[int | None, str]] = set()
    for p in participants:
        name = clean_line(p.name)
        if not name:
            raise ValidationError(N_("A member listed has no name."), field="participants")
        if len(name) > MAX_NAME:
            raise ValidationError(
                N_("The name {name} is longer than {max} characters."), field="participants", name=name,
                max=MAX_NAME,
            )  # fmt: skip
        if p.kind not in MEMBER_KINDS:
            raise ValidationError(N_("Unknown kind of member: {kind}"), field="participants", kind=p.kind)
        key = (p.villager_id, "") if p.villager_id is not None else (None, name)
        if key in seen:
            raise ValidationError(N_("{name} is listed twice."), field="participants", name=name)
        seen.add(key)
        members.append(Participant(name, bool(p.present), p.villager_id, p.kind, clean_line(p.note)))
    sitting: list[Observer] = []
    for o in observers:
        name = clean_line(o.name)
        if not name:
            raise ValidationError(N_("An observer listed has no name."), field="observers")
        if o.kind not in OBSERVER_KINDS:
            raise ValidationError(N_("Unknown kind of observer: {kind}"), field="observers", kind=o.kind)
        sitting.append(Observer(name, o.kind, clean_line(o.note)))
    return tuple(members), tuple(sitting)


def check_step_input(step: str, data: StepInput, today: date) -> StepInput:
    """The form cleaned, or a refusal naming the field: the body fits the step, the counts are whole,
    the conclusion or the votes are there, nothing is dated in the future."""
    if step not in MEETING_STEPS:
        raise ValidationError(
            N_("{step} is a disclosure: it is started from its notice, not recorded as a meeting."),
            step=step_title(step),
        )
    body = data.body or BODIES[step][0]
    if body not in BODIES[step]:
        raise ValidationError(
            N_("{body} does not hold {step}."), field="body", body=body_label(body), step=step_title(step)
        )
    if data.held_on > today:
        raise ValidationError(
            N_("The meeting is dated {date}, in the future; record it on the day or after."),
            field="held_on", date=format_date(data.held_on),
        )  # fmt: skip
    participants, observers = check_people(data.participants, data.observers)
    agreed = data.agreed
    if step in (PROPOSE, DISCUSS):
        if agreed is None:
            raise ValidationError(N_("Say whether the meeting agreed."), field="agreed")
    else:
        agreed = None
    if data.joint and step != DISCUSS:
        raise ValidationError(N_("Only step 2 may be held in one meeting with step 1."), field="joint")
    council = step == RESOLVE and body == COUNCIL
    if council and data.agenda_item_id is None:
        raise ValidationError(N_("Choose the council meeting's agenda item that held this step."),
                              field="agenda_item")  # fmt: skip
    if not council and data.agenda_item_id is not None:
        raise ValidationError(N_("Only a step held by the council refers to a council agenda item."),
                              field="agenda_item")  # fmt: skip
    if body not in (VILLAGERS, COUNCIL) and not participants:
        raise ValidationError(N_("List who was expected at the meeting and who came."), field="participants")
    for name, value in (
        ("for", data.for_), ("against", data.against), ("abstain", data.abstain), ("recused", data.recused),
        ("adults_present", data.adults_present), ("households_present", data.households_present),
    ):  # fmt: skip
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError(N_("A count is a whole number, 0 or more."), field=name)
    notified = data.notified_on if body == VILLAGERS else None
    if body == VILLAGERS:
        if data.adults_present is None or data.households_present is None:
            raise ValidationError(
                N_("Give the adults present and the households represented at the villagers' meeting."),
                field="adults_present",
            )
        check_notice_lead(notified, data.held_on)
    if body in (VILLAGERS, COUNCIL):
        participants = ()  # counted (villagers' meeting) or on the council's own record
    return StepInput(
        held_on=data.held_on,
        place=_check_field(data.place, "place", N_("The place")),
        chair=_check_field(data.chair, "chair", N_("The chair")),
        recorder=_check_field(data.recorder, "recorder", N_("The recorder")),
        body=body, participants=participants, observers=observers, agreed=agreed,
        for_=data.for_ if step in VOTING_STEPS else 0,
        against=data.against if step in VOTING_STEPS else 0,
        abstain=data.abstain if step in VOTING_STEPS else 0,
        recused=data.recused if step in VOTING_STEPS else 0,
        adults_present=data.adults_present if body == VILLAGERS else None,
        households_present=data.households_present if body == VILLAGERS else None,
        notified_on=notified, joint=data.joint, agenda_item_id=data.agenda_item_id if council else None,
        summary=check_long_text(data.summary, "summary"), text=check_long_text(data.text, "text"),
    )  # fmt: skip


# --- the law's articles, as the interface cites them ----------------------------------------------------

# 村民委员会组织法 as amended on 2025-10-28 (in force 2026-01-01): the 2018 number plus one.
ART_NOTICE = 22  # 2018 Art. 21: villagers notified 10 days ahead of a villagers' meeting
ART_VILLAGERS_MEETING = 23  # 2018 Art. 22: its quorum and majority
ART_MATTERS = 25  # 2018 Art. 24: the matters it decides
ART_COMPOSITION = 26  # 2018 Art. 25: who sits in a representatives' meeting
ART_REPRESENTATIVES_MEETING = 27  # 2018 Art. 26: its quorum and majority


def law(article: int) -> str:
    """“Art. 22 of the Organic Law of Villagers' Committees” in the user's language."""
    return _("Art. {n} of the Organic Law of Villagers' Committees").format(n=article)


# --- 村民会议: ten days' notice (Art. 22; 2018 Art. 21) ---------------------------------------------------

NOTICE_DAYS = 10


def check_notice_lead(notified_on: date | None, held_on: date) -> None:
    """Villagers are told of a villagers' meeting at least 10 days before it (提前十天通知村民)."""
    if notified_on is None:
        raise ValidationError(
            N_("Give the day the villagers were notified of the meeting ({law}: 10 days ahead)."),
            field="notified_on", law=law(ART_NOTICE),
        )  # fmt: skip
    if notified_on > held_on:
        raise ValidationError(
            N_("The villagers were notified on {notified}, after the meeting on {held}."),
            field="notified_on", notified=format_date(notified_on), held=format_date(held_on),
        )  # fmt: skip
    if (held_on - notified_on).days < NOTICE_DAYS:
        raise ValidationError(
            N_(
                "The villagers were notified on {notified}, only {days} days before the meeting on {held}; "
                "the law wants {needed} days ({law}). Notify them by {latest}."
            ),
            field="notified_on", notified=format_date(notified_on), days=(held_on - notified_on).days,
            held=format_date(held_on), needed=NOTICE_DAYS, law=law(ART_NOTICE),
            latest=format_date(held_on - timedelta(days=NOTICE_DAYS)),
        )  # fmt: skip


# --- 村民代表会议: who sits in it (Art. 26; 2018 Art. 25) -------------------------------------------------

REPRESENTATIVES_SHARE = voting.Threshold(Fraction(4, 5))  # 村民代表应当占组成人员的五分之四以上
# 妇女村民代表应当占组成人员的三分之一以上; one representative for every 5 to 15 households: the
# roster's figures (roster/rules.py), which the roster room also holds its marked representatives to.
WOMEN_SHARE = roster_rules.WOMEN_SHARE
HOUSEHOLDS_PER_REPRESENTATIVE = roster_rules.HOUSEHOLDS_PER_REPRESENTATIVE


@dataclass(frozen=True)
class Composition:
    members: int  # the meeting's members: the village committee's and the representatives
    representatives: int
    women_representatives: int
    households: int | None = None  # the village's, for the 5–15 households a representative guide


def check_composition(c: Composition) -> list[str]:
    """Refuse a representatives' meeting the law would not recognise; return notes on what is only
    guidance (one representative per 5–15 households, or several per villager group)."""
    if c.members <= 0 or c.representatives <= 0:
        raise ValidationError(
            N_("A villagers' representatives' meeting needs its representatives, from the roster."),
            field="participants",
        )
    if not REPRESENTATIVES_SHARE.met(c.representatives, c.members):
        raise ValidationError(
            N_(
                "{reps} representatives of {members} members are fewer than 4/5: representatives make up "
                "at least 4/5 of a representatives' meeting ({law})."
            ),
            field="participants", reps=c.representatives, members=c.members, law=law(ART_COMPOSITION),
        )  # fmt: skip
    if not WOMEN_SHARE.met(c.women_representatives, c.members):
        raise ValidationError(
            N_(
                "{women} women representatives of {members} members are fewer than 1/3: women "
                "representatives make up at least 1/3 of a representatives' meeting ({law})."
            ),
            field="participants", women=c.women_representatives, members=c.members,
            law=law(ART_COMPOSITION),
        )  # fmt: skip
    notes: list[str] = []
    low, high = HOUSEHOLDS_PER_REPRESENTATIVE
    if c.households:
        share = Fraction(c.households, c.representatives)
        if not low <= share <= high:
            notes.append(
                _(
                    "{households} households have {reps} representatives: the law's guide is one for every "
                    "{low} to {high} households (or several per villager group)."
                ).format(households=c.households, reps=c.representatives, low=low, high=high)
            )
    return notes


# --- the vote ---------------------------------------------------------------------------------------------

PARTY_QUORUM_DEFAULT = voting.PARTY_MEMBERS_MEETING.quorums[0].threshold  # 半数以上 (national rule)
PARTY_QUORUM_TIGHT = voting.Threshold(voting.TWO_THIRDS)  # local practice seen: 2/3 present
PARTY_QUORUMS = (PARTY_QUORUM_DEFAULT, PARTY_QUORUM_TIGHT)


def voting_rule(body: str, party_quorum: voting.Threshold = PARTY_QUORUM_DEFAULT) -> voting.VotingRule:
    """The rule of core/voting.py for a body; a village may only tighten the party members' quorum."""
    if body == VILLAGERS:
        return voting.VILLAGERS_MEETING
    if body == REPRESENTATIVES:
        return voting.REPRESENTATIVES_MEETING
    if body == PARTY_MEMBERS:
        if party_quorum not in PARTY_QUORUMS:
            raise ValidationError(
                N_("The party members' meeting sits with at least 1/2 or at least 2/3 of its members."),
                field="party_quorum",
            )
        national = voting.PARTY_MEMBERS_MEETING
        return voting.VotingRule(national.body, (voting.Quorum(party_quorum, voting.MEMBERS),),
                                 national.pass_threshold, national.pass_base)  # fmt: skip
    raise ValueError(f"{body} has no voting rule here")


# --- where a decision stands ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepFact:
    """One recorded step as the rules see it. `on` is the meeting's date, or a disclosure's posting date
    (None while its notice is not posted); `period_end` a disclosure's last day on the board."""

    id: int
    step: str
    round: int
    outcome: str
    on: date | None
    period_end: date | None = None
    superseded: bool = False


@dataclass(frozen=True)
class Progress:
    state: str
    round: int
    step: str  # the step the decision is at: the next to record, or the one under way or failed
    waiting: str  # record / choice / again / under_way / done / ended
    record: StepFact | None  # the current step's latest record, if any

    @property
    def step_no(self) -> int:
        return step_number(self.step)


def live(facts: Iterable[StepFact]) -> list[StepFact]:
    """Records not replaced by a correction, in the order they were made."""
    return sorted((f for f in facts if not f.superseded), key=lambda f: f.id)


def progress(state: str, round_: int, facts: Iterable[StepFact]) -> Progress:
    current = [f for f in live(facts) if f.round == round_]
    for step in STEPS:
        mine = [f for f in current if f.step == step]
        record = mine[-1] if mine else None
        if record is None:
            waiting = RECORD
        elif record.outcome in SUCCEEDED:
            continue
        elif record.outcome in FAILED:
            waiting = CHOICE
        elif record.outcome == voting.QUORUM_NOT_MET:
            waiting = AGAIN
        else:
            waiting = UNDER_WAY
        if state != IN_PROGRESS:
            waiting = ENDED
        return Progress(state, round_, step, waiting, record)
    return Progress(state, round_, DISCLOSE_RESULT, DONE if state == COMPLETE else ENDED, current[-1])


def closed(state: str) -> Refusal | None:
    """Why nothing more is recorded on a matter that ended, or None while it is in progress."""
    if state == IN_PROGRESS:
        return None
    return refuse(
        N_("This decision is {state}; its record is closed and nothing more is recorded."), FINAL,
        state=state_label(state),
    )  # fmt: skip


def require(refusal: Refusal | None) -> None:
    """For the service: raise the refusal (the words a disabled button shows), if there is one."""
    if refusal is not None:
        raise refusal.error()


def check_open(state: str) -> None:
    require(closed(state))


def record_refusal(p: Progress, step: str) -> Refusal | None:
    """Whether `step` may be recorded (or, for a disclosure, started) now, and why not."""
    if (why := closed(p.state)) is not None:
        return why
    wanted, at = STEPS.index(step), STEPS.index(p.step)
    if wanted < at:
        return refuse(
            N_("{step} is already recorded in this round; a mistake in it is corrected, not recorded twice."),
            step=step_title(step),
        )  # fmt: skip
    if wanted > at:
        if step == DISCLOSE_RESOLUTION:
            return refuse(
                N_("The resolution is disclosed only after the vote of step 4 has passed; the decision is at "
                   "{at}."),
                at=step_title(p.step),
            )  # fmt: skip
        if step == DISCLOSE_RESULT:
            return refuse(
                N_("The implementation result is disclosed only after the resolution's posting period has "
                   "ended (step 5 complete); the decision is at {at}."),
                at=step_title(p.step),
            )  # fmt: skip
        return refuse(
            N_("{step} comes after {before}, which is not done yet: the six steps go strictly in order."),
            step=step_title(step), before=step_title(p.step),
        )  # fmt: skip
    if p.waiting == CHOICE:
        return refuse(
            N_("{step} did not pass: send the matter back to step 1 as a revised proposal, or end it as "
               "not adopted."),
            step=step_title(step),
        )  # fmt: skip
    if p.waiting == UNDER_WAY:
        return refuse(
            N_("{step} is under way: it is complete once its notice has been posted for its whole period."),
            step=step_title(step),
        )
    return None


def check_can_record(p: Progress, step: str) -> None:
    """Whether `step` may be recorded (or, for a disclosure, started) now; a refusal says why."""
    require(record_refusal(p, step))


def last_date(facts: Iterable[StepFact], since: date | None = None) -> date | None:
    """The latest date recorded: a meeting's date, a posting date, the end of a posting period."""
    days = [since] if since else []
    for f in live(facts):
        days += [d for d in (f.on, f.period_end if f.outcome == DISCLOSED else None) if d is not None]
    return max(days) if days else None


def check_step_date(step: str, on: date, facts: Iterable[StepFact], today: date, since: date | None) -> None:
    """A step is never dated before the record before it (nor before its round began), nor in the future."""
    if on > today:
        raise ValidationError(N_("The date {date} is in the future."), field="held_on", date=format_date(on))
    records = [f for f in live(facts) if f.on is not None]
    previous = max(records, key=lambda f: (f.on, f.id), default=None)
    if previous is not None and previous.on is not None and on < previous.on:
        raise ValidationError(
            N_("{step} is dated {date}, before {before} on {before_date}: a step is never dated before the "
               "step before it."),
            field="held_on", step=step_title(step), date=format_date(on), before=step_title(previous.step),
            before_date=format_date(previous.on),
        )  # fmt: skip
    if since is not None and on < since:
        raise ValidationError(
            N_("{step} is dated {date}, before the matter was opened or sent back on {since}."),
            field="held_on", step=step_title(step), date=format_date(on), since=format_date(since),
        )  # fmt: skip


def check_joint(data: StepInput, facts: Iterable[StepFact], round_: int) -> None:
    """一肩挑: steps 1 and 2 held as one meeting share its date; the record says so, no step is hidden."""
    if not data.joint:
        return
    first = [f for f in live(facts) if f.round == round_ and f.step == PROPOSE]
    if not first or first[-1].on != data.held_on:
        raise ValidationError(N_("Steps 1 and 2 held in one meeting have the same date."), field="held_on")


# --- the disclosures --------------------------------------------------------------------------------------

DEFAULT_DISCLOSURE_DAYS = 7  # *default* (DOMAIN.md): at least 7 days, a village setting


@dataclass(frozen=True)
class PostingFacts:
    """A disclosure's notice as its completion is judged (the correction in force, if corrected)."""

    number: str
    state: str  # the notice's state (notices.rules)
    posted_at: date | None
    period_days: int | None
    period_unit: str | None
    period_end: date | None
    open_objections: int  # received in the period and not answered


def disclosure_refusal(
    step: str,
    posting: PostingFacts | None,
    today: date,
    min_days: int,
    min_unit: str,
    not_before: date | None,
    previous_period_end: date | None = None,
) -> Refusal | None:
    """A disclosure is complete when its 公示 has hung its whole period, at least the village's minimum,
    after the step before, and every objection raised in the period is answered; else why not."""
    label = step_title(step)
    if posting is None or posting.posted_at is None or posting.period_end is None:
        return refuse(
            N_("The notice of {step} is not posted yet: the step is complete once it has hung for its whole "
               "posting period."),
            step=label,
        )  # fmt: skip
    if (
        posting.period_days is None
        or posting.period_days < min_days
        or (min_unit == "working_days" and posting.period_unit != "working_days")
    ):
        return refuse(
            N_("Notice {number} hangs for {days} days; a disclosure hangs for at least {minimum} (a village "
               "setting). Correct the notice with a longer period."),
            number=posting.number, days=posting.period_days or 0, minimum=min_days,
        )  # fmt: skip
    if not_before is not None and posting.posted_at < not_before:
        return refuse(
            N_("Notice {number} was posted on {posted}, before the step before it on {before}."),
            number=posting.number, posted=format_date(posting.posted_at), before=format_date(not_before),
        )  # fmt: skip
    if previous_period_end is not None and posting.posted_at <= previous_period_end:
        return refuse(
            N_("The result was posted on {posted}, while the resolution still hung (until {end}): the result "
               "is disclosed only after the resolution's posting period has ended."),
            posted=format_date(posting.posted_at), end=format_date(previous_period_end),
        )  # fmt: skip
    if today <= posting.period_end:
        return refuse(
            N_("The posting period of notice {number} runs until {end}; the step is complete from the day "
               "after."),
            number=posting.number, end=format_date(posting.period_end),
        )  # fmt: skip
    if posting.open_objections:
        return refuse(
            ngettext(
                "{n} objection raised during the posting period is not answered yet.",
                "{n} objections raised during the posting period are not answered yet.",
                posting.open_objections,
            ),
            n=posting.open_objections,
        )
    return None


def check_disclosure_complete(
    step: str,
    posting: PostingFacts | None,
    today: date,
    min_days: int,
    min_unit: str,
    not_before: date | None,
    previous_period_end: date | None = None,
) -> None:
    require(disclosure_refusal(step, posting, today, min_days, min_unit, not_before, previous_period_end))


# --- implementation ---------------------------------------------------------------------------------------


def check_implementation(
    started_on: date, ended_on: date | None, text: str, resolved_on: date, today: date
) -> str:
    clean = check_long_text(text, "implementation")
    if not clean:
        raise ValidationError(N_("Please say what was done."), field="implementation")
    if started_on < resolved_on:
        raise ValidationError(
            N_("The work started on {start}, before the resolution of {resolved}."), field="started_on",
            start=format_date(started_on), resolved=format_date(resolved_on),
        )  # fmt: skip
    for day, fld in ((started_on, "started_on"), (ended_on, "ended_on")):
        if day is not None and day > today:
            raise ValidationError(N_("The date {date} is in the future."), field=fld, date=format_date(day))
    if ended_on is not None and ended_on < started_on:
        raise ValidationError(
            N_("The work ended on {end}, before it started on {start}."), field="ended_on",
            end=format_date(ended_on), start=format_date(started_on),
        )  # fmt: skip
    return clean


# --- what may be done now ---------------------------------------------------------------------------------
# The room's buttons and the service's checks ask the same functions (core/actions.py).

NEW, SETTINGS = "new", "settings"
EDIT, DELETE, ATTACHMENTS, PRINT = "edit", "delete", "attachments", "print"
ADD_ATTACHMENT, DELETE_ATTACHMENT = "add_attachment", "delete_attachment"
RECORD_STEP, CORRECT_STEP, REVISE, END = "record_step", "correct_step", "revise", "end"
IMPLEMENTATION = "implementation"
START_DISCLOSURE, APPROVE_NOTICE, POST_NOTICE = "start_disclosure", "approve_notice", "post_notice"
COMPLETE_DISCLOSURE = "complete_disclosure"
# The supervisory committee's two kinds of record are also its actions' names.
SIGN_OFF, CONCERN = "sign_off", "concern"
SUPERVISION_KINDS = (SIGN_OFF, CONCERN)
SUPERVISION_LABELS = {SIGN_OFF: N_("Signed off"), CONCERN: N_("Concern")}
RAISE_CONCERN, ANSWER_CONCERN = "raise_concern", "answer_concern"
DECISION_ACTIONS = (
    EDIT, DELETE, ATTACHMENTS, ADD_ATTACHMENT, DELETE_ATTACHMENT, PRINT, RECORD_STEP, CORRECT_STEP, REVISE,
    END, IMPLEMENTATION, START_DISCLOSURE, APPROVE_NOTICE, POST_NOTICE, COMPLETE_DISCLOSURE, SIGN_OFF,
    RAISE_CONCERN, ANSWER_CONCERN,
)  # fmt: skip

NOTHING_DISCLOSED = N_("Nothing is being disclosed: the decision is at {step}.")
NOTICE_LOST = N_("The draft was deleted or withdrawn; draft the disclosure again.")


@dataclass(frozen=True)
class DecisionFacts:
    """What the rules need to know of a matter to say what may be done to it now. The service builds
    them from the record (and a matter's detail carries them, for its screen)."""

    progress: Progress
    steps: tuple[StepFact, ...]  # every record of every round, corrected ones included
    # The notice of the disclosure under way as it stands (the correction in force), if it has one;
    # `notice_lost`: its draft was deleted or withdrawn, and the disclosure is drafted again.
    notice: notice_rules.NoticeFacts | None = None
    notice_lost: bool = False
    posting: PostingFacts | None = None
    not_before: date | None = None  # the date of the step before the disclosure under way
    previous_period_end: date | None = None  # step 6: the day the resolution stopped hanging
    work_ended: date | None = None
    open_concerns: int = 0  # the supervisory committee's concerns not answered, on any step
    min_days: int = DEFAULT_DISCLOSURE_DAYS  # the village's least posting period of a disclosure
    min_unit: str = "days"

    @property
    def under_way(self) -> bool:
        p = self.progress
        return p.step in DISCLOSURE_STEPS and p.waiting == UNDER_WAY and p.record is not None


def room_actions(role: str) -> Allowed:
    """What the room offers before a matter is chosen."""
    write = access.refusal(role, access.WRITE)
    return Allowed.decide({NEW: write, SETTINGS: write})


def step_refusal(role: str, facts: DecisionFacts, step: str) -> Refusal | None:
    """Whether a meeting `step` may be recorded now: the steps go strictly in order, one round at a
    time, and a disclosure is started from its notice, never recorded as a meeting."""
    p = facts.progress
    if (why := access.refusal(role, access.WRITE) or closed(p.state)) is not None:
        return why
    if step in DISCLOSURE_STEPS:
        return refuse(
            N_("{step} is a disclosure: it is started from its notice, not recorded as a meeting."),
            step=step_title(step),
        )
    return record_refusal(p, step)


def last_record(facts: DecisionFacts) -> StepFact | None:
    """The record a correction replaces: the latest one in force of the current round."""
    mine = [f for f in live(facts.steps) if f.round == facts.progress.round]
    return mine[-1] if mine else None


def correction_refusal(role: str, facts: DecisionFacts, step_id: int | None) -> Refusal | None:
    """Only the latest meeting record in force is corrected (by a new record), while the matter is open."""
    p = facts.progress
    if (why := access.refusal(role, access.WRITE) or closed(p.state)) is not None:
        return why
    target = next((f for f in facts.steps if f.id == step_id), None)
    if target is None:
        return refuse(N_("No step of this round is recorded yet; there is nothing to correct."))
    if target.step not in MEETING_STEPS:
        return refuse(
            N_("A disclosure is corrected through its notice: write a correction in the public notices room.")
        )
    if target.superseded:
        return refuse(N_("This record was already corrected; correct the record in force."), FINAL)
    if target.round != p.round or any(f.id > target.id for f in facts.steps):
        return refuse(
            N_("Later steps are recorded after this one; only the latest step may be corrected."), FINAL
        )
    return None


def _notice_refusals(role: str, facts: DecisionFacts, today: date) -> tuple[Refusal | None, Refusal | None]:
    """Approving and posting the disclosure's notice: the 村务公开 room's own rules for it."""
    approve, write = access.refusal(role, access.APPROVE), access.refusal(role, access.WRITE)
    p = facts.progress
    if not facts.under_way:
        nothing = refuse(NOTHING_DISCLOSED, step=step_title(p.step))
        return approve or nothing, write or nothing
    if facts.notice_lost or facts.notice is None:
        lost = refuse(NOTICE_LOST)
        return approve or lost, write or lost
    allowed = notice_rules.notice_actions(role, facts.notice, today)
    return allowed[notice_rules.APPROVE], allowed[notice_rules.POST]


def decision_actions(role: str, facts: DecisionFacts, today: date) -> Allowed:
    """Each action on one matter, allowed or refused with the reason, for this role and today."""
    write = access.refusal(role, access.WRITE)
    sign = access.refusal(role, access.SIGN_OFF)
    p = facts.progress
    ended = closed(p.state)
    if any(f.step == RESOLVE for f in facts.steps):
        voted = refuse(
            N_("The matter was put to the vote at step 4; what it says stays as it was resolved."), FINAL
        )
    else:
        voted = None
    on_record = refuse(N_("Steps of this matter are on record; it stays. End it instead."), FINAL)
    papers_stay = refuse(N_("Steps of this matter are on record; its papers stay with it."), FINAL)
    failed = None if p.waiting in (CHOICE, AGAIN) else refuse(
        N_("Only a matter whose vote failed (or whose meeting could not sit) is sent back or ended; this one "
           "is at {step}."),
        step=step_title(p.step),
    )  # fmt: skip
    if p.step not in DISCLOSURE_STEPS:
        work = refuse(
            N_("The work is recorded once the resolution has passed (step 4); the decision is at {step}."),
            step=step_title(p.step),
        )
    elif p.step == DISCLOSE_RESULT and p.record is not None:
        work = refuse(N_("The result is being disclosed; the implementation stays as disclosed."), FINAL)
    else:
        work = None
    disclosing = p.step if p.step in DISCLOSURE_STEPS else DISCLOSE_RESOLUTION
    redraft = p.waiting == UNDER_WAY and facts.notice_lost
    start = None if redraft else record_refusal(p, disclosing)
    if start is None and disclosing == DISCLOSE_RESULT and facts.work_ended is None:
        start = refuse(
            N_("Record the implementation (what was done, when it ended, what it cost) before its result is "
               "disclosed.")
        )  # fmt: skip
    complete: Refusal | None
    if not facts.under_way:
        complete = refuse(NOTHING_DISCLOSED, step=step_title(p.step))
    else:
        complete = disclosure_refusal(
            p.step, facts.posting, today, facts.min_days, facts.min_unit, facts.not_before,
            facts.previous_period_end,
        )  # fmt: skip
        if complete is None and p.step == DISCLOSE_RESULT and facts.open_concerns:
            complete = refuse(
                N_("The supervisory committee's concerns are not all answered; answer them before the matter "
                   "is complete.")
            )  # fmt: skip
    approve_notice, post_notice = _notice_refusals(role, facts, today)
    nothing_yet = None if live(facts.steps) else refuse(N_("There is no step to supervise yet."))
    no_concern = None if facts.open_concerns else refuse(N_("No concern is waiting for an answer."))
    last = last_record(facts)
    return Allowed.decide({
        EDIT: write or ended or voted,
        DELETE: write or (on_record if facts.steps else None),
        ATTACHMENTS: None,
        ADD_ATTACHMENT: write or ended,
        DELETE_ATTACHMENT: write or (papers_stay if facts.steps else None),
        PRINT: None,
        RECORD_STEP: step_refusal(role, facts, p.step),
        CORRECT_STEP: correction_refusal(role, facts, last.id if last else None),
        REVISE: write or ended or failed,
        END: write or ended or failed,
        IMPLEMENTATION: write or ended or work,
        START_DISCLOSURE: write or ended or start,
        APPROVE_NOTICE: approve_notice,
        POST_NOTICE: post_notice,
        COMPLETE_DISCLOSURE: write or ended or complete,
        SIGN_OFF: sign or nothing_yet,
        RAISE_CONCERN: sign or nothing_yet,
        ANSWER_CONCERN: write or no_concern,
    })  # fmt: skip


def supervision_actions(role: str, open_concerns: int, signed_by_me: bool) -> Allowed:
    """What the supervisory committee may record about one step: a sign-off once no concern about it is
    left unanswered (once per member), or a concern at any time."""
    sign = access.refusal(role, access.SIGN_OFF)
    if open_concerns:
        blocked = refuse(N_("A concern about this step is not answered yet; sign off once it is."))
    elif signed_by_me:
        blocked = refuse(N_("You have already signed off this step."))
    else:
        blocked = None
    return Allowed.decide({SIGN_OFF: sign or blocked, RAISE_CONCERN: sign})


def concern_actions(role: str, kind: str, answered_on: date | None) -> Allowed:
    """A concern is answered once, by the clerk or the secretary; the answer is final."""
    if kind != CONCERN:
        why = refuse(N_("A sign-off needs no answer."))
    elif answered_on is not None:
        why = refuse(
            N_("This concern was answered on {date}; the answer stays as it was given."), FINAL,
            date=answered_on,
        )  # fmt: skip
    else:
        why = None
    return Allowed.decide({ANSWER_CONCERN: access.refusal(role, access.WRITE) or why})


# --- warnings ---------------------------------------------------------------------------------------------

DEFAULT_STALL_DAYS = 30  # *default*: a decision stalled 30 days at one step
DEFAULT_RESULT_DAYS = 30  # *default*: a result not disclosed 30 days after implementation ends

STALLED = "stalled"
RESULT_OVERDUE = "result_overdue"
AWAITING_DISCLOSURE = "awaiting_disclosure"
PERIOD_ENDED = "period_ended"
VOTE_FAILED = "vote_failed"
HOLD_AGAIN = "hold_again"
OPEN_CONCERN = "open_concern"
OPEN_OBJECTION = "open_objection"
SERIOUS = frozenset({STALLED, RESULT_OVERDUE, OPEN_CONCERN})


@dataclass(frozen=True)
class Alert:
    kind: str
    step: str
    since: date | None = None
    days: int = 0
    count: int = 0

    @property
    def serious(self) -> bool:
        return self.kind in SERIOUS

    def text(self) -> str:
        step = step_title(self.step)
        since = format_date(self.since) if self.since else ""
        if self.kind == STALLED:
            return _("Stalled at {step} for {days} days (since {since}).").format(
                step=step, days=self.days, since=since
            )
        if self.kind == RESULT_OVERDUE:
            return _("The work ended on {since}; its result is not disclosed {days} days later.").format(
                since=since, days=self.days
            )
        if self.kind == AWAITING_DISCLOSURE:
            return _("Waiting for its disclosure: {step}.").format(step=step)
        if self.kind == PERIOD_ENDED:
            return _("The posting period ended on {since}: complete {step}.").format(since=since, step=step)
        if self.kind == VOTE_FAILED:
            return _("{step} did not pass: revise the proposal or end the matter.").format(step=step)
        if self.kind == HOLD_AGAIN:
            return _("{step}: the quorum was not met; hold the meeting again.").format(step=step)
        if self.kind == OPEN_CONCERN:
            return ngettext(
                "{n} concern of the supervisory committee is not answered.",
                "{n} concerns of the supervisory committee are not answered.",
                self.count,
            ).format(n=self.count)
        return ngettext(
            "{n} objection to a disclosure is not answered.",
            "{n} objections to a disclosure are not answered.",
            self.count,
        ).format(n=self.count)


def alerts(
    p: Progress,
    since: date,
    today: date,
    *,
    implementation_ended: date | None = None,
    result_posted: bool = False,
    posting: PostingFacts | None = None,
    open_concerns: int = 0,
    open_objections: int = 0,
    stall_days: int = DEFAULT_STALL_DAYS,
    result_days: int = DEFAULT_RESULT_DAYS,
) -> list[Alert]:
    """What a decision's row warns of today, the serious first.

    Stalled: more than `stall_days` days since the last thing recorded (`since`), while nothing runs on
    its own (a notice hanging its period is not stalled). Result overdue: more than `result_days` days
    after the work ended with the result not posted.
    """
    out: list[Alert] = []
    if p.waiting in (DONE, ENDED):
        if open_concerns:
            out.append(Alert(OPEN_CONCERN, p.step, count=open_concerns))
        return out
    hanging = (
        p.waiting == UNDER_WAY
        and posting is not None
        and posting.period_end is not None
        and today <= posting.period_end
    )
    idle = (today - since).days
    if idle > stall_days and not hanging:
        out.append(Alert(STALLED, p.step, since, idle))
    if implementation_ended is not None and not result_posted:
        late = (today - implementation_ended).days
        if late > result_days:
            out.append(Alert(RESULT_OVERDUE, DISCLOSE_RESULT, implementation_ended, late))
    if open_concerns:
        out.append(Alert(OPEN_CONCERN, p.step, count=open_concerns))
    if p.waiting == CHOICE:
        out.append(Alert(VOTE_FAILED, p.step))
    elif p.waiting == AGAIN:
        out.append(Alert(HOLD_AGAIN, p.step))
    elif p.waiting == RECORD and p.step in DISCLOSURE_STEPS:
        out.append(Alert(AWAITING_DISCLOSURE, p.step))
    elif (
        p.waiting == UNDER_WAY
        and posting is not None
        and posting.period_end is not None
        and today > posting.period_end
    ):
        out.append(Alert(PERIOD_ENDED, p.step, posting.period_end))
    if open_objections:
        out.append(Alert(OPEN_OBJECTION, p.step, count=open_objections))
    out.sort(key=lambda a: not a.serious)
    return out


# --- numbers ----------------------------------------------------------------------------------------------


def dossier_number(year: int, sequence: int) -> str:
    """一事一档: 〔2026〕事字第3号, the village's series of major matters of the year."""
    return document_number(year, sequence, word="事字第")


def next_sequence(used: Iterable[int | None]) -> int:
    return max((n for n in used if n is not None), default=0) + 1
