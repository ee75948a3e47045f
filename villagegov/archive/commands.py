"""`villagegov archive …`: export, verify, import, review, and the keys, on the command line.

Only argparse at import time (the CLI builds its parser at every start); the work is imported when run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from villagegov.core.errors import PermissionDenied, VillagegovError
from villagegov.core.i18n import _, ngettext


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("archive", help=_("the yearly archive package: export, verify, import, review"))
    actions = p.add_subparsers(dest="archive_command", metavar=_("action"), required=True)
    a = actions.add_parser("export", help=_("export a year's package (village)"))
    a.add_argument("--year", type=int, required=True, help=_("the year to export"))
    a.add_argument(
        "-o",
        "--output",
        type=Path,
        help=_("the package file (default: <village>-<year>.zip in the exports folder)"),
    )
    a = actions.add_parser("verify", help=_("verify a package file; exit 0 only for a sound package"))
    a.add_argument("file", type=Path)
    a = actions.add_parser("import", help=_("import package files into the township's database"))
    a.add_argument("files", type=Path, nargs="+")
    a = actions.add_parser(
        "review", help=_("print the township's review (乡镇审查意见) of the imported villages")
    )
    a.add_argument("--year", type=int, help=_("only this year (default: the latest)"))
    a.add_argument("-o", "--output", type=Path, required=True, help=_("the PDF file to write"))
    a = actions.add_parser(
        "key", help=_("show the village's archive key and save its public half for the township")
    )
    a.add_argument("-o", "--output", type=Path, help=_("write the public key file here"))
    a = actions.add_parser(
        "head",
        help=_(
            "write down the audit chain's head: a dated paper to print and sign, and a file for check --head"
        ),
    )
    a.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help=_("the PDF file to write (the .json file goes beside it)"),
    )
    a = actions.add_parser("register", help=_("register a village's public key (township)"))
    a.add_argument("file", type=Path, help=_("the village's key file, or a package it signed"))
    a.add_argument("--fingerprint", required=True, help=_("the fingerprint on the village's stamped form"))
    a = actions.add_parser("reviewer", help=_("add a township reviewer to a database that keeps no village"))
    a.add_argument("username")
    a.add_argument("--name", required=True, help=_("the reviewer's full name"))


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run(args: argparse.Namespace, signed_in: Callable[..., object], out: Callable[[str], None]) -> int:
    command = args.archive_command
    if command == "verify":
        if getattr(args, "no_store", False):
            # No database: the package alone, without the rooms' services, layouts and reportlab.
            from villagegov.archive import package

            report = package.verify_file(args.file)
            package.note_unregistered(report)
        else:
            from villagegov.archive import service

            report = service.verify(args.file)
        for line in report.lines():
            (_err if line.startswith("  ✗") else out)(line)
        return 0 if report.ok else 1
    from villagegov.archive import service

    if command == "reviewer":
        from villagegov.accounts import service as accounts
        from villagegov.core import terminal

        actor = signed_in(args.user, reading=True) if args.user else None
        # VILLAGEGOV_NEW_PASSWORD, or asked twice at a terminal; without one, a message, not a prompt.
        password, confirm = terminal.new_password(_("New reviewer's password: "))
        user = accounts.set_up_reviewer(args.username, args.name, password, confirm, actor)  # type: ignore[arg-type]
        out(_("Added the township reviewer {user}.").format(user=user.username))
        return 0
    actor = signed_in(args.user, reading=command in ("review", "key", "head"))
    if command == "export":
        from villagegov.archive.contract import Period

        def progress(done: int, total: int) -> None:
            if total and (done == total or done % 100 == 0):
                print(
                    _("{done} of {total} documents").format(done=done, total=total),
                    file=sys.stderr,
                    flush=True,
                )

        result = service.export(actor, Period.year(args.year), args.output, progress)  # type: ignore[arg-type]
        out(
            _(
                "Exported {file}: {documents} documents ({pages} pages), {records} records, "
                "{entries} audit entries, "
                "in {seconds:.1f} s."
            ).format(
                file=result.path,
                documents=result.documents,
                pages=result.pages,
                records=result.records,
                entries=result.audit_entries,
                seconds=result.seconds,
            )
        )
        return 0
    if command == "key":
        key = service.village_key(actor) or service.make_village_key(actor)  # type: ignore[arg-type]
        out(_("The village's archive key: {fingerprint}").format(fingerprint=key.fingerprint))
        if args.output:
            service.save_public_key(actor, args.output)  # type: ignore[arg-type]
            out(_("Saved {file}").format(file=args.output))
        return 0
    if command == "head":
        from villagegov.core.i18n import format_date

        paper, file, record = service.save_head_record(actor, args.output)  # type: ignore[arg-type]
        out(
            _("The audit chain's head on {date}: entry {seq}, hash {hash}").format(
                date=format_date(record.day), seq=record.seq, hash=record.hash
            )
        )
        out(
            _(
                "Saved {paper} (print it, sign it, keep it apart) and {file} (for villagegov check --head)."
            ).format(paper=paper, file=file)
        )
        return 0
    if command == "register":
        village = service.register_key(actor, args.file, args.fingerprint)  # type: ignore[arg-type]
        out(
            _("Registered the key {fingerprint} for {village} ({township}, {county}).").format(
                fingerprint=village.fingerprint,
                village=village.name,
                township=village.township,
                county=village.county,
            )
        )
        return 0
    if command == "import":
        # Each file on its own: a package refused, or failing for any other reason, is reported and the
        # rest of the list is still imported; the exit code says whether any failed.
        refused = failed = 0
        for file in args.files:
            try:
                result = service.import_package(actor, file)  # type: ignore[arg-type]
            except service.PackageRefused as exc:
                refused += 1
                _err(_("{file}: refused, nothing was written.").format(file=file))
                for finding in exc.report.findings:
                    _err("  ✗ " + finding.message())
                continue
            except PermissionDenied:
                raise  # who is importing, not what: the same for every file
            except VillagegovError as exc:
                failed += 1
                _err(
                    _("{file}: not imported, nothing was written: {reason}").format(
                        file=file, reason=exc.message()
                    )
                )
                continue
            except Exception as exc:  # an unforeseen fault: named, and the list goes on
                failed += 1
                _err(
                    _("{file}: not imported, nothing was written: {reason}").format(
                        file=file, reason=f"{type(exc).__name__}: {exc}"
                    )
                )
                continue
            if not result.imported:
                out(_("{file}: already imported; nothing changed.").format(file=file))
            else:
                text = _("{file}: imported {village}, {period}, {documents} documents.").format(
                    file=file, village=result.village, period=result.period, documents=result.documents
                )
                if result.replaced:
                    text += " " + _("It replaces the older export, which stays on record.")
                out(text)
        if refused:
            _err(
                ngettext("{n} package was refused.", "{n} packages were refused.", refused).format(n=refused)
            )
        if failed:
            _err(
                ngettext(
                    "{n} package could not be imported.", "{n} packages could not be imported.", failed
                ).format(n=failed)
            )
        return 1 if refused or failed else 0
    if command == "review":
        from villagegov.printing.document import render

        document = service.review_document(actor, args.year)  # type: ignore[arg-type]
        render(document, args.output)
        out(_("Saved {file}").format(file=args.output))
        return 0
    raise AssertionError(command)
