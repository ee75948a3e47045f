"""Read a roster file (.xlsx or .csv) into rows of text keyed by our column names.

Reading only: checking the rows is the service's job (with rules.py), writing is the
service's too, after the clerk has seen the preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_

# Column keys and the headers a roster may use for them (Chinese first, then English).
COLUMNS: dict[str, tuple[str, ...]] = {
    "group": ("村民小组", "小组", "组别", "组", "group", "villager group"),
    "household": ("户号", "户编号", "household", "household number"),
    "relation": ("与户主关系", "关系", "relation"),
    "name": ("姓名", "name"),
    "gender": ("性别", "gender"),
    "birth_date": ("出生日期", "出生年月日", "生日", "birth date", "birth_date"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "id number", "id_number"),
    "phone": ("联系电话", "电话", "手机", "手机号", "phone"),
    "address": ("住址", "地址", "address"),
    "party_member": ("党员", "是否党员", "party member", "party_member"),
    "representative": ("村民代表", "是否村民代表", "representative"),
    "term_start": ("代表任期起", "任期起", "term start", "term_start"),
    "term_end": ("代表任期止", "任期止", "term end", "term_end"),
    "notes": ("备注", "notes"),
}
REQUIRED = ("group", "household", "relation", "name")
HEADERS_ZH = {key: names[0] for key, names in COLUMNS.items()}

MAX_ROWS = 20_000
UNREADABLE = "\ufffd"
# What GBK text read as UTF-8 (or the reverse) tends to leave behind.
MOJIBAKE_MARKERS = ("锟斤拷", "烫烫烫", "Ã", "â€")


@dataclass(frozen=True)
class RawRow:
    number: int  # the row number the clerk sees in Excel (header is row 1)
    values: dict[str, object]
    garbled: bool = False


def _header_key(text: object) -> str | None:
    label = str(text or "").strip().lower().replace("*", "")
    for key, names in COLUMNS.items():
        if label in (n.lower() for n in names):
            return key
    return None


def _blank(cells: list[object]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _rows_to_raw(table: list[list[object]], garbled_rows: set[int] | None = None) -> list[RawRow]:
    """`table[0]` is the sheet's row 1: blank rows above the header are skipped, not renumbered."""
    start = next((i for i, cells in enumerate(table) if not _blank(cells)), None)
    if start is None:
        raise ValidationError(N_("The file is empty."))
    header = [_header_key(cell) for cell in table[start]]
    missing = [HEADERS_ZH[k] for k in REQUIRED if k not in header]
    if missing:
        raise ValidationError(
            N_("The first row must name the columns; missing: {columns}."), columns="、".join(missing)
        )
    # Blank rows do not count: a sheet formatted far below its last line is not too long.
    if sum(1 for cells in table[start + 1 :] if not _blank(cells)) > MAX_ROWS:
        raise ValidationError(N_("The file has more than {n} rows."), n=MAX_ROWS)
    rows = []
    for index, cells in enumerate(table[start + 1 :], start=start + 2):
        values: dict[str, object] = {}
        for key, cell in zip(header, cells, strict=False):
            if key is not None and cell is not None and str(cell).strip() != "":
                values[key] = cell
        if not values:
            continue  # blank lines are common at the end of a sheet
        garbled = bool(garbled_rows and index in garbled_rows) or any(
            UNREADABLE in str(v) or any(m in str(v) for m in MOJIBAKE_MARKERS) for v in values.values()
        )
        rows.append(RawRow(index, values, garbled))
    return rows


def decode_csv(data: bytes) -> str:
    """UTF-8 (often with a BOM) or GBK, as Excel on Chinese Windows saves CSV.

    A UTF-8 file with a few damaged bytes stays UTF-8, its damaged rows marked unreadable,
    rather than being read whole as GBK and turned into plausible-looking nonsense.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8-sig", errors="replace")
    damaged = loose.count(UNREADABLE)
    wide = sum(1 for ch in loose if ord(ch) > 0x7F) - damaged
    if wide > 0 and damaged * 20 < wide:
        return loose
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read_csv(path: Path) -> list[RawRow]:
    import csv
    import io

    text = decode_csv(path.read_bytes())
    table = [list(r) for r in csv.reader(io.StringIO(text))]
    return _rows_to_raw(table)


def read_xlsx(path: Path) -> list[RawRow]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationError(
            N_("{file} is not an Excel workbook that can be read."), file=path.name
        ) from exc
    try:
        sheet = book.worksheets[0]
        table: list[list[object]] = []
        filled = 0
        for cells in sheet.iter_rows(values_only=True):
            table.append(list(cells))
            filled += not _blank(table[-1])
            if filled > MAX_ROWS + 1:  # the header and more rows than allowed: enough to refuse
                break
    finally:
        book.close()
    return _rows_to_raw(table)


def read_roster(path: Path) -> list[RawRow]:
    if not path.exists():
        raise ValidationError(N_("The file {file} does not exist."), file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return read_csv(path)
    raise ValidationError(N_("Only .xlsx and .csv rosters can be imported, not {suffix}."), suffix=suffix)
