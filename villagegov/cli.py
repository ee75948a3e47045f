"""The command line: with no subcommand it opens the window; subcommands script the same services."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from villagegov import __version__
from villagegov.core import clock, i18n
from villagegov.core.errors import DatabaseError, PermissionDenied, ValidationError, VillagegovError
from villagegov.core.i18n import N_, _, ngettext

# argparse's own words, so that `villagegov --help` and its complaints speak the user's language too:
# every message of Python 3.11's argparse that a user of this parser can meet (tests/cli/test_traps.py
# reads them from argparse's source and names any left out). main() routes argparse's `_` and
# `ngettext` through our catalogue.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("%(prog)s: error: %(message)s\n"),
)


def _argparse_plurals(n: int) -> str:
    """Marks argparse's one plural message for extraction (argparse itself calls ngettext with it)."""
    return ngettext("expected %s argument", "expected %s arguments", n)


# What `list KIND` reaches, room by room: "module:function", imported only when asked. A lister takes
# (actor, year) and yields tuples of strings; each room keeps its listers in its commands.py. What
# `print KIND` prints comes from the rooms' tables of papers (villagegov/documents.py).
LISTERS = {
    "notices": "villagegov.notices.commands:list_rows",
    "decisions": "villagegov.decisions.commands:list_rows",
    "meetings": "villagegov.council.commands:list_rows",
    "resolutions": "villagegov.council.commands:list_resolution_rows",
    "ceremonies": "villagegov.ceremonies.commands:list_rows",
    "petitions": "villagegov.petitions.commands:list_petitions",
    "mediations": "villagegov.petitions.commands:list_mediations",
}
# Where a paper's ID comes from: the first column of the `list` its kind names (DocumentKind.listed_by).
ID_SOURCES = {
    "notices": N_("ID: the notice's id, the first column of list notices"),
    "decisions": N_("ID: the matter's id, the first column of list decisions"),
    "meetings": N_("ID: the meeting's id, the first column of list meetings"),
    "resolutions": N_(
        "ID: the resolution's id, the first column of list resolutions, or its number (〔2026〕议字第6号, "
        "or 议字第6号 with --year)"
    ),
    "ceremonies": N_("ID: the ceremony's id, the first column of list ceremonies"),
    "mediations": N_("ID: the mediation's id, the first column of list mediations"),
    "petitions": N_("ID: the petition's id, the first column of list petitions"),
}
# Options of `list` that only some lists take: (flag, the lister's keyword).
LIST_OPTIONS = (("--ledger", "ledger"), ("--overdue", "overdue"))
ROOMS = ("roster", "council", "decisions", "ceremonies", "notices", "petitions", "archive", "settings")


def build_parser(printing: bool = True) -> argparse.ArgumentParser:
    """The parser; `printing` False leaves out the papers' names (the rooms' tables), which only
    `print` needs — the window's start then reads none of them."""
    parser = argparse.ArgumentParser(
        prog="villagegov",
        description=_("Village records (村务记录): run without a command to open the window."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=version_text(),
        help=_("show program's version number and exit"),
    )
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        help=_("database file, or postgresql://… for a township server (default: your data folder)"),
    )
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language of the interface (zh_CN or en)"))
    parser.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=_day,
        help=_("take this day as today, for a reproducible run (also VILLAGEGOV_TODAY)"),
    )
    parser.add_argument(
        "--user", help=_("sign in as this user (the password is asked, or read from VILLAGEGOV_PASSWORD)")
    )
    sub = parser.add_subparsers(dest="command", metavar=_("command"))
    p = sub.add_parser(
        "init",
        help=_("set up a new database: the village and its first user (what the window's first run does)"),
        description=_(
            "Set up a new database: the village and its first user. The password is asked twice at a "
            "terminal, or read from VILLAGEGOV_NEW_PASSWORD. A database already set up is refused."
        ),
    )
    p.add_argument("--village", required=True, help=_("the village's name"))
    p.add_argument("--township", required=True, help=_("the township it belongs to"))
    p.add_argument("--county", required=True, help=_("the county it belongs to"))
    p.add_argument("--username", required=True, help=_("the first user's sign-in name"))
    p.add_argument("--name", required=True, help=_("the first user's full name"))
    p.add_argument(
        "--role", choices=("clerk", "secretary"), default="clerk", help=_("the first user's role (clerk)")
    )
    sub.add_parser("demo", help=_("fill an empty database with a demo village"))
    p = sub.add_parser("check", help=_("check the database and its audit trail"))
    p.add_argument(
        "--head",
        metavar="FILE",
        type=Path,
        help=_("a head record (archive head): the chain must still hold the head it wrote down"),
    )
    p = sub.add_parser("backup", help=_("back up the database (the clerk or the secretary, with --user)"))
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        help=_("backup file (default: the backups folder beside the database, or the data folder's)"),
    )
    p = sub.add_parser(
        "restore",
        help=_(
            "restore the database from a backup (clerk or secretary, with --user; the current one is kept)"
        ),
    )
    p.add_argument("file", type=Path)
    p = sub.add_parser(
        "import",
        help=_("import records"),
        description=_(
            "Import a roster (.xlsx, .csv or tab-separated .txt): the villager groups and households it "
            "names are made, and every row is imported, or none when any row is refused."
        ),
    )
    p.add_argument("kind", choices=("roster",))
    p.add_argument("file", type=Path)
    p.add_argument(
        "--dry-run",
        action="store_true",
        help=_("only show what would be made and the problems, write nothing"),
    )
    p = sub.add_parser("export", help=_("export records"))
    p.add_argument("kind", choices=("roster",))
    p.add_argument("file", type=Path)
    p = sub.add_parser("list", help=_("list records, one tab-separated line each"))
    p.add_argument("kind", choices=tuple(LISTERS))
    p.add_argument("--year", type=_year, help=_("only this year"))
    p.add_argument(
        "--ledger", choices=("suggestion", "claim", "complaint"), help=_("petitions: only this ledger")
    )
    p.add_argument("--overdue", action="store_true", help=_("petitions: only those past their deadline"))
    from villagegov.printing.kinds import YEAR

    papers = {}
    if printing:
        from villagegov import documents

        papers = documents.kinds()
    kinds = "\n".join(
        f"  {key:<20} "
        + _("{what}; {id}").format(
            what=_(kind.what or kind.title),
            id=(
                _("no ID: --year YEAR (default: this year)")
                if kind.subject == YEAR
                else _(ID_SOURCES[kind.listed_by])
            ),
        )
        for key, kind in papers.items()
    )
    p = sub.add_parser(
        "print",
        help=_("print a document to a PDF file"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_("What can be printed, and what its ID is:") + "\n" + kinds,
    )
    if printing:
        p.add_argument("kind", choices=tuple(papers), help=_("what to print (listed below)"))
    else:
        p.add_argument("kind")
    p.add_argument(
        "id", nargs="?", metavar="ID", help=_("which one: the first column of its list (see below)")
    )
    p.add_argument("--year", type=_year, help=_("the year, for a document of a period (default: this year)"))
    p.add_argument(
        "--paper", choices=("a4", "a3"), default="a4", help=_("paper size (a3 for the bulletin board)")
    )
    p.add_argument("-o", "--output", type=Path, required=True, help=_("the PDF file to write"))
    from villagegov.archive.commands import add_parser as add_archive_parser

    add_archive_parser(sub)
    p = sub.add_parser("screenshot", help=_("save the main window as a PNG picture"))
    p.add_argument("--room", choices=ROOMS, default="roster")
    p.add_argument(
        "--size", type=_size, default=(1280, 800), metavar="WxH",
        help=_("the window's size in pixels (default 1280x800; the common office screen is 1366x768)"),
    )  # fmt: skip
    p.add_argument("output", type=Path)
    _readable_types(parser)
    return parser


def _readable_types(parser: argparse.ArgumentParser) -> None:
    """Every `type=int` of the tree (the rooms' parsers too) reads years as years: argparse's own
    complaint would name the type, "invalid int value"."""
    for action in parser._actions:
        if action.type is int:
            action.type = _year if action.dest == "year" else _whole_number
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _readable_types(child)


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a size like 1366x768: {text}").format(text=text)) from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError(_("not a size like 1366x768: {text}").format(text=text))
    return width, height


def _day(text: str) -> date:
    try:
        return clock.parse_day(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date (YYYY-MM-DD): {text}").format(text=text)) from None


def _whole_number(text: str) -> int:
    if text.strip().isdigit():
        return int(text)
    raise argparse.ArgumentTypeError(_("not a whole number: {text}").format(text=text))


def _year(text: str) -> int:
    if text.strip().isdigit() and 1900 <= int(text) <= 2999:
        return int(text)
    raise argparse.ArgumentTypeError(_("not a year (such as 2026): {text}").format(text=text))


def version_text() -> str:
    """`villagegov --version`: the program's name and version in the user's language."""
    return _("{app} version {version}").format(app=_("villagegov"), version=__version__)


def _language(args_lang: str | None) -> str:
    if args_lang:
        return args_lang
    wanted = os.environ.get("VILLAGEGOV_LANG")
    if not wanted:
        from villagegov.core import settings

        wanted = settings.load().language
    try:
        return i18n.normalise_language(wanted)
    except ValueError:
        return i18n.DEFAULT_LANGUAGE  # a language we do not have (VILLAGEGOV_LANG=fr): not a traceback


def _pre_language(argv: list[str]) -> str | None:
    """The language must be known before --help is built, so read --lang ahead of argparse."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in i18n.LANGUAGES:
            return argv[i + 1]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in i18n.LANGUAGES:
            return arg.split("=", 1)[1]
    return None


def _target(db: str | None) -> str:
    if db:
        return db
    from villagegov.core import paths

    return str(paths.default_database())


def _signed_in(username: str | None, reading: bool = False):
    from villagegov.accounts import service as accounts
    from villagegov.core import terminal

    if not username:
        if reading:
            raise VillagegovError(i18n.N_("This command shows records: say who you are with --user NAME."))
        raise VillagegovError(i18n.N_("This command changes records: say who you are with --user NAME."))
    return accounts.sign_in(username, terminal.password(username))


def _secretary(username: str | None) -> Any:
    """Backup and restore from the command line: the party secretary, signed in (in the window, the
    clerk or the secretary signed in there). A copy of every record, or all of them replaced, is the
    village's own decision, not a script's."""
    from villagegov.accounts import rules as access
    from villagegov.core.actor import SECRETARY

    actor = _signed_in(username)
    if actor.role != SECRETARY:
        raise PermissionDenied(
            N_(
                "From the command line only the party secretary backs up or restores the database; you are "
                "signed in as {role}."
            ),
            role=access.role_label(actor.role),
        )
    return actor


def _out(text: str) -> None:
    print(text, flush=True)


# --- what a command may create -------------------------------------------------------------------------


def _creates_database(args: argparse.Namespace) -> bool:
    """Only these make a database: the window (its first run sets the village up), `init`, `demo`, and a
    township's first reviewer. Any other command on a database that is not there says so."""
    if args.command in (None, "init", "demo"):
        return True
    return args.command == "archive" and args.archive_command == "reviewer" and not args.user


def _require_database(target: str) -> None:
    """Refuse a database that does not exist (or is an empty file, as older versions left behind), and a
    server database that villagegov never set up, rather than make an empty one and answer from it."""
    from villagegov.core.drivers import is_url

    if is_url(target):
        from villagegov.core.db import make_database, schema_version, translated_errors

        with translated_errors():
            db = make_database(target)
            db.connect()
            try:
                empty = schema_version(db) == 0
            finally:
                db.close()
        if empty:
            raise DatabaseError(
                N_("The database {file} holds no village records yet: set it up with villagegov init."),
                file=_without_password(target),
            )
        return
    path = Path(target)
    if path.is_dir():
        raise DatabaseError(N_("{file} is a folder, not a database."), file=str(path))
    if not path.is_file() or path.stat().st_size == 0:
        raise DatabaseError(
            N_(
                "The database {file} does not exist. Make a new one with villagegov init (or villagegov "
                "demo for the demo village), or name the right file with --db."
            ),
            file=str(path),
        )


def _without_password(url: str) -> str:
    """postgresql://user:secret@host/db → postgresql://user@host/db, for messages."""
    import re

    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1@", url)


@contextmanager
def _made_only_if_done(target: str) -> Iterator[None]:
    """A database file this command creates is removed again if the command fails: a failed `init`
    (a password too short, no terminal) leaves no empty database behind to be mistaken for one."""
    from villagegov.core.drivers import is_url

    path = None if is_url(target) else Path(target)
    existed = path is None or path.exists()
    try:
        yield
    except BaseException:
        if not existed and path is not None:
            from villagegov.core.db import database

            if database.obj is not None and not database.obj.is_closed():
                database.obj.close()
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
        raise


def _outputs(args: argparse.Namespace) -> list[Path]:
    """The files a command writes, as the user named them."""
    named = [getattr(args, "output", None)]
    if args.command == "export":
        named.append(args.file)
    return [path for path in named if path is not None]


def _check_output(path: Path) -> None:
    """A file is written only into a folder that exists: a mistyped folder is not silently created."""
    if path.is_dir():
        raise ValidationError(N_("{file} is a folder: name the file to write."), file=str(path))
    folder = path.parent
    if not folder.is_dir():
        raise ValidationError(
            N_("Cannot write {file}: the folder {folder} does not exist."), file=str(path), folder=str(folder)
        )


def _open(target: str) -> Any:
    """Open (and migrate) the database; say so when it had to be made private (core/files.py)."""
    from villagegov.core.files import take_tightened
    from villagegov.schema import open_store

    db = open_store(target)
    for path in take_tightened():
        print(tightened_notice(path), file=sys.stderr, flush=True)
    return db


def tightened_notice(path: Path) -> str:
    return _("{file} could be read by other users of this computer; it is now readable by you alone.").format(
        file=path
    )


# --- the commands --------------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    from villagegov.core.drivers import import_peewee_for, is_url

    target = _target(args.db)
    import_peewee_for(target)  # for a SQLite file, without the PostgreSQL driver (~20 ms)
    for output in _outputs(args):
        _check_output(output)
    if args.command is None:
        from villagegov.ui.start import run_gui

        return run_gui(target, args.user)
    if args.command == "check" and not is_url(target):
        return _check_file(Path(target), args.head)
    if (
        args.command == "archive"
        and args.archive_command == "verify"
        and not args.db
        and not Path(target).exists()
    ):
        # Verifying a file needs no database; only a township's registered keys are looked up in one.
        from villagegov.archive.commands import run as run_archive

        args.no_store = True
        return run_archive(args, _signed_in, _out)
    if not _creates_database(args):
        _require_database(target)
    if args.command == "init":
        return _init(args, target)
    if args.command == "screenshot":
        from villagegov.ui.app import screenshot

        screenshot(target, args.room, args.output, args.size)
        _out(_("Saved {file}").format(file=args.output))
        return 0
    if args.command == "restore":
        from villagegov.core import maintenance

        db = _open(target)
        actor = _secretary(args.user)
        result = maintenance.restore(db, args.file, actor)
        _out(
            _("Restored from {file}; the database as it was is kept in {backup}.").format(
                file=args.file, backup=result.safety_backup
            )
        )
        return 0
    with _made_only_if_done(target):
        db = _open(target)
        if args.command == "demo":
            from villagegov.demo import fill_demo

            summary = fill_demo(db, clock.today())
            _out(summary.describe())
            return 0
        if args.command == "archive":
            from villagegov.archive.commands import run as run_archive

            return run_archive(args, _signed_in, _out)
    if args.command == "check":
        from villagegov.core import maintenance

        head = maintenance.read_head_record(args.head) if args.head else None
        report = maintenance.check(db, head=head)
        for line in report.lines():
            _out(line)
        return 0 if report.ok else 1
    if args.command == "backup":
        from villagegov.core import maintenance

        path = maintenance.backup(db, args.output, _secretary(args.user))
        _out(_("Backed up to {file}").format(file=path))
        return 0
    if args.command == "import":
        return _import_roster(args)
    if args.command == "list":
        return _list(args)
    if args.command == "print":
        return _print(args)
    if args.command == "export":
        from villagegov.roster import service as roster

        actor = _signed_in(args.user)
        count = roster.export_xlsx(actor, args.file)
        text = ngettext("Exported {n} villager to {file}", "Exported {n} villagers to {file}", count)
        _out(text.format(n=count, file=args.file))
        return 0
    raise AssertionError(args.command)


def _init(args: argparse.Namespace, target: str) -> int:
    """`villagegov init`: what the window's first run does (accounts.set_up), for scripts and tests."""
    from villagegov.accounts import service as accounts
    from villagegov.core import terminal
    from villagegov.schema import close_store, open_store

    if Path(target).exists() or _is_url(target):
        db = open_store(target)
        set_up = accounts.is_set_up()
        close_store(db)
        if set_up:
            raise ValidationError(
                N_("{file} is already set up; init only sets up a new database."),
                file=_without_password(target),
            )
    # Asked before the file is made: without a terminal, the message, and no empty database.
    password, confirm = terminal.new_password(_("Password for {user}: ").format(user=args.username))
    with _made_only_if_done(target):
        open_store(target)
        actor = accounts.set_up(
            args.village,
            args.township,
            args.county,
            args.username,
            args.name,
            password,
            confirm,
            role=args.role,
        )
    village = _village_line(actor)
    _out(
        _("Set up {village} in {file}; sign in as {user}.").format(
            village=village, file=_without_password(target), user=actor.username
        )
    )
    return 0


def _is_url(target: str) -> bool:
    from villagegov.core.drivers import is_url

    return is_url(target)


def _village_line(actor: Any) -> str:
    from villagegov.roster import service as roster

    info = roster.village(actor)
    return _("{village} ({township}, {county})").format(
        village=info.name, township=info.township, county=info.county
    )


def _command(spec: str) -> Callable[..., Any]:
    """A lister or a printer, by its "module:function" name."""
    from importlib import import_module

    module, function = spec.split(":")
    return getattr(import_module(module), function)


def _list(args: argparse.Namespace) -> int:
    import inspect

    lister = _command(LISTERS[args.kind])
    options = {key: getattr(args, key) for _flag, key in LIST_OPTIONS if getattr(args, key)}
    for flag, key in LIST_OPTIONS:
        if key in options and key not in inspect.signature(lister).parameters:
            raise VillagegovError(
                i18n.N_("{option} does not apply to list {kind}."), option=flag, kind=args.kind
            )
    actor = _signed_in(args.user, reading=True)
    for fields in lister(actor, args.year, **options):
        _out("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields))
    return 0


def _print(args: argparse.Namespace) -> int:
    from villagegov import documents
    from villagegov.printing.document import render
    from villagegov.printing.kinds import YEAR
    from villagegov.printing.template import Paper

    kind = documents.kind(args.kind)
    if kind.subject == YEAR:
        if args.id is not None:
            raise VillagegovError(N_("print {kind} prints a whole year: give --year YEAR and no number."),
                                  kind=args.kind)  # fmt: skip
        actor = _signed_in(args.user, reading=True)
        subject = args.year or clock.today().year
    else:
        source = _(ID_SOURCES[kind.listed_by])
        if args.id is None:
            raise VillagegovError(
                N_("Say which one to print: print {kind} ID ({source})."), kind=args.kind, source=source
            )
        text = args.id.strip()
        if not text.isdigit() and args.kind != "resolution":
            raise VillagegovError(
                N_("print {kind} takes a number, not {text} ({source})."),
                kind=args.kind, text=text, source=source,
            )  # fmt: skip
        actor = _signed_in(args.user, reading=True)
        if text.isdigit():
            subject = int(text)
        else:
            from villagegov.council.commands import resolution_by_number

            subject = resolution_by_number(actor, text, args.year)
    document = documents.build(actor, args.kind, subject, Paper(args.paper))
    path = render(document, args.output)
    # Say what was printed: `print resolution 8` is resolution id 8, which may be 〔2026〕议字第6号.
    what = " ".join(part for part in (document.number, document.title) if part)
    _out(
        _("Saved {file}: {document}").format(file=path, document=what)
        if what
        else _("Saved {file}").format(file=path)
    )
    return 0


def _check_file(path: Path, head_file: Path | None = None) -> int:
    """`check` on a database file: read-only, and a damaged file is a finding, not an error.

    The file is neither opened as the app opens it nor migrated: opening would write to a damaged
    file (and fail on it), and a file that is not there would be created. Only a missing file is
    an error (exit code 2).
    """
    from villagegov.core import maintenance

    head = maintenance.read_head_record(head_file) if head_file else None
    report = maintenance.check_file(path, head=head)
    for line in report.lines():
        _out(line)
    return 0 if report.ok else 1


def _import_roster(args: argparse.Namespace) -> int:
    """What the import will make (stdout) and the rows it refuses (stderr); then all of it, or nothing."""
    from villagegov.roster import service as roster

    actor = _signed_in(args.user)
    preview = roster.preview_import(actor, args.file)
    for group in preview.new_groups:
        text = _(
            "New villager group: {name} (from row {row}; {households} new households, {villagers} villagers)"
        )
        _out(
            text.format(
                name=group.name, row=group.row, households=group.households, villagers=group.villagers
            )
        )
    for household in preview.new_households:
        text = _("New household: {number} in {group}, head {head} (from row {row}; {villagers} villagers)")
        _out(
            text.format(
                number=household.number, group=household.group, head=household.head or "—",
                row=household.row, villagers=household.villagers,
            )
        )  # fmt: skip
    for problem in preview.problems:
        where = _("row {row}").format(row=problem.row) if problem.row else ""
        column = f"[{problem.column}] " if problem.column else ""
        print(f"{where} {column}{problem.message}".strip(), file=sys.stderr)
    if not preview.ok:
        n = len(preview.problems)
        text = ngettext("Nothing was imported: {n} problem.", "Nothing was imported: {n} problems.", n)
        print(text.format(n=n), file=sys.stderr)
        return 1
    if args.dry_run:
        n = len(preview.rows)
        text = ngettext(
            "{n} villager can be imported; nothing was written (--dry-run).",
            "{n} villagers can be imported; nothing was written (--dry-run).",
            n,
        )
        _out(text.format(n=n))
        return 0
    result = roster.apply_import(actor, preview)
    villagers = ngettext("{n} villager", "{n} villagers", result.villagers).format(n=result.villagers)
    households = ngettext("{n} new household", "{n} new households", result.households).format(
        n=result.households
    )
    _out(_("Imported {villagers} in {households}.").format(villagers=villagers, households=households))
    if result.groups:
        _out(
            ngettext("Made {n} villager group.", "Made {n} villager groups.", result.groups).format(
                n=result.groups
            )
        )
    return 0


def _pin_today(day: date | None) -> None:
    """`--today`, or else VILLAGEGOV_TODAY, for this run and the processes it starts (the export's
    workers)."""
    if day is None:
        text = os.environ.get(clock.ENVIRONMENT)
        if not text:
            return
        try:
            day = clock.parse_day(text)
        except ValueError:
            raise VillagegovError(
                N_("{variable} is not a date (YYYY-MM-DD): {text}"), variable=clock.ENVIRONMENT, text=text
            ) from None
    clock.pin(day)
    os.environ[clock.ENVIRONMENT] = day.isoformat()


def _quiet_stdout() -> None:
    """The reader of our output went away (`villagegov list notices | head`): stop writing, quietly, and
    leave Python nothing to flush into the closed pipe at exit (it would print its own complaint)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _sweep() -> None:
    """What a killed export or import left behind (its private work folder with the records, its
    .part file): removed at every start, window or command, unless its owner still runs."""
    from villagegov.core import scratch

    scratch.sweep()


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    """A command stopped with SIGTERM (a service manager, `kill`) unwinds like Ctrl-C: transactions
    roll back and work files go now rather than at the next start. The handler before is put back."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    try:
        before = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread (a test calling main() from a worker thread)
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def main(argv: list[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        # The PyInstaller build: a worker process the archive export spawns runs this same program,
        # which must then do the worker's job, not open the window.
        import multiprocessing

        multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    i18n.set_language(_language(_pre_language(argv)))
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    args = build_parser(printing="print" in argv).parse_args(argv)
    from villagegov.core import logs

    # The window opens the log file after its first frame (core/logs.py); a command at once.
    logs.start(args.command or "window", defer_file=args.command is None)
    _sweep()
    try:
        _pin_today(args.today)
        if args.command is None:
            return run(args)
        with _sigterm_unwinds():
            return run(args)
    except VillagegovError as exc:
        print(_("Error: {message}").format(message=exc.message()), file=sys.stderr)
        return 2
    except BrokenPipeError:
        _quiet_stdout()
        return 128 + getattr(signal, "SIGPIPE", 13)  # as a program the pipe's signal ended: 141
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.command is None:  # the window's start: shown in a message box if Qt comes up
            from villagegov.ui.start import failed_start

            return failed_start(exc)
        logs.report_unexpected(exc, _("the command {command}").format(command=args.command))
        return logs.EXIT_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
