"""Tables of the 村民议事会 room: the council, its members and rules, meetings and everything in them."""

from __future__ import annotations

import peewee

from villagegov.core.db import BaseModel
from villagegov.roster.models import Village, Villager


class Council(BaseModel):
    village = peewee.ForeignKeyField(Village, backref="councils", on_delete="RESTRICT")
    name = peewee.CharField()  # 青石村村民议事会
    term_start = peewee.DateField()
    term_end = peewee.DateField()
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField()

    class Meta:
        indexes = ((("village", "term_start"), True),)


class CouncilMember(BaseModel):
    """A villager's seat on the council, from `joined_on` up to (not including) `left_on`."""

    council = peewee.ForeignKeyField(Council, backref="members", on_delete="RESTRICT")
    villager = peewee.ForeignKeyField(Villager, backref="council_seats", on_delete="RESTRICT")
    role = peewee.CharField()  # chair (会长) / vice_chair (副会长) / member (成员)
    joined_on = peewee.DateField()
    left_on = peewee.DateField(null=True)

    class Meta:
        indexes = ((("council", "villager", "joined_on"), True),)


class CouncilRules(BaseModel):
    """The council's thresholds from `effective_from` on; a meeting keeps the version in force on its date."""

    council = peewee.ForeignKeyField(Council, backref="rules", on_delete="RESTRICT")
    effective_from = peewee.DateField()
    quorum_num = peewee.IntegerField()
    quorum_den = peewee.IntegerField()
    quorum_strict = peewee.BooleanField(default=False)
    pass_num = peewee.IntegerField()
    pass_den = peewee.IntegerField()
    pass_strict = peewee.BooleanField(default=True)
    two_thirds_num = peewee.IntegerField()
    two_thirds_den = peewee.IntegerField()
    two_thirds_strict = peewee.BooleanField(default=False)
    set_at = peewee.DateTimeField()
    set_by = peewee.CharField()

    class Meta:
        indexes = ((("council", "effective_from"), True),)


class Meeting(BaseModel):
    council = peewee.ForeignKeyField(Council, backref="meetings", on_delete="RESTRICT")
    number = peewee.IntegerField()  # 第N次会议, per term
    date = peewee.DateField()
    time = peewee.CharField(default="")  # 14:30
    place = peewee.CharField()
    # Who convenes, chairs (主持人) and records (记录人): a villager, or a name typed in. The name is
    # always kept, so the record says who it was even if the roster changes.
    convener = peewee.ForeignKeyField(Villager, null=True, backref="+", on_delete="RESTRICT")
    convener_name = peewee.CharField(default="")
    chair = peewee.ForeignKeyField(Villager, null=True, backref="+", on_delete="RESTRICT")
    chair_name = peewee.CharField(default="")
    recorder = peewee.ForeignKeyField(Villager, null=True, backref="+", on_delete="RESTRICT")
    recorder_name = peewee.CharField(default="")
    state = peewee.CharField(default="planned")  # planned / held / not_held / finalised
    quorum_met = peewee.BooleanField(null=True)  # None until attendance is recorded
    chair_signed_on = peewee.DateField(null=True)
    recorder_signed_on = peewee.DateField(null=True)
    finalised_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField()

    class Meta:
        indexes = ((("council", "number"), True), (("date",), False))


class AgendaItem(BaseModel):
    meeting = peewee.ForeignKeyField(Meeting, backref="items", on_delete="RESTRICT")
    sort_order = peewee.IntegerField()
    title = peewee.CharField(max_length=200)
    proposer = peewee.CharField(default="")
    background = peewee.TextField(default="")
    needs_two_thirds = peewee.BooleanField(default=False)
    for_vote = peewee.BooleanField(default=True)
    # The link to a 四议两公开 step is kept by the decisions room (its step references this item), so
    # there is one place that says which procedure an item serves.

    class Meta:
        indexes = ((("meeting", "sort_order"), False),)


class Attendance(BaseModel):
    meeting = peewee.ForeignKeyField(Meeting, backref="attendance", on_delete="RESTRICT")
    member = peewee.ForeignKeyField(CouncilMember, backref="attendance", on_delete="RESTRICT")
    status = peewee.CharField()  # present / absent
    reason = peewee.CharField(default="")  # why absent

    class Meta:
        indexes = ((("meeting", "member"), True),)


class Observer(BaseModel):
    """列席: sits in without a vote."""

    meeting = peewee.ForeignKeyField(Meeting, backref="observers", on_delete="RESTRICT")
    name = peewee.CharField()
    kind = peewee.CharField()  # two_committees / supervisory / other
    note = peewee.CharField(default="")  # position, e.g. 村委会主任


class Recusal(BaseModel):
    """回避: a member present steps aside for one item and is not eligible to vote on it."""

    item = peewee.ForeignKeyField(AgendaItem, backref="recusals", on_delete="RESTRICT")
    member = peewee.ForeignKeyField(CouncilMember, backref="recusals", on_delete="RESTRICT")
    reason = peewee.CharField(default="")

    class Meta:
        indexes = ((("item", "member"), True),)


class Vote(BaseModel):
    """An item's vote: the counts (typed, or derived from a roll call), and what core/voting.py decided
    from them under the rules in force, kept with the rule so the record explains itself."""

    item = peewee.ForeignKeyField(AgendaItem, backref="votes", unique=True, on_delete="RESTRICT")
    method = peewee.CharField()  # counts / roll_call
    for_ = peewee.IntegerField()
    against = peewee.IntegerField()
    abstain = peewee.IntegerField()
    expected = peewee.IntegerField()  # members expected at the meeting
    present = peewee.IntegerField()
    recused = peewee.IntegerField()
    outcome = peewee.CharField()  # passed / not_passed / quorum_not_met
    needed = peewee.IntegerField()  # least votes for that pass
    pass_num = peewee.IntegerField()
    pass_den = peewee.IntegerField()
    pass_strict = peewee.BooleanField()
    pass_base = peewee.CharField()  # present / expected
    recorded_at = peewee.DateTimeField()
    recorded_by = peewee.CharField()


class RollCallVote(BaseModel):
    """One member's vote in a roll call; a member present and eligible without a row did not vote."""

    item = peewee.ForeignKeyField(AgendaItem, backref="roll_call", on_delete="RESTRICT")
    member = peewee.ForeignKeyField(CouncilMember, backref="roll_calls", on_delete="RESTRICT")
    choice = peewee.CharField()  # for / against / abstain

    class Meta:
        indexes = ((("item", "member"), True),)


class Resolution(BaseModel):
    """决议: a passed item's resolution, numbered 〔2026〕议字第N号 in the village's series of its year.

    A number is never given again: if the item's vote is corrected before the meeting is finalised and
    it no longer passes, the resolution is kept as void, and passing again restores it.
    """

    village = peewee.ForeignKeyField(Village, backref="+", on_delete="RESTRICT")
    item = peewee.ForeignKeyField(AgendaItem, backref="resolutions", unique=True, on_delete="RESTRICT")
    year = peewee.IntegerField()
    sequence = peewee.IntegerField()
    number = peewee.CharField()
    title = peewee.CharField(max_length=200)
    text = peewee.TextField(default="")
    void = peewee.BooleanField(default=False)
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField()

    class Meta:
        indexes = ((("village", "year", "sequence"), True),)


class Minutes(BaseModel):
    """What was said: one text for the meeting as a whole (item NULL) and one per item."""

    meeting = peewee.ForeignKeyField(Meeting, backref="minutes", on_delete="RESTRICT")
    item = peewee.ForeignKeyField(AgendaItem, null=True, backref="minutes", on_delete="RESTRICT")
    text = peewee.TextField(default="")

    class Meta:
        indexes = ((("meeting", "item"), True),)


class Amendment(BaseModel):
    """A correction of a finalised meeting's record; the original stays here beside the correction."""

    meeting = peewee.ForeignKeyField(Meeting, backref="amendments", on_delete="RESTRICT")
    target = peewee.CharField()  # what was corrected: "minutes.text", "resolution.text", …
    target_id = peewee.IntegerField()  # the row of that table
    original = peewee.TextField()
    corrected = peewee.TextField()
    reason = peewee.CharField()
    amended_by = peewee.CharField()
    amended_at = peewee.DateTimeField()


MODELS: tuple[type[peewee.Model], ...] = (
    Council, CouncilMember, CouncilRules, Meeting, AgendaItem, Attendance, Observer, Recusal, Vote,
    RollCallVote, Resolution, Minutes, Amendment,
)  # fmt: skip
