"""The room's own plain records: its settings, what is due, and the period's summary of both subjects.

A petition's records are in petition_records.py, a dispute's in mediation_records.py. Plain
dataclasses only: no peewee, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from villagegov.core.privacy import DEFAULT_MASKING, Masking
from villagegov.petitions import petition_rules, rules


@dataclass(frozen=True)
class Settings:
    limits: petition_rules.TimeLimits = petition_rules.DEFAULT_LIMITS
    committee_name: str = ""  # empty: "<village>人民调解委员会"


@dataclass(frozen=True)
class Attention:
    """What the main window's indicator shows: open items past or near their deadlines."""

    overdue: int
    due_soon: int
    mediations_overdue: int

    @property
    def total(self) -> int:
        return self.overdue + self.due_soon + self.mediations_overdue


OVERDUE_PETITION, DUE_PETITION, OVERDUE_MEDIATION, FOLLOW_UP_DUE = (
    "overdue_petition", "due_petition", "overdue_mediation", "follow_up_due",
)  # fmt: skip


@dataclass(frozen=True)
class Reminder:
    kind: str
    record_id: int
    number: str
    subject: str
    step: str  # the petition's next step ("" for a mediation)
    due_on: date


@dataclass(frozen=True)
class SummaryDocument:
    village: str
    signing_body: str
    start: date
    end: date
    figures: rules.Figures
    sign_date: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper
