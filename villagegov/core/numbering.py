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
