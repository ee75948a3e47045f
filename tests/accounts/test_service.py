import base64
import contextlib
from datetime import timedelta
from pathlib import Path

import peewee
import pytest

from tests.conftest import set_up_village
from villagegov.accounts import rules, service
from villagegov.accounts.models import SignInFailure, User
from villagegov.core.errors import AuthenticationFailed, PermissionDenied, ValidationError
from villagegov.schema import close_store, open_store


def test_set_up_signs_the_first_user_in(any_store: peewee.Database) -> None:
    actor = set_up_village()
    assert actor.role == "clerk" and actor.village_id is not None
    assert service.sign_in("wenshu", "mima-1234").user_id == actor.user_id
    assert service.is_set_up()
    with pytest.raises(ValidationError):
        set_up_village()  # one village per village database


def test_passwords_are_stored_only_as_salted_slow_hashes(store: peewee.Database) -> None:
    clerk = set_up_village()
    service.create_user(clerk, "shuji", "张书记", "secretary", "mima-1234", "mima-1234")
    hashes = [u.password_hash for u in User.select()]
    assert all(h.startswith("scrypt$16384$") for h in hashes)
    assert "mima-1234" not in "".join(hashes)
    assert hashes[0] != hashes[1]  # same password, different salt


def test_wrong_password_or_user_gives_one_message(store: peewee.Database) -> None:
    set_up_village()
    with pytest.raises(AuthenticationFailed) as wrong_password:
        service.sign_in("wenshu", "mima-12345")
    with pytest.raises(AuthenticationFailed) as wrong_user:
        service.sign_in("nobody", "mima-1234")
    assert wrong_password.value.message() == wrong_user.value.message() == "用户名或密码不正确。"


def test_bad_new_passwords(store: peewee.Database) -> None:
    clerk = set_up_village()
    with pytest.raises(ValidationError) as err:
        service.create_user(clerk, "shuji", "张书记", "secretary", "short", "short")
    assert "8" in err.value.message()
    with pytest.raises(ValidationError):
        service.create_user(clerk, "shuji", "张书记", "secretary", "mima-1234", "mima-4321")


def test_only_clerk_and_secretary_manage_users(store: peewee.Database) -> None:
    clerk = set_up_village()
    service.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    supervisor = service.sign_in("jianwei", "mima-5678")
    with pytest.raises(PermissionDenied):
        service.create_user(supervisor, "x", "x", "clerk", "mima-5678")
    service.set_password(supervisor, supervisor.user_id, "neue-mima-1")  # one's own password: yes
    assert service.sign_in("jianwei", "neue-mima-1").role == "supervisor"
    service.set_active(clerk, supervisor.user_id, False)
    with pytest.raises(AuthenticationFailed):
        service.sign_in("jianwei", "neue-mima-1")


def test_a_sign_in_begun_early_gives_what_sign_in_gives(any_store: peewee.Database) -> None:
    """The window's start checks the password on a thread of its own (ui/start.py): the same
    answer, and the same single message for a wrong password, an unknown name or a switched-off user."""
    clerk = set_up_village()
    pending = service.begin_sign_in(" wenshu ", "mima-1234")
    assert pending.result() == clerk
    assert pending.seconds > 0  # the scrypt check did run
    service.create_user(clerk, "shuji", "张书记", "secretary", "mima-5678", "mima-5678")
    shuji = next(u for u in service.list_users(clerk) if u.username == "shuji")
    service.set_active(clerk, shuji.id, False)
    for name, password in (("wenshu", "wrong-password"), ("nobody", "mima-1234"), ("shuji", "mima-5678")):
        pending = service.begin_sign_in(name, password)
        with pytest.raises(AuthenticationFailed) as refused:
            pending.result()
        assert refused.value.message() == "用户名或密码不正确。"


# --- wrong passwords slow down; an unknown name costs what a known one does ---------------------------------


def test_the_delay_rule_at_its_edges() -> None:
    """Typing mistakes cost nothing; from the third wrong password in a row each next try waits twice as
    long, up to the cap (a few seconds a clerk can bear; a guesser gets one try per cap per name)."""
    delay = rules.sign_in_delay
    assert [delay(n) for n in (0, 1, 2)] == [timedelta(0)] * 3
    assert delay(rules.FREE_FAILURES) == rules.FIRST_DELAY == timedelta(seconds=1)
    assert [delay(n).total_seconds() for n in (3, 4, 5, 6, 7)] == [1, 2, 4, 5, 5]
    assert delay(6) == rules.SIGN_IN_DELAY_CAP == timedelta(seconds=5)
    assert delay(10**9) == rules.SIGN_IN_DELAY_CAP  # no overflow however long it goes on
    assert all(delay(n) <= delay(n + 1) for n in range(40))


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits a sign-in takes, recorded instead of slept (the rule decides them; no clock is asserted)."""
    taken: list[float] = []
    monkeypatch.setattr(service, "_sleep", taken.append)
    return taken


def _fail(name: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(AuthenticationFailed):
            service.sign_in(name, "not-the-password")


def test_wrong_passwords_in_a_row_make_the_next_try_wait_longer_until_a_success(
    any_store: peewee.Database, waits: list[float]
) -> None:
    set_up_village()
    _fail("wenshu", 3)
    assert waits == []  # three typing mistakes: no wait yet
    _fail("wenshu", 3)
    assert [round(w) for w in waits] == [1, 2, 4]  # before the 4th, 5th and 6th tries
    assert all(0 < w <= rules.SIGN_IN_DELAY_CAP.total_seconds() for w in waits)
    assert service.sign_in("wenshu", "mima-1234").username == "wenshu"  # waits 5 s, then right
    assert [round(w) for w in waits] == [1, 2, 4, 5]
    assert not SignInFailure.select().exists()  # a success clears the count
    _fail("wenshu", 3)
    assert len(waits) == 4  # typing mistakes are free again


def test_the_count_is_kept_in_the_database_so_a_new_process_does_not_reset_it(
    tmp_path: Path, waits: list[float]
) -> None:
    path = tmp_path / "village.sqlite3"
    db = open_store(path)
    set_up_village()
    _fail("wenshu", 4)
    close_store(db)
    db = open_store(path)  # another process, as far as the database can tell
    _fail("wenshu", 1)
    assert [round(w) for w in waits] == [1, 2]
    assert SignInFailure.get(SignInFailure.username == "wenshu").failures == 5
    close_store(db)


def test_an_unknown_name_is_counted_and_waits_like_a_known_one(
    store: peewee.Database, waits: list[float]
) -> None:
    set_up_village()
    _fail("nobody", 4)
    _fail("wenshu", 4)
    assert [round(w) for w in waits] == [1, 1]  # one wait each, the same
    assert {r.username: r.failures for r in SignInFailure.select()} == {"nobody": 4, "wenshu": 4}


@pytest.fixture
def scrypt_calls(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The salts scrypt is run with (the real scrypt runs): what a sign-in's time is made of."""
    import hashlib

    calls: list[bytes] = []
    real = hashlib.scrypt

    def counting(password: bytes, *, salt: bytes, **kwargs: int) -> bytes:
        calls.append(salt)
        return real(password, salt=salt, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counting)
    return calls


def test_every_sign_in_runs_one_scrypt_of_the_same_cost_whoever_is_named(
    store: peewee.Database, scrypt_calls: list[bytes]
) -> None:
    """An unknown name answered in 0.3 ms and a known one in 31 ms: a guesser could list the users. Now an
    unknown name is checked against a dummy hash of the same parameters, and a switched-off user's password
    is checked too."""
    from villagegov.accounts import passwords

    clerk = set_up_village()
    service.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    shuji = service.create_user(clerk, "shuji", "张书记", "secretary", "mima-5678")
    service.set_active(clerk, shuji.id, False)
    scrypt_calls.clear()
    for name, password in (
        ("wenshu", "mima-1234"),  # right
        ("wenshu", "wrong-password"),
        ("nobody", "mima-1234"),  # unknown
        ("shuji", "mima-5678"),  # switched off
    ):
        with contextlib.suppress(AuthenticationFailed):
            service.sign_in(name, password)
    assert len(scrypt_calls) == 4
    dummy_salt = passwords.DUMMY_HASH.split("$")[4]
    assert scrypt_calls[2] == base64.b64decode(dummy_salt)
    assert (
        passwords.DUMMY_HASH.split("$")[1:4]
        == User.get(User.username == "wenshu").password_hash.split("$")[1:4]
    )


# --- one's own password, and another's reset ----------------------------------------------------------------


def test_changing_ones_own_password_needs_the_old_one_and_the_policy(
    store: peewee.Database, waits: list[float]
) -> None:
    clerk = set_up_village()
    with pytest.raises(ValidationError) as wrong:
        service.change_password(clerk, "not-my-password", "neue-mima-1", "neue-mima-1")
    assert wrong.value.field == "old"
    assert SignInFailure.get(SignInFailure.username == "wenshu").failures == 1  # a guess like any other
    with pytest.raises(ValidationError):
        service.change_password(clerk, "mima-1234", "short", "short")
    with pytest.raises(ValidationError):
        service.change_password(clerk, "mima-1234", "neue-mima-1", "neue-mima-2")
    service.change_password(clerk, "mima-1234", "neue-mima-1", "neue-mima-1")
    with pytest.raises(AuthenticationFailed):
        service.sign_in("wenshu", "mima-1234")
    assert service.sign_in("wenshu", "neue-mima-1").user_id == clerk.user_id


def test_only_the_clerk_or_the_secretary_resets_anothers_password(store: peewee.Database) -> None:
    clerk = set_up_village()
    service.create_user(clerk, "shuji", "张书记", "secretary", "mima-5678")
    service.create_user(clerk, "jianwei", "赵监委", "supervisor", "mima-5678")
    secretary = service.sign_in("shuji", "mima-5678")
    supervisor = service.sign_in("jianwei", "mima-5678")
    with pytest.raises(PermissionDenied):
        service.set_password(supervisor, secretary.user_id, "neue-mima-1", "neue-mima-1")
    service.set_password(secretary, supervisor.user_id, "neue-mima-1", "neue-mima-1")
    assert service.sign_in("jianwei", "neue-mima-1").user_id == supervisor.user_id
