import peewee
import pytest

from tests.conftest import set_up_village
from villagegov.accounts import service
from villagegov.accounts.models import User
from villagegov.core.errors import AuthenticationFailed, PermissionDenied, ValidationError


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
