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
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from villagegov.archive import rules, signing
from villagegov.archive.rules import Finding
from villagegov.core.i18n import N_, _

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


@dataclass
class Report:
    file: Path
    findings: list[Finding] = field(default_factory=list)
    info: PackageInfo | None = None
    notes: list[str] = field(default_factory=list)  # facts worth saying that are not problems

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
                    start=i.period_start,
                    end=i.period_end,
                    at=i.exported_at,
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
def opened(path: Path, keep: Callable[[], bool] | None = None) -> Iterator[tuple[Report, Path | None]]:
    """Check and unpack a package into a fresh temporary folder; yields the report and the bag's folder.

    The folder is removed when the block ends. The report is complete on entry: a package with
    findings must not be used.
    """
    report = Report(Path(path))
    workdir = Path(tempfile.mkdtemp(prefix="villagegov-package-"))
    try:
        root = _unpack(Path(path), workdir, report)
        if root is not None:
            verify_bag(root, report)
        yield report, root
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def verify_file(path: Path) -> Report:
    with opened(path) as (report, _root):
        return report


def _unpack(path: Path, workdir: Path, report: Report) -> Path | None:
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
        real_base = os.path.realpath(base)
        report_digests: dict[str, str] = {}
        for info in zf.infolist():
            relative = info.filename.partition("/")[2]
            if not relative:
                continue
            target = os.path.realpath(os.path.join(base, relative))
            if os.path.commonpath([real_base, target]) != real_base:  # belt and braces after the name rules
                report.findings.append(Finding(info.filename, N_("the name leads out of the package (..)")))
                return None
            if info.is_dir():
                os.makedirs(target, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(target), exist_ok=True)
            digest = hashlib.sha256()
            try:
                with zf.open(info) as source, open(target, "xb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                # zipfile stops at the declared size and checks the CRC: a lying entry ends here.
                report.findings.append(
                    Finding(info.filename, N_("the entry cannot be read ({detail})"), {"detail": str(exc)})
                )
                return None
            report_digests[relative] = digest.hexdigest()
    report._digests = report_digests  # type: ignore[attr-defined]
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


def _payload_files(root: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for dirpath, dirnames, filenames in os.walk(root / "data", followlinks=False):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            full = Path(dirpath) / name
            files[full.relative_to(root).as_posix()] = full
    return files


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def verify_bag(root: Path, report: Report) -> None:
    """Every check of an unpacked package; each finding names its file, record or entry."""
    digests: dict[str, str] = getattr(report, "_digests", {})

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
    on_disk = _payload_files(root)
    for relative, want in sorted(manifest.items()):
        target = os.path.realpath(os.path.join(root, relative))
        if not relative.startswith("data/") or os.path.commonpath([real_root, target]) != real_root:
            f.append(
                Finding(rules.MANIFEST, N_("{path} is outside the package's data folder"), {"path": relative})
            )
            continue
        path = on_disk.get(relative)
        if path is None:
            f.append(Finding(relative, N_("the file is listed in the manifest but missing")))
        elif path.is_symlink():
            f.append(Finding(relative, N_("the entry is a link")))
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

    # 4. Records against their schemas; 5. the audit log; 6. the catalogue.
    records = _check_records(root, package, f)
    entries = _check_audit(root, package, info, f)
    _check_consistency(package, records, entries, f)
    _check_catalogue(root, package, records, manifest, digests, f)
    report.info = info
    # 7. A second opinion from an independent BagIt implementation (full, never `fast`).
    if not f:
        _bagit_second_opinion(root, f)


def _package_info(package: dict[str, Any], key: signing.PublicKey, package_id: str) -> PackageInfo:
    village, audit = package["village"], package["audit"]
    hashes: dict[int, str] = {}
    first = int(audit["first_seq"])
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
    bag_info: dict[str, list[str]], package: dict[str, Any], on_disk: dict[str, Path], f: list[Finding]
) -> None:
    oxum = f"{sum(p.stat().st_size for p in on_disk.values())}.{len(on_disk)}"
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


_COMPILED: dict[tuple[str, int], Any] = {}


def _record_checker(kind: str, version: int, schema: Any, our_version: int, our_schema: Any) -> Any:
    """One record's first schema error as (path, message), or None.

    Our own schema of a kind is compiled to Python by fastjsonschema (~50x jsonschema: a year's
    records are checked in milliseconds, not seconds); a package's older schema is untrusted input,
    never compiled into code, and goes through jsonschema.
    """
    from jsonschema import Draft202012Validator

    if version == our_version:
        compiled = _COMPILED.get((kind, version))
        if compiled is None:
            import fastjsonschema

            compiled = _COMPILED[(kind, version)] = fastjsonschema.compile(our_schema)

        def fast(record: Any) -> tuple[str, str] | None:
            import fastjsonschema

            try:
                compiled(record)
            except fastjsonschema.JsonSchemaValueException as exc:
                return "/".join(str(p) for p in exc.path[1:]), exc.message
            return None

        return fast
    validator = Draft202012Validator(schema)
    validator.check_schema(schema)

    def slow(record: Any) -> tuple[str, str] | None:
        for error in validator.iter_errors(record):
            return "/".join(str(p) for p in error.absolute_path), error.message
        return None

    return slow


def _record_label(kind: str, relative: str, record: Any, index: int) -> str:
    if isinstance(record, dict) and "id" in record:
        return _("{kind} record {id}").format(kind=kind, id=record["id"])
    return _("{file}, record {n}").format(file=relative, n=index)


def _check_records(root: Path, package: dict[str, Any], f: list[Finding]) -> dict[str, dict[str, Any]]:
    from jsonschema.exceptions import SchemaError

    from villagegov.archive.contract import known_schemas

    known = known_schemas()
    found: dict[str, dict[str, Any]] = {}
    listed = set()
    for entry in package.get("record_sets", []):
        kind = str(entry.get("kind"))
        relative = f"{rules.RECORDS_DIR}{kind}.json"
        listed.add(relative)
        data = _read_json(root, relative, _Sink(f))
        if not isinstance(data, dict):
            continue
        version = data.get("schema_version")
        if data.get("kind") != kind or version != entry.get("schema_version"):
            f.append(Finding(relative, N_("its kind or schema version differs from package.json")))
            continue
        if kind not in known:
            f.append(
                Finding(
                    relative, N_("unknown record kind {kind}: update villagegov to read it"), {"kind": kind}
                )
            )
            continue
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
            continue
        schema = data.get("schema")
        if version == our_version and schema != our_schema:
            f.append(
                Finding(
                    relative,
                    N_("its schema is not the schema of {kind} version {version}"),
                    {"kind": kind, "version": version},
                )
            )
            continue
        rows = data.get("records")
        if not isinstance(rows, list) or len(rows) != entry.get("count"):
            f.append(
                Finding(
                    relative,
                    N_("it does not hold the {n} records package.json counts"),
                    {"n": entry.get("count")},
                )
            )
            continue
        try:
            check = _record_checker(kind, version, schema, our_version, our_schema)
        except SchemaError:
            f.append(Finding(relative, N_("its schema cannot be read")))
            continue
        ids: set[Any] = set()
        for index, record in enumerate(rows, start=1):
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
            if has_id:
                if record["id"] in ids:
                    f.append(Finding(_record_label(kind, relative, record, index), N_("appears twice")))
                ids.add(record["id"])
        found[kind] = {"entry": entry, "records": rows}
    on_disk = (
        {p.relative_to(root).as_posix() for p in (root / "data" / "records").glob("*.json")}
        if (root / "data" / "records").is_dir()
        else set()
    )
    for extra in sorted(on_disk - listed):
        f.append(Finding(extra, N_("the file is not named in package.json")))
    return found


class _Sink:
    """Lets _read_json add findings to a list as to a report."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings


def _check_audit(
    root: Path, package: dict[str, Any], info: PackageInfo, f: list[Finding]
) -> list[dict[str, Any]]:
    from datetime import date

    from villagegov.archive.contract import Period, audit_bounds
    from villagegov.core.audit import canonical, hashed_fields_keys

    audit = package["audit"]
    entries: list[dict[str, Any]] = []
    path = root / rules.AUDIT_JSONL
    if not path.is_file():
        f.append(Finding(rules.AUDIT_JSONL, N_("the file is missing")))
        return entries
    start, _end = audit_bounds(
        Period(date.fromisoformat(info.period_start), date.fromisoformat(info.period_end))
    )
    want_seq, want_prev = int(audit["first_seq"]), str(audit["prev_hash"])
    keys = hashed_fields_keys()
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            try:
                entry = json.loads(line)
                seq = int(entry["seq"])
                fields = {k: entry[k] for k in keys}
            except (ValueError, KeyError, TypeError):
                f.append(Finding(f"{rules.AUDIT_JSONL}:{number}", N_("the line is not an audit entry")))
                return entries
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
            if hashlib.sha256(canonical(fields).encode("utf-8")).hexdigest() != entry.get("hash"):
                f.append(Finding(label, N_("its content was changed after it was written")))
            if number == 1 and str(entry["at"]) < start:
                f.append(Finding(label, N_("was written before the period began")))
            want_seq, want_prev = seq + 1, str(entry.get("hash"))
            info.segment.hashes[seq] = str(entry.get("hash"))
            entries.append(entry)
    if len(entries) != int(audit["entries"]):
        f.append(
            Finding(
                rules.AUDIT_JSONL,
                N_("it holds {found} entries, but the package says {want}"),
                {"found": len(entries), "want": audit["entries"]},
            )
        )
    head = (
        (entries[-1]["seq"], entries[-1]["hash"])
        if entries
        else (int(audit["first_seq"]) - 1, str(audit["prev_hash"]))
    )
    if entries and (head[0] != int(audit["head_seq"]) or head[1] != audit["head_hash"]):
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
    return entries


def _check_consistency(
    package: dict[str, Any],
    records: dict[str, dict[str, Any]],
    entries: list[dict[str, Any]],
    f: list[Finding],
) -> None:
    """The records against the audit log: what the log says was written is what the package holds."""
    from datetime import date

    from villagegov.archive.contract import Period, audit_bounds

    _start, end = audit_bounds(
        Period(date.fromisoformat(package["period"]["start"]), date.fromisoformat(package["period"]["end"]))
    )
    by_entity: dict[str, tuple[str, dict[str, Any]]] = {}
    for kind, found in records.items():
        entity = found["entry"].get("entity") or ""
        if entity:
            by_entity[entity] = (kind, found)
    last: dict[tuple[str, str], tuple[dict[str, Any], bool]] = {}  # (entity, id) -> (entry, in the period)
    for entry in entries:
        if entry["entity"] in by_entity and entry["entity_id"] is not None:
            key = (entry["entity"], str(entry["entity_id"]))
            in_period = str(entry["at"]) < end or last.get(key, (None, False))[1]
            last[key] = (entry, in_period)
    for entity, (kind, found) in by_entity.items():
        fields = tuple(found["entry"].get("audited_fields") or ())
        present: set[str] = set()
        for record in found["records"]:
            if not isinstance(record, dict) or "id" not in record:
                continue
            rid = str(record["id"])
            present.add(rid)
            state = last.get((entity, rid))
            if state is None:
                continue
            entry, _in_period = state
            label = _("{kind} record {id}").format(kind=kind, id=rid)
            where = _("audit entry {seq}").format(seq=entry["seq"])
            if entry["after"] is None:
                f.append(Finding(label, N_("is in the package, but {entry} deleted it"), {"entry": where}))
                continue
            after = json.loads(entry["after"])
            for name in fields:
                key, _sep, column = name.partition(":")  # "for:for_": the record names it otherwise
                column = column or key
                if column in after and record.get(key) != after[column]:
                    f.append(
                        Finding(
                            label,
                            N_("{field} differs from its last audited state ({entry})"),
                            {"field": key, "entry": where},
                        )
                    )
                    break
        for (ent, rid), (entry, in_period) in last.items():
            if ent == entity and in_period and entry["after"] is not None and rid not in present:
                f.append(
                    Finding(
                        _("{kind} record {id}").format(kind=kind, id=rid),
                        N_("is missing, though {entry} wrote it in the period"),
                        {"entry": _("audit entry {seq}").format(seq=entry["seq"])},
                    )
                )


def _check_catalogue(
    root: Path,
    package: dict[str, Any],
    records: dict[str, dict[str, Any]],
    manifest: dict[str, str],
    digests: dict[str, str],
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
    ids = {
        kind: {str(r.get("id")) for r in found["records"] if isinstance(r, dict)}
        for kind, found in records.items()
    }
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
            path = root / relative
            if not path.is_file():
                f.append(Finding(label, N_("its document is missing")))
                continue
            if doc["sha256"] != manifest.get(relative):
                f.append(Finding(label, N_("its checksum differs from the document's")))
            content = path.read_bytes()
            pages = rules.count_pdf_pages(content)
            if not content.startswith(b"%PDF-") or pages != doc["pages"]:
                f.append(
                    Finding(
                        label,
                        N_("the catalogue says {want} pages, the document has {found}"),
                        {"want": doc["pages"], "found": pages},
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
    docs_dir = root / "data" / "documents"
    on_disk = (
        {p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.pdf")} if docs_dir.is_dir() else set()
    )
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
