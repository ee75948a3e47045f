"""Qt's own words (its file dialog, its buttons) speak the clerk's language too: a first-day trial saw
"Look in:" and "Files of type:" in the Chinese program."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

from villagegov.core.i18n import set_language
from villagegov.ui.app import make_application


def test_qts_file_dialog_and_buttons_are_chinese(qtbot: QtBot) -> None:
    set_language("zh_CN")
    make_application()
    dialog = QFileDialog(None, "另存为")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own, as on Linux
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels, labels
    assert not {"&Look in:", "Files of &type:"} & labels
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"
