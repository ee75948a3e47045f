"""The council room: opening the meetings list over ten years, and printing a 10-item minutes.

    python bench/council.py [--runs 10] [--per-year 12]

1. Ten years of meetings (two five-year terms, `--per-year` meetings a year, each with three items,
   attendance, votes and both signatures) are written through the service into a real SQLite
   database. Then, `--runs` times, a fresh `CouncilRoom` is built for the clerk and shown
   (offscreen), and the clock stops when the meetings list has painted for the first time: the
   service's query, the table model, the first meeting's details and the first paint.
   `list_meetings` alone is timed too. Target: under 200 ms to first paint.
2. A meeting with ten items (one by roll call, one with a recusal, minutes on each) is printed the
   whole way a click on 打印会议记录 goes: the service's document and the PDF bytes. Warm: fonts are
   loaded once before timing. Target: under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pypdf import PdfReader
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from villagegov.accounts import service as accounts
from villagegov.core import clock, i18n
from villagegov.core.actor import Actor
from villagegov.council import pdf, rules, service
from villagegov.roster import service as roster
from villagegov.roster.rules import FEMALE, MALE, VillagerInput
from villagegov.schema import close_store, open_store

NAMES = ("王建国", "李秀英", "张志刚", "刘桂兰", "陈卫东", "杨春燕", "赵德福", "黄丽华", "周海涛")
ROLES = (rules.CHAIR, rules.VICE_CHAIR, rules.VICE_CHAIR, *[rules.MEMBER] * 6)
FIRST_YEAR = 2017
TODAY = date(2026, 12, 31)
MINUTES = (
    "与会成员围绕议题进行了认真讨论。多数成员认为该事项关系群众切身利益，应按程序公开透明推进，"
    "并请村务监督委员会全程监督；个别成员对资金来源提出疑问，经村民委员会解释后无异议。"
)


def _p(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered) * 1000, ordered[max(0, round(0.95 * len(ordered)) - 1)] * 1000


def build(clerk: Actor, per_year: int) -> int:
    """Two five-year terms of meetings; returns the number of meetings written."""
    group = roster.add_group(clerk, "第一村民小组")
    villagers = []
    for n, name in enumerate(NAMES):
        household = roster.add_household(clerk, group.id, f"01-{n + 1:03d}")
        villagers.append(
            roster.add_villager(
                clerk,
                VillagerInput(name, household, "head", gender=MALE if n % 2 == 0 else FEMALE,
                              birth_date=date(1960 + n, 3, 1)),
                TODAY,
            ).id
        )  # fmt: skip
    count = 0
    for start in (FIRST_YEAR, FIRST_YEAR + 5):
        council = service.create_council(clerk, date(start, 1, 1), date(start + 4, 12, 31))
        for villager, role in zip(villagers, ROLES, strict=True):
            service.add_member(clerk, council.id, villager, role, date(start, 1, 1))
        chair = rules.Person(villager_id=villagers[0])
        for year in range(start, start + 5):
            for n in range(per_year):
                day = date(year, 1, 10) + timedelta(days=n * 365 // per_year)
                data = rules.MeetingInput(day, "村委会会议室", "14:30", chair, chair, rules.Person("李文书"))
                meeting = service.create_meeting(clerk, council.id, data)
                for k in range(3):
                    title = f"{year}年第{n + 1}次会议议题{k + 1}"
                    service.add_item(clerk, meeting.id, rules.ItemInput(title))
                detail = service.get_meeting(clerk, meeting.id)
                entries = [rules.AttendanceInput(a.member_id, i != 8, "外出务工") for i, a in
                           enumerate(detail.attendance)]  # fmt: skip
                detail = service.record_attendance(clerk, meeting.id, entries, today=TODAY)
                for k, item in enumerate(detail.items):
                    service.record_votes(clerk, item.id, 4 + k % 3, 2, 0)
                service.sign_off(clerk, meeting.id, "chair", day, today=TODAY)
                service.sign_off(clerk, meeting.id, "recorder", day, today=TODAY)
                count += 1
    return count


def ten_items(clerk: Actor) -> int:
    """A meeting of the last term with ten items, roll call and recusal, minutes on each."""
    council = service.council_on(clerk, date(2026, 12, 20))
    assert council is not None
    chair = service.list_members(clerk, council.id)[0]
    person = rules.Person(villager_id=chair.villager_id)
    recorder = rules.Person("李文书")
    data = rules.MeetingInput(date(2026, 12, 20), "村委会会议室", "09:00", person, person, recorder)
    meeting = service.create_meeting(clerk, council.id, data)
    for k in range(10):
        title = f"关于村内第{k + 1}项公益事业建设方案的议题"
        service.add_item(
            clerk, meeting.id, rules.ItemInput(title, "村民委员会", MINUTES, needs_two_thirds=k == 9)
        )
    detail = service.get_meeting(clerk, meeting.id)
    entries = [rules.AttendanceInput(a.member_id, i != 8, "请假") for i, a in enumerate(detail.attendance)]
    detail = service.record_attendance(clerk, meeting.id, entries, today=TODAY)
    present = [a.member_id for a in detail.attendance if a.status == rules.PRESENT]
    service.set_recusals(clerk, detail.items[1].id, [rules.RecusalInput(present[3], "近亲属承包")])
    for k, item in enumerate(detail.items):
        if k == 2:
            service.record_roll_call(clerk, item.id, {m: rules.FOR for m in present})
        else:
            service.record_votes(clerk, item.id, 6 - (k == 1), 1, 0)
        service.set_minutes(clerk, meeting.id, MINUTES, item.id)
    service.set_minutes(clerk, meeting.id, "会议由王建国主持。" + MINUTES)
    service.sign_off(clerk, meeting.id, "chair", date(2026, 12, 21), today=TODAY)
    service.sign_off(clerk, meeting.id, "recorder", date(2026, 12, 21), today=TODAY)
    return meeting.id


class _FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False


def open_list(app: QApplication, clerk: Actor, runs: int) -> list[float]:
    from villagegov.council.views import CouncilRoom

    times = []
    for _ in range(runs):
        started = time.perf_counter()
        room = CouncilRoom(clerk)
        painted = _FirstPaint()
        room.meeting_view.viewport().installEventFilter(painted)
        room.resize(1100, 760)
        room.show()
        while painted.at is None:
            app.processEvents()
        times.append(painted.at - started)
        assert room.meetings.rowCount() > 0
        room.close()
        room.deleteLater()
        app.processEvents()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--per-year", type=int, default=12)
    args = parser.parse_args()
    i18n.set_language("zh_CN")
    clock.pin(TODAY)  # the room's today comes from the one clock
    with tempfile.TemporaryDirectory() as folder:
        os.environ["VILLAGEGOV_HOME"] = folder
        db = open_store(Path(folder) / "bench.sqlite3")
        clerk = accounts.set_up("青石村", "柳溪镇", "安平县", "wenshu", "李文书", "mima-1234", "mima-1234")
        started = time.perf_counter()
        meetings = build(clerk, args.per_year)
        meeting_id = ten_items(clerk)
        print(f"built {meetings + 1} meetings in {time.perf_counter() - started:.1f} s")
        app = QApplication.instance() or QApplication([])
        listing = []
        for _ in range(args.runs):
            t = time.perf_counter()
            rows = service.list_meetings(clerk)
            listing.append(time.perf_counter() - t)
        open_list(app, clerk, 1)  # warm: the room's modules and Qt's first use
        painted = open_list(app, clerk, args.runs)
        pdf.minutes_bytes(service.minutes_document(clerk, meeting_id))  # warm: fonts
        printing = []
        data = b""
        for _ in range(args.runs):
            t = time.perf_counter()
            data = pdf.minutes_bytes(service.minutes_document(clerk, meeting_id))
            printing.append(time.perf_counter() - t)
        pages = len(PdfReader(__import__("io").BytesIO(data)).pages)
        close_store(db)
    print(f"\n{len(rows)} meetings over ten years; {args.runs} runs each\n")
    print(f"{'what':<44}{'median ms':>10}{'p95 ms':>10}{'target':>9}")
    for what, values, target in (
        ("list_meetings (service only)", listing, None),
        ("meetings list: new room to first paint", painted, 200),
        (f"10-item minutes PDF ({pages} pages), warm", printing, 300),
    ):
        median, p95 = _p(values)
        verdict = "" if target is None else ("PASS" if median < target else "ABOVE")
        print(f"{what:<44}{median:>10.1f}{p95:>10.1f}{(str(target) + ' ' + verdict) if target else '':>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
