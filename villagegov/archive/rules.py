"""The archive's pure rules: who may do what in the 档案 room, and the package's layout, the limits on an
untrusted zip, tag files, anchoring.

No Qt, no database, no files: everything here takes plain values, so it is tested at its edges
(RELIABILITY.md: bagit-python's holes, untrusted zip files, the audit chain's anchor).
"""

from __future__ import annotations

import itertools
import re
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from villagegov.accounts import rules as access
from villagegov.core.actions import ROLE, Allowed, Refusal, refuse
from villagegov.core.actor import REVIEWER
from villagegov.core.i18n import N_, _, message

FORMAT = "villagegov-archive"
FORMAT_VERSION = 1  # bump when the layout or package.json changes meaning
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

PACKAGE_JSON = "data/package.json"
CATALOGUE_JSON = "data/catalogue.json"
CATALOGUE_PDF = "data/catalogue.pdf"
AUDIT_JSONL = "data/audit.jsonl"
RECORDS_DIR = "data/records/"
DOCUMENTS_DIR = "data/documents/"
KEY_FILE = "village-key.json"
SIGNATURE_FILE = "tagmanifest-sha256.txt.sig"
MANIFEST = "manifest-sha256.txt"
TAGMANIFEST = "tagmanifest-sha256.txt"
TAG_FILES = ("bagit.txt", "bag-info.txt", MANIFEST, TAGMANIFEST, KEY_FILE, SIGNATURE_FILE)
SIGNED_TAG_FILES = ("bagit.txt", "bag-info.txt", MANIFEST, KEY_FILE)  # listed in the tag manifest
FIXED_PAYLOAD = (PACKAGE_JSON, CATALOGUE_JSON, CATALOGUE_PDF, AUDIT_JSONL)

KIND_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
DOCUMENT_NAME = re.compile(r"^(?:[A-Za-z0-9_-]{1,64}/){0,3}[A-Za-z0-9_-]{1,100}\.pdf$")

# Limits on an untrusted zip, checked before any entry is read. A demo year is ~2,000 documents of
# ~40 KB; the limits leave room for 25 such years in one package, and stop a bomb long before a disk fills.
MAX_ENTRIES = 50_000
MAX_UNPACKED_BYTES = 4 * 1024**3
MAX_RATIO = 100  # unpacked / packed, per entry (over RATIO_FLOOR) and for the whole file
RATIO_FLOOR = 1024 * 1024  # small entries may compress well (an empty JSON list): only ratio large ones


@dataclass(frozen=True)
class Finding:
    """One problem with a package: `where` names the file, record or entry; `msgid` says what."""

    where: str
    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        text = message(self.msgid, self.params)
        return f"{self.where}: {text}" if self.where else text


# --- the zip, before anything is read -------------------------------------------------------------


@dataclass(frozen=True)
class ZipEntry:
    """What a zip's central directory says of one entry (nothing is read from it)."""

    name: str
    size: int  # declared unpacked size
    packed: int  # declared compressed size
    offset: int  # where its local header starts
    mode: int  # the Unix mode in the external attributes (0 when written on Windows)
    utf8: bool  # the UTF-8 name flag


def _name_problem(name: str) -> str | None:
    if re.search(r"[\x00-\x1f\x7f]", name):
        return N_("the name holds a control character")
    if "\\" in name:
        return N_("the name holds a backslash")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return N_("the name is an absolute path")
    parts = name.rstrip("/").split("/")
    if any(p == ".." for p in parts):
        return N_("the name leads out of the package (..)")
    if any(p in ("", ".") for p in parts):
        return N_("the name has an empty or '.' part")
    return None


def layout_allows(relative: str, is_dir: bool) -> bool:
    """Whether a path (below the bag's top folder) belongs to the package's own layout."""
    if is_dir:
        path = relative.rstrip("/")
        return path in ("data", "data/records", "data/documents") or (
            path.startswith("data/documents/") and bool(re.match(r"^[A-Za-z0-9_/-]+$", path))
        )
    if relative in TAG_FILES or relative in FIXED_PAYLOAD:
        return True
    if relative.startswith(RECORDS_DIR):
        stem = relative[len(RECORDS_DIR) :]
        return stem.endswith(".json") and bool(KIND_NAME.match(stem[:-5]))
    if relative.startswith(DOCUMENTS_DIR):
        return bool(DOCUMENT_NAME.match(relative[len(DOCUMENTS_DIR) :]))
    return False


def check_zip_entries(entries: Sequence[ZipEntry], file_size: int) -> tuple[str, list[Finding]]:
    """Refuse an unsafe zip before reading any entry; returns the bag's top folder and the findings."""
    findings: list[Finding] = []
    if len(entries) > MAX_ENTRIES:
        findings.append(
            Finding(
                "",
                N_("the package has {n} files, more than the limit of {max}"),
                {"n": len(entries), "max": MAX_ENTRIES},
            )
        )
        return "", findings
    total = sum(e.size for e in entries)
    if total > MAX_UNPACKED_BYTES:
        findings.append(
            Finding(
                "",
                N_("the package unpacks to {size} MB, more than the limit of {max} MB"),
                {"size": total // 1024**2, "max": MAX_UNPACKED_BYTES // 1024**2},
            )
        )
    if file_size > 0 and total > RATIO_FLOOR and total / file_size > MAX_RATIO:
        findings.append(
            Finding(
                "",
                N_("the package unpacks to {ratio} times its size: a zip bomb"),
                {"ratio": total // file_size},
            )
        )
    seen: dict[str, str] = {}
    tops: set[str] = set()
    for entry in entries:
        name = entry.name
        problem = _name_problem(name)
        if problem is not None:
            findings.append(Finding(name, problem))
            continue
        if stat.S_ISLNK(entry.mode):
            findings.append(Finding(name, N_("the entry is a link")))
            continue
        if entry.size > RATIO_FLOOR and entry.size > MAX_RATIO * max(entry.packed, 1):
            findings.append(
                Finding(
                    name,
                    N_("the entry unpacks to {ratio} times its size: a zip bomb"),
                    {"ratio": entry.size // max(entry.packed, 1)},
                )
            )
        key = unicodedata.normalize("NFC", name.rstrip("/")).casefold()
        if key in seen:
            findings.append(
                Finding(
                    name,
                    N_("the name is the same as {other} (letter case or Unicode form aside)"),
                    {"other": seen[key]},
                )
            )
            continue
        seen[key] = name
        top, _sep, rest = name.partition("/")
        tops.add(top)
        is_dir = name.endswith("/")
        if (rest and not layout_allows(rest, is_dir)) or (not rest and not is_dir):
            findings.append(Finding(name, N_("the package format has no such file")))
    if len(tops) > 1:
        findings.append(
            Finding(
                "",
                N_("the package holds more than one top folder: {names}"),
                {"names": "、".join(sorted(tops))},
            )
        )
    # Entries whose data overlap (the trick of the overlapping-entry bomb, which Python 3.11's zipfile
    # does not catch): each entry's data must end before the next local header starts.
    ordered = sorted(entries, key=lambda e: e.offset)
    for before, after in itertools.pairwise(ordered):
        if before.offset + 30 + before.packed > after.offset:
            findings.append(
                Finding(
                    after.name, N_("the entry overlaps the entry {other}: a zip bomb"), {"other": before.name}
                )
            )
            break
    return (next(iter(tops)) if len(tops) == 1 else ""), findings


# --- tag files and manifests ---------------------------------------------------------------------


def encode_path(path: str) -> str:
    """A manifest path as RFC 8493 writes it: %, CR and LF percent-encoded (bagit-python forgets %)."""
    return path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def decode_path(path: str) -> str:
    return (
        path.replace("%0A", "\n")
        .replace("%0a", "\n")
        .replace("%0D", "\r")
        .replace("%0d", "\r")
        .replace("%25", "%")
    )


def manifest_text(entries: Iterable[tuple[str, str]]) -> str:
    return "".join(f"{digest}  {encode_path(path)}\n" for path, digest in sorted(entries))


def parse_manifest(text: str, name: str) -> tuple[dict[str, str], list[Finding]]:
    found: dict[str, str] = {}
    problems: list[Finding] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = re.match(r"^([0-9a-fA-F]{64})[ \t]+\*?(.+)$", line)
        if match is None:
            problems.append(Finding(f"{name}:{number}", N_("the line cannot be read")))
            continue
        path = decode_path(match.group(2))
        if path in found:
            problems.append(Finding(f"{name}:{number}", N_("{path} is listed twice"), {"path": path}))
        found[path] = match.group(1).lower()
    return found, problems


def tag_text(tags: Sequence[tuple[str, str]]) -> str:
    """bag-info.txt: one `Label: value` a line; a value never spans lines here."""
    return "".join(f"{label}: {' '.join(str(value).split())}\n" for label, value in tags)


def parse_tags(text: str) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    last: str | None = None
    for line in text.splitlines():
        if line[:1].isspace() and last is not None:  # a folded value
            tags[last][-1] += " " + line.strip()
            continue
        label, sep, value = line.partition(":")
        if not sep:
            continue
        last = label.strip()
        tags.setdefault(last, []).append(value.strip())
    return tags


def count_pdf_pages(content: bytes) -> int:
    """Pages of a PDF as reportlab writes it (page objects in plain dictionaries, no object streams)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", content))


def fingerprint(public_key: bytes) -> str:
    """A key's fingerprint as a person reads it over the phone: 32 hex digits in groups of four."""
    import hashlib

    digest = hashlib.sha256(public_key).hexdigest().upper()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def normalise_fingerprint(text: str) -> str:
    digits = re.sub(r"[^0-9A-Fa-f]", "", text).upper()
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def package_file_name(village: str, period_start: str, period_end: str) -> str:
    """青石村-2026.zip for a calendar year; 青石村-2026-01-01_2026-06-30.zip otherwise."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", village).strip() or "village"
    if (
        period_start.endswith("-01-01")
        and period_end.endswith("-12-31")
        and period_start[:4] == period_end[:4]
    ):
        return f"{safe}-{period_start[:4]}.zip"
    return f"{safe}-{period_start}_{period_end}.zip"


# --- the audit chain across packages (the township's anchor) ---------------------------------------


@dataclass(frozen=True)
class ChainSegment:
    """The audit entries a package carries: seq `first`..`head`, linked to (first - 1, prev_hash)."""

    package: str  # how a finding names the package (file name or village and export time)
    exported_at: str
    first: int  # 0 when the package carries no entry
    prev_hash: str
    head: int
    head_hash: str
    hashes: dict[int, str]  # seq -> hash, for every entry the package carries


_CHINA_TIME = timezone(timedelta(hours=8))  # an export time written without an offset (none is)


def export_order(exported_at: str, package_id: str = "") -> tuple[datetime, str]:
    """Which of two exports is the later: their export times as instants (text compares wrongly
    across offsets), then, for two of the same microsecond, the package id, so every township decides
    alike whatever order the packages arrive in."""
    moment = datetime.fromisoformat(exported_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_CHINA_TIME)
    return moment, package_id


def check_segments(new: ChainSegment, older: Sequence[ChainSegment]) -> list[Finding]:
    """A village's packages must tell one chain: where they overlap, the same hashes; a later export
    never ends before an earlier one (a deleted last entry); the newer period extends the older one."""
    findings: list[Finding] = []

    def points(s: ChainSegment) -> list[tuple[int, str]]:
        return [(s.first - 1, s.prev_hash), (s.head, s.head_hash)] if s.first else [(s.head, s.head_hash)]

    for old in older:
        for seq, digest in points(old):
            if seq in new.hashes and new.hashes[seq] != digest:
                findings.append(
                    Finding(
                        _("audit entry {seq}").format(seq=seq),
                        N_("differs from the same entry in the package {other}"),
                        {"other": old.package},
                    )
                )
        for seq, digest in points(new):
            if seq in old.hashes and old.hashes[seq] != digest:
                findings.append(
                    Finding(
                        _("audit entry {seq}").format(seq=seq),
                        N_("differs from the same entry in the package {other}"),
                        {"other": old.package},
                    )
                )
        if export_order(new.exported_at) > export_order(old.exported_at) and new.head < old.head:
            findings.append(
                Finding(
                    _("audit entry {seq}").format(seq=old.head),
                    N_(
                        "is missing: the package {other}, exported earlier, already held it, "
                        "but this package's audit log ends at entry {head}"
                    ),
                    {"other": old.package, "head": new.head},
                )
            )
    return findings


# --- what may be done now ----------------------------------------------------------------------------
# The room's buttons and the service's checks ask the same function (core/actions.py). A village's clerk
# or secretary exports its package and hands its key to the township; anyone of the village may write
# down the audit log's head (the supervisory committee keeps that paper); the township's reviewers, on a
# database that keeps no village, register keys, import packages and read them; anyone verifies a file.

EXPORT, KEY, HEAD_RECORD = "export", "key", "head_record"
VERIFY = "verify"
IMPORT, REGISTER, REVIEW = "import", "register", "review"
PRINT_REVIEW, OPEN_DOCUMENT = "print_review", "open_document"
VILLAGE_ACTIONS = (EXPORT, KEY, HEAD_RECORD)
TOWNSHIP_ACTIONS = (IMPORT, REGISTER, REVIEW, PRINT_REVIEW, OPEN_DOCUMENT)

TOWNSHIP_ONLY = N_("Only a township reviewer may do this, on the township's database.")
HEAD_IN_VILLAGE = N_("A head record is made in the village's own database.")
NO_PACKAGE = N_("No package has been imported yet.")
NO_DOCUMENT = N_("Choose a document in the catalogue first.")


def _maintain(role: str, in_village: bool) -> Refusal | None:
    """The clerk's or the secretary's work, on their village's own database."""
    if in_village:
        return access.refusal(role, access.MAINTAIN)
    return Refusal(access.REFUSALS[access.MAINTAIN], {"role": access.role_label(role)}, ROLE)


def archive_actions(role: str, in_village: bool, packages: int = 0, document_chosen: bool = False) -> Allowed:
    """Each action of the archive room, for this role on a village's database (`in_village`) or the
    township's; `packages` imported and whether a document of the catalogue is chosen (the township's)."""
    maintain = _maintain(role, in_village)
    head = access.refusal(role, access.READ) or (None if in_village else refuse(HEAD_IN_VILLAGE, ROLE))
    township = None if role == REVIEWER and not in_village else refuse(TOWNSHIP_ONLY, ROLE)
    return Allowed.decide({
        EXPORT: maintain,
        KEY: maintain,
        HEAD_RECORD: head,
        VERIFY: None,
        IMPORT: township,
        REGISTER: township,
        REVIEW: township,
        PRINT_REVIEW: township or (None if packages else refuse(NO_PACKAGE)),
        OPEN_DOCUMENT: township or (None if document_chosen else refuse(NO_DOCUMENT)),
    })  # fmt: skip
