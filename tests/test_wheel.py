"""`pip install .` gives a working program: the wheel carries the catalogue (compiled from the top-level
translations/) and the resources, and the installed program speaks Chinese from them."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
         str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    return next(out.glob("villagegov-*.whl"))


@pytest.mark.slow
def test_the_wheel_carries_the_compiled_catalogue_and_the_resources(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "villagegov/translations/zh_CN/LC_MESSAGES/villagegov.mo" in names
    assert "villagegov/resources/villagegov.png" in names
    assert not any(n.endswith(".po") or n.endswith(".pot") for n in names)
    source_tree = {p.relative_to(ROOT).as_posix() for p in (ROOT / "resources").rglob("*") if p.is_file()}
    assert {f"villagegov/{p}" for p in source_tree} <= names, "every resource travels in the wheel"


@pytest.mark.slow
def test_the_installed_program_speaks_chinese_from_its_own_catalogue(wheel: Path, tmp_path: Path) -> None:
    """Installed beside this Python's packages (no download), run from a folder away from the source
    tree: the Chinese comes from the .mo inside the installed package."""
    target = tmp_path / "venv"
    venv.create(target, system_site_packages=True, with_pip=True)
    python = target / ("Scripts" if os.name == "nt" else "bin") / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VILLAGEGOV_LANG")}
    where = subprocess.run(
        [str(python), "-c", "import villagegov, sys; print(villagegov.__file__)"],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert str(target) in where.stdout, "the installed copy, not the source tree"
    helped = subprocess.run(
        [str(python), "-m", "villagegov", "--help"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert helped.returncode == 0, helped.stderr
    assert "用法" in helped.stdout and "命令" in helped.stdout
