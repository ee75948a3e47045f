"""矛盾纠纷调处's plain records: what the mediation service returns and the layouts, screens and archive
take.

Plain dataclasses only: no peewee, no Qt (a layout imports these, never the service).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from villagegov.core.privacy import DEFAULT_MASKING, Masking
from villagegov.petitions import mediation_rules as rules


@dataclass(frozen=True)
class MediationFilter:
    year: int | None = None
    outcome: str | None = None  # "" for those being mediated
    text: str = ""


@dataclass(frozen=True)
class MediationRow:
    id: int
    number: str
    kind: str
    received_on: date
    parties: str  # the parties' names, joined
    outcome: str
    concluded_on: date | None
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class PartyRow:
    id: int
    position: int
    villager_id: int | None
    name: str
    gender: str
    birth_date: date | None
    id_number: str
    address: str
    phone: str


@dataclass(frozen=True)
class SessionRow:
    id: int
    position: int
    held_on: date
    place: str
    mediators: tuple[str, ...]
    present: str
    record: str
    recorded_by: str


@dataclass(frozen=True)
class FollowUpRow:
    id: int
    party: str
    party_position: int
    visited_on: date
    performance: str
    satisfaction: str
    visitor: str
    note: str
    recorded_by: str


@dataclass(frozen=True)
class MediationDetail:
    id: int
    number: str
    kind: str
    received_on: date
    facts: str
    disputed: str
    mediators: tuple[str, ...]
    due_on: date
    outcome: str
    concluded_on: date | None
    responsibilities: tuple[str, ...]
    terms: tuple[str, ...]
    performance: str
    perform_by: date | None
    oral: bool
    outcome_note: str
    created_at: datetime
    created_by: str
    parties: tuple[PartyRow, ...]
    sessions: tuple[SessionRow, ...]
    follow_ups: tuple[FollowUpRow, ...]

    def as_facts(self) -> rules.MediationFacts:
        """What the rules ask of it to say what may be done to it now."""
        return rules.MediationFacts(self.number, self.outcome, len(self.sessions))

    def as_input(self) -> rules.MediationInput:
        return rules.MediationInput(
            kind=self.kind, received_on=self.received_on, facts=self.facts, disputed=self.disputed,
            parties=tuple(
                rules.PartyInput(
                    p.name, p.villager_id, p.gender, p.birth_date, p.id_number, p.address, p.phone
                )
                for p in self.parties
            ),
            mediators=self.mediators,
        )  # fmt: skip


# The agreement on paper: plain data for mediation_pdf.py, in Chinese, every number masked.


@dataclass(frozen=True)
class AgreementParty:
    label: str  # 甲方, 乙方, …
    name: str
    gender: str  # 男 / 女 / ""
    birth_date: date | None
    id_number: str  # masked
    address: str
    phone: str  # masked


@dataclass(frozen=True)
class AgreementDocument:
    """调解协议书 with every content 人民调解法 Art. 29 names."""

    mediation_id: int
    village: str
    committee: str
    number: str
    kind_label: str
    parties: tuple[AgreementParty, ...]
    facts: str
    disputed: str
    responsibilities: tuple[tuple[str, str], ...]  # (party label and name, responsibility)
    terms: tuple[str, ...]
    performance: str
    perform_by: date
    mediators: tuple[str, ...]
    oral: bool
    copies: int  # one for each party and one for the committee
    concluded_on: date
    masking: Masking = field(default=DEFAULT_MASKING, repr=False)  # the village's, for the paper
