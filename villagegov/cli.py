"""The command line: with no subcommand it opens the window; subcommands script the same services."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from villagegov import __version__
from villagegov.core import clock, i18n
from villagegov.core.errors import AuthenticationFailed, VillagegovError
from villagegov.core.i18n import N_, _, ngettext

# argparse's own words, so `villagegov --help` speaks the user's language too.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unrecognized arguments: %s"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("expected one argument"),
)

# What `list KIND` and `print KIND` reach, room by room: "module:function", imported only when asked.
# A lister takes (actor, year) and yields tuples of strings; a printer takes (actor, id, paper) and
# returns an OfficialDocument. Each room keeps them in its own commands.py.
LISTERS = {
    "notices": "villagegov.notices.commands:list_rows",
    "decisions": "villagegov.decisions.commands:list_rows",
    "meetings": "villagegov.council.commands:list_rows",
    "resolutions": "villagegov.council.commands:list_resolution_rows",
    "ceremonies": "villagegov.ceremonies.commands:list_rows",
    "petitions": "villagegov.petitions.commands:list_petitions",
    "mediations": "villagegov.petitions.commands:list_mediations",
}
PRINTERS = {
    "notice": "villagegov.notices.commands:notice_document",
    "notice-result": "villagegov.notices.commands:result_document",
    "decision": "villagegov.decisions.commands:dossier_document",
    "minutes": "villagegov.council.commands:minutes_document",
    "resolution": "villagegov.council.commands:resolution_document",
    "meeting-notice": "villagegov.council.commands:meeting_notice_document",
    "sign-in-sheet": "villagegov.council.commands:sign_in_sheet_document",
    "ceremony": "villagegov.ceremonies.commands:report_form",
    "ceremony-commitment": "villagegov.ceremonies.commands:commitment_letter",
    "ceremony-follow-up": "villagegov.ceremonies.commands:follow_up_record",
    "mediation": "villagegov.petitions.commands:agreement_document",
    "petition-notice": "villagegov.petitions.commands:acknowledgement_document",
}
# Documents of a whole year rather than of one record, printed with `print KIND [--year Y]` (default:
# this year): a printer takes (actor, year, paper).
PERIOD_PRINTERS = {
    "ceremony-summary": "villagegov.ceremonies.commands:summary",
    "petition-ledger": "villagegov.petitions.commands:ledger_document",
    "petition-summary": "villagegov.petitions.commands:summary_document",
}
# Options of `list` that only some lists take: (flag, the lister's keyword).
LIST_OPTIONS = (("--ledger", "ledger"), ("--overdue", "overdue"))
ROOMS = ("roster", "council", "decisions", "ceremonies", "notices", "petitions", "archive", "settings")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="villagegov",
        description=_("Village records (村务记录): run without a command to open the window."),
    )
    parser.add_argument("--version", action="version", version=version_text())
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
    sub.add_parser("demo", help=_("fill an empty database with a demo village"))
    sub.add_parser("check", help=_("check the database and its audit trail"))
    p = sub.add_parser("backup", help=_("back up the database"))
    p.add_argument("-o", "--output", type=Path, help=_("backup file (default: the backups folder)"))
    p = sub.add_parser("restore", help=_("restore the database from a backup (the current one is kept)"))
    p.add_argument("file", type=Path)
    p = sub.add_parser("import", help=_("import records"))
    p.add_argument("kind", choices=("roster",))
    p.add_argument("file", type=Path)
    p.add_argument("--dry-run", action="store_true", help=_("only list the problems, write nothing"))
    p = sub.add_parser("export", help=_("export records"))
    p.add_argument("kind", choices=("roster",))
    p.add_argument("file", type=Path)
    p = sub.add_parser("list", help=_("list records, one tab-separated line each"))
    p.add_argument("kind", choices=tuple(LISTERS))
    p.add_argument("--year", type=int, help=_("only this year"))
    p.add_argument(
        "--ledger", choices=("suggestion", "claim", "complaint"), help=_("petitions: only this ledger")
    )
    p.add_argument("--overdue", action="store_true", help=_("petitions: only those past their deadline"))
    p = sub.add_parser("print", help=_("print a document to a PDF file"))
    p.add_argument("kind", choices=(*PRINTERS, *PERIOD_PRINTERS))
    p.add_argument("id", type=int, nargs="?", help=_("the record's number in the list (its id)"))
    p.add_argument("--year", type=int, help=_("the year, for a document of a period (default: this year)"))
    p.add_argument(
        "--paper", choices=("a4", "a3"), default="a4", help=_("paper size (a3 for the bulletin board)")
    )
    p.add_argument("-o", "--output", type=Path, required=True, help=_("the PDF file to write"))
    from villagegov.archive.commands import add_parser as add_archive_parser

    add_archive_parser(sub)
    p = sub.add_parser("screenshot", help=_("save the main window as a PNG picture (1280×800)"))
    p.add_argument("--room", choices=ROOMS, default="roster")
    p.add_argument("output", type=Path)
    return parser


def _day(text: str) -> date:
    try:
        return clock.parse_day(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date (YYYY-MM-DD): {text}").format(text=text)) from None


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

    if not username:
        if reading:
            raise VillagegovError(i18n.N_("This command shows records: say who you are with --user NAME."))
        raise VillagegovError(i18n.N_("This command changes records: say who you are with --user NAME."))
    password = os.environ.get("VILLAGEGOV_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise AuthenticationFailed(i18n.N_("No password: set VILLAGEGOV_PASSWORD or run in a terminal."))
        password = getpass.getpass(_("Password for {user}: ").format(user=username))
    return accounts.sign_in(username, password)


def _out(text: str) -> None:
    print(text, flush=True)


def run(args: argparse.Namespace) -> int:
    from villagegov.core.drivers import import_peewee_for, is_url

    target = _target(args.db)
    import_peewee_for(target)  # for a SQLite file, without the PostgreSQL driver (~20 ms)
    if args.command is None:
        from villagegov.ui.start import run_gui

        return run_gui(target, args.user)
    from villagegov.schema import open_store

    if args.command == "screenshot":
        from villagegov.ui.app import screenshot

        screenshot(target, args.room, args.output)
        _out(_("Saved {file}").format(file=args.output))
        return 0
    if args.command == "restore":
        from villagegov.core import maintenance
        from villagegov.schema import open_store

        db = open_store(target)
        result = maintenance.restore(db, args.file)
        _out(
            _("Restored from {file}; the database as it was is kept in {backup}.").format(
                file=args.file, backup=result.safety_backup
            )
        )
        return 0
    if args.command == "check" and not is_url(target):
        return _check_file(Path(target))
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
    from villagegov.schema import open_store  # after the verify above, which needs no database

    db = open_store(target)
    if args.command == "demo":
        from villagegov.demo import fill_demo

        summary = fill_demo(db, clock.today())
        _out(summary.describe())
        return 0
    if args.command == "check":
        from villagegov.core import maintenance

        report = maintenance.check(db)
        for line in report.lines():
            _out(line)
        return 0 if report.ok else 1
    if args.command == "backup":
        from villagegov.core import maintenance

        path = maintenance.backup(db, args.output)
        _out(_("Backed up to {file}").format(file=path))
        return 0
    if args.command == "import":
        return _import_roster(args)
    if args.command == "archive":
        from villagegov.archive.commands import run as run_archive

        return run_archive(args, _signed_in, _out)
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
    from villagegov.printing.document import render
    from villagegov.printing.template import Paper

    if args.kind in PERIOD_PRINTERS:
        if args.id is not None:
            raise VillagegovError(N_("print {kind} prints a whole year: give --year YEAR and no number."),
                                  kind=args.kind)  # fmt: skip
        actor = _signed_in(args.user, reading=True)
        year = args.year or clock.today().year
        document = _command(PERIOD_PRINTERS[args.kind])(actor, year, Paper(args.paper))
    else:
        if args.id is None:
            raise VillagegovError(N_("Say which one to print: print {kind} ID."), kind=args.kind)
        actor = _signed_in(args.user, reading=True)
        document = _command(PRINTERS[args.kind])(actor, args.id, Paper(args.paper))
    path = render(document, args.output)
    _out(_("Saved {file}").format(file=path))
    return 0


def _check_file(path: Path) -> int:
    """`check` on a database file: read-only, and a damaged file is a finding, not an error.

    The file is neither opened as the app opens it nor migrated: opening would write to a damaged
    file (and fail on it), and a file that is not there would be created. Only a missing file is
    an error (exit code 2).
    """
    from villagegov.core import maintenance

    report = maintenance.check_file(path)
    for line in report.lines():
        _out(line)
    return 0 if report.ok else 1


def _import_roster(args: argparse.Namespace) -> int:
    from villagegov.roster import service as roster

    actor = _signed_in(args.user)
    preview = roster.preview_import(actor, args.file)
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
    result = roster.apply_import(actor, args.file)
    villagers = ngettext("{n} villager", "{n} villagers", result.villagers).format(n=result.villagers)
    households = ngettext("{n} new household", "{n} new households", result.households).format(
        n=result.households
    )
    _out(_("Imported {villagers} in {households}.").format(villagers=villagers, households=households))
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
    args = build_parser().parse_args(argv)
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
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
