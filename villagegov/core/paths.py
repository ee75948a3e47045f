"""Where villagegov keeps its files (platformdirs), overridable for tests with VILLAGEGOV_HOME.

Every folder here is the user's alone (core/files.private_dir): 0700 on POSIX; on Windows the user's
own profile.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import cast

from villagegov import APP_NAME
from villagegov.core.files import private_dir


def _root(kind: str) -> Path:
    home = os.environ.get("VILLAGEGOV_HOME")
    if home:
        return Path(home) / kind
    import platformdirs

    getter = cast(
        Callable[..., str],
        {
            "data": platformdirs.user_data_dir,
            "config": platformdirs.user_config_dir,
            "logs": platformdirs.user_log_dir,
        }[kind],
    )
    return Path(getter(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return private_dir(_root("data"))


def config_dir() -> Path:
    return private_dir(_root("config"))


def logs_dir(create: bool = True) -> Path:
    path = _root("logs")
    return private_dir(path) if create else path


def default_database() -> Path:
    return data_dir() / "villagegov.sqlite3"


def backups_dir() -> Path:
    return private_dir(data_dir() / "backups")


def exports_dir() -> Path:
    return private_dir(data_dir() / "exports")


def work_dir(create: bool = True) -> Path:
    """Where long jobs keep their work files (core/scratch.py), one private folder a job."""
    path = _root("data") / "work"
    return private_dir(path) if create else path
