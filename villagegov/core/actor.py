"""Who is doing something: the signed-in user as the services see them."""

from __future__ import annotations

from dataclasses import dataclass

CLERK = "clerk"
SECRETARY = "secretary"
SUPERVISOR = "supervisor"
REVIEWER = "reviewer"
ROLES = (CLERK, SECRETARY, SUPERVISOR, REVIEWER)


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    role: str
    village_id: int | None  # None for township staff, who read many villages

    @property
    def audit_chain(self) -> int:
        return self.village_id or 0
