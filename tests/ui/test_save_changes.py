"""The question "save the changes?" before quitting, New, Open, Open recent or an
example throws unsaved changes away: Save, Discard or Cancel, answered through
the real message box (and the real file dialog when Save needs a file name)."""

import json

import numpy as np
import pytest
from PyQt6 import QtCore, QtWidgets

from explorer.session import persistence, presets

from ..session.test_persistence import FIXTURES
from .conftest import add_window, answer_save_changes, settle
from .test_files import close_warning, type_into_file_dialog

Button = QtWidgets.QMessageBox.StandardButton


def answering(button) -> list[str]:
    """Answer the next question with `button`; the list receives its text."""
    seen: list[str] = []
    QtCore.QTimer.singleShot(0, lambda: answer_save_changes(button, seen))
    return seen


def new_window(qtbot, ini=None):
    from explorer.ui.main_window import MainWindow

    settings = (
        None if ini is None else QtCore.QSettings(str(ini), QtCore.QSettings.Format.IniFormat)
    )
    w = MainWindow(settings)
    add_window(qtbot, w)
    w.show()
    qtbot.waitExposed(w)
    return w


def quit_window(window) -> None:
    window.actions_by_name["quit"].trigger()


def open_first_recent(window) -> None:
    menu = window.session_files.recent_menu
    next(a for a in menu.actions() if a.objectName() == "recent_0").trigger()


def open_first_example(window) -> None:
    window.session_files.examples_menu.actions()[0].trigger()


# (what the user does, the question's last words, what the session shows afterwards)
THROWING_AWAY = {
    "quit": (quit_window, "before closing?", None),
    "new": (lambda w: w.actions_by_name["new"].trigger(), "new session?", presets.DEFAULT.text),
    "open": (lambda w: w.open_session(str(FIXTURES / "v1.json")), "another?", presets.CHAIN),
    "recent": (open_first_recent, "another?", presets.DEFAULT.text),
    "example": (open_first_example, "the example?", "x*exp(-x^2 - y^2)"),
}


@pytest.mark.parametrize("action", THROWING_AWAY)
def test_cancel_keeps_everything_and_discard_goes_on(qtbot, tmp_path, action):
    do, question, shown_after = THROWING_AWAY[action]
    window = new_window(qtbot, tmp_path / "settings.ini")
    assert window.save_session(str(tmp_path / "recent.json"))  # a recent file to open
    window.session.set_text("x^2 - y^2")
    window.session.set_point([0.25, -0.5])
    assert window.isWindowModified()
    before = window.session.to_dict()

    seen = answering(Button.Cancel)
    do(window)
    settle(qtbot)
    assert len(seen) == 1 and seen[0].endswith(question), seen
    assert "recent.json" in seen[0]  # names the file the changes belong to
    assert window.isVisible() and window.isWindowModified()
    assert window.session.to_dict() == before

    seen = answering(Button.Discard)
    do(window)
    settle(qtbot)
    assert len(seen) == 1
    if shown_after is None:
        assert not window.isVisible()
    else:
        assert window.isVisible() and window.session.text == shown_after
        assert not window.isWindowModified()


def test_no_question_without_changes(window, qtbot):
    seen = answering(Button.Cancel)  # a question would cancel New
    window.session_files.examples_menu.actions()[2].trigger()  # Himmelblau
    assert not window.isWindowModified()
    window.actions_by_name["new"].trigger()
    settle(qtbot)
    assert seen == []
    assert window.session.text == presets.DEFAULT.text and not window.isWindowModified()
    window.actions_by_name["quit"].trigger()
    settle(qtbot)
    assert seen == [] and not window.isVisible()


def test_new_starts_from_the_defaults_without_a_file(window, qtbot, tmp_path):
    s = window.session
    s.load_preset(presets.find("Chain of Fig. 18.4.1 (18.4.4–5)"))
    s.set_overlay("field", True)
    window.runs.add()
    assert window.save_session(str(tmp_path / "chain.json"))
    window.actions_by_name["new"].trigger()
    settle(qtbot)
    fresh = json.loads(persistence.dumps(type(s)()))
    assert s.to_dict() == fresh and fresh["runs"] == []
    assert window.runs.entries == []
    assert window.windowTitle().startswith("Untitled[*]") and window.session_files.path is None
    assert window.actions_by_name["field"].isChecked() is False


def test_save_without_a_file_name_goes_through_save_as_then_quits(qtbot, tmp_path):
    window = new_window(qtbot)
    window.session.set_text("sin(x)*y")
    target = tmp_path / "kept.explorer.json"
    seen = answering(Button.Save)
    QtCore.QTimer.singleShot(300, lambda: type_into_file_dialog(target))
    quit_window(window)
    settle(qtbot)
    assert len(seen) == 1 and "this session" in seen[0]
    assert persistence.read(target)["text"] == "sin(x)*y"
    assert not window.isVisible()


def test_cancelled_save_as_or_a_failed_save_does_not_quit(qtbot, tmp_path):
    window = new_window(qtbot)
    window.session.set_text("sin(x)*y")

    def cancel_file_dialog(tries: int = 100) -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        if isinstance(dialog, QtWidgets.QFileDialog):
            dialog.reject()
        elif tries:
            QtCore.QTimer.singleShot(100, lambda: cancel_file_dialog(tries - 1))

    answering(Button.Save)
    QtCore.QTimer.singleShot(300, cancel_file_dialog)
    quit_window(window)
    settle(qtbot)
    assert window.isVisible() and window.isWindowModified()
    # saved once into a folder that then disappears: Save fails, the window stays
    folder = tmp_path / "gone"
    folder.mkdir()
    assert window.save_session(str(folder / "s.json"))
    window.session.set_point([0.5, 0.5])
    (folder / "s.json").unlink()
    folder.rmdir()
    answering(Button.Save)
    quit_window(window)
    settle(qtbot)
    close_warning(window, qtbot, "Could not write")
    assert window.isVisible() and window.isWindowModified()
    np.testing.assert_array_equal(window.session.point, [0.5, 0.5])


def test_discarded_changes_are_not_restored_at_the_next_start(qtbot, tmp_path):
    ini = tmp_path / "settings.ini"
    first = new_window(qtbot, ini)
    first.session.set_text("x*y")
    assert first.save_session(str(tmp_path / "xy.json"))
    first.session.set_text("x^2 + y^2")  # then thrown away
    answering(Button.Discard)
    quit_window(first)
    settle(qtbot)
    assert not first.isVisible()
    second = new_window(qtbot, ini)
    assert second.session.text == "x*y" and not second.isWindowModified()
    target = tmp_path / "kept.json"
    assert second.save_session(str(target))
    second.session.set_text("x - y")  # kept by Save: restored
    answering(Button.Save)
    quit_window(second)
    settle(qtbot)
    assert persistence.read(target)["text"] == "x - y"
    third = new_window(qtbot, ini)
    assert third.session.text == "x - y"


def test_optimizer_runs_mark_the_session_changed_and_selecting_one_does_not(window, qtbot):
    runs = window.runs
    runs.add()
    assert window.isWindowModified()
    window.session_files.mark_unmodified()
    runs.select(-1)
    runs.select(0)
    assert not window.isWindowModified()
    runs.step(3)
    assert window.isWindowModified()
