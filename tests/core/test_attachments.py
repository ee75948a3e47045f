"""The one check every room's attachments go through (notices, major matters, petitions)."""

from __future__ import annotations

import pytest

from villagegov.core import attachments
from villagegov.core.errors import ValidationError
from villagegov.core.i18n import set_language

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 10
PDF = b"%PDF-1.7\n"


def test_the_name_loses_its_folder_and_the_type_comes_from_the_content() -> None:
    assert attachments.checked_file("C:\\扫描件\\方案.pdf", PDF) == ("方案.pdf", "application/pdf")
    assert attachments.checked_file("照片.pdf", PNG) == ("照片.pdf", "image/png")  # the name lies


@pytest.mark.parametrize(
    ("name", "content", "images_only", "says"),
    [
        ("a\x07.pdf", PDF, False, "文件名"),
        ("空.pdf", b"", False, "是空的"),
        ("大.pdf", PDF + b"\0" * attachments.MAX_ATTACHMENT_BYTES, False, "超过 20 MB"),
        ("说明.docx", b"PK\x03\x04", False, "不是图片（JPEG 或 PNG）或 PDF"),
        ("张贴.pdf", PDF, True, "照片"),
    ],
)
def test_a_file_that_cannot_be_kept_is_refused_by_name(
    name: str, content: bytes, images_only: bool, says: str
) -> None:
    set_language("zh_CN")
    with pytest.raises(ValidationError) as refused:
        attachments.checked_file(name, content, images_only=images_only)
    assert says in refused.value.message()
