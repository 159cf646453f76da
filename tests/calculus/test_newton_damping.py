"""Newton's damping (Levenberg–Marquardt, `newton.py`) against its rule written
out: μ tries 0, then max(10μ, 1e-4·s) with s = 1 + max|λ(H)|, until the actual
decrease reaches a tenth of the quadratic model's; below rounding
(1e-12·(1 + |f|)) a smaller gradient decides; an accepted μ shrinks tenfold,
to 0 below 1e-8·s; a Hessian within 1e-12·s of singular starts past −λ_min."""

import math

import numpy as np
import pytest

from explorer.calculus import optimizer
from explorer.calculus.newton import newton_step
from explorer.engine import parse


def _step(text, x, mu=0.0, lr=1.0):
    """One `newton_step` from the single point `x`, its f and ∇f from the engine."""
    f = parse(text)
    value, grad = f.value_and_gradient(*x)
    return newton_step(f, np.array([x]), np.array([value]), np.array([grad]), np.array([mu]), lr)


def test_mu_grows_until_the_decrease_reaches_a_tenth_of_the_model():
    # f = √(1 + x²) from x = 1: f' = 1/√2, f'' = 2^(−3/2), s = 1 + f''.
    f = lambda x: math.sqrt(1 + x * x)  # noqa: E731
    g, h = 2**-0.5, 2**-1.5
    s = 1 + h
    tried = []
    for mu in (0.0, 1e-4 * s, 1e-3 * s, 1e-2 * s, 1e-1 * s):
        dx = -g / (h + mu)
        tried.append((mu, dx, f(1.0) - f(1.0 + dx), -(g * dx + 0.5 * h * dx * dx)))
    # the pure step lands on −1 (no decrease), the next three decrease f by less
    # than a tenth of the model's prediction, the fifth passes
    assert tried[0][2] <= 0
    assert all(0 < actual < 0.1 * model for _, _, actual, model in tried[1:4])
    mu, dx, actual, model = tried[4]
    assert actual >= 0.1 * model
    run = optimizer("newton", parse("sqrt(1 + x^2)"), (1.0,))
    run.step()
    assert run.dampings == [pytest.approx(mu, rel=1e-12)]
    np.testing.assert_allclose(run.x, [1.0 + dx], rtol=1e-12)
    np.testing.assert_allclose(run.state("mu"), [0.1 * mu], rtol=1e-12)  # carried, shrunk


def test_an_accepted_mu_below_1e_8_of_the_scale_drops_to_zero():
    # x² + y²: H = 2I, s = 3; μ = 2e-7 passes (the model is exact) and shrinks to
    # 2e-8 < 3e-8: the next step is a pure Newton step
    out = _step("x^2 + y^2", (1.0, -2.0), mu=2e-7)
    assert not out.failed[0] and out.damping[0] == 2e-7 and out.mu[0] == 0.0
    np.testing.assert_allclose(out.x[0], np.array([1.0, -2.0]) * (1 - 2 / (2 + 2e-7)), rtol=1e-15)
    kept = _step("x^2 + y^2", (1.0, -2.0), mu=4e-7)  # 4e-8 ≥ 3e-8 stays
    assert kept.mu[0] == pytest.approx(4e-8, rel=1e-15)


def test_a_hessian_within_1e_12_of_singular_is_shifted():
    # H = diag(1e-12, 2), s = 3: λ_min ≤ 1e-12·s, so μ starts at −λ_min + 1e-3·s
    out = _step("5e-13*x^2 + y^2", (1.0, 1.0))
    mu = -1e-12 + 3e-3
    assert out.damping[0] == pytest.approx(mu, rel=1e-12)
    expected = np.array([1.0, 1.0]) - np.array([1e-12, 2.0]) / (np.array([1e-12, 2.0]) + mu)
    np.testing.assert_allclose(out.x[0], expected, rtol=1e-12)


def test_below_rounding_a_smaller_gradient_accepts_a_step_f_cannot_see():
    # f = 1e6 + 1e-11·((x − 1)² + y²): f rounds to 1e6 at both (0, 0) and (1, 0);
    # the model predicts 1e-11 ≤ 1e-12·(1 + 1e6), and ∇f vanishes at (1, 0)
    # (tol = 0: with the default 1e-8 this Hessian, 2e-11·I, counts as a plateau)
    run = optimizer("newton", parse("1e6 + 1e-11*((x - 1)^2 + y^2)"), (0.0, 0.0), tol=0.0)
    assert run.run() == "converged" and run.steps == 1
    np.testing.assert_array_equal(run.x, [1.0, 0.0])
    assert run.dampings == [0.0]


def test_below_rounding_a_step_whose_gradient_grows_is_refused():
    # the same f from (2, 0) with η = 3: the full step lands on (−1, 0), where
    # |∇f| doubles, and is refused; μ = 1e-4·s then gives a short step that
    # shrinks the gradient (s = 1 + 2e-11)
    out = _step("1e6 + 1e-11*((x - 1)^2 + y^2)", (2.0, 0.0), lr=3.0)
    mu = 1e-4 * (1 + 2e-11)
    assert out.damping[0] == pytest.approx(mu, rel=1e-12)
    np.testing.assert_allclose(out.x[0], [2.0 - 3 * 2e-11 / (2e-11 + mu), 0.0], rtol=1e-15)


def test_a_trial_where_the_gradient_is_undefined_is_refused_though_f_went_down():
    # f = x² + y² + 2√(x² + y²) from (1, 0) with η = ½: ∇f = (4, 0), H = diag(2, 4),
    # so the full step lands on the cone's tip (0, 0), f = 0 but ∇f = NaN there;
    # it is refused and μ = 1e-4·s (s = 1 + 4) gives the step taken
    run = optimizer("newton", parse("x^2 + y^2 + 2*sqrt(x^2 + y^2)"), (1.0, 0.0), lr=0.5)
    assert run.step() and run.stop_reason is None
    assert run.dampings == [pytest.approx(5e-4, rel=1e-12)]
    np.testing.assert_allclose(run.x, [1.0 - 0.5 * 4 / (2 + 5e-4), 0.0], rtol=1e-12)


def test_far_out_where_the_squared_gradient_overflows_there_is_no_warning():
    # x⁴ at 1e70: ∇f = 4e210, whose square the decrease test forms; the pure
    # Newton step to 2/3 of x passes it and is then refused as divergence, being
    # past 1e12 (pytest turns a numpy warning into an error)
    run = optimizer("newton", parse("x^4"), (1e70,))
    assert not run.step() and run.stop_reason == "diverged" and run.steps == 0


def test_each_row_of_a_batch_is_judged_on_its_own():
    # x² + y² + √(x + 1): from (−0.99, 0) the first trial leaves the domain (x < −1),
    # from (1, 1) it is a pure Newton step; the second row must not wait for the first
    f = parse("x^2 + y^2 + sqrt(x + 1)")
    rows = np.array([[-0.99, 0.0], [1.0, 1.0]])
    value, grad = f.value_and_gradient(*rows.T)
    both = newton_step(f, rows, value, grad.T, np.zeros(2), 1.0)
    alone = _step("x^2 + y^2 + sqrt(x + 1)", (1.0, 1.0))
    assert both.damping[0] > 0 and both.damping[1] == 0.0
    np.testing.assert_array_equal(both.x[1], alone.x[0])
    g, h = np.array([2 + 0.5 / math.sqrt(2), 2.0]), np.array([2 - 0.25 * 2**-1.5, 2.0])
    np.testing.assert_allclose(both.x[1], [1.0, 1.0] - g / h, rtol=1e-12)


def test_an_infinite_hessian_entry_counts_as_no_curvature():
    # x^1.5 + y² at (0, 1): ∂²f/∂x² = inf is taken as 0, so H = diag(0, 2), s = 3,
    # λ_min = 0 ≤ 1e-12·s: μ starts at 1e-3·s and y moves by −2/(2 + μ)
    out = _step("x^1.5 + y^2", (0.0, 1.0))
    assert out.damping[0] == pytest.approx(3e-3, rel=1e-12)
    np.testing.assert_allclose(out.x[0], [0.0, 1.0 - 2 / (2 + 3e-3)], rtol=1e-12)
    # a given μ that brings λ_min + μ exactly to the bound 1e-12·s is still shifted
    at_bound = _step("x^1.5 + y^2", (0.0, 1.0), mu=1e-12 * 3.0)
    assert at_bound.damping[0] == pytest.approx(3e-3, rel=1e-9)


def test_an_overshooting_step_that_still_decreases_f_is_taken_undamped():
    # x² + 4y² from (1, 1) with η = 1.8: x ← x − 1.8·x lands on (−0.8, −0.8);
    # f falls from 5 to 3.2, exactly the model's prediction, above a tenth of it
    out = _step("x^2 + 4*y^2", (1.0, 1.0), lr=1.8)
    assert out.damping[0] == 0.0
    np.testing.assert_allclose(out.x[0], [-0.8, -0.8], rtol=1e-14)


def test_below_rounding_each_row_compares_its_own_gradients():
    # the rounding-level f of above, η = 3: row (2, 0) with μ = 0 overshoots and
    # its gradient doubles (refused, then μ = 1e-4·s), row (101, 0) with μ = 10 takes
    # a short step and its gradient shrinks (taken); neither sees the other's
    f = parse("1e6 + 1e-11*((x - 1)^2 + y^2)")
    rows = np.array([[2.0, 0.0], [101.0, 0.0]])
    value, grad = f.value_and_gradient(*rows.T)
    out = newton_step(f, rows, value, grad.T, np.array([0.0, 10.0]), 3.0)
    mu = 1e-4 * (1 + 2e-11)
    np.testing.assert_allclose(out.damping, [mu, 10.0], rtol=1e-12)
    np.testing.assert_allclose(
        out.x[:, 0], [2 - 3 * 2e-11 / (2e-11 + mu), 101 - 3 * 2e-9 / (10 + 2e-11)]
    )


def test_a_step_below_the_floats_resolution_is_no_step():
    # μ = 1e6 against H = 2e-30: every trial moves x by less than its last bit;
    # the same point with the same gradient is no progress, so the run stalls
    f = parse("1e-30*(x^2 + y^2)")
    run = optimizer("newton", f, (1.0, 2.0), damping=1e6, tol=0.0, max_steps=50)
    assert run.run() == "stalled" and run.steps == 0


def test_mu_growing_past_the_floats_range_gives_no_warning():
    # 1e306·sin(x) + y² at (π/2, 1): s ≈ 1e306, so sixty tenfold growths overflow μ
    out = _step("1e306*sin(x) + y^2", (math.pi / 2, 1.0))
    assert out.failed[0] and out.mu[0] == math.inf
    np.testing.assert_array_equal(out.x[0], [math.pi / 2, 1.0])
