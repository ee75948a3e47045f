"""The rules' allowed actions, enforced by the service before it writes (core/actions.py): the same
answer the room's buttons show, from the meeting as it is stored."""

from __future__ import annotations

from datetime import date

from villagegov.core import clock
from villagegov.core.actor import Actor
from villagegov.council.models import Meeting
from villagegov.council.records import MeetingDetail
from villagegov.council.service._rows import _detail


def _require(
    actor: Actor, meeting: Meeting, action: str, item_id: int | None = None, today: date | None = None
) -> MeetingDetail:
    """Refuse `action` on the meeting (or one of its items) as the rules would; the meeting's details."""
    detail = _detail(meeting)
    allowed = detail.actions(actor.role, today or clock.today())
    if item_id is not None:
        allowed = allowed.merged(detail.item_actions(actor.role, item_id))
    allowed.require(action)
    return detail
