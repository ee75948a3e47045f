"""Setting up a village, signing in, and managing the people who use the app."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime

from villagegov.accounts import rules
from villagegov.accounts.models import SignInFailure, User
from villagegov.accounts.passwords import DUMMY_HASH, hash_password, verify_password
from villagegov.core import audit, clock
from villagegov.core.actor import CLERK, REVIEWER, SECRETARY, Actor
from villagegov.core.db import is_postgres, transaction, translated_errors
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


@dataclass(frozen=True)
class _Account:
    """What a sign-in reads before the password is checked (on the caller's thread)."""

    name: str
    user: User | None
    sealed: str | None  # the commitment the audit log holds for the user's password hash


def _account(username: str) -> _Account:
    name = username.strip()
    with translated_errors():
        user = User.get_or_none(User.username == name)
        # The same query for an unknown name: its answer takes no less time.
        last = audit.last_after(audit.entity_name(User), user.id if user is not None else "")
    return _Account(name, user, (last or {}).get("password_hash"))


def _checked(account: _Account, password: str) -> Actor:
    """One scrypt whoever is named: an unknown name is checked against a dummy hash, a switched-off
    user's password is checked too, so the time taken does not tell a guesser which names exist."""
    user = account.user
    right = verify_password(password, user.password_hash if user is not None else DUMMY_HASH)
    # The same message for a wrong name and a wrong password: don't tell a guesser which.
    if user is None or not user.active or not right:
        # Never the name typed for an unknown user: it is sometimes the password, typed one box early.
        log.info("sign-in refused for %s", user.username if user is not None else "an unknown user name")
        raise AuthenticationFailed(N_("The user name or the password is not correct."))
    if audit.commitment(user.password_hash) != account.sealed:
        # Only someone who knows the replaced hash's password reads this: it tells a guesser nothing.
        log.info("sign-in refused for %s: password changed outside villagegov", user.username)
        raise AuthenticationFailed(
            N_(
                "This account's password was changed outside villagegov, so it cannot be used: the clerk "
                "or the secretary sets a new one (villagegov check names the change)."
            )
        )
    log.info("signed in: %s (%s)", user.username, user.role)
    return _actor(user)


# Waiting for one's turn after wrong passwords; tests observe the waits through this name.
_sleep = time.sleep


def _take_turn(name: str) -> bool:
    """Wait out the delay the wrong passwords for `name` earned, then take this try's turn.

    A try after failures counts itself failed in advance (and sets the next wait) before the password
    is checked: processes guessing at once take their turns one after the other, and a try killed half-way
    still counts. Returns whether it did so; with no failures on record nothing is written.
    """
    with translated_errors():
        if not SignInFailure.select().where(SignInFailure.username == name).exists():
            return False  # the common case reads, and takes no write lock
    seen: int | None = None
    while True:
        with translated_errors(), transaction():
            query = SignInFailure.select().where(SignInFailure.username == name)
            # One process at a time reads and takes the turn: SQLite's IMMEDIATE transaction already
            # holds the write lock; PostgreSQL locks the row.
            row = (query.for_update() if is_postgres() else query).first()
            if row is None:
                return False
            now = clock.utc_now()
            wait = (datetime.fromisoformat(row.not_before) - now).total_seconds()
            # Once this process has waited for the state it read, that state's turn is its own.
            if wait <= 0 or row.failures == seen:
                row.failures += 1
                row.not_before = _utc_text(now + rules.sign_in_delay(row.failures))
                row.save()
                return True
            seen = row.failures
        _sleep(min(wait, rules.SIGN_IN_DELAY_CAP.total_seconds()))


def _utc_text(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _settle(name: str, ok: bool, counted: bool) -> None:
    """After the check: a success clears the failures; a failure not yet counted is counted.

    A success with no failures on record (the usual sign-in) writes nothing.
    """
    if counted and not ok:
        return
    with translated_errors(), transaction():
        if ok:
            SignInFailure.delete().where(SignInFailure.username == name).execute()
            return
        now = clock.utc_now()
        query = SignInFailure.select().where(SignInFailure.username == name)
        row = (query.for_update() if is_postgres() else query).first()
        if row is None:
            SignInFailure.insert(
                username=name, failures=1, not_before=_utc_text(now + rules.sign_in_delay(1))
            ).on_conflict(
                conflict_target=[SignInFailure.username],
                update={SignInFailure.failures: SignInFailure.failures + 1},
            ).execute()
        else:
            row.failures += 1
            row.not_before = _utc_text(now + rules.sign_in_delay(row.failures))
            row.save()


def sign_in(username: str, password: str) -> Actor:
    """The user, if the password is theirs; wrong passwords in a row make the next try wait longer."""
    return begin_sign_in(username, password).result()


class PendingSignIn:
    """A sign-in whose password check runs on a thread of its own; `result()` waits for it.

    The user's row is read, and the wait for one's turn taken, by the caller's thread; the other thread
    only hashes (scrypt releases the GIL, so the caller goes on meanwhile) and touches no database.
    `result()` records the outcome, on the caller's thread again.
    """

    def __init__(self, account: _Account, password: str, counted: bool) -> None:
        self._account = account
        self._counted = counted
        self._settled = False
        self._actor: Actor | None = None
        self._error: BaseException | None = None
        self.seconds = 0.0  # how long the check took
        self._thread = threading.Thread(
            target=self._check, args=(account, password), name="password-check", daemon=True
        )
        self._thread.start()

    def _check(self, account: _Account, password: str) -> None:
        started = time.perf_counter()
        try:
            self._actor = _checked(account, password)
        except BaseException as exc:  # handed to the caller by result(), as sign_in would raise it
            self._error = exc
        finally:
            self.seconds = time.perf_counter() - started

    def result(self) -> Actor:
        """The signed-in user; raises what `sign_in` would (AuthenticationFailed)."""
        self._thread.join()
        if not self._settled:
            self._settled = True
            failed = isinstance(self._error, AuthenticationFailed)
            if failed or (self._error is None and self._counted):
                _settle(self._account.name, not failed, self._counted)
        if self._error is not None:
            raise self._error
        assert self._actor is not None
        return self._actor


def begin_sign_in(username: str, password: str) -> PendingSignIn:
    """`sign_in`, with the password checked while the caller does other work (the window's start)."""
    account = _account(username)
    counted = _take_turn(account.name)
    return PendingSignIn(account, password, counted)


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
    new_hash = hash_password(password)
    with translated_errors(), transaction():
        user = _user(actor, user_id)
        _set_hash(actor, user, new_hash, "set_password" if user_id == actor.user_id else "reset_password")


def _set_hash(actor: Actor, user: User, new_hash: str, action: str) -> None:
    """Audited: the entry holds the old and new hashes' commitments, never a hash."""
    before = audit.snapshot(user)
    user.password_hash = new_hash
    audit.record_update(actor, user, before, action=action)


def change_password(actor: Actor, old: str, password: str, confirm: str | None = None) -> None:
    """One's own password, given the old one (checked as a sign-in is: wrong ones make the next wait)."""
    if actor.user_id is None:
        raise NotFound(N_("That user does not exist."))
    rules.check_new_password(password, confirm)
    with translated_errors():
        user = User.get_or_none(User.id == actor.user_id)
    if user is None:
        raise NotFound(N_("That user does not exist."))
    try:
        sign_in(user.username, old)
    except AuthenticationFailed:
        raise ValidationError(N_("The old password is not correct."), field="old") from None
    new_hash = hash_password(password)
    with translated_errors(), transaction():
        _set_hash(actor, _user(actor, actor.user_id), new_hash, "set_password")


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
