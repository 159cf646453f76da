"""Every optimizer's first three steps against its update rule written out by hand.

The rules are those of D2L chapter 12 (Nesterov in its look-ahead form),
typed here with `math` and nothing from the code under test, so that each
method's defining term is checked: momentum's velocity, Nesterov's extra
β·v, AdaGrad's running sum, RMSProp's leaky average, Adam's bias correction,
Newton's Hessian solve, and the schedules' η_t.
"""

import math

import numpy as np
import pytest

from explorer.calculus import BatchRun, optimizer
from explorer.engine import parse

# f, its gradient by hand, a start
QUADRATIC = ("x^2 + 4y^2 + x*y", lambda x, y: (2 * x + y, 8 * y + x), (1.0, -1.5))
GAUSSIAN = (
    "x*exp(-x^2-y^2)",
    lambda x, y: (
        math.exp(-x * x - y * y) * (1 - 2 * x * x),
        -2 * x * y * math.exp(-x * x - y * y),
    ),
    (-0.3, 0.4),
)


def hand_gd(grad, x, lr=0.1, **_):
    for _ in range(3):
        g = grad(*x)
        x = tuple(xi - lr * gi for xi, gi in zip(x, g, strict=True))
        yield x


def hand_momentum(grad, x, lr=0.1, beta=0.9, **_):
    v = (0.0, 0.0)
    for _ in range(3):
        g = grad(*x)
        v = tuple(beta * vi + gi for vi, gi in zip(v, g, strict=True))
        x = tuple(xi - lr * vi for xi, vi in zip(x, v, strict=True))
        yield x


def hand_nesterov(grad, x, lr=0.1, beta=0.9, **_):
    v = (0.0, 0.0)
    for _ in range(3):
        g = grad(*x)
        v = tuple(beta * vi + gi for vi, gi in zip(v, g, strict=True))
        x = tuple(xi - lr * (gi + beta * vi) for xi, gi, vi in zip(x, g, v, strict=True))
        yield x


def hand_adagrad(grad, x, lr=0.5, eps=1e-6, **_):
    s = (0.0, 0.0)
    for _ in range(3):
        g = grad(*x)
        s = tuple(si + gi * gi for si, gi in zip(s, g, strict=True))
        x = tuple(xi - lr / math.sqrt(si + eps) * gi for xi, si, gi in zip(x, s, g, strict=True))
        yield x


def hand_rmsprop(grad, x, lr=0.01, gamma=0.9, eps=1e-6, **_):
    s = (0.0, 0.0)
    for _ in range(3):
        g = grad(*x)
        s = tuple(gamma * si + (1 - gamma) * gi * gi for si, gi in zip(s, g, strict=True))
        x = tuple(xi - lr / math.sqrt(si + eps) * gi for xi, si, gi in zip(x, s, g, strict=True))
        yield x


def hand_adam(grad, x, lr=0.05, beta1=0.9, beta2=0.999, eps=1e-8, **_):
    v = s = (0.0, 0.0)
    for t in (1, 2, 3):
        g = grad(*x)
        v = tuple(beta1 * vi + (1 - beta1) * gi for vi, gi in zip(v, g, strict=True))
        s = tuple(beta2 * si + (1 - beta2) * gi * gi for si, gi in zip(s, g, strict=True))
        v_hat = [vi / (1 - beta1**t) for vi in v]
        s_hat = [si / (1 - beta2**t) for si in s]
        x = tuple(
            xi - lr * vh / (math.sqrt(sh) + eps) for xi, vh, sh in zip(x, v_hat, s_hat, strict=True)
        )
        yield x


HAND = {
    "gd": (hand_gd, {"lr": 0.1}),
    "momentum": (hand_momentum, {"lr": 0.1, "beta": 0.9}),
    "nesterov": (hand_nesterov, {"lr": 0.1, "beta": 0.9}),
    "adagrad": (hand_adagrad, {"lr": 0.5, "eps": 1e-6}),
    "rmsprop": (hand_rmsprop, {"lr": 0.01, "gamma": 0.9, "eps": 1e-6}),
    "adam": (hand_adam, {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}),
}


@pytest.mark.parametrize("case", [QUADRATIC, GAUSSIAN], ids=["quadratic", "gaussian"])
@pytest.mark.parametrize("name", sorted(HAND))
def test_first_three_steps_follow_the_rule_written_out(name, case):
    text, grad, start = case
    hand, params = HAND[name]
    run = optimizer(name, parse(text), start, **params)
    assert run.run(3) is None  # three steps pause the run, they do not stop it
    expected = np.array(list(hand(grad, start, **params)))
    np.testing.assert_allclose(run.trajectory[1:], expected, rtol=1e-12, atol=1e-15)


def test_the_methods_differ_from_their_neighbours_at_the_first_steps():
    """The hand rules themselves tell the neighbours apart (no vacuous pinning)."""
    _, grad, start = QUADRATIC
    steps = {name: np.array(list(hand(grad, start, **p))) for name, (hand, p) in HAND.items()}
    assert not np.allclose(steps["momentum"], steps["nesterov"])
    same_rate = dict(lr=0.01, eps=1e-6)
    assert not np.allclose(
        list(hand_rmsprop(grad, start, gamma=0.9, **same_rate)),
        list(hand_adagrad(grad, start, **same_rate)),
    )


def test_newton_first_three_steps_are_pure_newton_where_f_is_convex():
    # f = x⁴ + x² + (y − 1)²: H = diag(12x² + 2, 2) is positive definite everywhere,
    # so every full step passes the decrease test and μ stays 0.
    run = optimizer("newton", parse("x^4 + x^2 + (y - 1)^2"), (1.0, 3.0))
    run.run(3)
    x, y = 1.0, 3.0
    expected = []
    for _ in range(3):
        x, y = x - (4 * x**3 + 2 * x) / (12 * x**2 + 2), y - 2 * (y - 1) / 2
        expected.append((x, y))
    np.testing.assert_allclose(run.trajectory[1:4], expected, rtol=1e-12)
    assert run.dampings[:3] == [0.0, 0.0, 0.0] and not run.damped


def test_a_damped_newton_step_solves_the_shifted_system_and_goes_down():
    # At the origin Himmelblau's Hessian is indefinite: the pure Newton step
    # would head for a saddle or a maximum; the damped one must go downhill.
    f = parse("(x^2+y-11)^2 + (x+y^2-7)^2")
    run = optimizer("newton", f, (0.0, 0.0))
    run.step()
    mu = run.dampings[0]
    assert mu > 0 and run.damped
    # by hand at (0, 0): ∇f = (−14, −22), H = [[−42, 0], [0, −26]]
    g = np.array([-14.0, -22.0])
    shifted = np.array([[-42.0 + mu, 0.0], [0.0, -26.0 + mu]])
    assert np.all(np.linalg.eigvalsh(shifted) > 0)
    np.testing.assert_allclose(run.x, -np.linalg.solve(shifted, g), rtol=1e-10)
    assert run.values[1] < run.values[0]


@pytest.mark.parametrize(
    ("schedule", "factors"),
    [
        ("constant", [1, 1, 1]),
        ("step", [1, 1, 0.5]),  # decay 0.5 every period = 2 steps
        ("sqrt", [1, 1 / math.sqrt(2), 1 / math.sqrt(3)]),
        ("cosine", [1, 0.5, 1]),  # period 2: 1, ½(1 + cos π/2), restart
    ],
)
def test_learning_rate_schedules(schedule, factors):
    _, grad, start = QUADRATIC
    run = optimizer(
        "gd", parse(QUADRATIC[0]), start, lr=0.1, schedule=schedule, decay=0.5, period=2
    )
    run.run(3)
    x, expected = start, []
    for k in factors:
        g = grad(*x)
        x = (x[0] - 0.1 * k * g[0], x[1] - 0.1 * k * g[1])
        expected.append(x)
    np.testing.assert_allclose(run.trajectory[1:], expected, rtol=1e-12)


def test_gradient_noise_is_seeded_and_added_to_the_gradient():
    text, grad, start = QUADRATIC
    f = parse(text)
    a = optimizer("gd", f, start, lr=0.1, noise=0.5, seed=7)
    b = optimizer("gd", f, start, lr=0.1, noise=0.5, seed=7)
    c = optimizer("gd", f, start, lr=0.1, noise=0.5, seed=8)
    for r in (a, b, c):
        r.run(3)
    np.testing.assert_array_equal(a.trajectory, b.trajectory)
    assert not np.allclose(a.trajectory, c.trajectory)
    kick = np.random.default_rng(7).standard_normal(2) * 0.5  # the documented noise
    g = np.array(grad(*start))
    np.testing.assert_allclose(a.trajectory[1], np.array(start) - 0.1 * (g + kick), rtol=1e-12)
    batch = BatchRun("gd", f, np.array([start]), lr=0.1, noise=0.5, seed=7, max_steps=1)
    batch.run()  # one start: the same draws, coordinate by coordinate
    np.testing.assert_allclose(batch.x[0], a.trajectory[1], rtol=1e-12)


@pytest.mark.parametrize("name", ["adagrad", "rmsprop", "adam"])
def test_the_per_coordinate_rate_is_the_one_the_last_step_applied(name):
    text, grad, start = QUADRATIC
    hand, params = HAND[name]
    run = optimizer(name, parse(text), start, **params)
    assert run.rates() is None  # no step yet
    run.run(2)
    x1, x2 = run.trajectory[1], run.trajectory[2]
    if name == "adam":  # the rate multiplies the bias-corrected momentum v̂
        b1 = params["beta1"]
        g0, g1 = np.array(grad(*start)), np.array(grad(*x1))
        applied = ((1 - b1) * (b1 * g0 + g1)) / (1 - b1**2)
    else:
        applied = np.array(grad(*x1))
    np.testing.assert_allclose(x2 - x1, -run.rates() * applied, rtol=1e-12)
    assert optimizer("gd", parse(text), start).rates() is None


def test_newton_follows_the_schedule():
    # f = x² + y²: H = 2I, so (H + 0·I)⁻¹∇f = x and each step scales x by 1 − η_t,
    # η_t = 0.5 · 0.5^(t − 1) under step decay with period 1
    run = optimizer("newton", parse("x^2 + y^2"), (1.0, -1.5), lr=0.5, schedule="step", period=1)
    run.run(3)
    x, expected = np.array([1.0, -1.5]), []
    for eta in (0.5, 0.25, 0.125):
        x = x * (1 - eta)
        expected.append(x)
    np.testing.assert_allclose(run.trajectory[1:], expected, rtol=1e-14)
    assert run.dampings == [0.0, 0.0, 0.0]


def test_newton_sees_the_noisy_gradient():
    # one pure Newton step on x² + y² with the seeded kick added to ∇f
    run = optimizer("newton", parse("x^2 + y^2"), (1.0, -1.5), noise=0.1, seed=3)
    run.step()
    kick = np.random.default_rng(3).standard_normal(2) * 0.1
    g = np.array([2.0, -3.0])
    np.testing.assert_allclose(run.x, np.array([1.0, -1.5]) - (g + kick) / 2, rtol=1e-12)
    assert run.dampings == [0.0]


@pytest.mark.parametrize("name", [*sorted(HAND), "newton"])
def test_the_next_step_is_the_step_taken_next(name):
    text, _, start = GAUSSIAN
    params = HAND[name][1] if name in HAND else {}
    run = optimizer(name, parse(text), start, **params)
    for t in range(3):
        predicted = run.next_step()
        assert run.steps == t  # asking takes no step
        assert run.step()
        np.testing.assert_allclose(run.trajectory[-1] - run.trajectory[-2], predicted, rtol=1e-12)


def test_the_next_step_by_hand():
    _, grad, start = QUADRATIC
    g = np.array(grad(*start))  # (0.5, −11)
    np.testing.assert_allclose(optimizer("gd", parse(QUADRATIC[0]), start).next_step(), -0.1 * g)
    # Newton on a positive definite quadratic: the whole step −H⁻¹∇f to the minimum
    newton = optimizer("newton", parse(QUADRATIC[0]), start)
    np.testing.assert_allclose(newton.next_step(), -np.array(start), rtol=1e-12)
    # Adam's first step: v̂ = ∇f, ŝ = ∇f², so −η∇f/(|∇f| + ε) per coordinate
    adam = optimizer("adam", parse(QUADRATIC[0]), start, lr=0.05, eps=1e-8)
    np.testing.assert_allclose(adam.next_step(), -0.05 * g / (np.abs(g) + 1e-8), rtol=1e-12)


def test_the_trajectory_as_csv_and_as_arrays_that_grow():
    # gd on x² + y² with η = 1/4 halves the point: (1, 2), (0.5, 1), (0.25, 0.5)
    run = optimizer("gd", parse("x^2 + y^2"), (1.0, 2.0), lr=0.25)
    run.step()
    first = run.trajectory
    assert run.to_csv() == (
        "step,x,y,value,grad_norm\n"
        f"0,1.0,2.0,5.0,{math.hypot(2, 4)!r}\n"
        f"1,0.5,1.0,1.25,{math.hypot(1, 2)!r}\n"
    )
    run.step()
    np.testing.assert_array_equal(run.trajectory, [[1, 2], [0.5, 1], [0.25, 0.5]])
    np.testing.assert_array_equal(run.values, [5, 1.25, 0.3125])
    norms = [math.hypot(2, 4), math.hypot(1, 2), math.hypot(0.5, 1)]
    np.testing.assert_array_equal(run.grad_norms, norms)
    np.testing.assert_array_equal(first, [[1, 2], [0.5, 1]])  # an earlier read is not changed
    assert not run.trajectory.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        run.values[0] = 0.0
