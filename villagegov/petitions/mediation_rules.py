"""矛盾纠纷调处: what makes a dispute's registration, sessions, outcome and follow-up valid, and what may
be done to a dispute now. Pure: no database, no Qt.

A mediation (`Mediation`) records a dispute, its parties, each session, and its outcome: an
agreement (调解协议书, People's Mediation Law Art. 28–29), no agreement, or referral elsewhere; an
agreement's performance is followed up (回访记录, Art. 31). A follow-up asks the villager the same
satisfaction as a petition's 回复征询, and names and texts are cleaned as a petition's are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from villagegov.accounts import rules as access
from villagegov.core.actions import FINAL, Allowed, Refusal, refuse
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_, _
from villagegov.core.numbering import document_number
from villagegov.core.privacy import IdNumberProblem, normalise_phone, validate_id_number
from villagegov.petitions.petition_rules import ANSWERS, TimeLimits, clean_name, clean_text, long_text

# --- mediation ----------------------------------------------------------------------------------------

FAMILY, NEIGHBOURS, LAND, HOUSE_SITE, LABOUR, COMPENSATION, OTHER = (
    "family", "neighbours", "land", "house_site", "labour", "compensation", "other",
)  # fmt: skip
KINDS = (FAMILY, NEIGHBOURS, LAND, HOUSE_SITE, LABOUR, COMPENSATION, OTHER)
KIND_LABELS = {
    FAMILY: N_("Marriage and family"),  # 婚姻家庭
    NEIGHBOURS: N_("Neighbours"),  # 邻里
    LAND: N_("Land contracting"),  # 土地承包
    HOUSE_SITE: N_("House site"),  # 宅基地
    LABOUR: N_("Labour and wages"),  # 劳务
    COMPENSATION: N_("Damages"),  # 损害赔偿
    OTHER: N_("Other"),  # 其他
}

AGREEMENT, NO_AGREEMENT, REFERRED = "agreement", "no_agreement", "referred"
OUTCOMES = (AGREEMENT, NO_AGREEMENT, REFERRED)
OUTCOME_LABELS = {
    AGREEMENT: N_("Agreement reached"),  # 达成协议
    NO_AGREEMENT: N_("No agreement"),  # 调解不成
    REFERRED: N_("Referred on"),  # 移交（司法所、法院、有关部门）
}
MEDIATION_OPEN = "open"

PERFORMED, PARTLY, NOT_PERFORMED = "performed", "partly", "not_performed"
PERFORMANCES = (PERFORMED, PARTLY, NOT_PERFORMED)
PERFORMANCE_LABELS = {
    PERFORMED: N_("Performed in full"),  # 已履行
    PARTLY: N_("Partly performed"),  # 部分履行
    NOT_PERFORMED: N_("Not performed"),  # 未履行
}
MAX_PARTIES = 20
COURT_CONFIRMATION_DAYS = 30  # Art. 33: the parties may jointly ask a court within 30 days
MEDIATION_WORD = "调字第"


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind])


def outcome_label(outcome: str) -> str:
    return _(OUTCOME_LABELS[outcome]) if outcome else _("Being mediated")


def performance_label(value: str) -> str:
    return _(PERFORMANCE_LABELS[value])


def mediation_number(year: int, sequence: int) -> str:
    """〔2026〕调字第3号: the case's number, which its 调解协议书 carries."""
    return document_number(year, sequence, word=MEDIATION_WORD)


@dataclass(frozen=True)
class PartyInput:
    """A party: a villager from the roster (particulars copied from it) or someone from outside."""

    name: str = ""
    villager_id: int | None = None
    gender: str = ""  # male / female / "" (not known)
    birth_date: date | None = None
    id_number: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class MediationInput:
    kind: str
    received_on: date
    facts: str  # the main facts of the dispute
    disputed: str  # what is disputed (争议事项)
    parties: tuple[PartyInput, ...]
    mediators: tuple[str, ...]


def check_party(party: PartyInput, index: int, today: date) -> PartyInput:
    name = clean_name(party.name, "parties")
    if not name:
        raise ValidationError(N_("Party {n} has no name."), field="parties", n=index)
    if party.gender not in ("", "male", "female"):
        raise ValidationError(N_("Unknown gender: {value}"), field="parties", value=party.gender)
    id_number = ""
    if party.id_number.strip():
        try:
            id_number = validate_id_number(party.id_number, today)
        except IdNumberProblem as exc:
            raise ValidationError(
                N_("The ID-card number of party {n} ({name}) is not valid."), field="parties", n=index,
                name=name,
            ) from exc  # fmt: skip
    phone = ""
    if party.phone.strip():
        cleaned = normalise_phone(party.phone)
        if cleaned is None:
            raise ValidationError(
                N_("{phone} is not a mobile or landline number."), field="parties", phone=party.phone
            )
        phone = cleaned
    if party.birth_date is not None and party.birth_date > today:
        raise ValidationError(N_("The birth date of party {n} is in the future."), field="parties", n=index)
    return PartyInput(
        name=name, villager_id=party.villager_id, gender=party.gender, birth_date=party.birth_date,
        id_number=id_number, address=" ".join(party.address.split()), phone=phone,
    )  # fmt: skip


def check_mediators(mediators: Iterable[str]) -> tuple[str, ...]:
    names: list[str] = []
    for raw in mediators:
        name = clean_name(raw, "mediators")
        if name and name not in names:
            names.append(name)
    if not names:
        raise ValidationError(N_("Name at least one mediator."), field="mediators")
    return tuple(names)


def check_mediation(data: MediationInput, today: date) -> MediationInput:
    if data.kind not in KINDS:
        raise ValidationError(N_("Unknown kind of dispute: {value}"), field="kind", value=data.kind)
    if data.received_on > today:
        raise ValidationError(
            N_("The date {date} is in the future."), field="received_on", date=data.received_on.isoformat()
        )
    facts = long_text(data.facts, "facts")
    if not facts:
        raise ValidationError(N_("Please write down the main facts of the dispute."), field="facts")
    disputed = long_text(data.disputed, "disputed")
    if not disputed:
        raise ValidationError(N_("Please say what is disputed."), field="disputed")
    if not 2 <= len(data.parties) <= MAX_PARTIES:
        raise ValidationError(N_("A dispute has between 2 and {n} parties."), field="parties", n=MAX_PARTIES)
    parties = tuple(check_party(p, i, today) for i, p in enumerate(data.parties, start=1))
    seen_villagers = [p.villager_id for p in parties if p.villager_id is not None]
    if len(seen_villagers) != len(set(seen_villagers)):
        raise ValidationError(N_("The same villager is named twice as a party."), field="parties")
    return MediationInput(
        kind=data.kind, received_on=data.received_on, facts=facts, disputed=disputed, parties=parties,
        mediators=check_mediators(data.mediators),
    )  # fmt: skip


@dataclass(frozen=True)
class SessionInput:
    held_on: date
    place: str
    mediators: tuple[str, ...]
    record: str  # what was said and done (调解工作记录)
    present: str = ""  # who came besides the mediators


def check_session(data: SessionInput, received_on: date, today: date) -> SessionInput:
    if data.held_on > today:
        raise ValidationError(
            N_("The date {date} is in the future."), field="held_on", date=data.held_on.isoformat()
        )
    if data.held_on < received_on:
        raise ValidationError(
            N_("A session cannot be held before the dispute was registered on {date}."),
            field="held_on", date=received_on.isoformat(),
        )  # fmt: skip
    record = long_text(data.record, "record")
    if not record:
        raise ValidationError(N_("Please write down what happened at the session."), field="record")
    return SessionInput(
        held_on=data.held_on, place=" ".join(data.place.split()), mediators=check_mediators(data.mediators),
        record=record, present=clean_text(data.present),
    )  # fmt: skip


@dataclass(frozen=True)
class OutcomeInput:
    """How a mediation ended. For an agreement: each party's responsibility (in party order), the terms
    agreed, how and by when they are to be performed, and whether it was only oral (Art. 28)."""

    outcome: str
    concluded_on: date
    responsibilities: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    performance: str = ""  # how the terms are performed (履行方式)
    perform_by: date | None = None  # by when (履行期限)
    oral: bool = False
    note: str = ""  # no agreement: why; referred: to whom and why


@dataclass(frozen=True)
class CleanOutcome:
    outcome: str
    concluded_on: date
    responsibilities: tuple[str, ...]
    terms: tuple[str, ...]
    performance: str
    perform_by: date | None
    oral: bool
    note: str


def check_outcome(
    data: OutcomeInput, parties: int, last_session: date | None, received_on: date, today: date
) -> CleanOutcome:
    if data.outcome not in OUTCOMES:
        raise ValidationError(N_("Unknown outcome: {value}"), field="outcome", value=data.outcome)
    if data.concluded_on > today:
        raise ValidationError(
            N_("The date {date} is in the future."), field="concluded_on", date=data.concluded_on.isoformat()
        )
    if last_session is None:  # as mediation_actions says of OUTCOME
        raise refuse(NO_SESSION).error()
    if data.concluded_on < max(received_on, last_session):
        raise ValidationError(
            N_("A mediation cannot end before its last session on {date}."),
            field="concluded_on", date=last_session.isoformat(),
        )  # fmt: skip
    note = long_text(data.note, "note")
    if data.outcome != AGREEMENT:
        if not note:
            msgid = (
                N_("Say to whom the dispute was referred, and why.")
                if data.outcome == REFERRED
                else N_("Say why no agreement was reached.")
            )
            raise ValidationError(msgid, field="note")
        return CleanOutcome(data.outcome, data.concluded_on, (), (), "", None, False, note)
    responsibilities = tuple(clean_text(r) for r in data.responsibilities)
    if len(responsibilities) != parties or not any(responsibilities):
        raise ValidationError(
            N_("State each party's responsibility (the law asks for it in the agreement)."),
            field="responsibilities",
        )
    terms = tuple(t for t in (clean_text(t) for t in data.terms) if t)
    if not terms:
        raise ValidationError(N_("Write down what the parties agreed."), field="terms")
    performance = clean_text(data.performance)
    if not performance:
        raise ValidationError(N_("Say how the agreement is to be performed."), field="performance")
    if data.perform_by is None:
        raise ValidationError(N_("Say by when the agreement is to be performed."), field="perform_by")
    if data.perform_by < data.concluded_on:
        raise ValidationError(
            N_("The agreement cannot be due for performance before it was made."), field="perform_by"
        )
    return CleanOutcome(
        data.outcome, data.concluded_on, responsibilities, terms, performance, data.perform_by, data.oral,
        note,
    )  # fmt: skip


@dataclass(frozen=True)
class FollowUpInput:
    """回访记录: which party, which agreement (the case), performance, satisfaction, visitor, date."""

    party_index: int  # 1-based, in the mediation's order of parties
    visited_on: date
    performance: str
    satisfaction: str
    visitor: str
    note: str = ""


def check_follow_up(data: FollowUpInput, parties: int, concluded_on: date, today: date) -> FollowUpInput:
    if not 1 <= data.party_index <= parties:
        raise ValidationError(N_("Choose the party who was visited."), field="party")
    if data.visited_on > today:
        raise ValidationError(
            N_("The date {date} is in the future."), field="visited_on", date=data.visited_on.isoformat()
        )
    if data.visited_on < concluded_on:
        raise ValidationError(
            N_("A follow-up visit comes after the agreement of {date}."),
            field="visited_on", date=concluded_on.isoformat(),
        )  # fmt: skip
    if data.performance not in PERFORMANCES:
        raise ValidationError(N_("Say how far the agreement was performed."), field="performance")
    if data.satisfaction not in ANSWERS:
        raise ValidationError(
            N_("Record the villager's answer: satisfied, basically satisfied or dissatisfied."),
            field="satisfaction",
        )
    visitor = clean_name(data.visitor, "visitor")
    if not visitor:
        raise ValidationError(N_("Say who made the visit."), field="visitor")
    return FollowUpInput(
        data.party_index, data.visited_on, data.performance, data.satisfaction, visitor, clean_text(data.note)
    )


def mediation_deadline(received_on: date, limits: TimeLimits) -> date:
    return received_on + timedelta(days=limits.mediation_days)


# --- what may be done now ---------------------------------------------------------------------------
# The room's buttons and the service's checks ask the same functions (core/actions.py).

NEW, EDIT, SESSION, OUTCOME, FOLLOW_UP, PRINT_AGREEMENT = (
    "new", "edit", "session", "outcome", "follow_up", "print_agreement",
)  # fmt: skip
MEDIATION_ACTIONS = (EDIT, SESSION, OUTCOME, FOLLOW_UP, PRINT_AGREEMENT)
NO_SESSION = N_("Record at least one mediation session first.")


@dataclass(frozen=True)
class MediationFacts:
    """What the rules need to know of a dispute to say what may be done to it."""

    number: str
    outcome: str  # "" while it is being mediated
    sessions: int


def room_actions(role: str) -> Allowed:
    """What the disputes offer before one is chosen."""
    return Allowed.decide({NEW: access.refusal(role, access.WRITE)})


def session_refusal(held: bool) -> Refusal | None:
    """An outcome is recorded after at least one session (调解工作记录)."""
    return None if held else refuse(NO_SESSION)


def mediation_actions(role: str, facts: MediationFacts) -> Allowed:
    """Each action on one dispute, allowed or refused with the reason: it is corrected and sat while it
    is mediated, ended once, then only followed up (an agreement) and printed."""
    write = access.refusal(role, access.WRITE)
    ended = None
    if facts.outcome:
        ended = refuse(
            N_("Mediation {number} has ended ({outcome}) and is never changed."), FINAL,
            number=facts.number, outcome=outcome_label(facts.outcome),
        )  # fmt: skip
    agreement = facts.outcome == AGREEMENT
    return Allowed.decide({
        EDIT: write or ended,
        SESSION: write or ended,
        OUTCOME: write or ended or session_refusal(facts.sessions > 0),
        FOLLOW_UP: write or (None if agreement else refuse(N_("Only an agreement is followed up."))),
        PRINT_AGREEMENT: None if agreement else refuse(
            N_("Only a mediation that reached an agreement has an agreement to print.")
        ),
    })  # fmt: skip
