"""Who may do what. Pure: no database, no Qt."""

from __future__ import annotations

from datetime import timedelta

from villagegov.core.actions import ROLE, Allowed, Refusal
from villagegov.core.actor import CLERK, REVIEWER, ROLES, SECRETARY, SUPERVISOR, Actor
from villagegov.core.errors import PermissionDenied, ValidationError
from villagegov.core.i18n import N_, _

READ = "read"
WRITE = "write"  # keep the records: roster, meetings, notices, …
APPROVE = "approve"
SIGN_OFF = "sign_off"  # the supervisory committee's signature or concern
MANAGE_USERS = "manage_users"
MAINTAIN = "maintain"  # back up, restore, import

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    CLERK: frozenset({READ, WRITE, MANAGE_USERS, MAINTAIN}),
    SECRETARY: frozenset({READ, WRITE, APPROVE, MANAGE_USERS, MAINTAIN}),
    SUPERVISOR: frozenset({READ, SIGN_OFF}),
    REVIEWER: frozenset({READ}),
}

ROLE_LABELS = {
    CLERK: N_("Clerk"),
    SECRETARY: N_("Party secretary"),
    SUPERVISOR: N_("Supervisory committee"),
    REVIEWER: N_("Township reviewer"),
}

REFUSALS = {
    READ: N_("You may not read this village's records."),
    WRITE: N_("Only the clerk or the secretary may change records; you are signed in as {role}."),
    APPROVE: N_("Only the party secretary may approve; you are signed in as {role}."),
    SIGN_OFF: N_("Only the supervisory committee may sign off; you are signed in as {role}."),
    MANAGE_USERS: N_("Only the clerk or the secretary may manage users; you are signed in as {role}."),
    MAINTAIN: N_(
        "Only the clerk or the secretary may back up, restore or import; you are signed in as {role}."
    ),
}


def role_label(role: str) -> str:
    return _(ROLE_LABELS[role])


def may(actor: Actor, permission: str) -> bool:
    return permission in ROLE_PERMISSIONS.get(actor.role, frozenset())


def refusal(role: str, permission: str) -> Refusal | None:
    """Why this role may not do what needs `permission` (for a room's allowed actions), or None."""
    if permission in ROLE_PERMISSIONS.get(role, frozenset()):
        return None
    return Refusal(REFUSALS[permission], {"role": role_label(role)}, ROLE)


def require(actor: Actor, permission: str, village_id: int | None = None) -> None:
    """Refuse, with the reason in the user's language, what this role may not do.

    Village staff act only on their own village; township reviewers read every village.
    """
    if not may(actor, permission):
        raise PermissionDenied(REFUSALS[permission], role=role_label(actor.role))
    if village_id is not None and actor.village_id is not None and actor.village_id != village_id:
        raise PermissionDenied(N_("This record belongs to another village."))
    if permission != READ and actor.village_id is None:
        raise PermissionDenied(REFUSALS[permission], role=role_label(actor.role))


def readable_village(actor: Actor, village_id: int | None) -> int:
    """The village a read is about: the one named (a township reviewer names it), else the actor's own."""
    vid = village_id if village_id is not None else actor.village_id
    if vid is None:
        raise ValidationError(N_("Choose a village first."))
    require(actor, READ, vid)
    return vid


def writable_village(actor: Actor, permission: str = WRITE) -> int:
    """The actor's own village, for a write this role may do (require() refuses one without a village)."""
    require(actor, permission)
    assert actor.village_id is not None
    return actor.village_id


MIN_PASSWORD_LENGTH = 8


def check_new_password(password: str, confirm: str | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            N_("The password needs at least {n} characters."), field="password", n=MIN_PASSWORD_LENGTH
        )
    if confirm is not None and confirm != password:
        raise ValidationError(N_("The two passwords are not the same."), field="confirm")


def check_username(username: str) -> str:
    name = username.strip()
    if not name:
        raise ValidationError(N_("Please enter a user name."), field="username")
    if len(name) > 40 or any(ch.isspace() for ch in name):
        raise ValidationError(N_("A user name has no spaces and at most 40 characters."), field="username")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ValidationError(N_("Unknown role: {role}"), field="role", role=role)
    return role


# Wrong passwords for one user name: the first few are typing mistakes and cost nothing; then each
# next try waits twice as long as the one before, up to a cap a clerk can bear. At the cap a guesser
# gets one try per SIGN_IN_DELAY_CAP per user name, however many processes it runs (the wait is taken
# in turn, in the database), instead of ~32 a second a core.
FREE_FAILURES = 3
FIRST_DELAY = timedelta(seconds=1)
SIGN_IN_DELAY_CAP = timedelta(seconds=5)


def sign_in_delay(failures: int) -> timedelta:
    """How long the next try for a user name waits after `failures` wrong passwords in a row."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    steps = failures - FREE_FAILURES
    if steps >= 8:  # 2**8 s is far past the cap: no need to compute it
        return SIGN_IN_DELAY_CAP
    delay: timedelta = min(FIRST_DELAY * (2**steps), SIGN_IN_DELAY_CAP)
    return delay


# --- what the settings room may do now (its buttons; the services require the same permissions) -------

ADD_USER, RESET_PASSWORD, CHANGE_OWN_PASSWORD = "add_user", "reset_password", "change_own_password"
BACK_UP, RESTORE = "back_up", "restore"
NO_USER_CHOSEN = N_("Choose whose password to reset in the list first.")
NO_ACCOUNT = N_("Only a user signed in with an account of this database has a password to change.")


def settings_actions(role: str, signed_in_user: bool, chosen_user: bool) -> Allowed:
    """The settings room's buttons for this role: users are managed, and the database backed up and
    restored, by the clerk or the secretary; everyone changes their own password."""
    manage = refusal(role, MANAGE_USERS)
    maintain = refusal(role, MAINTAIN)
    return Allowed.decide({
        ADD_USER: manage,
        RESET_PASSWORD: manage or (None if chosen_user else Refusal(NO_USER_CHOSEN)),
        CHANGE_OWN_PASSWORD: None if signed_in_user else Refusal(NO_ACCOUNT),
        BACK_UP: maintain,
        RESTORE: maintain,
    })  # fmt: skip
