"""The township imports packages (SQLite and PostgreSQL): verified first, refused whole, never twice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import peewee
import pytest

from villagegov.archive import rules, service, signing
from villagegov.archive.contract import Period
from villagegov.archive.models import ImportedDocument, ImportedPackage, ImportedRecordSet, RegisteredKey
from villagegov.core.actor import Actor
from villagegov.core.db import database
from villagegov.core.errors import PermissionDenied, ValidationError
from villagegov.schema import close_store, open_store

from .conftest import YEAR, Village, export_village, fingerprint_of, tamper


def _counts() -> tuple[int, int, int]:
    return (
        ImportedPackage.select().count(),
        ImportedDocument.select().count(),
        ImportedRecordSet.select().count(),
    )


def _register(actor: Actor, package: Path) -> None:
    service.register_key(actor, package, fingerprint_of(package))


def _reexport(village: Village, target: Path, change=None) -> Path:
    """Open the village's own database again (the township's store is bound back after)."""
    township_db = database.obj
    db = open_store(village.db_path)
    try:
        if change is not None:
            change(db)
        return service.export(village.clerk, Period.year(YEAR), target).path
    finally:
        close_store(db)
        database.initialize(township_db)


def test_import_needs_a_registered_key_and_the_right_fingerprint(
    township: Actor, small_village: Village
) -> None:
    with pytest.raises(service.PackageRefused) as refused:
        service.import_package(township, small_village.package)
    assert "no key is registered" in refused.value.report.findings[-1].msgid
    with pytest.raises(ValidationError):
        service.register_key(township, small_village.package, "0000 1111 2222 3333 4444 5555 6666 7777")
    assert not RegisteredKey.select().exists()
    _register(township, small_village.package)
    result = service.import_package(township, small_village.package)
    assert result.imported and result.village == "青石村" and result.documents >= 2


def test_the_same_package_twice_changes_nothing(
    township: Actor, small_village: Village, tmp_path: Path
) -> None:
    _register(township, small_village.package)
    service.import_package(township, small_village.package)
    before = _counts()
    entries = database.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0]
    copy = tmp_path / "renamed.zip"
    shutil.copy(small_village.package, copy)
    again = service.import_package(township, copy)
    assert not again.imported
    assert _counts() == before
    assert database.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0] == entries


def test_a_refused_package_writes_nothing(township: Actor, small_village: Village, tmp_path: Path) -> None:
    _register(township, small_village.package)
    spoiled = tmp_path / "spoiled.zip"
    shutil.copy(small_village.package, spoiled)

    def change(files: dict[str, bytes]) -> None:
        data = json.loads(files["data/records/notices.json"])
        data["records"][0]["title"] = "改过的标题"
        files["data/records/notices.json"] = json.dumps(data, ensure_ascii=False).encode()

    tamper(spoiled, change)
    entries = database.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0]
    with pytest.raises(service.PackageRefused):
        service.import_package(township, spoiled)
    assert _counts() == (0, 0, 0)
    assert database.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0] == entries


def test_a_package_signed_by_another_key_is_refused(
    township: Actor, small_village: Village, tmp_path: Path
) -> None:
    _register(township, small_village.package)
    forged = tmp_path / "forged.zip"
    shutil.copy(small_village.package, forged)
    pem, public = signing.new_private_key()

    def change(files: dict[str, bytes]) -> None:
        key = signing.parse_public_key(files[rules.KEY_FILE].decode())
        files[rules.KEY_FILE] = (
            signing.PublicKey(key.village, key.township, key.county, public, "").to_json().encode()
        )

    tamper(forged, change, key_pem=pem)
    with pytest.raises(service.PackageRefused) as refused:
        service.import_package(township, forged)
    assert "not the key registered" in refused.value.report.findings[-1].msgid
    assert _counts() == (0, 0, 0)


def test_a_newer_export_replaces_the_older_and_both_stay(township: Actor, tmp_path: Path) -> None:
    village = export_village(tmp_path / "v", "白沙村")
    _register(township, village.package)
    first = service.import_package(township, village.package)
    newer = _reexport(village, tmp_path / "newer.zip")
    second = service.import_package(township, newer)
    assert second.imported and second.replaced
    rows = service.packages(township, YEAR)
    assert [r.current for r in rows] == [True, False]
    assert {r.id for r in rows} == {p.id for p in ImportedPackage.select()}
    assert first.package_id != second.package_id
    # Nobody edits imported content, not even through the database.
    with pytest.raises(peewee.DatabaseError), database.atomic():
        ImportedDocument.update(title="x").execute()


def test_a_deleted_last_audit_entry_in_the_village_is_caught_by_the_township(
    township: Actor, tmp_path: Path
) -> None:
    village = export_village(tmp_path / "v", "黄土村")
    _register(township, village.package)
    service.import_package(township, village.package)

    def delete_last_entry(db: peewee.Database) -> None:
        from villagegov.core.audit import AuditEntry

        db.execute_sql("DROP TRIGGER audit_entry_no_delete")  # what an attacker with the file can do
        last = AuditEntry.select().order_by(AuditEntry.seq.desc()).first()
        AuditEntry.delete().where(AuditEntry.id == last.id).execute()

    shrunk = _reexport(village, tmp_path / "shrunk.zip", delete_last_entry)
    assert service.verify(shrunk, check_registration=False).ok  # alone, it looks whole
    with pytest.raises(service.PackageRefused) as refused:
        service.import_package(township, shrunk)
    assert any("already held it" in f.msgid for f in refused.value.report.findings)


def test_village_staff_cannot_import(small_village: Village, clerk: Actor) -> None:
    with pytest.raises(PermissionDenied):
        service.import_package(clerk, small_village.package)


@pytest.mark.postgres
def test_several_villages_on_postgresql(tmp_path: Path) -> None:
    from tests.conftest import PG_URL, _reset_postgres

    if not PG_URL:
        pytest.skip("no PostgreSQL server (set VILLAGEGOV_TEST_PG)")
    villages = [export_village(tmp_path / n, n, notices_count=3) for n in ("青石村", "白沙村", "黄土村")]
    _reset_postgres(PG_URL)
    db = open_store(PG_URL)
    try:
        from villagegov.accounts import service as accounts

        accounts.set_up_reviewer("shenhe", "赵审查", "mima-1234", "mima-1234")
        reviewer = accounts.sign_in("shenhe", "mima-1234")
        for v in villages:
            _register(reviewer, v.package)
        results = [service.import_package(reviewer, v.package) for v in villages]
        assert all(r.imported for r in results)
        rows = service.packages(reviewer, YEAR, with_findings=True)
        assert sorted(r.village for r in rows) == ["白沙村", "青石村", "黄土村"]
        assert all(r.counts["notices"] == 3 for r in rows)
        docs = service.catalogue(reviewer, rows[0].id)
        assert service.document_content(reviewer, docs[0].id).startswith(b"%PDF-")
        document = service.review_document(reviewer, YEAR)
        assert len([b for b in document.blocks if getattr(b, "level", 0) == 1]) == 3
        assert [v.name for v in service.township_villages(reviewer)] == ["白沙村", "青石村", "黄土村"]
    finally:
        close_store(db)


def _flip_pdf_byte(files: dict[str, bytes]) -> None:
    name = next(n for n in files if n.startswith("data/documents/"))
    files[name] = files[name][:-10] + b"X" + files[name][-9:]


def _drop_audit_entry(files: dict[str, bytes]) -> None:
    lines = files["data/audit.jsonl"].decode().splitlines()
    files["data/audit.jsonl"] = ("\n".join(lines[:2] + lines[3:]) + "\n").encode()


def _add_file(files: dict[str, bytes]) -> None:
    files["data/documents/notices/added.pdf"] = files["data/catalogue.pdf"]


@pytest.mark.parametrize(
    ("spoil", "regenerate", "extra_entry"),
    [
        (_flip_pdf_byte, False, None),
        (_drop_audit_entry, True, None),
        (_add_file, False, None),
        (None, False, ("../../evil.pdf", b"%PDF-")),
        (None, False, ("data/documents/notices/bomb.pdf", b"\0" * (32 * 1024 * 1024))),
    ],
    ids=["changed PDF byte", "audit entry removed", "file added", "traversal name", "bomb"],
)
def test_every_spoiled_package_is_refused_with_nothing_written(
    township: Actor,
    small_village: Village,
    tmp_path: Path,
    spoil,
    regenerate,
    extra_entry,
) -> None:
    import zipfile

    _register(township, small_village.package)
    spoiled = tmp_path / "spoiled.zip"
    shutil.copy(small_village.package, spoiled)
    if spoil is not None:
        tamper(spoiled, spoil, regenerate=regenerate)
    if extra_entry is not None:
        with zipfile.ZipFile(spoiled, "a", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"青石村-{YEAR}/{extra_entry[0]}", extra_entry[1])
    entries = database.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0]
    with pytest.raises(service.PackageRefused) as refused:
        service.import_package(township, spoiled)
    assert refused.value.report.findings  # each with its reason, named
    assert _counts() == (0, 0, 0)
    assert database.execute_sql("SELECT count(*) FROM audit_entry").fetchone()[0] == entries


# --- check: the township's imported copies answer to their seal ---------------------------------------------


def _unguarded(db: peewee.Database, statements: list[tuple[str, tuple[object, ...]]]) -> None:
    """Edit the imported content as someone with the database would: guards dropped, edits, guards back."""
    from villagegov.archive import models as archive_models
    from villagegov.core.db import is_postgres

    tables = ("archive_record_set", "archive_document", "archive_audit")
    if is_postgres(db):
        drops = [f"DROP TRIGGER {t}_no_change ON {t}" for t in tables]
        guards = archive_models.POSTGRES_GUARDS
    else:
        drops = [f"DROP TRIGGER {t}_no_{op}" for t in tables for op in ("update", "delete")]
        guards = archive_models.SQLITE_GUARDS
    placeholder = "%s" if is_postgres(db) else "?"
    with db.atomic():
        for sql in drops:
            db.execute_sql(sql)
        for sql, params in statements:
            db.execute_sql(sql.replace("?", placeholder), params)
        for sql in guards:
            db.execute_sql(sql)


def test_check_finds_the_townships_imported_content_changed_behind_its_back(
    any_store: peewee.Database, township: Actor, small_village: Village
) -> None:
    from villagegov.core import i18n, maintenance

    _register(township, small_village.package)
    service.import_package(township, small_village.package)
    assert maintenance.check(any_store).ok
    package = ImportedPackage.get()
    first = ImportedDocument.select().where(ImportedDocument.number == 1).get()
    _unguarded(
        any_store,
        [
            (
                "UPDATE archive_record_set SET records = replace(records, '张德福', '张得福') "
                "WHERE kind = 'villagers'",
                (),
            ),
            ("UPDATE archive_document SET content = ? WHERE id = ?", (bytes(first.content) + b"%", first.id)),
            ("UPDATE archive_audit SET content = content || ?", ("\n",)),
        ],
    )
    i18n.set_language("en")
    problems = [p.message() for p in maintenance.check(any_store).problems]
    where = f"imported package record {package.id}: "
    assert problems == [
        where + "its imported records villagers are not those imported (content seal)",
        where + f"the bytes of its imported document 1 ({first.file}) are not those the package signed",
        where + "its imported audit log is not the one imported (content seal)",
    ]
    # A document's place in the catalogue changed (its bytes untouched) is a different list.
    _unguarded(any_store, [("UPDATE archive_document SET title = ? WHERE id = ?", ("别的题名", first.id))])
    assert where + "its list of imported documents is not the one imported (content seal)" in [
        p.message() for p in maintenance.check(any_store).problems
    ]


def test_the_upgrade_seals_packages_imported_before_it(
    any_store: peewee.Database, township: Actor, small_village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package imported before the seal existed is sealed once, by the upgrade, as its content stood."""
    from villagegov import schema
    from villagegov.archive import seal
    from villagegov.core import audit, i18n, maintenance

    _register(township, small_village.package)
    with monkeypatch.context() as before_the_seal:
        before_the_seal.setattr(seal, "content_seal", lambda *args: None)
        service.import_package(township, small_village.package)
    i18n.set_language("en")
    assert [p.msgid for p in maintenance.check(any_store).problems] == [seal.NO_SEAL]
    any_store.execute_sql(
        f"DELETE FROM schema_version WHERE version >= {schema.COMMITMENTS_VERSION}"
    )  # as the database stood before
    schema.migrate(any_store, schema.MIGRATIONS)
    package = ImportedPackage.get()
    assert package.content_seal == seal.stored_seal(package.id)
    entry = audit.head(0)
    assert entry is not None and (entry.action, entry.actor) == ("seal_content", "villagegov")
    assert maintenance.check(any_store).ok
