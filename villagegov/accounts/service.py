"""Setting up a village, signing in, and managing the people who use the app."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from villagegov.accounts import rules
from villagegov.accounts.models import User
from villagegov.accounts.passwords import hash_password, verify_password
from villagegov.core import audit, clock
from villagegov.core.actor import CLERK, REVIEWER, SECRETARY, Actor
from villagegov.core.db import transaction, translated_errors
from villagegov.core.errors import AuthenticationFailed, NotFound, ValidationError
from villagegov.core.i18n import N_
from villagegov.roster import service as roster
from villagegov.roster.models import Village

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    active: bool


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.display_name, user.role, user.village_id)


def is_set_up() -> bool:
    """A database is set up once it has a village (or, on a township's server, a reviewer) and someone
    who can sign in."""
    active = User.select().where(User.active == True)  # noqa: E712
    return (Village.select().exists() or active.where(User.role == REVIEWER).exists()) and active.exists()


def _check_display_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise ValidationError(N_("Please enter the person's name."), field="display_name")
    return cleaned


def _new_user(village_id: int | None, username: str, display_name: str, role: str, password: str) -> User:
    if User.select().where(User.username == username).exists():
        raise ValidationError(N_("The user name {name} is taken."), field="username", name=username)
    return User(
        village=village_id, username=username, display_name=display_name, role=role,
        password_hash=hash_password(password), active=True, created_at=clock.now(),
    )  # fmt: skip


def set_up(
    village_name: str,
    township: str,
    county: str,
    username: str,
    display_name: str,
    password: str,
    confirm: str | None = None,
    role: str = CLERK,
) -> Actor:
    """First run: the village and its first user, in one transaction; returns them signed in."""
    username = rules.check_username(username)
    display_name = _check_display_name(display_name)
    rules.check_role(role)
    rules.check_new_password(password, confirm)
    if role not in (CLERK, SECRETARY):
        raise ValidationError(
            N_("The first user of a village keeps its records: choose clerk or secretary."), field="role"
        )
    with translated_errors(), transaction():
        if Village.select().exists():
            raise ValidationError(N_("This database already has a village."))
        setup_actor = Actor(None, username, display_name, role, None)
        village = roster.create_village(setup_actor, village_name, township, county)
        actor = Actor(None, username, display_name, role, village.id)
        audit.append(actor, "create", audit.entity_name(Village), village.id, None, audit.snapshot(village))
        user = _new_user(village.id, username, display_name, role, password)
        audit.record_create(actor, user)
    return _actor(user)


def set_up_reviewer(
    username: str, display_name: str, password: str, confirm: str | None = None, actor: Actor | None = None
) -> Actor:
    """A township reviewer (no village): the first one on a township's database, later ones by a reviewer.

    Reviewers read the villages' imported archives; they keep no village's records.
    """
    username = rules.check_username(username)
    display_name = _check_display_name(display_name)
    rules.check_new_password(password, confirm)
    with translated_errors(), transaction():
        if actor is None:
            if Village.select().exists() or User.select().exists():
                raise ValidationError(
                    N_("Only a township reviewer may add reviewers, on a database that keeps no village.")
                )
            actor = Actor(None, username, display_name, REVIEWER, None)
        elif actor.role != REVIEWER or actor.village_id is not None:
            raise ValidationError(
                N_("Only a township reviewer may add reviewers, on a database that keeps no village.")
            )
        user = _new_user(None, username, display_name, REVIEWER, password)
        audit.record_create(actor, user)
    return _actor(user)


def _user_named(username: str) -> User | None:
    with translated_errors():
        return User.get_or_none(User.username == username.strip())


def _checked(user: User | None, password: str) -> Actor:
    # The same message for a wrong name and a wrong password: don't tell a guesser which.
    if user is None or not user.active or not verify_password(password, user.password_hash):
        # Never the name typed for an unknown user: it is sometimes the password, typed one box early.
        log.info("sign-in refused for %s", user.username if user is not None else "an unknown user name")
        raise AuthenticationFailed(N_("The user name or the password is not correct."))
    log.info("signed in: %s (%s)", user.username, user.role)
    return _actor(user)


def sign_in(username: str, password: str) -> Actor:
    return _checked(_user_named(username), password)


class PendingSignIn:
    """A sign-in whose password check runs on a thread of its own; `result()` waits for it.

    The user's row is read by the caller's thread; the other thread only hashes (scrypt releases
    the GIL, so the caller goes on meanwhile) and touches no database.
    """

    def __init__(self, user: User | None, password: str) -> None:
        self._actor: Actor | None = None
        self._error: BaseException | None = None
        self.seconds = 0.0  # how long the check took
        self._thread = threading.Thread(
            target=self._check, args=(user, password), name="password-check", daemon=True
        )
        self._thread.start()

    def _check(self, user: User | None, password: str) -> None:
        started = time.perf_counter()
        try:
            self._actor = _checked(user, password)
        except BaseException as exc:  # handed to the caller by result(), as sign_in would raise it
            self._error = exc
        finally:
            self.seconds = time.perf_counter() - started

    def result(self) -> Actor:
        """The signed-in user; raises what `sign_in` would (AuthenticationFailed)."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._actor is not None
        return self._actor


def begin_sign_in(username: str, password: str) -> PendingSignIn:
    """`sign_in`, with the password checked while the caller does other work (the window's start)."""
    return PendingSignIn(_user_named(username), password)


def list_users(actor: Actor) -> list[UserRow]:
    rules.require(actor, rules.READ)
    query = User.select().order_by(User.id)
    if actor.village_id is not None:
        query = query.where(User.village == actor.village_id)
    return [UserRow(u.id, u.username, u.display_name, u.role, u.active) for u in query]


def create_user(
    actor: Actor, username: str, display_name: str, role: str, password: str, confirm: str | None = None
) -> UserRow:
    rules.require(actor, rules.MANAGE_USERS)
    username = rules.check_username(username)
    display_name = _check_display_name(display_name)
    rules.check_role(role)
    rules.check_new_password(password, confirm)
    if role == REVIEWER:
        raise ValidationError(N_("Township reviewers are set up on the township's server."), field="role")
    with translated_errors(), transaction():
        user = _new_user(actor.village_id, username, display_name, role, password)
        audit.record_create(actor, user)
    return UserRow(user.id, user.username, user.display_name, user.role, user.active)


def _user(actor: Actor, user_id: int) -> User:
    user = User.get_or_none(User.id == user_id)
    if user is None or (actor.village_id is not None and user.village_id != actor.village_id):
        raise NotFound(N_("That user does not exist."))
    return user


def set_password(actor: Actor, user_id: int, password: str, confirm: str | None = None) -> None:
    """Anyone may change their own password; the clerk and the secretary may reset others'."""
    if user_id != actor.user_id:
        rules.require(actor, rules.MANAGE_USERS)
    rules.check_new_password(password, confirm)
    with translated_errors(), transaction():
        user = _user(actor, user_id)
        user.password_hash = hash_password(password)
        user.save()
        audit.append(actor, "set_password", audit.entity_name(User), user.id, None, audit.snapshot(user))


def set_active(actor: Actor, user_id: int, active: bool) -> None:
    rules.require(actor, rules.MANAGE_USERS)
    if user_id == actor.user_id and not active:
        raise ValidationError(N_("You cannot switch off your own account."))
    with translated_errors(), transaction():
        user = _user(actor, user_id)
        before = audit.snapshot(user)
        user.active = active
        audit.record_update(actor, user, before)


def first_user() -> Actor:
    """The village's first active user, for unattended renderings (`villagegov screenshot`)."""
    user = User.select().where(User.active == True).order_by(User.id).first()  # noqa: E712
    if user is None:
        raise NotFound(N_("The database has no village yet: run villagegov demo or set it up first."))
    return _actor(user)
