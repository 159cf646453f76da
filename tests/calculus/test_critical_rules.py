"""The critical-point search's rules, each on a function built to show it:
refusals, the second-derivative test at its bounds, snapping Newton's residue
to 0 only where f stays critical, Newton's box rule, the descent that supplies
seeds when f varies too fast, and a flag that does not depend on f's units."""

import math

import numpy as np
import pytest

from explorer.calculus import classify, critical_points
from explorer.calculus.critical import _descend, _newton
from explorer.engine import parse

SQUARE = np.array([[-1.0, 1.0], [-1.0, 1.0]])


def test_bad_boxes_are_refused_with_the_reason():
    f = parse("x^2 + y^2")
    with pytest.raises(ValueError, match=r"^the box needs 2 intervals, got 1$"):
        critical_points(f, [(-1, 1)])
    for box in ([(1, -1), (0, 1)], [(1, 1), (0, 1)], [(0, math.inf), (0, 1)]):
        with pytest.raises(ValueError, match=r"^each interval must be finite with lo < hi$"):
            critical_points(f, box)


def test_the_second_derivative_test_at_its_bounds():
    # an eigenvalue of exactly ±tol (1e-6 of the largest, at least 1e-6) is zero
    assert classify(np.array([-1e-6, 1.0])) == "degenerate"
    assert classify(np.array([1e-6, 1.0])) == "degenerate"
    assert classify(np.array([-2e-6, -1.0])) == "maximum"


def test_a_corner_has_no_gradient_norm_and_no_eigenvalues():
    (corner,) = critical_points(parse("abs(x) + abs(y)"), SQUARE).nonsmooth
    assert corner.kind == "minimum" and corner.value == 0.0
    assert np.isnan(corner.gradient_norm)
    assert np.all(np.isnan(corner.eigenvalues)) and corner.eigenvalues.shape == (2,)
    assert np.all(np.isnan(corner.eigenvectors)) and corner.eigenvectors.shape == (2, 2)


def test_the_flag_names_the_seed_count_used():
    found = critical_points(parse("sin(20x)*sin(20y)"), [(-10, 10)] * 2, seed_count=64)
    assert found.incomplete.startswith("f varies faster than 64 starting points resolve")


def test_whether_f_varies_too_fast_does_not_depend_on_its_units():
    box = [(-10, 10)] * 2
    big = critical_points(parse("sin(20x)*sin(20y)"), box)
    small = critical_points(parse("1e-6*sin(20x)*sin(20y)"), box)
    assert big.incomplete and small.incomplete.startswith(big.incomplete)


def test_newton_residue_is_snapped_to_zero_only_where_f_stays_critical():
    # the minimum (1e-10, 0) is within 1e-9 of the box of x = 0, but ∇f there is
    # 2e-10, not zero: x keeps its value while y's residue becomes exactly 0
    (found,) = critical_points(parse("(x - 1e-10)^2 + y^2"), SQUARE)
    assert found.point[0] == pytest.approx(1e-10, rel=1e-6)
    assert found.point[1] == 0.0
    # in a box 2000 wide, "within 1e-9 of the box" is within 2e-6 of 0: Newton
    # creeps to x⁴'s degenerate minimum and stops ~1e-10 short of it
    (flat,) = critical_points(parse("x^4 + y^2"), [(-1000, 1000), (-3, 3)])
    assert tuple(flat.point) == (0.0, 0.0) and flat.kind == "degenerate"


def _hand_newton(fp, fpp, x, stop):
    """Newton's iterates on f'(x) = 0 until `stop(x)` says the step left the margin."""
    for _ in range(60):
        x = x - fp(x) / fpp(x)
        if stop(x):
            break
    return x


def test_a_seed_goes_on_within_a_quarter_box_of_the_box_and_stops_past_it():
    # exp(x) − c·x + y²: the minimum x = log c lies at −1.20 for c = 0.3, inside
    # the quarter-box margin of [−1, 1] (down to −1.5): Newton converges there;
    # for c = 0.1 it lies at −2.30: the seed stops at its first step past −1.5
    box, seed = SQUARE, np.zeros((2, 1))
    x = _newton(parse("exp(x) - 0.3x + y^2"), box, seed.copy(), 60)
    assert x[0, 0] == pytest.approx(math.log(0.3), rel=1e-12) and abs(x[1, 0]) < 1e-12
    x = _newton(parse("exp(x) - 0.1x + y^2"), box, seed.copy(), 60)
    hand = _hand_newton(lambda t: math.exp(t) - 0.1, math.exp, 0.0, lambda t: t < -1.5)
    assert hand < -1.5 and x[0, 0] == pytest.approx(hand, rel=1e-12)


def test_a_single_seed_is_run_to_the_end():
    x = _newton(parse("exp(x) - 0.3x + y^2"), SQUARE, np.array([[0.5], [0.5]]), 60)
    np.testing.assert_allclose(x[:, 0], [math.log(0.3), 0.0], atol=1e-12)


def test_the_descent_walks_every_seed_down_to_the_minimum():
    # a tilted bowl whose minimum (0.3, −0.2) is no seed: each seed ends on it
    f = parse("(x - 0.3)^2 + 4(y + 0.2)^2 + 0.1x*y")
    g = lambda p: (2 * (p[0] - 0.3) + 0.1 * p[1], 8 * (p[1] + 0.2) + 0.1 * p[0])  # noqa: E731
    lo = np.linalg.solve([[2.0, 0.1], [0.1, 8.0]], [0.6, -1.6])  # ∇f = 0 by hand
    assert np.allclose(g(lo), 0.0)
    seeds = np.array([[-1.0, -0.5, 0.0, 0.9, 1.0], [1.0, -1.0, 0.7, 0.9, -0.2]])
    ends = _descend(f, SQUARE, seeds.copy())
    np.testing.assert_allclose(ends, np.repeat(lo[:, None], 5, axis=1), atol=1e-6)
