"""The voting bodies' thresholds at their legal boundaries, and the tally against a plain-integer recount."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from villagegov.core import i18n, voting
from villagegov.core.errors import ValidationError
from villagegov.core.voting import Counts, Threshold

# No example database on disk: the tests leave no .hypothesis folder in the checkout.
PROPERTY = settings(database=None, max_examples=400, deadline=None)


def council(expected: int, present: int, for_: int, recused: int = 0, two_thirds: bool = False) -> str:
    return voting.council_vote(Counts(expected, present, recused, for_), two_thirds).result


# --- the council (*defaults*: quorum ≥ 2/3 of members, > 1/2 of present, two-thirds items ≥ 2/3) ----------


def test_council_quorum_is_two_thirds_of_the_members_inclusive() -> None:
    assert council(9, 6, 6) == voting.PASSED  # exactly two-thirds present
    assert council(9, 5, 5) == voting.QUORUM_NOT_MET  # one under
    assert council(10, 7, 7) == voting.PASSED  # 7/10 > 2/3
    assert council(10, 6, 6) == voting.QUORUM_NOT_MET  # 6/10 < 2/3: one under the least (7)
    outcome = voting.council_vote(Counts(10, 6, 0, 6))
    assert outcome.quorum[0].needed == 7 and not outcome.quorum_met


def test_council_majority_is_strictly_more_than_half_of_those_present() -> None:
    assert council(9, 8, 4) == voting.NOT_PASSED  # exactly half
    assert council(9, 8, 5) == voting.PASSED  # one over half
    assert council(9, 7, 4) == voting.PASSED  # 4/7 > 1/2
    assert council(9, 7, 3) == voting.NOT_PASSED
    outcome = voting.council_vote(Counts(9, 8, 0, 4, 2, 2))
    assert (outcome.pass_of, outcome.needed, outcome.not_voting) == (8, 5, 0)


def test_two_thirds_items_need_two_thirds_of_those_present_inclusive() -> None:
    assert council(9, 9, 6, two_thirds=True) == voting.PASSED  # exactly two-thirds
    assert council(9, 9, 5, two_thirds=True) == voting.NOT_PASSED  # one under
    assert council(9, 7, 5, two_thirds=True) == voting.PASSED  # 5/7 > 2/3
    assert council(9, 7, 4, two_thirds=True) == voting.NOT_PASSED  # 4/7 < 2/3 though a majority
    assert council(9, 7, 4) == voting.PASSED  # the same votes pass an ordinary item


def test_recusals_reduce_the_eligible_count_not_the_quorum() -> None:
    # 8 present, 4 for: exactly half, not passed; with 2 stepping aside, 4 of 6 eligible pass.
    assert council(9, 8, 4) == voting.NOT_PASSED
    assert council(9, 8, 4, recused=2) == voting.PASSED
    outcome = voting.council_vote(Counts(9, 8, 2, 4))
    assert (outcome.eligible_present, outcome.eligible_expected, outcome.pass_of) == (6, 7, 6)
    # 6 present of 9 is the quorum; one stepping aside does not break it (they are at the meeting).
    assert council(9, 6, 3, recused=1) == voting.PASSED  # 3 of 5 eligible
    assert council(9, 6, 2, recused=2) == voting.NOT_PASSED  # 2 of 4: exactly half
    # Two-thirds with recusals: 6 of 9 is exactly two-thirds; 5 of 8 is under; 6 of 8 over.
    assert council(9, 9, 6, two_thirds=True) == voting.PASSED
    assert council(9, 9, 5, recused=1, two_thirds=True) == voting.NOT_PASSED
    assert council(9, 9, 6, recused=1, two_thirds=True) == voting.PASSED
    assert council(9, 9, 6, recused=0, two_thirds=True) == voting.PASSED


def test_nobody_eligible_passes_nothing() -> None:
    outcome = voting.council_vote(Counts(6, 6, recused=6), needs_two_thirds=True)
    assert outcome.result == voting.NOT_PASSED and outcome.needed == 1 and outcome.pass_of == 0
    assert voting.council_vote(Counts(0, 0)).result == voting.QUORUM_NOT_MET  # a council of nobody never sits


# --- 村民会议: > 1/2 of adults present, or ≥ 2/3 of households; > 1/2 of those present -------------------


def villagers(adults: int, present: int, households: int, represented: int, for_: int) -> str:
    counts = Counts(adults, present, for_=for_, households=households, households_present=represented)
    return voting.villagers_meeting(counts).result


def test_villagers_meeting_sits_on_either_quorum() -> None:
    assert villagers(1000, 501, 450, 0, 300) == voting.PASSED  # one over half of the adults
    assert villagers(1000, 500, 450, 299, 300) == voting.QUORUM_NOT_MET  # exactly half; one under 2/3
    assert villagers(1000, 500, 450, 300, 300) == voting.PASSED  # exactly two-thirds of the households
    assert villagers(1000, 400, 450, 301, 300) == voting.PASSED
    outcome = voting.villagers_meeting(Counts(1000, 500, households=450, households_present=299))
    assert [(q.base, q.needed, q.met) for q in outcome.quorum] == [
        (voting.ADULTS, 501, False),
        (voting.HOUSEHOLDS, 300, False),
    ]


def test_villagers_meeting_passes_with_more_than_half_of_those_present() -> None:
    assert villagers(1000, 600, 450, 0, 300) == voting.NOT_PASSED  # exactly half
    assert villagers(1000, 600, 450, 0, 301) == voting.PASSED
    assert villagers(1000, 501, 450, 0, 250) == voting.NOT_PASSED
    assert villagers(1000, 501, 450, 0, 251) == voting.PASSED


def test_villagers_meeting_needs_the_households() -> None:
    with pytest.raises(ValidationError) as err:
        voting.villagers_meeting(Counts(1000, 600, for_=400))
    assert err.value.field == "households"
    with pytest.raises(ValidationError):
        voting.villagers_meeting(Counts(1000, 600, households=450, households_present=451))


# --- 村民代表会议: ≥ 2/3 of members present; > 1/2 of those present ---------------------------------------


def test_representatives_meeting() -> None:
    rep = voting.representatives_meeting
    assert rep(Counts(30, 20, for_=11)).result == voting.PASSED  # exactly two-thirds present
    assert rep(Counts(30, 19, for_=19)).result == voting.QUORUM_NOT_MET  # one under
    assert rep(Counts(30, 20, for_=10)).result == voting.NOT_PASSED  # exactly half
    assert rep(Counts(30, 21, for_=11)).result == voting.PASSED  # 11/21 > 1/2
    assert rep(Counts(30, 22, recused=2, for_=10)).result == voting.NOT_PASSED  # 10 of 20 eligible
    assert rep(Counts(30, 22, recused=3, for_=10)).result == voting.PASSED  # 10 of 19


# --- 党员大会: ≥ 1/2 present (半数以上); > 1/2 of those expected, not of those present --------------------


def test_party_members_meeting_counts_the_expected_not_the_present() -> None:
    party = voting.party_members_meeting
    assert party(Counts(40, 20, for_=20)).result == voting.NOT_PASSED  # quorum met (exactly half); 20 of 40
    assert party(Counts(40, 19, for_=19)).result == voting.QUORUM_NOT_MET  # one under half present
    assert party(Counts(40, 21, for_=21)).result == voting.PASSED  # one over half of those expected
    assert party(Counts(40, 30, for_=20)).result == voting.NOT_PASSED  # 20/30 of those present is not enough
    outcome = party(Counts(40, 30, for_=20))
    assert (outcome.pass_of, outcome.needed) == (40, 21)
    # Two stepping aside: 38 eligible expected, so 20 is more than half.
    assert party(Counts(40, 30, recused=2, for_=20)).result == voting.PASSED
    assert party(Counts(40, 30, recused=1, for_=20)).result == voting.PASSED  # 20 of 39: over 19.5


# --- counts that cannot be ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "field", "words"),
    [
        (Counts(9, 7, 0, -1), "for", "-1"),
        (Counts(-1, 0), "expected", "-1"),
        (Counts(9, 10), "present", "10"),
        (Counts(9, 6, 7), "recused", "7"),
        (Counts(9, 6, 0, 4, 2, 1), "for", "7"),  # 7 votes, 6 present
        (Counts(9, 6, 1, 4, 1, 1), "for", "5"),  # 6 votes, 5 eligible (one stepping aside)
    ],
)
def test_impossible_counts_are_refused_with_the_numbers(counts: Counts, field: str, words: str) -> None:
    i18n.set_language("en")
    with pytest.raises(ValidationError) as err:
        voting.council_vote(counts)
    assert err.value.field == field
    assert words in err.value.message()


def test_the_refusal_says_what_is_wrong_in_words() -> None:
    i18n.set_language("en")
    with pytest.raises(ValidationError) as err:
        voting.council_vote(Counts(9, 6, 1, 4, 1, 1))
    assert err.value.message() == (
        "6 votes (4 for, 1 against, 1 abstaining) are more than the 5 present who may vote on this item."
    )
    with pytest.raises(ValidationError) as err:
        voting.council_vote(Counts(9, 10))
    assert err.value.message() == "10 present is more than the 9 expected."


def test_thresholds_are_exact_fractions_between_zero_and_one() -> None:
    with pytest.raises(TypeError):
        Threshold(0.5)  # type: ignore[arg-type]
    for bad in (Fraction(0), Fraction(-1, 2), Fraction(3, 2)):
        with pytest.raises(ValidationError):
            Threshold(bad)
    with pytest.raises(ValidationError):
        Threshold(Fraction(1), strict=True)  # more than all: nothing could pass
    assert Threshold(Fraction(1)).minimum(7) == 7


def test_threshold_words() -> None:
    i18n.set_language("en")
    assert voting.threshold_text(voting.COUNCIL_PASS, voting.PRESENT) == "more than 1/2 of those present"
    assert voting.threshold_text(voting.COUNCIL_QUORUM, voting.MEMBERS) == "at least 2/3 of the members"
    outcome = voting.party_members_meeting(Counts(40, 30, for_=21))
    assert outcome.threshold_text() == "more than 1/2 of those expected"
    assert outcome.label() == "Passed"


# --- properties: counts stay within those present, and the outcome matches a plain-integer recount ----------

RULES = (
    voting.VILLAGERS_MEETING,
    voting.REPRESENTATIVES_MEETING,
    voting.PARTY_MEMBERS_MEETING,
    voting.COUNCIL,
    voting.COUNCIL_TWO_THIRDS_ITEM,
)


@st.composite
def thresholds(draw: st.DrawFn) -> Threshold:
    den = draw(st.integers(1, 12))
    num = draw(st.integers(1, den))
    strict = draw(st.booleans()) if num < den else False
    return Threshold(Fraction(num, den), strict)


@st.composite
def rules(draw: st.DrawFn) -> voting.VotingRule:
    if draw(st.booleans()):
        return draw(st.sampled_from(RULES))
    return voting.VotingRule(
        voting.COUNCIL_BODY,
        (voting.Quorum(draw(thresholds()), voting.MEMBERS),),
        draw(thresholds()),
        draw(st.sampled_from(voting.PASS_BASES)),
    )


@st.composite
def sound_counts(draw: st.DrawFn) -> Counts:
    expected = draw(st.integers(0, 300))
    present = draw(st.integers(0, expected))
    recused = draw(st.integers(0, present))
    eligible = present - recused
    for_ = draw(st.integers(0, eligible))
    against = draw(st.integers(0, eligible - for_))
    abstain = draw(st.integers(0, eligible - for_ - against))
    households = draw(st.integers(0, 200))
    return Counts(
        expected, present, recused, for_, against, abstain, households, draw(st.integers(0, households))
    )


def reaches(count: int, base: int, num: int, den: int, strict: bool) -> bool:
    """count/base against num/den by cross-multiplication, in whole numbers only."""
    if base == 0:
        return False
    return count * den > base * num if strict else count * den >= base * num


def integer_result(rule: voting.VotingRule, c: Counts) -> str:
    sits = False
    for q in rule.quorums:
        count, base = (
            (c.households_present, c.households) if q.base == voting.HOUSEHOLDS else (c.present, c.expected)
        )
        f = q.threshold.fraction
        sits = sits or reaches(count, base, f.numerator, f.denominator, q.threshold.strict)
    if not sits:
        return voting.QUORUM_NOT_MET
    base = c.present - c.recused if rule.pass_base == voting.PRESENT else c.expected - c.recused
    f = rule.pass_threshold.fraction
    passes = reaches(c.for_, base, f.numerator, f.denominator, rule.pass_threshold.strict)
    return voting.PASSED if passes else voting.NOT_PASSED


@PROPERTY
@given(rules(), sound_counts())
def test_the_outcome_agrees_with_a_plain_integer_recount(rule: voting.VotingRule, counts: Counts) -> None:
    outcome = voting.tally(rule, counts)
    assert outcome.result == integer_result(rule, counts)
    # `needed` is the least number of votes for that passes, whenever a quorum sits.
    if outcome.quorum_met and outcome.needed <= outcome.eligible_present:
        more = Counts(counts.expected, counts.present, counts.recused, outcome.needed, 0, 0,
                      counts.households, counts.households_present)  # fmt: skip
        fewer = Counts(counts.expected, counts.present, counts.recused, outcome.needed - 1, 0, 0,
                       counts.households, counts.households_present)  # fmt: skip
        assert voting.tally(rule, more).passed
        assert not voting.tally(rule, fewer).passed


@PROPERTY
@given(
    rules(),
    st.integers(-3, 60),
    st.integers(-3, 60),
    st.integers(-3, 60),
    st.integers(-3, 60),
    st.integers(-3, 60),
    st.integers(-3, 60),
)
def test_counts_never_exceed_those_present(
    rule: voting.VotingRule, expected: int, present: int, recused: int, for_: int, against: int, abstain: int
) -> None:
    counts = Counts(expected, present, recused, for_, against, abstain, 100, 50)
    try:
        outcome = voting.tally(rule, counts)
    except ValidationError:
        impossible = (
            min(expected, present, recused, for_, against, abstain) < 0
            or present > expected
            or recused > present
            or for_ + against + abstain > present - recused
        )
        assert impossible
        return
    assert 0 <= for_ + against + abstain <= outcome.eligible_present <= present <= expected
    assert outcome.not_voting == outcome.eligible_present - (for_ + against + abstain) >= 0
