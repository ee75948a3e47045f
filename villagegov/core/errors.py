"""One exception family. Messages are English msgids, translated when shown."""

from __future__ import annotations

from typing import Any

from villagegov.core.i18n import message


class VillagegovError(Exception):
    """A mistake or refusal the user should read, never a programming error.

    `msgid` is marked with N_() where raised; `params` fill its {placeholders}
    after translation, so the Chinese sentence may order them as it likes.
    """

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def message(self) -> str:
        return message(self.msgid, self.params)

    def __str__(self) -> str:
        return self.message()


class ValidationError(VillagegovError):
    """Input that cannot be saved as it is; `field` names the form field when there is one."""

    def __init__(self, msgid: str, field: str | None = None, **params: Any) -> None:
        super().__init__(msgid, **params)
        self.field = field


class PermissionDenied(VillagegovError):
    pass


class NotFound(VillagegovError):
    pass


class AuthenticationFailed(VillagegovError):
    pass


class DatabaseError(VillagegovError):
    """The database cannot be opened or used: damaged, in use, too new, unreachable."""


class FinalisedRecord(VillagegovError):
    """A finalised record is never changed in place; corrections are new records."""


class Cancelled(Exception):
    """Long work stopped because the clerk cancelled it; it left nothing half-written."""
