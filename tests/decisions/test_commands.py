"""`villagegov list decisions` and `villagegov print decision` as a user runs them, and the archive."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.cli.test_cli import run
from tests.decisions.conftest import Village, complete, open_matter, through
from tests.printing.conftest import page_texts
from villagegov.archive.contract import Period, room_module
from villagegov.decisions import archiving, rules


def test_the_archive_gets_records_with_their_schemas_and_one_dossier_each(village: Village) -> None:
    done = open_matter(village, "甲事项")
    complete(village, done.id)
    open_ = open_matter(village, "乙事项")
    through(village, open_.id, rules.REVIEW)
    assert room_module("decisions") is archiving
    sets = {s.kind: s for s in archiving.records(village.clerk, Period.year(2026))}
    assert set(sets) == {archiving.DECISIONS, archiving.STEPS}
    for record_set in sets.values():
        json.dumps(record_set.records, ensure_ascii=False)  # JSON-ready: no dates, no Decimals
        for record in record_set.records:
            jsonschema.validate(record, record_set.schema)
    decisions = {r["title"]: r for r in sets[archiving.DECISIONS].records}
    assert decisions["甲事项"]["state"] == rules.COMPLETE and decisions["甲事项"]["amount_fen"] == 12_000_000
    assert decisions["乙事项"]["step"] == rules.RESOLVE
    steps = [s for s in sets[archiving.STEPS].records if s["decision_id"] == done.id]
    assert [s["step"] for s in steps] == list(rules.STEPS)
    assert steps[3]["pass_threshold"] == "1/2 strict" and steps[3]["for"] == 10
    assert archiving.records(village.clerk, Period.year(2025))[0].records == ()

    docs = archiving.documents(village.clerk, Period.year(2026))
    assert [d.name for d in docs] == ["decisions/2026-001.pdf", "decisions/2026-002.pdf"]
    assert all(re.fullmatch(r"[A-Za-z0-9_/-]+\.pdf", d.name) for d in docs)
    assert docs[0].record_kind == archiving.DECISIONS and docs[0].record_id == done.id
    built = docs[0].build()
    assert built.number == "〔2026〕事字第1号"


@pytest.mark.slow
def test_list_and_print_decisions_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite3"
    code = (
        "from datetime import date\n"
        "from villagegov.schema import open_store\n"
        f"open_store({str(db)!r})\n"
        "import pytest\n"
        "from tests.conftest import set_up_village\n"
        "from tests.decisions import conftest as c\n"
        "clerk = set_up_village()\n"
        "c._roster(clerk)\n"
        "from villagegov.accounts import service as a\n"
        "a.create_user(clerk, 'shuji', '王书记', 'secretary', 'mima-5678')\n"
        "a.create_user(clerk, 'jianwei', '陈淑芬', 'supervisor', 'mima-5678')\n"
        "v = c.Village(clerk, a.sign_in('shuji', 'mima-5678'), a.sign_in('jianwei', 'mima-5678'))\n"
        "d = c.open_matter(v)\n"
        "c.complete(v, d.id)\n"
        "e = c.open_matter(v, '村道硬化', '')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
    listed = run(
        ["--db", str(db), "--user", "wenshu", "list", "decisions", "--year", "2026"], tmp_path, "mima-1234"
    )
    assert listed.returncode == 0, listed.stderr
    lines = [line.split("\t") for line in listed.stdout.strip().splitlines()]
    assert lines[0] == [
        "2",
        "村道硬化",
        "兴办公益事业、筹资筹劳及建设承包方案",
        "",
        "第1步：党支部会提议",
        "进行中",
        "2026-03-01",
    ]
    assert lines[1][1:] == [
        "村东水渠修缮工程", "兴办公益事业、筹资筹劳及建设承包方案", "120000.00", "第6步：实施结果公开",
        "已办结", "2026-06-09",
    ]  # fmt: skip
    assert run(["--db", str(db), "--user", "wenshu", "list", "decisions", "--year", "2025"], tmp_path,
               "mima-1234").stdout == ""  # fmt: skip

    out = tmp_path / "dossier.pdf"
    printed = run(
        ["--db", str(db), "--user", "wenshu", "print", "decision", "1", "-o", str(out)], tmp_path, "mima-1234"
    )
    assert printed.returncode == 0, printed.stderr
    assert "〔2026〕事字第1号" in "".join(page_texts(out))
    missing = run(["--db", str(db), "--user", "wenshu", "print", "decision", "99", "-o", str(out)], tmp_path,
                  "mima-1234")  # fmt: skip
    assert missing.returncode == 2 and "Traceback" not in missing.stderr and missing.stderr.strip()
