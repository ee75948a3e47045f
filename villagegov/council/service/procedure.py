"""The council's rules of procedure (议事规则): its thresholds, versioned by the day they take effect."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import peewee

from villagegov.accounts import rules as access
from villagegov.accounts.models import User
from villagegov.core import audit, voting
from villagegov.core.actor import Actor
from villagegov.core.db import transaction, translated_errors
from villagegov.council import rules
from villagegov.council.models import CouncilRules, Meeting
from villagegov.council.records import RulesRow
from villagegov.council.service._common import _council, _now, _rules_on, _rules_row, _term, _versions
from villagegov.council.service.terms import _rules_values, get_council


def council_rules(actor: Actor, council_id: int) -> list[RulesRow]:
    """Every version of the council's rules of procedure, oldest first, with who set it by name."""
    council = get_council(actor, council_id)
    names = dict(User.select(User.username, User.display_name).tuples())
    return [replace(v, set_by_name=names.get(v.set_by, v.set_by)) for v in _versions(council.id)]


def rules_in_force(actor: Actor, council_id: int, on: date) -> RulesRow:
    council = get_council(actor, council_id)
    return _rules_on(council.id, on)


def set_council_rules(
    actor: Actor,
    council_id: int,
    effective_from: date,
    quorum: voting.Threshold,
    pass_threshold: voting.Threshold,
    two_thirds: voting.Threshold,
    now: datetime | None = None,
) -> RulesRow:
    """The secretary sets the council's thresholds from a date on. Meetings held before keep their rules:
    the new version takes effect after the last meeting held."""
    vid = access.writable_village(actor, access.APPROVE)
    version = rules.check_rules(rules.RulesVersion(effective_from, quorum, pass_threshold, two_thirds))
    with translated_errors(), transaction():
        council = _council(vid, council_id)
        rules.room_actions(actor.role, has_council=True).require(rules.NEW_RULES)
        last = (
            Meeting.select(peewee.fn.MAX(Meeting.date))
            .where((Meeting.council == council.id) & (Meeting.state != rules.PLANNED))
            .scalar()
        )
        if isinstance(last, str):
            last = date.fromisoformat(last[:10])
        rules.check_new_version(effective_from, _term(council), last)
        values = _rules_values(version)
        row = CouncilRules.get_or_none(
            (CouncilRules.council == council.id) & (CouncilRules.effective_from == effective_from)
        )
        if row is None:
            row = CouncilRules(council=council.id, set_at=_now(now), set_by=actor.username, **values)
            audit.record_create(actor, row)
        else:
            before = audit.snapshot(row)
            for key, value in values.items():
                setattr(row, key, value)
            row.set_at, row.set_by = _now(now), actor.username
            audit.record_update(actor, row, before)
    return _rules_row(row)
