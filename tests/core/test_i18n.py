import subprocess
import sys
from datetime import date
from pathlib import Path

from villagegov.core import i18n

ROOT = Path(__file__).resolve().parents[2]


def test_dates_and_money_in_chinese() -> None:
    i18n.set_language("zh_CN")
    assert i18n.format_date(date(2026, 11, 22)) == "2026年11月22日"
    assert i18n.format_money(123450) == "¥1,234.50"
    assert i18n.format_money(5) == "¥0.05"
    assert i18n.format_money(-100) == "-¥1.00"
    assert i18n.document_date(date(2026, 1, 5)) == "2026年1月5日"


def test_dates_in_english() -> None:
    i18n.set_language("en")
    assert i18n.format_date(date(2026, 11, 22)) == "November 22, 2026"
    assert i18n._("Roster") == "Roster"


def test_dates_are_babels_long_dates() -> None:
    """format_date writes the two languages' long dates out (no babel at start-up): as babel would."""
    from datetime import timedelta

    from babel.dates import format_date as babel_format_date

    days = [date(1900, 1, 1) + timedelta(days=n) for n in range(0, 365 * 140, 11)]
    days += [date(2026, 1, 1) + timedelta(days=n) for n in range(366)]
    for lang, locale in (("zh_CN", "zh_CN"), ("en", "en_US")):
        for day in days:
            assert i18n.format_date(day, lang) == babel_format_date(day, "long", locale=locale), (lang, day)


def test_chinese_is_the_default_and_translates() -> None:
    i18n.set_language("zh_CN")
    assert i18n._("Roster") == "花名册"
    assert i18n._("Villagers' council") == "村民议事会"


def test_every_string_in_the_code_has_chinese() -> None:
    """Fails when a new English string is added without its Chinese translation."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "i18n.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_catalogue_passes_msgfmt_check() -> None:
    po = ROOT / "translations/zh_CN/LC_MESSAGES/villagegov.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


def test_the_catalogue_the_program_loads_says_what_the_po_says() -> None:
    """The .mo is made from the .po (in the source tree when it is missing or older; in the wheel by
    setup.py): a word changed in the .po shows on the screen."""
    from babel.messages.pofile import read_po

    with (ROOT / "translations/zh_CN/LC_MESSAGES/villagegov.po").open("rb") as fh:
        catalog = read_po(fh)
    i18n._load.cache_clear()
    mo = i18n._load("zh_CN")
    for message in catalog:
        if message.id and isinstance(message.id, str):
            assert mo.gettext(message.id) == message.string, message.id


def test_rules_and_services_do_not_import_qt() -> None:
    """Every module of core/ and every room's rules, models, service and pdf, found on disk, so a
    new room is checked without anyone remembering to add it here."""
    package = ROOT / "villagegov"
    # A room of two subjects splits them (petitions/petition_rules.py, mediation_service.py, …).
    kinds = ("rules.py", "models.py", "service.py", "pdf.py", "demo_data.py", "records.py")
    modules = [f"villagegov.core.{p.stem}" for p in (package / "core").glob("*.py") if p.stem != "__init__"]
    modules += [
        f"villagegov.{p.parent.name}.{p.stem}" for p in package.glob("*/*.py") if p.name.endswith(kinds)
    ]
    # A room whose service is a package of modules (council/service/): each of them.
    modules += [f"villagegov.{p.parent.parent.name}.service.{p.stem}" for p in package.glob("*/service/*.py")]
    modules += [f"villagegov.printing.{p.stem}" for p in (package / "printing").glob("*.py")]
    modules += ["villagegov.schema", "villagegov.cli", "villagegov.demo"]
    assert {"villagegov.notices.service", "villagegov.petitions.mediation_service"} <= set(modules)
    code = (
        "import importlib, sys\n"
        f"for name in {sorted(modules)!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_messages_inside_f_strings_are_extracted_too() -> None:
    """Python 3.11 tokenises an f-string whole, so babel alone misses `_()` inside one."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from i18n import in_fstrings  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    source = (
        "x = f\"<p>{e(_('Signed and locked.'))}</p>\"\ny = _(\"plain\")\nz = f\"{ngettext('a', 'b', n)}\"\n"
    )
    assert list(in_fstrings(source)) == [(1, "Signed and locked."), (3, ("a", "b"))]


def test_speaking_a_language_is_the_threads_own() -> None:
    """A worker thread laying out a Chinese document does not turn the English window Chinese."""
    import threading

    i18n.set_language("en")
    inside, release = threading.Event(), threading.Event()
    seen: list[str] = []

    def worker() -> None:
        with i18n.speaking("zh_CN"):
            seen.append(i18n._("Cancel"))
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=worker)
    thread.start()
    inside.wait(5)
    try:
        assert i18n._("Cancel") == "Cancel" and i18n.current_language() == "en"
    finally:
        release.set()
        thread.join()
    assert seen == ["取消"]
    i18n.set_language("zh_CN")
