"""Session files in the real window: File → Open with hostile files, the title
and its unsaved-changes mark, recent files, the shipped examples, a broken
last session at start-up, and a session file named on the command line."""

import json

import numpy as np
import pytest
from PyQt6 import QtCore, QtWidgets
from PyQt6.QtTest import QTest

from explorer.session import persistence, presets
from explorer.session.model import RESOLUTIONS
from explorer.ui.qt_session_files import examples, session_argument

from ..session.test_persistence import FIXTURES, hostile_files, state_of
from .conftest import add_window, answer_save_changes, settle

Button = QtWidgets.QMessageBox.StandardButton


def warnings_shown(window) -> list[QtWidgets.QMessageBox]:
    return [b for b in window.findChildren(QtWidgets.QMessageBox, "warning") if b.isVisible()]


def close_warning(window, qtbot, fragment: str) -> str:
    boxes = warnings_shown(window)
    assert boxes and fragment in boxes[-1].text(), [b.text() for b in boxes]
    text = boxes[-1].text()
    for box in boxes:
        box.close()
    settle(qtbot)
    return text


def new_window(qtbot, ini):
    from explorer.ui.main_window import MainWindow

    w = MainWindow(QtCore.QSettings(str(ini), QtCore.QSettings.Format.IniFormat))
    add_window(qtbot, w)
    return w


def test_every_hostile_file_is_refused_by_file_open_and_changes_nothing(window, qtbot, tmp_path):
    assert window.open_session(str(FIXTURES / "v1.json"))
    before = state_of(window.session)
    title = window.windowTitle()
    for name, (content, fragment) in hostile_files().items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(content)
        assert not window.open_session(str(path)), name
        text = close_warning(window, qtbot, fragment)
        assert "Nothing was changed" in text and len(text) < 400, name
        assert state_of(window.session) == before, name
        assert window.windowTitle() == title and not window.isWindowModified(), name
        path.unlink()
    window.session.set_point([-0.5, 0.25, -1.0, 1.0])  # still alive and working
    assert window.session.info().value == window.session.function(-0.5, 0.25, -1.0, 1.0)


def type_into_file_dialog(path, tries: int = 100) -> None:
    """Once the (Qt, not native) file dialog is up, type `path` and press Enter."""
    dialog = QtWidgets.QApplication.activeModalWidget()
    if isinstance(dialog, QtWidgets.QFileDialog):
        edit = dialog.findChild(QtWidgets.QLineEdit, "fileNameEdit")
        edit.setText(str(path))
        QTest.keyClick(edit, QtCore.Qt.Key.Key_Return)
    elif tries:
        QtCore.QTimer.singleShot(100, lambda: type_into_file_dialog(path, tries - 1))


def test_open_and_save_as_through_the_file_dialogs(window, qtbot, tmp_path):
    path = FIXTURES / "v2.json"
    QtCore.QTimer.singleShot(100, lambda: type_into_file_dialog(path))
    window.actions_by_name["open"].trigger()
    settle(qtbot)
    assert window.session.text == presets.find("Chain of Fig. 18.4.1 (18.4.4–5)").text
    assert window.windowTitle().startswith("v2.json[*]")
    target = tmp_path / "copy.json"
    QtCore.QTimer.singleShot(100, lambda: type_into_file_dialog(target))
    window.actions_by_name["save_as"].trigger()
    settle(qtbot)
    assert persistence.read(target)["text"] == window.session.text
    assert window.windowTitle().startswith("copy.json[*]")


def test_title_shows_the_file_and_the_unsaved_mark(window, qtbot, tmp_path):
    assert window.windowTitle().startswith("Untitled[*]") and not window.isWindowModified()
    window.session.set_point([0.3, 0.2])
    assert window.isWindowModified()
    path = tmp_path / "mine.json"
    assert window.save_session(str(path))
    assert window.windowTitle().startswith("mine.json[*]") and not window.isWindowModified()
    window.session.set_overlay("field", True)
    assert window.isWindowModified()
    # Save (no dialog) writes to the same file and clears the mark
    window.actions_by_name["save"].trigger()
    assert not window.isWindowModified()
    assert json.loads(path.read_text())["overlays"]["field"] is True
    window.session.set_text("x^2 + y^2")
    assert window.isWindowModified()
    QtCore.QTimer.singleShot(0, lambda: answer_save_changes(Button.Discard))
    assert window.open_session(str(FIXTURES / "v1.json"))
    assert window.windowTitle().startswith("v1.json[*]") and not window.isWindowModified()


def test_recent_files_are_listed_kept_and_reopened(qapp, qtbot, tmp_path):
    ini = tmp_path / "settings.ini"
    first = new_window(qtbot, ini)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert first.save_session(str(a))
    first.session.set_text("sin(x) + y")
    assert first.save_session(str(b))
    menu = first.session_files.recent_menu
    names = [x.text() for x in menu.actions() if x.objectName() in ("recent_0", "recent_1")]
    assert names == ["&1 b.json", "&2 a.json"]
    first.close()
    second = new_window(qtbot, ini)
    assert second.session_files.recent == [str(b), str(a)]
    second.session.set_text("x*y")
    action = next(
        x for x in second.session_files.recent_menu.actions() if x.objectName() == "recent_1"
    )
    QtCore.QTimer.singleShot(0, lambda: answer_save_changes(Button.Discard))
    action.trigger()
    assert second.session.text == presets.DEFAULT.text  # what a.json holds
    assert second.session_files.recent == [str(a), str(b)]
    # a recent file that has gone: a message, and it leaves the list
    b.unlink()
    action = next(
        x for x in second.session_files.recent_menu.actions() if x.objectName() == "recent_1"
    )
    action.trigger()
    close_warning(second, qtbot, "no longer there")
    assert second.session_files.recent == [str(a)]
    second.close()


EXPECTED_EXAMPLES = {
    # file: (text, point, overlays that must be on)
    "1-first-experiment": ("x*exp(-x^2 - y^2)", [-1.0, 0.0], {"tangent", "quadratic"}),
    "2-chain-rule": (presets.CHAIN, [-1.0, 0.0, -2.0, 1.0], {"tangent"}),
    "3-himmelblau-critical-points": (
        "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        [0.0, 0.0],
        {"critical"},
    ),
}


def test_each_example_opens_from_the_examples_menu(window, qtbot):
    assert [p.stem for p in examples()] == list(EXPECTED_EXAMPLES)
    menu = window.session_files.examples_menu
    titles = [a.text() for a in menu.actions()]
    assert titles == ["First experiment", "Chain rule", "Himmelblau critical points"]
    for action, (stem, (text, point, on)) in zip(
        menu.actions(), EXPECTED_EXAMPLES.items(), strict=True
    ):
        window.session.set_text("x + y")
        QtCore.QTimer.singleShot(0, lambda: answer_save_changes(Button.Discard))
        action.trigger()
        settle(qtbot)
        assert not warnings_shown(window), stem
        s = window.session
        assert s.text == text and s.point.tolist() == point, stem
        assert all(s.overlays[name] for name in on), stem
        assert window.windowTitle().startswith(f"{action.text()} (example)[*]")
        assert window.session_files.path is None  # Save asks where: never over the example
    # the first experiment's ε is the chapter's
    menu.actions()[0].trigger()
    assert window.session.epsilon.tolist() == [0.01, -0.03]
    menu.actions()[2].trigger()  # Himmelblau: four minima, a maximum, four saddles
    kinds = sorted(c.kind for c in window.session.critical())
    assert kinds == ["maximum"] + ["minimum"] * 4 + ["saddle"] * 4


@pytest.mark.parametrize(
    "stored",
    [
        lambda good: json.dumps({**good, "overlays": None}),
        lambda good: json.dumps({**good, "schema": 99}),
        lambda good: "{broken",
        lambda good: json.dumps({**good, "point": [1e300, 0]}),
    ],
    ids=["overlays_null", "future_version", "not_json", "point_1e300"],
)
def test_a_broken_last_session_starts_clean_and_says_so(qapp, qtbot, tmp_path, stored):
    ini = tmp_path / "settings.ini"
    first = new_window(qtbot, ini)
    good = json.loads(persistence.dumps(first.session))
    first.close()
    settings = QtCore.QSettings(str(ini), QtCore.QSettings.Format.IniFormat)
    settings.setValue("session", stored(good))
    settings.sync()
    second = new_window(qtbot, ini)
    assert second.session.preset == presets.DEFAULT.name
    assert "could not be restored" in second.statusBar().currentMessage()
    assert len(second.statusBar().currentMessage()) < 300
    second.close()


def test_a_last_session_stored_by_version_1_is_restored(qapp, qtbot, tmp_path):
    ini = tmp_path / "settings.ini"
    settings = QtCore.QSettings(str(ini), QtCore.QSettings.Format.IniFormat)
    settings.setValue("session", (FIXTURES / "v1.json").read_text())
    settings.sync()
    w = new_window(qtbot, ini)
    np.testing.assert_array_equal(w.session.point, [-1.0, 0.5, -2.0, 1.5])
    assert not w.isWindowModified()
    w.close()


def test_a_session_file_on_the_command_line(window, qtbot, tmp_path):
    from explorer.ui.app import open_arguments

    assert session_argument([str(FIXTURES / "v1.json")]) == str(FIXTURES / "v1.json")
    assert session_argument(["x*y"]) is None
    assert session_argument([str(tmp_path / "missing.json")]) is None
    assert session_argument([str(FIXTURES / "v1.json"), "x"]) is None
    open_arguments(window, [str(FIXTURES / "v1.json")])
    assert window.session.point.tolist() == [-1.0, 0.5, -2.0, 1.5]
    assert window.windowTitle().startswith("v1.json[*]")
    open_arguments(window, ["sin(x)", "*", "y"])  # an expression, as before
    assert window.session.text == "sin(x) * y"
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    QtCore.QTimer.singleShot(0, lambda: answer_save_changes(Button.Discard))
    open_arguments(window, [str(bad)])
    close_warning(window, qtbot, "not valid JSON")
    assert window.session.text == "sin(x) * y"


def test_the_file_bounds_are_the_widgets_bounds(window):
    """A file may hold what the widgets can set, and no more."""
    panel = window.function_panel
    _, lo, hi = panel.domain_rows[0]
    for box in (lo, hi, panel.z_lo, panel.z_hi):
        assert (box.minimum(), box.maximum()) == (
            -persistence.COORDINATE_LIMIT,
            persistence.COORDINATE_LIMIT,
        )
    assert window.inspector.eps_boxes
    for box in window.inspector.eps_boxes:
        assert (box.minimum(), box.maximum()) == (
            -persistence.EPSILON_LIMIT,
            persistence.EPSILON_LIMIT,
        )
    combo = panel.resolution
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert offered == list(RESOLUTIONS)
