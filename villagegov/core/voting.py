"""Quorum and pass thresholds of the village's voting bodies, as exact fractions. Pure: no Qt, no database.

Sources (DOMAIN.md): 村民委员会组织法 (2018 article numbers; one higher since 2026-01-01) for the
villagers' meeting and the representatives' meeting, 中国共产党支部工作条例（试行）Art. 11 for the
party members' meeting, the village's own *defaults* for the council.

Words as the law uses them: "以上 / 不少于" include the number itself (an inclusive threshold);
"过半数 / 超过" mean strictly more (a strict threshold). Every comparison is exact (Fraction),
never a float: 2 of 3 is two-thirds, 0.6666… is not.

Quorum is the meeting's: everyone expected and everyone present counts, whether or not they step
aside for one item. A member who steps aside (回避) is not eligible for that item: they are taken out
of both the expected and the present count that the pass threshold applies to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_, _

# What a quorum is measured against.
MEMBERS, ADULTS, HOUSEHOLDS = "members", "adults", "households"
QUORUM_BASES = (MEMBERS, ADULTS, HOUSEHOLDS)
# What a pass threshold is measured against: the eligible members present, or those expected.
PRESENT, EXPECTED = "present", "expected"
PASS_BASES = (PRESENT, EXPECTED)

PASSED, NOT_PASSED, QUORUM_NOT_MET = "passed", "not_passed", "quorum_not_met"
RESULTS = (PASSED, NOT_PASSED, QUORUM_NOT_MET)
RESULT_LABELS = {
    PASSED: N_("Passed"),
    NOT_PASSED: N_("Not passed"),
    QUORUM_NOT_MET: N_("Quorum not met"),
}

VILLAGERS_MEETING_BODY = "villagers_meeting"
REPRESENTATIVES_MEETING_BODY = "representatives_meeting"
PARTY_MEMBERS_MEETING_BODY = "party_members_meeting"
COUNCIL_BODY = "council"
BODY_LABELS = {
    VILLAGERS_MEETING_BODY: N_("Villagers' meeting"),
    REPRESENTATIVES_MEETING_BODY: N_("Villagers' representatives' meeting"),
    PARTY_MEMBERS_MEETING_BODY: N_("Party members' meeting"),
    COUNCIL_BODY: N_("Villagers' council"),
}

# The counts a threshold is measured against, as a sentence names them ("more than 1/2 of {base}").
BASE_LABELS = {
    MEMBERS: N_("the members"),
    ADULTS: N_("the village's adults"),
    HOUSEHOLDS: N_("the village's households"),
    PRESENT: N_("those present"),
    EXPECTED: N_("those expected"),
}


def result_label(result: str) -> str:
    return _(RESULT_LABELS[result])


def body_label(body: str) -> str:
    return _(BODY_LABELS[body])


# --- thresholds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    """A share of a base: `strict` means more than the share (过半数), otherwise the share or more (以上)."""

    fraction: Fraction
    strict: bool = False

    def __post_init__(self) -> None:
        check_threshold(self.fraction, self.strict)

    def met(self, count: int, base: int) -> bool:
        """Whether `count` of `base` reaches the threshold; nothing is reached out of nobody."""
        if base <= 0:
            return False
        share = Fraction(count, base)
        return share > self.fraction if self.strict else share >= self.fraction

    def minimum(self, base: int) -> int:
        """The least count of `base` that reaches the threshold (at least 1; `base` + 1 if none can)."""
        if base <= 0:
            return 1
        product = self.fraction * base
        least = math.floor(product) + 1 if self.strict else math.ceil(product)
        return max(least, 1)


def check_threshold(fraction: Fraction, strict: bool) -> None:
    if not isinstance(fraction, Fraction):
        raise TypeError("thresholds are exact fractions")
    if not 0 < fraction <= 1:
        raise ValidationError(
            N_("A threshold is a share between 0 and 1, not {fraction}."), field="fraction",
            fraction=fraction_text(fraction),
        )  # fmt: skip
    if strict and fraction == 1:
        raise ValidationError(N_("No count can be more than all of them: choose “all of them or more”."))


def fraction_text(fraction: Fraction) -> str:
    """1/2, 2/3: as thresholds are written in rules of procedure."""
    return f"{fraction.numerator}/{fraction.denominator}"


def threshold_text(threshold: Threshold, base: str) -> str:
    """“more than 1/2 of those present”, “at least 2/3 of the members”, in the current language."""
    template = (
        N_("more than {fraction} of {base}") if threshold.strict else N_("at least {fraction} of {base}")
    )
    return _(template).format(fraction=fraction_text(threshold.fraction), base=_(BASE_LABELS[base]))


@dataclass(frozen=True)
class Quorum:
    threshold: Threshold
    base: str  # members / adults / households

    def __post_init__(self) -> None:
        if self.base not in QUORUM_BASES:
            raise ValueError(f"unknown quorum base {self.base!r}")


@dataclass(frozen=True)
class VotingRule:
    """When a body may sit (any one of its quorums) and when a motion passes."""

    body: str
    quorums: tuple[Quorum, ...]
    pass_threshold: Threshold
    pass_base: str  # present / expected

    def __post_init__(self) -> None:
        if not self.quorums:
            raise ValueError("a voting rule needs at least one quorum")
        if self.pass_base not in PASS_BASES:
            raise ValueError(f"unknown pass base {self.pass_base!r}")

    @property
    def needs_households(self) -> bool:
        return any(q.base == HOUSEHOLDS for q in self.quorums)


# --- counts and outcomes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """What was counted at a meeting, for one item.

    `expected` and `present` are the people with a vote (members; for a villagers' meeting, adults);
    `recused` those present who step aside for this item. `for_` is 赞成 (the trailing underscore only
    because `for` is a Python keyword). For a villagers' meeting, `households` and
    `households_present` give the households' quorum.
    """

    expected: int
    present: int
    recused: int = 0
    for_: int = 0
    against: int = 0
    abstain: int = 0
    households: int | None = None
    households_present: int | None = None

    @property
    def votes(self) -> int:
        return self.for_ + self.against + self.abstain

    @property
    def eligible_expected(self) -> int:
        return self.expected - self.recused

    @property
    def eligible_present(self) -> int:
        return self.present - self.recused


_COUNT_LABELS = {
    "expected": N_("expected"),
    "present": N_("present"),
    "recused": N_("stepping aside"),
    "for_": N_("for"),
    "against": N_("against"),
    "abstain": N_("abstaining"),
    "households": N_("households"),
    "households_present": N_("households represented"),
}


def check_counts(counts: Counts, rule: VotingRule | None = None) -> Counts:
    """Refuse counts that cannot be, with a message that says which and why; return them if sound."""
    for name, label in _COUNT_LABELS.items():
        value = getattr(counts, name)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be a whole number")
        if value < 0:
            raise ValidationError(
                N_("A count cannot be negative: {name} is {value}."), field=name.rstrip("_"),
                name=_(label), value=value,
            )  # fmt: skip
    if counts.present > counts.expected:
        raise ValidationError(
            N_("{present} present is more than the {expected} expected."), field="present",
            present=counts.present, expected=counts.expected,
        )  # fmt: skip
    if counts.recused > counts.present:
        raise ValidationError(
            N_("{recused} stepping aside is more than the {present} present: only those present step aside."),
            field="recused", recused=counts.recused, present=counts.present,
        )  # fmt: skip
    if counts.votes > counts.eligible_present:
        raise ValidationError(
            N_(
                "{votes} votes ({for_} for, {against} against, {abstain} abstaining) are more than the "
                "{eligible} present who may vote on this item."
            ),
            field="for", votes=counts.votes, for_=counts.for_, against=counts.against,
            abstain=counts.abstain, eligible=counts.eligible_present,
        )  # fmt: skip
    if (counts.households is None) != (counts.households_present is None):
        raise ValidationError(
            N_("Give both the number of households and the number represented."), field="households"
        )
    if (
        counts.households is not None
        and counts.households_present is not None
        and counts.households_present > counts.households
    ):
        raise ValidationError(
            N_("{present} households represented is more than the village's {households}."),
            field="households_present", present=counts.households_present, households=counts.households,
        )  # fmt: skip
    if rule is not None and rule.needs_households and counts.households is None:
        raise ValidationError(
            N_(
                "This meeting may also sit when enough households are represented: give the number of "
                "households."
            ),
            field="households",
        )
    return counts


@dataclass(frozen=True)
class QuorumCheck:
    """One quorum measured: `count` of `of`, where `needed` would have reached it."""

    base: str
    threshold: Threshold
    count: int
    of: int
    needed: int
    met: bool

    def text(self) -> str:
        return threshold_text(self.threshold, self.base)


@dataclass(frozen=True)
class Outcome:
    """The result of one vote and every number it was decided on."""

    result: str  # passed / not_passed / quorum_not_met
    rule: VotingRule
    counts: Counts
    quorum: tuple[QuorumCheck, ...]
    eligible_expected: int
    eligible_present: int
    pass_of: int  # the count the pass threshold applies to (eligible present, or eligible expected)
    needed: int  # the least votes for that pass
    not_voting: int  # eligible and present, but cast no vote

    @property
    def passed(self) -> bool:
        return self.result == PASSED

    @property
    def quorum_met(self) -> bool:
        return self.result != QUORUM_NOT_MET

    def label(self) -> str:
        return result_label(self.result)

    def threshold_text(self) -> str:
        return threshold_text(self.rule.pass_threshold, self.rule.pass_base)


def check_quorum(rule: VotingRule, counts: Counts) -> tuple[QuorumCheck, ...]:
    """Each of the rule's quorums measured against the counts (checked first)."""
    check_counts(counts, rule)
    checks: list[QuorumCheck] = []
    for quorum in rule.quorums:
        if quorum.base == HOUSEHOLDS:
            assert counts.households is not None and counts.households_present is not None
            count, of = counts.households_present, counts.households
        else:
            count, of = counts.present, counts.expected
        met = quorum.threshold.met(count, of)
        checks.append(
            QuorumCheck(quorum.base, quorum.threshold, count, of, quorum.threshold.minimum(of), met)
        )
    return tuple(checks)


def quorum_met(rule: VotingRule, counts: Counts) -> bool:
    """The body may sit when any one of its quorums is reached."""
    return any(check.met for check in check_quorum(rule, counts))


def tally(rule: VotingRule, counts: Counts) -> Outcome:
    """Decide a vote: quorum first (any one of the rule's), then the pass threshold on eligible voters."""
    checks = check_quorum(rule, counts)
    pass_of = counts.eligible_present if rule.pass_base == PRESENT else counts.eligible_expected
    needed = rule.pass_threshold.minimum(pass_of)
    if not any(check.met for check in checks):
        result = QUORUM_NOT_MET
    elif rule.pass_threshold.met(counts.for_, pass_of):
        result = PASSED
    else:
        result = NOT_PASSED
    return Outcome(
        result=result, rule=rule, counts=counts, quorum=checks,
        eligible_expected=counts.eligible_expected, eligible_present=counts.eligible_present,
        pass_of=pass_of, needed=needed, not_voting=counts.eligible_present - counts.votes,
    )  # fmt: skip


# --- the bodies ------------------------------------------------------------------------------------

HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)

# 村民会议 (Art. 22, 2018): more than half of the adults present, or two-thirds or more of the
# households represented; passes with more than half of those present.
VILLAGERS_MEETING = VotingRule(
    VILLAGERS_MEETING_BODY,
    (Quorum(Threshold(HALF, strict=True), ADULTS), Quorum(Threshold(TWO_THIRDS), HOUSEHOLDS)),
    Threshold(HALF, strict=True),
    PRESENT,
)
# 村民代表会议 (Art. 26, 2018): two-thirds or more of its members present; more than half of those present.
REPRESENTATIVES_MEETING = VotingRule(
    REPRESENTATIVES_MEETING_BODY,
    (Quorum(Threshold(TWO_THIRDS), MEMBERS),),
    Threshold(HALF, strict=True),
    PRESENT,
)
# 党员大会 (支部工作条例 Art. 11): 半数以上 of the members with a vote present; passes with more than
# half of the members with a vote *expected* (应到会), not of those present.
PARTY_MEMBERS_MEETING = VotingRule(
    PARTY_MEMBERS_MEETING_BODY,
    (Quorum(Threshold(HALF), MEMBERS),),
    Threshold(HALF, strict=True),
    EXPECTED,
)

# 村民议事会 *defaults*: two-thirds or more present; more than half of those present; items that need
# it, two-thirds or more of those present.
COUNCIL_QUORUM = Threshold(TWO_THIRDS)
COUNCIL_PASS = Threshold(HALF, strict=True)
COUNCIL_TWO_THIRDS = Threshold(TWO_THIRDS)


def council(
    quorum: Threshold = COUNCIL_QUORUM,
    pass_threshold: Threshold = COUNCIL_PASS,
    two_thirds: Threshold = COUNCIL_TWO_THIRDS,
    needs_two_thirds: bool = False,
) -> VotingRule:
    """The council's rule for one item: its default pass threshold, or its two-thirds one."""
    return VotingRule(
        COUNCIL_BODY,
        (Quorum(quorum, MEMBERS),),
        two_thirds if needs_two_thirds else pass_threshold,
        PRESENT,
    )


COUNCIL = council()
COUNCIL_TWO_THIRDS_ITEM = council(needs_two_thirds=True)


def villagers_meeting(counts: Counts) -> Outcome:
    return tally(VILLAGERS_MEETING, counts)


def representatives_meeting(counts: Counts) -> Outcome:
    return tally(REPRESENTATIVES_MEETING, counts)


def party_members_meeting(counts: Counts) -> Outcome:
    return tally(PARTY_MEMBERS_MEETING, counts)


def council_vote(counts: Counts, needs_two_thirds: bool = False) -> Outcome:
    return tally(council(needs_two_thirds=needs_two_thirds), counts)
