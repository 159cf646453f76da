"""The sections panel (18.4.1): the slices through the point and their tangent
lines, whose slopes are the partial derivatives. Worked by hand: f = x² + 3xy at
(1, 2) has f = 7, ∂f/∂x = 2x + 3y = 8, ∂f/∂y = 3x = 3."""

import numpy as np

from .conftest import settle


def _panel(window, qtbot, text, point):
    window.docks["sections"].raise_()
    s = window.session
    s.set_text(text)
    s.set_domain(0, -3, 3)
    s.set_domain(1, -3, 3)
    s.set_point(point)
    settle(qtbot)
    assert window.sections_panel.shown
    return window.sections_panel


def _finite(xs, ys):
    if xs is None:  # an item with no data
        return np.empty(0), np.empty(0)
    keep = np.isfinite(xs) & np.isfinite(ys)
    return xs[keep], ys[keep]


def test_the_slices_and_their_tangents_have_the_partial_slopes(window, qtbot):
    panel = _panel(window, qtbot, "x^2 + 3x*y", [1.0, 2.0])
    xs, zs = _finite(*panel.curves[0].getData())
    np.testing.assert_allclose(zs, xs**2 + 6 * xs, atol=1e-12)  # f(x, 2)
    ys, zs = _finite(*panel.curves[1].getData())
    np.testing.assert_allclose(zs, 1 + 3 * ys, atol=1e-12)  # f(1, y)
    tx, tz = _finite(*panel.tangents[0].getData())
    assert len(tx) >= 2 and np.ptp(tx) > 0.5
    np.testing.assert_allclose(tz, 7 + 8 * (tx - 1), atol=1e-9)
    ty, tz = _finite(*panel.tangents[1].getData())
    np.testing.assert_allclose(tz, 7 + 3 * (ty - 2), atol=1e-9)
    assert "= <b>8</b>" in panel.slopes[0].text() and "= <b>3</b>" in panel.slopes[1].text()
    assert [tuple(m.getData()[1]) for m in panel.markers] == [(7.0,), (7.0,)]


def test_no_tangent_where_f_is_not_differentiable(window, qtbot):
    panel = _panel(window, qtbot, "abs(x) + y", [0.0, 1.0])
    assert all(len(_finite(*t.getData())[0]) == 0 for t in panel.tangents)
    assert "not differentiable" in panel.slopes[0].text()
    assert len(_finite(*panel.curves[0].getData())[0]) > 50  # the slice itself is drawn


def test_nothing_is_computed_while_the_tab_is_hidden(window, qtbot):
    window.docks["inspector"].raise_()
    settle(qtbot)
    window.session.set_text("x^2 + 3x*y")
    settle(qtbot)
    assert window.sections_panel._stale and not window.sections_panel.shown
