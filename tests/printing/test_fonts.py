"""Fonts: found by role, every character checked, a clear refusal instead of boxes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from villagegov.core.i18n import set_language
from villagegov.printing import fonts
from villagegov.printing.fonts import FontMissing, GlyphsMissing, Role

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
RARE = "𠮷"  # U+20BB7, in CJK Extension B: a real surname character most fonts lack


@pytest.fixture
def only_font_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A font search path of one folder, with the system's fonts and the app's own switched off."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    monkeypatch.setenv(fonts.FONT_DIRS_ENV, str(folder))
    monkeypatch.setenv(fonts.SYSTEM_FONTS_ENV, "0")
    monkeypatch.setenv(fonts.BUNDLED_FONTS_ENV, "0")
    return folder


@pytest.fixture
def bundled_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine with no Chinese font of its own: only the fonts that come with the app."""
    monkeypatch.setenv(fonts.SYSTEM_FONTS_ENV, "0")
    monkeypatch.setenv("VILLAGEGOV_HOME", str(tmp_path / "empty-home"))  # no fonts folder of the user's


def test_every_role_has_a_chinese_font_on_this_machine() -> None:
    chosen = fonts.font_set()
    for role in Role:
        font = chosen.roles[role]
        assert all(font.covers(c) for c in fonts.REQUIRED), role


def test_no_font_at_all_is_refused_in_the_users_language(only_font_dir: Path) -> None:
    set_language("zh_CN")
    with pytest.raises(FontMissing) as caught:
        fonts.font_set()
    assert "中文" in caught.value.message()
    set_language("en")
    assert "No Chinese TrueType font" in caught.value.message()


def test_a_broken_font_file_is_skipped_not_fatal(only_font_dir: Path) -> None:
    (only_font_dir / "simfang.ttf").write_bytes(b"not a font at all" * 100)
    if not WQY.exists():
        pytest.skip("fonts-wqy-zenhei is not installed; .ci/run installs it")
    shutil.copy(WQY, only_font_dir / WQY.name)
    chosen = fonts.font_set()
    assert {f.path.name for f in chosen.roles.values()} == {WQY.name}


def test_a_font_the_clerk_drops_in_the_folder_serves_every_role(only_font_dir: Path) -> None:
    if not WQY.exists():
        pytest.skip("fonts-wqy-zenhei is not installed; .ci/run installs it")
    shutil.copy(WQY, only_font_dir / WQY.name)
    chosen = fonts.font_set()
    assert {chosen.roles[r].path for r in Role} == {only_font_dir / WQY.name}
    assert fonts.describe(chosen)[0][1] == "wqy-zenhei.ttc#0"


def test_a_rare_character_falls_back_to_a_font_that_has_it() -> None:
    chosen = fonts.font_set()
    if not any(f.covers(RARE) for f in chosen.fallbacks):
        pytest.skip("no Extension B font: resources/fonts/HanaMinB.ttf is missing")
    markup = chosen.markup(f"吉{RARE}祥", Role.FANGSONG)
    assert markup.startswith("吉<font name=")
    assert RARE in markup


def test_a_character_no_font_has_is_refused_naming_it(only_font_dir: Path) -> None:
    if not WQY.exists():
        pytest.skip("fonts-wqy-zenhei is not installed; .ci/run installs it")
    shutil.copy(WQY, only_font_dir / WQY.name)
    chosen = fonts.font_set()
    with pytest.raises(GlyphsMissing) as caught:
        chosen.markup(f"王{RARE}", Role.FANGSONG)
    assert caught.value.characters == RARE
    assert RARE in caught.value.message()


def test_markup_escapes_what_the_clerk_typed() -> None:
    markup = fonts.font_set().markup("<b>张&李</b>", Role.SONG)
    assert markup == "&lt;b&gt;张&amp;李&lt;/b&gt;"


def test_the_fonts_that_come_with_the_app_serve_every_role_on_a_machine_without_any(
    bundled_only: None,
) -> None:
    """宋 for the title and body, 黑 and 楷 where the layouts use them, all from resources/fonts."""
    chosen = fonts.font_set()
    folder = fonts.bundled_font_dirs()[0]
    assert {role.value: (f.path.parent, f.path.name) for role, f in chosen.roles.items()} == {
        "title": (folder, "uming.ttc"),
        "song": (folder, "uming.ttc"),
        "fangsong": (folder, "uming.ttc"),
        "hei": (folder, "wqy-microhei.ttc"),
        "kai": (folder, "gkai00mp.ttf"),
    }


@pytest.mark.parametrize(
    ("name", "character"),
    [
        ("王𠮷", "𠮷"),  # U+20BB7, Extension B
        ("刘䶮", "䶮"),  # U+4DAE, Extension A
        ("张𬌗", "𬌗"),  # U+2C317, Extension E (通用规范汉字表)
        ("李喆", "喆"),  # beyond GB 2312: not in the 楷 face, in the fallbacks
    ],
)
def test_rare_name_characters_print_with_the_bundled_fonts(
    bundled_only: None, name: str, character: str
) -> None:
    chosen = fonts.font_set()
    for role in Role:
        font = chosen.font_for(character, role)
        assert font is not None and font.path.parent == fonts.bundled_font_dirs()[0], role
    assert character in chosen.markup(name, Role.KAI)


def test_the_system_s_copy_of_a_font_comes_before_the_app_s(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundle is the last place looked: a font the clerk or the system has is found first."""
    folder = tmp_path / "mine"
    folder.mkdir()
    mine = folder / "uming.ttc"
    mine.symlink_to(fonts.bundled_font_dirs()[0] / "uming.ttc")
    monkeypatch.setenv(fonts.FONT_DIRS_ENV, str(folder))
    monkeypatch.delenv(fonts.SYSTEM_FONTS_ENV, raising=False)
    monkeypatch.delenv(fonts.BUNDLED_FONTS_ENV, raising=False)
    dirs = fonts.font_dirs()
    assert dirs[0] == folder and dirs[-1] == fonts.bundled_font_dirs()[0]
    assert all(d in dirs[:-1] for d in fonts.system_font_dirs())
    assert fonts.font_set().roles[Role.SONG].path == mine


def test_every_bundled_font_has_its_licence_recorded() -> None:
    folder = fonts.bundled_font_dirs()[0]
    record = (folder / "LICENSES.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in folder.iterdir() if p.suffix in (".ttf", ".ttc"))
    assert files == ["HanaMinA-ExtA.ttf", "HanaMinB.ttf", "gkai00mp.ttf", "uming.ttc", "wqy-microhei.ttc"]
    for name in files:
        assert f"`{name}`" in record, name
    for licence in ("ARPHICPL.txt", "Apache-2.0.txt", "Hanazono-Font-License.txt"):
        assert f"licenses/{licence}" in record and (folder / "licenses" / licence).is_file()
