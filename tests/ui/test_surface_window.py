"""The 3D view is a native window among the widgets (a QOpenGLWindow in a
window container, see gl_surface_view): the window's pictures draw it in, real
input from the X server reaches it, its depth buffer hides what lies behind the
surface, and it follows the layout when docks float, re-dock, hide and return."""

import os
import subprocess
import sys

import numpy as np
import pytest
from PyQt6 import QtCore, QtGui, QtWidgets

from explorer.ui.app import FIRST_FRAME

from .conftest import gl_pixels, pixels, settle
from .test_surface import only, patch, project
from .xinput import XK_CONTROL_L, XInput

FAR = QtCore.QPoint(1590, 990)  # a corner of the test screen no window covers


def colourful(img: np.ndarray) -> int:
    return int((img.max(axis=-1).astype(int) - img.min(axis=-1) > 60).sum())


def screen(view, x: float, y: float, z: float) -> QtCore.QPoint:
    return QtCore.QPoint(*(int(round(v)) for v in project(view, x, y, z)))


def view_box(window) -> tuple[slice, slice]:
    """Rows and columns of the window's image where the 3D view sits."""
    box = window.surface_view.container
    corner = box.mapTo(window, QtCore.QPoint())
    return (
        slice(corner.y(), corner.y() + box.height()),
        slice(corner.x(), corner.x() + box.width()),
    )


def test_window_picture_draws_the_3d_view_in_where_it_sits(window, qtbot):
    view = window.surface_view
    drawn = gl_pixels(view, qtbot)
    assert colourful(drawn) > 0.05 * drawn.shape[0] * drawn.shape[1]
    whole = pixels(window.grab_window())
    rows, cols = view_box(window)
    part = whole[rows, cols]
    assert part.shape == drawn.shape
    assert np.all(part == drawn, axis=-1).mean() > 0.99
    # beside it, the widgets as they are (the map's heat map)
    map_corner = window.map_view.mapTo(window, QtCore.QPoint())
    assert map_corner.x() >= cols.stop
    assert colourful(whole[:, map_corner.x() :]) > 10000


def test_render_command_draws_the_3d_view_into_the_window_picture(window, qtbot, tmp_path):
    window.resize(1400, 860)  # the render's size: the same layout
    settle(qtbot, 60)
    rows, cols = view_box(window)
    out = tmp_path / "window.png"
    r = subprocess.run(
        [sys.executable, "-m", "explorer", "render", "x*exp(-x^2-y^2)", "--view=window"]
        + ["--size=1400x860", f"--out={out}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    part = pixels(QtGui.QImage(str(out)))[rows, cols]
    assert colourful(part) > 0.05 * part.shape[0] * part.shape[1]
    yellow = (part[..., 0] > 200) & (part[..., 1] > 200) & (part[..., 2] < 90)
    assert yellow.sum() > 50  # the surface's peak


@pytest.fixture
def xinput(window, qtbot):
    """Real X input; the window active, the pointer parked away afterwards."""
    if not window.isActiveWindow():
        with qtbot.waitActive(window):
            window.activateWindow()
    x = XInput()
    yield x
    x.move(FAR)  # no pointer left resting on a view (tooltips) for the next test
    x.close()


def test_real_clicks_drags_wheel_and_keys_reach_the_3d_view(window, qtbot, xinput):
    s, view = window.session, window.surface_view
    f = s.function
    x, y = 0.6, -0.8  # on a slope facing the default camera
    xinput.click(view.mapToGlobal(screen(view, x, y, f(x, y))))
    qtbot.waitUntil(lambda: np.allclose(s.point, [x, y], atol=0.05))
    # the click gave it the keyboard: arrows move the point
    before = s.point.copy()
    xinput.key(0xFF52, True)  # Up
    xinput.key(0xFF52, False)
    assert s.point[1] == pytest.approx(before[1] + 0.04)
    # Ctrl+click places the next run's start (and the point) there
    a, b = -1.0, 1.0
    xinput.key(XK_CONTROL_L, True)
    xinput.click(view.mapToGlobal(screen(view, a, b, f(a, b))))
    xinput.key(XK_CONTROL_L, False)
    np.testing.assert_allclose(window.runs.placed_start, [a, b], atol=0.05)
    before = s.point.copy()
    # a drag rotates the camera and selects nothing
    azimuth = view.opts["azimuth"]
    start = view.mapToGlobal(QtCore.QPoint(200, 200))
    xinput.move(start)
    xinput.button(1, True)
    for dx in (20, 40, 60):
        xinput.move(start + QtCore.QPoint(dx, 5))
    xinput.button(1, False)
    assert view.opts["azimuth"] != azimuth
    # the wheel zooms
    distance = view.opts["distance"]
    xinput.button(4, True)
    xinput.button(4, False)
    assert view.opts["distance"] < distance
    np.testing.assert_allclose(s.point, before)


def test_resting_mouse_shows_the_views_tooltip(window, qtbot, xinput):
    box = window.surface_view.container
    xinput.move(box.mapToGlobal(QtCore.QPoint(20, 20)))
    xinput.move(box.mapToGlobal(QtCore.QPoint(24, 22)))
    qtbot.waitUntil(QtWidgets.QToolTip.isVisible, timeout=3000)
    assert QtWidgets.QToolTip.text() == box.toolTip() and "click to select" in box.toolTip()
    xinput.move(FAR)
    qtbot.waitUntil(lambda: not QtWidgets.QToolTip.isVisible(), timeout=3000)


def test_depth_buffer_lets_the_nearer_surface_win(window, qtbot):
    """A spike in front of a flat floor, the camera low behind the spike: the
    floor's far cells are drawn after the spike's, so without a depth buffer
    the purple floor paints over the spike."""
    s, view = window.session, window.surface_view
    assert s.set_text("3exp(-8((x+1)^2 + y^2))") is None
    s.set_zrange((0.0, 3.0))
    only(window)
    view.setCameraPosition(elevation=12, azimuth=180)  # from −x, looking over the spike
    view.fit_camera()
    img = gl_pixels(view, qtbot)
    greens = []
    for z in (1.0, 1.5, 2.0, 2.5):  # up the spike's near face, the floor behind it
        r = np.sqrt(-np.log(z / 3) / 8)
        greens.append(patch(img, project(view, -1.0 - 0.8 * r, 0.0, z), 1)[:, 1])
    # the spike's teal-to-yellow, not the floor's purple (green channel < 60)
    assert np.concatenate(greens).min() > 90, greens


def test_the_view_follows_docks_floating_redocking_and_hiding(window, qtbot):
    view, box = window.surface_view, window.surface_view.container
    window.resize(1400, 860)
    settle(qtbot, 60)

    def drawn_in_place() -> None:
        settle(qtbot, 60)
        assert (view.width(), view.height()) == (box.width(), box.height())
        assert view.mapToGlobal(QtCore.QPoint()) == box.mapToGlobal(QtCore.QPoint())
        rows, cols = view_box(window)
        part = pixels(window.grab_window())[rows, cols]
        assert colourful(part) > 0.04 * part.shape[0] * part.shape[1]

    wide = box.width()
    for name in ("function", "inspector"):
        dock = window.docks[name]
        dock.setFloating(True)
        settle(qtbot, 60)
        assert dock.isFloating() and dock.isVisible()
    drawn_in_place()
    assert box.width() > wide  # the views took the room
    for name in ("function", "inspector"):
        window.docks[name].setFloating(False)
    drawn_in_place()
    window.docks["function"].hide()
    drawn_in_place()
    window.docks["function"].show()
    drawn_in_place()
    assert box.width() == pytest.approx(wide, abs=2)


def test_the_app_quits_from_its_first_frame_without_a_crash(tmp_path):
    """Quitting closes the window while the 3D view may still have an expose
    queued: painting it then would use a released GL context (a segfault)."""
    env = {**os.environ, FIRST_FRAME: "1", "XDG_CONFIG_HOME": str(tmp_path)}
    r = subprocess.run(
        [sys.executable, "-m", "explorer"], env=env, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "first frame" in r.stdout
