"""The package file itself: writing a signed BagIt bag into a zip, and verifying one, without a database.

Writing streams: each document is rendered, hashed and written into the zip on its own, so memory
does not grow with the year. Verifying first checks the zip's directory (rules.check_zip_entries)
before reading any entry, unpacks into a fresh temporary folder hashing as it goes, then checks the
bag with our own code (paths with os.path.commonpath, every missing or extra file named) and, as a
second opinion, with bagit-python's full validation.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from villagegov.archive import rules, signing
from villagegov.archive.rules import Finding
from villagegov.core import errors
from villagegov.core.i18n import N_, _, format_date

CHUNK = 1024 * 1024


# --- writing -----------------------------------------------------------------------------------------


class PackageWriter:
    """Adds payload files to an open zip under `top/`, remembering their digests for the manifest."""

    def __init__(self, zf: zipfile.ZipFile, top: str) -> None:
        self.zf = zf
        self.top = top
        self.digests: dict[str, str] = {}
        self.sizes: dict[str, int] = {}

    def add(self, relative: str, data: bytes, compress: bool = True) -> str:
        info = zipfile.ZipInfo(f"{self.top}/{relative}", date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        self.zf.writestr(info, data)
        digest = hashlib.sha256(data).hexdigest()
        if relative.startswith("data/"):
            self.digests[relative] = digest
            self.sizes[relative] = len(data)
        return digest

    def add_file(self, relative: str, source: Path) -> str:
        """Copy a file into the package a chunk at a time (a records file written beforehand)."""
        info = zipfile.ZipInfo(f"{self.top}/{relative}", date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        digest = hashlib.sha256()
        size = 0
        with open(source, "rb") as data, self.zf.open(info, "w", force_zip64=True) as out:
            while chunk := data.read(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        self.digests[relative] = digest.hexdigest()
        self.sizes[relative] = size
        return self.digests[relative]

    def add_lines(self, relative: str, lines: Iterable[str]) -> int:
        """Stream a text file line by line (the audit log); returns the number of lines."""
        info = zipfile.ZipInfo(f"{self.top}/{relative}", date_time=(2000, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        digest = hashlib.sha256()
        count = size = 0
        with self.zf.open(info, "w", force_zip64=True) as out:
            for line in lines:
                data = (line + "\n").encode("utf-8")
                out.write(data)
                digest.update(data)
                size += len(data)
                count += 1
        self.digests[relative] = digest.hexdigest()
        self.sizes[relative] = size
        return count

    def payload_oxum(self) -> str:
        return f"{sum(self.sizes.values())}.{len(self.sizes)}"

    def finish(self, tags: list[tuple[str, str]], key: signing.PublicKey, private_pem: bytes) -> str:
        """Write the tag files and the signature; returns the package's id (the tag manifest's sha256)."""
        tag_digests = {
            "bagit.txt": self.add("bagit.txt", rules.BAGIT_TXT.encode()),
            "bag-info.txt": self.add("bag-info.txt", rules.tag_text(tags).encode("utf-8")),
            rules.MANIFEST: self.add(
                rules.MANIFEST, rules.manifest_text(self.digests.items()).encode("utf-8")
            ),
            rules.KEY_FILE: self.add(rules.KEY_FILE, key.to_json().encode("utf-8")),
        }
        tagmanifest = rules.manifest_text(tag_digests.items()).encode("utf-8")
        self.add(rules.TAGMANIFEST, tagmanifest)
        self.add(
            rules.SIGNATURE_FILE, signing.signature_text(signing.sign(private_pem, tagmanifest)).encode()
        )
        return hashlib.sha256(tagmanifest).hexdigest()


def render_pdf(document: Any) -> tuple[bytes, int]:
    """An OfficialDocument as PDF bytes and its page count (runs in a worker process too).

    A refusal (a character no font has) comes back as a plain VillagegovError with its message id
    and values: the rooms' own exception classes need not survive pickling between processes.
    """
    import io

    from villagegov.core.errors import VillagegovError
    from villagegov.printing.document import write

    buffer = io.BytesIO()
    try:
        pages = write(document, buffer)
    except VillagegovError as exc:
        raise _PortableError(exc.msgid, exc.params) from None
    return buffer.getvalue(), pages


class _PortableError(Exception):
    """A VillagegovError's message id and values, as they cross from a worker process."""

    def __init__(self, msgid: str, params: dict[str, Any]) -> None:
        super().__init__(msgid, params)
        self.msgid, self.params = msgid, params


def warm_fonts() -> None:
    """A worker process loads the fonts once, before its first document."""
    from villagegov.printing.fonts import font_set

    font_set()


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False).encode("utf-8")


# --- reading -----------------------------------------------------------------------------------------


@dataclass
class PackageInfo:
    """What a sound package says about itself (read from package.json and the key)."""

    package_id: str  # sha256 of the tag manifest: the same package, however it was re-zipped
    village: str
    township: str
    county: str
    chain: int
    period_start: str
    period_end: str
    exported_at: str
    exporter: str
    fingerprint: str
    public_key: bytes
    segment: rules.ChainSegment
    record_counts: dict[str, int]
    documents: int
    personal_data: tuple[str, ...]  # files that hold personal data


def _shown_day(iso: str) -> str:
    """2026-01-01 → 2026年1月1日, as the screens show a day; text that is no date, as it is."""
    from datetime import date

    try:
        return format_date(date.fromisoformat(iso))
    except (TypeError, ValueError):
        return iso


def _shown_moment(iso: str) -> str:
    """2026-12-07T21:38:25.115065+08:00 → 2026年12月7日 21:38, as the exporting computer's clock said."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso
    return f"{format_date(moment.date())} {moment:%H:%M}"


@dataclass
class Report:
    file: Path
    findings: list[Finding] = field(default_factory=list)
    info: PackageInfo | None = None
    notes: list[str] = field(default_factory=list)  # facts worth saying that are not problems
    # What unpacking learnt of each file, so that nothing is read twice: its SHA-256, and a PDF's pages.
    digests: dict[str, str] = field(default_factory=dict, repr=False)
    pages: dict[str, int] = field(default_factory=dict, repr=False)
    payload: dict[str, int] = field(default_factory=dict, repr=False)  # each data/ file and its size
    files: int = 0  # the zip's entries, as progress counted them

    @property
    def ok(self) -> bool:
        return not self.findings and self.info is not None

    def lines(self) -> list[str]:
        out = [_("Package {file}").format(file=self.file)]
        if self.info is not None:
            i = self.info
            out.append(
                _("{village} ({township}, {county}), {start} to {end}, exported {at} by {who}").format(
                    village=i.village,
                    township=i.township,
                    county=i.county,
                    start=_shown_day(i.period_start),
                    end=_shown_day(i.period_end),
                    at=_shown_moment(i.exported_at),
                    who=i.exporter,
                )
            )
            out.append(_("Signed with the key {fingerprint}").format(fingerprint=i.fingerprint))
        out += self.notes
        for finding in self.findings:
            out.append("  ✗ " + finding.message())
        if self.ok:
            out.append(_("Sound: every check passed."))
        else:
            n = len(self.findings)
            from villagegov.core.i18n import ngettext

            out.append(ngettext("Not sound: {n} problem.", "Not sound: {n} problems.", n).format(n=n))
        return out


Progress = Callable[[int, int], None]  # (steps done, steps in all): one step a file, then a document


class Cancelled(errors.Cancelled):
    """The user stopped a verify or an import; the temporary folder is gone, nothing was written."""


def _zip_entries(zf: zipfile.ZipFile) -> list[rules.ZipEntry]:
    return [
        rules.ZipEntry(
            i.filename,
            i.file_size,
            i.compress_size,
            i.header_offset,
            i.external_attr >> 16,
            bool(i.flag_bits & 0x800),
        )
        for i in zf.infolist()
    ]


@contextmanager
def opened(
    path: Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    second_opinion: bool = False,
    documents: bool = False,
) -> Iterator[tuple[Report, Path | None]]:
    """Check and unpack a package into a fresh private folder; yields the report and the bag's folder.

    The folder (core/scratch.py) is removed when the block ends. The report is complete on entry: a
    package with findings must not be used. `second_opinion` also runs bagit-python's full
    validation of a sound bag (the township's import does; a verify is complete without it:
    RELIABILITY.md lists its holes, and our own checks hash every file, which is all a second hashing
    would add). The documents' PDFs are hashed and their pages counted as they pass; only with
    `documents` (an import, which stores them) are they written into the folder too.
    """
    from villagegov.core import scratch

    report = Report(Path(path))
    # The unpacked records hold personal data: a private folder, swept at the next start if killed.
    with scratch.work_folder("package") as work:
        root = _unpack(Path(path), work.path, report, progress, cancel, documents or second_opinion)
        if root is not None:
            verify_bag(root, report)
            if second_opinion and report.ok:
                _bagit_second_opinion(root, report.findings)
        yield report, root


def verify_file(
    path: Path, progress: Progress | None = None, cancel: threading.Event | None = None
) -> Report:
    with opened(path, progress, cancel) as (report, _root):
        return report


def note_unregistered(report: Report) -> None:
    """Where no database registers village keys: say the key was not compared with a registration."""
    if report.info is not None:
        report.notes.append(_("The key was not compared with a registration: this database registers none."))


class _Nowhere:
    def write(self, data: bytes) -> None:
        pass


@contextmanager
def _sink(target: str, write: bool) -> Iterator[Any]:
    """The file to unpack an entry into (made new: never an existing one), or nowhere."""
    if not write:
        yield _Nowhere()
        return
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "xb") as out:
        yield out


def _is_pdf_entry(relative: str) -> bool:
    return relative == rules.CATALOGUE_PDF or (
        relative.startswith(rules.DOCUMENTS_DIR) and relative.endswith(".pdf")
    )


def _unpack(
    path: Path,
    workdir: Path,
    report: Report,
    progress: Progress | None,
    cancel: threading.Event | None,
    documents: bool,
) -> Path | None:
    where = str(path.name)
    if not path.is_file():
        report.findings.append(Finding(where, N_("the file does not exist")))
        return None
    try:
        # Names written on Chinese Windows without the UTF-8 flag are GBK, not cp437 (RELIABILITY.md);
        # names with the flag are read as UTF-8 whatever this says.
        zf = zipfile.ZipFile(path, metadata_encoding="gbk")
    except (zipfile.BadZipFile, OSError, UnicodeDecodeError) as exc:
        report.findings.append(
            Finding(where, N_("the file is not a readable zip file ({detail})"), {"detail": str(exc)})
        )
        return None
    with zf:
        entries = _zip_entries(zf)
        top, findings = rules.check_zip_entries(entries, path.stat().st_size)
        if findings or not top:
            report.findings.extend(findings or [Finding(where, N_("the zip file is empty"))])
            return None
        base = workdir / "bag"
        base.mkdir()
        # The tree is ours, fresh, and holds no link (none is ever made), so the path as written is the
        # real path: checked with commonpath after normalising, without asking the file system each time.
        real_base = os.path.realpath(base)
        infos = zf.infolist()
        total = report.files = len(infos)
        for done, info in enumerate(infos, start=1):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            relative = info.filename.partition("/")[2]
            if not relative:
                continue
            target = os.path.normpath(os.path.join(real_base, relative))
            if os.path.commonpath([real_base, target]) != real_base:  # belt and braces after the name rules
                report.findings.append(Finding(info.filename, N_("the name leads out of the package (..)")))
                return None
            if info.is_dir():
                os.makedirs(target, exist_ok=True)
                continue
            digest = hashlib.sha256()
            pdf = _is_pdf_entry(relative)
            kept: list[bytes] = []
            size = 0
            try:
                # A PDF is read once, here: hashed, its pages counted, and written only for an import.
                with zf.open(info) as source, _sink(target, documents or not pdf) as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
                        if pdf:
                            kept.append(chunk)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                # zipfile stops at the declared size and checks the CRC: a lying entry ends here.
                report.findings.append(
                    Finding(info.filename, N_("the entry cannot be read ({detail})"), {"detail": str(exc)})
                )
                return None
            report.digests[relative] = digest.hexdigest()
            if relative.startswith("data/"):
                report.payload[relative] = size
            if pdf:
                # Pages counted while the bytes pass (one document at a time): the catalogue's check
                # needs no second read. Not a PDF at all counts as no pages.
                content = b"".join(kept)
                report.pages[relative] = (
                    rules.count_pdf_pages(content) if content.startswith(b"%PDF-") else -1
                )
            if progress is not None:
                progress(done, total)
    return base


# --- verifying an unpacked bag ------------------------------------------------------------------------


def _read_json(root: Path, relative: str, report: Report) -> Any:
    try:
        return json.loads((root / relative).read_text("utf-8"))
    except FileNotFoundError:
        report.findings.append(Finding(relative, N_("the file is missing")))
    except (ValueError, UnicodeDecodeError) as exc:
        report.findings.append(
            Finding(relative, N_("the file is not valid JSON ({detail})"), {"detail": str(exc)})
        )
    return None


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_bag(root: Path, report: Report) -> None:
    """Every check of an unpacked package; each finding names its file, record or entry."""
    digests = report.digests

    def digest_of(relative: str) -> str:
        return digests.get(relative) or _digest(root / relative)

    f = report.findings
    # 1. bagit.txt and the tag manifest, then the signature over the tag manifest.
    try:
        if (root / "bagit.txt").read_text("utf-8") != rules.BAGIT_TXT:
            f.append(Finding("bagit.txt", N_("the file is not a BagIt 1.0 declaration")))
        tagmanifest = (root / rules.TAGMANIFEST).read_bytes()
    except FileNotFoundError as exc:
        f.append(Finding(Path(exc.filename).name, N_("the file is missing")))
        return
    tags, problems = rules.parse_manifest(tagmanifest.decode("utf-8", "replace"), rules.TAGMANIFEST)
    f += problems
    for name in rules.SIGNED_TAG_FILES:
        if name not in tags:
            f.append(Finding(rules.TAGMANIFEST, N_("{path} is not listed"), {"path": name}))
    for name, want in tags.items():
        if name not in rules.SIGNED_TAG_FILES:
            f.append(
                Finding(rules.TAGMANIFEST, N_("{path} is not a tag file of the package"), {"path": name})
            )
        elif not (root / name).is_file():
            f.append(Finding(name, N_("the file is missing")))
        elif digest_of(name) != want:
            f.append(Finding(name, N_("the file's checksum does not match the tag manifest")))
    try:
        key = signing.parse_public_key((root / rules.KEY_FILE).read_text("utf-8"))
        signature = (root / rules.SIGNATURE_FILE).read_text("ascii")
    except FileNotFoundError as exc:
        f.append(Finding(Path(exc.filename).name, N_("the file is missing")))
        return
    except (ValueError, UnicodeDecodeError) as exc:
        f.append(
            Finding(rules.KEY_FILE, N_("the village's key cannot be read ({detail})"), {"detail": str(exc)})
        )
        return
    if not signing.check_signature(key.public_key, tagmanifest, signature):
        f.append(
            Finding(
                rules.SIGNATURE_FILE,
                N_("the signature does not match: the package was changed after the village signed it"),
            )
        )

    # 2. The payload manifest against the files, with our own path checks.
    try:
        manifest_text = (root / rules.MANIFEST).read_text("utf-8")
    except FileNotFoundError:
        f.append(Finding(rules.MANIFEST, N_("the file is missing")))
        return
    manifest, problems = rules.parse_manifest(manifest_text, rules.MANIFEST)
    f += problems
    real_root = os.path.realpath(root)
    on_disk = report.payload  # every data/ file the zip held (unpacking made no link and no other file)
    for relative, want in sorted(manifest.items()):
        if relative not in on_disk:
            # Only a name that names none of our files can lead out of the package: look at those.
            target = os.path.normpath(os.path.join(real_root, relative))
            if not relative.startswith("data/") or os.path.commonpath([real_root, target]) != real_root:
                f.append(
                    Finding(
                        rules.MANIFEST, N_("{path} is outside the package's data folder"), {"path": relative}
                    )
                )
            else:
                f.append(Finding(relative, N_("the file is listed in the manifest but missing")))
        elif digest_of(relative) != want:
            f.append(Finding(relative, N_("the file's checksum does not match the manifest")))
    for relative in sorted(set(on_disk) - set(manifest)):
        f.append(Finding(relative, N_("the file is not listed in the manifest")))

    # 3. bag-info.txt and package.json, which must say the same.
    info_text = (root / "bag-info.txt").read_text("utf-8") if (root / "bag-info.txt").is_file() else ""
    bag_info = rules.parse_tags(info_text)
    package = _read_json(root, rules.PACKAGE_JSON, report)
    if not isinstance(package, dict):
        return
    if package.get("format") != rules.FORMAT or package.get("format_version") != rules.FORMAT_VERSION:
        f.append(
            Finding(
                rules.PACKAGE_JSON,
                N_(
                    "unknown package format {format} {version}: this version of villagegov reads "
                    "format {known}"
                ),
                {
                    "format": package.get("format"),
                    "version": package.get("format_version"),
                    "known": rules.FORMAT_VERSION,
                },
            )
        )
        return
    try:
        info = _package_info(package, key, hashlib.sha256(tagmanifest).hexdigest())
    except (KeyError, TypeError, ValueError) as exc:
        f.append(
            Finding(
                rules.PACKAGE_JSON,
                N_("a required field is missing or wrong ({detail})"),
                {"detail": str(exc)},
            )
        )
        return
    _check_bag_info(bag_info, package, on_disk, f)
    if (key.village, key.township, key.county) != (info.village, info.township, info.county):
        f.append(
            Finding(
                rules.KEY_FILE,
                N_("the key belongs to {other}, not to the package's village"),
                {"other": f"{key.county}{key.township}{key.village}"},
            )
        )

    # 4. The audit log (each audited row's last state kept, nothing more); 5. the records against their
    # schemas and those states, one record at a time; 6. the catalogue against the documents.
    states = _check_audit(root, package, info, f)
    ids = _check_records(root, package, states, f)
    _check_catalogue(root, package, ids, manifest, report.pages, f)
    report.info = info


def _package_info(package: dict[str, Any], key: signing.PublicKey, package_id: str) -> PackageInfo:
    village, audit = package["village"], package["audit"]
    hashes: dict[int, str] = {}
    first = int(audit["first_seq"])
    rules.export_order(
        str(package["exported_at"])
    )  # the township orders exports by it: an instant, or refused
    return PackageInfo(
        package_id=package_id,
        village=str(village["name"]),
        township=str(village["township"]),
        county=str(village["county"]),
        chain=int(village["chain"]),
        period_start=str(package["period"]["start"]),
        period_end=str(package["period"]["end"]),
        exported_at=str(package["exported_at"]),
        exporter=str(package["exporter"]["display_name"]),
        fingerprint=key.fingerprint,
        public_key=key.public_key,
        segment=rules.ChainSegment(
            package="",
            exported_at=str(package["exported_at"]),
            first=first,
            prev_hash=str(audit["prev_hash"]),
            head=int(audit["head_seq"]),
            head_hash=str(audit["head_hash"]),
            hashes=hashes,
        ),
        record_counts={str(s["kind"]): int(s["count"]) for s in package["record_sets"]},
        documents=int(package["documents"]),
        personal_data=tuple(str(p) for p in package.get("personal_data", [])),
    )


def bag_info_tags(package: dict[str, Any], oxum: str) -> list[tuple[str, str]]:
    """bag-info.txt from package.json: BagIt's own labels, then the village's."""
    v, audit = package["village"], package["audit"]
    tags = [
        (
            "Source-Organization",
            f"{v['name']}村民委员会" if not str(v["name"]).endswith("委员会") else v["name"],
        ),
        ("Organization-Address", f"{v['county']}{v['township']}{v['name']}"),
        (
            "External-Description",
            f"{v['name']}村级档案 {package['period']['start']} 至 {package['period']['end']}",
        ),
        ("Bagging-Date", str(package["exported_at"])[:10]),
        ("Bag-Software-Agent", str(package["software"])),
        ("Payload-Oxum", oxum),
        ("Village", v["name"]),
        ("Township", v["township"]),
        ("County", v["county"]),
        ("Period-Start", package["period"]["start"]),
        ("Period-End", package["period"]["end"]),
        ("Exporter", f"{package['exporter']['display_name']} ({package['exporter']['username']})"),
        ("Export-Time", package["exported_at"]),
        ("Document-Count", str(package["documents"])),
        ("Record-Count", str(sum(int(s["count"]) for s in package["record_sets"]))),
    ]
    tags += [("Records", f"{s['kind']} {s['count']}") for s in package["record_sets"]]
    tags += [
        ("Audit-Entry-Count", str(audit["entries"])),
        (
            "Audit-Chain-Start",
            f"{int(audit['first_seq']) - 1 if audit['first_seq'] else audit['head_seq']} "
            f"{audit['prev_hash']}",
        ),
        ("Audit-Chain-Head", f"{audit['head_seq']} {audit['head_hash']}"),
        ("Personal-Data", " ".join(package.get("personal_data", [])) or "-"),
    ]
    return tags


def _check_bag_info(
    bag_info: dict[str, list[str]], package: dict[str, Any], payload: dict[str, int], f: list[Finding]
) -> None:
    oxum = f"{sum(payload.values())}.{len(payload)}"
    want = bag_info_tags(package, oxum)
    wanted: dict[str, list[str]] = {}
    for label, value in want:
        wanted.setdefault(label, []).append(" ".join(str(value).split()))
    for label, values in wanted.items():
        found = bag_info.get(label)
        if found is None:
            f.append(Finding("bag-info.txt", N_("{label} is missing"), {"label": label}))
        elif found != values:
            f.append(
                Finding(
                    "bag-info.txt",
                    N_("{label} says {found}, but the package says {want}"),
                    {"label": label, "found": "; ".join(found), "want": "; ".join(values)},
                )
            )


_COMPILED: dict[tuple[str, int, bool], Any] = {}


class _BadSchema(Exception):
    """A package's own (older) schema that is not a JSON Schema."""


def _record_checker(kind: str, version: int, schema: Any, our_version: int, our_schema: Any) -> Any:
    """One record's first schema error as (path, message), or None.

    Our own schema of a kind is compiled to Python by fastjsonschema (~50x jsonschema: a year's
    records are checked in milliseconds, not seconds); a package's older schema is untrusted input,
    never compiled into code, and goes through jsonschema (imported only then).
    """
    if version == our_version:
        import fastjsonschema

        def compiled(detailed: bool) -> Any:
            # Without the details each check is half the code, compiled in half the time; the detailed
            # check, which says where and why, is compiled only for a record that fails.
            if (kind, version, detailed) not in _COMPILED:
                _COMPILED[(kind, version, detailed)] = fastjsonschema.compile(
                    our_schema, detailed_exceptions=detailed
                )
            return _COMPILED[(kind, version, detailed)]

        quick = compiled(False)

        def fast(record: Any) -> tuple[str, str] | None:
            try:
                quick(record)
            except fastjsonschema.JsonSchemaValueException:
                try:
                    compiled(True)(record)
                except fastjsonschema.JsonSchemaValueException as exc:
                    return "/".join(str(p) for p in exc.path[1:]), exc.message
            return None

        return fast
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        raise _BadSchema() from exc
    validator = Draft202012Validator(schema)

    def slow(record: Any) -> tuple[str, str] | None:
        for error in validator.iter_errors(record):
            return "/".join(str(p) for p in error.absolute_path), error.message
        return None

    return slow


def _record_label(kind: str, relative: str, record: Any, index: int) -> str:
    if isinstance(record, dict) and "id" in record:
        return _("{kind} record {id}").format(kind=kind, id=record["id"])
    return _("{file}, record {n}").format(file=relative, n=index)


class _JsonStream:
    """A records file read a record at a time, so a year's records never sit in memory whole.

    The file is one JSON object; the keys before "records" (kind, schema_version, schema,
    personal_data, as the export writes them) are read into `header`, then `records()` gives the
    array's elements one by one, then `finish()` reads the keys after it and requires the end of the
    file. Anything that is not valid JSON raises ValueError, as json.loads would; a key given twice
    is refused too.
    """

    _SPACE = re.compile(r"[ \t\n\r]*")

    def __init__(self, path: Path) -> None:
        self.file = open(path, encoding="utf-8")  # noqa: SIM115 (closed by close())
        self.buffer, self.pos, self.eof = "", 0, False
        self.decoder = json.JSONDecoder()
        self.header: dict[str, Any] = {}
        self.at_records = False

    def close(self) -> None:
        self.file.close()

    def _more(self) -> None:
        chunk = self.file.read(CHUNK)
        self.eof = not chunk
        self.buffer, self.pos = self.buffer[self.pos :] + chunk, 0

    def _space(self) -> str:
        """Skip white space; the next character ("" at the end of the file)."""
        while True:
            self.pos = self._SPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer) or self.eof:
                return self.buffer[self.pos : self.pos + 1]
            self._more()

    def _value(self) -> Any:
        while True:
            self._space()
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError:
                if self.eof:
                    raise
                self._more()
                continue
            if end == len(self.buffer) and not self.eof:  # a number may go on in the next chunk
                self._more()
                continue
            self.pos = end
            return value

    def _expect(self, char: str) -> None:
        if self._space() != char:
            raise ValueError(f"expected {char!r} at character {self.pos}")
        self.pos += 1

    def _key(self) -> str | None:
        """The next key of the top object, or None at its end."""
        following = self._space()
        if following == "}":
            self.pos += 1
            return None
        if self.header or self.at_records:
            self._expect(",")
        key = self._value()
        if not isinstance(key, str):
            raise ValueError("an object key is not a string")
        self._expect(":")
        if key in self.header or (key == "records" and self.at_records):
            raise ValueError(f"the key {key!r} is given twice")
        return key

    def open(self) -> None:
        """Read up to the records (or the end of the object, if it has none)."""
        self._expect("{")
        while (key := self._key()) is not None:
            if key == "records":
                self.at_records = True
                return
            self.header[key] = self._value()
        self._end()

    def records(self) -> Iterator[Any]:
        if not self.at_records:
            return
        self._expect("[")
        if self._space() == "]":
            self.pos += 1
            return
        while True:
            yield self._value()
            following = self._space()
            self.pos += 1
            if following == "]":
                return
            if following != ",":
                raise ValueError(f"expected ',' or ']' at character {self.pos}")

    def finish(self) -> None:
        if not self.at_records:
            return
        while (key := self._key()) is not None:
            self.header[key] = self._value()
        self._end()

    def _end(self) -> None:
        if self._space() != "":
            raise ValueError(f"extra data at character {self.pos}")


@dataclass
class _AuditedRows:
    """The audited tables the package's records name, and each row's last state in the audit log."""

    kinds: dict[str, str] = field(default_factory=dict)  # entity -> record kind
    fields: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # entity -> (key, column)
    # (entity, row id) -> (seq of its last entry, written in the period, the row after it or None)
    last: dict[tuple[str, str], tuple[int, bool, str | None]] = field(default_factory=dict)


def _audited_rows(package: dict[str, Any]) -> _AuditedRows:
    rows = _AuditedRows()
    for entry in package.get("record_sets", []):
        entity = entry.get("entity") or ""
        if isinstance(entity, str) and entity:
            rows.kinds[entity] = str(entry.get("kind"))
            pairs = []
            for name in entry.get("audited_fields") or ():
                key, _sep, column = str(name).partition(":")  # "for:for_": the record names it otherwise
                pairs.append((key, column or key))
            rows.fields[entity] = tuple(pairs)
    return rows


_HASH_PAIR = re.compile(r',"hash":"([0-9a-f]{64})"')


def _check_audit(root: Path, package: dict[str, Any], info: PackageInfo, f: list[Finding]) -> _AuditedRows:
    """The log continuous, each entry's hash right, of the village's chain, ending at the anchored head.

    Only what the records need is kept: each audited row's last entry (see `_AuditedRows`).
    """
    from datetime import date

    from villagegov.archive.contract import Period, audit_bounds
    from villagegov.core.audit import canonical, hashed_fields_keys

    rows = _audited_rows(package)
    audit = package["audit"]
    path = root / rules.AUDIT_JSONL
    if not path.is_file():
        f.append(Finding(rules.AUDIT_JSONL, N_("the file is missing")))
        return rows
    start, end = audit_bounds(
        Period(date.fromisoformat(info.period_start), date.fromisoformat(info.period_end))
    )
    want_seq, want_prev = int(audit["first_seq"]), str(audit["prev_hash"])
    keys = hashed_fields_keys()
    count, head = 0, None
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            text = line.rstrip("\n")
            try:
                entry = json.loads(text)
                seq = int(entry["seq"])
                digest = str(entry.get("hash"))
                complete = all(k in entry for k in keys)
            except (ValueError, KeyError, TypeError):
                complete = False
            if not complete:
                f.append(Finding(f"{rules.AUDIT_JSONL}:{number}", N_("the line is not an audit entry")))
                return rows
            label = _("audit entry {seq}").format(seq=seq)
            if entry["chain"] != info.chain:
                f.append(Finding(label, N_("belongs to another village's chain")))
            if seq != want_seq:
                f.append(
                    Finding(
                        _("audit entry {seq}").format(seq=want_seq),
                        N_("missing: the chain jumps from entry {before} to entry {after}"),
                        {"before": want_seq - 1, "after": seq},
                    )
                )
            elif entry["prev_hash"] != want_prev:
                f.append(Finding(label, N_("does not link to the entry before it")))
            # The export writes each line as the entry's canonical text with its hash added: without
            # the hash, the line is the text that was hashed. Only a line written otherwise is made
            # canonical again (the same result, slower).
            pair = _HASH_PAIR.search(text)
            hashed = text[: pair.start()] + text[pair.end() :] if pair else ""
            if hashlib.sha256(hashed.encode("utf-8")).hexdigest() != digest and (
                hashlib.sha256(canonical({k: entry[k] for k in keys}).encode("utf-8")).hexdigest() != digest
            ):
                f.append(Finding(label, N_("its content was changed after it was written")))
            if number == 1 and str(entry["at"]) < start:
                f.append(Finding(label, N_("was written before the period began")))
            want_seq, want_prev = seq + 1, digest
            info.segment.hashes[seq] = digest
            count += 1
            head = (seq, digest)
            entity, row = entry["entity"], entry["entity_id"]
            if entity in rows.kinds and row is not None:
                key = (str(entity), str(row))
                before = rows.last.get(key)
                in_period = str(entry["at"]) < end or (before is not None and before[1])
                after = entry["after"]
                rows.last[key] = (seq, in_period, after if isinstance(after, str) else None)
    if count != int(audit["entries"]):
        f.append(
            Finding(
                rules.AUDIT_JSONL,
                N_("it holds {found} entries, but the package says {want}"),
                {"found": count, "want": audit["entries"]},
            )
        )
    if head is not None and (head[0] != int(audit["head_seq"]) or head[1] != audit["head_hash"]):
        f.append(
            Finding(
                rules.AUDIT_JSONL,
                N_(
                    "the log ends at entry {seq}, but the package's anchored head is entry {head}: "
                    "entries were removed from its end"
                ),
                {"seq": head[0], "head": audit["head_seq"]},
            )
        )
    return rows


def _check_records(
    root: Path, package: dict[str, Any], rows: _AuditedRows, f: list[Finding]
) -> dict[str, set[str]]:
    """Each records file against its schema, and each record against its row's last audited state,
    a record at a time; returns the record ids of each kind (for the catalogue)."""
    from villagegov.archive.contract import known_schemas

    known = known_schemas()
    ids: dict[str, set[str]] = {}
    listed = set()
    seen: dict[str, set[str]] = {}  # entity -> the rows the records hold
    for entry in package.get("record_sets", []):
        kind = str(entry.get("kind"))
        relative = f"{rules.RECORDS_DIR}{kind}.json"
        listed.add(relative)
        path = root / relative
        if not path.is_file():
            f.append(Finding(relative, N_("the file is missing")))
            continue
        stream = _JsonStream(path)
        try:
            found = _check_record_file(stream, kind, relative, entry, known, rows, f)
        except (ValueError, UnicodeDecodeError) as exc:
            f.append(Finding(relative, N_("the file is not valid JSON ({detail})"), {"detail": str(exc)}))
            continue
        finally:
            stream.close()
        if found is None:
            continue
        ids[kind], present = found
        entity = next((e for e, k in rows.kinds.items() if k == kind), "")
        if entity:
            seen[entity] = present
    # A row the period's log wrote (and did not delete) must be in the records.
    for (entity, rid), (seq, in_period, after) in rows.last.items():
        if entity in seen and in_period and after is not None and rid not in seen[entity]:
            f.append(
                Finding(
                    _("{kind} record {id}").format(kind=rows.kinds[entity], id=rid),
                    N_("is missing, though {entry} wrote it in the period"),
                    {"entry": _("audit entry {seq}").format(seq=seq)},
                )
            )
    records_dir = root / "data" / "records"
    on_disk = (
        {p.relative_to(root).as_posix() for p in records_dir.glob("*.json")}
        if records_dir.is_dir()
        else set()
    )
    for extra in sorted(on_disk - listed):
        f.append(Finding(extra, N_("the file is not named in package.json")))
    return ids


def _check_record_file(
    stream: _JsonStream,
    kind: str,
    relative: str,
    entry: dict[str, Any],
    known: dict[str, tuple[int, Any]],
    rows: _AuditedRows,
    f: list[Finding],
) -> tuple[set[str], set[str]] | None:
    """One records file; (record ids, rows held) or None when its records could not be checked."""
    stream.open()
    data = stream.header
    if stream.at_records and not {"kind", "schema_version", "schema"} <= data.keys():
        # Written in another order than the export writes: read whole, as any JSON reader would.
        stream.close()
        whole = json.loads(Path(stream.file.name).read_text("utf-8"))
        if not isinstance(whole, dict):
            raise ValueError("the file is not a JSON object")
        if not isinstance(whole.get("records"), list):
            whole["records"] = None  # named below, as a file without records
        data, records, finish = whole, iter(whole["records"] or []), None
    else:
        records, finish = stream.records(), stream.finish
    version = data.get("schema_version")
    if data.get("kind") != kind or version != entry.get("schema_version"):
        f.append(Finding(relative, N_("its kind or schema version differs from package.json")))
        return None
    if kind not in known:
        f.append(
            Finding(relative, N_("unknown record kind {kind}: update villagegov to read it"), {"kind": kind})
        )
        return None
    our_version, our_schema = known[kind]
    if not isinstance(version, int) or version > our_version:
        f.append(
            Finding(
                relative,
                N_(
                    "unknown schema version {version} of {kind} (this version of villagegov "
                    "knows up to {known})"
                ),
                {"version": version, "kind": kind, "known": our_version},
            )
        )
        return None
    schema = data.get("schema")
    if version == our_version and schema != our_schema:
        f.append(
            Finding(
                relative,
                N_("its schema is not the schema of {kind} version {version}"),
                {"kind": kind, "version": version},
            )
        )
        return None
    if (not stream.at_records and finish is not None) or ("records" in data and data["records"] is None):
        f.append(
            Finding(
                relative,
                N_("it does not hold the {n} records package.json counts"),
                {"n": entry.get("count")},
            )
        )
        return None
    try:
        check = _record_checker(kind, version, schema, our_version, our_schema)
    except _BadSchema:
        f.append(Finding(relative, N_("its schema cannot be read")))
        return None
    entity = next((e for e, k in rows.kinds.items() if k == kind), "")
    pairs = rows.fields.get(entity, ())
    ids: set[str] = set()
    present: set[str] = set()
    count = 0
    for index, record in enumerate(records, start=1):
        count = index
        has_id = isinstance(record, dict) and "id" in record
        error = check(record)
        if error is not None:
            f.append(
                Finding(
                    _record_label(kind, relative, record, index),
                    N_("does not match its schema at {path}: {detail}"),
                    {"path": error[0] or "-", "detail": error[1]},
                )
            )
        if not has_id:
            continue
        rid = str(record["id"])
        if rid in ids:
            f.append(Finding(_record_label(kind, relative, record, index), N_("appears twice")))
        ids.add(rid)
        if entity:
            present.add(rid)
            _compare_with_log(kind, rid, record, entity, pairs, rows, f)
    if finish is not None:
        finish()
    if count != entry.get("count"):
        f.append(
            Finding(
                relative,
                N_("it does not hold the {n} records package.json counts"),
                {"n": entry.get("count")},
            )
        )
    return ids, present


def _compare_with_log(
    kind: str,
    rid: str,
    record: dict[str, Any],
    entity: str,
    pairs: tuple[tuple[str, str], ...],
    rows: _AuditedRows,
    f: list[Finding],
) -> None:
    """A record against its row's last audited state: deleted by the log, or a field that differs."""
    state = rows.last.get((entity, rid))
    if state is None:
        return  # not written since the period began: the signature is all there is to check
    seq, _in_period, after_text = state
    label = _("{kind} record {id}").format(kind=kind, id=rid)
    where = _("audit entry {seq}").format(seq=seq)
    if after_text is None:
        f.append(Finding(label, N_("is in the package, but {entry} deleted it"), {"entry": where}))
        return
    try:
        after = json.loads(after_text)
    except ValueError:
        return  # the entry's own hash check speaks for it
    for key, column in pairs:
        if column in after and record.get(key) != after[column]:
            f.append(
                Finding(
                    label,
                    N_("{field} differs from its last audited state ({entry})"),
                    {"field": key, "entry": where},
                )
            )
            return


def _check_catalogue(
    root: Path,
    package: dict[str, Any],
    ids: dict[str, set[str]],
    manifest: dict[str, str],
    pages: dict[str, int],
    f: list[Finding],
) -> None:
    catalogue = _read_json(root, rules.CATALOGUE_JSON, _Sink(f))
    if not isinstance(catalogue, dict):
        return
    where = rules.CATALOGUE_JSON
    for key in ("village", "period", "audit_head"):
        want = (
            package["village"]
            if key == "village"
            else package["period"]
            if key == "period"
            else {"seq": package["audit"]["head_seq"], "hash": package["audit"]["head_hash"]}
        )
        if catalogue.get(key) != want:
            f.append(Finding(where, N_("its {what} differs from package.json"), {"what": key}))
    listed: set[str] = set()
    documents = catalogue.get("documents")
    if not isinstance(documents, list):
        f.append(Finding(where, N_("it lists no documents")))
        return
    start, end = package["period"]["start"], package["period"]["end"]
    for number, doc in enumerate(documents, start=1):
        try:
            name = str(doc["file"])
            label = _("catalogue item {n} ({file})").format(n=number, file=name)
            relative = rules.DOCUMENTS_DIR + name
            if name in listed:
                f.append(Finding(label, N_("is listed twice")))
            listed.add(name)
            if relative not in pages:
                f.append(Finding(label, N_("its document is missing")))
                continue
            if doc["sha256"] != manifest.get(relative):
                f.append(Finding(label, N_("its checksum differs from the document's")))
            found = pages[relative]  # counted while unpacking; -1: not a PDF
            if found != doc["pages"]:
                f.append(
                    Finding(
                        label,
                        N_("the catalogue says {want} pages, the document has {found}"),
                        {"want": doc["pages"], "found": max(found, 0)},
                    )
                )
            if str(doc["record_id"]) not in ids.get(str(doc["record_kind"]), set()):
                f.append(
                    Finding(
                        label,
                        N_("its record ({kind} {id}) is not in the package"),
                        {"kind": doc["record_kind"], "id": doc["record_id"]},
                    )
                )
            if not start <= str(doc["date"]) <= end:
                f.append(Finding(label, N_("its date {date} is outside the period"), {"date": doc["date"]}))
        except (KeyError, TypeError):
            f.append(Finding(_("catalogue item {n}").format(n=number), N_("a required field is missing")))
    on_disk = {p[len(rules.DOCUMENTS_DIR) :] for p in pages if p.startswith(rules.DOCUMENTS_DIR)}
    for extra in sorted(on_disk - listed):
        f.append(Finding(rules.DOCUMENTS_DIR + extra, N_("the document is not in the catalogue")))
    if len(documents) != int(package["documents"]):
        f.append(
            Finding(
                where,
                N_("it lists {found} documents, but the package says {want}"),
                {"found": len(documents), "want": package["documents"]},
            )
        )


class _Sink:
    """Lets _read_json add findings to a list as to a report."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings


def _bagit_second_opinion(root: Path, f: list[Finding]) -> None:
    import logging

    import bagit

    logging.getLogger("bagit").setLevel(logging.ERROR)
    try:
        bagit.Bag(str(root)).validate(processes=1, fast=False)
    except bagit.BagValidationError as exc:
        details = "; ".join(str(d) for d in exc.details) or str(exc.message)
        f.append(Finding("bagit", N_("the bag fails BagIt validation: {detail}"), {"detail": details}))
    except bagit.BagError as exc:
        f.append(Finding("bagit", N_("the bag fails BagIt validation: {detail}"), {"detail": str(exc)}))
