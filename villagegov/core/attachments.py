"""What a file must be to be kept with a record (a notice, a major matter, a petition): checked before
anything is written, with a message that names the file."""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath
from typing import Any

from villagegov.core.errors import ValidationError
from villagegov.core.i18n import N_, _

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MEDIA_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)


def media_type(content: bytes) -> str | None:
    """The file's type from its first bytes (its name's ending may lie)."""
    return next((kind for magic, kind in MEDIA_TYPES if content.startswith(magic)), None)


def checked_file(file_name: str, content: bytes, images_only: bool = False) -> tuple[str, str]:
    """The file's name without its folder, and its media type; or a refusal naming the file."""
    name = PurePath(file_name.replace("\\", "/")).name.strip()
    if not name or len(name) > 200 or re.search(r"[\x00-\x1f]", name):
        raise ValidationError(N_("The file name {name} cannot be used."), field="file", name=file_name)
    if not content:
        raise ValidationError(N_("The file {name} is empty."), field="file", name=name)
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            N_("The file {name} is larger than {size} MB."), field="file", name=name,
            size=MAX_ATTACHMENT_BYTES // (1024 * 1024),
        )  # fmt: skip
    kind = media_type(content)
    if kind is None or (images_only and not kind.startswith("image/")):
        allowed = N_("a photo (JPEG or PNG)") if images_only else N_("an image (JPEG or PNG) or a PDF")
        raise ValidationError(
            N_("The file {name} is not {allowed}."), field="file", name=name, allowed=_(allowed)
        )
    return name, kind


CONTENT_REPLACED = N_(
    "its file's bytes are not those the audit log recorded (sha256 {sha256}…, {size} bytes): the file was "
    "replaced"
)


class SealedContent:
    """A table whose file bytes stay out of the audit log while their sha256 and size are in it.

    `villagegov check` asks every row (core/audit.verify_records): bytes replaced behind the app's back
    no longer hash to the audited sha256, whether or not the row's sha256 was changed to match.
    """

    content: Any
    sha256: Any
    size: Any

    def hidden_problems(self) -> list[tuple[str, dict[str, Any]]]:
        content = bytes(self.content or b"")
        if hashlib.sha256(content).hexdigest() != self.sha256 or len(content) != self.size:
            return [(CONTENT_REPLACED, {"sha256": str(self.sha256)[:16], "size": self.size})]
        return []
