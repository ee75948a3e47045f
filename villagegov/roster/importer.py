"""Read a roster file (.xlsx, .csv, or Excel's tab-separated .txt) into rows of text keyed by our columns.

Reading only: checking the rows is the service's job (with rules.py), writing is the
service's too, after the clerk has seen the preview.

The file is untrusted: whatever it holds, reading it ends in rows or in a `ValidationError` that says
what is wrong (and where), never in a traceback, and it never takes more than a bounded amount of
memory (sizes are checked before anything is unpacked or decoded).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
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
# A roster's cells are short (the longest are addresses and notes); a longer one is a wrong file or a
# pasted document, refused on its row.
MAX_CELL = 1_000
MAX_COLUMNS = 200  # columns read from each row; a roster has 14
# Sizes checked before a file is read. A 20,000-row roster is ~6 MB as CSV and ~2 MB as xlsx (~15 MB
# unpacked, its shared strings ~3 MB): the limits leave room several times over and keep the memory a
# hostile file can make the importer take under ~300 MB.
MAX_CSV_BYTES = 16 * 1024**2
MAX_XLSX_BYTES = 64 * 1024**2
MAX_XLSX_ENTRIES = 1_000
MAX_XLSX_UNPACKED = 256 * 1024**2  # all entries, as the zip's central directory declares them
MAX_SHARED_STRINGS = 32 * 1024**2  # kept whole in memory by openpyxl (~100 MB for 32 MB of short strings)
MAX_XLSX_PART = 16 * 1024**2  # styles, workbook, relations...: parsed whole (a real one is under 1 MB)
_STREAMED_PARTS = (
    "xl/worksheets/",
    "xl/media/",
    "xl/drawings/",
    "xl/printersettings/",
)  # streamed, or unread
MAX_XLSX_RATIO = 100  # unpacked / packed, for an entry over 1 MB (spreadsheet XML packs 5-20 times)
RATIO_FLOOR = 1024**2
MB = 1024**2

UNREADABLE = "\ufffd"
# What GBK text read as UTF-8 (or the reverse) tends to leave behind.
MOJIBAKE_MARKERS = ("锟斤拷", "烫烫烫", "Ã", "â€")

# Exported text that a spreadsheet could take for a formula (OWASP's CSV injection: = + - @, and a tab
# or carriage return before them) is written with a leading apostrophe, so that it stays text in Excel,
# in a CSV that Excel saves from it, and in anything that reads that CSV. Text already starting with
# apostrophes before such a character gets one more, so that reading strips exactly one: the import
# reads an export back unchanged.
_FORMULA_LIKE = re.compile(r"'*[=+\-@\t\r]")


def protect_cell(text: str) -> str:
    """Text as the export writes it (see _FORMULA_LIKE); `unprotect_cell` gives it back."""
    return "'" + text if _FORMULA_LIKE.match(text) else text


def unprotect_cell(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA_LIKE.match(text, 1) else text


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


def _blank(cells: Iterable[object]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _cell(value: object) -> object:
    """A cell's value as the checks take it: text unprotected, whole numbers without '.0'."""
    if isinstance(value, str):
        return unprotect_cell(value.strip())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)  # Excel keeps numbers as floats: 1980 or 19800307, not 19800307.0
    if isinstance(value, datetime | date | int | float | str) or value is None:
        return value
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _rows_to_raw(
    table: Iterable[tuple[int, list[object]]], garbled_rows: set[int] | None = None
) -> list[RawRow]:
    """`table` gives the sheet's non-blank rows with their numbers (the sheet's own: blank rows above the
    header and between rows are skipped, not renumbered)."""
    rows_iter = iter(table)
    first = next(rows_iter, None)
    if first is None:
        raise ValidationError(N_("The file is empty."))
    header = [_header_key(cell) for cell in first[1]]
    missing = [HEADERS_ZH[k] for k in REQUIRED if k not in header]
    if missing:
        raise ValidationError(
            N_("The first row must name the columns; missing: {columns}."), columns="、".join(missing)
        )
    rows = []
    for index, cells in rows_iter:
        # Blank rows do not count: a sheet formatted far below its last line is not too long.
        if len(rows) >= MAX_ROWS:
            raise ValidationError(N_("The file has more than {n} rows."), n=MAX_ROWS)
        values: dict[str, object] = {}
        for key, cell in zip(header, cells, strict=False):
            if key is not None and cell is not None and str(cell).strip() != "":
                values[key] = _cell(cell)
        if not values:
            continue  # a row with text only in columns we do not read
        garbled = bool(garbled_rows and index in garbled_rows) or any(
            UNREADABLE in str(v) or any(m in str(v) for m in MOJIBAKE_MARKERS) for v in values.values()
        )
        rows.append(RawRow(index, values, garbled))
    return rows


# --- CSV and tab-separated text --------------------------------------------------------------------


def _utf16(data: bytes) -> str | None:
    """UTF-16 text, as Excel's "Unicode text" saves it (with a BOM) or another program without one."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" not in data[:4096]:
        return None
    # No BOM: the NUL bytes of ASCII characters (separators, line ends) fall on odd offsets in
    # little-endian text and on even ones in big-endian text. A UTF-8 file with a NUL in it would decode
    # too, into nonsense: it counts as UTF-16 only if its first line names a column.
    head = data[:4096]
    odd = head[1::2].count(0)
    even = head[0::2].count(0)
    encoding = "utf-16-le" if odd >= even else "utf-16-be"
    text = data[: len(data) // 2 * 2].decode(encoding, errors="replace")
    first_line = text.split("\n", 1)[0]
    if any(_header_key(cell) for cell in re.split(r"[,\t;]", first_line)):
        return text
    return None


def decode_csv(data: bytes) -> str:
    """UTF-8 (often with a BOM), GBK (as Excel on Chinese Windows saves CSV), or UTF-16 (Excel's
    "Unicode text").

    A UTF-8 file with a few damaged bytes stays UTF-8, its damaged rows marked unreadable,
    rather than being read whole as GBK and turned into plausible-looking nonsense.
    """
    wide = _utf16(data)
    if wide is not None:
        return wide
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8-sig", errors="replace")
    damaged = loose.count(UNREADABLE)
    wide_chars = sum(1 for ch in loose if ord(ch) > 0x7F) - damaged
    if wide_chars > 0 and damaged * 20 < wide_chars:
        return loose
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _delimiter(text: str) -> str:
    """The separator whose split of the first non-blank line names the most columns (comma on a tie):
    Excel saves CSV with commas and "Unicode text" or "Text (Tab delimited)" with tabs."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, named = ",", -1
    for sep in (",", "\t", ";"):
        count = sum(1 for cell in first.split(sep) if _header_key(cell.strip('"')))
        if count > named:
            best, named = sep, count
    return best


def _csv_rows(text: str) -> Iterator[tuple[int, list[object]]]:
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=None), delimiter=_delimiter(text))
    number = 0
    while True:
        number += 1  # the row Excel shows: one a record, whatever line breaks its quoted cells hold
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ValidationError(
                    N_("Row {row}: a cell holds more than {n} characters; a roster's cells are short."),
                    row=number, n=MAX_CELL,
                ) from None  # fmt: skip
            raise ValidationError(
                N_("Row {row} cannot be read: the file is not a roster saved as CSV."), row=number
            ) from None
        cells = cells[:MAX_COLUMNS]
        if not _blank(cells):
            yield number, list(cells)


def read_csv(path: Path) -> list[RawRow]:
    return _rows_to_raw(_csv_rows(decode_csv(_read_bytes(path, MAX_CSV_BYTES))))


# --- Excel workbooks -------------------------------------------------------------------------------


def _not_a_workbook(path: Path) -> ValidationError:
    return ValidationError(N_("{file} is not an Excel workbook that can be read."), file=path.name)


def check_xlsx_sizes(path: Path) -> None:
    """Refuse a workbook from what its zip's central directory declares, before anything is unpacked:
    the number of entries, their sizes, and how far each one unpacks (a zip bomb unpacks a thousand
    times). zipfile never gives more than an entry's declared size, so the declared sizes bound it.

    openpyxl streams the sheets in read-only mode but reads every other part (shared strings, styles,
    the workbook, its relations) whole: those have limits of their own.
    """
    import zipfile

    try:
        with path.open("rb") as fh:
            end = zipfile._EndRecData(fh)  # the end record only: how big the central directory is
            if end is None:
                raise _not_a_workbook(path)
            # zipfile's ZipInfo per entry costs memory in proportion to the directory's bytes.
            if end[zipfile._ECD_SIZE] > MAX_XLSX_ENTRIES * 1024:
                raise _too_many_parts(path, end[zipfile._ECD_ENTRIES_TOTAL])
            with zipfile.ZipFile(fh) as book:
                entries = book.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, IndexError):
        raise _not_a_workbook(path) from None
    except OSError as exc:
        raise _unreadable(path) from exc
    if len(entries) > MAX_XLSX_ENTRIES:
        raise _too_many_parts(path, len(entries))
    too_big = N_("{file} unpacks to {size} MB, more than a roster can be ({max} MB); it is refused unread.")
    total = sum(e.file_size for e in entries)
    if total > MAX_XLSX_UNPACKED:
        raise ValidationError(
            too_big, file=path.name, size=total // 1024**2, max=MAX_XLSX_UNPACKED // 1024**2
        )
    for entry in entries:
        name = entry.filename.lower()
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_XLSX_RATIO * max(entry.compress_size, 1):
            raise ValidationError(
                N_("{file} unpacks to {ratio} times its size: it is not a roster but a zip bomb."),
                file=path.name, ratio=entry.file_size // max(entry.compress_size, 1),
            )  # fmt: skip
        if name.startswith(_STREAMED_PARTS):
            continue
        limit = MAX_SHARED_STRINGS if name.endswith("sharedstrings.xml") else MAX_XLSX_PART
        if entry.file_size > limit:
            raise ValidationError(
                too_big, file=path.name, size=entry.file_size // 1024**2, max=limit // 1024**2
            )


def _too_many_parts(path: Path, n: int) -> ValidationError:
    return ValidationError(
        N_("{file} holds {n} parts, more than a workbook has ({max}); it is refused unread."),
        file=path.name, n=n, max=MAX_XLSX_ENTRIES,
    )  # fmt: skip


def _xlsx_rows(sheet) -> Iterator[tuple[int, list[object]]]:  # sheet: openpyxl's ReadOnlyWorksheet
    filled = 0
    for number, cells in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
        if _blank(cells):
            continue
        filled += 1
        if filled > MAX_ROWS + 1:  # the header and more rows than allowed: enough to refuse
            raise ValidationError(N_("The file has more than {n} rows."), n=MAX_ROWS)
        yield number, list(cells)


def read_xlsx(path: Path) -> list[RawRow]:
    from openpyxl import load_workbook

    _check_size(path, MAX_XLSX_BYTES)
    check_xlsx_sizes(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise _unreadable(path) from exc
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise _not_a_workbook(path) from exc
    try:
        if not book.worksheets:
            raise _not_a_workbook(path)
        return _rows_to_raw(_xlsx_rows(book.worksheets[0]))
    except ValidationError:
        raise
    except Exception as exc:  # a sheet's XML broken part-way: openpyxl raises whatever its parser does
        raise _not_a_workbook(path) from exc
    finally:
        book.close()


# --- the file --------------------------------------------------------------------------------------


def _unreadable(path: Path) -> ValidationError:
    return ValidationError(
        N_(
            "{file} cannot be read: it may be open in another program (close it there and try again), "
            "or this account may not read it."
        ),
        file=str(path),
    )


def _check_size(path: Path, limit: int) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _unreadable(path) from exc
    if size > limit:
        raise ValidationError(
            N_("{file} is {size} MB, more than a roster can be ({max} MB)."),
            file=path.name, size=size // 1024**2, max=limit // 1024**2,
        )  # fmt: skip


def _read_bytes(path: Path, limit: int) -> bytes:
    _check_size(path, limit)
    try:
        with path.open("rb") as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        raise _unreadable(path) from exc


def file_digest(path: Path) -> str:
    """SHA-256 of the file, to tell whether it changed between its preview and its import."""
    import hashlib

    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        raise _unreadable(path) from exc


SUFFIXES = (".xlsx", ".csv", ".txt")


def read_roster(path: Path) -> list[RawRow]:
    if path.is_dir():
        raise ValidationError(N_("{file} is a folder, not a roster file."), file=str(path))
    if not path.exists():
        raise ValidationError(N_("The file {file} does not exist."), file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return read_csv(path)
    raise ValidationError(N_("Only .xlsx and .csv rosters can be imported, not {suffix}."), suffix=suffix)
