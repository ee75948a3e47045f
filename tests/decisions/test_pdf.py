"""The dossier (一事一档) read back from its PDF: the six steps in order, the resolution, the two notices
with their posting records, embedded fonts, A4, and no full ID-card or mobile number."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from tests.decisions.conftest import Village, complete, meeting, open_matter, through
from tests.printing.conftest import fonts_in, page_texts
from villagegov.core import i18n
from villagegov.core.privacy import make_id_number
from villagegov.decisions import pdf, rules, service
from villagegov.notices import rules as notice_rules
from villagegov.notices import service as notices

ID = make_id_number("411421", date(1970, 3, 7), 11)
PHONE = "13912345678"


def flat(path: Path) -> str:
    return re.sub(r"\s+", "", "".join(page_texts(path)))


def test_the_dossier_holds_every_step_in_order_and_both_notices(village: Village, tmp_path: Path) -> None:
    d = open_matter(village)
    service.update_decision(
        village.clerk, d.id, replace(d.as_input(), background=f"联系人王大山，身份证{ID}，电话{PHONE}。")
    )
    done = complete(village, d.id)
    first = done.current(rules.PROPOSE)
    assert first is not None
    concern = service.raise_concern(village.supervisor, first.id, "缺少签到表", today=date(2026, 6, 10))
    service.answer_concern(village.clerk, concern.id, "已补签到表。", today=date(2026, 6, 10))
    service.sign_off(village.supervisor, first.id, "程序合规", today=date(2026, 6, 10))
    i18n.set_language("en")  # the screen speaks English; the dossier is Chinese all the same
    path = pdf.render_dossier(service.dossier(village.clerk, d.id, date(2026, 6, 10)), tmp_path / "d.pdf")

    text = flat(path)
    headings = [f"{n}、第{n}步" for n in "一二三四五六"]
    positions = [text.find(h) for h in headings]
    assert -1 not in positions and positions == sorted(positions), positions
    for label in ("党支部会提议", "商议", "党员大会审议", "决议", "决议公开", "实施结果公开"):
        assert label in text, label
    for expected in (
        "青石村重大事项“四议两公开”档案",
        "〔2026〕事字第1号",
        "案卷封面",
        "卷内目录",
        "关于村东水渠修缮工程的决议",
        "附件1：决议公示",
        "附件2：实施结果公示",
        "关于村东水渠修缮工程决议的公示",
        "关于村东水渠修缮工程实施结果的公示",
        "张贴记录",
        "公示期满无异议",
        "赞成10票，反对1票，弃权1票",
        "村民代表10人（其中妇女代表4人）",
        "陈淑芬（监委会，监委会主任）",
        "已补签到表",
        "程序合规",
        "118,500.00元",
        "青石村村民委员会",
    ):
        assert expected in text, expected
    assert "Step" not in text and "Passed" not in text  # no English on the paper

    assert ID not in text and PHONE not in text
    assert ID[:6] + "********" + ID[-4:] in text and PHONE[:3] + "****" + PHONE[-4:] in text
    assert notice_rules.personal_numbers(text) == []

    fonts = fonts_in(path)
    assert fonts and all(fonts.values()), fonts
    reader = PdfReader(path)
    assert len(reader.pages) >= 8
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (round(A4[0]), round(A4[1]))


def test_a_dossier_keeps_the_history_of_a_revised_and_a_failed_matter(
    village: Village, tmp_path: Path
) -> None:
    d = open_matter(village)
    through(village, d.id, rules.PROPOSE)
    service.record_step(
        village.clerk,
        d.id,
        rules.DISCUSS,
        meeting(rules.DISCUSS, village, agreed=False),
        today=date(2026, 12, 31),
    )
    service.revise(village.clerk, d.id, date(2026, 3, 6), "预算压缩至10万元。", today=date(2026, 12, 31))
    service.record_step(
        village.clerk,
        d.id,
        rules.PROPOSE,
        meeting(rules.PROPOSE, village, date(2026, 3, 7)),
        today=date(2026, 12, 31),
    )
    service.record_step(
        village.clerk, d.id, rules.DISCUSS, meeting(rules.DISCUSS, village, date(2026, 3, 8), agreed=False),
        today=date(2026, 12, 31),
    )  # fmt: skip
    service.end_not_adopted(
        village.clerk, d.id, date(2026, 3, 9), "两委会再次未同意。", today=date(2026, 12, 31)
    )
    text = flat(
        pdf.render_dossier(service.dossier(village.clerk, d.id, date(2026, 12, 31)), tmp_path / "x.pdf")
    )
    assert text.count("第一步") >= 2 and "（第2轮）" in text
    assert "预算压缩至10万元" in text and "两委会再次未同意" in text and "事项终止" in text
    assert "附件1" not in text  # nothing was disclosed


def test_a_disclosure_under_way_prints_its_draft_notice_and_no_result(
    village: Village, tmp_path: Path
) -> None:
    d = open_matter(village)
    through(village, d.id, rules.RESOLVE)
    service.start_disclosure(village.clerk, d.id, today=date(2026, 3, 21))
    text = flat(
        pdf.render_dossier(service.dossier(village.clerk, d.id, date(2026, 3, 21)), tmp_path / "y.pdf")
    )
    assert "附件1：决议公示" in text and "尚未张贴" in text
    assert notices.list_notices(village.clerk)[0].state == notice_rules.DRAFT


def test_a_page_break_starts_a_new_page(tmp_path: Path) -> None:
    from villagegov.printing.document import OfficialDocument, PageBreak, Text, render

    path = render(OfficialDocument("封面", (Text("第一页"), PageBreak(), Text("第二页"))), tmp_path / "p.pdf")
    texts = page_texts(path)
    assert len(texts) == 2 and "第一页" in texts[0] and "第二页" in texts[1]


def test_the_layout_loads_no_database_library() -> None:
    """The dossier's layout takes plain records (records.py): importing it loads neither peewee nor the
    room's service."""
    import subprocess
    import sys

    code = (
        "import sys, villagegov.decisions.pdf\n"
        "print('peewee' in sys.modules, 'villagegov.decisions.service' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["False", "False"]
