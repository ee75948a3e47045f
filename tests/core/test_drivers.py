"""peewee without psycopg2 for a SQLite file, and psycopg2 given back for a township's server.

Each case runs in a new process: peewee is imported only once per process.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PG_URL

# What peewee keeps of psycopg2: its module-level names that hold psycopg2's objects, and the
# psycopg2 adapter's class attributes.
STATE = """
import json, re, peewee
def text(value):
    return re.sub(' at 0x[0-9a-f]+', '', repr(value))
def of_psycopg2(name, value):
    where = str(getattr(value, '__module__', None) or getattr(value, '__name__', ''))
    return 'psycopg2' in name or 'psycopg2' in text(value) or where.startswith('psycopg2')
names = {k: text(v) for k, v in vars(peewee).items() if of_psycopg2(k, v)}
adapter = {k: text(v) for k, v in vars(peewee.Psycopg2Adapter).items() if not k.startswith('__')}
print(json.dumps({'names': names, 'adapter': adapter}))
"""


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_file_is_opened_without_psycopg2() -> None:
    out = _python(
        "import sys\n"
        "from villagegov.core.drivers import import_peewee_for\n"
        "import_peewee_for('village.sqlite3')\n"
        "import peewee\n"
        "print(peewee.psycopg2, 'psycopg2' in sys.modules)\n"
        "import psycopg2\n"  # hidden from peewee only while it was imported
        "print(psycopg2.__name__)\n"
    )
    assert out.split() == ["None", "False", "psycopg2"]


def test_an_address_gets_peewee_as_it_always_was() -> None:
    out = _python(
        "import sys\n"
        "from villagegov.core.drivers import import_peewee_for\n"
        "import_peewee_for('postgresql://somewhere/villages')\n"
        "print('psycopg2' in sys.modules)\n"
    )
    assert out.split() == ["True"]


def test_psycopg2_given_back_leaves_peewee_as_its_own_import_does() -> None:
    """If peewee starts keeping more of psycopg2, this fails rather than a township's server."""
    normal = json.loads(_python(STATE))
    restored = json.loads(
        _python(
            "from villagegov.core.drivers import import_peewee_for, restore_postgres_driver\n"
            "import_peewee_for('village.sqlite3')\n"
            "restore_postgres_driver()\n" + STATE
        )
    )
    assert normal["names"] and normal["adapter"]
    assert restored == normal


@pytest.mark.postgres
def test_a_township_server_after_a_file() -> None:
    if not PG_URL:
        pytest.skip("no PostgreSQL server (set VILLAGEGOV_TEST_PG)")
    out = _python(
        "import uuid\n"
        "from villagegov.core.drivers import import_peewee_for\n"
        "import_peewee_for('village.sqlite3')\n"
        "from villagegov.schema import close_store, open_store\n"
        f"db = open_store({PG_URL!r})\n"
        "with db.atomic():\n"
        "    print(db.execute_sql('SELECT %s::uuid', (uuid.UUID(int=7),)).fetchone()[0])\n"
        "close_store(db)\n"
    )
    assert out.strip() == "00000000-0000-0000-0000-000000000007"
