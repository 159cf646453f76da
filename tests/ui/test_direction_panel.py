"""The steepest-descent dial (18.4.2): the slope in each direction, least along
−∇f. Hand computation: f = x² + 3y at (1, 0) has ∇f = (2, 3), |∇f| = √13."""

import numpy as np

from .conftest import settle


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
