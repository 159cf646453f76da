"""The selected run's next step on the 3D surface: the −η∇f arrow and the
method's own step (velocity, adapted rate, Newton), each checked against a
hand computation of the method, and the arrow's pixels read back on screen."""

import numpy as np
import pytest

from explorer.session.runs import COLORS, STEP_SAMPLES
from explorer.ui.gl_runs import LIFT

from .conftest import gl_pixels, near, settle
from .test_descent_panel import use
from .test_surface import patch, project_cube

BOWL = "x^2 + 3y^2"


def grad(p):
    return np.array([2 * p[0], 6 * p[1]])  # ∇(x² + 3y²) by hand


def arrows(window) -> dict:
    """kind: (start, end) in data coordinates (x, y, f), lift taken off."""
    view = window.surface_view
    found = {}
    for kind, pos in window.run_adapters[0].arrow_paths:
        ends = view.from_cube(pos[[0, -1]] - [0.0, 0.0, LIFT])
        found[kind] = ends
    return found


def start_run(window, qtbot, method, steps, **params):
    use(window, qtbot, BOWL, (-2, 2), (-1.6, 1.2))
    runs = window.runs
    runs.set_method(method)
    for name, value in params.items():
        assert runs.set_param(name, value) is None
    assert runs.add() is None
    runs.step(steps)
    settle(qtbot)
    return runs.entries[0].run


def test_the_gradient_step_arrow_points_down_the_hand_gradient(window, qtbot):
    run = start_run(window, qtbot, "gd", 2, lr=0.1)
    x = np.array([-1.6, 1.2])
    for _ in range(2):
        x = x - 0.1 * grad(x)
    np.testing.assert_allclose(run.x, x)
    found = arrows(window)
    assert set(found) == {"−η∇f"}  # plain descent has no step of its own
    start, end = found["−η∇f"]
    np.testing.assert_allclose(start, [*x, x[0] ** 2 + 3 * x[1] ** 2], atol=1e-9)
    x_next = x - 0.1 * grad(x)
    np.testing.assert_allclose(end[:2], x_next, atol=1e-9)
    assert end[2] == pytest.approx(x_next[0] ** 2 + 3 * x_next[1] ** 2, abs=1e-9)
    assert end[2] < start[2]  # downhill


def test_momentum_shows_its_velocity_step_beside_the_gradient_step(window, qtbot):
    run = start_run(window, qtbot, "momentum", 4, lr=0.08, beta=0.9)
    x, v = np.array([-1.6, 1.2]), np.zeros(2)
    for _ in range(4):  # v ← βv + ∇f;  x ← x − ηv, by hand
        v = 0.9 * v + grad(x)
        x = x - 0.08 * v
    np.testing.assert_allclose(run.x, x)
    found = arrows(window)
    assert set(found) == {"−η∇f", "velocity"}
    np.testing.assert_allclose(found["−η∇f"][1][:2], x - 0.08 * grad(x), atol=1e-9)
    velocity_step = -0.08 * (0.9 * v + grad(x))
    np.testing.assert_allclose(found["velocity"][0][:2], x, atol=1e-9)
    np.testing.assert_allclose(found["velocity"][1][:2], x + velocity_step, atol=1e-9)
    # the two really differ here: the velocity carries the run past the gradient
    assert np.linalg.norm(velocity_step - (-0.08 * grad(x))) > 0.05


def test_adagrad_shows_its_per_coordinate_adapted_step(window, qtbot):
    start_run(window, qtbot, "adagrad", 1, lr=0.5)
    x0 = np.array([-1.6, 1.2])
    s = grad(x0) ** 2
    x = x0 - 0.5 * grad(x0) / np.sqrt(s + 1e-6)
    s = s + grad(x) ** 2  # the next step's accumulator
    found = arrows(window)
    assert set(found) == {"−η∇f", "adapted step"}
    np.testing.assert_allclose(
        found["adapted step"][1][:2], x - 0.5 * grad(x) / np.sqrt(s + 1e-6), atol=1e-9
    )


def test_newton_shows_its_step_to_the_minimum_and_a_stopped_run_none(window, qtbot):
    run = start_run(window, qtbot, "newton", 0)
    found = arrows(window)
    np.testing.assert_allclose(found["Newton step"][1][:2], [0.0, 0.0], atol=1e-9)
    window.runs.step(1)
    assert run.stop_reason == "converged"
    assert window.run_adapters[0].arrow_paths == []
    shaft, head = window.run_adapters[0].arrows[0]
    assert not shaft.visible() and not head.visible()


def test_the_arrow_is_drawn_from_the_iterate_towards_its_tip(window, qtbot):
    view = window.surface_view
    for name in window.session.overlays:
        window.session.set_overlay(name, False)
    start_run(window, qtbot, "gd", 0, lr=0.2)
    view.setCameraPosition(elevation=90, azimuth=-90)  # from above: nothing hides it
    view.fit_camera()
    on = gl_pixels(view, qtbot)
    x0 = np.array([-1.6, 1.2])
    x1 = x0 - 0.2 * grad(x0)  # (−0.96, −0.24), by hand

    def screen(p):
        return project_cube(view, view.to_cube([*p, p[0] ** 2 + 3 * p[1] ** 2]) + [0, 0, LIFT])

    a, b = screen(x0), screen(x1)
    assert np.linalg.norm(b - a) > 60  # long enough on screen to tell its ends apart
    color = COLORS[0]
    coloured = {t: near(patch(on, a + t * (b - a), 4), color, 40) for t in (0.3, 0.5, 0.7, 0.88)}
    assert all(coloured.values()), coloured  # shaft and head
    assert coloured[0.88] > 1.4 * coloured[0.3], coloured  # the head, wider, at the tip
    behind = a - 0.5 * (b - a)
    assert near(patch(on, behind, 4), color, 40) == 0
    window.runs.select(-1)  # no selected run: no arrow
    settle(qtbot)
    off = gl_pixels(view, qtbot)
    assert near(patch(off, a + 0.6 * (b - a), 3), color, 40) == 0


def test_the_map_shows_the_same_two_steps(window, qtbot):
    start_run(window, qtbot, "momentum", 4, lr=0.08, beta=0.9)
    on_map = window.run_adapters[1]
    x, v = np.array([-1.6, 1.2]), np.zeros(2)
    for _ in range(4):  # by hand, as above
        v = 0.9 * v + grad(x)
        x = x - 0.08 * v
    xs, ys = on_map.step.getData()
    np.testing.assert_allclose([xs[[0, -1]], ys[[0, -1]]], np.c_[x, x - 0.08 * grad(x)])
    xs, ys = on_map.own_step.getData()
    velocity_step = -0.08 * (0.9 * v + grad(x))
    np.testing.assert_allclose([xs[[0, -1]], ys[[0, -1]]], np.c_[x, x + velocity_step])
    assert on_map.own_step.opts["pen"].color().getRgb()[:3] == COLORS[0][:3]
    window.runs.clear()
    start_run(window, qtbot, "gd", 1, lr=0.1)
    assert len(on_map.own_step.getData()[0]) == 0  # plain descent: only −η∇f
    assert len(on_map.step.getData()[0]) == STEP_SAMPLES
