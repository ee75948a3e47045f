"""Tables of 矛盾纠纷调处: disputes, their parties, sessions and follow-up visits.

A party from the roster is kept as the roster id at the time plus the particulars as they were
(not a foreign key), like a petitioner.
"""

from __future__ import annotations

import peewee

from villagegov.core.db import BaseModel
from villagegov.roster.models import Village


class Mediation(BaseModel):
    village = peewee.ForeignKeyField(Village, backref="mediations", on_delete="RESTRICT")
    year = peewee.IntegerField()
    sequence = peewee.IntegerField()
    number = peewee.CharField()  # 〔2026〕调字第3号
    kind = peewee.CharField()
    received_on = peewee.DateField()
    facts = peewee.TextField()
    disputed = peewee.TextField()
    mediators = peewee.TextField()  # JSON list of names
    due_on = peewee.DateField()
    outcome = peewee.CharField(default="")  # "" while being mediated; agreement / no_agreement / referred
    concluded_on = peewee.DateField(null=True)
    responsibilities = peewee.TextField(default="[]")  # JSON list, one text a party in party order
    terms = peewee.TextField(default="[]")  # JSON list of the terms agreed
    performance = peewee.TextField(default="")  # how the agreement is performed
    perform_by = peewee.DateField(null=True)
    oral = peewee.BooleanField(default=False)  # an oral agreement the mediator recorded (Art. 28)
    outcome_note = peewee.TextField(default="")  # why no agreement; to whom referred
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField()

    class Meta:
        indexes = (
            (("village", "year", "sequence"), True),
            (("village", "outcome", "due_on"), False),
            (("village", "received_on"), False),
        )


class MediationParty(BaseModel):
    """A party's particulars as they were when the dispute was registered."""

    mediation = peewee.ForeignKeyField(Mediation, backref="parties", on_delete="RESTRICT")
    position = peewee.IntegerField()
    villager_id = peewee.IntegerField(null=True)  # the roster's id; None for someone from outside
    name = peewee.CharField()
    gender = peewee.CharField(default="")
    birth_date = peewee.DateField(null=True)
    id_number = peewee.CharField(default="")  # full; masked on paper
    address = peewee.CharField(default="")
    phone = peewee.CharField(default="")  # full; masked on paper

    class Meta:
        indexes = ((("mediation", "position"), True),)


class MediationSession(BaseModel):
    """One sitting of the mediation (调解工作记录)."""

    mediation = peewee.ForeignKeyField(Mediation, backref="sessions", on_delete="RESTRICT")
    position = peewee.IntegerField()
    held_on = peewee.DateField()
    place = peewee.CharField(default="")
    mediators = peewee.TextField()  # JSON list of names
    present = peewee.TextField(default="")
    record = peewee.TextField()
    recorded_by = peewee.CharField()
    recorded_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("mediation", "position"), True),)


class MediationFollowUp(BaseModel):
    """回访记录: party, agreement (the case), performance, satisfaction, visitor, date."""

    mediation = peewee.ForeignKeyField(Mediation, backref="follow_ups", on_delete="RESTRICT")
    party = peewee.ForeignKeyField(MediationParty, on_delete="RESTRICT")
    visited_on = peewee.DateField()
    performance = peewee.CharField()
    satisfaction = peewee.CharField()
    visitor = peewee.CharField()
    note = peewee.TextField(default="")
    recorded_by = peewee.CharField()
    recorded_at = peewee.DateTimeField()
