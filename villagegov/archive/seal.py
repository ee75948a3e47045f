"""What the township's imported copy of a package must still be: its content seal.

An import writes the package's records, documents and audit log into tables that refuse UPDATE and
DELETE; triggers stop mistakes, not someone with the file. So the import also keeps, in the package's
own audited row (`archive_package.content_seal`), a digest of each record set, of the documents' list
(each with the sha256 the signed catalogue gave it) and of the audit log, as they were stored.
`villagegov check` derives them again from the tables and names what no longer agrees
(`ImportedPackage.hidden_problems`). No Qt; only the archive's models.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from villagegov.core.audit import canonical, to_jsonable
from villagegov.core.i18n import N_

RecordSetFacts = tuple[str, int, bool, int, str]  # kind, schema version, personal data, count, records
DocumentFacts = tuple[int, str, str, str, str, int, Any, int, bool, str]  # as ImportedDocument, no content

RECORDS_CHANGED = N_("its imported records {kind} are not those imported (content seal)")
RECORDS_MISSING = N_("its imported records {kind} are missing (content seal)")
RECORDS_EXTRA = N_("holds imported records {kind} that were never imported (content seal)")
DOCUMENTS_CHANGED = N_("its list of imported documents is not the one imported (content seal)")
DOCUMENT_BYTES = N_("the bytes of its imported document {number} ({file}) are not those the package signed")
AUDIT_CHANGED = N_("its imported audit log is not the one imported (content seal)")
NO_SEAL = N_("has no content seal: its imported content cannot be vouched for")


def _sha256(text: str | bytes) -> str:
    return hashlib.sha256(text.encode("utf-8") if isinstance(text, str) else text).hexdigest()


def _record_set_digest(facts: RecordSetFacts) -> str:
    kind, version, personal, count, records = facts
    return _sha256(canonical([kind, int(version), bool(personal), int(count), _sha256(records)]))


def _documents_digest(documents: Iterable[DocumentFacts]) -> str:
    lines = []
    for number, file, room, title, record_kind, record_id, on, pages, personal, sha256 in documents:
        fields = [int(number), file, room, title, record_kind, int(record_id), to_jsonable(on), int(pages),
                  bool(personal), sha256]  # fmt: skip
        lines.append(_sha256(canonical(fields)))
    return _sha256("\n".join(lines))


def content_seal(
    record_sets: Iterable[RecordSetFacts], documents: Iterable[DocumentFacts], audit: str
) -> str:
    """The seal of a package's content as stored: documents in catalogue order."""
    return canonical(
        {
            "records": {facts[0]: _record_set_digest(facts) for facts in record_sets},
            "documents": _documents_digest(documents),
            "audit": _sha256(audit),
        }
    )


def _stored_record_sets(package_id: int) -> list[RecordSetFacts]:
    from villagegov.archive.models import ImportedRecordSet as R

    query = R.select(R.kind, R.schema_version, R.personal_data, R.count, R.records).where(
        R.package == package_id
    )
    return [tuple(row) for row in query.order_by(R.kind).tuples()]  # type: ignore[misc]


def _stored_documents(package_id: int) -> list[DocumentFacts]:
    from villagegov.archive.models import ImportedDocument as D

    fields = (D.number, D.file, D.room, D.title, D.record_kind, D.record_id, D.on, D.pages, D.personal_data,
              D.sha256)  # fmt: skip
    query = D.select(*fields).where(D.package == package_id).order_by(D.number)
    return [tuple(row) for row in query.tuples()]  # type: ignore[misc]


def _stored_audit(package_id: int) -> str:
    from villagegov.archive.models import ImportedAudit

    row = ImportedAudit.select(ImportedAudit.content).where(ImportedAudit.package == package_id).first()
    return row.content if row is not None else ""


def stored_seal(package_id: int) -> str:
    """The seal of what the tables hold now for a package (the upgrade seals older imports with it)."""
    return content_seal(
        _stored_record_sets(package_id), _stored_documents(package_id), _stored_audit(package_id)
    )


def problems(package_id: int, seal: str | None) -> list[tuple[str, dict[str, Any]]]:
    """What of a package's stored content disagrees with its seal, named as closely as the seal allows."""
    import json

    from villagegov.archive.models import ImportedDocument as D

    if not seal:
        return [(NO_SEAL, {})]
    expected = json.loads(seal)
    found: list[tuple[str, dict[str, Any]]] = []
    sets = {facts[0]: _record_set_digest(facts) for facts in _stored_record_sets(package_id)}
    for kind, digest in sorted(expected.get("records", {}).items()):
        if kind not in sets:
            found.append((RECORDS_MISSING, {"kind": kind}))
        elif sets[kind] != digest:
            found.append((RECORDS_CHANGED, {"kind": kind}))
    for kind in sorted(set(sets) - set(expected.get("records", {}))):
        found.append((RECORDS_EXTRA, {"kind": kind}))
    if _documents_digest(_stored_documents(package_id)) != expected.get("documents"):
        found.append((DOCUMENTS_CHANGED, {}))
    # Each document's bytes against the sha256 the signed catalogue gave it (sealed above).
    query = D.select(D.number, D.file, D.sha256, D.content).where(D.package == package_id).order_by(D.number)
    for number, file, sha256, content in query.tuples().iterator():
        if _sha256(bytes(content)) != sha256:
            found.append((DOCUMENT_BYTES, {"number": number, "file": file}))
    if _sha256(_stored_audit(package_id)) != expected.get("audit"):
        found.append((AUDIT_CHANGED, {}))
    return found
