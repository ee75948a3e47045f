"""The command line as a user runs it: a real process, real files, stderr and exit codes."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfReader

from villagegov import __version__
from villagegov.core import clock
from villagegov.core.privacy import make_id_number


def run(
    args: list[str], home: Path, password: str | None = None, **extra_env: str
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VILLAGEGOV_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **extra_env}
    env.pop("VILLAGEGOV_PASSWORD", None)
    if password is not None:
        env["VILLAGEGOV_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "villagegov", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def set_up(db: Path) -> None:
    code = (
        "import sys\nfrom villagegov.schema import open_store\nfrom villagegov.accounts import service as a\n"
        "from villagegov.roster import service as r\n"
        f"open_store({str(db)!r})\n"
        "c = a.set_up('青石村', '柳溪镇', '安平县', 'wenshu', '李文书', 'mima-1234', 'mima-1234')\n"
        "r.add_group(c, '第一村民小组')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_help_is_chinese_by_default_and_english_on_request(tmp_path: Path) -> None:
    zh = run(["--help"], tmp_path)
    assert zh.returncode == 0
    assert "用法" in zh.stdout and "检查数据库" in zh.stdout
    en = run(["--lang", "en", "--help"], tmp_path)
    assert en.returncode == 0 and "usage:" in en.stdout and "check the database" in en.stdout


def test_a_user_mistake_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = run(["--db", str(tmp_path / "no" / "such" / "folder.sqlite3"), "check"], tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "不存在" in result.stderr
    db = tmp_path / "x.sqlite3"
    set_up(db)
    result = run(["--lang", "en", "--db", str(db), "import", "roster", "missing.xlsx"], tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "--user" in result.stderr


def test_import_roster_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite3"
    set_up(db)
    book = Workbook()
    book.active.append(["村民小组", "户号", "与户主关系", "姓名", "身份证号"])
    book.active.append(
        ["第一村民小组", "01-001", "户主", "王大山", make_id_number("411421", date(1970, 3, 7), 11)]
    )
    book.active.append(["第一村民小组", "01-001", "配偶", "李秀英", "411421197205090000"])
    roster = tmp_path / "r.xlsx"
    book.save(roster)
    wrong = run(
        ["--db", str(db), "--user", "wenshu", "import", "roster", str(roster)], tmp_path, "bad-password"
    )
    assert wrong.returncode == 2 and "用户名或密码不正确" in wrong.stderr
    bad = run(["--db", str(db), "--user", "wenshu", "import", "roster", str(roster)], tmp_path, "mima-1234")
    assert bad.returncode == 1 and "第 3 行" in bad.stderr.replace("第3行", "第 3 行")
    book.active.delete_rows(3)
    book.save(roster)
    good = run(["--db", str(db), "--user", "wenshu", "import", "roster", str(roster)], tmp_path, "mima-1234")
    assert good.returncode == 0, good.stderr
    out = tmp_path / "out.xlsx"
    exported = run(["--db", str(db), "--user", "wenshu", "export", "roster", str(out)], tmp_path, "mima-1234")
    assert exported.returncode == 0 and out.exists()


def test_screenshot_renders_the_window(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    db = tmp_path / "v.sqlite3"
    set_up(db)
    png = tmp_path / "shot.png"
    result = run(["--db", str(db), "screenshot", "--room", "roster", str(png)], tmp_path)
    assert result.returncode == 0, result.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1280, 800)


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_screenshot_on_an_empty_database_says_what_to_do(tmp_path: Path, lang: str) -> None:
    result = run(
        ["--lang", lang, "--db", str(tmp_path / "empty.sqlite3"), "screenshot", str(tmp_path / "s.png")],
        tmp_path,
    )
    assert result.returncode == 2 and "demo" in result.stderr and "Traceback" not in result.stderr


def test_check_reports_a_damaged_file_and_never_writes_to_it(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite3"
    set_up(db)
    healthy = run(["--db", str(db), "check"], tmp_path)
    assert healthy.returncode == 0, healthy.stderr
    assert "没有发现问题" in healthy.stdout

    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(db.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle : middle + 3 * 4096] = random.Random(7).randbytes(3 * 4096)
    damaged.write_bytes(bytes(data))
    text = tmp_path / "notes.sqlite3"
    text.write_text("这不是数据库，只是一份记事。\n" * 200, encoding="utf-8")
    for path in (damaged, text):
        before = path.read_bytes()
        result = run(["--db", str(path), "check"], tmp_path)
        assert result.returncode == 1, (path, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr == ""
        assert "损坏" in result.stdout and str(path) in result.stdout
        assert path.read_bytes() == before  # checked read-only: no WAL switch, no migration


def test_check_on_a_missing_file_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sqlite3"
    result = run(["--db", str(missing), "check"], tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "不存在" in result.stderr and str(missing) in result.stderr
    assert not missing.exists()


def test_version_speaks_the_users_language(tmp_path: Path) -> None:
    zh = run(["--version"], tmp_path)
    assert zh.returncode == 0 and "村务记录" in zh.stdout and __version__ in zh.stdout
    assert "villagegov" not in zh.stdout
    en = run(["--lang", "en", "--version"], tmp_path)
    assert en.returncode == 0 and en.stdout.strip() == f"villagegov version {__version__}"


def test_version_text_goes_through_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_demo import pseudo_translated, untranslated_words
    from villagegov import cli

    pseudo_translated(monkeypatch)
    assert untranslated_words(cli.version_text(), data=(__version__,)) == []


def test_an_unknown_language_in_the_environment_is_not_a_traceback(tmp_path: Path) -> None:
    result = run(["--help"], tmp_path, VILLAGEGOV_LANG="fr")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "用法" in result.stdout


def test_counts_in_import_messages_are_singular_for_one(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite3"
    set_up(db)
    book = Workbook()
    book.active.append(["村民小组", "户号", "与户主关系", "姓名", "身份证号"])
    book.active.append(
        ["第一村民小组", "01-001", "户主", "王大山", make_id_number("411421", date(1970, 3, 7), 11)]
    )
    roster = tmp_path / "r.xlsx"
    book.save(roster)
    args = ["--lang", "en", "--db", str(db), "--user", "wenshu", "import", "roster", str(roster)]
    dry = run([*args, "--dry-run"], tmp_path, "mima-1234")
    assert dry.returncode == 0 and "1 villager can be imported" in dry.stdout, dry.stderr
    done = run(args, tmp_path, "mima-1234")
    assert done.returncode == 0 and "Imported 1 villager in 1 new household." in done.stdout, done.stderr


def test_list_and_print_notices_from_the_demo_village(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    assert run(["--db", str(db), "demo"], tmp_path).returncode == 0
    listed = run(["--db", str(db), "--user", "wenshu", "list", "notices"], tmp_path, password="demo1234")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert len(rows) >= 30 and all(len(r) == 8 for r in rows)
    states = {r[5] for r in rows}
    assert {"草稿", "已张贴", "已撤下", "已被更正"} <= states
    assert {r[2] for r in rows} == {"党务公开", "村务公开", "财务公开"}
    posted = next(r for r in rows if r[3] == "公示" and r[6] and r[7])
    assert posted[1].startswith("〔") and posted[1].endswith("号")
    assert date.fromisoformat(posted[7]) >= date.fromisoformat(posted[6])
    this_year = run(
        ["--db", str(db), "--user", "wenshu", "list", "notices", "--year", str(clock.today().year)],
        tmp_path,
        password="demo1234",
    )
    assert 0 < len(this_year.stdout.splitlines()) < len(rows)

    pdf = tmp_path / "notice.pdf"
    printed = run(
        ["--db", str(db), "--user", "wenshu", "print", "notice", posted[0], "--paper", "a3", "-o", str(pdf)],
        tmp_path,
        password="demo1234",
    )
    assert printed.returncode == 0, printed.stderr
    from pypdf import PdfReader

    page = PdfReader(pdf).pages[0]
    assert round(float(page.mediabox.width)) == 842  # A3
    assert posted[1] in page.extract_text()


def test_reading_needs_a_user_and_a_missing_notice_is_a_message(tmp_path: Path) -> None:
    db = tmp_path / "v.sqlite3"
    set_up(db)
    anonymous = run(["--db", str(db), "list", "notices"], tmp_path)
    assert anonymous.returncode == 2 and "--user" in anonymous.stderr
    missing = run(
        ["--db", str(db), "--user", "wenshu", "print", "notice", "999", "-o", str(tmp_path / "x.pdf")],
        tmp_path,
        password="mima-1234",
    )
    assert missing.returncode == 2 and "不存在" in missing.stderr and "Traceback" not in missing.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_list_meetings_and_print_the_councils_papers_from_the_demo_village(tmp_path: Path) -> None:
    from pypdf import PdfReader

    db = tmp_path / "demo.sqlite3"
    assert run(["--db", str(db), "demo"], tmp_path).returncode == 0
    user = ["--db", str(db), "--user", "wenshu"]
    listed = run([*user, "list", "meetings"], tmp_path, password="demo1234")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert len(rows) >= 9 and all(len(r) == 8 for r in rows)
    # id, number, date, state, expected, present, items, resolutions
    assert {"筹备中", "已召开", "流会（未达到规定人数）", "已签字确认"} <= {r[3] for r in rows}
    dates = [date.fromisoformat(r[2]) for r in rows]
    assert dates == sorted(dates, reverse=True)
    not_held = next(r for r in rows if r[3].startswith("流会"))
    assert int(not_held[5]) < int(not_held[4]) and not_held[7] == "0"
    final = next(r for r in rows if r[3] == "已签字确认" and int(r[7]) > 0)
    year = run([*user, "--lang", "en", "list", "meetings", "--year", final[2][:4]], tmp_path, "demo1234")
    assert {line.split("\t")[2][:4] for line in year.stdout.splitlines()} == {final[2][:4]}
    assert "Finalised" in year.stdout

    minutes = tmp_path / "minutes.pdf"
    printed = run([*user, "print", "minutes", final[0], "-o", str(minutes)], tmp_path, "demo1234")
    assert printed.returncode == 0, printed.stderr
    text = "".join(p.extract_text() for p in PdfReader(minutes).pages).replace("\n", "")
    assert f"第{final[1]}次会议记录" in text and f"实到{final[5]}人" in text and "表决结果" in text

    resolutions = run([*user, "list", "resolutions"], tmp_path, "demo1234")
    first = resolutions.stdout.splitlines()[0].split("\t")
    assert first[1].startswith("〔") and "议字第" in first[1]
    paper = tmp_path / "resolution.pdf"
    printed = run(
        [*user, "print", "resolution", first[0], "--paper", "a3", "-o", str(paper)], tmp_path, "demo1234"
    )
    assert printed.returncode == 0, printed.stderr
    page = PdfReader(paper).pages[0]
    assert round(float(page.mediabox.width)) == 842 and first[1] in page.extract_text()

    planned = next(r for r in rows if r[3] == "筹备中")
    for kind, words in (("meeting-notice", "的通知"), ("sign-in-sheet", "签到表")):
        out = tmp_path / f"{kind}.pdf"
        printed = run([*user, "print", kind, planned[0], "-o", str(out)], tmp_path, "demo1234")
        assert printed.returncode == 0, printed.stderr
        assert words in PdfReader(out).pages[0].extract_text().replace("\n", "")

    missing = run([*user, "--lang", "en", "print", "minutes", "999", "-o", str(tmp_path / "x.pdf")], tmp_path,
                  "demo1234")  # fmt: skip
    assert missing.returncode == 2 and "That meeting does not exist." in missing.stderr
    assert "Traceback" not in missing.stderr and not (tmp_path / "x.pdf").exists()


# --- backup and restore need a signed-in clerk or secretary; a restore is audited ---------------------------


def _add_supervisor(db: Path) -> None:
    code = (
        "from villagegov.schema import open_store\nfrom villagegov.accounts import service as a\n"
        f"open_store({str(db)!r})\n"
        "c = a.sign_in('wenshu', 'mima-1234')\n"
        "a.create_user(c, 'jianwei', '赵监委', 'supervisor', 'mima-5678')\n"
        "a.create_user(c, 'shuji', '王书记', 'secretary', 'mima-9012')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_backup_and_restore_need_the_signed_in_secretary_and_a_restore_is_audited(tmp_path: Path) -> None:
    import json
    import sqlite3

    db = tmp_path / "v.sqlite3"
    set_up(db)
    _add_supervisor(db)
    beside = tmp_path / "backups"

    anonymous = run(["--lang", "en", "--db", str(db), "backup"], tmp_path)
    assert anonymous.returncode == 2 and "--user" in anonymous.stderr
    assert not beside.exists() or not any(beside.iterdir())
    supervisor = run(["--db", str(db), "--user", "jianwei", "backup"], tmp_path, "mima-5678")
    assert supervisor.returncode == 2 and "只有党支部书记" in supervisor.stderr
    clerk = run(["--db", str(db), "--user", "wenshu", "backup"], tmp_path, "mima-1234")
    assert clerk.returncode == 2 and "只有党支部书记" in clerk.stderr and "文书" in clerk.stderr
    made = run(["--db", str(db), "--user", "shuji", "backup"], tmp_path, "mima-9012")
    assert made.returncode == 0, made.stderr
    backups = sorted(beside.iterdir())  # beside the database given by --db, not in the data folder
    assert len(backups) == 1 and str(backups[0]) in made.stdout
    assert not (tmp_path / "data" / "backups").exists() or not any((tmp_path / "data" / "backups").iterdir())

    refused = run(["--lang", "en", "--db", str(db), "restore", str(backups[0])], tmp_path)
    assert refused.returncode == 2 and "--user" in refused.stderr
    refused = run(["--db", str(db), "--user", "wenshu", "restore", str(backups[0])], tmp_path, "mima-1234")
    assert refused.returncode == 2 and "只有党支部书记" in refused.stderr
    restored = run(["--db", str(db), "--user", "shuji", "restore", str(backups[0])], tmp_path, "mima-9012")
    assert restored.returncode == 0, restored.stderr
    conn = sqlite3.connect(db)
    actor, action, after = conn.execute(
        "SELECT actor, action, after FROM audit_entry ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    conn.close()
    assert (actor, action) == ("shuji", "restore")
    said = json.loads(after)
    assert said["file"] == str(backups[0].resolve()) and said["safety_backup"].startswith(
        str(beside.resolve())
    )
    assert run(["--db", str(db), "check"], tmp_path).returncode == 0


def test_a_head_record_from_the_command_line_is_checked_against_the_chain(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "v.sqlite3"
    set_up(db)
    paper = tmp_path / "链头记录.pdf"
    made = run(
        ["--db", str(db), "--user", "wenshu", "archive", "head", "-o", str(paper)], tmp_path, "mima-1234"
    )
    assert made.returncode == 0, made.stderr
    record = paper.with_suffix(".json")
    assert paper.exists() and record.exists() and str(record) in made.stdout
    text = "".join(page.extract_text() for page in PdfReader(paper).pages)
    assert "青石村村务操作日志链头记录" in text and "签字" in text

    held = run(["--lang", "en", "--db", str(db), "check", "--head", str(record)], tmp_path)
    assert held.returncode == 0, held.stdout + held.stderr
    assert "The chain holds the head record of" in held.stdout
    conn = sqlite3.connect(db)  # the last entry (the group) and its group deleted, the guard put back
    conn.execute("DROP TRIGGER audit_entry_no_delete")
    conn.execute("DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry)")
    conn.execute("DELETE FROM villager_group")
    conn.execute("CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
                 "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")  # fmt: skip
    conn.commit()
    conn.close()
    assert run(["--db", str(db), "check"], tmp_path).returncode == 0  # the chain alone cannot tell
    found = run(["--lang", "en", "--db", str(db), "check", "--head", str(record)], tmp_path)
    assert found.returncode == 1 and "entries were deleted" in found.stdout
    junk = tmp_path / "junk.json"
    junk.write_text("{}", "utf-8")
    refused = run(["--lang", "en", "--db", str(db), "check", "--head", str(junk)], tmp_path)
    assert (
        refused.returncode == 2
        and "not a head record" in refused.stderr
        and "Traceback" not in refused.stderr
    )


@pytest.mark.skipif(os.name != "posix", reason="Windows keeps the database in the user's own profile")
def test_a_database_others_could_read_is_made_private_and_the_clerk_is_told(tmp_path: Path) -> None:
    import stat

    db = tmp_path / "v.sqlite3"
    set_up(db)
    os.chmod(db, 0o644)
    result = run(
        ["--lang", "en", "--db", str(db), "--user", "wenshu", "list", "notices"], tmp_path, "mima-1234"
    )
    assert result.returncode == 0, result.stderr
    assert (
        f"{db} could be read by other users of this computer; it is now readable by you alone."
        in result.stderr
    )
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    again = run(["--db", str(db), "--user", "wenshu", "list", "notices"], tmp_path, "mima-1234")
    assert again.stderr == ""
