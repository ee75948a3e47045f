"""村务公开's papers: the notice as it hangs on the board, and the result of its posting period.

The window's print buttons, `villagegov print KIND ID` and the yearly archive all build them here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from villagegov.core.actor import Actor
from villagegov.core.i18n import N_
from villagegov.printing.kinds import DocumentKind

if TYPE_CHECKING:
    from villagegov.printing.document import OfficialDocument
    from villagegov.printing.template import Paper

NOTICE, NOTICE_RESULT = "notice", "notice-result"


def notice(actor: Actor, notice_id: int, paper: Paper, today: date) -> OfficialDocument:
    from villagegov.notices import pdf, service

    return pdf.notice_document(service.document(actor, notice_id, today), paper)


def notice_result(actor: Actor, notice_id: int, paper: Paper, today: date) -> OfficialDocument:
    from villagegov.notices import pdf, service

    return pdf.result_document(service.result_document(actor, notice_id, today), paper)


def _stem(document: OfficialDocument) -> str:
    return f"{document.number} {document.title}"


KINDS = (
    DocumentKind(
        NOTICE,
        N_("Notice"),
        notice,
        listed_by="notices",
        file_stem=_stem,
        what=N_("a notice as it hangs on the board, its attachments after it"),
    ),
    DocumentKind(
        NOTICE_RESULT,
        N_("Period result"),
        notice_result,
        listed_by="notices",
        what=N_("a 公示's result at the end of its period: no objection, or the objections"),
    ),
)
