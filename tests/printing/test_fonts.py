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
    """A font search path of one folder, with the system's fonts switched off."""
    folder = tmp_path / "fonts"
    folder.mkdir()
    monkeypatch.setenv(fonts.FONT_DIRS_ENV, str(folder))
    monkeypatch.setenv(fonts.SYSTEM_FONTS_ENV, "0")
    return folder


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
        pytest.skip("no Extension B font installed (fonts-hanazono); .ci/run installs it")
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
