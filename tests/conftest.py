"""Shared fixtures: a real database per test (SQLite, and PostgreSQL where one is given)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One clock: every test, and every program a test starts, sees the same day, whatever the real date
# (.ci/run runs the date-sensitive tests again with VILLAGEGOV_TEST_TODAY at the year's edges).
os.environ["VILLAGEGOV_TODAY"] = os.environ.get("VILLAGEGOV_TEST_TODAY", "2026-11-25")

from villagegov.core import clock, i18n, logs
from villagegov.core.actor import Actor
from villagegov.schema import close_store, open_store

TEST_TODAY = os.environ["VILLAGEGOV_TODAY"]
PG_URL = os.environ.get(
    "VILLAGEGOV_TEST_PG"
)  # e.g. postgresql://villagegov:villagegov@127.0.0.1/villagegov_test


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own data, config, backup and logs folders, and the Chinese default."""
    home = tmp_path / "home"
    monkeypatch.setenv("VILLAGEGOV_HOME", str(home))
    monkeypatch.setenv("VILLAGEGOV_TODAY", TEST_TODAY)
    clock.pin(None)
    i18n.set_language("zh_CN")
    yield home
    logs.stop()  # a test that ran cli.main leaves no log file open for the next ones to write to


def _reset_postgres(url: str) -> None:
    from playhouse.db_url import connect

    db = connect(url)
    db.connect()
    db.execute_sql("DROP SCHEMA public CASCADE")
    db.execute_sql("CREATE SCHEMA public")
    db.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[peewee.Database]:
    """The store tests run on both engines; PostgreSQL only where VILLAGEGOV_TEST_PG names a server."""
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("no PostgreSQL server (set VILLAGEGOV_TEST_PG)")
        _reset_postgres(PG_URL)
        db = open_store(PG_URL)
    else:
        db = open_store(tmp_path / "village.sqlite3")
    yield db
    close_store(db)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[peewee.Database]:
    db = open_store(tmp_path / "village.sqlite3")
    yield db
    close_store(db)


def set_up_village(role: str = "clerk") -> Actor:
    from villagegov.accounts import service as accounts

    return accounts.set_up(
        "青石村", "柳溪镇", "安平县", "wenshu", "李文书", "mima-1234", "mima-1234", role=role
    )


@pytest.fixture
def clerk(store: peewee.Database) -> Actor:
    return set_up_village()


@pytest.fixture
def any_clerk(any_store: peewee.Database) -> Actor:
    return set_up_village()
