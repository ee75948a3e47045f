"""What the export's worker processes do: read a document from the village's database and lay it out.

A document costs ~5 ms of database reads and service work and ~15 ms of reportlab layout, both
Python holding its interpreter's lock; two worker processes share the two (spawned: no Qt or database
state is inherited). Each opens the village's database itself, lists a room's documents once as the
export did, and builds and lays out the ones it is given by their place in that list. If the list it
reads is not the export's (the records changed meanwhile), it says so and the export builds that one
itself. The export's own process then only writes the zip, so it never loads the fonts either.

A worker ends when the exporting process ends, however it ends (SIGKILL and a crash included, on
Linux and on Windows): it watches the read end of a pipe whose only write end the export holds, and
exits the moment that pipe breaks (`_watch`). The operating system closes a dead process's ends of
its pipes, so no signal handler or clean exit is needed; PR_SET_PDEATHSIG would cover only Linux (and
fires when the *thread* that spawned the worker ends, which in a ProcessPoolExecutor is any thread
that submits), and a Windows Job object only Windows. multiprocessing's resource tracker then ends
too: it exits when the last process holding its pipe (the export and its workers) is gone.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

from villagegov.archive import package as pkg
from villagegov.archive.contract import ArchiveDocument, Period, room_module
from villagegov.core.actor import Actor

# ("sqlite", path) or ("postgres", database name, connection parameters): how to open the database.
Recipe = tuple[Any, ...]

_state: dict[str, Any] = {}


def _watch(lifeline: Any) -> None:
    """Wait for the export's end of the pipe to close (it never writes), then end this worker now."""
    with contextlib.suppress(EOFError, OSError):
        lifeline.recv_bytes()
    os._exit(0)  # no clean-up to run: the worker writes nothing, and its parent is gone


def start(lifeline: Any, recipe: Recipe | None, actor: Actor, period: Period) -> None:
    """A worker's first act: watch for its export's end, load the fonts, and (with a recipe) open its
    own connection to the database."""
    threading.Thread(target=_watch, args=(lifeline,), name="lifeline", daemon=True).start()
    pkg.warm_fonts()
    _state.update(actor=actor, period=period, lists={})
    if recipe is None:
        return
    import peewee

    from villagegov.core.db import bind, make_database

    if recipe[0] == "sqlite":
        db = make_database(recipe[1])
    else:
        db = peewee.PostgresqlDatabase(recipe[1], **recipe[2])
    bind(db)
    db.connect(reuse_if_open=True)


def _documents(room: str) -> list[ArchiveDocument]:
    lists: dict[str, list[ArchiveDocument]] = _state["lists"]
    if room not in lists:
        module = room_module(room)
        lists[room] = module.documents(_state["actor"], _state["period"]) if module else []
    return lists[room]


def build_and_render(room: str, index: int, name: str) -> tuple[bytes, int] | None:
    """The `index`-th document of `room`, laid out; None if this worker's list has another there."""
    from villagegov.core.errors import VillagegovError

    documents = _documents(room)
    if index >= len(documents) or documents[index].name != name:
        return None
    try:
        official = documents[index].build()
    except VillagegovError as exc:
        raise pkg._PortableError(exc.msgid, exc.params) from None
    return pkg.render_pdf(official)
