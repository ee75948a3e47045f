"""The program's log file: what it did and its errors, never an ID-card number, a phone or a password."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.cli.test_cli import run, set_up
from villagegov.core import logs
from villagegov.core.privacy import make_id_number

ID = make_id_number("110105", date(1949, 12, 31), 2)  # 11010519491231002X
PHONE = "13812345678"
# Every spelling of the two numbers that must never reach the file.
SPELLINGS = [
    ID,
    ID.lower(),
    f"{ID[:6]} {ID[6:14]} {ID[14:]}",
    f"{ID[:6]}-{ID[6:14]}-{ID[14:]}",
    " ".join(ID[i : i + 4] for i in range(0, 18, 4)),
    ID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")),
    PHONE,
    "138 1234 5678",
    "138-1234-5678",
    "+86 138 1234 5678",
    "+8613812345678",
    "(+86)13812345678",
    "１３８１２３４５６７８",
]


def digits_of(text: str) -> str:
    return "".join(
        c for c in text.translate(str.maketrans("０１２３４５６７８９", "0123456789")) if c.isdigit()
    )


@pytest.fixture
def log_file(isolated_home: Path) -> Path:
    logs.start("test")  # closed by isolated_home (tests/conftest.py)
    return isolated_home / "logs" / logs.FILE_NAME


def read(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def assert_no_personal_numbers(text: str) -> None:
    for spelling in SPELLINGS:
        assert spelling not in text, spelling


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_is_masked_in_message_arguments_and_traceback(log_file: Path, spelling: str) -> None:
    log = logging.getLogger("villagegov.roster.service")
    log.info("villager with %s added", spelling)
    log.warning(f"written into the message itself: {spelling}")
    log.info("a phone as a number argument: %d", int(PHONE))
    try:
        try:
            raise KeyError(f"no villager {spelling}")
        except KeyError as inner:
            raise RuntimeError(f"import failed at {spelling}") from inner
    except RuntimeError as exc:
        logs.log_unexpected(exc, f"the roster's import of {spelling}")
    text = read(log_file)
    assert_no_personal_numbers(text)
    assert "Traceback (most recent call last)" in text and "RuntimeError: import failed at" in text
    assert "KeyError" in text and "The above exception was the direct cause" in text
    assert text.count("****") >= 5  # each place kept its masked number, not nothing


def test_the_masked_number_keeps_its_ends_as_on_public_paper(log_file: Path) -> None:
    logging.getLogger("villagegov").info("id %s phone %s", ID, PHONE)
    assert "id 110105********002X phone 138****5678" in read(log_file)


def test_a_database_address_is_logged_without_its_password(log_file: Path) -> None:
    logs.log.info("opened %s", "postgresql://villagegov:s3cret-pw@127.0.0.1:5432/township")
    text = read(log_file)
    assert "s3cret-pw" not in text and "postgresql://villagegov:***@127.0.0.1:5432/township" in text


def test_the_start_is_held_until_the_file_opens(isolated_home: Path) -> None:
    """The window's start: nothing is written before its first frame, then all of it in order."""
    path = isolated_home / "logs" / logs.FILE_NAME
    logs.start("window", defer_file=True)
    logs.log.info("signed in: wenshu (clerk) %s", PHONE)
    assert not path.exists()
    assert logs.open_file() == path
    lines = read(path).splitlines()
    assert "starts: window" in lines[0] and "signed in: wenshu (clerk) 138****5678" in lines[1]
    logs.log.info("after the first frame")
    assert "after the first frame" in read(path).splitlines()[2]


def test_the_file_turns_over_at_a_megabyte_and_keeps_five(log_file: Path) -> None:
    line = "录入村民 " + "x" * 990
    for _ in range(7_000):  # about 7 MB
        logs.log.info(line)
    files = sorted(p.name for p in log_file.parent.iterdir())
    assert files == [logs.FILE_NAME] + [f"{logs.FILE_NAME}.{n}" for n in range(1, 6)]
    assert all(p.stat().st_size <= logs.MAX_BYTES for p in log_file.parent.iterdir())
    assert "录入村民" in (log_file.parent / f"{logs.FILE_NAME}.5").read_text(encoding="utf-8")


def test_a_command_logs_its_start_the_sign_in_and_each_write_but_no_personal_data(tmp_path: Path) -> None:
    """A real run of the program: the roster's import writes villagers with their ID numbers and
    phones (the audit entries hold them); the log says who imported what, with neither."""
    db = tmp_path / "v.sqlite3"
    set_up(db)
    roster = tmp_path / "r.csv"
    roster.write_text(
        f"村民小组,户号,与户主关系,姓名,身份证号,联系电话\n第一村民小组,01-001,户主,王大山,{ID},{PHONE}\n",
        encoding="utf-8",
    )
    done = run(["--db", str(db), "--user", "wenshu", "import", "roster", str(roster)], tmp_path, "mima-1234")
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "logs" / logs.FILE_NAME).read_text(encoding="utf-8")
    assert "starts: import" in text and "signed in: wenshu (clerk)" in text
    assert "import villager 1 by wenshu" in text
    assert_no_personal_numbers(text)
    assert "mima-1234" not in text and "王大山" not in text


def test_a_refused_sign_in_never_logs_the_name_typed(tmp_path: Path) -> None:
    """A password typed into the name box must not end up in the log."""
    db = tmp_path / "v.sqlite3"
    set_up(db)
    done = run(["--db", str(db), "--user", "mima-1234", "list", "notices"], tmp_path, "mima-1234")
    assert done.returncode == 2
    text = (tmp_path / "logs" / logs.FILE_NAME).read_text(encoding="utf-8")
    assert "sign-in refused for an unknown user name" in text and "mima-1234" not in text


BROKEN_COMMAND = f"""
import sys
from villagegov import cli

def list_rows(actor, year):
    raise RuntimeError("villager {ID} phone {PHONE} is broken")

cli.LISTERS["notices"] = "__main__:list_rows"
sys.exit(cli.main(sys.argv[1:]))
"""


def test_an_unexpected_error_in_a_command_is_a_message_and_a_logged_traceback(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite3"
    set_up(db)
    env = {**os.environ, "VILLAGEGOV_HOME": str(tmp_path), "VILLAGEGOV_PASSWORD": "mima-1234"}
    done = subprocess.run(
        [sys.executable, "-c", BROKEN_COMMAND, "--db", str(db), "--user", "wenshu", "list", "notices"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == logs.EXIT_UNEXPECTED
    folder = tmp_path / "logs"
    assert (
        "出现意外错误（命令 list）：RuntimeError: villager 110105********002X phone 138****5678"
        in done.stderr
    )
    assert str(folder) in done.stderr and "Traceback" not in done.stderr
    text = (folder / logs.FILE_NAME).read_text(encoding="utf-8")
    assert "ERROR" in text and "Traceback (most recent call last)" in text and "in list_rows" in text
    assert_no_personal_numbers(text)
