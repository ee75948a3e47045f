"""Fixtures of the notices room: a secretary who approves, beside the clerk who writes."""

from __future__ import annotations

import pytest

from villagegov.accounts import service as accounts
from villagegov.core.actor import Actor


@pytest.fixture
def secretary(any_clerk: Actor) -> Actor:
    accounts.create_user(any_clerk, "shuji", "王建国", "secretary", "mima-5678")
    return accounts.sign_in("shuji", "mima-5678")
