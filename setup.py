"""The wheel carries the top-level `translations/` (compiled to .mo) and `resources/` inside the package.

Everything else is in pyproject.toml; this only adds that step to setuptools' build_py.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads them from the source tree (villagegov/core/bundled.py)
        target = Path(self.build_lib) / "villagegov"
        shutil.copytree(ROOT / "resources", target / "resources", dirs_exist_ok=True)
        sys.path.insert(0, str(ROOT))
        from villagegov.core.i18n import compile_catalogue

        for po in sorted((ROOT / "translations").glob("*/LC_MESSAGES/*.po")):
            mo = target / "translations" / po.relative_to(ROOT / "translations").with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            mo.write_bytes(compile_catalogue(po))


setup(cmdclass={"build_py": BuildWithData})
