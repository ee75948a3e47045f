"""The council's four papers read back from the PDF: text, fonts, paper size, and room to sign."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from tests.council.test_service import NAMES, TODAY, Village, _attend, _plan, _sign, _village
from tests.printing.conftest import fonts_in, needs_poppler, page_texts, words
from villagegov.core import i18n
from villagegov.core.actor import Actor
from villagegov.council import pdf, rules, service
from villagegov.council.rules import ItemInput, RecusalInput
from villagegov.printing.document import render
from villagegov.printing.template import Paper

__all__ = ["needs_poppler"]  # a fixture of tests/printing, used here too


@pytest.fixture
def village(clerk: Actor) -> Village:
    return _village(clerk)


def flat(path: Path) -> str:
    """The PDF's text without the line breaks the layout put in."""
    return re.sub(r"\s+", "", "".join(page_texts(path)))


def write(tmp_path: Path, data: bytes, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def assert_official(path: Path, paper: Paper = Paper.A4) -> None:
    """Every font embedded, the paper size right, and no phone or ID-card number anywhere."""
    fonts = fonts_in(path)
    assert fonts and all(fonts.values()), fonts
    width, height = (210, 297) if paper is Paper.A4 else (297, 420)
    for page in PdfReader(path).pages:
        box = page.mediabox
        assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (width, height)
    assert not re.search(r"\d{11}", flat(path)), "a phone or ID-card number on a council paper"


UNSIGNED = "（尚未经主持人、记录人签字确认）"
RESOLVED = "同意修缮村东水渠，预算12万元。\n由村民委员会组织实施。"


def _held_meeting(v: Village) -> tuple[service.MeetingDetail, service.ItemRow]:
    """Three items: passed, passed by roll call with one stepping aside, failed (a two-thirds item)."""
    meeting = _plan(
        v, date(2025, 3, 1),
        ItemInput("修缮村东水渠", "张志刚", "渠道渗漏，影响灌溉。"),
        ItemInput("集体鱼塘重新发包", "村民委员会"),
        ItemInput("修订村规民约", "村党支部", needs_two_thirds=True),
    )  # fmt: skip
    service.add_observer(v.clerk, meeting.id, "陈淑芬", rules.SUPERVISORY, "监委会主任")
    meeting = _attend(v, meeting, absent=1)
    canal, pond, customs = meeting.items
    conflicted = meeting.attendance[4]
    service.set_recusals(v.clerk, pond.id, [RecusalInput(conflicted.member_id, "近亲属为现承包人")])
    passed = service.record_votes(v.clerk, canal.id, 5, 2, 1)
    assert passed.resolution is not None
    service.update_resolution(
        v.clerk, passed.resolution.id, "关于修缮村东水渠的决议", RESOLVED
    )  # fmt: skip
    eligible = [a.member_id for a in meeting.attendance if a.status == rules.PRESENT]
    eligible.remove(conflicted.member_id)
    service.record_roll_call(
        v.clerk, pond.id, {m: rules.FOR for m in eligible[:4]} | {m: rules.AGAINST for m in eligible[4:6]}
    )
    service.record_votes(v.clerk, customs.id, 5, 2, 1)
    service.set_minutes(v.clerk, meeting.id, "会议由王建国主持，全体到会成员围绕三项议题进行了讨论。")
    service.set_minutes(v.clerk, meeting.id, "成员同意修缮，建议秋收后施工。", canal.id)
    return service.get_meeting(v.clerk, meeting.id), passed


def test_minutes_print_attendance_each_item_its_vote_and_outcome(village: Village, tmp_path: Path) -> None:
    v = village
    meeting, _passed = _held_meeting(v)
    draft = write(tmp_path, pdf.minutes_bytes(service.minutes_document(v.clerk, meeting.id)), "draft.pdf")
    assert UNSIGNED in flat(draft)

    final = _sign(v, meeting.id)
    minutes_id = final.items[0].minutes_id
    assert minutes_id is not None
    service.amend(
        v.clerk, meeting.id, "minutes.text", minutes_id, "成员同意修缮，秋收后施工。", "漏记施工时间",
        now=datetime(2025, 3, 10, 9),
    )  # fmt: skip
    i18n.set_language("en")  # the paper is Chinese whatever the screen speaks
    path = pdf.render_minutes(service.minutes_document(v.clerk, meeting.id), tmp_path / "minutes.pdf")
    assert_official(path)
    text = flat(path)
    assert UNSIGNED not in text and "签字确认）" not in text
    for expected in (
        "青石村村民议事会第1次会议记录",
        "2025年3月1日（星期六）14:30",
        "村委会会议室",
        "主持人：王建国",
        "记录人：李文书",
        "应到成员9人，实到8人，缺席1人",
        "达到成员总数的2/3以上（6人）",
        "符合规定人数",
        f"缺席成员：{NAMES[8]}（外出务工）",
        "列席人员：陈淑芬（监委会主任）",
        "（一）修缮村东水渠",
        "提议人：张志刚",
        "议题说明：渠道渗漏，影响灌溉。",
        "讨论情况：成员同意修缮，秋收后施工。",  # the corrected text in place
        "表决方式：举手表决",
        "赞成5票，反对2票，弃权1票",
        "通过须超过到会人数的1/2，即至少5票赞成。表决结果：通过。",
        "形成决议：〔2025〕议字第1号",
        f"{NAMES[4]}（近亲属为现承包人）申请回避",
        "表决方式：逐人表决",
        "逐人表决情况",
        "有表决权的7人。赞成4票，反对2票，弃权0票，未表决1人",
        "形成决议：〔2025〕议字第2号",
        "（三）修订村规民约（须三分之二以上通过）",
        "表决结果：未通过",
        "更正记录",
        "成员同意修缮，建议秋收后施工。",  # the original survives beside the correction
        "漏记施工时间",
        "李文书2025年3月10日",
        "主持人（签字）：王建国2025年3月2日",
        "记录人（签字）：李文书2025年3月3日",
    ):
        assert expected in text, expected
    assert "〔2025〕议字第3号" not in text


def test_minutes_of_a_meeting_not_held(village: Village, tmp_path: Path) -> None:
    v = village
    meeting = _attend(v, _plan(v, date(2025, 3, 1), ItemInput("修缮村东水渠")), absent=4)
    path = write(tmp_path, pdf.minutes_bytes(service.minutes_document(v.clerk, meeting.id)), "m.pdf")
    text = flat(path)
    assert "应到成员9人，实到5人，缺席4人" in text and "不足规定人数，会议流会" in text
    assert "会议未达到规定人数，本议题未进行讨论和表决" in text and "表决结果" not in text


def test_meeting_notice_to_the_members(village: Village, tmp_path: Path) -> None:
    v = village
    meeting = _plan(
        v, date(2025, 3, 1), ItemInput("修缮村东水渠", "张志刚", "渠道渗漏。"), ItemInput("鱼塘发包")
    )
    doc = service.meeting_notice(v.clerk, meeting.id, today=date(2025, 2, 20))
    path = write(tmp_path, pdf.notice_bytes(doc), "notice.pdf")
    assert_official(path)
    text = flat(path)
    for expected in (
        "青石村村民议事会关于召开第1次会议的通知",
        "各位议事会成员：",
        "定于2025年3月1日（星期六）14:30在村委会会议室召开青石村村民议事会第1次会议，会议由王建国召集并主持",
        "一、会议议题",
        "1.修缮村东水渠（提议人：张志刚）",
        "渠道渗漏。",
        "2.鱼塘发包",
        "议事会全体成员（9人）：" + "、".join(NAMES[:9]),
        "应当主动申请回避",
        "2025年2月20日",
    ):
        assert expected in text, expected


def test_sign_in_sheet_lists_the_expected_members_with_room_to_sign(
    village: Village, tmp_path: Path, needs_poppler: None
) -> None:
    v = village
    meeting = _plan(v, date(2025, 3, 1), ItemInput("修缮村东水渠"))
    service.add_observer(v.clerk, meeting.id, "陈淑芬", rules.SUPERVISORY, "监委会主任")
    path = render(pdf.sign_in_document(service.sign_in_sheet(v.clerk, meeting.id)), tmp_path / "s.pdf")
    assert_official(path)
    text = flat(path)
    for expected in ("青石村村民议事会第1次会议签到表", "应到9人", "本人签名", "列席人员签到", "陈淑芬"):
        assert expected in text, expected
    assert "会长" in text and "副会长" in text and "第一村民小组" in text
    # The members in the order of the sheet, each row tall enough to sign (10 mm).
    tops = {w.text: w.y_min for w in words(path) if w.text in NAMES[:9]}
    assert list(tops) == list(NAMES[:9])
    gaps = [b - a for a, b in zip(list(tops.values()), list(tops.values())[1:], strict=False)]
    assert min(gaps) >= pdf.SIGN_ROW_MM * mm - 0.5, gaps


def test_a_sign_in_sheet_s_blank_observer_rows_do_not_start_a_second_page(
    village: Village, tmp_path: Path
) -> None:
    """Seen on the demo's sheet: nine members, two observers, and the last blank row alone on page 2."""
    v = village
    meeting = _plan(v, date(2025, 3, 1), ItemInput("修缮村东水渠"))
    service.add_observer(v.clerk, meeting.id, "王建国", rules.TWO_COMMITTEES, "村党支部书记")
    service.add_observer(v.clerk, meeting.id, "陈淑芬", rules.SUPERVISORY, "监委会主任")
    sheet = service.sign_in_sheet(v.clerk, meeting.id)
    assert sheet.blank_observer_rows == 3
    pages = page_texts(render(pdf.sign_in_document(sheet), tmp_path / "s.pdf"))
    assert len(pages) == 1 and "陈淑芬" in pages[0]
    assert "3" in pages[0].split()  # a blank row (or more) to sign in, as room allows


def test_resolution_with_its_number_vote_and_text(village: Village, tmp_path: Path) -> None:
    v = village
    meeting, passed = _held_meeting(v)
    assert passed.resolution is not None
    draft = service.resolution_document(v.clerk, passed.resolution.id)
    assert pdf.RESOLUTION_DRAFT_MARK in flat(write(tmp_path, pdf.resolution_bytes(draft), "draft.pdf"))
    _sign(v, meeting.id)
    doc = service.resolution_document(v.clerk, passed.resolution.id)
    path = write(tmp_path, pdf.resolution_bytes(doc), "r.pdf")
    assert_official(path)
    text = flat(path)
    for expected in (
        "关于修缮村东水渠的决议",
        "〔2025〕议字第1号",
        "2025年3月1日，青石村村民议事会在村委会会议室召开第1次会议，审议了“修缮村东水渠”",
        "应到成员9人，实到8人，有表决权的8人",
        "赞成5票，反对2票，弃权1票，赞成票超过到会人数的1/2，议题获得通过",
        "现决议如下：",
        "同意修缮村东水渠，预算12万元。",
        "由村民委员会组织实施。",
        "青石村村民议事会",
    ):
        assert expected in text, expected
    assert pdf.RESOLUTION_DRAFT_MARK not in text
    a3 = write(tmp_path, pdf.resolution_bytes(doc, Paper.A3), "r3.pdf")
    assert_official(a3, Paper.A3)


def test_chinese_numerals_of_headings() -> None:
    assert [pdf.chinese_numeral(n) for n in (1, 9, 10, 11, 20, 23, 99)] == [
        "一", "九", "十", "十一", "二十", "二十三", "九十九",
    ]  # fmt: skip
    assert pdf.when(TODAY) == "2026年6月30日（星期二）"


def test_the_minutes_say_who_signed_as_the_screen_does(village: Village, tmp_path: Path) -> None:
    """Issue 16: the chair had signed, the screen said so, and the paper still said nobody had."""
    v = village
    meeting, _passed = _held_meeting(v)
    service.sign_off(v.clerk, meeting.id, "chair", date(2025, 3, 2), today=TODAY)
    doc = service.minutes_document(v.clerk, meeting.id)
    screen = service.get_meeting(v.clerk, meeting.id)
    # One function of the rules words it, for the paper and for the meeting's details on screen.
    assert doc.signatures == rules.signatures_sentence(screen.chair_signed_on, screen.recorder_signed_on)
    text = flat(write(tmp_path, pdf.minutes_bytes(doc), "chair.pdf"))
    assert "（主持人已签字，记录人尚未签字确认）" in text and UNSIGNED not in text
    assert "主持人（签字）：王建国" in text and "2025年3月2日" in text
    service.withdraw_sign_off(v.clerk, meeting.id, "chair")
    service.sign_off(v.clerk, meeting.id, "recorder", date(2025, 3, 3), today=TODAY)
    text = flat(write(tmp_path, pdf.minutes_bytes(service.minutes_document(v.clerk, meeting.id)), "rec.pdf"))
    assert "（记录人已签字，主持人尚未签字确认）" in text


def test_the_layouts_load_no_database() -> None:
    """pdf.py takes plain records (records.py): importing it loads neither peewee nor the service."""
    code = (
        "import sys, villagegov.council.pdf\n"
        "assert 'peewee' not in sys.modules, 'peewee imported'\n"
        "assert 'villagegov.council.service' not in sys.modules, 'the service imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
