"""Which database driver a process loads: a SQLite file needs none beyond the standard library.

peewee imports every driver it finds installed when it is itself imported, psycopg2 among them (with
libpq and OpenSSL: ~20–25 ms, a tenth of the window's start). A process that is to open a SQLite
file imports peewee with psycopg2 out of its sight; `restore_postgres_driver` gives peewee the driver
back if the same process opens a PostgreSQL address after all. This module imports no peewee itself.
"""

from __future__ import annotations

import sys
from typing import Any

_POSTGRES_DRIVERS = ("psycopg2", "psycopg")  # psycopg2, and psycopg 3 which peewee also looks for


def is_url(target: str) -> bool:
    return "://" in target


def import_peewee_for(target: str) -> None:
    """Import peewee for a process that opens `target`: without the PostgreSQL drivers for a file.

    Nothing changes when peewee is already imported (the tests).
    """
    if "peewee" in sys.modules:
        return
    hidden = [] if is_url(target) else [name for name in _POSTGRES_DRIVERS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError
    try:
        import peewee  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, False) is None:
                del sys.modules[name]


def restore_postgres_driver() -> None:
    """Give peewee psycopg2 if it was imported without it (what peewee itself does when imported).

    Raises ImportError when psycopg2 is not installed.
    """
    import peewee as imported

    peewee: Any = imported  # what peewee sets when it finds psycopg2 itself, which its types omit
    if peewee.psycopg2 is not None:
        return
    import psycopg2
    from psycopg2 import extensions, extras

    extras.register_uuid()  # type: ignore[no-untyped-call]
    peewee.psycopg2 = psycopg2
    peewee.pg_extensions = extensions
    peewee.pg_register_uuid = extras.register_uuid
    peewee.Json_pg2 = extras.Json
    adapter = peewee.Psycopg2Adapter
    adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
    adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
    adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN
