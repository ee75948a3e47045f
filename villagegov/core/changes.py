"""What a write changed: the record kinds and ids, gathered while it runs, announced when it is done.

Every service write appends an audit entry for each record it creates, changes or deletes
(`core/audit.append`), and the audit layer notes each one here. The GUI's one way to act
(`ui/ops.py`) gathers the notes of one operation and announces them once it has succeeded, so that
every room showing such records reloads, whichever room made the change. Nothing here knows Qt; the
command line gathers nothing and pays nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Change:
    kind: str  # the record's table, as the audit log names it ("notice", "decision_step", "villager")
    id: str | None  # the record's id as text (the audit log's entity_id)
    action: str  # "create", "update", "delete", or the operation's own word ("approve", "post")


@dataclass(frozen=True)
class Changes:
    """What one operation changed."""

    items: frozenset[Change] = field(default_factory=frozenset)

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(c.kind for c in self.items)

    def touches(self, kinds: Iterable[str]) -> bool:
        """Whether any record of these kinds changed ("*" stands for every kind)."""
        wanted = set(kinds)
        return bool(self.items) and ("*" in wanted or not wanted.isdisjoint(self.kinds))

    def ids(self, kind: str) -> frozenset[int]:
        """The ids of the records of `kind` that changed (those with a numeric id)."""
        return frozenset(int(c.id) for c in self.items if c.kind == kind and c.id and c.id.isdigit())

    def __bool__(self) -> bool:
        return bool(self.items)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.items | other.items)


class _Bag:
    def __init__(self) -> None:
        self.items: list[Change] = []

    def changes(self) -> Changes:
        return Changes(frozenset(self.items))


_local = threading.local()


def _stack() -> list[_Bag]:
    stack: list[_Bag] | None = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def note(kind: str, record_id: object | None, action: str) -> None:
    """Called by the audit layer for every record written (outside `gathering` it costs a lookup)."""
    stack = _stack()
    if stack:
        stack[-1].items.append(Change(kind, None if record_id is None else str(record_id), action))


@contextmanager
def gathering() -> Iterator[_Bag]:
    """Gather the changes written on this thread inside the block; `bag.changes()` tells them after.

    Nested blocks each gather their own, and an inner block's changes are the outer block's too.
    """
    stack = _stack()
    bag = _Bag()
    stack.append(bag)
    try:
        yield bag
    finally:
        stack.pop()
        if stack:
            stack[-1].items.extend(bag.items)
