"""The about box."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QMessageBox, QWidget

from villagegov import __version__
from villagegov.core import logs
from villagegov.core.i18n import _


def show_about(parent: QWidget, database: str) -> None:
    QMessageBox.about(
        parent,
        _("About villagegov"),
        "<h3>{title}</h3><p>{version}</p><p>{purpose}</p><p>{db}</p><p>{logs}</p>".format(
            title=_("Village records (villagegov)"),
            version=_("Version {version}").format(version=__version__),
            purpose=_("Keeps a village's self-governance records and prints its public notices."),
            db=_("Database: {path}").format(path=html.escape(database)),
            logs=_("Log files: {path}").format(path=html.escape(str(logs.folder()))),
        ),
    )
