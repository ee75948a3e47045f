"""The demo village's year, every room in it: the package is sound, and an insider who edits a record,
regenerates the manifests and signs again with the village's own key is caught by the audit log, in
every room."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from villagegov import demo
from villagegov.accounts import service as accounts
from villagegov.archive import service
from villagegov.archive.contract import Period
from villagegov.archive.models import VillageKey
from villagegov.core import i18n
from villagegov.core.i18n import _
from villagegov.schema import close_store, open_store

from .conftest import YEAR, copy_database, messages, read_entries, tamper

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class DemoYear:
    package: Path
    key_pem: bytes  # the village's own signing key, as an insider with the database has it


@pytest.fixture(scope="module")
def demo_year(tmp_path_factory: pytest.TempPathFactory, demo_database: Path) -> DemoYear:
    i18n.set_language("zh_CN")
    directory = tmp_path_factory.mktemp("demo-year")
    db = open_store(copy_database(demo_database, directory / "demo.sqlite3"))
    try:
        clerk = accounts.sign_in("wenshu", demo.PASSWORD)
        result = service.export(clerk, Period.year(YEAR), directory / f"青石村-{YEAR}.zip")
        key_pem = VillageKey.get().private_key.encode("ascii")
    finally:
        close_store(db)
    return DemoYear(result.path, key_pem)


@pytest.fixture
def demo_package(demo_year: DemoYear, tmp_path: Path) -> Path:
    copy = tmp_path / demo_year.package.name
    copy.write_bytes(demo_year.package.read_bytes())
    return copy


def test_the_demo_year_is_sound_and_every_room_is_checked_against_the_audit_log(demo_year: DemoYear) -> None:
    report = service.verify(demo_year.package, check_registration=False)
    assert report.ok, messages(report)
    _top, files = read_entries(demo_year.package)
    package = json.loads(files["data/package.json"])
    audited = {s["kind"]: s["entity"] for s in package["record_sets"] if s["entity"]}
    assert (
        audited.items()
        >= {
            "villagers": "villager",
            "notices": "notice",
            "meetings": "meeting",
            "votes": "vote",
            "resolutions": "resolution",
            "decisions": "decision",
            "decision_steps": "decision_step",
            "ceremonies": "ceremony",
            "petition": "petition",
            "mediation": "mediation",
        }.items()
    )
    catalogue = json.loads(files["data/catalogue.json"])
    rooms = {d["room"] for d in catalogue["documents"]}
    assert rooms == {"council", "decisions", "ceremonies", "notices", "petitions"}
    assert all(f"{YEAR}-01-01" <= d["date"] <= f"{YEAR}-12-31" for d in catalogue["documents"])


def _last_entry(files: dict[str, bytes], entity: str, row: int) -> int:
    seqs = [
        e["seq"]
        for e in map(json.loads, files["data/audit.jsonl"].decode().splitlines())
        if e["entity"] == entity and e["entity_id"] == str(row)
    ]
    return seqs[-1]


# (record kind, its audited table, the key changed, how, which record: a test on the record)
EDITS: list[tuple[str, str, str, Any, Any]] = [
    ("villagers", "villager", "name", lambda v: "王冒名", lambda r: True),
    ("notices", "notice", "title", lambda v: v + "（更正）", lambda r: r["state"] == "posted"),
    ("votes", "vote", "for", lambda v: v + 1, lambda r: r["outcome"] == "passed"),
    ("decision_steps", "decision_step", "present", lambda v: v + 3, lambda r: r["present"] is not None),
    ("decisions", "decision", "spent_fen", lambda v: (v or 0) + 100_000, lambda r: r["state"] == "complete"),
    ("ceremonies", "ceremony", "place", lambda v: v + "东侧", lambda r: r["stage"] == "closed"),
    ("petition", "petition", "satisfaction", lambda v: "satisfied", lambda r: r["satisfaction"] == "basic"),
    ("mediation", "mediation", "facts", lambda v: v + "另有隐情。", lambda r: True),
]


@pytest.mark.parametrize(("kind", "entity", "key", "change", "which"), EDITS, ids=[e[0] for e in EDITS])
def test_an_insider_who_edits_a_record_and_signs_again_is_named(
    demo_year: DemoYear, demo_package: Path, kind: str, entity: str, key: str, change: Any, which: Any
) -> None:
    edited: dict[str, Any] = {}

    def edit(files: dict[str, bytes]) -> None:
        name = f"data/records/{kind}.json"
        data = json.loads(files[name])
        record = next(r for r in data["records"] if which(r))
        record[key] = change(record[key])
        edited.update(record)
        files[name] = json.dumps(data, ensure_ascii=False, indent=1).encode()

    tamper(demo_package, edit, key_pem=demo_year.key_pem)
    report = service.verify(demo_package, check_registration=False)
    _top, files = read_entries(demo_package)
    assert "tagmanifest-sha256.txt.sig" not in messages(report)  # the village's own key: a valid signature
    assert [f.msgid for f in report.findings] == ["{field} differs from its last audited state ({entry})"]
    [finding] = report.findings
    assert finding.where == _("{kind} record {id}").format(kind=kind, id=edited["id"])
    entry = _("audit entry {seq}").format(seq=_last_entry(files, entity, edited["id"]))
    assert finding.params == {"field": key, "entry": entry}
    assert str(edited["id"]) in finding.message() and entry in finding.message()


@pytest.mark.postgres
def test_a_township_on_postgresql_reviews_the_demo_village_beside_others(
    demo_year: DemoYear, tmp_path: Path
) -> None:
    """The demo village (every room) and two small villages imported into a PostgreSQL township: side by
    side with their counts per room, the demo's findings in every room, and the printed review."""
    from pypdf import PdfReader

    from tests.archive.conftest import export_village, fingerprint_of
    from tests.conftest import PG_URL, _reset_postgres
    from villagegov.printing.document import render_bytes

    if not PG_URL:
        pytest.skip("no PostgreSQL server (set VILLAGEGOV_TEST_PG)")
    others = [export_village(tmp_path / n, n, notices_count=2).package for n in ("白沙村", "黄土村")]
    _reset_postgres(PG_URL)
    db = open_store(PG_URL)
    try:
        accounts.set_up_reviewer("shenhe", "赵审查", "mima-1234", "mima-1234")
        reviewer = accounts.sign_in("shenhe", "mima-1234")
        for package in (demo_year.package, *others):
            service.register_key(reviewer, package, fingerprint_of(package))
            assert service.import_package(reviewer, package).imported
        rows = {r.village: r for r in service.packages(reviewer, YEAR, with_findings=True)}
        assert set(rows) == {"青石村", "白沙村", "黄土村"}
        demo_row = rows["青石村"]
        assert all(demo_row.count(kind) > 0 for _room, kind, _label in service.ROOM_COUNTS)
        assert set(demo_row.room_findings) >= {"council", "decisions", "ceremonies", "petitions"}
        assert rows["白沙村"].count("meetings") == 0 and rows["白沙村"].count("notices") == 2
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_bytes(
            service.review_document(reviewer, YEAR)))).pages)  # fmt: skip
        for heading in ("各村概况", "青石村", "白沙村", "黄土村", "村民议事会", "四议两公开", "红白理事会"):
            assert heading in text
    finally:
        close_store(db)
