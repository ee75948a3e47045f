"""Odd and hostile roster files (issue 17, item 5): each is read, or refused with a message that says
what is wrong and where, never a traceback, never a part of the file imported."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from villagegov.core.actor import Actor
from villagegov.core.audit import AuditEntry
from villagegov.core.errors import ValidationError
from villagegov.core.privacy import make_id_number
from villagegov.roster import rules, service
from villagegov.roster.models import Household, Villager, VillagerGroup

HEADER = ["村民小组", "户号", "与户主关系", "姓名", "出生日期", "身份证号", "备注"]
A = make_id_number("411421", date(1970, 3, 7), 11)
B = make_id_number("411421", date(1972, 5, 9), 22)
C = make_id_number("411421", date(1990, 11, 2), 33)


def rows() -> list[list[str]]:
    return [
        ["第一村民小组", "01-001", "户主", "王大山", "1970-03-07", A, ""],
        ["第二村民小组", "02-001", "户主", "李秀英", "", B, "新来的"],
    ]


def write_text(path: Path, table: list[list[str]], encoding: str, delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def imported(actor: Actor) -> dict[str, str]:
    return {v.name: v.group for v in service.list_villagers(actor)}


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("unicode-text.txt", "utf-16", "\t"),  # Excel's "Unicode text": UTF-16LE with a BOM, tabs
        ("no-bom-le.csv", "utf-16-le", ","),
        ("no-bom-be.csv", "utf-16-be", ","),
        ("no-bom-tabs.txt", "utf-16-le", "\t"),
        ("tab-delimited.txt", "gbk", "\t"),  # Excel's "Text (Tab delimited)" on Chinese Windows
    ],
)
def test_utf16_and_excels_tab_separated_text_are_read(
    clerk: Actor, tmp_path: Path, name: str, encoding: str, delimiter: str
) -> None:
    path = write_text(tmp_path / name, [HEADER, *rows()], encoding, delimiter)
    preview = service.preview_import(clerk, path)
    assert preview.ok, preview.problems
    service.apply_import(clerk, preview)
    assert imported(clerk) == {"王大山": "第一村民小组", "李秀英": "第二村民小组"}
    assert service.get_villager(clerk, service.list_villagers(clerk)[1].id).notes == "新来的"


def test_a_huge_cell_is_refused_naming_its_row(clerk: Actor, tmp_path: Path) -> None:
    # Over the csv module's own limit (128 KB): the file cannot be read past it.
    huge = [*rows(), ["第一村民小组", "01-002", "户主", "张三", "", "", "备" * 200_000]]
    with pytest.raises(ValidationError) as err:
        service.preview_import(clerk, write_text(tmp_path / "huge.csv", [HEADER, *huge], "utf-8"))
    assert "第4行" in err.value.message().replace(" ", "")
    # Long but readable: that row is refused, in its column; the others are not.
    long = [*rows(), ["第一村民小组", "01-002", "户主", "张三", "", "", "备" * 5_000]]
    preview = service.preview_import(clerk, write_text(tmp_path / "long.csv", [HEADER, *long], "utf-8"))
    assert [(p.row, p.column) for p in preview.problems] == [(4, "备注")]
    assert "5000" in preview.problems[0].message
    with pytest.raises(ValidationError):
        service.apply_import(clerk, preview)
    assert imported(clerk) == {}


def test_a_folder_and_an_unreadable_file_are_refused(clerk: Actor, tmp_path: Path) -> None:
    folder = tmp_path / "x.csv"
    folder.mkdir()
    with pytest.raises(ValidationError) as err:
        service.preview_import(clerk, folder)
    assert "文件夹" in err.value.message() and "x.csv" in err.value.message()
    # A file the system cannot read (the tests run as root, for whom no permission is missing: a file
    # whose reading fails with an I/O error takes the same way as one Excel holds locked on Windows).
    unreadable = tmp_path / "locked.csv"
    unreadable.symlink_to("/proc/self/mem")
    with pytest.raises(ValidationError) as err:
        service.preview_import(clerk, unreadable)
    assert "无法读取" in err.value.message() and "locked.csv" in err.value.message()


@pytest.mark.parametrize("name", ["\x00\x00\x00", "王\x00大山", "王\u200b大山", "\u202e山大王"])
def test_a_name_with_control_characters_is_refused(clerk: Actor, tmp_path: Path, name: str) -> None:
    table = [*rows(), ["第一村民小组", "01-002", "户主", name, "1980-01-01", "", ""]]
    preview = service.preview_import(clerk, write_text(tmp_path / "r.csv", [HEADER, *table], "utf-8"))
    assert [(p.row, p.column) for p in preview.problems] == [(4, "姓名")]
    assert "控制字符" in preview.problems[0].message and "U+" in preview.problems[0].message


def test_a_seven_digit_date_is_refused_with_both_readings(clerk: Actor, tmp_path: Path) -> None:
    table = [
        ["第一村民小组", "01-001", "户主", "王大山", "1990112", "", ""],  # 1990-11-02 or 1990-01-12
        ["第一村民小组", "01-002", "户主", "王小山", "19901102", C, ""],  # eight digits: one reading
        ["第一村民小组", "01-003", "户主", "王三山", "1990312", "", ""],  # only 1990-03-12, still short
    ]
    preview = service.preview_import(clerk, write_text(tmp_path / "r.csv", [HEADER, *table], "utf-8"))
    problems = {p.row: p for p in preview.problems}
    assert set(problems) == {2, 4} and problems[2].column == "出生日期"
    assert "1990年11月2日" in problems[2].message and "1990年1月12日" in problems[2].message
    assert "1990年3月12日" in problems[4].message
    assert {r.villager.name: r.villager.birth_date for r in preview.rows}["王小山"] == date(1990, 11, 2)


# --- a zip bomb ------------------------------------------------------------------------------------


def write_bomb(path: Path, unpacked_mb: int = 2500) -> Path:
    """A workbook whose shared strings unpack to `unpacked_mb` MB of 'a' from ~1/1000 of that: a real
    one, that openpyxl would unpack whole (its content types name the shared strings)."""
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(rows()[0])
    plain = io.BytesIO()
    book.save(plain)
    prefix = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
    )
    suffix = b"</t></si></sst>"
    block = b"a" * 1024**2
    # Each 1 MB block deflates to the same ~1 KB once the compressor is flushed between blocks.
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    one = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    data = head + one * unpacked_mb + packer.compress(suffix) + packer.flush()
    crc = zlib.crc32(prefix)
    for _ in range(unpacked_mb):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            out.writestr(item.filename, content)
        info = zipfile.ZipInfo("xl/sharedStrings.xml", date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.CRC, info.compress_size = crc, len(data)
        info.file_size = len(prefix) + unpacked_mb * len(block) + len(suffix)
        info.header_offset = out.fp.tell()
        out.fp.write(info.FileHeader(zip64=info.file_size > zipfile.ZIP64_LIMIT))
        out.fp.write(data)
        out.filelist.append(info)
        out.NameToInfo[info.filename] = info
        out.start_dir = out.fp.tell()
    return path


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak memory from /proc")
def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    bomb = write_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 3 * 1024**2
    with zipfile.ZipFile(bomb) as book:
        assert book.getinfo("xl/sharedStrings.xml").file_size > 2.5e9
        with book.open("xl/sharedStrings.xml") as fh:
            assert fh.read(200).endswith(b"a" * 50)  # a real bomb: it does unpack
    db = tmp_path / "v.sqlite3"
    # The peak from /proc (VmHWM, this program's own memory since it started): getrusage's ru_maxrss
    # keeps the high-water mark of the process forked from pytest before exec, which is pytest's size.
    code = f"""
from villagegov.schema import open_store
from villagegov.accounts import service as accounts
from villagegov.roster import rules, service
from villagegov.core.errors import ValidationError
open_store({str(db)!r})
clerk = accounts.set_up("青石村", "柳溪镇", "安平县", "wenshu", "李文书", "mima-1234", "mima-1234")
try:
    service.preview_import(clerk, __import__("pathlib").Path({str(bomb)!r}))
except ValidationError as exc:
    print(exc.message())
status = open("/proc/self/status").read()
print(int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) // 1024)
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=os.environ
    )
    assert done.returncode == 0, done.stderr
    refusal, peak_mb = done.stdout.splitlines()
    assert "bomb.xlsx" in refusal and "MB" in refusal
    assert int(peak_mb) < 300


def test_a_workbook_is_refused_from_its_declared_sizes(clerk: Actor, tmp_path: Path) -> None:
    # Smaller than the limits' worth: a part that unpacks 1,000 times (a bomb, whatever its size) ...
    with pytest.raises(ValidationError) as err:
        service.preview_import(clerk, write_bomb(tmp_path / "small-bomb.xlsx", unpacked_mb=20))
    assert "倍" in err.value.message()
    # ... and a workbook of too many parts, each of them harmless.
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as book:
        for i in range(1_100):
            book.writestr(f"xl/media/image{i}.png", b"")
    with pytest.raises(ValidationError) as err:
        service.preview_import(clerk, many)
    assert "1100" in err.value.message()


# --- text that looks like a formula ----------------------------------------------------------------

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1:A2)", "'=1+1", "''@x", '=HYPERLINK("http://x.cn")']


def test_exported_formulas_stay_text_in_excel_and_in_csv_and_read_back_unchanged(
    clerk: Actor, tmp_path: Path
) -> None:
    for i, text in enumerate(FORMULAS):
        # Typed into every text field (the group, the household, its address, the name, the notes).
        group = service.add_group(clerk, f"{text}组")
        household = service.add_household(clerk, group.id, f"{text}{i}", address=text)
        service.add_villager(
            clerk,
            rules.VillagerInput(
                f"{text}{i}", household, rules.HEAD, rules.MALE, date(1980, 1, 1), notes=text
            ),
        )
    stored = {v.name: v for v in service.list_villagers(clerk)}
    assert {v.notes for v in stored.values()} == set(FORMULAS)

    out = tmp_path / "out.xlsx"
    service.export_xlsx(clerk, out)
    sheet = load_workbook(out).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a formula
    assert not [c.value for c in cells if c.value[0] in "=+-@\t\r"]
    # Excel's "Save as CSV" writes the cells' values: still no cell a spreadsheet would compute.
    saved = tmp_path / "saved.csv"
    with saved.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([[shown(c.value) for c in row] for row in sheet.iter_rows()])
    with saved.open(encoding="utf-8-sig", newline="") as fh:
        assert not [cell for row in csv.reader(fh) for cell in row if cell[:1] in ("=", "+", "-", "@")]
    # Both read back as they were stored.
    for again in (out, saved):
        rows_back = {r.villager.name: r for r in service.preview_import(clerk, again).rows}
        assert set(rows_back) == set(stored)
        for name, row in rows_back.items():
            assert (row.group, row.household, row.villager.notes) == (
                stored[name].group, stored[name].household, stored[name].notes
            )  # fmt: skip
            assert row.address == row.villager.notes


def shown(value: object) -> str:
    """A cell as Excel shows it, and saves it as CSV (the export's dates are formatted yyyy-mm-dd)."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d}"
    return "" if value is None else str(value)


def counts() -> tuple[int, int, int, int]:
    return (
        VillagerGroup.select().count(),
        Household.select().count(),
        Villager.select().count(),
        AuditEntry.select().count(),
    )
