"""Typing into the function panel, key by key, as a user does: applied after a
pause or on Enter, never a half-typed word, a preset's domain kept, the wheel
over the preset box ignored, and a long expression compiled off the GUI thread."""

import numpy as np
import pytest
from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.session import presets
from explorer.session.model import Session
from explorer.ui.qt_function_panel import FunctionPanel, unfinished_word

ENTER = QtCore.Qt.Key.Key_Return


@pytest.fixture
def panel(qtbot):
    session = Session()
    w = FunctionPanel(session)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.applied = []  # every text the session took, in order
    session.function_changed.connect(lambda: w.applied.append(session.text))
    return w


def retype(qtbot, panel, text: str) -> None:
    panel.editor.setFocus()
    panel.editor.selectAll()
    qtbot.keyClicks(panel.editor, text)


def long_expression() -> str:
    terms, i = [], 0
    while len(" + ".join(terms)) < 3000:
        i += 1
        terms.append(f"sin({i}.1*x + y/{i})*exp(-0.0{i % 9 + 1}*(x^2 + y^2))")
    return " + ".join(terms)


def test_a_typed_function_is_applied_once_after_the_pause(panel, qtbot):
    retype(qtbot, panel, "x^2 + 3y^2")
    assert panel.applied == []  # nothing while typing
    qtbot.waitUntil(lambda: panel.session.text == "x^2 + 3y^2")
    assert panel.applied == ["x^2 + 3y^2"]  # no intermediate "x", "x^2 + 3y"
    assert panel.error.isHidden() and panel.hint.isHidden()


@pytest.mark.parametrize(
    ("text", "message"),
    [("foo(x)", "foo"), ("import os", "")],
)
def test_a_half_typed_word_never_becomes_a_variable(panel, qtbot, text, message):
    before = panel.session.function.variables
    retype(qtbot, panel, text)
    qtbot.waitUntil(lambda: panel.error.isVisible())
    assert message in panel.error.text()
    assert panel.applied == []
    assert panel.session.function.variables == before


def test_a_possible_start_of_a_name_waits_for_the_next_key(panel, qtbot):
    retype(qtbot, panel, "x + si")
    qtbot.waitUntil(lambda: panel.hint.isVisible())
    assert "sin" in panel.hint.text() and "Enter" in panel.hint.text()
    assert panel.applied == [] and "si" not in panel.session.function.variables
    qtbot.keyClicks(panel.editor, "n(y)")
    qtbot.waitUntil(lambda: panel.session.text == "x + sin(y)")
    assert panel.applied == ["x + sin(y)"]
    # Enter says the word is finished: "t" is a variable then
    retype(qtbot, panel, "x*t")
    qtbot.keyClick(panel.editor, ENTER)
    qtbot.waitUntil(lambda: panel.session.text == "x*t")
    assert panel.session.function.variables == ("t", "x")


def test_unfinished_word():
    assert unfinished_word("x + si") == "si"
    assert unfinished_word("exp(x) * ta") == "ta"
    assert unfinished_word("x + sin") is None  # a name of its own
    assert unfinished_word("x + y") is None  # the start of no name
    assert unfinished_word("x + a", ("a", "x")) is None  # a variable already
    assert unfinished_word("x + a") == "a"  # abs, arcsin…
    assert unfinished_word("x + si ") is None  # a space ends the word
    assert unfinished_word("2 * p") == "p"  # pi


def test_typing_over_a_preset_keeps_its_domain(panel, qtbot):
    s = panel.session
    panel.presets.setCurrentIndex(
        panel.presets.findData("Himmelblau", QtCore.Qt.ItemDataRole.UserRole)
    )
    panel.presets.activated.emit(panel.presets.currentIndex())
    assert s.domain == [(-5.0, 5.0), (-5.0, 5.0)]
    retype(qtbot, panel, "x^2")  # a pause here: f(x) alone is applied…
    qtbot.waitUntil(lambda: s.text == "x^2")
    assert s.domain == [(-5.0, 5.0)]
    qtbot.keyClicks(panel.editor, " + y^2")  # …and y comes back with its interval
    qtbot.waitUntil(lambda: s.text == "x^2 + y^2")
    assert s.domain == [(-5.0, 5.0), (-5.0, 5.0)]
    np.testing.assert_allclose(s.point, presets.find("Himmelblau").point)
    assert panel.domain_rows[1][2].text() == "5"


def test_the_wheel_over_the_preset_box_does_not_replace_a_typed_function(panel, qtbot):
    retype(qtbot, panel, "x*y + 1")
    qtbot.keyClick(panel.editor, ENTER)
    qtbot.waitUntil(lambda: panel.session.text == "x*y + 1")
    box = panel.presets
    index = box.currentIndex()
    center = QtCore.QPointF(box.rect().center())
    for delta in (-120, -120, 120):
        wheel = QtGui.QWheelEvent(
            center,
            QtCore.QPointF(box.mapToGlobal(box.rect().center())),
            QtCore.QPoint(0, 0),
            QtCore.QPoint(0, delta),
            QtCore.Qt.MouseButton.NoButton,
            QtCore.Qt.KeyboardModifier.NoModifier,
            QtCore.Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QtWidgets.QApplication.sendEvent(box, wheel)
    QtWidgets.QApplication.processEvents()
    assert box.currentIndex() == index
    assert panel.session.text == "x*y + 1" and panel.session.preset is None
    assert not box.hasFocus()


def test_a_long_expression_is_compiled_without_blocking_the_window(panel, qtbot):
    text = long_expression()
    assert len(text) >= 3000
    seen = []
    panel.editor.setText(text)
    qtbot.keyClick(panel.editor, ENTER)
    # an event queued now runs while the worker builds the derivatives: the GUI
    # thread is free (compiled on it, the function would already be applied)
    QtCore.QTimer.singleShot(0, lambda: seen.append((panel.busy, panel.session.text)))
    qtbot.waitUntil(lambda: panel.session.text == text, timeout=20000)
    assert seen and seen[0][0] and seen[0][1] != text
    assert panel.error.isHidden() and panel.hint.isHidden()
    assert panel.session.function(0.1, 0.2) == pytest.approx(
        sum(
            np.sin((i + 0.1) * 0.1 + 0.2 / i) * np.exp(-(0.01 * (i % 9 + 1)) * 0.05)
            for i in range(1, text.count("sin(") + 1)
        )
    )


def test_a_preset_chosen_during_a_compilation_wins(panel, qtbot):
    panel.editor.setText(long_expression())
    qtbot.keyClick(panel.editor, ENTER)
    index = panel.presets.findData("Booth", QtCore.Qt.ItemDataRole.UserRole)
    panel.presets.setCurrentIndex(index)
    panel.presets.activated.emit(index)
    QtCore.QThreadPool.globalInstance().waitForDone()
    qtbot.waitUntil(lambda: not panel._compiling)
    assert panel.session.preset == "Booth" and panel.session.text == presets.find("Booth").text
