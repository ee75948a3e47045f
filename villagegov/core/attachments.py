"""What a file must be to be kept with a record (a notice, a major matter, a petition): checked before
anything is written, with a message that names the file."""

from __future__ import annotations

import re
from pathlib import PurePath

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
