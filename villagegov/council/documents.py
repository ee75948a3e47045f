"""村民议事会's papers: a meeting's notice, its sign-in sheet, its minutes, and each resolution.

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


def meeting_notice(actor: Actor, meeting_id: int, paper: Paper, today: date) -> OfficialDocument:
    """Dated the day it is printed, as the clerk would sign it."""
    from villagegov.council import pdf, service

    return pdf.notice_document(service.meeting_notice(actor, meeting_id, today=today), paper)


def sign_in_sheet(actor: Actor, meeting_id: int, paper: Paper, today: date) -> OfficialDocument:
    from villagegov.council import pdf, service

    return pdf.sign_in_document(service.sign_in_sheet(actor, meeting_id), paper)


def minutes(actor: Actor, meeting_id: int, paper: Paper, today: date) -> OfficialDocument:
    from villagegov.council import pdf, service

    return pdf.minutes_document(service.minutes_document(actor, meeting_id), paper)


def resolution(actor: Actor, resolution_id: int, paper: Paper, today: date) -> OfficialDocument:
    from villagegov.council import pdf, service

    return pdf.resolution_document(service.resolution_document(actor, resolution_id), paper)


KINDS = (
    DocumentKind(
        "meeting-notice",
        N_("Meeting notice"),
        meeting_notice,
        listed_by="meetings",
        what=N_("the notice calling a council meeting"),
    ),
    DocumentKind(
        "sign-in-sheet",
        N_("Sign-in sheet"),
        sign_in_sheet,
        listed_by="meetings",
        public=False,
        what=N_("a council meeting's sign-in sheet (签到表)"),
    ),
    DocumentKind(
        "minutes",
        N_("Minutes"),
        minutes,
        listed_by="meetings",
        public=False,
        what=N_("a council meeting's minutes (会议记录)"),
    ),
    DocumentKind(
        "resolution",
        N_("Resolution"),
        resolution,
        listed_by="resolutions",
        what=N_("a council resolution (决议)"),
    ),
)
