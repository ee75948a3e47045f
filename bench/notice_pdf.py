"""Printing a notice: warm milliseconds for a one-page notice and for a 20-page subsidy list.

    python bench/notice_pdf.py [--runs 20]

Both go the whole way a click on 打印 goes: the service's masked document from a real SQLite
database, the layout, and the PDF bytes. Warm: fonts are loaded once before timing (the first
print of a session also pays about a second of font loading). Targets: < 100 ms for one page,
< 1 s for 20 pages.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pypdf import PdfReader

from villagegov.accounts import service as accounts
from villagegov.core.privacy import make_id_number
from villagegov.notices import pdf, rules, service
from villagegov.notices.rules import NoticeInput, TableInput
from villagegov.schema import close_store, open_store

BODY = (
    "各村民小组、全体村民：\n根据县民政局有关规定，经村“两委”会议研究、村民代表会议审议，现将本村"
    "2026年度高龄老人生活补贴发放名单予以公示。\n一、补贴标准\n每人每月100元，按季度发放。"
)


def attachments() -> list[tuple[str, bytes]]:
    """A phone photo (2000 × 1500 JPEG) and a two-page PDF, as a clerk attaches them."""
    import io

    from PIL import Image

    from villagegov.printing.document import OfficialDocument, Text, render_bytes

    photo = io.BytesIO()
    Image.effect_noise((2000, 1500), 40).convert("RGB").save(photo, format="JPEG", quality=85)
    report = render_bytes(OfficialDocument(title="竣工验收单", blocks=(Text("验收合格。" * 400),)))
    return [("现场照片.jpg", photo.getvalue()), ("竣工验收单.pdf", report)]


def posted(clerk, secretary, rows: int, files: list[tuple[str, bytes]] = ()) -> int:  # type: ignore[no-untyped-def,assignment]
    table = TableInput(
        ("序号", "姓名", "身份证号", "所在小组", "金额（元）"),
        tuple(
            (str(i), f"村民{i}", make_id_number("411421", date(1940, 1, 1 + i % 28), i % 1000),
             "第一村民小组", "1200.00")
            for i in range(1, rows + 1)
        ),
        caption="高龄老人生活补贴发放名单",
    )  # fmt: skip
    data = NoticeInput(rules.VILLAGE, rules.PUBLICITY, "关于2026年度高龄老人生活补贴发放名单的公示", BODY,
                       tables=(table,) if rows else ())  # fmt: skip
    draft = service.create_draft(clerk, data, now=datetime(2026, 11, 19, 9))
    for name, content in files:
        service.add_attachment(clerk, draft.id, name, content)
    service.approve(secretary, draft.id, now=datetime(2026, 11, 20, 9))
    service.post(clerk, draft.id, date(2026, 11, 23), "张组长", today=date(2026, 11, 23))
    return draft.id


def time_it(clerk, notice_id: int, runs: int) -> tuple[list[float], int]:  # type: ignore[no-untyped-def]
    times = []
    data = b""
    for _ in range(runs):
        started = time.perf_counter()
        data = pdf.notice_bytes(service.document(clerk, notice_id, today=date(2026, 11, 25)))
        times.append((time.perf_counter() - started) * 1000)
    folder = Path(tempfile.mkdtemp())
    (folder / "n.pdf").write_bytes(data)
    return times, len(PdfReader(folder / "n.pdf").pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_store(Path(folder) / "bench.sqlite3")
        clerk = accounts.set_up("青石村", "柳溪镇", "安平县", "wenshu", "李文书", "mima-1234", "mima-1234")
        accounts.create_user(clerk, "shuji", "王建国", "secretary", "mima-5678")
        secretary = accounts.sign_in("shuji", "mima-5678")
        one_page = posted(clerk, secretary, 4)
        twenty = posted(clerk, secretary, 490)
        attached = posted(clerk, secretary, 4, attachments())
        pdf.notice_bytes(service.document(clerk, one_page))  # load the fonts: warm from here on
        print("| document | pages | median ms | p95 ms | target ms |\n|---|---:|---:|---:|---:|")
        for label, notice_id, target in (
            ("one-page notice", one_page, 100),
            ("subsidy list", twenty, 1000),
            ("notice with a photo and a 2-page PDF attached", attached, "—"),
        ):
            times, pages = time_it(clerk, notice_id, args.runs)
            p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
            print(f"| {label} | {pages} | {statistics.median(times):.1f} | {p95:.1f} | {target} |")
        close_store(db)


if __name__ == "__main__":
    main()
