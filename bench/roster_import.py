"""A roster's import, as the window runs it on a worker: the preview (read and check the file) and the
import itself (checked again, then written in one transaction with an audit entry for each record).

    python bench/roster_import.py                      # 2,000 and 20,000 villagers (the importer's limit)
    python bench/roster_import.py --sizes 1500 --runs 3

Each size is an .xlsx of households of four (a head, a spouse, two children with ID-card numbers), in
groups of 100 households that the village does not have yet, imported into a new village in a
temporary SQLite file. The room runs both steps on a worker thread behind a progress dialog with Cancel
(`ui/ops.Task`), because they take seconds at a village's size; the figures say how long the clerk
waits, not how long the window stops answering (it does not).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl import Workbook

from villagegov.accounts import service as accounts
from villagegov.core.privacy import make_id_number
from villagegov.roster import service
from villagegov.schema import close_store, open_store

HEADER = ["村民小组", "户号", "与户主关系", "姓名", "性别", "出生日期", "身份证号", "联系电话", "住址"]
PASSWORD = "mima-1234"
FAMILY = (("户主", 1970, 11), ("配偶", 1972, 22), ("子女", 1995, 31), ("子女", 1998, 42))


def roster_file(path: Path, villagers: int) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for n in range(villagers):
        household, member = divmod(n, len(FAMILY))
        relation, year, sequence = FAMILY[member]
        number = make_id_number("411421", date(year, 1, 1) + timedelta(days=household), sequence)
        group, place = household // 100 + 1, household % 100 + 1
        name = f"村民{household}-{member}"
        sheet.append([f"第{group}村民小组", f"{group:02d}-{place:03d}", relation, name, "", "", number, "",
                      f"第{group}组{place}号"])  # fmt: skip
    book.save(path)
    return path


def measure(villagers: int, runs: int) -> tuple[float, float]:
    previews, imports = [], []
    with tempfile.TemporaryDirectory() as folder:
        path = roster_file(Path(folder) / "roster.xlsx", villagers)
        for run in range(runs):
            db = open_store(Path(folder) / f"village-{run}.sqlite3")
            clerk = accounts.set_up("青石村", "柳溪镇", "安平县", "wenshu", "李文书", PASSWORD, PASSWORD)
            started = time.perf_counter()
            preview = service.preview_import(clerk, path)
            previews.append(time.perf_counter() - started)
            assert preview.ok, preview.problems[:3]
            started = time.perf_counter()
            result = service.apply_import(clerk, preview)
            imports.append(time.perf_counter() - started)
            assert result.villagers == villagers
            close_store(db)
    return statistics.median(previews), statistics.median(imports)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'villagers':>10} {'preview s':>10} {'import s':>10}   (median of {args.runs}, SQLite)")
    for size in args.sizes:
        preview, imported = measure(size, args.runs)
        print(f"{size:>10} {preview:>10.2f} {imported:>10.2f}")


if __name__ == "__main__":
    main()
