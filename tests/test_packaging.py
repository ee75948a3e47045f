"""The desktop bundle: build.spec builds with PyInstaller, and the built program runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import peewee
import pytest

from villagegov.accounts import service as accounts
from villagegov.core import clock

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
# The first test builds the bundle (up to half an hour on a busy machine) inside its time.
pytestmark = pytest.mark.timeout(3600)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the one-folder bundle once for this module; returns dist/villagegov."""
    pytest.importorskip("PyInstaller", reason="PyInstaller is not installed")
    build = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
            "--distpath", str(build / "dist"), "--workpath", str(build / "work"), str(SPEC),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=1800,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return build / "dist" / "villagegov"


def _program(bundle: Path) -> Path:
    return bundle / ("villagegov.exe" if sys.platform == "win32" else "villagegov")


def _run(
    bundle: Path, *args: str, env_extra: dict[str, str] | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """The built program in the default language; the demo and an export want a longer `timeout`."""
    env = {k: v for k, v in os.environ.items() if k != "VILLAGEGOV_LANG"}
    env.update(QT_QPA_PLATFORM="offscreen", **(env_extra or {}))
    return subprocess.run(
        [str(_program(bundle)), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )


def _contents(bundle: Path) -> Path:
    """The folder the frozen program sees as sys._MEIPASS (the one holding base_library.zip)."""
    return next(bundle.rglob("base_library.zip")).parent


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="the Windows build is windowed: --help prints nothing")
def test_help_speaks_chinese_by_default_and_english_on_request(bundle: Path) -> None:
    chinese = _run(bundle, "--help")
    assert chinese.returncode == 0, chinese.stderr
    assert "用法" in chinese.stdout
    assert "usage:" not in chinese.stdout
    english = _run(bundle, "--lang", "en", "--help")
    assert english.returncode == 0, english.stderr
    assert "usage:" in english.stdout


@pytest.mark.slow
def test_bundle_holds_catalogue_qt_translations_and_a_chinese_font(bundle: Path) -> None:
    contents = _contents(bundle)
    assert (contents / "villagegov" / "translations" / "zh_CN" / "LC_MESSAGES" / "villagegov.mo").is_file()
    qt_translations = {p.name for p in contents.rglob("*.qm")}
    assert {"qtbase_zh_CN.qm", "qt_zh_CN.qm"} <= qt_translations
    # The fonts that come with the app (resources/fonts), where printing/fonts.py and ui/fonts.py look.
    bundled = contents / "villagegov" / "resources" / "fonts"
    source = {p.name: p.stat().st_size for p in (ROOT / "resources" / "fonts").glob("*.tt[fc]")}
    assert source and {p.name: p.stat().st_size for p in bundled.glob("*.tt[fc]")} == source
    assert (bundled / "LICENSES.md").is_file()


@pytest.mark.slow
def test_built_program_renders_the_main_window(bundle: Path, store: peewee.Database, tmp_path: Path) -> None:
    """The window needs Qt's platform and image plugins in the bundle: render it offscreen."""
    accounts.set_up("青石村", "石桥镇", "清水县", "wenshu", "李文书", "demo1234", "demo1234")
    db = tmp_path / "village.sqlite3"  # the `store` fixture's file
    assert db.is_file()
    picture = tmp_path / "roster.png"
    shot = _run(bundle, "--db", str(db), "screenshot", str(picture))
    assert shot.returncode == 0, shot.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _run_long(
    bundle: Path, *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The built program on a longer leash (the demo and an export take tens of seconds)."""
    return _run(bundle, *args, env_extra=env_extra, timeout=900)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="the Windows build is windowed: it prints nothing")
def test_built_program_exports_verifies_and_imports_a_year(bundle: Path, tmp_path: Path) -> None:
    """The archive's libraries are in the bundle (cryptography, bagit and its metadata, jsonschema and
    its metaschemas, fastjsonschema, pypdf), and the export's worker processes start from the frozen
    program: the demo village's year goes out, verifies, and comes in at a township."""

    village = tmp_path / "village.sqlite3"
    home = {"VILLAGEGOV_HOME": str(tmp_path / "home")}
    demo = _run_long(bundle, "--db", str(village), "demo", env_extra=home)
    assert demo.returncode == 0, demo.stderr
    year = str(clock.today().year)
    package = tmp_path / f"青石村-{year}.zip"
    export = _run_long(
        bundle, "--db", str(village), "--user", "wenshu", "archive", "export", "--year", year,
        "-o", str(package), env_extra={**home, "VILLAGEGOV_PASSWORD": "demo1234"},
    )  # fmt: skip
    assert export.returncode == 0, export.stderr[-3000:]
    assert "已导出" in export.stdout and package.is_file()
    verify = _run_long(bundle, "archive", "verify", str(package), env_extra=home)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "校验通过" in verify.stdout
    key = tmp_path / "key.json"
    shown = _run_long(
        bundle, "--db", str(village), "--user", "wenshu", "archive", "key", "-o", str(key),
        env_extra={**home, "VILLAGEGOV_PASSWORD": "demo1234"},
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    fingerprint = shown.stdout.splitlines()[0].split("：")[-1]
    township = tmp_path / "township.sqlite3"
    reviewer = {**home, "VILLAGEGOV_NEW_PASSWORD": "shenhe-1234", "VILLAGEGOV_PASSWORD": "shenhe-1234"}
    steps = [
        ("archive", "reviewer", "shenhe", "--name", "赵审查"),
        ("--user", "shenhe", "archive", "register", str(key), "--fingerprint", fingerprint),
        ("--user", "shenhe", "archive", "import", str(package)),  # bagit's second opinion runs here
        ("--user", "shenhe", "archive", "review", "-o", str(tmp_path / "review.pdf")),
    ]
    for step in steps:
        done = _run_long(bundle, "--db", str(township), *step, env_extra=reviewer)
        assert done.returncode == 0, (step, done.stdout, done.stderr[-3000:])
    assert (tmp_path / "review.pdf").read_bytes().startswith(b"%PDF-")
