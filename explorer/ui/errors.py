"""The handler for exceptions that escape a slot: PyQt6 would abort the process;
we log the traceback and show it in a dialog, and the application goes on."""

from __future__ import annotations

import sys
import traceback

from PyQt6 import QtWidgets

_open_dialogs: list[QtWidgets.QMessageBox] = []


def report(exc_type, exc, tb) -> QtWidgets.QMessageBox | None:
    """Log an unexpected exception and show it; returns the dialog (None without an app)."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    print(text, file=sys.stderr, end="")
    if QtWidgets.QApplication.instance() is None:
        return None
    box = QtWidgets.QMessageBox(
        QtWidgets.QMessageBox.Icon.Critical,
        "Unexpected error",
        f"Something went wrong: {exc}\n\nYour session is still open; "
        "please report this with the details below.",
        QtWidgets.QMessageBox.StandardButton.Close,
    )
    box.setDetailedText(text)
    box.finished.connect(lambda _r, b=box: _open_dialogs.remove(b))
    _open_dialogs.append(box)
    box.open()  # not exec(): never a nested event loop inside a failing slot
    return box


def install() -> None:
    sys.excepthook = report
