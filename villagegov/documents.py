"""Every paper villagegov prints, gathered from the rooms' tables (`<room>/documents.py`).

The window's print buttons, the command line's `print KIND` and the yearly archive build papers
here, so that a paper prints the same from each door.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.core.errors import NotFound
from villagegov.core.i18n import N_
from villagegov.printing.kinds import DocumentKind

if TYPE_CHECKING:  # the table alone (for --help) loads no layout
    from villagegov.printing.document import OfficialDocument
    from villagegov.printing.template import Paper

# The rooms that print, in the order `print --help` lists their papers.
ROOMS = ("notices", "council", "decisions", "ceremonies", "petitions")


@cache
def kinds() -> dict[str, DocumentKind]:
    """Every kind of paper by its key (`notice`, `minutes`, …)."""
    out: dict[str, DocumentKind] = {}
    for room in ROOMS:
        for kind in import_module(f"villagegov.{room}.documents").KINDS:
            assert kind.key not in out, f"two rooms print {kind.key!r}"
            out[kind.key] = kind
    return out


def kind(key: str) -> DocumentKind:
    found = kinds().get(key)
    if found is None:
        raise NotFound(N_("There is no paper called {kind}."), kind=key)
    return found


def build(
    actor: Actor, key: str, subject: int, paper: Paper | None = None, today: date | None = None
) -> OfficialDocument:
    """The paper `key` for a record's id (or a year), laid out on `paper` (A4), as of `today`."""
    from villagegov.printing.template import Paper

    return kind(key).build(actor, subject, paper or Paper.A4, today or clock.today())


def render_bytes(
    actor: Actor, key: str, subject: int, paper: Paper | None = None, today: date | None = None
) -> bytes:
    """The paper as PDF bytes (the preview's; it runs on a worker thread)."""
    from villagegov.printing.document import render_bytes as render

    return render(build(actor, key, subject, paper, today))
