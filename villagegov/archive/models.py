"""Tables of the archive: the village's signing key, and the township's registered keys and imports.

The township's content tables (record sets, documents, audit logs of imported packages) are written
once by an import and never changed; their package row (audited) carries the package's id, the
sha256 of its signed tag manifest, which covers every byte of them.
"""

from __future__ import annotations

from typing import Any

import peewee

from villagegov.core.db import BaseModel
from villagegov.core.i18n import N_
from villagegov.roster.models import Village

KEY_REPLACED = N_(
    "its private key is not the one whose public half {fingerprint} the audit log recorded: the signing key "
    "was replaced"
)
KEY_UNREADABLE = N_("its private key cannot be read: the signing key was damaged or replaced")


class VillageKey(BaseModel):
    """The village's Ed25519 key pair (one a village); the private half stays out of the audit log."""

    village = peewee.ForeignKeyField(Village, unique=True, on_delete="RESTRICT")
    public_key = peewee.CharField()  # base64 of the 32 raw bytes
    fingerprint = peewee.CharField()
    private_key = peewee.TextField()  # PKCS#8 PEM
    created_at = peewee.DateTimeField()
    created_by = peewee.CharField()

    audit_exclude = ("private_key",)

    class Meta:
        table_name = "archive_village_key"

    def hidden_problems(self) -> list[tuple[str, dict[str, Any]]]:
        """The private half stays out of the log; the public half is in it, and must be its own."""
        import base64

        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        try:
            key = serialization.load_pem_private_key(str(self.private_key).encode("ascii"), password=None)
            if not isinstance(key, Ed25519PrivateKey):
                raise ValueError("not Ed25519")
            public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        except (ValueError, TypeError, UnicodeEncodeError):
            return [(KEY_UNREADABLE, {})]
        if base64.b64encode(public).decode("ascii") != self.public_key:
            return [(KEY_REPLACED, {"fingerprint": self.fingerprint})]
        return []


class TownshipVillage(BaseModel):
    """A village known to the township (by its registered key), not a village kept in this database."""

    county = peewee.CharField()
    township = peewee.CharField()
    name = peewee.CharField()
    registered_at = peewee.DateTimeField()
    registered_by = peewee.CharField()

    class Meta:
        table_name = "archive_village"
        indexes = ((("county", "township", "name"), True),)


class RegisteredKey(BaseModel):
    """A village's public key as the township registered it; a replaced key is retired, not deleted."""

    village = peewee.ForeignKeyField(TownshipVillage, backref="keys", on_delete="RESTRICT")
    public_key = peewee.CharField()
    fingerprint = peewee.CharField()
    registered_at = peewee.DateTimeField()
    registered_by = peewee.CharField()
    retired_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "archive_registered_key"
        indexes = ((("village", "fingerprint"), True),)


class ImportedPackage(BaseModel):
    village = peewee.ForeignKeyField(TownshipVillage, backref="packages", on_delete="RESTRICT")
    package_id = peewee.CharField(max_length=64, unique=True)  # sha256 of the signed tag manifest
    file_name = peewee.CharField()
    file_sha256 = peewee.CharField(max_length=64)
    period_start = peewee.DateField()
    period_end = peewee.DateField()
    exported_at = peewee.CharField()  # ISO text as the package says it
    exporter = peewee.CharField()
    fingerprint = peewee.CharField()
    format_version = peewee.IntegerField()
    first_seq = peewee.IntegerField()
    prev_hash = peewee.CharField(max_length=64)
    head_seq = peewee.IntegerField()
    head_hash = peewee.CharField(max_length=64)
    entries = peewee.IntegerField()
    documents = peewee.IntegerField()
    record_counts = peewee.TextField()  # JSON {kind: count}
    personal_data = peewee.TextField()  # JSON list of files
    imported_at = peewee.DateTimeField()
    imported_by = peewee.CharField()
    superseded_by = peewee.ForeignKeyField("self", null=True, on_delete="RESTRICT")
    # The digests of the content the import stored (archive/seal.py): audited with the row, so the
    # township's copies of records, documents and log are answerable to the audit log (migration 10).
    content_seal = peewee.TextField(null=True)

    class Meta:
        table_name = "archive_package"
        indexes = ((("village", "period_start", "period_end"), False),)

    def hidden_problems(self) -> list[tuple[str, dict[str, Any]]]:
        from villagegov.archive import seal

        return seal.problems(self.id, self.content_seal)


class ImportedRecordSet(BaseModel):
    package = peewee.ForeignKeyField(ImportedPackage, backref="record_sets", on_delete="RESTRICT")
    kind = peewee.CharField()
    schema_version = peewee.IntegerField()
    personal_data = peewee.BooleanField()
    count = peewee.IntegerField()
    records = peewee.TextField()  # the JSON list as the package holds it

    class Meta:
        table_name = "archive_record_set"
        indexes = ((("package", "kind"), True),)


class ImportedDocument(BaseModel):
    package = peewee.ForeignKeyField(ImportedPackage, backref="documents_rows", on_delete="RESTRICT")
    number = peewee.IntegerField()  # its place in the catalogue
    file = peewee.CharField()
    room = peewee.CharField()
    title = peewee.TextField()
    record_kind = peewee.CharField()
    record_id = peewee.IntegerField()
    on = peewee.DateField()
    pages = peewee.IntegerField()
    personal_data = peewee.BooleanField()
    sha256 = peewee.CharField(max_length=64)
    content = peewee.BlobField()

    class Meta:
        table_name = "archive_document"
        indexes = ((("package", "number"), True),)


class ImportedAudit(BaseModel):
    package = peewee.ForeignKeyField(ImportedPackage, unique=True, on_delete="RESTRICT")
    content = peewee.TextField()  # audit.jsonl as the package holds it

    class Meta:
        table_name = "archive_audit"


AUDITED: tuple[type[peewee.Model], ...] = (VillageKey, TownshipVillage, RegisteredKey, ImportedPackage)
MODELS: tuple[type[peewee.Model], ...] = (
    VillageKey,
    TownshipVillage,
    RegisteredKey,
    ImportedPackage,
    ImportedRecordSet,
    ImportedDocument,
    ImportedAudit,
)

# The imported content is never changed: the database refuses it, as it does for the audit log.
# Migration 7 carries its own copy of the guards (villagegov/migrations/archive.py): a change here
# needs a migration of its own (tests/test_schema.py compares the two).
_CONTENT_TABLES = ("archive_record_set", "archive_document", "archive_audit")
SQLITE_GUARDS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS {t}_no_{op.lower()} BEFORE {op} ON {t} "
    f"BEGIN SELECT RAISE(ABORT, 'imported archive content is read-only'); END"
    for t in _CONTENT_TABLES
    for op in ("UPDATE", "DELETE")
)
POSTGRES_GUARDS = (
    "CREATE OR REPLACE FUNCTION archive_content_read_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'imported archive content is read-only'; END; $$ LANGUAGE plpgsql",
    *(
        f"CREATE TRIGGER {t}_no_change BEFORE UPDATE OR DELETE ON {t} "
        f"FOR EACH ROW EXECUTE FUNCTION archive_content_read_only()"
        for t in _CONTENT_TABLES
    ),
)
