"""A package verifies as sound, and every way of spoiling it is caught and named."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import bagit
import pytest
from pypdf import PdfReader

from villagegov.archive import package as pkg
from villagegov.archive import rules, service, signing
from villagegov.cli import main

from .conftest import YEAR, Village, messages, read_entries, tamper


def verify(path: Path) -> pkg.Report:
    return service.verify(path, check_registration=False)


def test_a_fresh_package_is_sound_and_says_what_it_holds(package: Path) -> None:
    report = verify(package)
    assert report.ok, messages(report)
    info = report.info
    assert (info.village, info.township, info.county) == ("青石村", "柳溪镇", "安平县")
    assert (info.period_start, info.period_end) == (f"{YEAR}-01-01", f"{YEAR}-12-31")
    assert info.record_counts["notices"] == 2 and info.record_counts["villagers"] == 2
    assert info.documents >= 2
    assert "data/records/villagers.json" in info.personal_data
    top, files = read_entries(package)
    assert top == f"青石村-{YEAR}"
    tags = rules.parse_tags(files["bag-info.txt"].decode())
    assert tags["Village"] == ["青石村"] and tags["Township"] == ["柳溪镇"]
    assert tags["Audit-Chain-Head"][0].split()[0] == str(info.segment.head)
    assert tags["Exporter"] == ["李文书 (wenshu)"]
    catalogue = json.loads(files["data/catalogue.json"])
    assert catalogue["audit_head"]["seq"] == info.segment.head
    assert all(d["pages"] >= 1 for d in catalogue["documents"])
    assert files["data/catalogue.pdf"].startswith(b"%PDF-")
    # The printed catalogue names the chain's head, its hash in groups of eight a reader can compare.
    head_hash = catalogue["audit_head"]["hash"]
    printed = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(files["data/catalogue.pdf"])).pages)
    groups = [head_hash[i : i + 8] for i in range(0, 64, 8)]
    assert all(group in printed for group in groups) and head_hash not in printed.replace("\n", "")


def test_an_independent_bagit_implementation_validates_the_bag(package: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(package) as zf:
        zf.extractall(tmp_path / "x")
    bag = bagit.Bag(str(tmp_path / "x" / f"青石村-{YEAR}"))
    bag.validate(processes=1, fast=False)  # raises on any problem
    assert bag.info["Village"] == "青石村"


def test_cli_verify_exits_0_for_sound_and_1_naming_the_problem(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["archive", "verify", str(package)]) == 0
    assert "青石村" in capsys.readouterr().out
    tamper(
        package,
        lambda f: f.__setitem__("data/catalogue.pdf", f["data/catalogue.pdf"] + b"x"),
        regenerate=False,
    )
    assert main(["archive", "verify", str(package)]) == 1
    err = capsys.readouterr().err
    assert "data/catalogue.pdf" in err


def test_a_changed_byte_in_a_pdf_is_named(package: Path) -> None:
    def change(files: dict[str, bytes]) -> None:
        name = next(n for n in files if n.startswith("data/documents/notices/"))
        data = bytearray(files[name])
        data[len(data) // 2] ^= 1
        files[name] = bytes(data)

    report = verify(tamper(package, change, regenerate=False))
    assert not report.ok
    [finding] = report.findings
    assert finding.where.startswith("data/documents/notices/") and "checksum" in finding.msgid


def test_an_edited_record_with_regenerated_manifests_fails_on_the_signature(package: Path) -> None:
    def change(files: dict[str, bytes]) -> None:
        data = json.loads(files["data/records/villagers.json"])
        data["records"][0]["name"] = "王冒名"
        files["data/records/villagers.json"] = json.dumps(data, ensure_ascii=False).encode()

    report = verify(tamper(package, change))
    text = messages(report)
    assert rules.SIGNATURE_FILE in text  # the checksums agree; only the signature tells
    assert any(f.where.startswith("villagers") for f in report.findings)
    assert any("last audited state" in f.msgid and f.params["field"] == "name" for f in report.findings)


def test_a_removed_record_is_caught(package: Path) -> None:
    def change(files: dict[str, bytes]) -> None:
        data = json.loads(files["data/records/notices.json"])
        data["records"].pop()
        files["data/records/notices.json"] = json.dumps(data, ensure_ascii=False).encode()
        info = json.loads(files["data/package.json"])
        next(s for s in info["record_sets"] if s["kind"] == "notices")["count"] -= 1
        files["data/package.json"] = json.dumps(info, ensure_ascii=False).encode()

    report = verify(tamper(package, change))
    text = messages(report)
    assert rules.SIGNATURE_FILE in text
    assert (
        "notices" in text
    )  # the record the audit wrote is missing, and the catalogue's document lost its record


def test_an_edited_audit_entry_is_caught(package: Path) -> None:
    def change(files: dict[str, bytes]) -> None:
        lines = files["data/audit.jsonl"].decode().splitlines()
        entry = json.loads(lines[3])
        entry["actor"] = "someone"
        lines[3] = json.dumps(entry, ensure_ascii=False)
        files["data/audit.jsonl"] = ("\n".join(lines) + "\n").encode()

    report = verify(tamper(package, change))
    assert "changed after it was written" in report.findings[0].msgid or "内容" in messages(report)
    assert (
        f"{json.loads(read_entries(package)[1]['data/audit.jsonl'].decode().splitlines()[3])['seq']}"
        in messages(report)
    )


def test_a_deleted_last_audit_entry_is_caught_by_the_anchored_head(
    package: Path, small_village: Village
) -> None:
    def change(files: dict[str, bytes]) -> None:
        lines = files["data/audit.jsonl"].decode().splitlines()
        files["data/audit.jsonl"] = ("\n".join(lines[:-1]) + "\n").encode()
        info = json.loads(files["data/package.json"])
        info["audit"]["entries"] -= 1  # the count fixed too: only the anchored head tells
        files["data/package.json"] = json.dumps(info, ensure_ascii=False).encode()

    report = verify(tamper(package, change))
    text = messages(report)
    assert "anchored head" in " ".join(f.msgid for f in report.findings)
    assert rules.SIGNATURE_FILE in text


def test_a_file_added_to_the_payload_is_named(package: Path) -> None:
    def change(files: dict[str, bytes]) -> None:
        files["data/documents/notices/extra.pdf"] = files["data/catalogue.pdf"]

    report = verify(tamper(package, change, regenerate=False))
    assert any(
        f.where == "data/documents/notices/extra.pdf" and "not listed" in f.msgid for f in report.findings
    )


def test_a_file_missing_from_the_payload_is_named(package: Path) -> None:
    def change(files: dict[str, bytes]) -> None:
        del files["data/catalogue.pdf"]

    report = verify(tamper(package, change, regenerate=False))
    assert "data/catalogue.pdf" in messages(report)


def test_a_package_resigned_with_another_key_is_sound_alone_but_not_at_the_township(package: Path) -> None:
    pem, public = signing.new_private_key()

    def change(files: dict[str, bytes]) -> None:
        key = signing.parse_public_key(files[rules.KEY_FILE].decode())
        forged = signing.PublicKey(key.village, key.township, key.county, public, key.created_at)
        files[rules.KEY_FILE] = forged.to_json().encode()
        data = json.loads(files["data/records/villagers.json"])
        data["records"][0]["phone"] = "13900000000"
        files["data/records/villagers.json"] = json.dumps(data, ensure_ascii=False).encode()

    report = verify(tamper(package, change, key_pem=pem))
    assert rules.SIGNATURE_FILE not in messages(report)  # a valid signature, by the wrong key
    # (the township test checks the registration refuses it)


def test_unknown_format_and_schema_versions_are_refused(package: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.zip"
    shutil.copy(package, other)

    def newer_format(files: dict[str, bytes]) -> None:
        info = json.loads(files["data/package.json"])
        info["format_version"] = 99
        files["data/package.json"] = json.dumps(info).encode()

    assert "unknown package format" in " ".join(
        f.msgid for f in verify(tamper(package, newer_format)).findings
    )

    def newer_schema(files: dict[str, bytes]) -> None:
        data = json.loads(files["data/records/notices.json"])
        data["schema_version"] = 99
        files["data/records/notices.json"] = json.dumps(data, ensure_ascii=False).encode()
        info = json.loads(files["data/package.json"])
        next(s for s in info["record_sets"] if s["kind"] == "notices")["schema_version"] = 99
        files["data/package.json"] = json.dumps(info).encode()

    report = verify(tamper(other, newer_schema))
    assert any("unknown schema version" in f.msgid for f in report.findings)
    assert "data/records/notices.json" in messages(report)


def test_a_record_against_its_schema_is_named(package: Path) -> None:
    def change(files: dict[str, bytes]) -> None:
        data = json.loads(files["data/records/villagers.json"])
        data["records"][1]["birth_date"] = "7 March 1962"
        files["data/records/villagers.json"] = json.dumps(data, ensure_ascii=False).encode()

    report = verify(tamper(package, change))
    assert any(
        f.msgid.startswith("does not match its schema") and "birth_date" in str(f.params)
        for f in report.findings
    )


def test_gbk_names_written_on_chinese_windows_are_read_right(package: Path, tmp_path: Path) -> None:
    class GbkInfo(zipfile.ZipInfo):
        def _encodeFilenameFlags(self):
            return self.filename.encode("gbk"), self.flag_bits & ~0x800

    top, files = read_entries(package)
    rezipped = tmp_path / "rezipped.zip"
    with zipfile.ZipFile(rezipped, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(GbkInfo(f"{top}/{name}"), data)
    with zipfile.ZipFile(rezipped) as zf:
        assert not any(i.flag_bits & 0x800 for i in zf.infolist())
    report = verify(rezipped)
    assert report.ok, messages(report)
    assert report.info.village == "青石村"


def _rewrite_records(files: dict[str, bytes], kind: str, text: str) -> None:
    files[f"data/records/{kind}.json"] = text.encode()


def test_a_records_file_in_another_key_order_is_read_whole_and_is_sound(package: Path) -> None:
    def reorder(files: dict[str, bytes]) -> None:
        data = json.loads(files["data/records/villagers.json"])
        reordered = {"records": data.pop("records"), **data}  # records first: not as the export writes
        _rewrite_records(files, "villagers", json.dumps(reordered, ensure_ascii=False))

    report = verify(tamper(package, reorder))
    assert [f.where for f in report.findings] == [rules.SIGNATURE_FILE]  # only the signature tells


@pytest.mark.parametrize(
    ("damage", "detail"),
    [
        (lambda t: t[:-40], "not valid JSON"),  # cut short
        (lambda t: t + "[]", "not valid JSON"),  # something after the object
        (lambda t: t.replace('"records": [', '"records": [1 2,', 1), "not valid JSON"),
        (lambda t: t.replace('"kind"', '"schema_version": 1, "kind"', 1), "not valid JSON"),  # a key twice
    ],
    ids=["cut short", "extra data", "broken array", "key twice"],
)
def test_a_records_file_that_is_not_json_is_named(package: Path, damage, detail: str) -> None:
    def spoil(files: dict[str, bytes]) -> None:
        _rewrite_records(files, "notices", damage(files["data/records/notices.json"].decode()))

    report = verify(tamper(package, spoil))
    assert any(f.where == "data/records/notices.json" and detail in f.msgid for f in report.findings), (
        messages(report)
    )


def test_a_record_count_unlike_package_json_is_named(package: Path) -> None:
    def drop(files: dict[str, bytes]) -> None:
        data = json.loads(files["data/records/villager_groups.json"])
        data["records"] = []
        _rewrite_records(files, "villager_groups", json.dumps(data, ensure_ascii=False, indent=1))

    report = verify(tamper(package, drop))
    assert any("records package.json counts" in f.msgid for f in report.findings)


def test_verifying_a_package_loads_no_room_service_and_no_reportlab(package: Path) -> None:
    """The command line's verify reads the package alone: quick to start on a township's machine."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from villagegov.archive import package as p; "
        f"r = p.verify_file(Path({str(package)!r})); "
        "heavy = [m for m in sys.modules if m.startswith('reportlab') or m.endswith('.service')]; "
        "print(r.ok, heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True []"
