"""The curve of a function of one variable: its tangent line and parabola, its
critical points by kind, and no line drawn across a pole or a jump."""

import numpy as np
import pytest
from PyQt6 import QtCore

from explorer.engine import parse
from explorer.session import geometry
from explorer.ui import style

from .conftest import map_to_widget, settle, widget_pixels

LEFT = QtCore.Qt.MouseButton.LeftButton


def f(x):
    return 3 * x**4 - 4 * x**3 - 12 * x**2


def df(x):
    return 12 * x**3 - 12 * x**2 - 24 * x


def d2f(x):
    return 36 * x**2 - 24 * x - 24


def test_tangent_parabola_and_critical_points(window, qtbot):
    s = window.session
    assert s.set_text("3x^4 - 4x^3 - 12x^2") is None
    s.set_domain(0, -2.0, 3.0)
    s.set_point([0.7])
    settle(qtbot)
    view = window.curve_view
    assert window.stack.currentWidget() is view
    window.actions_by_name["quadratic"].setChecked(True)
    x0 = 0.7
    xs, lin = view.adapters["tangent"].item.getData()
    np.testing.assert_allclose(lin, f(x0) + df(x0) * (xs - x0), rtol=1e-12)
    xs, quad = view.adapters["quadratic"].item.getData()
    np.testing.assert_allclose(
        quad, f(x0) + df(x0) * (xs - x0) + 0.5 * d2f(x0) * (xs - x0) ** 2, rtol=1e-12
    )
    qtbot.mouseClick(view.viewport(), LEFT, pos=map_to_widget(view, 2.0, f(2.0)))
    assert s.point[0] == pytest.approx(2.0, abs=0.03)
    # f' = 12x(x − 2)(x + 1): minima at −1 and 2 (f'' > 0), a maximum at 0
    s.set_point([2.9])
    window.actions_by_name["critical"].setChecked(True)
    settle(qtbot)
    img = widget_pixels(view)
    for x, kind in ((-1.0, "minimum"), (0.0, "maximum"), (2.0, "minimum")):
        p = map_to_widget(view, x, f(x))
        got = img[p.y() - 2, p.x() + 1].astype(int)  # inside the symbol, off the grid lines
        assert np.abs(got - np.array(style.CRITICAL[kind])).max() <= 30, (x, kind, got)


def test_a_click_on_a_critical_marker_selects_that_critical_point(window, qtbot):
    """f' = 12x(x − 2)(x + 1): a click 3 px off the marker at x = 2 lands on 2
    exactly (not 0.01 away, where the pixel is), like the Critical table's row."""
    s = window.session
    assert s.set_text("3x^4 - 4x^3 - 12x^2") is None
    s.set_domain(0, -2.0, 3.0)
    s.set_point([0.7])
    window.actions_by_name["critical"].setChecked(True)
    settle(qtbot)
    view = window.curve_view
    for x in (2.0, 0.0, -1.0):
        pos = map_to_widget(view, x, f(x)) + QtCore.QPoint(3, -2)
        qtbot.mouseClick(view.viewport(), LEFT, pos=pos)
        assert abs(s.point[0] - x) < 1e-9, (x, s.point)
    # away from the markers a click still selects the x under the mouse
    qtbot.mouseClick(view.viewport(), LEFT, pos=map_to_widget(view, 1.0, f(1.0)))
    assert s.point[0] == pytest.approx(1.0, abs=0.03)


def segments_cross(xs, ys, poles) -> list[float]:
    """The poles that some drawn segment (two neighbouring finite points) spans."""
    a, b = xs[:-1], xs[1:]
    drawn = np.isfinite(ys[:-1]) & np.isfinite(ys[1:]) & np.isfinite(a) & np.isfinite(b)
    return [p for p in poles if np.any(drawn & (a < p) & (p < b))]


@pytest.mark.parametrize(
    "text, box, poles",
    [
        ("1/x", (-2.0, 2.0), [0.0]),
        ("tan(x)", (-5.0, 5.0), [-3 * np.pi / 2, -np.pi / 2, np.pi / 2, 3 * np.pi / 2]),
        ("1/(x^2 - 1)", (-2.0, 2.0), [-1.0, 1.0]),
        ("sign(x) + x", (-2.0, 2.0), [0.0]),  # a jump, not a pole
    ],
)
def test_the_curve_is_not_joined_across_poles_or_jumps(window, qtbot, text, box, poles):
    s = window.session
    assert s.set_text(text) is None
    s.set_domain(0, *box)
    settle(qtbot)
    xs, ys = window.curve_view.adapters["curve"].item.getData()
    assert segments_cross(xs, ys, poles) == []
    # broken there and nowhere else: one piece more than poles
    pieces = np.split(np.arange(len(xs)), np.flatnonzero(~np.isfinite(ys)))
    assert sum(1 for p in pieces if np.isfinite(ys[p]).sum() > 1) == len(poles) + 1


@pytest.mark.parametrize("text", ["tanh(40x)", "x^3", "sqrt(abs(x))", "exp(8x)", "sin(30x)"])
def test_steep_continuous_curves_stay_joined(text):
    c = geometry.curve(parse(text), np.zeros(1), (-2.0, 2.0), 151)
    assert np.isfinite(c.ys).all()


def test_zooming_samples_the_visible_part_again(window, qtbot):
    s = window.session
    assert s.set_text("sin(50x)") is None
    s.set_domain(0, -2.0, 2.0)
    settle(qtbot)
    view = window.curve_view
    view.getViewBox().setRange(xRange=(0.1, 0.2), padding=0)
    qtbot.waitUntil(lambda: view.region is not None and view.region[0][1] - view.region[0][0] < 0.2)
    xs, ys = view.adapters["curve"].item.getData()
    seen = (xs > 0.1) & (xs < 0.2)
    assert seen.sum() >= 300  # the domain's 400 samples would leave 10 here
    np.testing.assert_allclose(ys[seen], np.sin(50 * xs[seen]), atol=1e-12)
    view.getViewBox().autoRange()  # "View All": the domain again
    qtbot.waitUntil(lambda: view.region[0][0] < -2.0 and view.region[0][1] > 2.0)


def test_a_jump_is_broken_when_a_bisection_lands_on_it():
    # 400 samples 1 apart about 0: the first midpoint is 0 itself, where sign(0) = 0
    xs = np.linspace(-199.5, 199.5, 400)
    assert 0.5 * (xs[199] + xs[200]) == 0.0
    c = geometry.curve(parse("sign(x) + 0.001x"), np.zeros(1), (-199.5, 199.5), 151)
    assert np.isnan(c.ys).sum() == 1
