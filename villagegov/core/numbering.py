"""Document numbers in the official form: 〔2026〕1号, 〔2026〕议字第3号."""

from __future__ import annotations


def document_number(year: int, sequence: int, prefix: str = "", word: str = "") -> str:
    """GB/T 9704 7.2.4: the year in hexagonal brackets 〔〕, the sequence not zero-padded.

    `prefix` is the issuer's short name before the brackets (青村〔2026〕1号); `word` the
    series inside the number (〔2026〕议字第3号 has word "议字第").
    """
    if sequence < 1:
        raise ValueError("document sequence numbers start at 1")
    return f"{prefix}〔{year}〕{word}{sequence}号"


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三: the numerals of headings (一、 （一）) and steps (第三步)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    return str(n)
