"""A slider step of a slice (the speed work of issue 6): once the event loop has
settled, every panel shows the new slice, and the inspector's text, drawn from
documents the panel lays out itself, is drawn whole at the width it has, with
heights held while the function stays and released when it changes."""

import numpy as np
import pytest
from PyQt6 import QtCore, QtGui

from .conftest import settle


def chain(w, x, y, z):
    """Fig. 18.4.1's network by hand."""
    a, b = (w + x + y + z) ** 2, (w + x - y - z) ** 2
    u, v = (a + b) ** 2, (a - b) ** 2
    return (u + v) ** 2


def choose(window, name):
    box = window.function_panel.presets
    index = box.findData(name, QtCore.Qt.ItemDataRole.UserRole)
    box.setCurrentIndex(index)
    box.activated.emit(index)


def ink(image: QtGui.QImage) -> np.ndarray:
    """Where an image has text: its dark pixels."""
    image = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    a = np.frombuffer(image.constBits().asstring(image.sizeInBytes()), np.uint8)
    a = a.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3]
    return a.astype(int).sum(axis=2) < 3 * 128


def oracle(block) -> tuple[QtGui.QTextDocument, np.ndarray]:
    """The block's text laid out afresh at the block's width (wrapped) or whole, and
    its ink drawn black on white over the block's size."""
    doc = QtGui.QTextDocument()
    doc.setDefaultFont(block.font())
    doc.setDocumentMargin(0)
    doc.setHtml(block.text())
    if block.hasHeightForWidth():
        doc.setTextWidth(block.width())
    image = QtGui.QImage(block.width(), block.height(), QtGui.QImage.Format.Format_RGB32)
    image.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(image)
    doc.drawContents(painter)
    painter.end()
    return doc, ink(image)


def assert_drawn_whole(block) -> None:
    doc, expected = oracle(block)
    assert doc.size().height() <= block.height() + 0.5, "the text is taller than its block"
    assert doc.size().width() <= block.width() + 0.5, "the text is wider than its block"
    drawn = ink(block.grab().toImage())
    assert expected.any()
    # the same lines, broken at the same words: glyph edges aside, the same ink
    assert np.mean(drawn != expected) < 0.02


def test_a_slider_step_shows_the_new_slice_in_every_panel_drawn_whole(window, qtbot):
    choose(window, "Chain of Fig. 18.4.1 (18.4.4–5)")
    settle(qtbot)
    s, inspector = window.session, window.inspector
    slider, label = window.function_panel.sliders[2]  # y
    for value in (520, 530, 560):  # small steps, as a drag gives
        slider.setValue(value)
        settle(qtbot)
        y = -2 + 4 * value / 1000
        assert s.point[2] == pytest.approx(y)
        f = chain(-1.0, 0.0, y, 1.0)
        summary = inspector.summary.text()
        assert f"= (-1, 0, {y:.6g}, 1)" in summary
        assert f"<b>f</b> = {f:.6g}" in summary
        assert window.status_point.text().startswith(f"w = -1, x = 0, y = {y:.4g}, z = 1")
        for block in (inspector.summary, inspector.matrices, inspector.models, inspector.table):
            assert_drawn_whole(block)


def test_the_held_heights_are_released_with_the_function(window, qtbot):
    choose(window, "x·e^(−x²−y²) and its quadratic (18.4.6)")  # long Taylor models
    settle(qtbot)
    models = window.inspector.models
    tall, width = models.height(), models.width()
    assert window.session.set_text("x^2 + y") is None  # short ones
    settle(qtbot)
    doc, _ = oracle(models)
    assert models.width() == width  # (a new width lays the text out afresh anyway)
    assert models.height() < tall
    assert models.height() == pytest.approx(doc.size().height(), abs=1)
    assert_drawn_whole(models)
