"""Tables of the 红白理事会 room: the council and its members, the standard's versions, ceremonies."""

from __future__ import annotations

import peewee

from villagegov.core.db import BaseModel
from villagegov.roster.models import Household, Village, Villager


class CeremonyCouncil(BaseModel):
    """红白理事会 for one term; a village has one at a time."""

    village = peewee.ForeignKeyField(Village, backref="ceremony_councils", on_delete="RESTRICT")
    name = peewee.CharField()  # 青石村红白理事会
    term_start = peewee.DateField()
    term_end = peewee.DateField()
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField()

    class Meta:
        indexes = ((("village", "term_start"), True),)


class CeremonyCouncilMember(BaseModel):
    """A villager's seat on the council, from `joined_on` up to (not including) `left_on`."""

    council = peewee.ForeignKeyField(CeremonyCouncil, backref="members", on_delete="RESTRICT")
    villager = peewee.ForeignKeyField(Villager, backref="ceremony_seats", on_delete="RESTRICT")
    role = peewee.CharField()  # chair (会长) / vice_chair (副会长) / member (理事)
    joined_on = peewee.DateField()
    left_on = peewee.DateField(null=True)

    class Meta:
        indexes = ((("council", "villager", "joined_on"), True),)


class CeremonyStandard(BaseModel):
    """One version of the village's standard (村规民约), in force from `effective_from` until the next."""

    village = peewee.ForeignKeyField(Village, backref="ceremony_standards", on_delete="RESTRICT")
    effective_from = peewee.DateField()
    basis = peewee.CharField(default="")  # 2026年6月村民代表会议修订
    cremation_required = peewee.BooleanField()
    paid_performers_banned = peewee.BooleanField()
    school_admission_banned = peewee.BooleanField()
    house_moving_banned = peewee.BooleanField()
    birthday_min_age = peewee.IntegerField(null=True)
    set_at = peewee.DateTimeField()
    set_by = peewee.CharField()

    class Meta:
        indexes = ((("village", "effective_from"), True),)


class CeremonyCaps(BaseModel):
    """A version's caps for one kind; NULL: no cap on that figure. Money in fen."""

    standard = peewee.ForeignKeyField(CeremonyStandard, backref="caps", on_delete="RESTRICT")
    kind = peewee.CharField()  # wedding / funeral / other
    tables = peewee.IntegerField(null=True)
    cost_per_table_fen = peewee.BigIntegerField(null=True)
    gift_per_guest_fen = peewee.BigIntegerField(null=True)
    vehicles = peewee.IntegerField(null=True)
    days = peewee.IntegerField(null=True)
    bride_price_fen = peewee.BigIntegerField(null=True)
    report_days = peewee.IntegerField(null=True)  # the least days a report comes ahead (schema 9)

    class Meta:
        indexes = ((("standard", "kind"), True),)


class Ceremony(BaseModel):
    """One family ceremony: its report (事前报备); the stages after it have tables of their own."""

    village = peewee.ForeignKeyField(Village, backref="ceremonies", on_delete="RESTRICT")
    year = peewee.IntegerField()  # of its registration number (the year it was reported)
    sequence = peewee.IntegerField()
    number = peewee.CharField()  # 〔2026〕红白备字第3号
    household = peewee.ForeignKeyField(Household, backref="ceremonies", on_delete="RESTRICT")
    head_name = peewee.CharField()  # the household head as the report named them
    host = peewee.CharField()  # who reported and answers for it (主办人)
    contact_phone = peewee.CharField(default="")  # full; masked on paper
    kind = peewee.CharField()
    occasion = peewee.CharField(default="")  # other banquets: birthday / full_month / …
    celebrant_age = peewee.IntegerField(null=True)
    subject = peewee.CharField(default="")  # 新郎王小明、新娘李小红 / 逝者王德福
    day = peewee.DateField()  # the (first) day of the ceremony
    place = peewee.CharField()
    reported_on = peewee.DateField()
    stage = peewee.CharField(default="reported")
    closed_on = peewee.DateField(null=True)
    cancelled_on = peewee.DateField(null=True)
    cancel_reason = peewee.CharField(default="")
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField()

    class Meta:
        indexes = ((("village", "year", "sequence"), True), (("village", "day"), False))


class CeremonyFigures(BaseModel):
    """A version of the plan (stage plan: the first is the family's first plan) or of the figures seen
    on the day (stage actual: later ones correct earlier ones, which stay). Money in fen."""

    ceremony = peewee.ForeignKeyField(Ceremony, backref="figures", on_delete="RESTRICT")
    stage = peewee.CharField()  # plan / actual
    version = peewee.IntegerField()  # 1, 2, … within the stage
    tables = peewee.IntegerField(null=True)
    cost_per_table_fen = peewee.BigIntegerField(null=True)
    gift_per_guest_fen = peewee.BigIntegerField(null=True)
    vehicles = peewee.IntegerField(null=True)
    days = peewee.IntegerField(null=True)
    bride_price_fen = peewee.BigIntegerField(null=True)
    paid_performers = peewee.BooleanField(default=False)
    cremation = peewee.BooleanField(null=True)
    spending_fen = peewee.BigIntegerField(null=True)  # a plan's total estimate
    reason = peewee.CharField(default="")  # why a later version replaced the one before
    recorded_at = peewee.DateTimeField()
    recorded_by = peewee.CharField()

    class Meta:
        indexes = ((("ceremony", "stage", "version"), True),)


class CeremonyAdvice(BaseModel):
    """The council's advice on a report; `plan` is the revised plan the family accepted, if any."""

    ceremony = peewee.ForeignKeyField(Ceremony, backref="advice", on_delete="RESTRICT")
    advised_on = peewee.DateField()
    member = peewee.ForeignKeyField(CeremonyCouncilMember, null=True, backref="+", on_delete="RESTRICT")
    text = peewee.TextField()
    plan = peewee.ForeignKeyField(CeremonyFigures, null=True, backref="+", on_delete="RESTRICT")
    recorded_at = peewee.DateTimeField()
    recorded_by = peewee.CharField()


class CommitmentLetter(BaseModel):
    """承诺书: the family's signed commitment to keep the plan (`plan`) within the standard."""

    ceremony = peewee.ForeignKeyField(Ceremony, backref="commitments", unique=True, on_delete="RESTRICT")
    plan = peewee.ForeignKeyField(CeremonyFigures, backref="+", on_delete="RESTRICT")
    signer = peewee.CharField()
    signed_on = peewee.DateField()
    recorded_at = peewee.DateTimeField()
    recorded_by = peewee.CharField()

    class Meta:
        table_name = "ceremony_commitment_letter"  # named after the room: decisions has a Supervision too


class Supervision(BaseModel):
    """事中监督: the member on duty and what they noted; the figures seen are CeremonyFigures (actual)."""

    ceremony = peewee.ForeignKeyField(Ceremony, backref="supervisions", unique=True, on_delete="RESTRICT")
    member = peewee.ForeignKeyField(CeremonyCouncilMember, backref="+", on_delete="RESTRICT")
    supervised_on = peewee.DateField()
    notes = peewee.TextField(default="")
    recorded_at = peewee.DateTimeField()
    recorded_by = peewee.CharField()

    class Meta:
        table_name = "ceremony_supervision"  # named after the room: decisions has a Supervision too


class FollowUp(BaseModel):
    """事后回访: the family's actual spending, its satisfaction, remarks."""

    ceremony = peewee.ForeignKeyField(Ceremony, backref="follow_ups", unique=True, on_delete="RESTRICT")
    member = peewee.ForeignKeyField(CeremonyCouncilMember, backref="+", on_delete="RESTRICT")
    visited_on = peewee.DateField()
    actual_spending_fen = peewee.BigIntegerField()
    satisfaction = peewee.CharField()  # satisfied / fairly_satisfied / dissatisfied
    remarks = peewee.TextField(default="")
    recorded_at = peewee.DateTimeField()
    recorded_by = peewee.CharField()

    class Meta:
        table_name = "ceremony_follow_up"  # named after the room: decisions has a Supervision too


MODELS: tuple[type[peewee.Model], ...] = (
    CeremonyCouncil, CeremonyCouncilMember, CeremonyStandard, CeremonyCaps, Ceremony, CeremonyFigures,
    CeremonyAdvice, CommitmentLetter, Supervision, FollowUp,
)  # fmt: skip
