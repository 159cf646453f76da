"""Where each stop reason begins, for a single run and a batch alike: the bounds
themselves (|∇f| = tol counts as converged, |x| and |f| = 1e12 are still
progress) and steps built to land exactly on them. The landing points are
worked by hand; every number below is exact in float64."""

import numpy as np
import pytest

from explorer.calculus import BatchRun, optimizer
from explorer.engine import parse

SINGLE_AND_BATCH = ["gd", "newton"]


def _both(name, text, start, **params):
    """The single run and the batch of one start, both run to their stop."""
    f = parse(text)
    single = optimizer(name, f, start, **params)
    single.run()
    batch = BatchRun(name, f, np.array([start]), **params)
    batch.run()
    return single, batch


@pytest.mark.parametrize("name", SINGLE_AND_BATCH)
def test_a_start_whose_gradient_is_the_tolerance_has_converged(name):
    # ∇(1e-8·x + y²) = (1e-8, 0) at the origin
    single, batch = _both(name, "1e-8*x + y^2", (0.0, 0.0), tol=1e-8)
    assert (single.stop_reason, single.steps) == ("converged", 0)
    assert (batch.stop_reasons[0], batch.steps[0]) == ("converged", 0)
    below = optimizer(name, parse("1e-8*x + y^2"), (0.0, 0.0), tol=0.99e-8)
    assert below.stop_reason is None


@pytest.mark.parametrize("name", SINGLE_AND_BATCH)
def test_a_step_landing_on_the_tolerance_has_converged(name):
    # f = (x² + y²)/2, ∇f = x, H = I: gradient descent and Newton alike take
    # (2e-8, 0) to (1e-8, 0) with η = 1/2, where |∇f| is the tolerance
    single, batch = _both(name, "(x^2 + y^2)/2", (2e-8, 0.0), lr=0.5, tol=1e-8)
    assert (single.stop_reason, single.steps) == ("converged", 1)
    np.testing.assert_array_equal(single.x, [1e-8, 0.0])
    assert (batch.stop_reasons[0], batch.steps[0]) == ("converged", 1)
    np.testing.assert_array_equal(batch.x[0], [1e-8, 0.0])


@pytest.mark.parametrize("name", SINGLE_AND_BATCH)
def test_a_point_at_distance_1e12_is_still_progress(name):
    # f = (x − 1e12)² + y²: one step with η = 1/2 (gd) or 1 (Newton) lands on
    # the minimum (1e12, 0), at the bound of divergence but not past it
    lr = 0.5 if name == "gd" else 1.0
    single, batch = _both(name, "(x - 1e12)^2 + y^2", (0.0, 0.0), lr=lr)
    assert (single.stop_reason, single.steps) == ("converged", 1)
    assert (batch.stop_reasons[0], batch.steps[0]) == ("converged", 1)
    np.testing.assert_array_equal(batch.x[0], [1e12, 0.0])


@pytest.mark.parametrize("name", SINGLE_AND_BATCH)
def test_a_value_of_1e12_is_still_a_value(name):
    # f = (x − 1)² + y² + 1e12 from (3, 0): one step lands on (1, 0), f = 1e12
    lr = 0.5 if name == "gd" else 1.0
    single, batch = _both(name, "(x - 1)^2 + y^2 + 1e12", (3.0, 0.0), lr=lr)
    assert (single.stop_reason, single.steps) == ("converged", 1)
    assert single.values[-1] == 1e12
    assert (batch.stop_reasons[0], batch.steps[0]) == ("converged", 1)


def test_a_refused_step_to_a_value_of_1e12_left_the_domain():
    # √x + y² + 1e12 from (1, 0), η = 2: the step lands on x = 0, where f = 1e12
    # but ∂f/∂x is infinite: the domain's edge, not divergence
    single, batch = _both("gd", "sqrt(x) + y^2 + 1e12", (1.0, 0.0), lr=2.0)
    assert (single.stop_reason, single.steps) == ("left domain", 0)
    assert (batch.stop_reasons[0], batch.steps[0]) == ("left domain", 0)
    np.testing.assert_array_equal(batch.x[0], [1.0, 0.0])


def test_a_step_that_overflows_is_divergence_without_a_warning():
    # ∇(1e307·x²) = 2e307 at x = 1: η = 10 overflows x to −inf
    f = parse("1e307*x^2 + y^2")
    single = optimizer("gd", f, (1.0, 0.0), lr=10.0)
    batch = BatchRun("gd", f, np.array([[1.0, 0.0]]), lr=10.0)
    single.run()
    batch.run()  # pytest turns a numpy warning into an error
    assert (single.stop_reason, single.steps) == ("diverged", 0)
    assert (batch.stop_reasons[0], batch.steps[0]) == ("diverged", 0)
    np.testing.assert_array_equal(batch.x[0], [1.0, 0.0])


def test_a_batch_point_that_stands_still_stalls_at_once():
    # 1e-20·(x + y + z) from (1, 2, 3) with η = 0.1: a step of 1e-21 moves no
    # coordinate; the run must stall there, not go on to the step limit
    f = parse("1e-20*(x + y + z)")
    start = (1.0, 2.0, 3.0)
    single = optimizer("gd", f, start, lr=0.1, tol=0.0, max_steps=50)
    single.run()
    batch = BatchRun("gd", f, np.array([start, (4.0, 5.0, 6.0)]), lr=0.1, tol=0.0, max_steps=50)
    batch.run()
    assert (single.stop_reason, single.steps) == ("stalled", 1)
    assert list(batch.stop_reasons) == ["stalled", "stalled"]
    assert list(batch.steps) == [1, 1]
