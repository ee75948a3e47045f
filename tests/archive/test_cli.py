"""`villagegov archive …` end to end: export, key, reviewer, register, import (twice), review."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from villagegov.cli import main
from villagegov.schema import close_store, open_store

from .conftest import PASSWORD, YEAR, fill_village


def test_the_whole_path_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    village_db = tmp_path / "village.sqlite3"
    db = open_store(village_db)
    fill_village("青石村", notices_count=2)
    close_store(db)
    monkeypatch.setenv("VILLAGEGOV_PASSWORD", PASSWORD)
    package = tmp_path / f"青石村-{YEAR}.zip"
    village = ["--db", str(village_db), "--user", "wenshu", "archive"]
    assert main([*village, "export", "--year", str(YEAR), "-o", str(package)]) == 0
    assert "已导出" in capsys.readouterr().out and package.is_file()
    assert main([*village, "key", "-o", str(tmp_path / "key.json")]) == 0
    fingerprint = capsys.readouterr().out.splitlines()[0].split("：")[-1]

    township_db = tmp_path / "township.sqlite3"
    monkeypatch.setenv("VILLAGEGOV_NEW_PASSWORD", "shenhe-1234")
    assert main(["--db", str(township_db), "archive", "reviewer", "shenhe", "--name", "赵审查"]) == 0
    monkeypatch.setenv("VILLAGEGOV_PASSWORD", "shenhe-1234")
    township = ["--db", str(township_db), "--user", "shenhe", "archive"]
    assert main([*township, "import", str(package)]) == 1  # no key registered yet: refused, named
    assert "尚未登记密钥" in capsys.readouterr().err
    assert main([*township, "register", str(tmp_path / "key.json"), "--fingerprint", "1234"]) == 2
    assert "指纹" in capsys.readouterr().err
    assert main([*township, "register", str(tmp_path / "key.json"), "--fingerprint", fingerprint]) == 0
    assert main([*township, "import", str(package)]) == 0
    assert main([*township, "import", str(package)]) == 0
    out = capsys.readouterr().out
    assert "已导入青石村" in out and "已导入过，没有任何改动" in out
    review = tmp_path / "review.pdf"
    assert main([*township, "review", "--year", str(YEAR), "-o", str(review)]) == 0
    text = "".join(page.extract_text() for page in PdfReader(review).pages)
    assert "柳溪镇" in text and "青石村" in text and "审查意见" in text
    # A village's clerk cannot import into the township's records.
    monkeypatch.setenv("VILLAGEGOV_PASSWORD", PASSWORD)
    assert main([*village, "import", str(package)]) == 2
