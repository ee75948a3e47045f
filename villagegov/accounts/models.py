"""Tables of the people who use the app."""

from __future__ import annotations

import peewee

from villagegov.core.db import BaseModel
from villagegov.core.i18n import N_
from villagegov.roster.models import Village


class User(BaseModel):
    village = peewee.ForeignKeyField(Village, null=True, backref="users", on_delete="RESTRICT")
    username = peewee.CharField(unique=True)
    display_name = peewee.CharField()
    role = peewee.CharField()
    password_hash = peewee.CharField()
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField()

    # The hash never goes into the audit log, only its commitment (core/audit.commitment): a hash
    # replaced behind the app's back no longer matches it, and a password change is an audited event
    # that stores no secret.
    audit_commit = ("password_hash",)
    audit_commit_problem = N_(
        "its password hash is not the one the audit log committed to ({entry}): it was replaced behind the "
        "app's back"
    )


class SignInFailure(BaseModel):
    """Consecutive wrong passwords for a user name (known or not), and the time before which the next
    try waits (accounts/rules.sign_in_delay). Kept in the database so that a new process does not start
    afresh; removed by a successful sign-in.

    Not audited: it holds no record of the village, only a counter that anyone typing a name changes,
    written by a process in which nobody is signed in yet (docs/CHECK.md).
    """

    username = peewee.CharField(unique=True)
    failures = peewee.IntegerField()
    not_before = peewee.CharField()  # ISO 8601 UTC text, as the audit log keeps its times

    class Meta:
        table_name = "sign_in_failure"
