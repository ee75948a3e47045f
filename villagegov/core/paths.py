"""Where villagegov keeps its files (platformdirs), overridable for tests with VILLAGEGOV_HOME."""

from __future__ import annotations

import os
from pathlib import Path

from villagegov import APP_NAME


def _root(kind: str) -> Path:
    home = os.environ.get("VILLAGEGOV_HOME")
    if home:
        return Path(home) / kind
    import platformdirs

    getter = {
        "data": platformdirs.user_data_dir,
        "config": platformdirs.user_config_dir,
        "logs": platformdirs.user_log_dir,
    }[kind]
    return Path(getter(APP_NAME, appauthor=False))


def data_dir() -> Path:
    path = _root("data")
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    path = _root("config")
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir() -> Path:
    path = _root("logs")
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database() -> Path:
    return data_dir() / "villagegov.sqlite3"


def backups_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def exports_dir() -> Path:
    path = data_dir() / "exports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def work_dir(create: bool = True) -> Path:
    """Where long jobs keep their work files (core/scratch.py), one private folder a job."""
    path = _root("data") / "work"
    if create:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
