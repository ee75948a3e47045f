"""An untrusted zip is refused before anything of it is read or written: each case a real crafted zip."""

from __future__ import annotations

import struct
import unicodedata
import zipfile
from pathlib import Path

import pytest

from villagegov.archive import rules, service

from .conftest import YEAR, read_entries, write_entries

TOP = f"青石村-{YEAR}"


def refused(path: Path) -> list[rules.Finding]:
    report = service.verify(path, check_registration=False)
    assert not report.ok and report.info is None
    return report.findings


def with_extra(package: Path, name: str, data: bytes = b"x", info: zipfile.ZipInfo | None = None) -> Path:
    top, files = read_entries(package)
    write_entries(package, top, files)
    with zipfile.ZipFile(package, "a") as zf:
        zf.writestr(info or name, data)
    return package


@pytest.mark.parametrize(
    ("name", "msgid_part"),
    [
        (f"{TOP}/../evil.txt", ".."),
        (f"{TOP}/data/../../evil.pdf", ".."),
        ("/etc/passwd", "absolute"),
        ("C:/Windows/evil.pdf", "absolute"),
        (f"{TOP}\\data\\evil.pdf", "backslash"),
        (f"{TOP}/data/documents/a\x01.pdf", "control character"),
        (f"{TOP}/data/secret.exe", "no such file"),
    ],
)
def test_unsafe_names_are_refused(package: Path, name: str, msgid_part: str) -> None:
    findings = refused(with_extra(package, name))
    assert any(msgid_part in f.msgid and f.where == name for f in findings), findings


def test_a_link_is_refused(package: Path) -> None:
    info = zipfile.ZipInfo(f"{TOP}/data/documents/notices/link.pdf")
    info.external_attr = (0o120777) << 16  # a symlink, pointing anywhere
    findings = refused(with_extra(package, "", b"/etc/passwd", info))
    assert any("link" in f.msgid for f in findings)


def test_names_equal_after_case_folding_or_normalisation_are_refused(package: Path, tmp_path: Path) -> None:
    findings = refused(with_extra(package, f"{TOP}/data/CATALOGUE.pdf"))
    assert any("same as" in f.msgid for f in findings)
    # 村 is the same in both forms; "é" composed and decomposed are not the same bytes
    top, files = read_entries(package)
    other = tmp_path / "nfd.zip"
    files["data/documents/notices/caf\u00e9.pdf"] = b"%PDF-"
    write_entries(other, top, files)
    with zipfile.ZipFile(other, "a") as zf:
        zf.writestr(
            f"{TOP}/data/documents/notices/" + unicodedata.normalize("NFD", "caf\u00e9.pdf"), b"%PDF-"
        )
    assert any("same as" in f.msgid or "no such file" in f.msgid for f in refused(other))


def test_a_duplicate_name_is_refused(package: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it is told to write
        findings = refused(with_extra(package, f"{TOP}/data/catalogue.pdf", b"%PDF-fake"))
    assert any("same as" in f.msgid for f in findings)


def test_too_many_files_are_refused(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "MAX_ENTRIES", 10)
    assert any("more than the limit" in f.msgid for f in refused(package))


def test_too_many_unpacked_bytes_are_refused(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules, "MAX_UNPACKED_BYTES", 1000)
    assert any("unpacks to" in f.msgid and "limit" in f.msgid for f in refused(package))


def test_a_bomb_is_refused_before_it_is_unpacked(package: Path, tmp_path: Path) -> None:
    info = zipfile.ZipInfo(f"{TOP}/data/documents/notices/bomb.pdf")
    info.compress_type = zipfile.ZIP_DEFLATED
    findings = refused(with_extra(package, "", b"\0" * (64 * 1024 * 1024), info))
    assert any("zip bomb" in f.msgid for f in findings)
    assert not list(Path(tmp_path).rglob("bomb.pdf"))


def test_overlapping_entries_are_refused(package: Path, tmp_path: Path) -> None:
    """Two directory entries pointing at the same data: the overlapping-entry bomb."""
    crafted = tmp_path / "overlap.zip"
    with zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{TOP}/data/documents/a.pdf", b"%PDF-" + b"\0" * 1000)
        zf.writestr(f"{TOP}/data/documents/b.pdf", b"%PDF-" + b"\0" * 1000)
    data = bytearray(crafted.read_bytes())
    first = data.find(b"PK\x01\x02")
    second = data.find(b"PK\x01\x02", first + 4)
    offset_of_first = struct.unpack_from("<I", data, first + 42)[0]
    struct.pack_into("<I", data, second + 42, offset_of_first)
    crafted.write_bytes(bytes(data))
    assert any("overlaps" in f.msgid for f in refused(crafted))


def test_not_a_zip_and_a_missing_file_are_named(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip at all")
    assert any("not a readable zip" in f.msgid for f in refused(junk))
    assert any("does not exist" in f.msgid for f in refused(tmp_path / "missing.zip"))


def test_pure_rules_at_their_edges() -> None:
    e = rules.ZipEntry
    ok = [e(f"{TOP}/bagit.txt", 10, 10, 0, 0o644, True)]
    assert rules.check_zip_entries(ok, 100) == (TOP, [])
    big = rules.RATIO_FLOOR + 1
    at_limit = [e(f"{TOP}/data/audit.jsonl", big, big // rules.MAX_RATIO + 1, 0, 0, True)]
    assert rules.check_zip_entries(at_limit, big)[1] == []
    over = [e(f"{TOP}/data/audit.jsonl", big, big // rules.MAX_RATIO - 1, 0, 0, True)]
    assert any("zip bomb" in f.msgid for f in rules.check_zip_entries(over, big)[1])
    two_tops = [e("a/bagit.txt", 1, 1, 0, 0, True), e("b/bagit.txt", 1, 1, 100, 0, True)]
    assert any("more than one top" in f.msgid for f in rules.check_zip_entries(two_tops, 1000)[1])
    assert rules.decode_path(rules.encode_path("a%b\nc")) == "a%b\nc"
    assert rules.package_file_name("青石村", "2026-01-01", "2026-12-31") == "青石村-2026.zip"
    assert rules.package_file_name("青石村", "2026-01-01", "2026-06-30") == "青石村-2026-01-01_2026-06-30.zip"
