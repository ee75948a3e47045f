"""Notices on paper, read back from the PDF: text, masking, fonts, paper, and the period result."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from tests.notices.test_service import (
    ID_1,
    ID_2,
    PHONE,
    finance_notice,
    posted_notice,
    subsidy_notice,
)
from tests.printing.conftest import fonts_in, page_texts
from villagegov.core import i18n
from villagegov.core.actor import Actor
from villagegov.core.privacy import make_id_number
from villagegov.notices import pdf, rules, service
from villagegov.notices.rules import TableInput
from villagegov.printing.template import Paper


def flat(path: Path) -> str:
    """The PDF's text without the line breaks the layout put in."""
    return re.sub(r"\s+", "", "".join(page_texts(path)))


def write(tmp_path: Path, data: bytes, name: str = "notice.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_posted_publicity_notice_prints_masked_with_its_period_and_contact(
    any_clerk: Actor, secretary: Actor, tmp_path: Path
) -> None:
    service.update_notice_settings(any_clerk, service.NoticeSettingsData(supervisory_phone="0917-5551234"))
    notice = posted_notice(any_clerk, secretary)
    path = pdf.render_notice(
        service.document(any_clerk, notice.id, today=date(2026, 11, 25)), tmp_path / "n.pdf"
    )
    text = "".join(page_texts(path))
    for expected in (
        "关于2026年度高龄老人补贴发放名单的公示",
        "〔2026〕1号",
        "高龄老人补贴发放名单",
        ID_1[:6] + "********" + ID_1[-4:],
        "公示期：2026年11月23日至2026年11月29日",
        "请向青石村村务监督委员会反映",
        "0917-5551234",
        "青石村村民委员会",
        "2026年11月20日",
    ):
        assert expected in text, expected
    for secret in (ID_1, ID_2, PHONE, "13812345678"):
        assert secret not in text
    # Only the committee's own number, published for objections, prints in full.
    assert rules.personal_numbers(text) == ["0917-5551234"]
    assert rules.personal_numbers(text, public=("0917-5551234",)) == []
    assert all(fonts_in(path).values())
    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (210, 297)


def test_no_full_number_hides_in_the_pdf_bytes(any_clerk: Actor, secretary: Actor) -> None:
    notice = posted_notice(any_clerk, secretary)
    data = pdf.notice_bytes(service.document(any_clerk, notice.id))
    for secret in (ID_1, ID_2, PHONE):
        # Metadata is plain text in the file; page text is in glyph codes, checked above.
        assert secret.encode() not in data


def test_board_copy_is_a3(any_clerk: Actor, secretary: Actor, tmp_path: Path) -> None:
    notice = posted_notice(any_clerk, secretary)
    path = write(tmp_path, pdf.notice_bytes(service.document(any_clerk, notice.id), Paper.A3))
    box = PdfReader(path).pages[0].mediabox
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (297, 420)
    assert "〔2026〕1号" in page_texts(path)[0]


def test_a_long_subsidy_list_repeats_its_header_on_every_page(
    any_clerk: Actor, secretary: Actor, tmp_path: Path
) -> None:
    rows = tuple(
        (str(i), f"村民{i}", make_id_number("411421", date(1950, 1, 1 + i % 28), i % 100), "1200.00")
        for i in range(1, 401)
    )
    table = TableInput(("序号", "姓名", "身份证号", "金额（元）"), rows, caption="补贴名单")
    notice = posted_notice(any_clerk, secretary, subsidy_notice(tables=(table,)))
    path = write(tmp_path, pdf.notice_bytes(service.document(any_clerk, notice.id)))
    texts = page_texts(path)
    assert len(texts) >= 10
    assert all("身份证号" in t for t in texts[:-1])
    assert rules.personal_numbers("".join(texts)) == []


def test_a_subsidy_list_s_bank_card_numbers_print_masked(
    any_clerk: Actor, secretary: Actor, tmp_path: Path
) -> None:
    cards = ("6217001234567890", "6222 0212 3456 7890 123")
    rows = tuple((str(i), f"村民{i}", card, "450.00") for i, card in enumerate(cards, start=1))
    table = TableInput(("序号", "姓名", "一卡通账号", "金额（元）"), rows, caption="补贴名单")
    notice = posted_notice(any_clerk, secretary, subsidy_notice(tables=(table,)))
    path = write(tmp_path, pdf.notice_bytes(service.document(any_clerk, notice.id)))
    text = "".join(page_texts(path))
    assert "621700******7890" in text and "村民2" in text
    assert rules.personal_numbers(text) == []
    data = path.read_bytes()
    assert not any(card.encode() in data for card in cards)
    # The clerk's own screen keeps the full numbers.
    assert service.get_notice(any_clerk, notice.id).tables[0].rows[0][2] == cards[0]


def test_finance_statement_prints_its_computed_totals(
    any_clerk: Actor, secretary: Actor, tmp_path: Path
) -> None:
    notice = posted_notice(any_clerk, secretary, finance_notice())
    path = write(tmp_path, pdf.notice_bytes(service.document(any_clerk, notice.id)))
    text = flat(path)
    assert "收入明细" in text and "支出明细" in text
    assert "6,234.50" in text and "3,275.25" in text
    assert "本期收入合计6,234.50元，支出合计3,275.25元" in text


def test_a_draft_is_marked_and_unsigned(any_clerk: Actor, tmp_path: Path) -> None:
    draft = service.create_draft(any_clerk, subsidy_notice())
    path = write(tmp_path, pdf.notice_bytes(service.document(any_clerk, draft.id)))
    text = "".join(page_texts(path))
    assert pdf.DRAFT_MARK in text
    assert "公示期：自张贴之日起7天" in text
    assert "〔2026〕" not in text


def test_the_paper_is_chinese_when_the_screen_speaks_english(any_clerk: Actor, secretary: Actor) -> None:
    notice = posted_notice(any_clerk, secretary)
    i18n.set_language("en")
    doc = service.document(any_clerk, notice.id, today=date(2026, 12, 15))
    assert doc.kind_label == "公示"
    assert doc.result_text == "公示期满无异议。" or "公示期满无异议" in doc.result_text
    assert i18n.current_language() == "en"  # the screen keeps its language


def test_period_result_without_objections(any_clerk: Actor, secretary: Actor, tmp_path: Path) -> None:
    notice = posted_notice(any_clerk, secretary)
    doc = service.result_document(any_clerk, notice.id, today=date(2026, 11, 30))
    text = flat(write(tmp_path, pdf.result_bytes(doc)))
    assert "公示期满无异议" in text
    assert "2026年11月23日至2026年11月29日" in text
    assert "2026年11月30日" in text  # signed the day it is printed


def test_period_result_lists_objections_with_their_handling_and_no_names(
    any_clerk: Actor, secretary: Actor, tmp_path: Path
) -> None:
    notice = posted_notice(any_clerk, secretary)
    on_time = service.record_objection(
        any_clerk, notice.id, "赵大山", "补贴金额有误", date(2026, 11, 29), today=date(2026, 11, 29)
    )
    service.update_objection(
        any_clerk, on_time.id, "经核实已更正", "已答复本人", date(2026, 12, 1), today=date(2026, 12, 1)
    )
    service.record_objection(
        any_clerk, notice.id, "钱小河", "漏报一人", date(2026, 11, 30), today=date(2026, 11, 30)
    )
    doc = service.result_document(any_clerk, notice.id, today=date(2026, 12, 2))
    text = flat(write(tmp_path, pdf.result_bytes(doc)))
    assert "补贴金额有误" in text and "经核实已更正" in text and "已答复本人" in text
    assert "漏报一人" in text and "公示期满后收到" in text
    assert "尚未答复" in text
    assert "赵大山" not in text and "钱小河" not in text
    assert "公示期满无异议" not in text


def test_a_notice_with_attachments_prints_them_after_it_masked_and_embedded(
    any_clerk: Actor, secretary: Actor, tmp_path: Path
) -> None:
    from tests.notices import samples

    body = (
        "各村民小组、全体村民：\n"
        f"现将道路硬化工程实施结果公示如下，联系人王会计{PHONE}，家中电话0915-6329999。"
    )
    draft = service.create_draft(any_clerk, subsidy_notice(body=body))
    service.add_attachment(any_clerk, draft.id, f"现场照片{PHONE}.png", samples.png(300, 200))
    service.add_attachment(any_clerk, draft.id, "竣工验收单.pdf", samples.pdf_drawing(pages=2))
    service.approve(secretary, draft.id)
    for paper, size in ((Paper.A4, (210, 297)), (Paper.A3, (297, 420))):
        path = write(
            tmp_path, pdf.notice_bytes(service.document(any_clerk, draft.id), paper), f"{paper.value}.pdf"
        )
        texts = page_texts(path)
        whole = "".join(texts)
        assert "附件：1.现场照片139****5678" in flat(path) and "2.竣工验收单" in whole
        assert "附件1" in texts[-3] and "附件2" in texts[-2] and "附件" not in texts[-1]
        assert rules.personal_numbers(whole) == []
        assert "0915-****999" in whole
        assert all(fonts_in(path).values())
        for page in PdfReader(path).pages:
            assert (round(float(page.mediabox.width) / mm), round(float(page.mediabox.height) / mm)) == size


def test_the_addressee_stands_flush_left_above_the_correction_note(
    any_clerk: Actor, secretary: Actor, tmp_path: Path
) -> None:
    old = posted_notice(any_clerk, secretary)
    fix = service.correct(any_clerk, old.id)
    service.approve(secretary, fix.id)
    path = write(tmp_path, pdf.notice_bytes(service.document(any_clerk, fix.id)))
    lines = [line.strip() for line in "".join(page_texts(path)).splitlines() if line.strip()]
    opening = lines.index("各村民小组、全体村民：")
    assert lines[opening + 1].startswith("本公示是对〔2026〕1号的更正")
    from tests.printing.conftest import words

    placed = words(path)
    addressee = next(w for w in placed if w.text.startswith("各村民小组"))
    note = next(w for w in placed if w.text.startswith("本公示是对"))
    assert addressee.x_min / mm == pytest.approx(28, abs=1)  # 顶格
    assert note.x_min - addressee.x_min == pytest.approx(32, abs=2)  # the body indented two characters


def test_a_short_notice_keeps_its_period_how_to_object_and_signature_on_its_one_page(
    any_clerk: Actor, secretary: Actor, tmp_path: Path
) -> None:
    notice = posted_notice(any_clerk, secretary)
    path = write(tmp_path, pdf.notice_bytes(service.document(any_clerk, notice.id, today=date(2026, 11, 25))))
    # The period and whom to tell are kept together, and the signature takes them along: nested,
    # reportlab broke the page before them although the first page had room.
    [page] = page_texts(path)
    assert "公示期：" in page and "如有异议" in page and "青石村村民委员会" in page
