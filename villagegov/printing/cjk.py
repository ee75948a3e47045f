"""Chinese typesetting rules reportlab lacks, put into its two CJK line breakers and its justifier.

reportlab breaks a CJK paragraph with one of two functions: `textsplit.wordSplit` when the paragraph
is in one font, `paragraph.cjkFragSplit` when it has runs of several (a fallback font for a rare
name). Both are wrapped here, once, on import; every official document goes through them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

# reportlab's internals, which its type stubs do not describe: this module replaces some of them.
_textsplit_module: Any = importlib.import_module("reportlab.lib.textsplit")
_paragraph_module: Any = importlib.import_module("reportlab.platypus.paragraph")

# Punctuation that never opens a line of Chinese (GB/T 15834: 点号 and the closing half of quotes,
# brackets and 书名号). reportlab's list is Japanese and lacks ，；：？！》” among others, so a comma
# could start a line; with them listed it hangs the mark at the end of the line before instead.
# Both wrapping paths read the list: textsplit's (one font in the paragraph) and paragraph's (runs).
CANNOT_START_LINE = "，。、；：？！）》」』”’〕】…·％,.;:?!)%"
for _module in (_textsplit_module, _paragraph_module):
    _module.ALL_CANNOT_START += "".join(c for c in CANNOT_START_LINE if c not in _module.ALL_CANNOT_START)

# And the opening half of quotes and brackets never ends a line (“ （ 《 〔 【 ‘): it goes over with
# the word it opens. reportlab lists these (ALL_CANNOT_END) but neither of its CJK breakers reads
# the list, so both are wrapped: where a line would end on such a mark, that line is broken again
# with a width just short of what it used, which sends the mark to the next line; its spare width
# is then given back, so alignment and justification see the line's real width.
CANNOT_END_LINE = "“‘（《〔【「『〈［｛([{"
_FUZZ = 0.01  # points: less than any mark's width, more than reportlab's own rounding (1e-6)


def _widths_list(max_widths: float | Sequence[float]) -> list[float]:
    if isinstance(max_widths, int | float):
        return [float(max_widths)]
    return [float(w) for w in max_widths]


def _keep_openers_with_what_follows(
    split: Callable[[list[float]], Sequence[Any]],
    max_widths: float | Sequence[float],
    line_text: Callable[[Any], str],
    spare: Callable[[Any], float],
    give_back: Callable[[Any, float, float], None],
) -> Sequence[Any]:
    """Run `split` until no line but the last ends with an opening mark.

    `line_text` and `spare` read a line's text and unused width; `give_back(line, width, extra)` sets
    the line's real width again after it was broken at a narrower one."""
    original = _widths_list(max_widths)
    widths = list(original)
    while True:
        lines = split(widths)
        ending = [
            index
            for index, line in enumerate(lines[:-1])
            if len(shown := line_text(line).rstrip()) > 1 and shown[-1] in CANNOT_END_LINE
        ]
        if not ending:
            for index, line in enumerate(lines):
                real = original[min(index, len(original) - 1)]
                narrowed = widths[min(index, len(widths) - 1)]
                if narrowed != real:
                    give_back(line, real, spare(line) + real - narrowed)
            return lines
        first = ending[0]
        while len(widths) <= first + 1:  # the lines after it keep the width they had
            widths.append(widths[-1])
        used = widths[first] - spare(lines[first])
        widths[first] = max(used - _FUZZ, _FUZZ)  # the mark no longer fits; what was before it does


_word_split = _textsplit_module.wordSplit
_cjk_frag_split = _paragraph_module.cjkFragSplit


def _set_extra(line: list[Any], width: float, extra: float) -> None:
    line[0] = extra


def word_split(
    word: str, max_widths: float | Sequence[float], font_name: str, font_size: float, encoding: str = "utf8"
) -> Sequence[Any]:
    """reportlab's one-font breaker (`[[spare, text], …]`), keeping opening marks off line ends."""
    return _keep_openers_with_what_follows(
        lambda widths: _word_split(word, widths, font_name, font_size, encoding),
        max_widths,
        line_text=lambda line: line[1],
        spare=lambda line: line[0],
        give_back=_set_extra,
    )


def _set_frag_line(line: Any, width: float, extra: float) -> None:
    line.maxWidth = width
    line.extraSpace = extra


def cjk_frag_split(
    frags: Sequence[Any], max_widths: Sequence[float], calc_bounds: bool, encoding: str = "utf8"
) -> Any:
    """reportlab's breaker for paragraphs of several fonts (a fallback font for a rare name)."""
    result: list[Any] = []

    def split(widths: list[float]) -> Sequence[Any]:
        result[:] = [_cjk_frag_split(frags, widths, calc_bounds, encoding)]
        lines: Sequence[Any] = result[0].lines
        return lines

    _keep_openers_with_what_follows(
        split,
        max_widths,
        line_text=lambda line: "".join(word.text for word in line.words),
        spare=lambda line: line.extraSpace,
        give_back=_set_frag_line,
    )
    return result[0]


_textsplit_module.wordSplit = _paragraph_module.wordSplit = word_split
_paragraph_module.cjkFragSplit = cjk_frag_split


# Justified body text (两端对齐, as official documents are set): reportlab justifies a line by
# widening its spaces, and a line of Chinese has none, so it was left ragged by up to a character.
# Such a line is spread by character spacing instead; the last line of a paragraph, a line with
# spaces (widened as before) and a line with a mark hanging in the margin (no room to spread) are
# drawn as reportlab draws them.
_justify_draw_para_line = _paragraph_module._justifyDrawParaLine


def _justify_chinese_line(
    tx: Any, offset: float, extraspace: float, words: list[str], last: int = 0
) -> float:
    text = " ".join(words)
    if last or extraspace <= 1e-8 or len(text) < 2 or " " in text or getattr(tx, "preformatted", False):
        drawn: float = _justify_draw_para_line(tx, offset, extraspace, words, last)
        return drawn
    _paragraph_module.setXPos(tx, offset)
    tx.setCharSpace(extraspace / (len(text) - 1))
    tx._textOut(text, 1)
    tx.setCharSpace(0)
    _paragraph_module.setXPos(tx, -offset)
    return offset


_paragraph_module._justifyDrawParaLine = _justify_chinese_line
