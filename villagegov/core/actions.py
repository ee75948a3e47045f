"""What may be done to a record now, and why not: decided once, by a room's rules, for service and screen.

A room's `rules.py` answers "which actions does this record allow this user now?" with an `Allowed`:
each action is either allowed or refused with a `Refusal` in the user's language. The room's service
calls `allowed.require(action)` before it writes (so a refused action raises the same reason), and
the room's screen enables each button from the same answer, the reason as a disabled button's
tooltip. No view keeps a copy of a rule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from villagegov.core.errors import FinalisedRecord, PermissionDenied, ValidationError, VillagegovError
from villagegov.core.i18n import N_, message

# Why an action is refused, which decides the exception a service raises for it.
ROLE = "role"  # the user's role may not do it (PermissionDenied)
STATE = "state"  # the record's state does not allow it now (ValidationError)
FINAL = "final"  # the record is finalised and never changes (FinalisedRecord)

_RAISES: dict[str, type[VillagegovError]] = {
    ROLE: PermissionDenied,
    STATE: ValidationError,
    FINAL: FinalisedRecord,
}

# The reasons most rooms give; a room adds its own msgids beside them.
NOT_YOUR_ROLE = N_("Your role ({role}) may not do this.")
NOTHING_SELECTED = N_("Choose a record in the list first.")


@dataclass(frozen=True)
class Refusal:
    """Why an action may not be done now: a msgid with its params, and what kind of reason it is."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    reason: str = STATE

    def message(self) -> str:
        return message(self.msgid, dict(self.params))

    def error(self) -> VillagegovError:
        return _RAISES[self.reason](self.msgid, **self.params)


def refuse(msgid: str, reason: str = STATE, **params: Any) -> Refusal:
    return Refusal(msgid, params, reason)


def by_role(role_label: str) -> Refusal:
    """The refusal of an action the user's role may not do (`role_label` as the screens show it)."""
    return Refusal(NOT_YOUR_ROLE, {"role": role_label}, ROLE)


@dataclass(frozen=True)
class Allowed(Mapping[str, Refusal | None]):
    """Each action a record offers → None when it may be done now, or the refusal that says why not.

    Build it with `Allowed.decide({action: refusal or None, ...})`; asking about an action the
    record does not offer is a programming error (KeyError), so a typo never enables a button.
    """

    answers: Mapping[str, Refusal | None]

    @classmethod
    def decide(cls, answers: Mapping[str, Refusal | None]) -> Allowed:
        return cls(dict(answers))

    @classmethod
    def nothing(cls, actions: tuple[str, ...], why: Refusal) -> Allowed:
        """Every action refused for one reason (no record selected, a township reviewer, …)."""
        return cls({action: why for action in actions})

    def __getitem__(self, action: str) -> Refusal | None:
        return self.answers[action]

    def __iter__(self) -> Iterator[str]:
        return iter(self.answers)

    def __len__(self) -> int:
        return len(self.answers)

    def may(self, action: str) -> bool:
        return self.answers[action] is None

    def why_not(self, action: str) -> str | None:
        """The refusal in the user's language, or None when the action may be done."""
        refusal = self.answers[action]
        return None if refusal is None else refusal.message()

    def require(self, action: str) -> None:
        """For a service, before it writes: raise the refusal the screen shows, if there is one."""
        refusal = self.answers[action]
        if refusal is not None:
            raise refusal.error()

    def merged(self, other: Mapping[str, Refusal | None]) -> Allowed:
        return Allowed({**self.answers, **other})
