"""A new clerk's first day, end to end, each step in a fresh process as the clerk would start it, in
Chinese, with the system's Chinese fonts hidden (the program brings its own): an empty database →
`villagegov init` → a roster imported whose villager groups do not exist yet → a villager added by hand
→ a notice drafted, approved, posted and printed → `villagegov check` clean.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.printing.conftest import fonts_in

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "shuji-2026"

ROSTER = [
    ("村民小组", "户号", "与户主关系", "姓名", "性别", "出生日期", "身份证号", "联系电话"),
    ("第一村民小组", "01-001", "户主", "王大山", "男", "1970-03-07", "", "13800001111"),
    ("第一村民小组", "01-001", "配偶", "李秀英", "女", "1972-05-09", "", ""),
    ("第二村民小组", "02-001", "户主", "张桂芬", "女", "1958-02-03", "", ""),
]

NO_CJK_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>
"""


@pytest.fixture
def fresh_machine(tmp_path: Path) -> dict[str, str]:
    """The environment of a new PC: its own home, Chinese, no Chinese font the system could lend."""
    config = tmp_path / "fonts.conf"
    config.write_text(NO_CJK_FONTCONFIG.format(cache=tmp_path / "fc-cache"), encoding="utf-8")
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("VILLAGEGOV_PASSWORD", "VILLAGEGOV_NEW_PASSWORD", "VILLAGEGOV_LANG"))
    }  # fmt: skip
    env.update(
        VILLAGEGOV_HOME=str(tmp_path / "home"), QT_QPA_PLATFORM="offscreen", FONTCONFIG_FILE=str(config),
        VILLAGEGOV_FONT_SYSTEM="0", PYTHONPATH=str(ROOT),
    )  # fmt: skip
    return env


def _run(env: dict[str, str], *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env={**env, **extra},
        cwd=env["VILLAGEGOV_HOME"], timeout=300, stdin=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.slow
def test_from_an_empty_pc_to_a_printed_notice(fresh_machine: dict[str, str], tmp_path: Path) -> None:
    env = fresh_machine
    Path(env["VILLAGEGOV_HOME"]).mkdir()
    db = str(tmp_path / "青石村.sqlite3")
    program = ("-m", "villagegov", "--db", db)

    made = _run(
        env, *program, "init", "--village", "青石村", "--township", "柳溪镇", "--county", "安平县",
        "--username", "shuji", "--name", "王书记", "--role", "secretary",
        VILLAGEGOV_NEW_PASSWORD=PASSWORD,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "Traceback" not in made.stderr

    roster = tmp_path / "花名册.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(ROSTER)
    imported = _run(env, *program, "--user", "shuji", "import", "roster", str(roster),
                    VILLAGEGOV_PASSWORD=PASSWORD)  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert "第一村民小组" in imported.stdout and "第二村民小组" in imported.stdout  # made, not refused

    pdf = tmp_path / "通知.pdf"
    window = _run(env, "-m", "tests.first_day_window", db, "shuji", PASSWORD, str(pdf))
    assert window.returncode == 0, window.stderr
    done = json.loads(window.stdout.strip().splitlines()[-1])
    assert done["refusals"] == []
    assert sorted(done["villagers"]) == sorted(["王大山", "李秀英", "张桂芬", "张小明"])
    assert "〔2026〕1号" in done["question"] and done["number"] == "〔2026〕1号"
    assert done["state"] == "posted" and done["saved"] == [str(pdf)]

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "关于2026年冬季征兵报名的通知" in text and "〔2026〕1号" in text
    assert "13812345678" not in text and "138****5678" in text  # a public paper: the number masked
    assert fonts_in(pdf) and all("uming" in f.lower() or "hana" in f.lower() or "microhei" in f.lower()
                                 for f in fonts_in(pdf))  # fmt: skip

    checked = _run(env, *program, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
