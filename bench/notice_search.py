"""Full-text search over 100,000 notices: median and p95 time of `notices.service.list_notices`.

    python bench/notice_search.py                    # 100,000 notices in a temporary SQLite file
    python bench/notice_search.py --count 20000 --runs 50
    python bench/notice_search.py --target postgresql://user:pw@host/EMPTY_DB   # PostgreSQL (pg_trgm)

The notices are bulk-inserted straight into the table (not through the service: no audit entries,
it is a throwaway database), with titles and bodies of realistic village wording; the search goes
through the service as the screen calls it, first page of 200 rows, newest first. Target: < 50 ms
median.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from villagegov.accounts import service as accounts
from villagegov.core.db import database, is_postgres
from villagegov.notices import rules, service
from villagegov.notices.models import Notice
from villagegov.schema import close_store, open_store

TARGET_MS = 50.0
PAGE = 200
QUERIES = (
    ("补贴", "2 characters, frequent"),
    ("低保", "2 characters, rarer"),
    ("党", "1 character"),
    ("氢能", "2 characters, no match"),
    ("村民小组", "in every notice"),
    ("高龄老人补贴", "title and body"),
    ("道路硬化", "4 characters"),
    ("财务收支", "common in finance"),
    ("村民代表会议决议", "8 characters"),
    ("宅基地 公示", "two words, one short"),
    ("光伏发电站", "one topic in 21"),
    ("赵某某42户", "in the body of ~1 notice in 170"),
    ("量子计算机", "no match"),
)
TOPICS = (
    "农村最低生活保障对象名单",
    "高龄老人补贴发放名单",
    "耕地地力保护补贴",
    "道路硬化工程实施结果",
    "宅基地建房申请",
    "公益性岗位拟聘用人员",
    "村民代表会议决议事项",
    "集体土地承包经营结果",
    "危房改造对象",
    "低保户动态调整",
    "财务收支情况",
    "党费收缴情况",
    "发展党员对象",
    "预备党员转正",
    "防汛工作",
    "秸秆禁烧",
    "城乡居民医疗保险缴费",
    "人居环境整治评比",
    "森林防火",
    "饮水安全工程",
    "村级光伏发电站收益分配",
)
SENTENCES = (
    "经村“两委”会议研究，现将有关情况公示如下。",
    "请各村民小组认真核对，如有异议请在公示期内反映。",
    "本项目资金来源为一事一议财政奖补资金和村集体自筹。",
    "经村务监督委员会审核，账目清楚，票据齐全。",
    "联系人：村文书，联系电话见村务公开栏。",
    "各户务必按时足额缴纳，逾期不再补办。",
    "工程已完工，经镇村两级验收合格。",
    "严禁露天焚烧秸秆，违者依法处理。",
    "请全体党员准时参加，不得无故缺席。",
    "汛期将至，请各组组长做好河道和山塘巡查。",
    "根据县民政局有关规定，补贴按季度发放。",
    "经个人申请、入户调查、村民代表评议，拟确定以下人员。",
    "本村集体经济收入主要来自资产租赁和合作社经营。",
)
NAMES = "王李张刘陈杨赵黄周吴"


def _fill(count: int, village_id: int, rng: random.Random) -> float:
    started = time.perf_counter()
    created = datetime(2020, 1, 1, 9)
    rows = []
    for i in range(count):
        day = date(2020, 1, 1) + timedelta(days=i * 2500 // count)
        category = rng.choice(rules.CATEGORIES)
        kind = rng.choice(rules.KINDS)
        topic = rng.choice(TOPICS)
        title = f"关于{day.year}年度{topic}的" + {"publicity": "公示", "announcement": "公告"}.get(
            kind, "通知"
        )
        body = "各村民小组、全体村民：\n" + "\n".join(
            rng.choice(SENTENCES) + f"{rng.choice(NAMES)}某某{rng.randint(1, 99)}户。"
            for _ in range(rng.randint(3, 9))
        )
        rows.append(
            {
                "village": village_id,
                "category": category,
                "kind": kind,
                "year": day.year,
                "sequence": i + 1,
                "number": f"〔{day.year}〕{i + 1}号",
                "title": title,
                "body": body,
                "places": '["village"]',
                "major": False,
                "state": rules.REMOVED,
                "period_days": 7 if kind == rules.PUBLICITY else None,
                "period_unit": "days" if kind == rules.PUBLICITY else None,
                "posted_at": day,
                "period_start": day if kind == rules.PUBLICITY else None,
                "period_end": day + timedelta(days=6) if kind == rules.PUBLICITY else None,
                "removed_at": day + timedelta(days=8),
                "created_at": created,
                "created_by": "bench",
                "approved_at": created,
                "approved_by": "bench",
                "posted_by": "bench",
                "posted_places": json.dumps(["village"]),
                "removed_by": "bench",
            }
        )
    with database.atomic():
        for start in range(0, len(rows), 500):
            Notice.insert_many(rows[start : start + 500]).execute()
    # Inserted behind the service's back: its index of characters is rebuilt as migration 8 does.
    service.rebuild_search_grams()
    if is_postgres():
        database.execute_sql("ANALYZE notice")
        database.execute_sql("ANALYZE notice_grams")
    else:
        database.execute_sql("INSERT INTO notice_fts(notice_fts) VALUES ('optimize')")
        database.execute_sql("INSERT INTO notice_grams(notice_grams) VALUES ('optimize')")
        database.execute_sql("ANALYZE")
    return time.perf_counter() - started


def _time(actor: object, text: str, runs: int) -> tuple[float, float, int, int]:
    filters = service.NoticeFilter(text=text)
    service.list_notices(actor, filters, limit=PAGE)  # warm
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        rows = service.list_notices(actor, filters, limit=PAGE)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    matches = len(service.list_notices(actor, filters))
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(rows), matches


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--target", help="an EMPTY database (file path or PostgreSQL URL); default: temporary"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_store(args.target or Path(folder) / "bench.sqlite3")
        try:
            actor = accounts.set_up("青石村", "柳溪镇", "安平县", "bench", "测试", "bench-1234", "bench-1234")
            fill = _fill(args.count, actor.village_id, random.Random(20261123))
            engine = "PostgreSQL" if is_postgres() else "SQLite"
            print(
                f"{args.count:,} notices on {engine}, inserted in {fill:.1f} s; {args.runs} runs per query, "
                f"first page of {PAGE} rows\n"
            )
            print("| query | what | median ms | p95 ms | rows shown | matches | target |")
            print("|---|---|---:|---:|---:|---:|---|")
            medians = []
            for text, what in QUERIES:
                median, p95, shown, matches = _time(actor, text, args.runs)
                medians.append(median)
                verdict = "PASS" if median < TARGET_MS else "ABOVE"
                print(f"| {text} | {what} | {median:.1f} | {p95:.1f} | {shown} | {matches:,} | {verdict} |")
            print(
                f"\nmedian of the medians: {statistics.median(medians):.1f} ms (target < {TARGET_MS:.0f} ms)"
            )
        finally:
            close_store(db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
