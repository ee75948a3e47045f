"""Ledgers, acceptance notices, mediation agreements and summaries, read back from the PDF."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.units import mm

from tests.petitions.conftest import (
    COMPLAINANT,
    COMPLAINANT_PHONE,
    ID_A,
    ID_OUTSIDE,
    PARTY_A,
    PARTY_B,
    PETITIONER,
    PHONE_A,
    PHONE_OUTSIDE,
    Village,
    agreement_input,
    mediation_input,
    petition_input,
    walk,
)
from tests.printing.conftest import fonts_in, page_texts
from villagegov import documents
from villagegov.core.actor import REVIEWER, Actor
from villagegov.notices.rules import personal_numbers
from villagegov.petitions import (
    archiving,
    mediation_pdf,
    mediation_rules,
    mediation_service,
    pdf,
    petition_pdf,
    petition_rules,
    petition_service,
    service,
)
from villagegov.petitions import documents as petition_documents
from villagegov.printing.document import render
from villagegov.printing.flowables import column_alignments
from villagegov.printing.template import Paper

ON = date(2026, 11, 2)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def flat(path: Path) -> str:
    """The PDF's text without the line breaks and spaces the layout put in."""
    return re.sub(r"\s+", "", "".join(page_texts(path)))


def check_paper(path: Path) -> None:
    """A4, every font embedded, no full ID-card or mobile number anywhere on the pages."""
    for page in PdfReader(path).pages:
        box = page.mediabox
        assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (210, 297)
    fonts = fonts_in(path)
    assert fonts and all(fonts.values()), fonts
    assert personal_numbers("".join(page_texts(path))) == []


@pytest.fixture
def filled(sqlite_village: Village) -> Village:
    """A claim closed, a complaint (named, with a phone) closed, and a dispute settled by agreement."""
    v = sqlite_village
    claim = petition_service.create_petition(v.clerk, petition_input(v.petitioner), today=ON)
    walk(v, claim.id, petition_rules.CLOSE, ON)
    complaint = petition_service.create_petition(
        v.clerk,
        petition_input(
            v.complainant,
            petition_rules.COMPLAINT,
            subject="反映养殖场异味扰民",
            content=f"{COMPLAINANT}反映，联系电话{COMPLAINANT_PHONE}。",
            contact=COMPLAINANT_PHONE,
        ),
        today=ON,
    )
    walk(v, complaint.id, petition_rules.ACKNOWLEDGE, ON)
    m = mediation_service.create_mediation(v.clerk, mediation_input(v), today=date(2026, 11, 30))
    session = mediation_rules.SessionInput(
        date(2026, 11, 5), "村委会调解室", ("张调解",), "双方陈述，现场测量"
    )
    mediation_service.record_session(v.clerk, m.id, session, today=date(2026, 11, 30))
    mediation_service.record_outcome(v.clerk, m.id, agreement_input(), today=date(2026, 11, 30))
    return v


def _ids(v: Village) -> tuple[int, int, int]:
    rows = petition_service.list_petitions(v.secretary)
    claim = next(r.id for r in rows if r.ledger == petition_rules.CLAIM)
    complaint = next(r.id for r in rows if r.ledger == petition_rules.COMPLAINT)
    [mediation] = mediation_service.list_mediations(v.secretary)
    return claim, complaint, mediation.id


def every_role(v: Village) -> list[Actor]:
    return [v.clerk, v.secretary, v.supervisor]


def test_the_ledgers_print_as_tables_with_no_complainant(filled: Village, tmp_path: Path) -> None:
    v = filled
    for actor in every_role(v):
        doc = petition_service.ledger_document(actor, *YEAR, today=date(2026, 11, 30))
        path = render(petition_pdf.ledger_document(doc), tmp_path / f"ledger-{actor.role}.pdf")
        text = flat(path)
        check_paper(path)
        for expected in (
            "青石村民情三本账登记簿（2026年）",
            "意见建议登记簿",
            "利益诉求登记簿",
            "投诉举报登记簿",
            "本期无登记",
            PETITIONER,
            "（保密）",
            "〔来访〕申请修缮村道排水沟",
            "村委会委员张明",
            "11月2日销号，满意，按期",
            "待交办（已逾期）",
            "青石村村民委员会",
            "2026年11月30日",
        ):
            assert expected in text, expected
        assert COMPLAINANT not in text and COMPLAINANT_PHONE not in text


def test_the_acceptance_notice(filled: Village, tmp_path: Path) -> None:
    v = filled
    claim, complaint, _m = _ids(v)
    path = render(
        petition_pdf.acknowledgement_document(petition_service.acknowledgement_document(v.clerk, claim)),
        tmp_path / "ack.pdf",
    )
    text = flat(path)
    check_paper(path)
    for expected in (
        "受理告知书",
        "〔2026〕诉字第1号",
        f"{PETITIONER}：",
        "您于2026年11月2日以来访方式反映的",
        "申请修缮村道排水沟",
        "利益诉求账",
        "15个工作日内",
        "5个工作日内",
        "特此告知",
        "青石村村民委员会",
        "2026年11月2日",
    ):
        assert expected in text, expected
    # A complaint's notice is addressed to the complainant without the name, whoever prints it.
    for actor in every_role(v):
        doc = petition_service.acknowledgement_document(actor, complaint)
        path = render(petition_pdf.acknowledgement_document(doc), tmp_path / f"ack-{actor.role}.pdf")
        text = flat(path)
        assert "投诉举报人：" in text and "严格保密" in text
        assert COMPLAINANT not in text and COMPLAINANT_PHONE not in text


def test_the_mediation_agreement_says_what_the_law_asks(filled: Village, tmp_path: Path) -> None:
    v = filled
    _c, _p, mediation = _ids(v)
    path = render(
        mediation_pdf.agreement_document(mediation_service.agreement_document(v.clerk, mediation)),
        tmp_path / "a.pdf",
    )
    text = flat(path)
    check_paper(path)
    for expected in (
        "人民调解协议书",
        "〔2026〕调字第1号",
        # the parties' particulars, numbers masked
        "当事人基本情况",
        f"甲方：{PARTY_A}",
        ID_A[:6] + "********" + ID_A[-4:],
        PHONE_A[:3] + "****" + PHONE_A[-4:],
        f"乙方：{PARTY_B}，男，1980年7月15日出生",
        "住柳溪镇石桥村3组",
        ID_OUTSIDE[:6] + "********",
        # facts, what is disputed, each party's responsibility
        "纠纷主要事实和争议事项",
        "宅基地",
        "院墙向东多占约0.5米",
        "争议事项：院墙位置及多占部分是否拆除",
        "各方当事人的责任",
        f"甲方{PARTY_A}：对院墙位置未及时提出异议",
        f"乙方{PARTY_B}：建房时越界占地",
        # what was agreed, how and by when
        "自愿达成如下协议",
        "1.乙方于本协议生效后拆除越界院墙0.5米",
        "2.甲方协助乙方重新砌墙",
        "履行方式：乙方自行拆除并重砌院墙",
        "履行期限：于2026年11月30日前履行完毕",
        # copies, signatures, seal, court confirmation
        "本协议书一式三份，当事人各执一份，人民调解委员会留存一份",
        "当事人（签名、盖章或者按指印）",
        "甲方：",
        "乙方：",
        "人民调解员（签名）",
        "张调解、刘淑华",
        "青石村人民调解委员会（印章）",
        "2026年11月10日",
        "30日内共同向人民法院申请司法确认",
    ):
        assert expected in text, expected
    for secret in (ID_A, ID_OUTSIDE, PHONE_A, PHONE_OUTSIDE):
        assert secret not in text


def test_an_oral_agreement_prints_as_a_record(sqlite_village: Village, tmp_path: Path) -> None:
    v = sqlite_village
    m = mediation_service.create_mediation(v.clerk, mediation_input(v), today=date(2026, 11, 30))
    mediation_service.record_session(
        v.clerk,
        m.id,
        mediation_rules.SessionInput(date(2026, 11, 5), "", ("张调解",), "调解"),
        today=date(2026, 11, 30),
    )
    from dataclasses import replace

    mediation_service.record_outcome(
        v.clerk, m.id, replace(agreement_input(), oral=True), today=date(2026, 11, 30)
    )
    text = flat(
        render(
            mediation_pdf.agreement_document(mediation_service.agreement_document(v.clerk, m.id)),
            tmp_path / "o.pdf",
        )
    )
    assert "口头调解协议记录" in text and "自各方当事人达成协议之日起生效" in text and "一式" not in text


def test_no_agreement_no_document(sqlite_village: Village) -> None:
    v = sqlite_village
    m = mediation_service.create_mediation(v.clerk, mediation_input(v), today=date(2026, 11, 30))
    with pytest.raises(Exception, match="协议"):
        mediation_service.agreement_document(v.clerk, m.id)


def test_the_summary_prints_the_figures_tables_and_charts(filled: Village, tmp_path: Path) -> None:
    v = filled
    doc = service.summary_document(v.supervisor, date(2026, 10, 1), date(2026, 11, 30), date(2026, 11, 30))
    path = render(pdf.summary_document(doc), tmp_path / "summary.pdf")
    text = flat(path)
    check_paper(path)
    for expected in (
        "青石村民情三本账和矛盾纠纷调处情况统计（2026年10月1日至2026年11月30日）",
        "本村共受理群众意见建议、利益诉求和投诉举报2件（意见建议0件、利益诉求1件、投诉举报1件）",
        "办结1件，其中按期办结1件，按期办结率100%",
        "回复征询1次，群众满意率100%",
        "受理矛盾纠纷1件，调结1件，其中调解成功1件，调解成功率100%",
        "表1意见建议",
        "表2利益诉求",
        "表3投诉举报",
        "表4矛盾纠纷调处",
        "按期办结率",
        "满意率",
        "10月",
        "11月",
        "合计",
        "各月民情受理件数",
        "各月矛盾纠纷受理和调解成功件数",
        "受理纠纷",
        "调解成功",
    ):
        assert expected in text, expected
    assert COMPLAINANT not in text


def test_a_rate_with_nothing_to_count_keeps_its_column_of_figures_right_aligned() -> None:
    # "—" (0 of 0) no longer turns a column of percentages into a column of text.
    rows = [("10月", "100%", "—", "—"), ("11月", "—", "—", "已销号"), ("合计", "75%", "", "—")]
    assert column_alignments(rows) == [TA_LEFT, TA_RIGHT, TA_RIGHT, TA_LEFT]


def test_the_board_copy_is_a3(filled: Village, tmp_path: Path) -> None:
    v = filled
    _c, _p, mediation = _ids(v)
    path = tmp_path / "a3.pdf"
    path.write_bytes(
        mediation_pdf.agreement_bytes(mediation_service.agreement_document(v.clerk, mediation), Paper.A3)
    )
    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (297, 420)


def test_the_rooms_papers_from_its_table(filled: Village, tmp_path: Path) -> None:
    """Every paper the room's table offers (the window, the command line and the archive print them)
    is a sound A4 page and names no complainant."""
    v = filled
    claim, _p, mediation = _ids(v)
    subjects = {
        "petition-ledger": 2026,
        "petition-summary": 2026,
        "mediation": mediation,
        "petition-notice": claim,
    }
    assert {k.key for k in petition_documents.KINDS} == set(subjects)
    for key, subject in subjects.items():
        path = render(documents.build(v.clerk, key, subject), tmp_path / "cli.pdf")
        check_paper(path)
        assert COMPLAINANT not in flat(path)


# --- the archive --------------------------------------------------------------------------------------


def test_the_archive_records_follow_their_schema_and_name_no_complainant(
    filled: Village, tmp_path: Path
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import json

    v = filled
    period = archiving.Period.year(2026)
    for actor in (v.secretary, v.clerk):
        sets = {s.kind: s for s in archiving.records(actor, period)}
        assert set(sets) == {"petition", "mediation", "petition_period"}
        for record_set in sets.values():
            assert record_set.personal_data == (record_set.kind != "petition_period")
            assert record_set.schema_version == 1
            validator = jsonschema.Draft202012Validator(record_set.schema)
            for record in record_set.records:
                validator.validate(record)
                json.dumps(record)  # plain JSON: no date, no Fraction
        petitions = {r["ledger"]: r for r in sets["petition"].records}
        assert petitions["claim"]["petitioner"] == PETITIONER and len(petitions["claim"]["steps"]) == 9
        assert petitions["complaint"]["petitioner"] is None and petitions["complaint"]["villager_id"] is None
        # Not even where the complaint's own words named the complainant.
        assert COMPLAINANT not in json.dumps(sets["petition"].records, ensure_ascii=False)
        assert COMPLAINANT_PHONE not in json.dumps(sets["petition"].records, ensure_ascii=False)
        [mediation] = sets["mediation"].records
        assert [p["name"] for p in mediation["parties"]] == [PARTY_A, PARTY_B] and mediation[
            "outcome"
        ] == "agreement"
        # The year's figures, which the ledgers and the summary belong to, match the room's own.
        [year] = sets["petition_period"].records
        figures = service.figures(actor, period.start, period.end)
        assert (
            year["id"] == 2026
            and year["ledger_totals"]["all"]["received"] == figures.ledger_totals[""].received
        )
    docs = archiving.documents(v.clerk, period)
    names = [d.name for d in docs]
    assert names[:2] == ["petitions/ledger-2026.pdf", "petitions/summary-2026.pdf"]
    assert {(d.record_kind, d.record_id) for d in docs[:2]} == {("petition_period", 2026)}
    assert any(n.startswith("petitions/mediation-agreement-") for n in names)
    assert sum(n.startswith("petitions/acceptance-notice-") for n in names) == 2
    for d in docs:
        assert re.fullmatch(r"[A-Za-z0-9_/-]+\.pdf", d.name)
        path = render(d.build(), tmp_path / Path(d.name).name)
        check_paper(path)
        assert COMPLAINANT not in flat(path)


def test_a_reviewer_reads_every_document_without_the_complainant(filled: Village, tmp_path: Path) -> None:
    v = filled
    township = Actor(None, "township", "审查员", REVIEWER, None)
    claim, complaint, mediation = _ids(v)
    for doc in (
        petition_pdf.acknowledgement_document(petition_service.acknowledgement_document(township, complaint)),
        mediation_pdf.agreement_document(mediation_service.agreement_document(township, mediation)),
    ):
        text = flat(render(doc, tmp_path / "r.pdf"))
        assert COMPLAINANT not in text and COMPLAINANT_PHONE not in text
    rows = petition_service.list_petitions(township, village_id=v.clerk.village_id)
    assert COMPLAINANT not in repr(rows) and claim in [r.id for r in rows]


def test_the_layouts_load_no_database() -> None:
    """A layout takes plain records (records.py): importing the room's layouts loads no peewee, and
    nothing of a service."""
    code = (
        "import sys\n"
        "from villagegov.petitions import mediation_pdf, pdf, petition_pdf\n"
        "loaded = [m for m in sys.modules if m == 'peewee' or m.endswith('service')]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
