"""Chinese TrueType fonts for printed documents: find, register, and check every character.

reportlab embeds TrueType (.ttf) and TrueType collections (.ttc) but refuses CFF-outline
OpenType (Noto Sans CJK), and it silently drops characters a font lacks. So every piece of
text goes through `FontSet.markup`, which switches to a fallback font for a character the
role's font lacks (rare name characters such as 𠮷 live in Extension B fonts) and refuses
to print when no font has it: a villager's name printed wrong on a public notice is a harm.
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from villagegov.core import paths
from villagegov.core.errors import VillagegovError
from villagegov.core.i18n import N_

_WIDE_ENTRY = re.compile(r"^(<[0-9A-F]{2}>) <([0-9A-F]{5,6})>$", re.MULTILINE)
_reportlab_to_unicode_cmap = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab writes a character beyond U+FFFF as five hex digits (<20BB7>), which readers
    misread (𠮷 becomes ₻), so searching or copying a printed name fails; PDF wants UTF-16."""

    def utf16(match: re.Match[str]) -> str:
        code = int(match.group(2), 16) - 0x10000
        return f"{match.group(1)} <{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}>"

    return _WIDE_ENTRY.sub(utf16, _reportlab_to_unicode_cmap(fontname, subset))


ttfonts.makeToUnicodeCMap = _to_unicode_cmap


class Role(enum.Enum):
    """What a font is used for, after GB/T 9704: 小标宋 titles, 仿宋 body, 黑体 and 楷体 headings."""

    TITLE = "title"
    SONG = "song"
    FANGSONG = "fangsong"
    HEI = "hei"
    KAI = "kai"


@dataclass(frozen=True)
class Candidate:
    """A font file name to look for, and which face of a collection to use."""

    file_name: str
    subfont: int = 0


# Preferred first. Windows' own fonts come first where they exist (the clerk's PC); then free fonts
# that Linux distributions ship; the fonts that come with the app (resources/fonts, LICENSES.md there)
# are among those, so a machine with no Chinese font at all still prints: AR PL UMing (宋 for titles
# and body), WenQuanYi Micro Hei (黑), AR PL KaitiM GB (楷), and for rare name characters Hanazono
# Mincho B (Extensions B to F) and Hanazono Mincho A's Extension A.
CANDIDATES: dict[Role, tuple[Candidate, ...]] = {
    Role.TITLE: (
        Candidate("FZXBSJW.TTF"),  # 方正小标宋简体, the face GB/T 9704 names
        Candidate("STZHONGS.TTF"),  # 华文中宋
        Candidate("simsun.ttc"),
        Candidate("simhei.ttf"),
        Candidate("uming.ttc"),
        Candidate("gbsn00lp.ttf"),
        Candidate("wqy-zenhei.ttc"),
        Candidate("wqy-microhei.ttc"),
    ),
    Role.SONG: (
        Candidate("simsun.ttc"),
        Candidate("uming.ttc"),
        Candidate("gbsn00lp.ttf"),
        Candidate("wqy-zenhei.ttc"),
        Candidate("wqy-microhei.ttc"),
    ),
    Role.FANGSONG: (
        Candidate("simfang.ttf"),
        Candidate("STFANGSO.TTF"),
        Candidate("simsun.ttc"),
        Candidate("uming.ttc"),
        Candidate("gbsn00lp.ttf"),
        Candidate("wqy-zenhei.ttc"),
        Candidate("wqy-microhei.ttc"),
    ),
    Role.HEI: (
        Candidate("simhei.ttf"),
        Candidate("msyh.ttc"),
        Candidate("wqy-zenhei.ttc"),
        Candidate("wqy-microhei.ttc"),
        Candidate("uming.ttc"),
    ),
    Role.KAI: (
        Candidate("simkai.ttf"),
        Candidate("STKAITI.TTF"),
        Candidate("ukai.ttc"),
        Candidate("gkai00mp.ttf"),
        Candidate("simfang.ttf"),
        Candidate("uming.ttc"),
        Candidate("wqy-zenhei.ttc"),
        Candidate("wqy-microhei.ttc"),
    ),
}

# Fonts tried, in order, for a character the role's font lacks.
FALLBACKS: tuple[Candidate, ...] = (
    Candidate("simsunb.ttf"),  # SimSun-ExtB on Windows
    Candidate("HanaMinB.ttf"),  # Hanazono Mincho B (fonts-hanazono, and bundled): Extensions B to F
    Candidate("HanaMinA.ttf"),
    Candidate("HanaMinA-ExtA.ttf"),  # bundled: Hanazono Mincho A's Extension A alone
    Candidate("simsun.ttc"),
    Candidate("uming.ttc"),
    Candidate("wqy-zenhei.ttc"),
    Candidate("wqy-microhei.ttc"),
    Candidate("ukai.ttc"),
)

# Characters every printed village document needs; a font without them is not a Chinese font.
REQUIRED = "村民委员会公示期〔〕号年月日—"

# More folders to look in first (os.pathsep between them); VILLAGEGOV_FONT_SYSTEM=0 leaves the system's
# folders out, VILLAGEGOV_FONT_BUNDLED=0 the app's own (tests: printing as on a machine without them).
FONT_DIRS_ENV = "VILLAGEGOV_FONT_DIRS"
SYSTEM_FONTS_ENV = "VILLAGEGOV_FONT_SYSTEM"
BUNDLED_FONTS_ENV = "VILLAGEGOV_FONT_BUNDLED"


class FontMissing(VillagegovError):
    """No usable Chinese TrueType font: printing would produce boxes."""


class GlyphsMissing(VillagegovError):
    """Some characters are in no installed font."""

    def __init__(self, characters: str, text: str) -> None:
        super().__init__(
            N_(
                "No installed font has the character(s) {characters} (in “{text}”). Install a font "
                "that covers them (for example SimSun-ExtB on Windows) before printing, so that "
                "the name is not printed wrong."
            ),
            characters=characters,
            text=text,
        )
        self.characters = characters


def user_font_dir() -> Path:
    """Where a clerk may put a font file for villagegov alone (no administrator rights needed)."""
    return paths.data_dir() / "fonts"


def bundled_font_dirs() -> list[Path]:
    """The fonts that come with the app (resources/fonts: in the source tree, the wheel and the
    PyInstaller build alike, core/bundled.py)."""
    from villagegov.core.bundled import folder

    return [folder("resources") / "fonts"]


def system_font_dirs() -> list[Path]:
    windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
    home = Path.home()
    dirs = [windir / "Fonts"]
    local_app_data = os.environ.get("LOCALAPPDATA")
    if local_app_data:
        dirs.append(Path(local_app_data) / "Microsoft" / "Windows" / "Fonts")
    dirs += [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        home / "Library" / "Fonts",
    ]
    return dirs


def font_dirs() -> list[Path]:
    """Where to look, first match of a file name wins: VILLAGEGOV_FONT_DIRS, the user's, the system's,
    then the app's own (the last fallback: a newer copy of the same font on the system is taken)."""
    dirs = [Path(p) for p in os.environ.get(FONT_DIRS_ENV, "").split(os.pathsep) if p]
    dirs.append(user_font_dir())
    if os.environ.get(SYSTEM_FONTS_ENV, "1") != "0":
        dirs += system_font_dirs()
    if os.environ.get(BUNDLED_FONTS_ENV, "1") != "0":
        dirs += bundled_font_dirs()
    return dirs


def index_font_files(dirs: Iterable[Path]) -> dict[str, Path]:
    """Lower-case file name → first path found, walking each directory tree once."""
    found: dict[str, Path] = {}
    for directory in dirs:
        if not directory.is_dir():
            continue
        for root, _dirs, files in os.walk(directory):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


@dataclass
class LoadedFont:
    """A registered reportlab font and the characters it can draw."""

    name: str
    path: Path
    subfont: int
    codepoints: frozenset[int] = field(repr=False)

    def covers(self, char: str) -> bool:
        return ord(char) in self.codepoints


def _load(path: Path, subfont: int) -> LoadedFont | None:
    """Register one face with reportlab; None for CFF outlines or a broken file."""
    name = f"vg-{path.stem}-{subfont}"
    registered: Any
    try:
        registered = pdfmetrics.getFont(name)
    except KeyError:
        try:
            registered = TTFont(name, str(path), subfontIndex=subfont)
        except (TTFError, OSError, ValueError):
            return None
        _keep_tables(registered.face)
        pdfmetrics.registerFont(registered)
    codepoints = frozenset(registered.face.charToGlyph)
    return LoadedFont(name, path, subfont, codepoints)


def _keep_tables(face: object) -> None:
    """Each PDF embeds a subset of the font, and reportlab copies the tables it reads from the whole
    file for every subset (a CJK font's glyph table is megabytes): ~30% of a short document's time.
    The tables never change, so this face keeps each one it has read."""
    read = face.get_table  # type: ignore[attr-defined]
    tables: dict[str, bytes] = {}

    def get_table(tag: str) -> bytes:
        if tag not in tables:
            tables[tag] = read(tag)
        return tables[tag]

    face.get_table = get_table  # type: ignore[attr-defined]


@dataclass
class FontSet:
    """One font per role plus fallbacks, ready for reportlab paragraph markup."""

    roles: dict[Role, LoadedFont]
    fallbacks: list[LoadedFont]

    def name(self, role: Role) -> str:
        return self.roles[role].name

    def font_for(self, char: str, role: Role) -> LoadedFont | None:
        main = self.roles[role]
        if char.isspace() or main.covers(char):
            return main
        return next((f for f in self.fallbacks if f.covers(char)), None)

    def missing(self, text: str, role: Role) -> str:
        """The distinct characters of `text` that no font can draw, in order of appearance."""
        missing = dict.fromkeys(c for c in text if self.font_for(c, role) is None)
        return "".join(missing)

    def check(self, text: str, role: Role) -> None:
        missing = self.missing(text, role)
        if missing:
            raise GlyphsMissing(missing, text)

    def runs(self, text: str, role: Role) -> Iterator[tuple[LoadedFont, str]]:
        """Split text into runs each drawn with one font; raises GlyphsMissing first."""
        self.check(text, role)
        current: LoadedFont | None = None
        run: list[str] = []
        for char in text:
            font = self.font_for(char, role)
            assert font is not None
            if font is not current and run:
                assert current is not None
                yield current, "".join(run)
                run = []
            current = font
            run.append(char)
        if run and current is not None:
            yield current, "".join(run)

    def markup(self, text: str, role: Role) -> str:
        """Paragraph markup for plain text: XML-escaped, fallback runs wrapped in <font>."""
        main = self.roles[role]
        parts = []
        for font, run in self.runs(text, role):
            escaped = escape(run)
            parts.append(escaped if font is main else f'<font name="{font.name}">{escaped}</font>')
        return "".join(parts)


def _first_usable(candidates: Iterable[Candidate], files: dict[str, Path]) -> LoadedFont | None:
    for candidate in candidates:
        path = files.get(candidate.file_name.lower())
        if path is None:
            continue
        font = _load(path, candidate.subfont)
        if font is not None and all(font.covers(c) for c in REQUIRED):
            return font
    return None


def _any_chinese_font(files: dict[str, Path]) -> LoadedFont | None:
    """Last resort: any TrueType file in the search path that has the required characters."""
    for path in files.values():
        font = _load(path, 0)
        if font is not None and all(font.covers(c) for c in REQUIRED):
            return font
    return None


@lru_cache(maxsize=4)
def _font_set(dirs: tuple[Path, ...]) -> FontSet:
    files = index_font_files(dirs)
    chosen: dict[Role, LoadedFont] = {}
    for role in Role:
        font = _first_usable(CANDIDATES[role], files)
        if font is not None:
            chosen[role] = font
    if not chosen:
        fallback = _any_chinese_font(files)
        if fallback is None:
            raise FontMissing(
                N_(
                    "No Chinese TrueType font was found, so documents cannot be printed without "
                    "boxes in place of characters. Install 仿宋/宋体 (Windows) or a Chinese "
                    "TrueType font such as WenQuanYi Zen Hei, or put a .ttf/.ttc file in {folder}."
                ),
                folder=str(user_font_dir()),
            )
        chosen[Role.SONG] = fallback
    # A role without its own face borrows the nearest one: a serif for serif roles, else any.
    for role in Role:
        if role not in chosen:
            order = (Role.SONG, Role.FANGSONG, Role.TITLE, Role.KAI, Role.HEI)
            chosen[role] = next(chosen[r] for r in order if r in chosen)
    fallbacks = [f for c in FALLBACKS if (f := _first_usable_face(c, files)) is not None]
    return FontSet(chosen, fallbacks)


def _first_usable_face(candidate: Candidate, files: dict[str, Path]) -> LoadedFont | None:
    path = files.get(candidate.file_name.lower())
    return _load(path, candidate.subfont) if path is not None else None


_loading = threading.Lock()  # the preview's worker and the warm-up thread may ask at the same moment


def font_set() -> FontSet:
    """The fonts for this machine (cached per search path); raises FontMissing if none."""
    with _loading:
        return _font_set(tuple(font_dirs()))


def warm_up() -> None:
    """Load the fonts on a thread of their own (~0.6 s), so the first print preview does not wait."""

    def load() -> None:
        with contextlib.suppress(FontMissing):  # said when something is printed
            font_set()
            import villagegov.printing.document  # noqa: F401 - reportlab's layout modules, imported once

    threading.Thread(target=load, name="fonts", daemon=True).start()


def describe(fonts: FontSet) -> list[tuple[str, str]]:
    """(role, file and face) pairs, for the about box and for support questions."""
    return [(role.value, f"{f.path.name}#{f.subfont}") for role, f in fonts.roles.items()]
