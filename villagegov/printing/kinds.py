"""A room's table of the papers it prints: kind → how it is built, what identifies it, its file name.

Whether a paper is posted in public or kept on file (and so how its numbers are masked) is said by
its layout (`OfficialDocument.audience`), which the archive's own papers use too.

Each room keeps one table in its `documents.py`; the window's print buttons, the command line's
`print KIND` and the yearly archive all print through it (`villagegov/documents.py` gathers the
tables). A kind's `build` imports the room's service and layouts only when called, so reading the
table (for `--help`) costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from villagegov.core.actor import Actor
from villagegov.core.files import pdf_file_name
from villagegov.core.i18n import _

if TYPE_CHECKING:  # the tables are read for --help and by a verify: no reportlab for them
    from villagegov.printing.document import OfficialDocument
    from villagegov.printing.template import Paper

RECORD = "record"  # printed for one record: `print KIND ID`
YEAR = "year"  # printed for a whole year: `print KIND --year Y`

# build(actor, subject, paper, today): subject is the record's id, or the year.
Build = Callable[[Actor, int, "Paper", date], "OfficialDocument"]


@dataclass(frozen=True)
class DocumentKind:
    key: str  # the command line's name: `print notice`, `print minutes`
    title: str  # an English msgid naming the paper ("Minutes"), for menus and file names
    build: Build
    subject: str = RECORD
    # Where the ID comes from: the `list` kind that shows it ("meetings"), said in `print --help`.
    listed_by: str = ""
    # What the paper is, in a few words for `print --help` (an English msgid); default: the title.
    what: str = ""
    # The suggested file name's stem, from the built paper; default: its number and the kind's title.
    file_stem: Callable[[OfficialDocument], str] | None = None

    def suggested_name(self, document: OfficialDocument) -> str:
        """The file name offered in the screen's language (the paper itself stays Chinese)."""
        if self.file_stem is not None:
            return pdf_file_name(self.file_stem(document))
        return pdf_file_name(" ".join(p for p in (document.number, document.title, _(self.title)) if p))
