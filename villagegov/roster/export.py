"""The roster as an Excel workbook, in the same columns the import reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from villagegov.roster import rules
from villagegov.roster.importer import HEADERS_ZH, protect_cell

EXPORT_COLUMNS = (
    "group", "household", "address", "relation", "name", "gender", "birth_date", "id_number", "phone",
    "party_member", "representative", "term_start", "term_end", "notes",
)  # fmt: skip
WIDTHS = {"id_number": 22, "birth_date": 12, "term_start": 12, "term_end": 12, "address": 20, "notes": 24}


def write_roster(path: Path, rows: Sequence, households: Mapping[int, object]) -> None:
    """`rows` are roster.service.VillagerRow, `households` HouseholdRow by id (for the address)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    # Headers stay Chinese in both languages: this is the file format the import reads.
    sheet.append([HEADERS_ZH[c] for c in EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    yes, no = "是", "否"
    for r in rows:
        household = households.get(r.household_id)
        relation = rules.relation_word(r.relation, r.gender)  # 女婿 or 儿媳, as the import reads it
        sheet.append([
            r.group, r.household, getattr(household, "address", ""), relation, r.name,
            "男" if r.gender == rules.MALE else "女", r.birth_date, r.id_number or "", r.phone,
            yes if r.party_member else no, yes if r.representative else no,
            r.representative_term_start, r.representative_term_end, r.notes,
        ])  # fmt: skip
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Text that looks like a formula (=1+1, @SUM(…), +86…) keeps a leading apostrophe, so that
                # it stays text in Excel, after an edit, and in a CSV saved from it; the import strips it.
                cell.value = protect_cell(cell.value)
                cell.data_type = "s"
    for index, column in enumerate(EXPORT_COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(column, 10)
        number_format = {"birth_date": "yyyy-mm-dd", "term_start": "yyyy-mm-dd", "term_end": "yyyy-mm-dd",
                         "id_number": "@", "phone": "@", "household": "@"}.get(column)  # fmt: skip
        if number_format is not None:
            # Text ("@"), so that Excel does not turn an ID number into 1.1E+17; on the column too, so that
            # rows typed in later (an empty roster exported as the form to fill in) are text as well.
            sheet.column_dimensions[letter].number_format = number_format
            for cell in sheet[letter][1:]:
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    book.save(path)
