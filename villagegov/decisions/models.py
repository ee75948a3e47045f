"""Tables of the 四议两公开 room: decisions, their rounds and step records, who took part, supervision."""

from __future__ import annotations

import peewee

from villagegov.core.attachments import SealedContent
from villagegov.core.db import BaseModel
from villagegov.council.models import AgendaItem
from villagegov.roster.models import Village, Villager


class Decision(BaseModel):
    """A major village matter (重大事项), its dossier number 〔2026〕事字第3号 and where it ended."""

    village = peewee.ForeignKeyField(Village, backref="+", on_delete="RESTRICT")
    year = peewee.IntegerField()
    sequence = peewee.IntegerField()
    number = peewee.CharField()
    title = peewee.CharField(max_length=200)
    kind = peewee.CharField()
    amount_fen = peewee.BigIntegerField(null=True)  # where money is involved
    background = peewee.TextField(default="")
    opened_on = peewee.DateField()
    state = peewee.CharField(default="in_progress")  # in_progress / not_adopted / complete
    round = peewee.IntegerField(default=1)  # 2 and more: revised proposals after a failed vote
    ended_on = peewee.DateField(null=True)
    end_reason = peewee.TextField(default="")
    # The implementation, which the result disclosure (step 6) reports.
    work_started_on = peewee.DateField(null=True)
    work_ended_on = peewee.DateField(null=True)
    work_done = peewee.TextField(default="")
    spent_fen = peewee.BigIntegerField(null=True)
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField()

    class Meta:
        indexes = ((("village", "year", "sequence"), True), (("village", "state"), False))


class DecisionRound(BaseModel):
    """A round of the procedure: round 1 opens with the matter; each later one is a revised proposal
    sent back to step 1 after a failed vote, with why."""

    decision = peewee.ForeignKeyField(Decision, backref="rounds", on_delete="RESTRICT")
    number = peewee.IntegerField()
    started_on = peewee.DateField()
    reason = peewee.TextField(default="")
    created_by = peewee.CharField()

    class Meta:
        indexes = ((("decision", "number"), True),)


class DecisionStep(BaseModel):
    """One step's record. Meeting steps (1–4) keep the meeting, its counts and what core/voting.py
    decided under the rule kept beside them; disclosures (5–6) keep their notice and, once complete,
    its posting dates. A correction is a new record; the one it replaces points to it."""

    decision = peewee.ForeignKeyField(Decision, backref="steps", on_delete="RESTRICT")
    round = peewee.IntegerField()
    step = peewee.CharField()
    body = peewee.CharField(default="")
    held_on = peewee.DateField(null=True)  # the meeting's date; a disclosure's posting date when complete
    place = peewee.CharField(default="")
    chair = peewee.CharField(default="")
    recorder = peewee.CharField(default="")
    notified_on = peewee.DateField(null=True)  # villagers' meeting: when the villagers were told
    joint = peewee.BooleanField(default=False)  # step 2 held in one meeting with step 1 (一肩挑)
    expected = peewee.IntegerField(null=True)  # members with a vote; a villagers' meeting: the adults
    present = peewee.IntegerField(null=True)
    recused = peewee.IntegerField(default=0)
    for_ = peewee.IntegerField(null=True)
    against = peewee.IntegerField(null=True)
    abstain = peewee.IntegerField(null=True)
    households = peewee.IntegerField(null=True)
    households_present = peewee.IntegerField(null=True)
    representatives = peewee.IntegerField(null=True)  # a representatives' meeting's composition
    women_representatives = peewee.IntegerField(null=True)
    outcome = peewee.CharField()
    needed = peewee.IntegerField(null=True)  # least votes for that pass
    quorum_num = peewee.IntegerField(null=True)  # the party members' quorum the village used
    quorum_den = peewee.IntegerField(null=True)
    quorum_strict = peewee.BooleanField(null=True)
    pass_num = peewee.IntegerField(null=True)
    pass_den = peewee.IntegerField(null=True)
    pass_strict = peewee.BooleanField(null=True)
    pass_base = peewee.CharField(default="")  # present / expected
    summary = peewee.TextField(default="")  # what was said
    text = peewee.TextField(default="")  # the proposal, plan or resolution as agreed
    agenda_item = peewee.ForeignKeyField(AgendaItem, null=True, backref="+", on_delete="RESTRICT")
    # Not a foreign key: the notices room may delete a draft; the disclosure is then drafted again.
    notice_id = peewee.IntegerField(null=True, index=True)
    notice_created_at = peewee.DateTimeField(null=True)  # tells a deleted draft's reused id apart
    period_end = peewee.DateField(null=True)  # a complete disclosure's last day on the board
    completed_on = peewee.DateField(null=True)
    superseded_by = peewee.ForeignKeyField("self", null=True, backref="+", on_delete="RESTRICT")
    correction_reason = peewee.TextField(default="")
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField()

    class Meta:
        indexes = ((("decision", "round", "step"), False),)


class DecisionParticipant(BaseModel):
    """Someone expected at a step's meeting (member) or sitting in without a vote (observer, 列席)."""

    step = peewee.ForeignKeyField(DecisionStep, backref="participants", on_delete="RESTRICT")
    sort_order = peewee.IntegerField()
    role = peewee.CharField()  # member / observer
    kind = peewee.CharField(default="")
    villager = peewee.ForeignKeyField(Villager, null=True, backref="+", on_delete="RESTRICT")
    name = peewee.CharField()
    gender = peewee.CharField(default="")  # a representative's, from the roster (for the 1/3 of women)
    present = peewee.BooleanField(default=True)
    note = peewee.CharField(default="")


class Supervision(BaseModel):
    """The supervisory committee's sign-off of a step, or its concern, and the answer to a concern."""

    step = peewee.ForeignKeyField(DecisionStep, backref="supervision", on_delete="RESTRICT")
    kind = peewee.CharField()  # sign_off / concern
    text = peewee.TextField(default="")
    on = peewee.DateField()
    by = peewee.CharField()  # user name
    by_name = peewee.CharField()
    answer = peewee.TextField(default="")
    answered_on = peewee.DateField(null=True)
    answered_by = peewee.CharField(default="")
    created_at = peewee.DateTimeField()


class DecisionAttachment(SealedContent, BaseModel):
    decision = peewee.ForeignKeyField(Decision, backref="attachments", on_delete="RESTRICT")
    file_name = peewee.CharField()
    media_type = peewee.CharField()
    size = peewee.IntegerField()
    sha256 = peewee.CharField(max_length=64)
    content = peewee.BlobField()
    added_at = peewee.DateTimeField()
    added_by = peewee.CharField()

    # The bytes stay out of the audit log; their sha256 is in it.
    audit_exclude = ("content",)


class DecisionSettings(BaseModel):
    """The village's choices (DOMAIN.md *defaults*): disclosure period, warnings, party quorum."""

    village = peewee.ForeignKeyField(Village, unique=True, on_delete="RESTRICT")
    disclosure_days = peewee.IntegerField(default=7)
    disclosure_unit = peewee.CharField(default="days")
    stall_days = peewee.IntegerField(default=30)
    result_days = peewee.IntegerField(default=30)
    party_quorum_num = peewee.IntegerField(default=1)  # 1/2 national; a village may tighten to 2/3
    party_quorum_den = peewee.IntegerField(default=2)


MODELS: tuple[type[peewee.Model], ...] = (
    Decision, DecisionRound, DecisionStep, DecisionParticipant, Supervision, DecisionAttachment,
    DecisionSettings,
)  # fmt: skip
