"""The 红白理事会's papers read back from the PDF: text, fonts, paper, masking, and the year's charts."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from tests.ceremonies.conftest import HEAD_PHONE, TODAY, Village, wedding, wedding_plan
from tests.printing.conftest import fonts_in, page_texts
from villagegov import documents
from villagegov.ceremonies import pdf, rules, service
from villagegov.ceremonies.rules import FiguresInput, ReportInput
from villagegov.core import i18n
from villagegov.core.errors import ValidationError
from villagegov.core.privacy import Audience, mask_phone
from villagegov.notices.rules import personal_numbers
from villagegov.printing.document import OfficialDocument, render
from villagegov.printing.template import Paper

ADVICE = f"建议压缩至20桌、每桌不超过500元，有事请打{HEAD_PHONE}。"


def full_wedding(v: Village) -> service.CeremonyDetail:
    c = service.report(v.clerk, wedding(v.wang), today=TODAY)
    service.record_advice(
        v.clerk, c.id, ADVICE, date(2026, 9, 21), v.chair,
        wedding_plan(tables="20", cost_per_table="500", vehicles="6", spending="80000"), today=TODAY,
    )  # fmt: skip
    service.sign_commitment(v.clerk, c.id, date(2026, 9, 22), today=TODAY)
    seen = wedding_plan(tables="21", cost_per_table="500", vehicles="6")
    service.supervise(v.clerk, c.id, v.member, date(2026, 10, 2), seen, "现场多摆1桌，已劝导。", today=TODAY)
    return service.follow_up(
        v.clerk, c.id, v.chair, date(2026, 10, 9), "76,500", rules.SATISFIED, "简办省心省钱。", today=TODAY
    )


def read(tmp_path: Path, document: OfficialDocument, name: str) -> tuple[Path, str]:
    path = render(document, tmp_path / name)
    return path, re.sub(r"\s+", "", "".join(page_texts(path)))


def check_paper(path: Path) -> None:
    assert all(fonts_in(path).values()), fonts_in(path)
    for page in PdfReader(path).pages:
        box = page.mediabox
        assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (210, 297)


def no_personal_numbers(path: Path, text: str) -> None:
    assert HEAD_PHONE not in text and personal_numbers(text) == []
    assert HEAD_PHONE.encode() not in path.read_bytes()


def test_the_report_form(village: Village, tmp_path: Path) -> None:
    c = full_wedding(village)
    path, text = read(tmp_path, pdf.report_form(service.report_document(village.clerk, c.id)), "r.pdf")
    for expected in (
        "红白事报备登记表", "〔2026〕红白备字第1号", "01-001", "第一村民小组", "王德福",
        mask_phone(HEAD_PHONE),
        "婚事", "新郎王小明、新娘李小红", "2026年10月2日", "王德福家院内",
        "评定依据：默认标准", "不超过20", "不超过¥500.00", "预计总花费：¥80,000.00",
        "首次报备计划：28桌，每桌¥680.00", "理事会劝导意见", "李长顺", "王德福已于2026年9月22日签订",
        "报备人（签字）", "青石村红白理事会", "2026年9月20日",
    ):  # fmt: skip
        assert expected in text, expected
    assert "报备时间" not in text  # twelve days ahead: in time
    check_paper(path)
    no_personal_numbers(path, text)
    # Each signer has a line to sign on (side by side, the council's had none left).
    lines = [re.sub(r"\s+", "", line) for page in page_texts(path) for line in page.splitlines()]
    assert [line for line in lines if "（签字）" in line] == [
        "报备人（签字）：＿＿＿＿＿＿＿＿年月日",
        "理事会经办人（签字）：＿＿＿＿＿＿＿＿年月日",
    ]


def test_a_late_report_says_so_on_its_form(village: Village, tmp_path: Path) -> None:
    report = replace(wedding(village.wang, date(2026, 11, 22)), reported_on=date(2026, 11, 20))
    c = service.report(village.clerk, report, today=TODAY)
    _path, text = read(tmp_path, pdf.report_form(service.report_document(village.clerk, c.id)), "r.pdf")
    assert "报备时间：举办前2天才报备，村规民约要求至少提前5天报备。" in text


def test_an_over_cap_plan_is_printed_with_the_caps_it_breaks(village: Village, tmp_path: Path) -> None:
    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    _path, text = read(tmp_path, pdf.report_form(service.report_document(village.clerk, c.id)), "r.pdf")
    assert "超标事项：桌数：28，超过上限20；每桌标准：¥680.00，超过上限¥500.00；车辆：8，超过上限6。" in text
    assert "尚未签订" in text and "无。" in text


def test_the_commitment_letter_signed_and_blank(village: Village, tmp_path: Path) -> None:
    c = full_wedding(village)
    path, text = read(
        tmp_path, pdf.commitment_letter(service.commitment_document(village.clerk, c.id)), "c.pdf"
    )
    for expected in (
        "红白事简办承诺书", "本人王德福，系青石村第一村民小组村民", "2026年10月2日",
        "宴请不超过20桌，每桌不超过¥500.00",
        "车辆不超过6辆", "非亲属礼金每人不超过¥200.00", "不请有偿演出", "承诺人：王德福", "2026年9月22日",
    ):  # fmt: skip
        assert expected in text, expected
    check_paper(path)
    funeral = service.report(
        village.clerk,
        ReportInput(village.li, rules.FUNERAL, date(2026, 12, 1), "李家老宅",
                    FiguresInput("12", "250", days="3", cremation=True, spending="20000"),
                    subject="逝者李德厚"),
        today=TODAY,
    )  # fmt: skip
    _path, blank = read(
        tmp_path, pdf.commitment_letter(service.commitment_document(village.clerk, funeral.id)), "b.pdf"
    )
    assert "逝者实行火化" in blank and "承诺人（签字）" in blank and "年月日" in blank


def test_the_follow_up_record(village: Village, tmp_path: Path) -> None:
    c = full_wedding(village)
    path, text = read(
        tmp_path, pdf.follow_up_record(service.follow_up_document(village.clerk, c.id)), "f.pdf"
    )
    for expected in (
        "红白事事后回访记录", "监督人：王秀英", "现场实际", "超标",
        "与报备计划不符：桌数：计划20，实际21（+1）",
        "超标事项：桌数：21，超过上限20", "现场多摆1桌", "回访人", "李长顺", "¥120,000.00", "¥76,500.00",
        "¥43,500.00", "满意", "简办省心省钱", "2026年10月9日",
    ):  # fmt: skip
        assert expected in text, expected
    check_paper(path)
    no_personal_numbers(path, text)


def test_the_follow_up_record_waits_for_the_follow_up(village: Village) -> None:
    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    with pytest.raises(rules.ValidationError, match="回访"):
        service.follow_up_document(village.clerk, c.id)


def test_the_yearly_summary_with_its_charts(village: Village, tmp_path: Path) -> None:
    full_wedding(village)
    doc = service.summary_document(village.clerk, 2026, today=date(2026, 12, 31))
    path, text = read(tmp_path, pdf.summary(doc), "s.pdf")
    for expected in (
        "2026年度红白事办理情况报告", "本村共报备红白事1起，其中婚事1起、丧事0起、其他宴席0起",
        "2026年各月红白事办理情况", "10月", "2026年首次报备计划与实际花费", "首次报备计划", "实际花费",
        "符合率0.0%", "较首次报备计划节约", "43,500.00", "青石村红白理事会", "2026年12月31日",
    ):  # fmt: skip
        assert expected in text, expected
    assert "未按村规民约要求提前报备" not in text  # twelve days ahead
    check_paper(path)
    no_personal_numbers(path, text)
    late = replace(wedding(village.li, date(2026, 11, 22)), reported_on=date(2026, 11, 20))
    service.report(village.clerk, late, today=TODAY)
    doc = service.summary_document(village.clerk, 2026, today=date(2026, 12, 31))
    _path, text = read(tmp_path, pdf.summary(doc), "s2.pdf")
    assert "本村共报备红白事2起" in text and "未按村规民约要求提前报备的1起。" in text


def test_a_year_with_no_ceremony_reported_has_no_summary(village: Village, tmp_path: Path) -> None:
    """Three pages of zeros said nothing (issue 16): the year with none says so, and no paper is made."""
    with pytest.raises(ValidationError) as caught:
        service.summary_document(village.clerk, 2025)
    assert caught.value.message() == "2025年没有报备的红白事（已取消的不计），没有可汇总的内容。"
    called_off = replace(wedding(village.wang, date(2025, 6, 1)), reported_on=date(2025, 5, 20))
    c = service.report(village.clerk, called_off, today=TODAY)
    service.cancel(village.clerk, c.id, "婚期推迟", today=TODAY)
    with pytest.raises(ValidationError, match="2025年没有报备的红白事"):
        documents.build(village.clerk, "ceremony-summary", 2025)
    service.report(village.clerk, wedding(village.li, date(2025, 7, 1)), today=TODAY)
    _path, text = read(tmp_path, documents.build(village.clerk, "ceremony-summary", 2025), "s.pdf")
    assert "本村共报备红白事1起" in text


def test_a_cancelled_ceremony_prints_its_commitment_only_if_it_was_signed(village: Village) -> None:
    c = service.report(village.clerk, wedding(village.wang), today=TODAY)
    service.cancel(village.clerk, c.id, "婚期推迟", today=TODAY)
    with pytest.raises(ValidationError, match="签订承诺书之前已取消"):
        service.commitment_document(village.clerk, c.id)
    signed = service.report(village.clerk, wedding(village.li), today=TODAY)
    service.sign_commitment(village.clerk, signed.id, date(2026, 9, 21), today=TODAY)
    service.cancel(village.clerk, signed.id, "婚期推迟", today=TODAY)
    assert service.commitment_document(village.clerk, signed.id).signed_on == date(2026, 9, 21)


def test_the_papers_file_names_are_the_ones_the_room_suggests(village: Village) -> None:
    c = full_wedding(village)
    by_key = documents.kinds()
    for key, name in (
        ("ceremony", "〔2026〕红白备字第1号 报备登记表.pdf"),
        ("ceremony-commitment", "〔2026〕红白备字第1号 承诺书.pdf"),
        ("ceremony-follow-up", "〔2026〕红白备字第1号 回访记录.pdf"),
    ):
        paper = documents.build(village.clerk, key, c.id)
        assert by_key[key].suggested_name(paper) == name
        assert paper.audience is Audience.ON_FILE  # kept on file: they name the family
    summary = by_key["ceremony-summary"]
    year = documents.build(village.clerk, "ceremony-summary", 2026)
    assert summary.suggested_name(year) == "2026 年度报告.pdf"
    assert year.audience is Audience.PUBLIC  # the council reports its year to the village; it names no one


def test_a_layout_loads_no_database() -> None:
    code = "import sys, villagegov.ceremonies.pdf; print(sorted(m for m in sys.modules if 'peewee' in m))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_papers_are_chinese_when_the_screen_speaks_english(village: Village) -> None:
    c = full_wedding(village)
    i18n.set_language("en")
    doc = service.report_document(village.clerk, c.id)
    assert doc.what == "婚事" and doc.lines[0].item == "桌数"
    assert service.summary_document(village.clerk, 2026, TODAY).month_chart.categories[0] == "1月"
    assert i18n.current_language() == "en"


def test_the_board_copy_is_a3(village: Village, tmp_path: Path) -> None:
    c = full_wedding(village)
    path = tmp_path / "a3.pdf"
    path.write_bytes(pdf.report_form_bytes(service.report_document(village.clerk, c.id), Paper.A3))
    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (297, 420)
