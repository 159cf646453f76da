"""The window driven as a user drives it: presets, typing, clicks and drags on
both views, overlays, the inspector; assertions on the model, the widgets, the
arrays handed to the GL items and the pixels read back."""

import math

import numpy as np
import pytest
from PyQt6 import QtCore, QtGui, QtWidgets
from PyQt6.QtTest import QTest

from explorer.engine import parse
from explorer.session import presets
from explorer.ui import style

from .conftest import (
    expected_faces,
    gl_pixels,
    map_to_widget,
    near,
    settle,
    type_into,
    widget_pixels,
)

LEFT = QtCore.Qt.MouseButton.LeftButton


def choose_preset(window, name: str) -> None:
    combo = window.function_panel.presets
    index = combo.findData(name, QtCore.Qt.ItemDataRole.UserRole)
    assert index > 0, name
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_starts_with_a_lit_coloured_surface_and_a_map(window, qtbot):
    s = window.session
    assert s.preset == presets.DEFAULT.name
    assert window.stack.currentWidget() is window.splitter
    surface = window.surface_view.adapters["surface"].item
    n = s.resolution
    assert surface.face_count == 2 * (n - 1) ** 2
    # normals come from the gradient: (−f_x, −f_y, 1), carried into the cube's frame
    surf = s.surface()
    i, j = 40, 90
    g = s.function.gradient(surf.xs[i], surf.ys[j])
    scale, _ = window.surface_view.cube_map()
    expected = np.array([-g[0], -g[1], 1.0]) / scale
    expected /= np.linalg.norm(expected)
    np.testing.assert_allclose(surface.normals.reshape(n, n, 3)[i, j], expected, rtol=1e-5)
    vertex = window.surface_view.from_cube(surface.vertexes.reshape(n, n, 3)[i, j])
    np.testing.assert_allclose(vertex, [surf.xs[i], surf.ys[j], surf.z[i, j]], rtol=1e-5, atol=1e-6)
    img = gl_pixels(window.surface_view, qtbot)
    background = near(img, style.BACKGROUND, 6)
    colourful = int((img.max(axis=-1).astype(int) - img.min(axis=-1) > 60).sum())
    assert colourful > 0.05 * img.shape[0] * img.shape[1]
    assert background > 0.2 * img.shape[0] * img.shape[1]
    # lit: the surface shows many shades, not a flat fill
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 2000
    # the selected point shows on the surface (it sits at the surface's own depth)
    marker = window.surface_view.adapters["point"].item
    marker.setVisible(False)
    without = gl_pixels(window.surface_view, qtbot)
    marker.setVisible(True)
    assert int(np.any(gl_pixels(window.surface_view, qtbot) != without, axis=-1).sum()) > 40
    map_img = widget_pixels(window.map_view)
    yellow = style.COLORMAP.map(1.0, mode="byte")[:3]
    assert near(map_img, yellow, 40) > 50  # the maximum of x e^(−x²−y²) is yellow


@pytest.mark.parametrize("preset", presets.PRESETS, ids=lambda p: p.name)
def test_every_preset_loads_and_draws(window, qtbot, preset):
    choose_preset(window, preset.name)
    settle(qtbot)
    s = window.session
    assert s.preset == preset.name and s.text == preset.text
    assert s.function.variables == parse(preset.text).variables
    np.testing.assert_allclose(s.point, preset.point)
    assert window.function_panel.editor.text() == preset.text
    assert window.function_panel.note.text() == preset.note
    if s.dimension == 1:
        assert window.stack.currentWidget() is window.curve_view
        assert np.isfinite(window.curve_view.adapters["curve"].item.getData()[1]).sum() > 100
    else:
        assert window.stack.currentWidget() is window.splitter
        assert window.surface_view.adapters["surface"].item.face_count > 0
        lo, hi = s.zrange()
        assert np.isfinite(lo) and np.isfinite(hi) and lo < hi
    assert len(window.function_panel.sliders) == max(0, s.dimension - 2)


def test_chapter_examples_in_the_inspector(window, qtbot):
    choose_preset(window, "Log-sum-exp (18.4.1)")
    settle(qtbot)
    table = window.inspector.table.text()
    assert "1.082124182" in table and "1.081945622" in table
    summary = window.inspector.summary.text()
    assert "(0.333333, 0.666667)" in summary
    choose_preset(window, "x·e^(−x²−y²) and its quadratic (18.4.6)")
    info = window.session.info()
    e = math.exp(-1)
    np.testing.assert_allclose(info.hessian, [[2 * e, 0], [0, 2 * e]], atol=1e-15)
    assert "0.735759" in window.inspector.matrices.text()
    # ε edited in the panel reaches the model and the table
    type_into(qtbot, window.inspector.eps_boxes[0], "0.1")
    assert window.session.epsilon[0] == pytest.approx(0.1)
    f = window.session.function
    true = f(-1 + 0.1, 0 - 0.03)
    assert f"{true:.10g}" in window.inspector.table.text()
    # the log–log plot shows slopes 2 and 3
    xs, lin = window.inspector.lin_curve.getOriginalDataset()
    _, quad = window.inspector.quad_curve.getOriginalDataset()
    slope_l = np.polyfit(np.log10(xs[-10:]), np.log10(lin[-10:]), 1)[0]
    slope_q = np.polyfit(np.log10(xs[-10:]), np.log10(quad[-10:]), 1)[0]
    assert slope_l == pytest.approx(2, abs=0.1) and slope_q == pytest.approx(3, abs=0.1)


def test_typing_validates_live_and_keeps_the_last_good_function(window, qtbot):
    panel = window.function_panel
    editor = panel.editor
    editor.clear()
    qtbot.keyClicks(editor, "x^2 + y^2")
    qtbot.waitUntil(lambda: window.session.text == "x^2 + y^2")  # after a pause
    assert panel.error.isHidden()
    qtbot.keyClicks(editor, " + (")
    qtbot.waitUntil(lambda: not panel.error.isHidden())
    assert window.session.text == "x^2 + y^2"  # unchanged
    assert "ends too early" in panel.error.text() and "column 14" in panel.error.text()
    assert "border" in editor.styleSheet()
    qtbot.keyClicks(editor, "x*y)")
    qtbot.waitUntil(lambda: window.session.text == "x^2 + y^2 + (x*y)")
    assert panel.error.isHidden()
    assert window.session.function(1.0, 2.0) == 7.0


def test_click_and_drag_on_the_map_select_the_point(window, qtbot):
    view = window.map_view
    pos = map_to_widget(view, 0.5, -0.75)
    qtbot.mouseClick(view.viewport(), LEFT, pos=pos)
    settle(qtbot)
    px = 4.0 / view.width() * 3  # a few pixels of the plotted span
    np.testing.assert_allclose(window.session.point, [0.5, -0.75], atol=px)
    # drag: press, move with the button held, release
    start, end = map_to_widget(view, -1.0, 1.0), map_to_widget(view, 1.0, 0.5)
    vp = view.viewport()
    QTest.mousePress(vp, LEFT, pos=start)
    for t in np.linspace(0, 1, 8):
        p = QtCore.QPointF(
            start.x() + t * (end.x() - start.x()), start.y() + t * (end.y() - start.y())
        )
        ev = QtGui.QMouseEvent(
            QtCore.QEvent.Type.MouseMove,
            p,
            vp.mapToGlobal(p),
            LEFT,
            LEFT,
            QtCore.Qt.KeyboardModifier.NoModifier,
        )
        QtWidgets.QApplication.sendEvent(vp, ev)
        qtbot.wait(15)  # pyqtgraph drops moves above its 100 Hz rate limit
    QTest.mouseRelease(vp, LEFT, pos=end)
    settle(qtbot)
    np.testing.assert_allclose(window.session.point, [1.0, 0.5], atol=px)
    # both views show the same point
    a = window.surface_view.from_cube(window.surface_view.adapters["point"].item.pos)
    np.testing.assert_allclose(a[0, :2], window.session.point, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(
        np.ravel(window.map_view.adapters["point"].item.getData()), window.session.point
    )


def project(view, x, y, z) -> QtCore.QPointF:
    """Widget position of a data point in the 3D view."""
    vp = view.getViewport()
    m = view.projectionMatrix(vp, vp) * view.viewMatrix()
    p = m.map(QtGui.QVector4D(*view.to_cube([x, y, z]), 1.0))
    return QtCore.QPointF((p.x() / p.w() + 1) / 2 * vp[2], (1 - p.y() / p.w()) / 2 * vp[3])


def test_click_on_the_surface_casts_a_ray(window, qtbot):
    view = window.surface_view
    f = window.session.function
    for x, y in ((0.6, -0.8), (-1.0, 1.0)):  # on slopes facing the default camera
        pos = project(view, x, y, f(x, y)).toPoint()
        qtbot.mouseClick(view, LEFT, pos=pos)
        settle(qtbot)
        px, py = window.session.point
        np.testing.assert_allclose([px, py], [x, y], atol=0.05)
        # the selected surface point is the one under the clicked pixel
        back = project(view, px, py, f(px, py))
        assert abs(back.x() - pos.x()) < 0.5 and abs(back.y() - pos.y()) < 0.5
    # the background misses the surface: nothing changes
    before = window.session.point.copy()
    qtbot.mouseClick(view, LEFT, pos=QtCore.QPoint(5, 5))
    np.testing.assert_array_equal(window.session.point, before)
    # a drag rotates the camera and does not select
    az = view.opts["azimuth"]
    QTest.mousePress(view, LEFT, pos=QtCore.QPoint(200, 200))
    ev = QtGui.QMouseEvent(
        QtCore.QEvent.Type.MouseMove,
        QtCore.QPointF(260, 210),
        view.mapToGlobal(QtCore.QPointF(260, 210)),
        LEFT,
        LEFT,
        QtCore.Qt.KeyboardModifier.NoModifier,
    )
    QtWidgets.QApplication.sendEvent(view, ev)
    QTest.mouseRelease(view, LEFT, pos=QtCore.QPoint(260, 210))
    assert view.opts["azimuth"] != az
    np.testing.assert_array_equal(window.session.point, before)


def test_keyboard_moves_the_point(window, qtbot):
    s = window.session
    before = s.point.copy()
    window.map_view.setFocus()
    qtbot.keyClick(window.map_view, QtCore.Qt.Key.Key_Right)
    assert s.point[0] == pytest.approx(before[0] + 0.04)
    qtbot.keyClick(window.surface_view, QtCore.Qt.Key.Key_Up)
    assert s.point[1] == pytest.approx(before[1] + 0.04)
    qtbot.keyClick(
        window.map_view, QtCore.Qt.Key.Key_Left, QtCore.Qt.KeyboardModifier.ShiftModifier
    )
    assert s.point[0] == pytest.approx(before[0] + 0.04 - 0.004)


def test_four_variables_show_a_slice_with_sliders(window, qtbot):
    choose_preset(window, "Chain of Fig. 18.4.1 (18.4.4–5)")
    settle(qtbot)
    panel = window.function_panel
    s = window.session
    assert set(panel.sliders) == {2, 3}
    assert "1024" in window.inspector.summary.text()
    assert "-4096" in window.inspector.summary.text()
    z_before = s.surface().z.copy()
    slider, label = panel.sliders[3]
    slider.setValue(750)  # z = -2 + 4 * 0.75
    assert s.point[3] == pytest.approx(1.0)
    slider.setValue(900)
    assert s.point[3] == pytest.approx(1.6)
    assert not np.allclose(s.surface().z, z_before)
    assert label.text() == "1.6"
    # plot (w, z) instead: y and x get the sliders
    panel.axis_boxes[1].setCurrentIndex(3)
    panel.axis_boxes[1].activated.emit(3)
    assert s.axes == (0, 3)
    assert set(panel.sliders) == {1, 2}
    a, b = s.axes
    assert window.map_view.getAxis("left").labelText == "z"
    # critical points of the plotted slice, embedded in the full space
    assert s.set_text("(w - 1)^2 - x^2 + y*z + z^2") is None
    s.set_axes(0, 3)
    window.actions_by_name["critical"].setChecked(True)
    found = s.critical()
    assert [c.kind for c in found] == ["minimum"]
    np.testing.assert_allclose(found[0].point[[0, 3]], [1.0, -s.point[2] / 2], atol=1e-9)
    for c in found:
        np.testing.assert_allclose(c.point[[1, 2]], s.point[[1, 2]])
        assert np.linalg.norm(s.function.gradient(*c.point)[[a, b]]) < 1e-6
    assert len(window.map_view.adapters["critical"].item.data) == len(found)


def test_undefined_regions_are_holes_and_poles_are_clipped(window, qtbot):
    panel = window.function_panel
    assert panel.session.set_text("log(x*y)") is None
    settle(qtbot)
    s = window.session
    surf = s.surface()
    assert surf.undefined and np.isnan(surf.z).mean() == pytest.approx(0.5, abs=0.02)
    item = window.surface_view.adapters["surface"].item
    full = 2 * (s.resolution - 1) ** 2
    assert 0.4 * full < item.face_count < 0.55 * full
    assert np.all(np.isfinite(item.vertexes))
    assert "undefined" in panel.clip_note.text()
    assert s.set_text("1/(x^2 + y^2)") is None
    settle(qtbot)
    assert s.clipped()
    assert "cut off" in panel.clip_note.text() and panel.clip_note.isVisible()
    lo, hi = s.zrange()
    assert hi < 1000  # the pole does not flatten the picture


def test_domain_resolution_and_zrange_controls(window, qtbot):
    panel = window.function_panel
    s = window.session
    _, lo, hi = panel.domain_rows[0]
    type_into(qtbot, lo, "-1")
    assert s.domain[0] == (-1.0, 2.0)
    assert s.surface().xs[0] == -1.0
    type_into(qtbot, hi, "-3")  # invalid: refused with a message, state kept
    assert s.domain[0] == (-1.0, 2.0)
    assert "lower bound" in panel.clip_note.text()
    index = panel.resolution.findData(201)
    panel.resolution.setCurrentIndex(index)
    panel.resolution.activated.emit(index)
    assert s.resolution == 201 and s.surface().z.shape == (201, 201)
    assert window.surface_view.adapters["surface"].item.face_count == 2 * 200 * 200
    panel.z_auto.setChecked(False)
    type_into(qtbot, panel.z_lo, "-0.2")
    type_into(qtbot, panel.z_hi, "0.3")
    assert s.zrange() == (-0.2, 0.3)
    assert s.clipped()
    panel.z_auto.setChecked(True)
    assert s.zrange_fixed is None


def test_resize_keeps_drawing(window, qtbot):
    window.resize(900, 600)
    settle(qtbot, 80)
    img = gl_pixels(window.surface_view, qtbot)
    assert img.shape[0] == window.surface_view.height()
    assert int((img.max(axis=-1).astype(int) - img.min(axis=-1) > 60).sum()) > 1000


@pytest.mark.parametrize(
    "text",
    [
        "exp(1000*x^2 + y)",
        "1e300*x*y",
        "x/0",
        "0*x + 0*y",
        "sqrt(-1 - x^2 - y^2)",
        "sign(x*y)",
        "relu(x - y)",
        "tan(10x)*y",
        "log(0*x)",
    ],
)
def test_extreme_functions_draw_without_errors(window, qtbot, text):
    """Overflowing, undefined, constant and flat functions with every overlay on:
    no warning or exception anywhere (warnings are errors here), and the
    float32 GL buffers hold only finite numbers."""
    s = window.session
    for name in s.overlays:
        s.set_overlay(name, True)
    assert s.set_text(text) is None
    s.nudge(1, 1)
    widget_pixels(window.curve_view if s.dimension == 1 else window.map_view)  # paints
    if s.dimension == 2:
        gl_pixels(window.surface_view, qtbot)  # paints
        item = window.surface_view.adapters["surface"].item
        assert item.face_count == expected_faces(s)
        assert np.all(np.isfinite(item.vertexes)) and np.all(np.isfinite(item.normals))
    if s.critical().continuum:
        assert "not isolated" in window.statusBar().currentMessage()
