"""Nothing the views draw outlives what it was drawn from. The speed work keeps
results between actions (the point's derivatives, the critical points, the
surface's arrays, hidden panels, unchanged axis labels, the seeds' derivatives):
each test changes what they depend on and checks the views against hand
computations of the new state, so a stale cache fails here."""

import numpy as np

from .conftest import settle


def all_on(window) -> None:
    for name in window.session.overlays:
        window.session.set_overlay(name, True)


def test_a_function_switch_then_a_point_move_shows_the_new_function(window, qtbot):
    s, view, surface = window.session, window.map_view, window.surface_view
    all_on(window)
    s.set_point([0.3, -0.2])  # everything drawn once for the default function
    settle(qtbot)
    assert s.set_text("(x - 1)^2 - 2(y + 0.5)^2") is None  # one saddle, at (1, −0.5)
    s.set_point([0.5, 0.25])
    settle(qtbot)
    # f = 0.25 − 1.125 = −0.875, ∇f = (2(x − 1), −4(y + 0.5)) = (−1, −3)
    assert s.info().value == -0.875
    assert np.array_equal(s.info().gradient, [-1.0, -3.0])
    assert "<b>f</b> = -0.875" in window.inspector.summary.text()
    # the critical points of the new function, in both views
    (saddle,) = s.critical()
    assert saddle.kind == "saddle"
    np.testing.assert_allclose(saddle.point, [1.0, -0.5], atol=1e-12)
    xs, ys = view.adapters["critical"].item.getData()
    np.testing.assert_allclose([xs[0], ys[0]], [1.0, -0.5], atol=1e-12)
    assert len(xs) == 1
    (shown,) = surface.adapters["critical"].shown
    assert shown is saddle
    # the 3D point at the new value, the map's arrow along the new gradient
    np.testing.assert_allclose(
        surface.from_cube(surface.adapters["point"].item.pos)[0], [0.5, 0.25, -0.875], atol=1e-5
    )
    ax, ay = view.adapters["gradient"].item.getData()
    d = np.array([ax[1] - ax[0], ay[1] - ay[0]])
    np.testing.assert_allclose(d / np.linalg.norm(d), np.array([-1.0, -3.0]) / np.sqrt(10))
    start, end = surface.from_cube(surface.adapters["gradient"].ends)
    np.testing.assert_allclose(start, [0.5, 0.25, -0.875], atol=1e-5)
    rise = np.dot([-1.0, -3.0], (end - start)[:2])  # along the tangent plane
    np.testing.assert_allclose(end[2] - start[2], rise, atol=1e-5)
    # the tangent plane of the new function at the new point
    v = surface.from_cube(surface.adapters["tangent"].front.vertexes)
    np.testing.assert_allclose(v[:, 2], -0.875 - (v[:, 0] - 0.5) - 3 * (v[:, 1] - 0.25), atol=1e-5)


def test_an_overlay_switched_on_after_the_point_moved_shows_the_current_point(window, qtbot):
    s, view, surface = window.session, window.map_view, window.surface_view
    assert s.set_text("x^2 + 3y") is None
    for name in ("tangent", "gradient", "eigen", "sections", "quadratic"):
        s.set_overlay(name, False)
    settle(qtbot)
    for p in ([0.2, 0.1], [-1.0, 0.5], [1.5, -1.25]):  # moves while they are off
        s.set_point(p)
    settle(qtbot)
    for name in ("tangent", "gradient", "eigen", "sections", "quadratic"):
        s.set_overlay(name, True)
    settle(qtbot)
    # at (1.5, −1.25): f = 2.25 − 3.75 = −1.5, ∇f = (3, 3), H = diag(2, 0)
    v = surface.from_cube(surface.adapters["tangent"].front.vertexes)
    np.testing.assert_allclose(
        v[:, 2], -1.5 + 3 * (v[:, 0] - 1.5) + 3 * (v[:, 1] + 1.25), atol=1e-5
    )
    assert v[:, 0].min() < 1.5 < v[:, 0].max()
    start, _ = surface.from_cube(surface.adapters["gradient"].ends)
    np.testing.assert_allclose(start, [1.5, -1.25, -1.5], atol=1e-5)
    ax, ay = view.adapters["gradient"].item.getData()
    np.testing.assert_allclose([ax[0], ay[0]], [1.5, -1.25])
    ex, ey = view.adapters["eigen"].lines[0].getData()
    np.testing.assert_allclose(0.5 * (ex[0] + ex[1]), 1.5)  # centred on the point
    np.testing.assert_allclose(0.5 * (ey[0] + ey[1]), -1.25)
    q = surface.from_cube(surface.adapters["quadratic"].mesh.vertexes)
    np.testing.assert_allclose(
        q[:, 2], -1.5 + 3 * (q[:, 0] - 1.5) + 3 * (q[:, 1] + 1.25) + (q[:, 0] - 1.5) ** 2, atol=1e-3
    )


def test_the_maps_axis_labels_follow_the_variables(window, qtbot):
    view, s = window.map_view, window.session
    labels = lambda: [view.getAxis(side).labelText for side in ("bottom", "left")]  # noqa: E731
    assert s.set_text("u*v + u") is None
    settle(qtbot)
    assert labels() == ["u", "v"]
    assert s.set_text("x^2 + y") is None
    settle(qtbot)
    assert labels() == ["x", "y"]


def test_a_surface_without_cut_edges_shows_each_functions_own_heights(window, qtbot):
    """The surface mesh shares the surface's arrays when no edge needs cleaning:
    after a switch the GL surface holds the new function's heights and normals."""
    s, surface = window.session, window.surface_view
    item = surface.adapters["surface"].item
    for text, f, fx, fy in (
        ("x*y", lambda x, y: x * y, lambda x, y: y, lambda x, y: x),
        ("x^2 - y", lambda x, y: x**2 - y, lambda x, y: 2 * x, lambda x, y: -np.ones_like(y)),
    ):
        assert s.set_text(text) is None
        settle(qtbot)
        v = surface.from_cube(item.vertexes)
        np.testing.assert_allclose(v[:, 2], f(v[:, 0], v[:, 1]), atol=1e-5)
        scale, _ = surface.cube_map()
        n = np.stack([-fx(v[:, 0], v[:, 1]), -fy(v[:, 0], v[:, 1]), np.ones(len(v))], axis=1)
        n = n / scale
        n /= np.linalg.norm(n, axis=1, keepdims=True)
        np.testing.assert_allclose(item.normals, n, atol=1e-5)
