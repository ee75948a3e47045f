"""Chinese in the window on any machine: Qt is given the fonts that come with the app where it needs them.

On a machine without a Chinese font (a fresh Linux install) every label of the window was a row of
boxes, the message box saying so as well. Where the system has no Simplified Chinese family, the
bundled WenQuanYi Micro Hei (a sans-serif drawn for the screen) is registered and put after the
application font's own family, so that its Chinese characters come from it. The two fonts for rare name
characters (Extension A; Extensions B to F) are registered on every machine: few systems have them,
and a name like 王𠮷 must not show as a box in the roster either.

Registering a font costs ~2 ms: fontconfig (Linux) reads only the file's header and character map,
the outlines when a character is drawn (bench/README.md, "the bundled Chinese fonts at start").
Whether the system has a Chinese family is read from Qt's font database, which Qt fills before the
first frame anyway.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from villagegov.core.bundled import folder

UI_FONT = "wqy-microhei.ttc"  # its first face: WenQuanYi Micro Hei
RARE_FONTS = ("HanaMinA-ExtA.ttf", "HanaMinB.ttf")


def bundled_fonts_folder() -> Path:
    return folder("resources") / "fonts"


def has_chinese_family() -> bool:
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def _register(path: Path) -> list[str]:
    if not path.is_file():
        return []  # a build without the bundle: the system's fonts, as before
    return QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(path)))


def install(app: QApplication) -> list[str]:
    """Register the bundled fonts the system lacks; returns the families registered."""
    fonts = bundled_fonts_folder()
    registered: list[str] = []
    if not has_chinese_family():
        chinese = _register(fonts / UI_FONT)
        if chinese:
            font = app.font()
            font.setFamilies([*(font.families() or [font.family()]), chinese[0]])
            app.setFont(font)
        registered += chinese
    for name in RARE_FONTS:
        registered += _register(fonts / name)
    return registered
