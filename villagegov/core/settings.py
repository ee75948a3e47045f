"""The user's own settings (language, last database), a small JSON file in the config folder."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from villagegov.core import paths
from villagegov.core.i18n import DEFAULT_LANGUAGE


@dataclass
class Settings:
    language: str = DEFAULT_LANGUAGE
    backups_kept: int = 30


def settings_file() -> Path:
    return paths.config_dir() / "settings.json"


def load() -> Settings:
    try:
        raw = json.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    known = {k: v for k, v in raw.items() if k in Settings.__dataclass_fields__}
    return Settings(**known)


def save(settings: Settings) -> None:
    # Write beside and rename, so a crash never leaves half a settings file.
    target = settings_file()
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, target)
