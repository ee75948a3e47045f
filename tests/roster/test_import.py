import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from villagegov.core import audit
from villagegov.core.actor import Actor
from villagegov.core.errors import ValidationError
from villagegov.core.privacy import make_id_number
from villagegov.roster import service
from villagegov.roster.importer import MAX_ROWS

HEADER = [
    "村民小组",
    "户号",
    "与户主关系",
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "联系电话",
    "党员",
    "村民代表",
    "代表任期起",
]
A = make_id_number("411421", date(1970, 3, 7), 11)
B = make_id_number("411421", date(1972, 5, 9), 22)
C = make_id_number("411421", date(1998, 8, 1), 31)


def good_rows() -> list[list[object]]:
    return [
        ["第一村民小组", "01-001", "户主", "王大山", "男", "1970-03-07", A, "13812345678", "是", "否", ""],
        ["第一村民小组", "01-001", "配偶", "李秀英", "女", "1972/5/9", B, "", "否", "是", "2024-01-01"],
        ["第一村民小组", "01-001", "子", "王小明", "", "", C, "", "", "", ""],
    ]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    book.active.append(HEADER)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def grouped(clerk: Actor) -> Actor:
    service.add_group(clerk, "第一村民小组")
    return clerk


def test_good_xlsx_imports_everything(grouped: Actor, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", good_rows())
    preview = service.preview_import(grouped, path)
    assert preview.ok and len(preview.rows) == 3 and preview.new_groups == []
    assert [(h.number, h.group, h.head, h.villagers) for h in preview.new_households] == [
        ("01-001", "第一村民小组", "王大山", 3)
    ]
    assert service.list_villagers(grouped) == []  # the preview writes nothing
    result = service.apply_import(grouped, path)
    assert (result.households, result.villagers) == (1, 3)
    rows = {r.name: r for r in service.list_villagers(grouped)}
    assert rows["王小明"].gender == "male" and rows["李秀英"].representative
    assert rows["王大山"].party_member and rows["王大山"].phone == "13812345678"
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "import").count() == 4


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_in_utf8_or_gbk(grouped: Actor, tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "r.csv", good_rows(), encoding)
    preview = service.preview_import(grouped, path)
    assert preview.ok, preview.problems
    assert {r.villager.name for r in preview.rows} == {"王大山", "李秀英", "王小明"}


def test_every_bad_row_is_listed_with_its_reason_and_nothing_is_written(
    grouped: Actor, tmp_path: Path
) -> None:
    rows = good_rows()
    wrong_check = A[:17] + ("0" if A[17] != "0" else "1")
    rows += [
        ["第一村民小组", "01-002", "户主", "张三", "", "", wrong_check, "", "", "", ""],  # row 5
        [
            "第九村民小组",
            "09-001",
            "户主",
            "李四",
            "男",
            "1960-01-01",
            "",
            "",
            "",
            "",
            "",
        ],  # row 6: a new group
        ["第一村民小组", "01-003", "户主", "王五", "", "", A, "", "", "", ""],  # row 7: same ID as row 2
        ["第一村民小组", "01-004", "户主", "赵六", "男", "六零年", "", "", "", "", ""],  # row 8
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", rows)
    preview = service.preview_import(grouped, path)
    assert not preview.ok
    by_row = {p.row: p for p in preview.problems}
    assert set(by_row) == {5, 7, 8}
    assert by_row[5].column == "身份证号" and "校验" in by_row[5].message
    assert [(g.name, g.row, g.households, g.villagers) for g in preview.new_groups] == [
        ("第九村民小组", 6, 1, 1)
    ]
    assert by_row[7].column == "身份证号" and "第 2 行" in by_row[7].message.replace("第2行", "第 2 行")
    assert by_row[8].column == "出生日期" and "六零年" in by_row[8].message
    with pytest.raises(ValidationError):
        service.apply_import(grouped, path)
    assert service.list_villagers(grouped) == [] and service.list_households(grouped) == []
    assert [g.name for g in service.list_groups(grouped)] == ["第一村民小组"]


def test_duplicate_of_someone_already_on_the_roster(grouped: Actor, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", good_rows())
    service.apply_import(grouped, path)
    preview = service.preview_import(grouped, path)
    assert not preview.ok
    assert all("重复" in p.message or "户主" in p.message for p in preview.problems)
    assert len(service.list_villagers(grouped)) == 3


def test_wrong_encoding_is_named(grouped: Actor, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    # A UTF-8 roster whose third data row was damaged by a bad copy (bytes that are not UTF-8).
    write_csv(path, good_rows(), "utf-8")
    data = path.read_bytes().replace("王小明".encode(), b"\xff\xfe\xb3")
    path.write_bytes(data)
    preview = service.preview_import(grouped, path)
    assert not preview.ok
    assert [p.row for p in preview.problems] == [4]
    assert "编码" in preview.problems[0].message


def test_missing_columns_and_unknown_file_kind(grouped: Actor, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("姓名,性别\n王大山,男\n", encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        service.preview_import(grouped, path)
    assert "村民小组" in err.value.message() and "户号" in err.value.message()
    odd = tmp_path / "r.doc"
    odd.write_text("x")
    with pytest.raises(ValidationError):
        service.preview_import(grouped, odd)


def test_export_reads_back_through_the_import(grouped: Actor, tmp_path: Path) -> None:
    service.apply_import(grouped, write_xlsx(tmp_path / "r.xlsx", good_rows()))
    out = tmp_path / "out.xlsx"
    assert service.export_xlsx(grouped, out) == 3
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["村民小组", "户号", "住址", "与户主关系"]
    ids = {row[header.index("身份证号")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert ids == {A, B, C}  # kept as text, not turned into numbers
    # Into a fresh village the export imports cleanly, the same people.
    for v in sorted(service.list_villagers(grouped), key=lambda v: v.relation == "head"):  # heads last
        service.delete_villager(grouped, v.id)
    for h in service.list_households(grouped):
        service.delete_household(grouped, h.id)
    preview = service.preview_import(grouped, out)
    assert preview.ok, preview.problems
    assert {r.villager.id_number for r in preview.rows} == {A, B, C}


D = make_id_number("411421", date(1999, 2, 3), 41)  # a man: 女婿
E = make_id_number("411421", date(2020, 6, 1), 52)  # a girl: 孙女
F = make_id_number("411421", date(2022, 9, 9), 61)  # a boy: 外孙, stored as a grandchild


def test_relations_round_trip_through_export_and_import(grouped: Actor, tmp_path: Path) -> None:
    rows = [
        *good_rows(),
        ["第一村民小组", "01-001", "女婿", "张志远", "", "", D, "", "", "", ""],
        ["第一村民小组", "01-001", "孙女", "张欣怡", "", "", E, "", "", "", ""],
        ["第一村民小组", "01-001", "外孙", "张浩然", "", "", F, "", "", "", ""],
    ]
    service.apply_import(grouped, write_xlsx(tmp_path / "r.xlsx", rows))
    stored = {v.name: v.relation for v in service.list_villagers(grouped)}
    assert stored["张志远"] == "child_in_law" and stored["张欣怡"] == stored["张浩然"] == "grandchild"

    out = tmp_path / "out.xlsx"
    service.export_xlsx(grouped, out)
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    written = {
        row[header.index("姓名")]: row[header.index("与户主关系")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    # The villager's gender picks the word: a son-in-law is no 儿媳, a granddaughter no 孙子.
    assert (written["张志远"], written["张欣怡"], written["张浩然"]) == ("女婿", "孙女", "孙子")

    for v in sorted(service.list_villagers(grouped), key=lambda v: v.relation == "head"):  # heads last
        service.delete_villager(grouped, v.id)
    for h in service.list_households(grouped):
        service.delete_household(grouped, h.id)
    preview = service.preview_import(grouped, out)
    assert preview.ok, preview.problems
    assert {r.villager.name: r.villager.relation for r in preview.rows} == stored


def test_text_that_looks_like_a_formula_is_exported_as_text(grouped: Actor, tmp_path: Path) -> None:
    header = [*HEADER, "备注", "住址"]
    rows = [[*row, "", ""] for row in good_rows()]
    rows[0][-2:] = ["=户口本第2页", '=HYPERLINK("http://example.com")']
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    for cell in book.active[2]:
        cell.data_type = "s"  # as a clerk typed it: text
    path = tmp_path / "r.xlsx"
    book.save(path)
    service.apply_import(grouped, path)
    out = tmp_path / "out.xlsx"
    service.export_xlsx(grouped, out)
    cells = {c.value for c in load_workbook(out).active[2]}
    # A leading apostrophe keeps them text in Excel and in a CSV saved from it (test_hostile_files.py).
    assert {"'=户口本第2页", '\'=HYPERLINK("http://example.com")'} <= cells
    assert all(c.data_type != "f" for c in load_workbook(out).active[2])
    raw = {r.villager.name: r for r in service.preview_import(grouped, out).rows}  # read back, not lost
    assert raw["王大山"].villager.notes == "=户口本第2页"


def test_row_numbers_are_the_sheets_own_below_blank_rows(grouped: Actor, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([])
    sheet.append([])
    sheet.append(HEADER)  # row 3
    for row in good_rows():
        sheet.append(row)  # rows 4, 5, 6
    sheet.append(["第一村民小组", "01-002", "户主", "赵六", "男", "六零年", "", "", "", "", ""])  # row 7
    path = tmp_path / "r.xlsx"
    book.save(path)
    preview = service.preview_import(grouped, path)
    assert [(p.row, p.column) for p in preview.problems] == [(7, "出生日期")]
    assert [r.row for r in preview.rows] == [4, 5, 6]


def test_formatted_but_empty_rows_do_not_make_a_roster_too_long(grouped: Actor, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", good_rows())
    book = load_workbook(path)
    book.active.cell(row=MAX_ROWS + 100, column=1).number_format = "@"  # Excel formats whole columns
    book.save(path)
    preview = service.preview_import(grouped, path)
    assert preview.ok and len(preview.rows) == 3, preview.problems


def test_a_long_import_reports_its_progress_and_a_cancel_leaves_nothing(clerk: Actor, tmp_path: Path) -> None:
    """The window runs the import on a worker with a progress dialog and Cancel: the service reports
    rows done and, cancelled at any point, rolls the whole transaction back."""
    import threading

    from villagegov.core.errors import Cancelled

    rows = [["第一村民小组", f"01-{n:03d}", "户主", f"村民{n}", "男", "1970-03-07"] for n in range(1, 501)]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    seen: list[tuple[int, int, str]] = []
    preview = service.preview_import(clerk, path, progress=lambda *report: seen.append(report))
    assert preview.ok and [done for done, _total, _what in seen] == [0, 200, 400]
    assert {total for _done, total, _what in seen} == {500} and seen[0][2] == "正在检查各行……"

    cancel = threading.Event()

    def cancel_while_writing(done: int, total: int, what: str) -> None:
        if what == "正在写入村民……" and done >= 200:
            cancel.set()

    with pytest.raises(Cancelled):
        service.apply_import(clerk, preview, progress=cancel_while_writing, cancel=cancel)
    assert service.counts(clerk)["villagers"] == 0 and service.list_groups(clerk) == []
    assert audit.AuditEntry.select().where(audit.AuditEntry.action == "import").count() == 0
    result = service.apply_import(clerk, preview)
    assert (result.groups, result.households, result.villagers) == (1, 500, 500)


def test_an_empty_roster_exports_the_form_to_fill_in(clerk: Actor, tmp_path: Path) -> None:
    """A new village's clerk gets the columns the import reads; the ID-card and phone columns are text
    for the rows typed in later too, so Excel keeps all 18 digits."""
    out = tmp_path / "form.xlsx"
    assert service.export_xlsx(clerk, out) == 0
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["村民小组", "户号", "住址", "与户主关系"] and sheet.max_row == 1
    for name in ("身份证号", "联系电话", "户号"):
        letter = sheet.cell(1, header.index(name) + 1).column_letter
        assert sheet.column_dimensions[letter].number_format == "@", name
    preview = service.preview_import(clerk, out)  # imported as it is, it says it holds no one yet
    assert [p.message for p in preview.problems] == ["文件里没有村民信息。"]
