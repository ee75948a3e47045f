"""Translations (one gettext catalogue, msgids in English) and locale formatting (babel).

zh_CN is the default language. `_` looks the catalogue up at call time, so a module
may import it before the language is chosen; module-level strings use `N_`.
"""

from __future__ import annotations

import contextlib
import gettext
import io
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from functools import cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

if TYPE_CHECKING:
    from babel import Locale

P = ParamSpec("P")
R = TypeVar("R")

DOMAIN = "villagegov"
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")

_current = DEFAULT_LANGUAGE
_catalogue: gettext.NullTranslations | None = None


def normalise_language(lang: str | None) -> str:
    """Map what a user or the OS says ('zh', 'zh-CN', 'en_US') to a language we have."""
    if not lang:
        return DEFAULT_LANGUAGE
    low = lang.replace("-", "_").lower()
    if low.startswith("en"):
        return "en"
    if low.startswith("zh"):
        return "zh_CN"
    raise ValueError(lang)


def set_language(lang: str) -> None:
    global _current, _catalogue
    _current = normalise_language(lang)
    _catalogue = None


# A thread's own language inside `speaking`: documents are laid out on worker threads (the archive's
# export, import and review) while the window goes on speaking the user's language.
_local = threading.local()


def current_language() -> str:
    return getattr(_local, "lang", None) or _current


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Use `lang` inside the block, on this thread: public documents are Chinese whatever the screen
    speaks."""
    saved = getattr(_local, "lang", None)
    _local.lang = normalise_language(lang)
    try:
        yield
    finally:
        _local.lang = saved


DOCUMENT_LANGUAGE = "zh_CN"  # notices, minutes and forms hang in the village: always Chinese


def in_document_language(function: Callable[P, R]) -> Callable[P, R]:
    """For services that build printed documents: their words are Chinese on any screen."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with speaking(DOCUMENT_LANGUAGE):
            return function(*args, **kwargs)

    return wrapper


@cache
def _load(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    from villagegov.core.bundled import folder as bundled

    folder = bundled("translations") / lang / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    # A source checkout: the .mo is made from the .po (an installed program carries the .mo only).
    data = compile_catalogue(po)
    with contextlib.suppress(OSError):  # a read-only checkout compiles again next time
        part = mo.with_name(f".{mo.name}.{os.getpid()}.part")  # other processes never read half a file
        part.write_bytes(data)
        os.replace(part, mo)
    return gettext.GNUTranslations(io.BytesIO(data))


def compile_catalogue(po: Path) -> bytes:
    """A .po file compiled to .mo bytes (the build and a source checkout use this one way)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def _translations() -> gettext.NullTranslations:
    global _catalogue
    spoken = getattr(_local, "lang", None)
    if spoken is not None:
        return _load(spoken)
    if _catalogue is None:
        _catalogue = _load(_current)
    return _catalogue


def _(message: str) -> str:
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later with `_`."""
    return message


@cache
def _babel_locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse("zh_CN" if lang == "zh_CN" else "en_US")


# CLDR's long dates for our two languages (zh_CN "y年M月d日", en_US "MMMM d, y"), written out: every
# screen shows dates from its first frame, and babel's import with its locale data would cost the
# window's start ~25 ms. tests/core/test_i18n.py holds them to babel's own output, day by day.
_ENGLISH_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def format_date(value: date, lang: str | None = None) -> str:
    """2026年11月22日 in Chinese, November 22, 2026 in English: babel's long date."""
    if (lang or current_language()) == "zh_CN":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{_ENGLISH_MONTHS[value.month - 1]} {value.day}, {value.year}"


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _as_shown(value: Any) -> Any:
    """A date as the screens show it; a date passed as ISO text too (messages' params stay plain text,
    so that they cross to the archive's worker processes and into JSON)."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:  # 2026-02-30: what was typed, shown as it was
            return value
    if isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value)
    return value


def message(msgid: str, params: Mapping[str, Any]) -> str:
    """A message in the language spoken, its {placeholders} filled, dates as 2026年11月29日."""
    return _(msgid).format(**{key: _as_shown(value) for key, value in params.items()})


def format_datetime(value: datetime, lang: str | None = None) -> str:
    from babel.dates import format_datetime as babel_format_datetime

    fmt = "yyyy年M月d日 HH:mm" if (lang or current_language()) == "zh_CN" else "MMM d, yyyy HH:mm"
    return babel_format_datetime(value, fmt, locale=_babel_locale(lang or current_language()))


def fen_to_decimal(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def format_money(fen: int, lang: str | None = None) -> str:
    """Integer fen to ¥1,234.50 (the yuan sign in both languages: these are village accounts)."""
    from babel.numbers import format_decimal

    amount = fen_to_decimal(abs(fen))
    text = format_decimal(amount, format="#,##0.00", locale=_babel_locale(lang or current_language()))
    return ("-¥" if fen < 0 else "¥") + text


def format_number(value: int, lang: str | None = None) -> str:
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_babel_locale(lang or current_language()))


def document_date(value: date) -> str:
    """Dates on official documents (GB/T 9704): Arabic numerals, month and day not zero-padded."""
    return f"{value.year}年{value.month}月{value.day}日"
