"""Where the files that come with the program are: the translations and the resources (icons, fonts).

In the source tree they sit beside the package (`translations/`, `resources/`); an installed wheel and
the PyInstaller build carry them inside it (`villagegov/translations`, `villagegov/resources`), which
`setup.py` and `build.spec` arrange.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def folder(name: str) -> Path:
    """`translations` or `resources`: inside the package when installed, else beside it."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name
