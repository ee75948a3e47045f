"""Passwords on the command line: from an environment variable, or asked at a terminal — never a prompt
where nobody can answer it (a script, a pipe, a scheduled task), which would end in EOFError."""

from __future__ import annotations

import getpass
import os
import sys

from villagegov.core.errors import AuthenticationFailed, ValidationError
from villagegov.core.i18n import N_, _

PASSWORD = "VILLAGEGOV_PASSWORD"  # the password of --user NAME
NEW_PASSWORD = "VILLAGEGOV_NEW_PASSWORD"  # a password being set: init, archive reviewer


def interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _ask(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except EOFError:  # Ctrl-D at the prompt
        raise AuthenticationFailed(N_("No password was given.")) from None


def password(username: str) -> str:
    """The password of `username`: VILLAGEGOV_PASSWORD, else asked at the terminal."""
    value = os.environ.get(PASSWORD)
    if value is not None:
        return value
    if not interactive():
        raise AuthenticationFailed(N_("No password: set {variable} or run in a terminal."), variable=PASSWORD)
    return _ask(_("Password for {user}: ").format(user=username))


def new_password(prompt: str) -> tuple[str, str]:
    """A password being set, and its confirmation: VILLAGEGOV_NEW_PASSWORD (both), else asked twice."""
    value = os.environ.get(NEW_PASSWORD)
    if value is not None:
        return value, value
    if not interactive():
        raise ValidationError(
            N_("No terminal to ask for the new password: set {variable} to it."), variable=NEW_PASSWORD
        )
    return _ask(prompt), _ask(_("The same password again: "))
