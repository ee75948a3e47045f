"""村民议事会's papers: a meeting's notice, its sign-in sheet, its minutes, and each resolution.

The window's print buttons, `villagegov print KIND ID` and the yearly archive all build them here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from villagegov.core.actor import Actor
from villagegov.core.i18n import N_, _
from villagegov.printing.kinds import DocumentKind

if TYPE_CHECKING:
    from villagegov.printing.document import OfficialDocument
    from villagegov.printing.template import Paper

MEETING_NOTICE, SIGN_IN_SHEET = "meeting-notice", "sign-in-sheet"
MINUTES, RESOLUTION = "minutes", "resolution"
TITLES = {
    MEETING_NOTICE: N_("Meeting notice"),
    SIGN_IN_SHEET: N_("Sign-in sheet"),
    MINUTES: N_("Minutes"),
    RESOLUTION: N_("Resolution"),
}


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


def meeting_paper_stem(council: str, meeting_title: str, key: str) -> str:
    """A meeting's paper as a file name in the screen's language: 青石村村民议事会第3次会议 会议记录."""
    return f"{council}{meeting_title} {_(TITLES[key])}"


def resolution_stem(number: str, title: str) -> str:
    return f"{number} {title}"


def _meeting_stem(key: str) -> Callable[[OfficialDocument], str]:
    # A meeting's papers carry the council as author and the meeting's title as their keyword.
    return lambda document: meeting_paper_stem(document.author, "".join(document.keywords[:1]), key)


KINDS = (
    DocumentKind(MEETING_NOTICE, TITLES[MEETING_NOTICE], meeting_notice, listed_by="meetings",
                 file_stem=_meeting_stem(MEETING_NOTICE), what=N_("the notice calling a council meeting")),
    DocumentKind(SIGN_IN_SHEET, TITLES[SIGN_IN_SHEET], sign_in_sheet, listed_by="meetings",
                 file_stem=_meeting_stem(SIGN_IN_SHEET),
                 what=N_("a council meeting's sign-in sheet (签到表)")),
    DocumentKind(MINUTES, TITLES[MINUTES], minutes, listed_by="meetings",
                 file_stem=_meeting_stem(MINUTES), what=N_("a council meeting's minutes (会议记录)")),
    DocumentKind(RESOLUTION, TITLES[RESOLUTION], resolution, listed_by="resolutions",
                 file_stem=lambda document: resolution_stem(document.number, document.title),
                 what=N_("a council resolution (决议)")),
)  # fmt: skip
