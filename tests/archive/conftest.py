"""Fixtures of the archive: small villages written through the services, their packages, and tools
that tamper with a package the way an attacker (or an accident) would."""

from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import pytest

from villagegov.accounts import service as accounts
from villagegov.archive import rules, service, signing
from villagegov.archive.contract import Period
from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.db import database
from villagegov.core.privacy import make_id_number
from villagegov.notices import rules as notice_rules
from villagegov.notices import service as notices
from villagegov.roster import service as roster
from villagegov.roster.rules import VillagerInput
from villagegov.schema import close_store, open_store

PASSWORD = "mima-1234"
YEAR = clock.today().year


def _day(month: int, day: int) -> date:
    return min(date(YEAR, month, day), clock.today())


def fill_village(name: str, notices_count: int = 2) -> Actor:
    """A small village: one group, two households, a villager with an ID number, posted notices."""
    clerk = accounts.set_up(name, "柳溪镇", "安平县", "wenshu", "李文书", PASSWORD, PASSWORD)
    accounts.create_user(clerk, "shuji", "王建国", "secretary", PASSWORD, PASSWORD)
    secretary = accounts.sign_in("shuji", PASSWORD)
    group = roster.add_group(clerk, "第一村民小组").id
    people = []
    for n, person in enumerate(("张德福", "李秀英"), start=1):
        household = roster.add_household(clerk, group, f"01-00{n}")
        born = date(1960 + n, 3, 7)
        number = make_id_number("419901", born, 11 if n == 1 else 12)
        villager = roster.add_villager(
            clerk,
            VillagerInput(
                name=person,
                household_id=household,
                relation="head",
                gender="male" if n == 1 else "female",
                birth_date=born,
                id_number=number,
                phone="13812345678" if n == 1 else "",
            ),
        )
        people.append(villager)
    for n in range(notices_count):
        drafted = _day(2, 1 + n)
        table = notice_rules.TableInput(
            ("姓名", "身份证号", "金额（元）"),
            tuple((p.name, p.id_number or "", "500.00") for p in people),
            "名单",
        )
        kind = notice_rules.PUBLICITY if n % 2 == 0 else notice_rules.ANNOUNCEMENT
        draft = notices.create_draft(
            clerk,
            notice_rules.NoticeInput(
                category=notice_rules.VILLAGE,
                kind=kind,
                title=f"{name}第{n + 1}号公开事项",
                body="经村民代表会议讨论决定，现予公开。",
                period_days=7 if kind == "publicity" else None,
                period_unit="days" if kind == "publicity" else None,
                tables=(table,) if n == 0 else (),
            ),
            now=datetime.combine(drafted, time(9)),
        )
        notices.approve(secretary, draft.id, now=datetime.combine(drafted, time(10)))
        notices.post(clerk, draft.id, drafted, today=clock.today())
    return clerk


@dataclass
class Village:
    db_path: Path
    package: Path
    clerk: Actor


def export_village(directory: Path, name: str, notices_count: int = 2) -> Village:
    """A village database of its own and the package of its year (the store is closed after)."""
    directory.mkdir(parents=True, exist_ok=True)
    db_path = directory / f"{name}.sqlite3"
    db = open_store(db_path)
    try:
        clerk = fill_village(name, notices_count)
        result = service.export(clerk, Period.year(YEAR), directory / f"{name}-{YEAR}.zip")
    finally:
        close_store(db)
    return Village(db_path, result.path, clerk)


@pytest.fixture(scope="session")
def small_village(tmp_path_factory: pytest.TempPathFactory) -> Village:
    """One village's package, made once: the tamper tests copy it."""
    from villagegov.core import i18n

    i18n.set_language("zh_CN")
    return export_village(tmp_path_factory.mktemp("villages"), "青石村")


def copy_database(source: Path, target: Path) -> Path:
    """A copy of a closed SQLite database, through SQLite's backup (never a half-checkpointed file)."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo village (`villagegov demo`: every room, 1,501 villagers), made once and closed: tests
    copy it (copy_database) before they change it."""
    from villagegov import demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = open_store(path)
    try:
        demo.fill_demo(db, clock.today())
    finally:
        close_store(db)
    return path


@pytest.fixture
def package(small_village: Village, tmp_path: Path) -> Path:
    """A fresh copy of the small village's package for one test to spoil."""
    copy = tmp_path / small_village.package.name
    shutil.copy(small_village.package, copy)
    return copy


# --- tampering ------------------------------------------------------------------------------------------


def read_entries(path: Path) -> tuple[str, dict[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        top = names[0].split("/")[0]
        return top, {n.partition("/")[2]: zf.read(n) for n in names if not n.endswith("/")}


def write_entries(path: Path, top: str, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(f"{top}/{name}", data)


def regenerate_manifests(files: dict[str, bytes], key_pem: bytes | None = None) -> None:
    """What an attacker does after editing a payload file: new manifests (with a key, a new signature)."""
    payload = {n: hashlib.sha256(d).hexdigest() for n, d in files.items() if n.startswith("data/")}
    files[rules.MANIFEST] = rules.manifest_text(payload.items()).encode()
    oxum = f"{sum(len(d) for n, d in files.items() if n.startswith('data/'))}.{len(payload)}"
    info = files["bag-info.txt"].decode()
    info = "".join(
        f"Payload-Oxum: {oxum}\n" if line.startswith("Payload-Oxum:") else line + "\n"
        for line in info.splitlines()
    )
    files["bag-info.txt"] = info.encode()
    tags = {n: hashlib.sha256(files[n]).hexdigest() for n in rules.SIGNED_TAG_FILES}
    files[rules.TAGMANIFEST] = rules.manifest_text(tags.items()).encode()
    if key_pem is not None:
        files[rules.SIGNATURE_FILE] = signing.signature_text(
            signing.sign(key_pem, files[rules.TAGMANIFEST])
        ).encode()


def tamper(
    path: Path,
    change: Callable[[dict[str, bytes]], None],
    regenerate: bool = True,
    key_pem: bytes | None = None,
) -> Path:
    top, files = read_entries(path)
    change(files)
    if regenerate:
        regenerate_manifests(files, key_pem)
    write_entries(path, top, files)
    return path


def messages(report) -> str:
    return "\n".join(f.message() for f in report.findings)


@pytest.fixture
def township(any_store) -> Iterator[Actor]:
    """A township's database (SQLite and PostgreSQL) with its first reviewer signed in."""
    accounts.set_up_reviewer("shenhe", "赵审查", PASSWORD, PASSWORD)
    yield accounts.sign_in("shenhe", PASSWORD)


def fingerprint_of(package: Path) -> str:
    return service.read_key_file(package).fingerprint


def zip_bytes(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buffer.getvalue()


def rebind(db) -> None:
    database.initialize(db)
