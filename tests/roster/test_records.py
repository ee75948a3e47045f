"""The roster's plain records load without the database layer: a screen, a layout or the archive may take
them without peewee."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_records_import_no_peewee_and_the_service_gives_the_same_classes() -> None:
    code = (
        "import sys\n"
        "import villagegov.roster.records, villagegov.roster.rules\n"
        "assert 'peewee' not in sys.modules, 'peewee imported'\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    from villagegov.roster import records, service

    assert service.VillagerRow is records.VillagerRow and service.ImportPreview is records.ImportPreview
