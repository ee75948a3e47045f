"""The command line without traps (issue 16, items 2 and 5): a real process each time, as a user runs it."""

from __future__ import annotations

import argparse
import inspect
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from tests.cli.test_cli import run, set_up
from tests.conftest import PG_URL, _reset_postgres
from villagegov.core.privacy import make_id_number

NEW = {"VILLAGEGOV_NEW_PASSWORD": "mima-1234"}
INIT = ["init", "--village", "青石村", "--township", "柳溪镇", "--county", "安平县", "--username", "wenshu",
        "--name", "李文书"]  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo village for the tests that only read it."""
    home = tmp_path_factory.mktemp("demo")
    db = home / "demo.sqlite3"
    done = run(["--db", str(db), "demo"], home)
    assert done.returncode == 0, done.stderr
    return db


# --- a database is made only where one is asked for ----------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["--user", "wenshu", "list", "meetings"],
        ["backup"],
        ["restore", "@backup.sqlite3"],
        ["--user", "wenshu", "print", "notice", "1", "-o", "@x.pdf"],
        ["--user", "wenshu", "export", "roster", "@r.xlsx"],
        ["--user", "wenshu", "import", "roster", "r.xlsx"],
        ["--user", "wenshu", "archive", "key"],
        ["--user", "shenhe", "archive", "reviewer", "other", "--name", "钱审查"],
        ["screenshot", "@shot.png"],
    ],
)
def test_a_command_on_a_missing_database_says_so_and_creates_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "nope.db"
    command = [part.replace("@", f"{tmp_path}/") for part in command]  # files beside it, none written
    result = run(["--db", str(missing), *command], tmp_path / "home", password="mima-1234")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "不存在" in result.stderr and str(missing) in result.stderr and "villagegov init" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == []  # not even a -wal file


def test_the_default_database_is_not_made_by_a_command_either(tmp_path: Path) -> None:
    result = run(["--user", "wenshu", "list", "notices"], tmp_path, password="mima-1234")
    assert result.returncode == 2 and "不存在" in result.stderr
    assert not list(tmp_path.rglob("*.sqlite3*"))


def test_an_empty_file_left_by_an_older_version_counts_as_missing(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    result = run(["--db", str(empty), "--user", "wenshu", "list", "notices"], tmp_path, password="mima-1234")
    assert result.returncode == 2 and "不存在" in result.stderr and "用户名或密码" not in result.stderr
    assert empty.read_bytes() == b""


@pytest.mark.postgres
def test_a_server_database_never_set_up_is_refused_and_left_empty(tmp_path: Path) -> None:
    if not PG_URL:
        pytest.skip("no PostgreSQL server (set VILLAGEGOV_TEST_PG)")
    _reset_postgres(PG_URL)
    result = run(["--db", PG_URL, "--user", "shenhe", "archive", "review", "-o", str(tmp_path / "r.pdf")],
                 tmp_path, password="x")  # fmt: skip
    assert result.returncode == 2 and "villagegov init" in result.stderr
    assert ":villagegov@" not in result.stderr  # the password of the address is not repeated
    from playhouse.db_url import connect

    db = connect(PG_URL)
    assert db.get_tables() == []
    db.close()


# --- init ----------------------------------------------------------------------------------------------


def test_init_sets_up_a_village_for_scripts(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite3"
    done = run(["--db", str(db), *INIT, "--role", "secretary"], tmp_path, **NEW)
    assert done.returncode == 0, done.stderr
    assert "青石村" in done.stdout and "wenshu" in done.stdout
    # The first user signs in with the password given, as the window's first run would have it.
    listed = run(["--db", str(db), "--user", "wenshu", "list", "notices"], tmp_path, password="mima-1234")
    assert listed.returncode == 0 and listed.stdout == "", listed.stderr
    check = run(["--db", str(db), "check"], tmp_path)
    assert check.returncode == 0, check.stdout
    # A database already set up is refused, and left as it was.
    before = db.read_bytes()
    again = run(["--db", str(db), *INIT], tmp_path, **NEW)
    assert again.returncode == 2 and "已经设置过" in again.stderr
    assert db.read_bytes() == before


def test_init_without_a_terminal_names_the_variable_and_leaves_no_database(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite3"
    result = run(["--db", str(db), *INIT], tmp_path / "home")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "VILLAGEGOV_NEW_PASSWORD" in result.stderr
    assert not db.exists()
    short = run(["--db", str(db), *INIT], tmp_path / "home", VILLAGEGOV_NEW_PASSWORD="1234")
    assert short.returncode == 2 and "密码" in short.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == []


def test_the_first_reviewer_without_a_terminal_is_a_message_not_an_eof_error(tmp_path: Path) -> None:
    township = tmp_path / "township.sqlite3"
    result = run(["--db", str(township), "archive", "reviewer", "shenhe", "--name", "赵审查"], tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr and "EOFError" not in result.stderr
    assert "VILLAGEGOV_NEW_PASSWORD" in result.stderr
    assert not township.exists()
    done = run(["--db", str(township), "archive", "reviewer", "shenhe", "--name", "赵审查"], tmp_path, **NEW)
    assert done.returncode == 0, done.stderr


def test_signing_in_without_a_terminal_names_the_variable(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite3"
    set_up(db)
    result = run(["--db", str(db), "--user", "wenshu", "list", "notices"], tmp_path)
    assert (
        result.returncode == 2 and "VILLAGEGOV_PASSWORD" in result.stderr and "Traceback" not in result.stderr
    )


# --- importing a roster whose groups do not exist yet ----------------------------------------------------


def roster_file(path: Path, *extra: list[object]) -> Path:
    book = Workbook()
    book.active.append(["村民小组", "户号", "与户主关系", "姓名", "身份证号"])
    book.active.append(
        ["第一村民小组", "01-001", "户主", "王大山", make_id_number("411421", date(1970, 3, 7), 11)]
    )
    book.active.append(
        ["第二村民小组", "02-001", "户主", "李秀英", make_id_number("411421", date(1972, 5, 9), 22)]
    )
    book.active.append(
        ["第二村民小组", "02-001", "子", "李小明", make_id_number("411421", date(1998, 8, 1), 31)]
    )
    for row in extra:
        book.active.append(row)
    book.save(path)
    return path


def test_import_makes_the_groups_and_households_it_names_after_saying_so(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite3"
    assert run(["--db", str(db), *INIT], tmp_path, **NEW).returncode == 0  # a new village: no groups
    user = ["--db", str(db), "--user", "wenshu"]
    # A refused row: what would be made is listed beside it, and nothing is written.
    bad = roster_file(tmp_path / "bad.xlsx", ["第三村民小组", "03-001", "户主", "赵六", "411421"])
    refused = run([*user, "import", "roster", str(bad)], tmp_path, "mima-1234")
    assert refused.returncode == 1, refused.stderr
    assert "新建村民小组：第一村民小组" in refused.stdout and "新建村民小组：第二村民小组" in refused.stdout
    assert "新建户：第二村民小组 02-001，户主 李秀英" in refused.stdout
    assert (
        "第 5 行" in refused.stderr and "[身份证号]" in refused.stderr and "未导入任何数据" in refused.stderr
    )
    assert "村民小组" not in refused.stderr  # the groups are no longer refused, row by row
    good = roster_file(tmp_path / "good.xlsx")
    dry = run([*user, "import", "roster", str(good), "--dry-run"], tmp_path, "mima-1234")
    assert dry.returncode == 0 and "新建村民小组：第二村民小组（自第 3 行起；新增 1 户，2 人）" in dry.stdout
    assert "可导入 3 名村民" in dry.stdout, dry.stdout
    done = run([*user, "import", "roster", str(good)], tmp_path, "mima-1234")
    assert done.returncode == 0, done.stderr
    assert "新建了 2 个村民小组" in done.stdout
    again = run([*user, "import", "roster", str(good), "--dry-run"], tmp_path, "mima-1234")
    assert again.returncode == 1 and "新建" not in again.stdout  # made once: the first import wrote them


# --- files written only where the folder exists -------------------------------------------------------


def test_an_output_into_a_missing_folder_is_refused_and_the_folder_not_made(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite3"
    set_up(db)
    missing = tmp_path / "no" / "such"
    commands = [
        ["--user", "wenshu", "print", "notice", "1", "-o", str(missing / "x.pdf")],
        ["--user", "wenshu", "export", "roster", str(missing / "r.xlsx")],
        ["--user", "wenshu", "archive", "key", "-o", str(missing / "key.json")],
        ["backup", "-o", str(missing / "b.sqlite3")],
        ["screenshot", str(missing / "shot.png")],
    ]
    for command in commands:
        result = run(["--db", str(db), *command], tmp_path, password="mima-1234")
        assert result.returncode == 2, (command, result.stderr)
        assert (
            "文件夹" in result.stderr and str(missing) in result.stderr and "Traceback" not in result.stderr
        )
        assert not (tmp_path / "no").exists()
    folder = run(["--db", str(db), "backup", "-o", str(tmp_path)], tmp_path)
    assert folder.returncode == 2 and "是文件夹" in folder.stderr


# --- a closed pipe --------------------------------------------------------------------------------------


def test_a_closed_pipe_ends_quietly(demo_db: Path, tmp_path: Path) -> None:
    """`villagegov list notices | head -1`: the reader is gone before the list is written."""
    env = {**os.environ, "VILLAGEGOV_HOME": str(tmp_path), "VILLAGEGOV_PASSWORD": "demo1234"}
    for command in (["--db", str(demo_db), "--user", "wenshu", "list", "notices"], ["--help"]):
        read_end, write_end = os.pipe()
        os.close(read_end)  # closed before the first line: every write fails
        try:
            done = subprocess.run(
                [sys.executable, "-m", "villagegov", *command],
                stdout=write_end, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, text=True,
                timeout=120,
            )  # fmt: skip
        finally:
            os.close(write_end)
        assert done.stderr == "", done.stderr  # no traceback, not even "Exception ignored"
        assert done.returncode in (0, 141)


# --- argparse in the user's language ------------------------------------------------------------------


def argparse_msgids() -> set[str]:
    """Every message Python's own argparse passes through gettext, read from its source."""
    source = inspect.getsource(argparse)
    found = set(re.findall(r"""\b_\((['"])(.+?)\1\)""", source))
    return {text.encode().decode("unicode_escape") for _quote, text in found}


# Messages argparse gives the program's author, never its user: a parser built wrongly, or FileType,
# which villagegov does not use.
PROGRAMMER_ERRORS = {
    ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    'argument "-" with mode %r', "can't open '%(filename)s': %(error)s",
    "cannot merge actions - two groups are named %r", "'required' is an invalid argument for positionals",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "mutually exclusive arguments must be optional", "cannot have multiple subparser arguments",
    "%r is not callable",
}  # fmt: skip


def test_every_argparse_message_a_user_can_meet_is_marked_and_chinese() -> None:
    from villagegov import cli
    from villagegov.core import i18n

    reachable = argparse_msgids() - PROGRAMMER_ERRORS
    assert "usage: " in reachable and "invalid %(type)s value: %(value)r" in reachable
    # The version's help is argparse's default argument, not passed through gettext: cli passes it.
    assert reachable | {"show program's version number and exit"} == set(cli.ARGPARSE_WORDS)
    i18n.set_language("zh_CN")
    for msgid in reachable:
        assert i18n._(msgid) != msgid, msgid
    assert i18n.ngettext("expected %s argument", "expected %s arguments", 2) == "需要 %s 个参数"


def test_argparse_speaks_chinese_in_help_and_complaints(tmp_path: Path) -> None:
    help_text = run(["--help"], tmp_path).stdout
    assert "显示程序版本号并退出" in help_text and "show program" not in help_text
    for args, words in (
        (["list", "notices", "--year", "abc"], "参数 --year：不是年份"),
        (["--today", "2026-13-01", "check"], "参数 --today：不是日期"),
        (["list", "nothing"], "无效的选择"),
        (["archive", "export", "--year", "x"], "不是年份"),
        (["print", "notice", "1", "2", "-o", "x.pdf"], "无法识别的参数"),
        (["print"], "缺少以下必填参数"),
    ):
        result = run(args, tmp_path)
        assert result.returncode == 2 and words in result.stderr, (args, result.stderr)
        assert not re.search(r"\b(invalid|argument|error|expected|required)\b", result.stderr), result.stderr


# --- print: what its ID is, and resolutions by number ------------------------------------------------


def test_print_help_says_what_each_kinds_id_is(tmp_path: Path) -> None:
    from villagegov import documents
    from villagegov.printing.kinds import YEAR

    help_text = run(["print", "--help"], tmp_path).stdout
    lines = {
        line.split()[0]: line for line in help_text.splitlines() if line.startswith("  ") and line.split()
    }
    assert "list meetings" in lines["minutes"] and "list meetings" in lines["sign-in-sheet"]
    assert "list resolutions" in lines["resolution"] and "议字第6号" in lines["resolution"]
    assert "list notices" in lines["notice-result"] and "list ceremonies" in lines["ceremony-follow-up"]
    for key, kind in documents.kinds().items():
        if kind.subject == YEAR:
            assert "--year" in lines[key], key
        else:
            assert "ID：" in lines[key] and "list " in lines[key], key


def test_resolutions_print_by_their_number_and_say_what_was_printed(demo_db: Path, tmp_path: Path) -> None:
    user = ["--db", str(demo_db), "--user", "wenshu"]
    listed = run([*user, "list", "resolutions"], tmp_path, "demo1234").stdout.splitlines()
    rows = [line.split("\t") for line in listed]
    this_year = next(r for r in rows if r[1].startswith("〔2026〕") and int(r[0]) != int(r[3]))
    number, resolution_id, meeting_id = this_year[1], this_year[0], this_year[3]
    short = number.split("〕")[1]  # 议字第N号
    pdf = tmp_path / "r.pdf"
    for how in ([number], [short, "--year", "2026"], [resolution_id]):
        done = run([*user, "print", "resolution", *how, "-o", str(pdf)], tmp_path, "demo1234")
        assert done.returncode == 0, (how, done.stderr)
        assert number in done.stdout  # the number printed, whatever was typed
        assert number in PdfReader(pdf).pages[0].extract_text()
    # `print resolution 8` and `print minutes 8` name different things: the output says which.
    # (meeting N may be one still planned: then it says so, naming the meeting, not the resolution)
    minutes = run([*user, "print", "minutes", resolution_id, "-o", str(pdf)], tmp_path, "demo1234")
    said = minutes.stdout + minutes.stderr
    assert number not in said
    assert (minutes.returncode == 0 and "会议记录" in said) or (minutes.returncode == 2 and "次会议" in said)
    assert meeting_id != resolution_id
    # 议字第1号 is in two years: which one is asked, not guessed.
    twice = run([*user, "print", "resolution", "议字第1号", "-o", str(pdf)], tmp_path, "demo1234")
    assert (
        twice.returncode == 2 and "〔2025〕议字第1号" in twice.stderr and "〔2026〕议字第1号" in twice.stderr
    )
    none = run([*user, "print", "resolution", "议字第99号", "-o", str(pdf)], tmp_path, "demo1234")
    assert none.returncode == 2 and "议字第99号" in none.stderr
    word = run([*user, "print", "minutes", "第三次", "-o", str(pdf)], tmp_path, "demo1234")
    assert word.returncode == 2 and "list meetings" in word.stderr and "Traceback" not in word.stderr


# --- dates as the screens show them -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [("zh_CN", "2026年1月1日至2026年12月31日"), ("en", "January 1, 2026 to December 31, 2026")],
)
def test_archive_verify_shows_the_period_and_the_export_time_as_the_screens_do(lang: str, words: str) -> None:
    from villagegov.archive import package, rules
    from villagegov.core import i18n

    exported = "2026-12-07T21:38:25.115065+00:00"
    info = package.PackageInfo(
        package_id="x", village="青石村", township="柳溪镇", county="安平县", chain=1,
        period_start="2026-01-01", period_end="2026-12-31", exported_at=exported, exporter="李文书",
        fingerprint="ab12", public_key=b"", segment=rules.ChainSegment("p", exported, 0, "", 0, "", {}),
        record_counts={}, documents=0, personal_data=(),
    )  # fmt: skip
    i18n.set_language(lang)
    line = package.Report(Path("青石村-2026.zip"), info=info).lines()[1]
    assert words in line and "21:38" in line
    assert "T21" not in line and "+00:00" not in line and ".115065" not in line
    if lang == "zh_CN":
        assert "于2026年12月7日 21:38导出" in line
