"""四议两公开's paper: a major matter's dossier (一事一档), kept on file (not posted on the board).

The window's print button, `villagegov print decision ID` and the yearly archive all build it here.
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

DOSSIER = "decision"


def dossier(actor: Actor, decision_id: int, paper: Paper, today: date) -> OfficialDocument:
    """The matter's whole record as it stands `today`, signed that day."""
    from villagegov.decisions import pdf, service

    return pdf.dossier_document(service.dossier(actor, decision_id, today), paper)


def _stem(document: OfficialDocument) -> str:
    """〔2026〕事字第1号 村东水渠修缮工程: the dossier's number and the matter's title."""
    from villagegov.decisions import pdf

    return pdf.file_stem(document)


KINDS = (
    DocumentKind(
        DOSSIER, N_("Dossier"), dossier, listed_by="decisions", file_stem=_stem,
        what=N_("a major matter's dossier (一事一档)"),
    ),
)  # fmt: skip
