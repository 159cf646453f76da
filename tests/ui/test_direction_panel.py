"""The steepest-descent dial (18.4.2): the slope in each direction, least along
−∇f. Hand computation: f = x² + 3y at (1, 0) has ∇f = (2, 3), |∇f| = √13."""

import numpy as np

from explorer.ui import style

from .conftest import settle, widget_pixels
from .test_map import mask, to_data


def _panel(window, qtbot):
    window.docks["directions"].raise_()
    window.session.set_text("x^2 + 3y")
    window.session.set_point([1.0, 0.0])
    settle(qtbot)
    return window.direction_panel


def test_the_slope_is_least_along_minus_the_gradient(window, qtbot):
    panel = _panel(window, qtbot)
    xs, ys = panel.curve.getData()
    np.testing.assert_allclose(ys, 2 * np.cos(np.radians(xs)) + 3 * np.sin(np.radians(xs)))
    steepest = np.degrees(np.arctan2(-3.0, -2.0)) % 360  # 236.3°
    assert abs(xs[np.argmin(ys)] - steepest) <= 1.0
    assert abs(panel.descent_line.value() - steepest) < 1e-9
    panel.steepest.click()
    settle(qtbot)
    assert abs(np.degrees(window.session.direction) - steepest) < 1e-9
    ((_, d),) = zip(*panel.current.getData(), strict=True)
    assert abs(d + np.sqrt(13)) < 1e-12  # −|∇f|
    assert "−3.606" in panel.readout.text()


def test_turning_the_dial_turns_v(window, qtbot):
    panel = _panel(window, qtbot)
    panel.dial.setValue(180)  # the knob at twelve o'clock: v = (0, 1), D_v f = ∂f/∂y = 3
    settle(qtbot)
    assert abs(window.session.direction - np.pi / 2) < 1e-12
    assert panel.current.getData()[1][0] == 3.0
    assert panel.angle.value() == 90.0
    panel.angle.setValue(180.0)  # v = (−1, 0): −∂f/∂x = −2
    assert abs(window.session.slopes().value + 2) < 1e-12
    assert panel.dial.value() == 90  # the knob at nine o'clock


def test_no_slope_where_f_is_not_differentiable(window, qtbot):
    panel = _panel(window, qtbot)
    window.session.set_text("abs(x) + y")
    window.session.set_point([0.0, 0.5])
    settle(qtbot)
    assert "not differentiable" in panel.readout.text()
    assert not panel.steepest.isEnabled()


def test_v_is_drawn_on_the_map_where_the_dial_points(window, qtbot):
    panel = _panel(window, qtbot)
    view = window.map_view
    window.session.set_direction(np.pi / 2)  # straight up the y axis
    panel.on_map.setChecked(True)  # the panel's switch is the registry's overlay
    assert window.session.overlays["direction"]
    settle(qtbot)
    img = widget_pixels(view)
    rows, cols = np.nonzero(mask(img, style.DIRECTION, 30))
    assert len(rows) > 20
    pts = to_data(view, cols, rows) - np.array([1.0, 0.0])
    assert np.median(pts[:, 1]) > 0.1 and np.median(np.abs(pts[:, 0])) < 0.05
    panel.on_map.setChecked(False)
    settle(qtbot)
    assert not mask(widget_pixels(view), style.DIRECTION, 30).any()


def test_the_hidden_dial_shows_the_current_point_when_its_tab_is_raised(window, qtbot):
    """The dial computes nothing while its tab is behind another (a point drag does
    not pay for it), and shows the point and function of now when raised again."""
    panel = _panel(window, qtbot)
    window.docks["inspector"].raise_()
    settle(qtbot)
    assert not panel.shown
    before = panel.current.getData()[1].copy()
    window.session.set_text("x^2 - 5y")  # ∇f = (2x, −5)
    window.session.set_point([1.5, 0.0])  # ∇f = (3, −5)
    window.session.set_direction(0.0)  # v = (1, 0): D_v f = 3
    settle(qtbot)
    assert np.array_equal(panel.current.getData()[1], before)  # untouched while hidden
    window.docks["directions"].raise_()
    settle(qtbot)
    assert panel.current.getData()[1][0] == 3.0
    xs, ys = panel.curve.getData()
    np.testing.assert_allclose(ys, 3 * np.cos(np.radians(xs)) - 5 * np.sin(np.radians(xs)))
    assert "−5.831" in panel.readout.text()  # −|∇f| = −√34
