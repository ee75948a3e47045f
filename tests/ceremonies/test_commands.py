"""`villagegov list ceremonies` and `print ceremony …` as a clerk runs them, on the demo village.

The demo is made around the suite's day (clock.today(), VILLAGEGOV_TEST_TODAY in .ci/run's runs at the
year's edges): its ceremonies are those of the twelve months up to that day and of the month after, so
the tests ask for the year most of them fall in, never assume it is this year.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.test_cli import run
from villagegov.core import clock

pytestmark = [pytest.mark.slow, pytest.mark.date_sensitive]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli")
    db = home / "demo.sqlite3"
    assert run(["--db", str(db), "demo"], home).returncode == 0
    return db


def clerk(db: Path, *args: str, lang: str = "zh_CN") -> tuple[int, str, str]:
    result = run(["--lang", lang, "--db", str(db), "--user", "wenshu", *args], db.parent, password="demo1234")
    return result.returncode, result.stdout, result.stderr


def _rows(out: str) -> list[list[str]]:
    return [line.split("\t") for line in out.splitlines()]


def _busiest_year(db: Path) -> int:
    _code, out, _err = clerk(db, "list", "ceremonies")
    return Counter(date.fromisoformat(r[3]).year for r in _rows(out)).most_common(1)[0][0]


def test_list_ceremonies_is_tab_separated_with_over_cap_items(demo_db: Path) -> None:
    code, out, err = clerk(demo_db, "list", "ceremonies")
    assert code == 0, err
    rows = _rows(out)
    assert len(rows) >= 20 and all(len(r) == 6 for r in rows)
    assert {"已报备", "已监督", "已回访", "已结案", "已取消"} <= {r[4] for r in rows}
    assert {"婚事", "丧事"} <= {r[1] for r in rows}
    assert any("桌数" in r[5] for r in rows) and any(r[5] == "" for r in rows)
    days = [date.fromisoformat(r[3]) for r in rows]
    today = clock.today()
    assert today - timedelta(days=365) <= min(days) and max(days) <= today + timedelta(days=30)
    assert days == sorted(days, reverse=True)  # newest first
    # --year: the ceremonies of that year, and only those.
    year = _busiest_year(demo_db)
    code, out, err = clerk(demo_db, "list", "ceremonies", "--year", str(year))
    assert code == 0, err
    of_year = _rows(out)
    assert len(of_year) == sum(d.year == year for d in days) >= 10
    assert all(date.fromisoformat(r[3]).year == year for r in of_year)
    _code, english, _err = clerk(demo_db, "list", "ceremonies", lang="en")
    assert "Wedding" in english and "Ceremony closed" in english
    _code, other_year, _err = clerk(demo_db, "list", "ceremonies", "--year", "1999")
    assert other_year == ""


def test_print_a_ceremony_and_the_years_summary(demo_db: Path, tmp_path: Path) -> None:
    _code, out, _err = clerk(demo_db, "list", "ceremonies")
    first = out.splitlines()[-1].split("\t")[0]
    form = tmp_path / "form.pdf"
    code, _out, err = clerk(demo_db, "print", "ceremony", first, "-o", str(form))
    assert code == 0, err
    text = PdfReader(form).pages[0].extract_text()
    assert "红白事报备登记表" in text and "红白备字第1号" in text
    summary = tmp_path / "summary.pdf"
    year = str(_busiest_year(demo_db))
    code, _out, err = clerk(demo_db, "print", "ceremony-summary", "--year", year, "-o", str(summary))
    assert code == 0, err
    reader = PdfReader(summary)
    assert f"{year}年度红白事办理情况报告" in reader.pages[0].extract_text() and len(reader.pages) >= 2
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4


def test_a_year_with_no_ceremony_has_no_summary_to_print(demo_db: Path, tmp_path: Path) -> None:
    """Issue 16: `print ceremony-summary --year 1999` printed three pages of zeros without a word."""
    out = tmp_path / "1999.pdf"
    code, _out, err = clerk(demo_db, "print", "ceremony-summary", "--year", "1999", "-o", str(out))
    assert code == 2 and "1999年没有报备的红白事" in err and "没有可汇总的内容" in err
    assert "Traceback" not in err and not out.exists()
    code, _out, err = clerk(demo_db, "print", "ceremony-summary", "--year", "1999", "-o", str(out), lang="en")
    assert code == 2 and "nothing to summarise" in err and not out.exists()


def test_a_yearly_paper_takes_a_year_and_a_record_its_number(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    code, _out, err = clerk(demo_db, "print", "ceremony-summary", "7", "-o", str(out))
    assert code == 2 and "--year" in err and "Traceback" not in err
    code, _out, err = clerk(demo_db, "print", "ceremony", "-o", str(out))
    assert code == 2 and "print ceremony" in err and "Traceback" not in err
    code, _out, err = clerk(demo_db, "print", "ceremony-follow-up", "9999", "-o", str(out))
    assert code == 2 and "不存在" in err
    assert not out.exists()
