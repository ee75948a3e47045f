"""The room as a whole: its settings (the village's time limits and its mediation committee), what is
due across both subjects (the main window's indicator and the room's reminders), and the period's
figures and summary. Each write is one transaction with its audit entry.

A petition's operations are in petition_service.py, a dispute's in mediation_service.py.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from villagegov.accounts import rules as access
from villagegov.core import audit
from villagegov.core.actor import Actor
from villagegov.core.db import transaction, translated_errors
from villagegov.core.i18n import in_document_language
from villagegov.petitions import common, mediation_service, petition_rules, petition_service, rules
from villagegov.petitions.models import PetitionSettings
from villagegov.petitions.records import Attention, Reminder, Settings, SummaryDocument

# --- settings -------------------------------------------------------------------------------------


def settings(actor: Actor, village_id: int | None = None) -> Settings:
    return common.settings_of(access.readable_village(actor, village_id))


def update_settings(actor: Actor, data: Settings) -> Settings:
    """The secretary sets the time limits; deadlines already given stay as they were given."""
    rules.room_actions(actor.role).require(rules.SET_LIMITS)
    vid = access.writable_village(actor, access.APPROVE)
    limits = petition_rules.check_limits(data.limits)
    values: dict[str, Any] = {name: getattr(limits, name) for name in petition_rules.LIMIT_FIELDS}
    values["committee_name"] = " ".join(data.committee_name.split())
    with translated_errors(), transaction():
        row = common.settings_row(vid)
        if row is None:
            audit.record_create(actor, PetitionSettings(village=vid, **values))
        else:
            before = audit.snapshot(row)
            for key, value in values.items():
                setattr(row, key, value)
            audit.record_update(actor, row, before)
    return common.settings_of(vid)


# --- what is due ----------------------------------------------------------------------------------


def attention(actor: Actor, today: date | None = None) -> Attention:
    """Three counts over the indexed deadlines: cheap enough for the main window to ask at start."""
    overdue, due_soon = petition_service.attention(actor, today)
    return Attention(overdue, due_soon, mediation_service.overdue_count(actor, today))


def reminders(actor: Actor, today: date | None = None) -> list[Reminder]:
    """Overdue petitions first, then those due soon, overdue mediations, and agreements to follow up."""
    return petition_service.reminders(actor, today) + mediation_service.reminders(actor, today)


# --- the period's figures -------------------------------------------------------------------------


def figures(actor: Actor, start: date, end: date, village_id: int | None = None) -> rules.Figures:
    """The county's figures for any period: per ledger and month, and for disputes."""
    common.check_period(start, end)
    petitions, answers = petition_service.figure_facts(actor, start, end, village_id)
    disputes = mediation_service.figure_facts(actor, start, end, village_id)
    return rules.figures(start, end, petitions, answers, disputes)


@in_document_language
def summary_document(actor: Actor, start: date, end: date, today: date | None = None) -> SummaryDocument:
    """The period's figures, to print with their tables and charts."""
    vid = access.readable_village(actor, None)
    return SummaryDocument(
        village=common.village_name(vid), signing_body=common.village_committee(vid), start=start, end=end,
        figures=figures(actor, start, end), sign_date=common.today_or(today),
        masking=common.masking(actor, vid),
    )  # fmt: skip
