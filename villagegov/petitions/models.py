"""The room's tables: its settings (the village's time limits and its mediation committee), and every
table of 民情三本账 (petition_models.py) and 矛盾纠纷调处 (mediation_models.py) for its migration.
"""

from __future__ import annotations

import peewee

from villagegov.core.db import BaseModel
from villagegov.petitions.mediation_models import (
    Mediation,
    MediationFollowUp,
    MediationParty,
    MediationSession,
)
from villagegov.petitions.petition_models import ComplaintIdentity, Petition, PetitionAttachment, PetitionStep
from villagegov.roster.models import Village


class PetitionSettings(BaseModel):
    """The village's time limits in working days (DOMAIN.md *defaults*) and its mediation committee."""

    village = peewee.ForeignKeyField(Village, unique=True, on_delete="RESTRICT")
    register = peewee.IntegerField(default=1)
    review = peewee.IntegerField(default=1)
    acknowledge = peewee.IntegerField(default=3)
    assign = peewee.IntegerField(default=1)
    supervise = peewee.IntegerField(default=10)
    feedback = peewee.IntegerField(default=15)
    feedback_departments = peewee.IntegerField(default=30)
    check = peewee.IntegerField(default=2)
    consult = peewee.IntegerField(default=5)
    close = peewee.IntegerField(default=3)
    due_soon = peewee.IntegerField(default=1)
    mediation_days = peewee.IntegerField(default=30)
    committee_name = peewee.CharField(default="")  # 青石村人民调解委员会; empty: from the village's name


# Every table the room's migration makes; all but ComplaintIdentity are explained by the audit log.
AUDITED: tuple[type[peewee.Model], ...] = (
    Petition, PetitionStep, PetitionAttachment, PetitionSettings,
    Mediation, MediationParty, MediationSession, MediationFollowUp,
)  # fmt: skip
MODELS: tuple[type[peewee.Model], ...] = (*AUDITED, ComplaintIdentity)
