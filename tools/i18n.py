"""Keep the gettext catalogue in step with the code: extract → update → compile.

python tools/i18n.py           # extract villagegov.pot, merge into zh_CN .po, compile .mo
python tools/i18n.py --check   # exit 1 if a msgid in the code has no Chinese (used by the tests)

The .po is written sorted by msgid, without source locations and with a fixed header, so that two
branches adding messages merge cleanly (.gitattributes: union); the .pot and .mo are made, not kept.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "villagegov"
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "villagegov.pot"
PO = TRANSLATIONS / "zh_CN" / "LC_MESSAGES" / "villagegov.po"
MO = PO.with_suffix(".mo")
FIXED_DATE = datetime(2026, 11, 1, tzinfo=UTC)  # the header's dates: no change from one run to the next
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def in_fstrings(source: str) -> Iterator[tuple[int, str | tuple[str, str]]]:
    """Messages inside f-strings: on Python 3.11 an f-string is one token, and babel never looks in."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if not (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name)):
                continue
            if inner.func.id not in KEYWORDS:
                continue
            texts = [a.value for a in inner.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            if inner.func.id == "ngettext" and len(texts) >= 2:
                yield inner.lineno, (texts[0], texts[1])
            elif texts and inner.func.id != "ngettext":
                yield inner.lineno, texts[0]


def extract() -> Catalog:
    catalog = Catalog(project="villagegov", charset="utf-8")
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(PACKAGE), method_map=method_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        path = str(Path("villagegov") / filename)
        catalog.add(message, None, [(path, lineno)], auto_comments=comments)
    for file in sorted(PACKAGE.rglob("*.py")):
        path = str(file.relative_to(ROOT))
        for lineno, message in in_fstrings(file.read_text(encoding="utf-8")):
            existing = catalog.get(message if isinstance(message, str) else message[0])
            if existing is None:
                catalog.add(message, None, [(path, lineno)])
            else:
                existing.locations.append((path, lineno))
    return catalog


def load_po() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh_CN")


def missing(template: Catalog, po: Catalog) -> list[str]:
    out = []
    for message in template:
        if not message.id:
            continue
        have = po.get(message.id)
        strings = have.string if have is not None else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if have is None or have.fuzzy or not all(texts):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    template = extract()
    if args.check:
        gaps = missing(template, load_po())
        for msgid in gaps:
            print(f"untranslated: {msgid!r}")
        return 1 if gaps else 0
    with POT.open("wb") as fh:
        write_po(fh, template, omit_header=False, sort_output=True, width=100)
    if PO.exists():
        po = load_po()
        po.update(template, no_fuzzy_matching=True)
    else:
        PO.parent.mkdir(parents=True, exist_ok=True)
        po = Catalog(locale="zh_CN", project="villagegov", charset="utf-8")
        po.update(template, no_fuzzy_matching=True)
    po.obsolete.clear()
    po.creation_date = po.revision_date = FIXED_DATE
    with PO.open("wb") as fh:
        write_po(
            fh, po, sort_output=True, width=100, ignore_obsolete=True, omit_header=False, no_location=True
        )
    with MO.open("wb") as fh:
        write_mo(fh, po)
    gaps = missing(template, po)
    print(f"{len(template)} messages, {len(gaps)} without Chinese")
    return 0


if __name__ == "__main__":
    sys.exit(main())
