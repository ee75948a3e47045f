"""A machine with no Chinese font: the demo, printing and the window's Chinese work with the fonts that
come with the app (resources/fonts).

Each runs in a process of its own whose fontconfig (Qt's fonts on Linux) is given a configuration that
lists no Chinese font, and with VILLAGEGOV_FONT_SYSTEM=0 (the printing's search leaves the system's
folders out), as on a fresh Debian install.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.printing.conftest import fonts_in

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fontconfig hides the fonts: Linux only")
# The faces of resources/fonts as reportlab names them in a PDF (after the subset's AAAAAA+).
BUNDLED_FACES = {"UMingCN-0", "WenQuanYiMicroHei-0", "GBZenKai-Medium", "HanaMinB", "HanaMinA"}


@pytest.fixture
def fresh_machine(tmp_path: Path) -> dict[str, str]:
    """The environment of a process that sees no Chinese font on the system."""
    config = tmp_path / "fonts.conf"
    latin = "".join(
        f"<dir>{d}</dir>" for d in ("/usr/share/fonts/truetype/dejavu",) if Path(d).is_dir()
    )  # Latin letters as a fresh install has them (if at all)
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
        f"<fontconfig>{latin}<cachedir>{tmp_path / 'fontconfig-cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("VILLAGEGOV_FONT")}
    env.update(
        FONTCONFIG_FILE=str(config),
        VILLAGEGOV_FONT_SYSTEM="0",
        VILLAGEGOV_HOME=str(tmp_path / "home"),
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        VILLAGEGOV_PASSWORD="demo1234",
    )
    return env


def _villagegov(env: dict[str, str], *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "villagegov", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


WINDOW_PROBE = textwrap.dedent(
    """
    import json
    from PySide6.QtGui import QTextLayout
    from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
    from villagegov.ui import fonts
    from villagegov.ui.app import make_application

    QApplication([])
    before = fonts.has_chinese_family()
    app = make_application()
    box = QMessageBox(QMessageBox.Icon.Warning, "村务记录", "没有找到中文字体")
    labels = {"label": QLabel(TEXT), "message box": box.findChild(QLabel, "qt_msgbox_label")}
    runs = {}
    for name, label in labels.items():
        layout = QTextLayout(TEXT, label.font())
        layout.beginLayout()
        layout.createLine()
        layout.endLayout()
        runs[name] = [(r.rawFont().familyName(), list(r.glyphIndexes())) for r in layout.glyphRuns()]
    print(json.dumps({"before": before, "registered": fonts.has_chinese_family(), "runs": runs}))
    """
)


def test_the_window_s_chinese_is_drawn_with_the_bundled_fonts(fresh_machine: dict[str, str]) -> None:
    """Every Chinese character of a label and of a message box has a glyph (index 0 is the box drawn for
    a character no font has), from the bundled fonts: rare name characters too."""
    text = "村务记录 青石村村民委员会 王𠮷 刘䶮"
    probe = f"TEXT = {text!r}\n" + WINDOW_PROBE
    result = subprocess.run(
        [sys.executable, "-c", probe], env=fresh_machine, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["before"] is False  # the configuration hid every Chinese font of this machine
    assert seen["registered"] is True
    for name, runs in seen["runs"].items():
        glyphs = [g for _family, indexes in runs for g in indexes]
        assert len(glyphs) == len(text) and 0 not in glyphs, (name, runs)
        families = {family for family, _indexes in runs}
        assert {"WenQuanYi Micro Hei", "HanaMinB", "HanaMinA"} <= families, (name, runs)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_demo_and_a_printed_notice_with_the_bundled_fonts(
    fresh_machine: dict[str, str], tmp_path: Path
) -> None:
    db = str(tmp_path / "village.sqlite3")
    demo = _villagegov(fresh_machine, "--db", db, "demo", timeout=600)
    assert demo.returncode == 0, demo.stderr
    listed = _villagegov(fresh_machine, "--db", db, "--user", "wenshu", "list", "notices")
    assert listed.returncode == 0, listed.stderr
    posted = next(line.split("\t") for line in listed.stdout.splitlines() if "\t已张贴\t" in line)
    target = tmp_path / "notice.pdf"
    printed = _villagegov(
        fresh_machine, "--db", db, "--user", "wenshu", "print", "notice", posted[0], "-o", str(target)
    )
    assert printed.returncode == 0, printed.stderr
    embedded = fonts_in(target)
    assert embedded and all(embedded.values())
    assert {name.partition("+")[2] for name in embedded} <= BUNDLED_FACES
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert posted[4] in text.replace("\n", "")  # the title, as the list gives it
    assert "村民委员会" in text
