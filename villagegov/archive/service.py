"""Every archive operation: the village's key and export; verify; the township's registration, import
and read-only review. Each write is one transaction with its audit entries.

Who may do what is decided once, by `rules.archive_actions` (the room's buttons ask it too): the clerk
or the secretary exports and makes and hands over the village's key; anyone of the village writes down
the audit log's head; anyone may verify a file; the township's reviewers (role reviewer, no village)
register keys, import packages and read them. Nobody can change an imported package: the township's
content tables refuse it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import peewee

from villagegov import __version__
from villagegov.archive import package as pkg
from villagegov.archive import pdf, rules, seal, signing
from villagegov.archive.contract import (
    ROOMS,
    ArchiveDocument,
    Period,
    RecordSet,
    ReviewFinding,
    audit_bounds,
    room_module,
)
from villagegov.archive.models import (
    ImportedAudit,
    ImportedDocument,
    ImportedPackage,
    ImportedRecordSet,
    RegisteredKey,
    TownshipVillage,
    VillageKey,
)
from villagegov.archive.rules import Finding
from villagegov.core import audit, clock, scratch
from villagegov.core.actor import Actor
from villagegov.core.audit import AuditEntry
from villagegov.core.db import SQLITE_PRAGMAS, database, is_postgres, transaction, translated_errors
from villagegov.core.errors import Cancelled, NotFound, ValidationError, VillagegovError
from villagegov.core.files import atomic_path
from villagegov.core.i18n import N_, _, in_document_language
from villagegov.roster import service as roster


class ExportCancelled(Cancelled):
    """The clerk cancelled the export; no file was left behind."""


class ExportNotSound(VillagegovError):
    """The package just written failed the township's checks: it was removed, never handed over."""

    def __init__(self, report: pkg.Report) -> None:
        first = report.findings[0].message() if report.findings else ""
        super().__init__(
            N_(
                "The package failed its verification after it was written and was removed: "
                "{n} problem(s), first: {first}"
            ),
            n=len(report.findings),
            first=first,
        )
        self.report = report


class PackageRefused(VillagegovError):
    """A package that failed verification or is unsafe; nothing was written."""

    def __init__(self, report: pkg.Report) -> None:
        first = report.findings[0].message() if report.findings else ""
        super().__init__(
            N_("{file} was refused, nothing was written: {n} problem(s), first: {first}"),
            file=report.file.name,
            n=len(report.findings),
            first=first,
        )
        self.report = report


def _require(actor: Actor, action: str) -> None:
    """Refuse what the rules refuse this user here, with the words the room's button shows."""
    rules.archive_actions(actor.role, actor.village_id is not None).require(action)


# --- the village's key ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyInfo:
    fingerprint: str
    created_at: datetime
    created_by: str
    public: signing.PublicKey


def _key_info(row: VillageKey, info: roster.VillageInfo) -> KeyInfo:
    public = signing.PublicKey(
        info.name, info.township, info.county, base64.b64decode(row.public_key), row.created_at.isoformat()
    )
    return KeyInfo(row.fingerprint, row.created_at, row.created_by, public)


def village_key(actor: Actor) -> KeyInfo | None:
    info = roster.village(actor)
    row = VillageKey.get_or_none(VillageKey.village == info.id)
    return _key_info(row, info) if row else None


def make_village_key(actor: Actor) -> KeyInfo:
    """Make the village's signing key, once; the township registers its public half."""
    _require(actor, rules.KEY)
    info = roster.village(actor)
    with translated_errors(), transaction():
        if VillageKey.select().where(VillageKey.village == info.id).exists():
            raise ValidationError(N_("The village already has its archive key."))
        private_pem, public = signing.new_private_key()
        row = VillageKey(
            village=info.id,
            public_key=base64.b64encode(public).decode("ascii"),
            fingerprint=rules.fingerprint(public),
            private_key=private_pem.decode("ascii"),
            created_at=clock.now().replace(microsecond=0),
            created_by=actor.username,
        )
        audit.record_create(actor, row)
    return _key_info(row, info)


def save_public_key(actor: Actor, path: Path) -> Path:
    """The key file the clerk hands to the township (with the printed fingerprint)."""
    _require(actor, rules.KEY)
    key = village_key(actor) or make_village_key(actor)
    with atomic_path(Path(path)) as tmp:
        tmp.write_text(key.public.to_json(), "utf-8")
    return Path(path)


# --- the head record: the chain's head on paper, before (and between) packages ----------------------------


def head_record(actor: Actor) -> audit.HeadRecord:
    """The village's audit chain head as it stands now, dated, with who wrote it down.

    Anyone of the village may make one (the supervisory committee keeps it); it changes nothing.
    """
    _require(actor, rules.HEAD_RECORD)
    info = roster.village(actor)
    with translated_errors():
        return audit.current_head_record(
            actor.audit_chain,
            f"{actor.display_name}（{actor.username}）",
            info.name,
            info.township,
            info.county,
        )


def save_head_record(actor: Actor, pdf_path: Path) -> tuple[Path, Path, audit.HeadRecord]:
    """The paper to print and sign (`pdf_path`) and the small file beside it (same name, `.json`) that
    `villagegov check --head` reads."""
    from villagegov.printing.document import render

    pdf_path = Path(pdf_path)
    record = head_record(actor)
    json_path = pdf_path.with_suffix(".json")
    if json_path == pdf_path:
        json_path = pdf_path.with_name(pdf_path.name + ".json")
    document = pdf.head_record_document(
        pdf.HeadRecordData(
            record.village, record.township, record.county, record.chain, record.seq, record.hash,
            record.made_at, record.made_by, json_path.name,
        )
    )  # fmt: skip
    with atomic_path(json_path) as tmp:
        tmp.write_text(record.to_json(), "utf-8")
    render(document, pdf_path)
    return pdf_path, json_path, record


# --- export --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    path: Path
    package_id: str
    records: int
    documents: int
    pages: int
    audit_entries: int
    seconds: float


Progress = Callable[[int, int], None]


def default_file_name(actor: Actor, period: Period) -> str:
    info = roster.village(actor)
    return rules.package_file_name(info.name, period.start.isoformat(), period.end.isoformat())


def _audit_lines(chain: int, first_seq: int) -> Any:
    query = AuditEntry.select().where((AuditEntry.chain == chain) & (AuditEntry.seq >= first_seq))
    for entry in query.order_by(AuditEntry.seq).iterator():
        yield audit.canonical({**audit.hashed_fields(entry), "hash": entry.hash})


def _segment(chain: int, period: Period) -> tuple[int, str, int, str, int]:
    """(first seq, prev hash, head seq, head hash, entries): from the period's first entry to the head now."""
    start, _end = audit_bounds(period)
    first = (
        AuditEntry.select(peewee.fn.MIN(AuditEntry.seq))
        .where((AuditEntry.chain == chain) & (AuditEntry.at >= start))
        .scalar()
    )
    head = audit.head(chain)
    if first is None:  # nothing written since the period began: an empty log anchored at the head
        seq, digest = (head.seq, head.hash) if head else (0, audit.GENESIS)
        return 0, digest, seq, digest, 0
    before = AuditEntry.get_or_none((AuditEntry.chain == chain) & (AuditEntry.seq == first - 1))
    assert head is not None
    return first, before.hash if before else audit.GENESIS, head.seq, head.hash, head.seq - first + 1


def _room_documents(actor: Actor, period: Period) -> list[tuple[ArchiveDocument, int]]:
    """Every room's documents of the period, each with its place in its room's own list."""
    documents: list[tuple[ArchiveDocument, int]] = []
    for room in ROOMS:
        module = room_module(room)
        if module is not None:
            documents += [(replace(d, room=room), i) for i, d in enumerate(module.documents(actor, period))]
    return documents


def _write_records(path: Path, rs: RecordSet) -> int:
    """One records file, a record a line (read back a record at a time); the number of records."""
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write("{\n")
        for key, value in (
            ("kind", rs.kind),
            ("schema_version", rs.schema_version),
            ("schema", rs.schema),
            ("personal_data", rs.personal_data),
        ):
            out.write(f" {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
        out.write(' "records": [')
        for record in rs.records:
            out.write(",\n  " if count else "\n  ")
            out.write(json.dumps(record, ensure_ascii=False))
            count += 1
        out.write("\n ]\n}\n" if count else "]\n}\n")
    return count


class _Records(threading.Thread):
    """Every room's records, read on a thread of its own (its own connection) while the documents are
    laid out, each kind written to a file in `folder` as soon as it is read, then let go."""

    def __init__(self, actor: Actor, period: Period, folder: Path, cancel: threading.Event | None) -> None:
        super().__init__(name="archive-records", daemon=True)
        self.actor, self.period, self.folder, self.cancel = actor, period, folder, cancel
        self.stop = threading.Event()
        self.sets: list[dict[str, Any]] = []  # package.json's record_sets, each with its file
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with translated_errors():
                for room in ROOMS:
                    module = room_module(room)
                    if (
                        module is None
                        or self.stop.is_set()
                        or (self.cancel is not None and self.cancel.is_set())
                    ):
                        continue
                    for rs in module.records(self.actor, self.period):
                        path = self.folder / f"{rs.kind}.json"
                        count = _write_records(path, rs)
                        self.sets.append(
                            {
                                "kind": rs.kind,
                                "file": f"{rules.RECORDS_DIR}{rs.kind}.json",
                                "schema_version": rs.schema_version,
                                "count": count,
                                "personal_data": rs.personal_data,
                                "entity": rs.entity,
                                "audited_fields": list(rs.audited_fields),
                                "path": path,
                            }
                        )
        except BaseException as exc:  # raised again on the export's thread
            self.error = exc
        finally:
            database.close()  # this thread's own connection

    def result(self) -> list[dict[str, Any]]:
        self.join()
        if self.error is not None:
            raise self.error
        return self.sets


def export(
    actor: Actor,
    period: Period,
    target: Path | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    """Write the period's package; the file appears only when whole and verified (cancel: no file)."""
    _require(actor, rules.EXPORT)
    started = time.perf_counter()
    info = roster.village(actor)
    key = village_key(actor) or make_village_key(actor)
    private_pem = VillageKey.get(VillageKey.village == info.id).private_key.encode("ascii")
    target = Path(target) if target else _default_target(actor, period)
    with translated_errors():
        documents = _room_documents(actor, period)
        first, prev_hash, head_seq, head_hash, _entries = _segment(actor.audit_chain, period)
    top = target.stem or "bag"  # the bag's folder inside the zip: 青石村-2026
    exported_at = clock.utc_now().astimezone().isoformat(timespec="microseconds")
    total = len(documents)
    if progress:
        progress(0, total)
    items: list[dict[str, Any]] = []
    # The records (the roster's full ID numbers among them) are written in a private work folder, and
    # the package as a claimed .part beside its target: both go when the export ends, and a killed
    # export's are swept at the program's next start (core/scratch.py).
    with scratch.work_folder("export") as work, atomic_path(target, work.claim) as tmp:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            records = _Records(actor, period, work.path, cancel)
            records.start()
            try:
                writer = pkg.PackageWriter(zf, top)
                with _Renderer(total, actor, period) as renderer:

                    def store(number: int, doc: ArchiveDocument, content: bytes, pages: int) -> None:
                        digest = writer.add(rules.DOCUMENTS_DIR + doc.name, content, compress=False)
                        items.append(
                            {
                                "number": number,
                                "file": doc.name,
                                "room": doc.room,
                                "title": doc.title,
                                "record_kind": doc.record_kind,
                                "record_id": doc.record_id,
                                "date": doc.on.isoformat(),
                                "pages": pages,
                                "personal_data": doc.personal_data,
                                "sha256": digest,
                                "bytes": len(content),
                            }
                        )
                        if progress:
                            progress(number, total)

                    for number, (doc, index) in enumerate(documents, start=1):
                        if cancel is not None and cancel.is_set():
                            raise ExportCancelled(N_("The export was cancelled; no file was written."))
                        renderer.submit(number, doc, index, store)
                    renderer.finish(store)
                    if cancel is not None and cancel.is_set():
                        raise ExportCancelled(N_("The export was cancelled; no file was written."))
                    sets = records.result()
                    record_count = sum(int(s["count"]) for s in sets)
                    with translated_errors():
                        written = writer.add_lines(
                            rules.AUDIT_JSONL, _audit_lines(actor.audit_chain, first) if first else []
                        )
                    # The catalogue is laid out on a worker while this thread writes the records.
                    catalogue_pdf = renderer.render_later(
                        _catalogue_document(
                            info,
                            period,
                            actor,
                            exported_at,
                            record_count,
                            written,
                            f"{head_seq} {head_hash}",
                            items,
                        )
                    )
                    for entry in sets:
                        writer.add_file(str(entry["file"]), Path(entry.pop("path")))
                    content, _pages = catalogue_pdf()
                    writer.add(rules.CATALOGUE_PDF, content, compress=False)
            finally:
                records.stop.set()  # a failure or a cancel half-way: the records are not needed any more
                records.join()
            village = {
                "name": info.name,
                "township": info.township,
                "county": info.county,
                "chain": actor.audit_chain,
            }
            period_json = {"start": period.start.isoformat(), "end": period.end.isoformat()}
            personal = [str(s["file"]) for s in sets if s["personal_data"]]
            personal += [rules.DOCUMENTS_DIR + i["file"] for i in items if i["personal_data"]]
            personal.append(rules.AUDIT_JSONL)  # the log keeps every change as it was made, numbers unmasked
            catalogue = {
                "village": village,
                "period": period_json,
                "audit_head": {"seq": head_seq, "hash": head_hash},
                "documents": items,
            }
            writer.add(rules.CATALOGUE_JSON, pkg.dumps(catalogue))
            package = {
                "format": rules.FORMAT,
                "format_version": rules.FORMAT_VERSION,
                "software": f"villagegov {__version__}",
                "village": village,
                "period": period_json,
                "exporter": {
                    "username": actor.username,
                    "display_name": actor.display_name,
                    "role": actor.role,
                },
                "exported_at": exported_at,
                "record_sets": sets,
                "documents": len(items),
                "audit": {
                    "file": rules.AUDIT_JSONL,
                    "first_seq": first,
                    "prev_hash": prev_hash,
                    "head_seq": head_seq,
                    "head_hash": head_hash,
                    "entries": written,
                },
                "key_fingerprint": key.fingerprint,
                "personal_data": personal,
            }
            writer.add(rules.PACKAGE_JSON, pkg.dumps(package))
            package_id = writer.finish(
                pkg.bag_info_tags(package, writer.payload_oxum()), key.public, private_pem
            )
        _check_written(tmp, key, cancel)  # before it takes the target's name
    return ExportResult(
        target,
        package_id,
        record_count,
        len(items),
        sum(i["pages"] for i in items),
        written,
        time.perf_counter() - started,
    )


def _check_written(path: Path, key: KeyInfo, cancel: threading.Event | None) -> None:
    """Verify the package just written as the township will (manifests, signature, records against
    the audit log, BagIt's second opinion), and that it is signed with the village's own key: a
    package that would be refused (a changed signing key, a fault while writing) is never handed over."""
    try:
        with pkg.opened(path, cancel=cancel, second_opinion=True) as (report, _root):
            pass
    except pkg.Cancelled:
        raise ExportCancelled(N_("The export was cancelled; no file was written.")) from None
    if report.info is not None and report.info.fingerprint != key.fingerprint:
        report.findings.append(
            Finding(
                rules.KEY_FILE,
                N_("the package is signed with the key {fingerprint}, not the village's key {expected}"),
                {"fingerprint": report.info.fingerprint, "expected": key.fingerprint},
            )
        )
    if not report.ok:
        raise ExportNotSound(report)


def _database_recipe() -> tuple[Any, ...] | None:
    """How a worker process opens the village's database; None for one it cannot share (in memory)."""
    db = database.obj
    if isinstance(db, peewee.SqliteDatabase):
        path = str(db.database)
        return ("sqlite", path) if path and path != ":memory:" and not path.startswith("file:") else None
    if isinstance(db, peewee.PostgresqlDatabase):
        return ("postgres", db.database, dict(db.connect_params))
    return None


class _Renderer:
    """Builds and lays out the documents into PDF bytes, in order: in this process, or on workers.

    Two worker processes (spawned: no Qt or database state is inherited) each open the database and
    build and lay out whole documents (workers.py); this thread only writes the zip, and never loads
    the fonts. At most a few documents wait in flight, so memory does not grow with the year.
    VILLAGEGOV_EXPORT_WORKERS=1 keeps it all in this process; a year of under 50 documents too.
    """

    IN_FLIGHT = 4  # per worker

    def __init__(self, total: int, actor: Actor, period: Period) -> None:
        import os

        wanted = os.environ.get("VILLAGEGOV_EXPORT_WORKERS")
        workers = int(wanted) if wanted else min(2, os.cpu_count() or 1)
        self.pool: Any = None
        self.remote = False  # the workers read the database themselves
        if workers > 1 and total >= 50:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from villagegov.archive import workers as worker

            recipe = _database_recipe()
            self.remote = recipe is not None
            context = multiprocessing.get_context("spawn")
            # The workers' lifeline (workers.py): they end when this process ends, however it ends.
            # Only this process holds the write end (not inheritable); each worker gets the read end.
            self.lifeline, self.lifeline_write = context.Pipe(duplex=False)
            self.pool = ProcessPoolExecutor(
                workers,
                mp_context=context,
                initializer=worker.start,
                initargs=(self.lifeline, recipe, actor, period),
            )
        self.pending: Any = __import__("collections").deque()
        self.limit = self.IN_FLIGHT * workers

    def __enter__(self) -> _Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.lifeline_write.close()  # after the workers ended: closing it first would end them
            self.lifeline.close()

    @staticmethod
    def _here(doc: ArchiveDocument) -> tuple[bytes, int]:
        with translated_errors():
            official = doc.build()
        try:
            return pkg.render_pdf(official)
        except pkg._PortableError as exc:
            raise VillagegovError(exc.msgid, **exc.params) from None

    def submit(self, number: int, doc: ArchiveDocument, index: int, store: Callable[..., None]) -> None:
        if self.pool is None:
            store(number, doc, *self._here(doc))
            return
        if self.remote:
            from villagegov.archive import workers as worker

            future = self.pool.submit(worker.build_and_render, doc.room, index, doc.name)
        else:
            with translated_errors():
                official = doc.build()  # the database is read here, on this thread only
            future = self.pool.submit(pkg.render_pdf, official)
        self.pending.append((number, doc, future))
        while len(self.pending) > self.limit:
            self._store_first(store)

    def finish(self, store: Callable[..., None]) -> None:
        while self.pending:
            self._store_first(store)

    def _store_first(self, store: Callable[..., None]) -> None:
        number, doc, future = self.pending.popleft()
        try:
            result = future.result()
        except pkg._PortableError as exc:
            raise VillagegovError(exc.msgid, **exc.params) from None
        if result is None:  # the worker read another list (the records changed): build it here
            result = self._here(doc)
        store(number, doc, *result)

    def render_later(self, official: Any) -> Callable[[], tuple[bytes, int]]:
        """Lay out a document on a worker while this thread goes on; call the result for the bytes."""
        if self.pool is None:
            content = pkg.render_pdf(official)
            return lambda: content
        future = self.pool.submit(pkg.render_pdf, official)

        def result() -> tuple[bytes, int]:
            try:
                return future.result()  # type: ignore[no-any-return]
            except pkg._PortableError as exc:
                raise VillagegovError(exc.msgid, **exc.params) from None

        return result


def _default_target(actor: Actor, period: Period) -> Path:
    from villagegov.core import paths

    return paths.exports_dir() / default_file_name(actor, period)


@in_document_language
def _catalogue_document(
    info: roster.VillageInfo,
    period: Period,
    actor: Actor,
    exported_at: str,
    records: int,
    entries: int,
    head: str,
    items: list[dict[str, Any]],
) -> Any:
    data = pdf.CatalogueData(
        info.name,
        info.township,
        info.county,
        period.start,
        period.end,
        actor.display_name,
        exported_at,
        records,
        entries,
        head,
        tuple(
            pdf.CatalogueItem(
                i["number"],
                i["title"],
                date.fromisoformat(i["date"]),
                i["pages"],
                i["personal_data"],
                f"{kind_label(i['record_kind'])}{i['record_id']}",
            )
            for i in items
        ),
    )
    return pdf.catalogue_document(data)


# --- verify --------------------------------------------------------------------------------------------


def _registered_problem(info: pkg.PackageInfo) -> Finding | None:
    """The township's check: the package is signed by the key registered for its village."""
    village = TownshipVillage.get_or_none(
        (TownshipVillage.county == info.county)
        & (TownshipVillage.township == info.township)
        & (TownshipVillage.name == info.village)
    )
    if village is None:
        return Finding(
            rules.KEY_FILE,
            N_("no key is registered for {village}: register the village's key first"),
            {"village": info.village},
        )
    key = RegisteredKey.get_or_none(
        (RegisteredKey.village == village) & (RegisteredKey.fingerprint == info.fingerprint)
    )
    if key is None:
        return Finding(
            rules.KEY_FILE,
            N_(
                "the package is signed with the key {fingerprint}, which is not the key "
                "registered for {village}"
            ),
            {"fingerprint": info.fingerprint, "village": info.village},
        )
    if key.retired_at is not None and info.exported_at > key.retired_at.astimezone().isoformat():
        return Finding(
            rules.KEY_FILE,
            N_("the key {fingerprint} was retired on {date}, before this export"),
            {"fingerprint": info.fingerprint, "date": key.retired_at.date().isoformat()},
        )
    return None


def _township_has_keys() -> bool:
    return RegisteredKey.select().exists()


def verify(
    path: Path,
    check_registration: bool | None = None,
    progress: pkg.Progress | None = None,
    cancel: threading.Event | None = None,
) -> pkg.Report:
    """Verify a package file. Where this database registers village keys (a township), the package must
    be signed by its village's registered key; elsewhere the report says the key was not compared.
    `progress(done, total)` counts the package's files; `cancel` stops it (pkg.Cancelled)."""
    report = pkg.verify_file(Path(path), progress, cancel)
    if report.info is not None:
        register = _township_has_keys() if check_registration is None else check_registration
        if register:
            problem = _registered_problem(report.info)
            if problem is not None:
                report.findings.append(problem)
            else:
                report.notes.append(
                    _("The key is the one registered for {village}.").format(village=report.info.village)
                )
        else:
            pkg.note_unregistered(report)
    return report


# --- the township: reviewers, keys, imports --------------------------------------------------------------


def _township(actor: Actor) -> None:
    """The township's reads and its review: a reviewer on the township's database."""
    _require(actor, rules.REVIEW)


@dataclass(frozen=True)
class RegisteredVillage:
    id: int
    name: str
    township: str
    county: str
    fingerprint: str
    replaced: str  # the fingerprint of the key this one replaced, or ""


def read_key_file(path: Path) -> signing.PublicKey:
    """A key file, or the key inside a package file (registering from the first package)."""
    path = Path(path)
    if zipfile.is_zipfile(path):
        report = pkg.verify_file(path)
        if report.info is None:
            raise PackageRefused(report)
        return signing.PublicKey(
            report.info.village, report.info.township, report.info.county, report.info.public_key, ""
        )
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(N_("This is not a village's archive key file.")) from exc
    return signing.parse_public_key(text)


def register_key(
    actor: Actor,
    path: Path,
    fingerprint: str,
    now: datetime | None = None,
    key: signing.PublicKey | None = None,
) -> RegisteredVillage:
    """Register a village's public key once; the fingerprint read from the village's stamped form must match.

    A village that lost its key registers a new one the same way: the old one is retired, not deleted.
    `key` is the key `read_key_file(path)` already gave (a package is not checked twice).
    """
    _require(actor, rules.REGISTER)
    key = key or read_key_file(path)
    if rules.normalise_fingerprint(fingerprint) != key.fingerprint:
        raise ValidationError(
            N_("The fingerprint {given} is not the key's fingerprint {actual}: check the village's form."),
            field="fingerprint",
            given=fingerprint,
            actual=key.fingerprint,
        )
    at = (now or clock.now()).replace(microsecond=0)
    with translated_errors(), transaction():
        village = TownshipVillage.get_or_none(
            (TownshipVillage.county == key.county)
            & (TownshipVillage.township == key.township)
            & (TownshipVillage.name == key.village)
        )
        if village is None:
            village = TownshipVillage(
                county=key.county,
                township=key.township,
                name=key.village,
                registered_at=at,
                registered_by=actor.username,
            )
            audit.record_create(actor, village)
        replaced = ""
        for old in RegisteredKey.select().where(
            (RegisteredKey.village == village) & RegisteredKey.retired_at.is_null()
        ):
            if old.fingerprint == key.fingerprint:
                raise ValidationError(
                    N_("This key is already registered for {village}."), village=key.village
                )
            before = audit.snapshot(old)
            old.retired_at = at
            audit.record_update(actor, old, before, action="retire")
            replaced = old.fingerprint
        if (
            RegisteredKey.select()
            .where((RegisteredKey.village == village) & (RegisteredKey.fingerprint == key.fingerprint))
            .exists()
        ):
            raise ValidationError(
                N_("This key was registered for {village} before and retired."), village=key.village
            )
        row = RegisteredKey(
            village=village,
            public_key=base64.b64encode(key.public_key).decode("ascii"),
            fingerprint=key.fingerprint,
            registered_at=at,
            registered_by=actor.username,
        )
        audit.record_create(actor, row, action="register")
    return RegisteredVillage(
        village.id, village.name, village.township, village.county, key.fingerprint, replaced
    )


@dataclass(frozen=True)
class ImportResult:
    file: Path
    package_id: str
    village: str
    period: str
    imported: bool  # False: the same package was already imported; nothing changed
    replaced: bool  # it replaced an older export of the same village and period
    documents: int


def _segment_of(row: ImportedPackage, with_hashes: bool) -> rules.ChainSegment:
    hashes: dict[int, str] = {}
    if with_hashes:
        text = ImportedAudit.get(ImportedAudit.package == row.id).content
        for line in text.splitlines():
            if line:
                entry = json.loads(line)
                hashes[int(entry["seq"])] = str(entry["hash"])
    return rules.ChainSegment(
        package=f"{row.file_name} ({row.exported_at})",
        exported_at=row.exported_at,
        first=row.first_seq,
        prev_hash=row.prev_hash,
        head=row.head_seq,
        head_hash=row.head_hash,
        hashes=hashes,
    )


def _locked_village(info: pkg.PackageInfo) -> TownshipVillage:
    """The package's village, locked until the import's transaction ends, so that imports of one
    village's packages run one after another however many processes import at once.

    PostgreSQL: `SELECT … FOR NO KEY UPDATE` on the village's row (registered before any import), the
    first statement of the transaction; under READ COMMITTED every later statement sees what the
    import before it committed. NO KEY: rows that merely refer to the village (a key registered
    meanwhile) are not blocked by it, so no deadlock with the audit log's own lock. Imports of other
    villages take their own rows' locks (they meet only at the audit log's lock). A lock rather than
    constraints alone: "already imported" and "which
    export is current" are decisions over several rows that a unique index cannot make, and a
    duplicate-key error would reach the user as a traceback. The unique package id stays as the last
    guard. SQLite: the transaction began IMMEDIATE, so it already holds the database's one write lock.
    """
    query = TownshipVillage.select().where(
        (TownshipVillage.county == info.county)
        & (TownshipVillage.township == info.township)
        & (TownshipVillage.name == info.village)
    )
    if is_postgres():
        query = query.for_update("FOR NO KEY UPDATE")  # type: ignore[arg-type]  # peewee takes the clause
    return query.get()


@contextmanager
def _waiting_for_other_imports() -> Iterator[None]:
    """SQLite: an import waits for the one before it however long it takes (another process storing a
    large package), instead of giving up after the usual ten seconds as "in use"."""
    if is_postgres():
        yield
        return
    database.execute_sql(f"PRAGMA busy_timeout = {_IMPORT_WAIT_MS}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA busy_timeout = {SQLITE_PRAGMAS['busy_timeout']}")


_IMPORT_WAIT_MS = 30 * 60 * 1000


def _documents_in(path: Path) -> int:
    """How many documents a package holds, from its zip directory alone (0 if it cannot be read)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return sum(1 for n in zf.namelist() if f"/{rules.DOCUMENTS_DIR}" in n and not n.endswith("/"))
    except (OSError, zipfile.BadZipFile):
        return 0


def import_package(
    actor: Actor,
    path: Path,
    now: datetime | None = None,
    progress: pkg.Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """Verify, then import one package in one transaction; refused whole (nothing written) if unsound.

    `progress(done, total)` counts the package's files as they are checked, then its documents as they
    are stored; `cancel` stops it before the transaction ends (pkg.Cancelled), and nothing is written.
    """
    _require(actor, rules.IMPORT)
    path = Path(path)
    documents = _documents_in(path)  # one bar for both: the files checked, then the documents stored
    checking = (lambda done, total: progress(done, total + documents)) if progress else None
    with pkg.opened(path, checking, cancel, second_opinion=True) as (report, root):
        info = report.info
        if report.ok and info is not None:
            problem = _registered_problem(info)
            if problem is not None:
                report.findings.append(problem)
        if not report.ok or info is None or root is None:
            raise PackageRefused(report)
        period = f"{info.period_start}—{info.period_end}"
        existing = ImportedPackage.get_or_none(ImportedPackage.package_id == info.package_id)
        if existing is not None:  # the common case, answered without waiting for the village's lock
            return ImportResult(path, info.package_id, info.village, period, False, False, existing.documents)
        at = (now or clock.now()).replace(microsecond=0)
        file_digest = hashlib.sha256()
        with open(path, "rb") as f:
            while chunk := f.read(pkg.CHUNK):
                file_digest.update(chunk)
        package_json = json.loads((root / rules.PACKAGE_JSON).read_text("utf-8"))
        catalogue = json.loads((root / rules.CATALOGUE_JSON).read_text("utf-8"))
        # What is stored, as it will be stored: the package's row seals it (archive/seal.py).
        record_sets: list[seal.RecordSetFacts] = []
        for entry in package_json["record_sets"]:
            content = json.loads((root / entry["file"]).read_text("utf-8"))
            record_sets.append(
                (
                    entry["kind"],
                    entry["schema_version"],
                    bool(entry["personal_data"]),
                    entry["count"],
                    json.dumps(content["records"], ensure_ascii=False),
                )
            )
        document_facts: list[seal.DocumentFacts] = [
            (
                item["number"], item["file"], item["room"], item["title"], item["record_kind"],
                item["record_id"], date.fromisoformat(item["date"]), item["pages"],
                bool(item["personal_data"]), item["sha256"],
            )
            for item in catalogue["documents"]
        ]  # fmt: skip
        audit_text = (root / rules.AUDIT_JSONL).read_text("utf-8")
        content_seal = seal.content_seal(record_sets, document_facts, audit_text)
        with translated_errors(), _waiting_for_other_imports(), transaction():
            # Everything that depends on the village's other packages is decided under its lock, and
            # seen as the import before this one left it: whether this package is already here, the
            # audit chain across its packages, and which export of a period is current.
            village = _locked_village(info)
            if ImportedPackage.select().where(ImportedPackage.package_id == info.package_id).exists():
                return ImportResult(path, info.package_id, info.village, period, False, False, info.documents)
            # The village's packages must tell one audit chain (the township's anchor).
            new_segment = replace(info.segment, package=path.name)
            older = list(ImportedPackage.select().where(ImportedPackage.village == village))
            overlapping = [
                # An older package's hashes are read only where its entries meet this package's.
                _segment_of(
                    o, with_hashes=o.first_seq - 1 <= new_segment.head and new_segment.first - 1 <= o.head_seq
                )
                for o in older
            ]
            chain_findings = rules.check_segments(new_segment, overlapping)
            if chain_findings:
                report.findings += chain_findings
                raise PackageRefused(report)  # nothing was written: the transaction rolls back
            current = (
                ImportedPackage.select()
                .where(
                    (ImportedPackage.village == village)
                    & (ImportedPackage.period_start == info.period_start)
                    & (ImportedPackage.period_end == info.period_end)
                    & ImportedPackage.superseded_by.is_null()
                )
                .first()
            )
            row = ImportedPackage(
                village=village,
                package_id=info.package_id,
                file_name=path.name,
                file_sha256=file_digest.hexdigest(),
                period_start=date.fromisoformat(info.period_start),
                period_end=date.fromisoformat(info.period_end),
                exported_at=info.exported_at,
                exporter=info.exporter,
                fingerprint=info.fingerprint,
                format_version=rules.FORMAT_VERSION,
                first_seq=info.segment.first,
                prev_hash=info.segment.prev_hash,
                head_seq=info.segment.head,
                head_hash=info.segment.head_hash,
                entries=int(package_json["audit"]["entries"]),
                documents=info.documents,
                record_counts=json.dumps(info.record_counts, ensure_ascii=False),
                personal_data=json.dumps(list(info.personal_data), ensure_ascii=False),
                imported_at=at,
                imported_by=actor.username,
                content_seal=content_seal,
            )
            replaced = False
            if current is not None and rules.export_order(
                current.exported_at, current.package_id
            ) > rules.export_order(info.exported_at, info.package_id):
                row.superseded_by = current.id  # an older export arriving late stays on record, not current
            audit.record_create(actor, row, action="import")
            if current is not None and row.superseded_by_id is None:
                before = audit.snapshot(current)
                current.superseded_by = row.id
                audit.record_update(actor, current, before, action="supersede")
                replaced = True
            for kind, schema_version, personal_data, count, records_text in record_sets:
                ImportedRecordSet.create(
                    package=row,
                    kind=kind,
                    schema_version=schema_version,
                    personal_data=personal_data,
                    count=count,
                    records=records_text,
                )
            files = report.files
            steps = files + len(catalogue["documents"])
            for number, item in enumerate(catalogue["documents"], start=1):
                if cancel is not None and cancel.is_set():
                    raise pkg.Cancelled()  # the transaction rolls back: nothing was written
                if progress is not None:
                    progress(files + number, steps)
                ImportedDocument.create(
                    package=row,
                    number=item["number"],
                    file=item["file"],
                    room=item["room"],
                    title=item["title"],
                    record_kind=item["record_kind"],
                    record_id=item["record_id"],
                    on=date.fromisoformat(item["date"]),
                    pages=item["pages"],
                    personal_data=bool(item["personal_data"]),
                    sha256=item["sha256"],
                    content=(root / rules.DOCUMENTS_DIR / item["file"]).read_bytes(),
                )
            ImportedAudit.create(package=row, content=audit_text)
    return ImportResult(path, info.package_id, info.village, period, True, replaced, info.documents)


# --- the township's read-only view ---------------------------------------------------------------------


@dataclass(frozen=True)
class PackageRow:
    id: int
    village_id: int
    village: str
    township: str
    year: int
    period_start: date
    period_end: date
    exported_at: str
    exporter: str
    fingerprint: str
    documents: int
    records: int
    counts: dict[str, int]
    current: bool
    imported_at: datetime
    findings: int = -1  # review findings, counted when asked
    room_findings: dict[str, int] = field(default_factory=dict)  # room -> findings, when counted

    def count(self, kind: str) -> int:
        return self.counts.get(kind, 0)


@dataclass(frozen=True)
class DocumentRow:
    id: int
    number: int
    title: str
    room: str
    record_kind: str
    record_id: int
    on: date
    pages: int
    personal_data: bool


def _package_row(
    p: ImportedPackage, v: TownshipVillage, found: list[ReviewFinding] | None = None
) -> PackageRow:
    counts = json.loads(p.record_counts)
    by_room = {room: len(items) for room, items in findings_by_room(found)} if found is not None else {}
    return PackageRow(
        p.id,
        v.id,
        v.name,
        v.township,
        p.period_start.year,
        p.period_start,
        p.period_end,
        p.exported_at,
        p.exporter,
        p.fingerprint,
        p.documents,
        sum(counts.values()),
        counts,
        p.superseded_by_id is None,
        p.imported_at,
        len(found) if found is not None else -1,
        by_room,
    )


def packages(
    actor: Actor, year: int | None = None, current_only: bool = False, with_findings: bool = False
) -> list[PackageRow]:
    """Every imported package, villages side by side (newest year first, current export before older)."""
    _township(actor)
    query = ImportedPackage.select(ImportedPackage, TownshipVillage).join(TownshipVillage)
    if year is not None:
        query = query.where(
            (ImportedPackage.period_start <= date(year, 12, 31))
            & (ImportedPackage.period_end >= date(year, 1, 1))
        )
    if current_only:
        query = query.where(ImportedPackage.superseded_by.is_null())
    query = query.order_by(
        ImportedPackage.period_start.desc(), TownshipVillage.name, ImportedPackage.exported_at.desc()
    )
    rows = []
    for p in query:
        found = review_findings(actor, p.id) if with_findings and p.superseded_by_id is None else None
        rows.append(_package_row(p, p.village, found))
    return rows


def catalogue(actor: Actor, package_id: int) -> list[DocumentRow]:
    _township(actor)
    query = (
        ImportedDocument.select(*[f for f in ImportedDocument._meta.sorted_fields if f.name != "content"])
        .where(ImportedDocument.package == package_id)
        .order_by(ImportedDocument.number)
    )
    return [
        DocumentRow(
            d.id, d.number, d.title, d.room, d.record_kind, d.record_id, d.on, d.pages, d.personal_data
        )
        for d in query
    ]


def document_content(actor: Actor, document_id: int) -> bytes:
    _township(actor)
    row = ImportedDocument.get_or_none(ImportedDocument.id == document_id)
    if row is None:
        raise NotFound(N_("That document does not exist."))
    return bytes(row.content)


def package_records(actor: Actor, package_id: int) -> dict[str, list[dict[str, Any]]]:
    _township(actor)
    return {
        s.kind: json.loads(s.records)
        for s in ImportedRecordSet.select().where(ImportedRecordSet.package == package_id)
    }


# The rooms as the township's view names them (the main window's names) and the record kind each
# counts in the villages' side-by-side table, with the column's heading.
ROOM_NAMES = {
    "roster": N_("Roster"),
    "council": N_("Villagers' council"),
    "decisions": N_("Four deliberations, two disclosures"),
    "ceremonies": N_("Weddings and funerals council"),
    "notices": N_("Public notices"),
    "petitions": N_("Villagers' ledgers and mediation"),
}
ROOM_COUNTS: tuple[tuple[str, str, str], ...] = (
    ("roster", "villagers", N_("Villagers")),
    ("council", "meetings", N_("Council meetings")),
    ("decisions", "decisions", N_("Major matters")),
    ("ceremonies", "ceremonies", N_("Ceremonies")),
    ("notices", "notices", N_("Notices")),
    ("petitions", "petition", N_("Petitions")),
    ("petitions", "mediation", N_("Mediations")),
)


def room_name(room: str) -> str:
    return _(ROOM_NAMES[room]) if room in ROOM_NAMES else room


def room_of_kind(kind: str) -> str:
    """The room whose archiving module declares a record kind ("" if none does)."""
    for room in ROOMS:
        module = room_module(room)
        if module is not None and kind in getattr(module, "SCHEMAS", {}):
            return room
    return ""


def _as_of(row: ImportedPackage) -> date:
    """The day the package speaks for: its period's end, or its export's day (contract.as_of)."""
    from villagegov.archive.contract import as_of

    return as_of(row.period_end, date.fromisoformat(str(row.exported_at)[:10]))


def review_findings(actor: Actor, package_id: int) -> list[ReviewFinding]:
    """What each room's review rules find in the package's records (see contract.ReviewFinding), the
    rooms in their order."""
    records = package_records(actor, package_id)
    row = ImportedPackage.get_by_id(package_id)
    on = _as_of(row)
    found: list[ReviewFinding] = []
    for room in ROOMS:
        module = room_module(room)
        review = getattr(module, "review", None) if module is not None else None
        if review is not None:
            found += review(records, on)
    return found


def findings_by_room(found: list[ReviewFinding]) -> list[tuple[str, list[ReviewFinding]]]:
    """The findings grouped by room, in the rooms' order; rooms without findings left out."""
    groups: dict[str, list[ReviewFinding]] = {}
    for finding in found:
        groups.setdefault(room_of_kind(finding.kind), []).append(finding)
    return [(room, groups[room]) for room in (*ROOMS, "") if room in groups]


KIND_LABELS = {
    "village": N_("Village"),
    "villager_groups": N_("Villager groups"),
    "households": N_("Households"),
    "villagers": N_("Villagers"),
    "notices": N_("Public notices"),
    "objections": N_("Objections"),
    "notice_settings": N_("Notice settings"),
    "calendar_overrides": N_("Calendar entries"),
    # The kinds the rooms' documents belong to, as the catalogue's notes name a document's record.
    "meetings": N_("Council meeting"),
    "resolutions": N_("Resolution"),
    "decisions": N_("Major matter"),
    "ceremonies": N_("Ceremony report"),
    "ceremony_years": N_("Ceremony figures of the year"),
    "petition": N_("Petition"),
    "mediation": N_("Mediation"),
    "petition_period": N_("Petition figures of the period"),
}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


@in_document_language
def review_document(actor: Actor, year: int | None = None, today: date | None = None) -> Any:
    """乡镇审查意见: one section per village, from each village's current package (of the year)."""
    _township(actor)
    rows = [r for r in packages(actor, year, current_only=True)]
    if not rows:
        raise NotFound(N_("No package has been imported yet."))
    if year is None:
        year = rows[0].year
        rows = [r for r in rows if r.year == year]
    reviews = []
    for r in rows:
        docs = catalogue(actor, r.id)
        grouped = dict(findings_by_room(review_findings(actor, r.id)))
        rooms = tuple(
            pdf.RoomReview(
                room_name(room),
                pdf.count_text(
                    [(kind, r.count(kind)) for room_, kind, _label in ROOM_COUNTS if room_ == room]
                ),
                tuple(f.message() for f in grouped.get(room, [])),
            )
            for room in ROOMS
        )
        reviews.append(
            pdf.VillageReview(
                r.village,
                f"{r.period_start.isoformat()}至{r.period_end.isoformat()}",
                f"{r.exporter}于{pdf._time(r.exported_at)}导出，签名密钥{r.fingerprint}",
                rooms,
                r.documents,
                sum(d.pages for d in docs),
            )
        )
    village = TownshipVillage.get_by_id(rows[0].village_id)
    return pdf.review_document(
        village.township, village.county, f"{year}年度", reviews, today or clock.today()
    )


def township_villages(actor: Actor) -> list[RegisteredVillage]:
    _township(actor)
    out = []
    for v in TownshipVillage.select().order_by(
        TownshipVillage.county, TownshipVillage.township, TownshipVillage.name
    ):
        key = (
            RegisteredKey.select()
            .where((RegisteredKey.village == v) & RegisteredKey.retired_at.is_null())
            .first()
        )
        out.append(RegisteredVillage(v.id, v.name, v.township, v.county, key.fingerprint if key else "", ""))
    return out
