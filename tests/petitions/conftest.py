"""Fixtures of the petitions room: a village with a secretary, a supervisor and a few villagers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from villagegov.accounts import service as accounts
from villagegov.core.actor import Actor
from villagegov.core.privacy import make_id_number
from villagegov.petitions import mediation_rules, petition_rules, petition_service
from villagegov.petitions.petition_records import PetitionDetail
from villagegov.roster import service as roster
from villagegov.roster.rules import VillagerInput

# A complainant's name must never reach a document: a name that occurs nowhere else.
COMPLAINANT = "欧阳秀珍"
COMPLAINANT_PHONE = "13912345678"
PETITIONER = "王大山"
PARTY_A, PARTY_B = "李长顺", "赵国强"
ID_A = make_id_number("411421", date(1966, 4, 2), 13)
ID_OUTSIDE = make_id_number("410102", date(1980, 7, 15), 35)
PHONE_A = "13812345678"
PHONE_OUTSIDE = "13698765432"


@dataclass(frozen=True)
class Village:
    clerk: Actor
    secretary: Actor
    supervisor: Actor
    petitioner: int  # villager ids
    complainant: int
    party_a: int


def make_village(clerk: Actor) -> Village:
    accounts.create_user(clerk, "shuji", "王建国", "secretary", "mima-5678", "mima-5678")
    accounts.create_user(clerk, "jianwei", "陈淑芬", "supervisor", "mima-9012", "mima-9012")
    group = roster.add_group(clerk, "第一村民小组")
    one = roster.add_household(clerk, group.id, "01-001", "青石村一组1号")
    two = roster.add_household(clerk, group.id, "01-002", "青石村一组2号")
    three = roster.add_household(clerk, group.id, "01-003", "青石村一组3号")
    petitioner = roster.add_villager(
        clerk, VillagerInput(PETITIONER, one, "head", gender="male", birth_date=date(1970, 3, 7))
    )
    complainant = roster.add_villager(
        clerk,
        VillagerInput(
            COMPLAINANT, two, "head", gender="female", birth_date=date(1975, 5, 9), phone=COMPLAINANT_PHONE
        ),
    )
    party_a = roster.add_villager(clerk, VillagerInput(PARTY_A, three, "head", id_number=ID_A, phone=PHONE_A))
    return Village(
        clerk=clerk,
        secretary=accounts.sign_in("shuji", "mima-5678"),
        supervisor=accounts.sign_in("jianwei", "mima-9012"),
        petitioner=petitioner.id,
        complainant=complainant.id,
        party_a=party_a.id,
    )


@pytest.fixture
def village(any_clerk: Actor) -> Village:
    return make_village(any_clerk)


@pytest.fixture
def sqlite_village(clerk: Actor) -> Village:
    return make_village(clerk)


def petition_input(
    villager: int | None,
    ledger: str = petition_rules.CLAIM,
    received_on: date = date(2026, 11, 2),
    **changes: object,
) -> petition_rules.PetitionInput:
    base: dict[str, object] = {
        "ledger": ledger,
        "channel": petition_rules.VISIT,
        "received_on": received_on,
        "subject": "申请修缮村道排水沟",
        "content": "雨季村道积水，影响出行，请求修缮排水沟。",
        "villager_id": villager,
    }
    base.update(changes)
    return petition_rules.PetitionInput(**base)  # type: ignore[arg-type]


STEP_NOTES = {
    petition_rules.REVIEW: "请村委会尽快核实办理",
    petition_rules.SUPERVISE: "已到现场查看，施工队已进场",
    petition_rules.FEEDBACK: "排水沟已修缮完毕",
    petition_rules.CONSULT: "已电话回复",
}


def walk(
    v: Village,
    petition_id: int,
    until: str,
    on: date,
    satisfaction: str = petition_rules.SATISFIED,
) -> PetitionDetail:
    """Record every step after the current one up to and including `until`, all on day `on`."""
    detail = petition_service.get_petition(v.secretary, petition_id, on)
    while detail.next_step:
        step = detail.next_step
        data = petition_rules.StepInput(
            step,
            on,
            note=STEP_NOTES.get(step, ""),
            assignee="村委会委员张明" if step == petition_rules.ASSIGN else "",
            satisfaction=satisfaction if step == petition_rules.CONSULT else "",
        )
        actor = v.secretary if step in petition_rules.SECRETARY_STEPS else v.clerk
        detail = petition_service.record_step(actor, petition_id, data, today=on)
        if step == until:
            break
    return detail


def mediation_input(v: Village, received_on: date = date(2026, 11, 3)) -> mediation_rules.MediationInput:
    return mediation_rules.MediationInput(
        kind=mediation_rules.HOUSE_SITE,
        received_on=received_on,
        facts="双方宅基地相邻，赵国强建房时院墙向东多占约0.5米。",
        disputed="院墙位置及多占部分是否拆除。",
        parties=(
            mediation_rules.PartyInput(villager_id=v.party_a),
            mediation_rules.PartyInput(
                name=PARTY_B,
                gender="male",
                birth_date=date(1980, 7, 15),
                id_number=ID_OUTSIDE,
                address="柳溪镇石桥村3组",
                phone=PHONE_OUTSIDE,
            ),
        ),
        mediators=("张调解", "刘淑华"),
    )


def agreement_input(concluded_on: date = date(2026, 11, 10)) -> mediation_rules.OutcomeInput:
    return mediation_rules.OutcomeInput(
        outcome=mediation_rules.AGREEMENT,
        concluded_on=concluded_on,
        responsibilities=("对院墙位置未及时提出异议，负次要责任。", "建房时越界占地，负主要责任。"),
        terms=("乙方于本协议生效后拆除越界院墙0.5米。", "甲方协助乙方重新砌墙，不收取费用。"),
        performance="乙方自行拆除并重砌院墙，由村调委会现场确认。",
        perform_by=date(2026, 11, 30),
    )
