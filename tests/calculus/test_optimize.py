"""Optimizer runs: stop reasons, pausing, Newton's global convergence, batches."""

import numpy as np
import pytest

from explorer.calculus import METHODS, STOP_REASONS, BatchRun, optimizer
from explorer.calculus.methods import Method
from explorer.engine import parse

ROSENBROCK = "(1-x)^2 + 100(y-x^2)^2"
HIMMELBLAU = "(x^2+y-11)^2 + (x+y^2-7)^2"
BOOTH = "(x+2y-7)^2 + (2x+y-5)^2"
BEALE = "(1.5-x+x*y)^2 + (2.25-x+x*y^2)^2 + (2.625-x+x*y^3)^2"
STYBLINSKI_TANG = "(x^4-16x^2+5x + y^4-16y^2+5y)/2"
GOLDSTEIN_PRICE = (
    "(1+(x+y+1)^2*(19-14x+3x^2-14y+6x*y+3y^2))*(30+(2x-3y)^2*(18-32x+12x^2+48y-36x*y+27y^2))"
)
EASOM = "-cos(x)*cos(y)*exp(-((x-pi)^2+(y-pi)^2))"
HIMMELBLAU_MINIMA = [
    (3.0, 2.0),
    (-2.805118, 3.131312),
    (-3.779310, -3.283186),
    (3.584428, -1.848126),
]


@pytest.mark.parametrize("name", sorted(METHODS))
def test_every_optimizer_converges_on_a_bowl(name):
    f = parse("(x - 1)^2 + 2(y + 0.5)^2")
    params = {"adagrad": {"lr": 0.5}, "rmsprop": {"lr": 0.01}, "adam": {"lr": 0.05}}
    run = optimizer(name, f, (-2.0, 2.0), **params.get(name, {}))
    assert run.run(20_000) == "converged"
    assert run.grad_norms[-1] <= 1e-8
    np.testing.assert_allclose(run.x, [1.0, -0.5], atol=1e-6)
    assert run.trajectory.shape == (run.steps + 1, 2)
    assert len(run.values) == len(run.grad_norms) == run.steps + 1


# --- stop reasons, each told apart ----------------------------------------------


def test_converged_means_a_critical_point():
    run = optimizer("gd", parse("x^2 + y^2"), (1.0, 1.0), lr=0.25)
    assert run.run() == "converged"
    assert run.grad_norms[-1] <= run.tol
    np.testing.assert_allclose(run.x, [0, 0], atol=1e-8)


def test_a_flat_plateau_stalls_instead_of_converging():
    # Far from Easom's well the gradient underflows: |∇f| = 0 but no critical point.
    run = optimizer("gd", parse(EASOM), (10.0, 10.0))
    assert run.stop_reason == "stalled" and run.steps == 0
    assert STOP_REASONS["stalled"] == "stalled on a flat region"
    # A slope too small to move x at its magnitude stalls after one step.
    creep = optimizer("gd", parse("1e-9 x"), (1e8,), lr=0.1, tol=1e-12)
    assert creep.run(10) == "stalled" and creep.steps == 1
    # …whereas a true critical point with the same zero gradient converges.
    assert optimizer("gd", parse("x^2"), (0.0,)).stop_reason == "converged"


def test_diverging_run_stops_cleanly():
    run = optimizer("gd", parse("x^2 + y^2"), (1.0, 1.0), lr=5.0)
    assert run.run(1000) == "diverged"
    assert np.all(np.isfinite(run.trajectory)) and np.all(np.isfinite(run.values))
    assert not run.step() and run.stop_reason == "diverged"


def test_overflow_of_f_is_divergence():
    # one step from 5 lands near −7e11, where exp(x²) overflows to inf
    run = optimizer("gd", parse("exp(x^2)"), (5.0,), lr=1.0)
    assert run.run(5) == "diverged" and run.steps == 0
    assert np.all(np.isfinite(run.trajectory))


def test_leaving_the_domain_stops_cleanly():
    run = optimizer("gd", parse("x^2 + log(x)"), (1.0,), lr=1.0)
    assert run.run(10) == "left domain"
    assert run.steps == 0 and np.all(np.isfinite(run.trajectory))
    assert STOP_REASONS["left domain"] == "left the domain"


def test_step_limit_is_the_run_limit_and_pausing_is_not_stopping():
    f = parse(ROSENBROCK)
    run = optimizer("gd", f, (-1.5, 2.0), lr=1e-4, max_steps=8)
    assert run.run(5) is None and run.steps == 5  # paused
    assert run.step() and run.steps == 6  # …and it goes on
    assert run.run() == "step limit" and run.steps == 8
    assert not run.step() and run.steps == 8
    whole = optimizer("gd", f, (-1.5, 2.0), lr=1e-4, max_steps=8)
    assert whole.run() == "step limit"
    np.testing.assert_array_equal(run.trajectory, whole.trajectory)


def test_a_start_where_f_is_undefined_is_refused():
    with pytest.raises(ValueError, match="undefined at the start"):
        optimizer("gd", parse("log(x)"), (-1.0,))
    with pytest.raises(ValueError, match="undefined at the start"):
        optimizer("newton", parse("sqrt(x) + y"), (0.0, 1.0))  # f fine, ∇f infinite


def test_optimizer_rejects_bad_parameters():
    f = parse("x^2")
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimizer("sgdx", f, (1.0,))
    with pytest.raises(ValueError, match="no parameter 'beta'"):
        optimizer("gd", f, (1.0,), beta=0.9)
    with pytest.raises(ValueError, match="learning rate"):
        optimizer("gd", f, (1.0,), lr=-1)
    with pytest.raises(ValueError, match="whole number"):
        optimizer("gd", f, (1.0,), max_steps=2.5)
    with pytest.raises(ValueError, match="unknown schedule"):
        optimizer("gd", f, (1.0,), schedule="warp")
    with pytest.raises(ValueError, match="coordinates"):
        optimizer("gd", f, (1.0, 2.0))


def test_a_refusal_lists_what_may_be_chosen():
    f = parse("x^2")
    with pytest.raises(ValueError) as bad_name:
        optimizer("gd", f, (1.0,), beta=0.9)
    assert str(bad_name.value) == (
        "gd has no parameter 'beta'; it takes "
        "lr, tol, max_steps, noise, seed, decay, period, schedule"
    )
    with pytest.raises(ValueError) as bad_schedule:
        optimizer("gd", f, (1.0,), schedule="warp")
    assert str(bad_schedule.value) == (
        "unknown schedule 'warp'; choose from constant, step, sqrt, cosine"
    )
    with pytest.raises(ValueError) as bad_rate:
        optimizer("adam", f, (1.0,), lr=5e-7)
    assert str(bad_rate.value) == "learning rate η must lie in [1e-06, 10], got 5e-07"


def test_registry_entries_are_complete():
    for name, m in METHODS.items():
        assert m.name == name and m.label and m.rule
        assert m.params[0].name == "lr"
        for p in m.params:
            assert p.low <= p.default <= p.high
        assert (m.update is None) == (name == "newton")


# --- Newton -----------------------------------------------------------------------


def test_newton_lands_on_a_positive_definite_quadratic_in_one_step():
    run = optimizer("newton", parse(BOOTH), (-4.0, 6.0))
    run.step()
    assert run.steps == 1
    np.testing.assert_allclose(run.x, [1.0, 3.0], atol=1e-9, rtol=0)
    assert run.stop_reason == "converged" and not run.damped


@pytest.mark.parametrize(
    ("text", "start", "minimum", "value"),
    [
        (BEALE, (1.0, 1.0), (3.0, 0.5), 0.0),
        (HIMMELBLAU, (0.0, 0.0), (3.0, 2.0), 0.0),
        (STYBLINSKI_TANG, (0.0, 0.0), (-2.903534, -2.903534), -78.332331),
        (GOLDSTEIN_PRICE, (0.0, -0.5), (0.0, -1.0), 3.0),
        (ROSENBROCK, (-1.5, 2.0), (1.0, 1.0), 0.0),
    ],
    ids=["beale", "himmelblau", "styblinski-tang", "goldstein-price", "rosenbrock"],
)
def test_newton_never_diverges_from_the_standard_starts(text, start, minimum, value):
    run = optimizer("newton", parse(text), start)
    assert run.run(200) == "converged"
    assert np.all(np.diff(run.values) <= 1e-12 * (1 + abs(run.values[0])))  # always downhill
    np.testing.assert_allclose(run.x, minimum, atol=1e-5)
    assert run.values[-1] == pytest.approx(value, abs=1e-5)
    assert run.damped  # the Hessian was indefinite or too far from the truth at the start


def test_newton_escapes_a_saddle_instead_of_seeking_it():
    run = optimizer("newton", parse("x^2 - y^2 + y^4/4"), (0.5, 0.1))
    assert run.run(200) == "converged"
    np.testing.assert_allclose(np.abs(run.x), [0.0, np.sqrt(2)], atol=1e-8)


# --- batches ------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(METHODS))
def test_a_batch_runs_the_same_rule_as_single_runs(name):
    f = parse(HIMMELBLAU)
    starts = np.array([[0.5, 0.5], [-1.0, 2.0], [-2.0, -2.0], [2.5, -1.0]])
    params = {"lr": 0.01, "max_steps": 25} if name != "newton" else {"max_steps": 25}
    batch = BatchRun(name, f, starts, **params)
    batch.run()
    for i, start in enumerate(starts):
        single = optimizer(name, f, start, **params)
        reason = single.run()
        np.testing.assert_allclose(batch.x[i], single.x, rtol=1e-9, atol=1e-12)
        assert batch.stop_reasons[i] == reason
        assert batch.steps[i] == single.steps


# Starts that stop for every reason at many different steps, so that the batch
# drops points from its working set again and again (and at the start).
_GRID_7 = np.stack(np.meshgrid(*[np.linspace(-6, 6, 7)] * 2, indexing="ij"), -1).reshape(-1, 2)
MIXED_STOPS = [
    (HIMMELBLAU, _GRID_7, {"lr": 0.01, "max_steps": 600}),  # converged, diverged, step limit
    ("x^2 + y^2 + log(x + 3)", [[0.5, 0.5], [-2.9, 0.0], [-2.5, 1.0], [-4.0, 0.0]], {"lr": 0.4}),
    ("x^2 + 2y^2", [[1.0, 1.0], [0.0, 0.0], [1e-3, 0.0]], {"lr": 1.2}),  # diverged, at rest
    ("-exp(-(x^2+y^2))", [[30.0, 30.0], [1.0, 0.5]], {"lr": 0.5}),  # stalled on a plateau
    ("1e-30*(x^2+y^2)", [[1.0, 2.0]], {"lr": 0.5, "tol": 0.0}),  # steps below resolution
    ("3e11*atan(x) + y^2", [[0.0, 1.0]], {"lr": 10.0, "tol": 0.0}),  # x runs off, f stays
    ("x^2 + y^2 - 2e12", [[1.0, 1.0]], {"lr": 0.1}),  # f beyond the bound of divergence
]


@pytest.mark.parametrize("name", sorted(METHODS))
def test_a_batch_stops_every_point_as_its_single_run_does(name):
    reasons = set()
    for text, starts, params in MIXED_STOPS:
        f = parse(text)
        params = {"max_steps": 300, **params}
        if name == "newton":
            params.pop("lr")
        batch = BatchRun(name, f, np.array(starts, float), **params)
        batch.run()
        for i, start in enumerate(starts):
            try:
                single = optimizer(name, f, start, **params)
            except ValueError:  # refused at the start: f is undefined there
                assert (batch.stop_reasons[i], batch.steps[i]) == ("left domain", 0)
                np.testing.assert_array_equal(batch.x[i], start)
                continue
            reasons.add(single.run())
            assert (batch.stop_reasons[i], batch.steps[i]) == (single.stop_reason, single.steps)
            np.testing.assert_allclose(batch.x[i], single.x, rtol=1e-9, atol=1e-12)
    # the cases reach the stop reasons they were chosen for
    assert reasons >= {"converged", "stalled"}
    assert "diverged" in reasons or name in ("adagrad", "rmsprop", "adam", "newton")


def test_batch_stop_reasons_per_point():
    f = parse("x^2 + y^2 + log(x + 3)")
    starts = np.array([[0.5, 0.5], [-2.9, 0.0], [-4.0, 0.0], [0.0, 0.0]])
    batch = BatchRun("gd", f, starts, lr=0.4, max_steps=200)
    batch.run()
    reasons = list(batch.stop_reasons)
    # from (−2.9, 0) the first step jumps past x = −3; (−4, 0) is outside from the start
    assert reasons == ["converged", "left domain", "left domain", "converged"]
    assert np.all(np.isfinite(batch.x))
    wild = BatchRun("gd", parse("x^2"), np.array([[1.0], [1e-3]]), lr=1.5, max_steps=100)
    wild.run()
    assert list(wild.stop_reasons) == ["diverged", "diverged"]


def test_himmelblau_basins_reach_all_four_minima():
    f = parse(HIMMELBLAU)
    starts = np.array(HIMMELBLAU_MINIMA) * 1.15  # a little outside each minimum
    batch = BatchRun("gd", f, starts, lr=0.01, max_steps=2000)
    batch.run()
    assert list(batch.stop_reasons) == ["converged"] * 4
    np.testing.assert_allclose(batch.x, HIMMELBLAU_MINIMA, atol=1e-5)
    np.testing.assert_allclose(batch.values(), 0.0, atol=1e-9)


def test_batch_iterate_yields_progress_and_pauses():
    f = parse(HIMMELBLAU)
    batch = BatchRun("adam", f, np.zeros((3, 2)) + [[0.1, 0.2]], lr=0.05, max_steps=100)
    assert list(batch.iterate(4)) == [1, 2, 3, 4]
    assert batch.running == 3 and list(batch.stop_reasons) == [None] * 3
    batch.run()
    assert batch.running == 0


def test_a_batch_rule_may_keep_the_gradient_itself_as_its_state(monkeypatch):
    # a rule whose state is ∇f itself (x ← x − η(∇f + previous ∇f)): the batch
    # writes each step's ∇f into a reused buffer, which must not rewrite that state
    def last_two(x, g, s, p, t, lr):
        return x - lr * (g + s[0]), (g,)

    rule = Method("last_two", "last two gradients", METHODS["gd"].params, ("g",), last_two)
    monkeypatch.setitem(METHODS, "last_two", rule)
    f = parse("x^2 + 4y^2")
    start = (1.0, 1.0)
    batch = BatchRun("last_two", f, np.array([start]), lr=0.05, max_steps=3)
    batch.run()
    x, previous = np.array(start), np.zeros(2)  # by hand: ∇f = (2x, 8y)
    for _ in range(3):
        g = np.array([2 * x[0], 8 * x[1]])
        x, previous = x - 0.05 * (g + previous), g
    np.testing.assert_allclose(batch.x[0], x, rtol=1e-12)


def test_a_batch_of_one_start_may_be_given_flat():
    batch = BatchRun("gd", parse("x^2 + 4y^2"), [1.0, 1.0], lr=0.1, max_steps=1)
    batch.run()
    np.testing.assert_allclose(batch.x, [[0.8, 0.2]], rtol=1e-15)  # (1, 1) − 0.1·(2, 8)
    with pytest.raises(ValueError, match=r"starts must have shape \(n, 2\), got \(1, 3\)"):
        BatchRun("gd", parse("x^2 + 4y^2"), [1.0, 1.0, 1.0])
