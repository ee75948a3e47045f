"""The notices room in the yearly archive: records valid against their schemas, documents printable."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime

import jsonschema
from pypdf import PdfReader

from tests.notices.test_service import ID_1, PNG, POSTED, finance_notice, posted_notice, subsidy_notice
from villagegov.archive.contract import Period, room_module
from villagegov.core.actor import Actor
from villagegov.notices import archiving, rules, service
from villagegov.printing.document import render_bytes

YEAR = Period.year(2026)
EXPORTED = date(2027, 1, 10)  # the day the year's package is made
NAME = re.compile(r"^[A-Za-z0-9_/-]+\.pdf$")


def _village(clerk: Actor, secretary: Actor) -> dict[str, int]:
    subsidy = posted_notice(clerk, secretary)  # 〔2026〕1号, posted 11-23, period to 11-29
    service.add_attachment(clerk, subsidy.id, "张贴.png", PNG, purpose=service.PHOTO)
    objection = service.record_objection(
        clerk,
        subsidy.id,
        "王大山",
        "李桂兰已迁出本村",
        date(2026, 11, 25),
        "13812345678",
        today=POSTED.replace(day=25),
    )
    service.update_objection(
        clerk, objection.id, "核实属实", "已更正", date(2026, 12, 3), today=date(2026, 12, 3)
    )
    finance = posted_notice(clerk, secretary, finance_notice())  # 〔2026〕2号
    withdrawn = service.create_draft(clerk, subsidy_notice(title="撤回的公示"))
    service.approve(secretary, withdrawn.id, now=datetime(2026, 11, 21, 9))
    service.withdraw(secretary, withdrawn.id)
    service.create_draft(clerk, subsidy_notice(title="还在起草"))  # a draft is not a record yet
    late_year = service.create_draft(clerk, subsidy_notice(title="明年的公示"), now=datetime(2027, 1, 3))
    service.approve(secretary, late_year.id, now=datetime(2027, 1, 4, 9))
    return {"subsidy": subsidy.id, "finance": finance.id, "withdrawn": withdrawn.id, "next": late_year.id}


def test_records_hold_the_period_s_numbered_notices_objections_and_files(
    any_clerk: Actor, secretary: Actor
) -> None:
    ids = _village(any_clerk, secretary)
    assert room_module("notices") is archiving
    sets = {s.kind: s for s in archiving.records(any_clerk, YEAR, EXPORTED)}
    assert set(sets) == {archiving.NOTICE, archiving.OBJECTION, archiving.ATTACHMENT}
    for record_set in sets.values():
        json.dumps(record_set.schema)
        jsonschema.Draft202012Validator.check_schema(record_set.schema)
        validator = jsonschema.Draft202012Validator(record_set.schema)
        for record in record_set.records:
            json.dumps(record)  # JSON-ready: no date, no Decimal, no float
            validator.validate(record)
    notices = {r["id"]: r for r in sets[archiving.NOTICE].records}
    assert set(notices) == {ids["subsidy"], ids["finance"], ids["withdrawn"]}  # no draft, not 2027's
    subsidy = notices[ids["subsidy"]]
    assert (subsidy["number"], subsidy["sequence"], subsidy["period_end"]) == ("〔2026〕1号", 1, "2026-11-29")
    assert subsidy["tables"][0]["rows"][0][2] == ID_1  # the archive keeps the full record
    assert subsidy["period_result"] == "公示期内收到异议1件，处理情况如下。"
    assert notices[ids["withdrawn"]]["state"] == rules.WITHDRAWN
    finance = notices[ids["finance"]]
    assert (finance["income_total_fen"], finance["closing_balance_fen"]) == (
        623450,
        1000000 + 623450 - 327525,
    )
    [objection] = sets[archiving.OBJECTION].records
    assert (objection["notice_number"], objection["late"], objection["answered_on"]) == (
        "〔2026〕1号", False, "2026-12-03",
    )  # fmt: skip
    [photo] = sets[archiving.ATTACHMENT].records
    assert photo["purpose"] == service.PHOTO and len(photo["sha256"]) == 64
    assert sets[archiving.NOTICE].personal_data and sets[archiving.OBJECTION].personal_data
    assert [r["id"] for r in archiving.records(any_clerk, Period.year(2027), EXPORTED)[0].records] == [
        ids["next"]
    ]


def test_documents_are_the_posted_notices_and_their_period_results(
    any_clerk: Actor, secretary: Actor
) -> None:
    ids = _village(any_clerk, secretary)
    docs = archiving.documents(any_clerk, YEAR, EXPORTED)
    assert [(d.name, d.record_id) for d in docs] == [
        ("notices/2026-001.pdf", ids["subsidy"]),
        ("notices/2026-001-result.pdf", ids["subsidy"]),
        ("notices/2026-002.pdf", ids["finance"]),
        ("notices/2026-002-result.pdf", ids["finance"]),
    ]  # the withdrawn notice never hung on the board
    assert all(NAME.match(d.name) and d.record_kind == archiving.NOTICE for d in docs)
    assert docs[0].title == "〔2026〕1号 关于2026年度高龄老人补贴发放名单的公示" and docs[0].personal_data
    assert docs[1].on == date(2026, 12, 3)  # signed when the objection had its answer
    published = (service.notice_settings(any_clerk).supervisory_phone,)
    for doc in docs:
        data = render_bytes(doc.build())
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
        assert rules.personal_numbers(text, published) == [], doc.name
    result_text = PdfReader(io.BytesIO(render_bytes(docs[1].build()))).pages[0].extract_text()
    assert "李桂兰已迁出本村" in result_text and "王大山" not in result_text
