"""Tables of 民情三本账: petitions, their steps and attachments, and who complained (kept apart).

A villager is kept as the roster id at the time plus the name as it was (not a foreign key): the
ledger is a record of what was received, and a villager who later leaves the roster stays named
in it.
"""

from __future__ import annotations

import peewee

from villagegov.core.attachments import SealedContent
from villagegov.core.db import BaseModel
from villagegov.roster.models import Village


class Petition(BaseModel):
    village = peewee.ForeignKeyField(Village, backref="petitions", on_delete="RESTRICT")
    ledger = peewee.CharField()  # suggestion / claim / complaint
    year = peewee.IntegerField()  # the year of its number (the year received)
    sequence = peewee.IntegerField()
    number = peewee.CharField()  # 〔2026〕诉字第3号
    channel = peewee.CharField()
    received_on = peewee.DateField()
    subject = peewee.CharField(max_length=100)
    content = peewee.TextField()
    # The roster's id and the name as it was, and a phone to answer on (never printed); all three
    # empty for a complaint, whose complainant is kept in ComplaintIdentity.
    villager_id = peewee.IntegerField(null=True)
    petitioner = peewee.CharField(default="")
    contact = peewee.CharField(default="")
    anonymous = peewee.BooleanField(default=False)
    departments = peewee.BooleanField(default=False)  # a claim needing other departments
    state = peewee.CharField(default="open")  # open / closed
    next_step = peewee.CharField(default="")  # "" once closed
    round = peewee.IntegerField(default=0)  # one more for each dissatisfied answer
    # The next step's deadline, fixed when its anchor step was recorded (rules.deadline).
    due_on = peewee.DateField(null=True)
    warn_on = peewee.DateField(null=True)
    due_provisional = peewee.BooleanField(default=False)
    closed_on = peewee.DateField(null=True)
    satisfaction = peewee.CharField(default="")  # the latest answer at 回复征询
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField()

    class Meta:
        indexes = (
            (("village", "ledger", "year", "sequence"), True),
            # The overdue list and the main window's indicator: open petitions by deadline.
            (("village", "state", "due_on"), False),
            (("village", "received_on"), False),
            (("village", "closed_on"), False),
        )


class ComplaintIdentity(BaseModel):
    """Who complained (投诉举报): kept apart from the petition, and out of the audit log on purpose.

    The audit log travels with the yearly archive to the township; only the village's secretary may
    know who complained. The complaint itself (its petition row, with no name, and every step) is
    audited like any record; this row is written in the same transaction and never changes except by
    the secretary. The words of a complaint are stored with the name and phone already replaced.
    """

    petition = peewee.ForeignKeyField(Petition, unique=True, on_delete="RESTRICT")
    villager_id = peewee.IntegerField(null=True)
    name = peewee.CharField(default="")
    contact = peewee.CharField(default="")


class PetitionStep(BaseModel):
    """One step done, with who did it, when, and the deadline it had. Never changed once written."""

    petition = peewee.ForeignKeyField(Petition, backref="steps", on_delete="RESTRICT")
    position = peewee.IntegerField()  # 1, 2, … in the order recorded
    round = peewee.IntegerField()
    step = peewee.CharField()
    done_on = peewee.DateField()
    done_by = peewee.CharField()  # the person who did it
    note = peewee.TextField(default="")
    assignee = peewee.CharField(default="")  # 交办: who handles it
    satisfaction = peewee.CharField(default="")  # 回复征询: the villager's answer
    due_on = peewee.DateField(null=True)
    due_provisional = peewee.BooleanField(default=False)
    recorded_by = peewee.CharField()  # the user who entered it
    recorded_at = peewee.DateTimeField()

    class Meta:
        indexes = ((("petition", "position"), True), (("step", "done_on"), False))


class PetitionAttachment(SealedContent, BaseModel):
    petition = peewee.ForeignKeyField(Petition, backref="attachments", on_delete="RESTRICT")
    file_name = peewee.CharField()
    media_type = peewee.CharField()
    size = peewee.IntegerField()
    sha256 = peewee.CharField(max_length=64)
    content = peewee.BlobField()
    added_at = peewee.DateTimeField()
    added_by = peewee.CharField()

    # The bytes stay out of the audit log; their sha256 is in it.
    audit_exclude = ("content",)
