"""The real window on a real X server (pytest-xvfb) with real OpenGL (Mesa)."""

import numpy as np
import pytest
from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.ui.app import make_app, share_gl_contexts


def pytest_configure(config):
    share_gl_contexts()  # before pytest-qt creates the QApplication


@pytest.fixture(scope="session")
def qapp_args():
    return ["explorer-tests"]


@pytest.fixture
def window(qapp, qtbot):
    make_app([])  # the app's own configuration (OpenGL platform, pyqtgraph options)
    from explorer.ui.main_window import MainWindow

    before = {w for w in QtWidgets.QApplication.topLevelWidgets() if w.isVisible()}
    w = MainWindow(settings=None)
    add_window(qtbot, w)
    w.resize(1500, 900)
    w.show()
    qtbot.waitExposed(w)
    settle(qtbot)
    yield w
    w.close()
    settle(qtbot)
    leaked = {x for x in QtWidgets.QApplication.topLevelWidgets() if x.isVisible()} - before
    assert not leaked, f"widgets left open: {leaked}"


def add_window(qtbot, w) -> None:
    """Have pytest-qt close `w` after the test, whose changes then go without the
    question "save the changes?" (tests of that question answer it themselves)."""
    qtbot.addWidget(w, before_close_func=lambda w: w.setWindowModified(False))


def answer_save_changes(button, seen: list[str] | None = None, tries: int = 100) -> None:
    """Once the question "save the changes?" is up, click `button` (a StandardButton)
    and note the question in `seen`. Schedule it with a QTimer before the action."""
    box = QtWidgets.QApplication.activeModalWidget()
    if isinstance(box, QtWidgets.QMessageBox) and box.objectName() == "save_changes":
        if seen is not None:
            seen.append(box.text())
        box.button(button).click()
    elif tries:
        QtCore.QTimer.singleShot(50, lambda: answer_save_changes(button, seen, tries - 1))


def settle(qtbot, ms: int = 30) -> None:
    QtWidgets.QApplication.processEvents()
    qtbot.wait(ms)


def type_into(qtbot, field: QtWidgets.QLineEdit, text: str) -> None:
    """Replace a field's text as a user does: select all, type, press Enter."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, QtCore.Qt.Key.Key_Return)


def pixels(image: QtGui.QImage) -> np.ndarray:
    """An image as an (h, w, 3) uint8 RGB array."""
    img = image.convertToFormat(QtGui.QImage.Format.Format_RGB888)
    h, w = img.height(), img.width()
    buf = np.frombuffer(img.constBits().asarray(img.sizeInBytes()), dtype=np.uint8)
    return buf.reshape(h, img.bytesPerLine())[:, : w * 3].reshape(h, w, 3).copy()


def near(arr: np.ndarray, color, tol: int = 40) -> int:
    """How many pixels lie within `tol` of `color` in every channel."""
    return int(np.all(np.abs(arr.astype(int) - np.array(color[:3])) <= tol, axis=-1).sum())


def gl_pixels(view, qtbot) -> np.ndarray:
    view.update()
    settle(qtbot)
    return pixels(view.grabFramebuffer())


def widget_pixels(widget) -> np.ndarray:
    return pixels(widget.grab().toImage())


def map_to_widget(view, x: float, y: float) -> QtCore.QPoint:
    """Widget coordinates of a data point on a pyqtgraph plot."""
    scene = view.getViewBox().mapViewToScene(QtCore.QPointF(x, y))
    return view.mapFromScene(scene)


def expected_faces(session) -> int:
    """Triangles the surface must draw: per grid cell (a, b, c) and (a, c, d),
    a = (i, j), b = (i+1, j), c = (i+1, j+1), d = (i, j+1), each only when its
    three vertices are drawn: values defined and inside the z-range, or next
    (left, right, above, below) to such a value, moved onto the edge between."""
    s, (lo, hi) = session.surface(), session.zrange()
    with np.errstate(invalid="ignore"):
        inside = np.isfinite(s.z) & (s.z >= lo) & (s.z <= hi)
    shown = inside.copy()
    shown[1:] |= inside[:-1]
    shown[:-1] |= inside[1:]
    shown[:, 1:] |= inside[:, :-1]
    shown[:, :-1] |= inside[:, 1:]
    a, b, c, d = shown[:-1, :-1], shown[1:, :-1], shown[1:, 1:], shown[:-1, 1:]
    return int(np.sum(a & b & c) + np.sum(a & c & d))
