"""A paper's layout takes plain records and loads no database: `python -c "import villagegov.<room>.pdf"`
imports no peewee, for every room (issue 15: layouts import their room's records, never its service)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = sorted(
    f"villagegov.{p.parent.name}.{p.stem}"
    for p in (ROOT / "villagegov").glob("*/*pdf.py")
    if p.parent.name != "printing"
)


def test_every_room_with_papers_is_found() -> None:
    assert {"villagegov.notices.pdf", "villagegov.council.pdf", "villagegov.petitions.mediation_pdf"} <= set(
        LAYOUTS
    )


@pytest.mark.parametrize("module", LAYOUTS)
def test_a_layout_imports_no_peewee(module: str) -> None:
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'peewee'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", module
