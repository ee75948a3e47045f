"""四议两公开's paper: a major matter's dossier (一事一档).

The window's print buttons, `villagegov print KIND ID` and the yearly archive all build it here.
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


def dossier(actor: Actor, decision_id: int, paper: Paper, today: date) -> OfficialDocument:
    from villagegov.decisions import pdf, service

    return pdf.dossier_document(service.dossier(actor, decision_id), paper)


KINDS = (
    DocumentKind(
        "decision",
        N_("Dossier"),
        dossier,
        listed_by="decisions",
        public=False,
        what=N_("a major matter's dossier (一事一档)"),
    ),
)
