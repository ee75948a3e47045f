"""The township holds under concurrency (issue 17): four real `villagegov archive import` processes,
released together from behind a barrier, on PostgreSQL (the real server) and on SQLite.

- the same package from four processes: one import, "already imported" for the others, no traceback;
- two exports of one village-year, in any order: exactly one current, the later export;
- a package that fails is reported, and the rest of each list is still imported (exit code 1)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from villagegov.accounts import service as accounts
from villagegov.archive import service
from villagegov.archive.models import ImportedPackage
from villagegov.core.audit import AuditEntry
from villagegov.printing.document import render_bytes
from villagegov.schema import close_store, open_store

from .conftest import YEAR, export_village, fingerprint_of, tamper
from .test_township import _reexport

REVIEWER_PASSWORD = "shenhe-1234"

# The program's imports come before the barrier, so that the four race at the import itself.
BEHIND_A_BARRIER = r"""
import os, sys, time
from pathlib import Path
from villagegov import cli
from villagegov.archive import service
ready, go = Path(sys.argv[1]), Path(sys.argv[2])
(ready / str(os.getpid())).touch()
while not go.exists():
    time.sleep(0.001)
sys.exit(cli.main(sys.argv[3:]))
"""


@dataclass(frozen=True)
class Packages:
    older: Path  # 青石村's year, exported first
    newer: Path  # the same village and year, exported later
    other: Path  # 白沙村's year
    spoiled: Path  # 白沙村's package with a record changed after signing


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Packages:
    from villagegov.core import i18n

    i18n.set_language("zh_CN")
    base = tmp_path_factory.mktemp("concurrent")
    qingshi = export_village(base / "qingshi", "青石村")
    older = qingshi.package.rename(base / "older.zip")
    newer = _reexport(qingshi, base / "newer.zip")
    other = export_village(base / "baisha", "白沙村").package
    spoiled = base / "spoiled.zip"
    shutil.copy(other, spoiled)

    def change(files: dict[str, bytes]) -> None:
        files["data/records/notices.json"] = files["data/records/notices.json"].replace(
            "公开事项".encode(), b"X"
        )

    tamper(spoiled, change)
    return Packages(older, newer, other, spoiled)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def township(request: pytest.FixtureRequest, tmp_path: Path, packages: Packages) -> Iterator[str]:
    """A township's database with its reviewer and both villages' keys, closed: the processes open it."""
    from tests.conftest import PG_URL, _reset_postgres

    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("no PostgreSQL server (set VILLAGEGOV_TEST_PG)")
        _reset_postgres(PG_URL)
        target = PG_URL
    else:
        target = str(tmp_path / "township.sqlite3")
    db = open_store(target)
    try:
        accounts.set_up_reviewer("shenhe", "赵审查", REVIEWER_PASSWORD, REVIEWER_PASSWORD)
        reviewer = accounts.sign_in("shenhe", REVIEWER_PASSWORD)
        for package in (packages.older, packages.other):
            service.register_key(reviewer, package, fingerprint_of(package))
    finally:
        close_store(db)
    yield target


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def _import_together(target: str, lists: list[list[Path]], tmp_path: Path) -> list[Outcome]:
    """One `villagegov archive import` process per list, all released at once."""
    ready, go = tmp_path / "ready", tmp_path / "go"
    ready.mkdir(parents=True)
    env = {**os.environ, "VILLAGEGOV_PASSWORD": REVIEWER_PASSWORD, "VILLAGEGOV_HOME": str(tmp_path / "home")}
    command = ["--db", target, "--user", "shenhe", "archive", "import"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", BEHIND_A_BARRIER, str(ready), str(go), *command, *map(str, files)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for files in lists
    ]
    deadline = time.monotonic() + 120
    while len(list(ready.iterdir())) < len(lists):
        assert time.monotonic() < deadline and all(p.poll() is None for p in processes), (
            "a process did not start"
        )
        time.sleep(0.01)
    go.touch()
    outcomes = []
    for p in processes:
        out, err = p.communicate(timeout=600)
        outcomes.append(Outcome(p.returncode, out, err))
    for o in outcomes:
        assert "Traceback" not in o.err and "IntegrityError" not in o.err, o.err
    return outcomes


@dataclass(frozen=True)
class Current:
    village: str
    package_id: str


def _township_state(target: str) -> tuple[list[Current], int, int, str]:
    """Current packages, all packages, import entries in the audit log, and the printed review's text."""
    db = open_store(target)
    try:
        reviewer = accounts.sign_in("shenhe", REVIEWER_PASSWORD)
        current = [
            Current(r.village, ImportedPackage.get_by_id(r.id).package_id)
            for r in service.packages(reviewer, YEAR, current_only=True)
        ]
        imports = AuditEntry.select().where(AuditEntry.action == "import").count()
        review = render_bytes(service.review_document(reviewer, YEAR))
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(review)).pages)
        return current, ImportedPackage.select().count(), imports, text
    finally:
        close_store(db)


def _package_id(path: Path) -> str:
    return service.verify(path, check_registration=False).info.package_id  # type: ignore[union-attr]


@pytest.mark.slow
def test_the_same_package_from_four_processes_is_imported_once(
    township: str, packages: Packages, tmp_path: Path
) -> None:
    # Three races, one package each (the later export of 青石村 last: it replaces the first).
    for n, (package, village) in enumerate(
        [(packages.older, "青石村"), (packages.other, "白沙村"), (packages.newer, "青石村")]
    ):
        outcomes = _import_together(township, [[package]] * 4, tmp_path / str(n))
        assert [o.code for o in outcomes] == [0, 0, 0, 0], [o.err for o in outcomes]
        lines = [o.out.strip() for o in outcomes]
        assert sum(f"已导入{village}" in line for line in lines) == 1, lines
        assert sum("已导入过，没有任何改动" in line for line in lines) == 3, lines
    current, count, imports, _text = _township_state(township)
    assert sorted(current, key=lambda c: c.village) == [
        Current("白沙村", _package_id(packages.other)),
        Current("青石村", _package_id(packages.newer)),
    ]
    assert count == 3 and imports == 3


@pytest.mark.slow
@pytest.mark.parametrize(
    "order",
    [
        ("older", "newer", "older", "newer"),  # four processes, one package each
        ("newer", "older", "newer", "older"),
        ("older+newer", "newer+older", "older", "newer"),  # lists in both orders
    ],
)
def test_two_exports_of_one_village_year_leave_the_later_current(
    township: str, packages: Packages, tmp_path: Path, order: tuple[str, ...]
) -> None:
    lists = [[getattr(packages, name) for name in names.split("+")] for names in order]
    outcomes = _import_together(township, lists, tmp_path)
    assert [o.code for o in outcomes] == [0, 0, 0, 0], [o.err for o in outcomes]
    current, count, imports, text = _township_state(township)
    assert current == [Current("青石村", _package_id(packages.newer))]  # the later export, one current
    assert count == 2 and imports == 2  # both on record, each imported once
    assert "所辖1个村" in text  # the printed review lists the village once


@pytest.mark.slow
def test_a_failing_package_is_reported_and_the_rest_of_each_list_imported(
    township: str, packages: Packages, tmp_path: Path
) -> None:
    good = [packages.older, packages.other]
    lists = [
        [packages.spoiled, *good],
        [good[0], packages.spoiled, good[1]],
        [*good, packages.spoiled],
        [good[1], packages.spoiled, good[0]],
    ]
    outcomes = _import_together(township, lists, tmp_path)
    assert [o.code for o in outcomes] == [1, 1, 1, 1]
    for o in outcomes:
        assert "spoiled.zip：已拒绝，未写入任何内容。" in o.err and "有 1 个档案包被拒绝。" in o.err, o.err
        assert all(o.out.count(str(path)) == 1 for path in good), o.out  # imported, or already imported
    current, count, imports, _text = _township_state(township)
    assert sorted(c.village for c in current) == ["白沙村", "青石村"]
    assert count == 2 and imports == 2
