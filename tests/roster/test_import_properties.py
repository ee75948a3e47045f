"""Property: whatever file a clerk picks, the import ends in a clear message or in the whole file
imported — never a traceback, never a part of it written (issue 17, item 5)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from villagegov.core.actor import Actor
from villagegov.core.audit import AuditEntry
from villagegov.core.db import database
from villagegov.core.errors import VillagegovError
from villagegov.core.privacy import make_id_number
from villagegov.roster import service
from villagegov.roster.importer import COLUMNS
from villagegov.roster.models import Household, Villager, VillagerGroup

# Examples share one database (a fixture per test, not per example); each runs in a transaction rolled
# back at its end, so that every example starts from the same roster.
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    database=None,  # no .hypothesis folder in the tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HEADER = [names[0] for names in COLUMNS.values()]
IDS = [make_id_number("411421", date(1950 + i, 1 + i % 12, 1 + i % 28), i) for i in range(8)]
# Cells that mean something to the import, mixed with anything at all.
MEANINGFUL = st.sampled_from([
    "第一村民小组", "第二村民小组", "01-001", "01-002", "02-001", "户主", "配偶", "子", "女婿", "孙女",
    "男", "女", "是", "否", "1980-03-07", "1990112", "19901102", "1980年3月7日", "13812345678",
    "=1+1", "'=1+1", "@SUM(A1)", "-", "\x00", "王\u200b大山", *IDS,
])  # fmt: skip
CELL = st.one_of(
    MEANINGFUL,
    st.text(max_size=12),
    st.none(),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    st.booleans(),
)
# Rows with the right kind of value in each of the first columns (group, household, relation, name,
# gender, birth date, ID number), so that some files import and the property meets both of its ends.
PLAUSIBLE = st.tuples(
    st.sampled_from(["第一村民小组", "第二村民小组", "第三村民小组", "", "\x00组"]),
    st.sampled_from(["01-001", "01-002", "02-001", "03-001", ""]),
    st.sampled_from(["户主", "配偶", "子", "孙女", "老乡", ""]),
    st.one_of(st.sampled_from(["王大山", "李秀英", "王\x00", "=1+1"]), st.text(max_size=4)),
    st.sampled_from(["男", "女", "", "未知"]),
    st.one_of(st.sampled_from(["1980-03-07", "1990112", "", "19801307"]), st.dates(), st.integers(0, 10**8)),
    st.sampled_from(["", *IDS]),
).map(list)
ROW = st.one_of(st.lists(CELL, max_size=16), PLAUSIBLE)
HEADERS = st.one_of(
    st.just(HEADER),
    st.permutations(HEADER),
    st.lists(st.one_of(st.sampled_from(HEADER), st.text(max_size=6)), max_size=16),
)
FORMATS = ("xlsx", "csv-utf-8-sig", "csv-gbk", "csv-utf-16", "txt-utf-16-le-tab", "txt-gbk-tab")


def counts() -> tuple[int, int, int, int]:
    return (
        VillagerGroup.select().count(),
        Household.select().count(),
        Villager.select().count(),
        AuditEntry.select().count(),
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    with database.atomic() as outer:
        yield
        outer.rollback()


def write(path: Path, fmt: str, table: list[list[object]]) -> Path:
    if fmt == "xlsx":
        book = Workbook()
        for row in table:
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
        book.save(path)
        return path
    encoding = fmt.split("-", 1)[1].removesuffix("-tab")  # csv-gbk, txt-utf-16-le-tab...
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t" if fmt.endswith("-tab") else ",").writerows(
        [["" if c is None else str(c) for c in row] for row in table]
    )
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    return path


def import_whole_or_not_at_all(actor: Actor, path: Path) -> str:
    """The property itself; returns how it ended: "unread", "refused" or "imported"."""
    before = counts()
    try:
        preview = service.preview_import(actor, path)
    except VillagegovError as exc:
        assert exc.message().strip()  # a message the clerk can read
        assert counts() == before
        return "unread"
    for problem in preview.problems:
        assert problem.message.strip() and problem.row >= 0
    try:
        result = service.apply_import(actor, preview)
    except VillagegovError as exc:
        assert not preview.ok and exc.message().strip()
        assert counts() == before  # nothing written, not a group, not an audit entry
        return "refused"
    assert preview.ok
    groups, households, villagers, _entries = counts()
    assert (result.groups, result.households, result.villagers) == (
        len(preview.new_groups), len(preview.new_households), len(preview.rows)
    )  # fmt: skip
    assert (groups, households, villagers) == (
        before[0] + result.groups, before[1] + result.households, before[2] + result.villagers
    )  # fmt: skip
    return "imported"


@pytest.fixture
def actor(clerk: Actor) -> Actor:
    service.add_group(clerk, "第一村民小组")
    return clerk


@st.composite
def good_tables(draw: st.DrawFn) -> list[list[object]]:
    """A roster that imports (new households, each with its head), and then maybe one cell
    changed to anything at all."""
    table: list[list[object]] = [HEADER]
    numbers = draw(st.lists(st.integers(0, 10**6), min_size=1, max_size=4, unique=True))
    for index, value in enumerate(numbers):
        group = draw(st.sampled_from(["第一村民小组", "第二村民小组", "第三村民小组"]))
        for member in range(draw(st.integers(1, 3))):
            born = draw(st.dates(date(1930, 1, 1), date(2020, 12, 31)))
            relation = "户主" if member == 0 else draw(st.sampled_from(["配偶", "子", "孙女", "其他"]))
            written = draw(
                st.sampled_from([born.isoformat(), f"{born:%Y%m%d}", f"{born:%Y/%m/%d}", born, ""])
            )
            name = draw(st.sampled_from(["王大山", "李秀英", "张三"])) + str(member)
            id_number = make_id_number("411421", born, draw(st.integers(0, 99)) * 10 + index)
            table.append([group, f"H{value:07d}", relation, name, "", written, id_number])
    if draw(st.booleans()):
        row = draw(st.integers(1, len(table) - 1))
        column = draw(st.integers(0, len(table[row]) - 1))
        table[row][column] = draw(CELL)
    return table


RANDOM_TABLES = st.builds(lambda header, rows: [header, *rows], HEADERS, st.lists(ROW, max_size=10))


@SETTINGS
@given(table=st.one_of(RANDOM_TABLES, good_tables()), fmt=st.sampled_from(FORMATS))
def test_random_rows_import_whole_or_not_at_all(
    actor: Actor, tmp_path: Path, table: list[list[object]], fmt: str
) -> None:
    suffix = ".xlsx" if fmt == "xlsx" else (".txt" if fmt.endswith("-tab") else ".csv")
    with rolled_back():
        event(import_whole_or_not_at_all(actor, write(tmp_path / f"roster{suffix}", fmt, table)))


def good_workbook() -> bytes:
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["第一村民小组", "09-001", "户主", "王大山", "", "", IDS[0]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = good_workbook()


@st.composite
def damaged_workbooks(draw: st.DrawFn) -> bytes:
    """A good workbook cut short, or with bytes changed (inside its packed parts as well as its
    directory), or a zip holding parts of random names and contents."""
    choice = draw(st.sampled_from(("cut", "flip", "zip")))
    if choice == "cut":
        return GOOD[: draw(st.integers(0, len(GOOD)))]
    if choice == "flip":
        data = bytearray(GOOD)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        for name in draw(st.lists(st.sampled_from([
            "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
            "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
        ]), unique=True)):  # fmt: skip
            with zipfile.ZipFile(io.BytesIO(GOOD)) as good:
                real = good.read(name) if name in good.namelist() else b""
            book.writestr(name, draw(st.sampled_from([real, b"", b"<x>", real[: len(real) // 2]])))
    return buffer.getvalue()


@SETTINGS
@given(
    data=st.one_of(st.binary(max_size=2000), damaged_workbooks()),
    suffix=st.sampled_from((".xlsx", ".csv", ".txt")),
)
def test_random_files_import_whole_or_not_at_all(
    actor: Actor, tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"roster{suffix}"
    path.write_bytes(data)
    with rolled_back():
        event(import_whole_or_not_at_all(actor, path))


def test_the_property_holds_for_a_file_that_imports(actor: Actor, tmp_path: Path) -> None:
    """The property's other branch is reached: a good file is imported whole, its group made."""
    table = [HEADER, ["第三村民小组", "03-001", "户主", "王大山", "", "", IDS[0]]]
    assert import_whole_or_not_at_all(actor, write(tmp_path / "r.csv", "csv-utf-8-sig", table)) == "imported"
    assert [g.name for g in service.list_groups(actor)] == ["第一村民小组", "第三村民小组"]
