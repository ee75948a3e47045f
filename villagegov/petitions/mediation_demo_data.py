"""A year of 矛盾纠纷调处 for the demo village, written through the mediation service only: disputes of
every kind ending in each outcome (agreements with their follow-up visits, no agreement, referred on),
and two still being mediated, one of them past its month. Called by demo_data.add_demo_petitions.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from villagegov.core.actor import Actor
from villagegov.petitions import mediation_rules as rules
from villagegov.petitions import mediation_service as service
from villagegov.petitions.petition_rules import BASIC, SATISFIED
from villagegov.roster.service import VillagerRow

MEDIATORS = ("张调解", "刘淑华", "王德明")
DISPUTES = (
    (rules.HOUSE_SITE, "双方宅基地相邻，一方翻建院墙时越界约0.5米，另一方要求拆除。",
     "院墙越界部分是否拆除。",
     ("对越界未及时提出异议，负次要责任。", "建墙越界，负主要责任。"),
     ("乙方拆除越界院墙0.5米并恢复原状。", "甲方不再追究其他损失。"), "乙方自行拆除，调委会现场确认。"),
    (rules.NEIGHBOURS, "一方在共用通道堆放柴草，另一方出行受阻，双方发生口角。", "共用通道的使用。",
     ("长期占用共用通道，负主要责任。", "言语过激，负次要责任。"),
     ("甲方三日内清理通道内柴草。", "双方今后共同保持通道畅通。"), "甲方自行清理，调解员回访确认。"),
    (rules.FAMILY, "兄弟二人就父母赡养费用分担发生争执。", "赡养费用如何分担。",
     ("未按约定承担赡养义务，负主要责任。", "沟通方式不当，负次要责任。"),
     ("兄弟二人每人每月各支付父母生活费500元。", "父母医疗费用凭票据各承担一半。"), "每月5日前转账给父母。"),
    (rules.LAND, "承包地边界不清，一方耕种时越过地界约一垄。", "承包地边界位置。",
     ("耕种越界，负主要责任。", "未及时设立界桩，负次要责任。"),
     ("以确权图为准重新埋设界桩。", "越界部分当季收成归甲方。"), "双方到场，由村组干部埋设界桩。"),
    (rules.LABOUR, "村民为他人建房帮工二十天，工钱未结清。", "帮工工钱数额及支付时间。",
     ("拖欠工钱，负主要责任。", "未约定工钱标准，负次要责任。"),
     ("乙方支付甲方工钱4000元。",), "分两次现金支付，每次2000元。"),
    (rules.COMPENSATION, "一方放养的羊群啃食另一方麦苗约半亩。", "损失赔偿数额。",
     ("疏于看管羊群，负全部责任。", "无责任。"),
     ("甲方赔偿乙方麦苗损失600元。", "甲方今后圈养羊群。"), "一次性现金赔偿。"),
    (rules.NEIGHBOURS, "一方楼顶排水管直冲邻居院内，雨天积水。", "排水管改向。",
     ("排水管设置不当，负主要责任。", "无责任。"), ("甲方将排水管改至自家院内。",), "甲方自行改造。"),
    (rules.HOUSE_SITE, "父子分户后对老宅基地使用范围有争议。", "老宅基地的分割使用。", (), (), ""),
    (rules.LAND, "流转土地到期后，承租方未按时退还并恢复原状。", "土地退还及复耕费用。", (), (), ""),
    (rules.COMPENSATION, "电动车与三轮车相撞，双方对责任认定有争议。", "交通事故责任及赔偿。", (), (), ""),
    (rules.FAMILY, "夫妻因家庭琐事争吵，一方回娘家不归。", "夫妻关系及子女照料。", (), (), ""),
    (rules.OTHER, "合伙购买的农机收益分配有争议。", "农机收益分配比例。", (), (), ""),
    (rules.NEIGHBOURS, "一方新栽树木遮挡邻居菜地采光。", "树木是否移栽。", (), (), ""),
)  # fmt: skip
# What became of each dispute above, in order (the open ones are the most recent).
OUTCOME_PLAN = (
    rules.AGREEMENT, rules.AGREEMENT, rules.AGREEMENT, rules.AGREEMENT, rules.AGREEMENT, rules.AGREEMENT,
    rules.AGREEMENT, rules.NO_AGREEMENT, rules.REFERRED, rules.REFERRED, rules.NO_AGREEMENT, "", "",
)  # fmt: skip
SESSION_RECORDS = (
    "双方到场陈述各自理由，调解员宣讲相关法律政策。",
    "调解员到现场查看测量，分别做双方工作。",
    "双方在调解员主持下协商，就主要问题达成一致意见。",
)


def add_demo_mediations(
    clerk: Actor, villagers: list[VillagerRow], start: date, today: date, rng: random.Random
) -> tuple[int, int]:
    """The year's disputes from `start` to `today`; returns how many, and how many reached an agreement."""
    agreements = 0
    count = len(DISPUTES)
    for index, (kind, facts, disputed, duties, terms, how) in enumerate(DISPUTES):
        outcome = OUTCOME_PLAN[index]
        # The open ones are the latest: one registered 40 days ago (past its month), one last week.
        if outcome == "":
            received = today - timedelta(days=40 if index == count - 2 else 6)
        else:
            received = start + timedelta(days=(index * 300) // count + rng.randrange(0, 10))
        a, b = rng.sample(villagers, 2)
        second = rules.PartyInput(villager_id=b.id)
        if index == 4:  # the builder is from the next village
            second = rules.PartyInput(name="马建军", gender="male", birth_date=date(1979, 4, 18),
                                      address="柳溪镇石桥村三组", phone="13698765432")  # fmt: skip
        mediators = tuple(rng.sample(MEDIATORS, 2))
        mediation = service.create_mediation(
            clerk,
            rules.MediationInput(
                kind, received, facts, disputed, (rules.PartyInput(villager_id=a.id), second), mediators
            ),
            today=today, now=datetime.combine(received, time(10)),
        )  # fmt: skip
        day = received
        for n in range(rng.randrange(1, 4)):
            day = min(day + timedelta(days=rng.randrange(1, 8)), today)
            service.record_session(
                clerk, mediation.id,
                rules.SessionInput(day, "村委会调解室", mediators, SESSION_RECORDS[min(n, 2)], "双方当事人"),
                today=today,
            )  # fmt: skip
        if not outcome:
            continue
        concluded = min(day + timedelta(days=rng.randrange(0, 3)), today)
        if outcome == rules.AGREEMENT:
            perform_by = concluded + timedelta(days=rng.choice((3, 10, 30)))
            service.record_outcome(
                clerk, mediation.id,
                rules.OutcomeInput(outcome, concluded, duties, terms, how, perform_by, oral=index == 6),
                today=today,
            )  # fmt: skip
            agreements += 1
            visit = perform_by + timedelta(days=rng.randrange(1, 10))
            if visit <= today and index != 1:  # one agreement still waits for its visit
                for position in (1, 2):
                    service.record_follow_up(
                        clerk, mediation.id,
                        rules.FollowUpInput(
                            position, visit, rules.PERFORMED, rng.choice((SATISFIED, BASIC)),
                            "张调解", "协议已履行完毕。",
                        ),
                        today=today,
                    )  # fmt: skip
        else:
            note = (
                "双方分歧较大，调解不成，已告知当事人可依法向人民法院起诉。"
                if outcome == rules.NO_AGREEMENT
                else "涉及责任认定，已移交柳溪镇司法所（或派出所）依法处理。"
            )
            service.record_outcome(
                clerk, mediation.id, rules.OutcomeInput(outcome, concluded, note=note), today=today
            )
    return count, agreements
