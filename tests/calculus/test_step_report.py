"""The step inspector (18.4.2): one gradient step's predicted and actual decrease
and the Hessian's bounds on the rate, against values worked by hand."""

import numpy as np
import pytest

from explorer.calculus.step_report import step_report
from explorer.engine import parse


def test_step_report_against_the_hand_computation():
    # f = x² + 4y² + xy at (1, −1): ∇f = (1, −7), H = [[2, 1], [1, 8]]
    f = parse("x^2 + 4y^2 + x*y")
    r = step_report(f, (1.0, -1.0), 0.1)
    g, h = np.array([1.0, -7.0]), np.array([[2.0, 1.0], [1.0, 8.0]])
    assert r.lr == 0.1
    assert r.first_order == pytest.approx(0.1 * 50)
    assert r.quadratic == pytest.approx(0.1 * 50 - 0.5 * 0.01 * g @ h @ g)
    assert r.actual == pytest.approx(r.quadratic, rel=1e-12)  # the model is exact on a quadratic
    lam_hand = [5 - np.sqrt(10), 5 + np.sqrt(10)]  # (2 + 8)/2 ∓ √(9 + 1)
    np.testing.assert_allclose([r.lambda_min, r.lambda_max], lam_hand)
    assert r.stability_limit == pytest.approx(2 / lam_hand[1])
    assert r.condition == pytest.approx(lam_hand[1] / lam_hand[0])
    saddle = step_report(parse("x^2 - y^2"), (1.0, 1.0), 0.1)
    assert np.isnan(saddle.condition) and saddle.stability_limit == pytest.approx(1.0)


def test_the_bounds_are_the_smallest_and_largest_of_three_eigenvalues():
    # H = diag(2, 4, 6); ∇f at (1, 1, 1) = (2, 4, 6), |∇f|² = 56, ∇fᵀH∇f = 8 + 64 + 216
    r = step_report(parse("x^2 + 2y^2 + 3z^2"), (1.0, 1.0, 1.0), 0.05)
    assert (r.lambda_min, r.lambda_max) == (2.0, 6.0)
    assert r.first_order == pytest.approx(0.05 * 56)
    assert r.quadratic == pytest.approx(0.05 * 56 - 0.5 * 0.05**2 * 288)
    assert r.stability_limit == pytest.approx(1 / 3) and r.condition == pytest.approx(3.0)


def test_a_step_out_of_the_domain_has_no_actual_decrease():
    # log(x) + y² at (0.5, 1): ∇f = (2, 2), H = diag(−4, 2); η = 1 lands on x = −1.5
    r = step_report(parse("log(x) + y^2"), (0.5, 1.0), 1.0)
    assert np.isnan(r.actual)
    assert r.first_order == 8.0 and r.quadratic == pytest.approx(8.0 + 0.5 * 8.0)
    assert (r.lambda_min, r.lambda_max) == (-4.0, 2.0)


@pytest.mark.parametrize("text", ["x^1.5 + y^2", "abs(x)^1.5 + y^2"])
def test_a_hessian_that_is_not_finite_has_no_eigenvalues(text):
    # at x = 0 f and ∇f are finite, ∂²f/∂x² is not: inf for x^1.5, NaN for |x|^1.5
    # (where LAPACK would answer 0 and −0)
    r = step_report(parse(text), (0.0, 1.0), 0.1)
    assert np.isnan(r.lambda_min) and np.isnan(r.lambda_max) and np.isnan(r.quadratic)
    assert r.first_order == pytest.approx(0.1 * 4) and r.actual == pytest.approx(1 - 0.8**2)
