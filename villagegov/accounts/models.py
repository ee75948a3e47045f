"""Tables of the people who use the app."""

from __future__ import annotations

import peewee

from villagegov.core.db import BaseModel
from villagegov.roster.models import Village


class User(BaseModel):
    village = peewee.ForeignKeyField(Village, null=True, backref="users", on_delete="RESTRICT")
    username = peewee.CharField(unique=True)
    display_name = peewee.CharField()
    role = peewee.CharField()
    password_hash = peewee.CharField()
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField()

    # The hash never goes into the audit log; a password change is audited as an event.
    audit_exclude = ("password_hash",)
