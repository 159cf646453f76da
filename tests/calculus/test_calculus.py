"""Taylor models, critical points, optimizers and directional derivatives."""

import math

import numpy as np
import pytest

from explorer.calculus import (
    angle_to_gradient,
    classify,
    critical_points,
    describe,
    directional_derivative,
    linear_model,
    quadratic_model,
    restrict,
    steepest_descent,
)
from explorer.calculus.critical import MAX_SEEDS, _unseen, seeds
from explorer.engine import parse

ROSENBROCK = "(1-x)^2 + 100(y-x^2)^2"
HIMMELBLAU = "(x^2+y-11)^2 + (x+y^2-7)^2"


def test_taylor_errors_shrink_with_orders_two_and_three():
    f = parse("x*exp(-x^2-y^2)")
    p = np.array([-0.4, 0.3])
    lin, quad = linear_model(f, p), quadratic_model(f, p)
    direction = np.array([0.6, 0.8])
    eps = np.array([1e-2, 1e-3])
    el = [abs(lin.error(*(p + e * direction))) for e in eps]
    eq = [abs(quad.error(*(p + e * direction))) for e in eps]
    assert math.log10(el[0] / el[1]) == pytest.approx(2, abs=0.15)
    assert math.log10(eq[0] / eq[1]) == pytest.approx(3, abs=0.15)
    assert lin.order == 1 and quad.order == 2
    x, y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(-1, 1, 3), indexing="ij")
    assert quad(x, y).shape == (4, 3)
    assert lin(p[0], p[1]) == pytest.approx(f(*p))


def test_describe_models():
    f = parse("x*exp(-x^2-y^2)")
    assert describe(linear_model(f, (-1, 0)), f.variables) == "-0.367879 - 0.367879 (x + 1)"
    assert describe(quadratic_model(parse("x^2*y + x*y^2"), (0, 0)), ("x", "y")) == "0"


@pytest.mark.parametrize(
    ("text", "box", "kinds"),
    [
        (HIMMELBLAU, [(-6, 6), (-6, 6)], {"minimum": 4, "maximum": 1, "saddle": 4}),
        ("x^2 - y^2", [(-1, 1), (-1, 1)], {"saddle": 1}),
        ("x^3 - 3x*y^2", [(-1, 1), (-1, 1)], {"degenerate": 1}),
        ("x*exp(-x^2-y^2)", [(-2, 2), (-2, 2)], {"minimum": 1, "maximum": 1}),
        (ROSENBROCK, [(-2, 2), (-1, 3)], {"minimum": 1}),
        ("x^2 + 2y^2 + 3z^2 - x*y", [(-1, 1)] * 3, {"minimum": 1}),
        ("-(x^2 + y^2)", [(-1, 2), (-1, 2)], {"maximum": 1}),
    ],
)
def test_critical_points_found_and_classified(text, box, kinds):
    found = critical_points(parse(text), box)
    counts: dict[str, int] = {}
    for c in found:
        counts[c.kind] = counts.get(c.kind, 0) + 1
        assert c.gradient_norm < 1e-7
        for (lo, hi), xi in zip(box, c.point, strict=True):
            assert lo <= xi <= hi
    assert counts == kinds


def test_himmelblau_minima_values():
    found = critical_points(parse(HIMMELBLAU), [(-5, 5), (-5, 5)])
    minima = sorted(tuple(np.round(c.point, 6)) for c in found if c.kind == "minimum")
    assert (3.0, 2.0) in minima
    assert all(c.value == pytest.approx(0, abs=1e-12) for c in found if c.kind == "minimum")


def test_critical_points_of_a_function_undefined_in_the_box():
    assert critical_points(parse("log(x*y)"), [(-2, -1), (1, 2)]) == []
    assert critical_points(parse("sqrt(-x^2 - 1) + y"), [(-1, 1), (-1, 1)]) == []


def test_critical_points_of_a_slice():
    f = parse("(x - 1)^2 + (y + z)^2 - 2(z - 0.5)^2 + w")
    piece = restrict(f, [1, 3], [0.0, 5.0, 0.25, 0.0])  # (w, x, y, z): plot x, z at w=0, y=1/4
    assert piece.variables == ("x", "z") and piece.dimension == 2
    found = critical_points(piece, [(-3, 3), (-3, 3)])
    assert len(found) == 1 and found[0].kind == "saddle"
    np.testing.assert_allclose(piece.embed(found[0].point), [0.0, 1.0, 0.25, 1.25], atol=1e-9)
    np.testing.assert_allclose(piece.hessian(1.0, 0.5), [[2.0, 0.0], [0.0, -2.0]], atol=1e-12)
    with pytest.raises(TypeError):
        piece(1.0)


def test_critical_points_rejects_bad_boxes():
    f = parse("x^2 + y^2")
    with pytest.raises(ValueError):
        critical_points(f, [(-1, 1)])
    with pytest.raises(ValueError):
        critical_points(f, [(1, -1), (0, 1)])


def test_classify():
    assert classify(np.array([1.0, 2.0])) == "minimum"
    assert classify(np.array([-1.0, -2.0])) == "maximum"
    assert classify(np.array([-1.0, 0.0, 2.0])) == "saddle"
    assert classify(np.array([0.0, 2.0])) == "degenerate"
    assert classify(np.array([1.0, np.nan])) == "degenerate"
    # zero is relative to the largest eigenvalue: the test does not depend on units
    for scale in (1.0, 1e6):
        assert classify(scale * np.array([1.0, 5e-7])) == "degenerate"
        assert classify(scale * np.array([1.0, 2e-6])) == "minimum"
        assert classify(scale * np.array([-1.0, 2e-6])) == "saddle"


def test_seeds_are_a_grid_up_to_four_variables_and_random_beyond():
    for n, count, per_axis in [
        (1, 1024, 1024),
        (2, 1024, 32),
        (3, 1024, 10),
        (4, 1024, 5),
        (3, 27, 3),
    ]:
        s = seeds(np.array([[-1.0, 1.0]] * n), count)
        assert s.shape == (n, per_axis**n)
        assert all(np.array_equal(np.unique(row), np.linspace(-1, 1, per_axis)) for row in s)
    for n in (5, 6):  # a grid would have only 4 or 3 values per axis
        s = seeds(np.array([[-1.0, 1.0]] * n))
        assert s.shape == (n, MAX_SEEDS)
        assert np.all((s >= -1) & (s <= 1)) and len(np.unique(s[0])) == MAX_SEEDS
        assert np.array_equal(s, seeds(np.array([[-1.0, 1.0]] * n)))  # the same search each time


def test_unseen_critical_points_are_estimated_by_chao1():
    # Chao1 (bias-corrected): f1 (f1 - 1) / (2 (f2 + 1)), f_k the points reached k times
    assert _unseen(np.array([1, 1, 1, 2, 5])) == 3 * 2 / (2 * 2)
    assert _unseen(np.array([1, 1, 2, 2, 2, 3])) == 2 * 1 / (2 * 4)
    assert _unseen(np.array([2, 3, 4])) == 0.0


def test_directional_derivative_and_steepest_descent():
    f = parse("x^2 + 3y")
    p = (1.0, 2.0)
    assert directional_derivative(f, p, (1, 0)) == pytest.approx(2)
    assert directional_derivative(f, p, (0, 2)) == pytest.approx(3)
    d = steepest_descent(f, p)
    g = f.gradient(*p)
    np.testing.assert_allclose(d, -g / np.linalg.norm(g))
    assert angle_to_gradient(f, p, d) == pytest.approx(math.pi)
    # the most negative directional derivative is −|∇f|, along −∇f
    angles = np.linspace(0, 2 * math.pi, 721)
    slopes = [directional_derivative(f, p, (math.cos(a), math.sin(a))) for a in angles]
    assert min(slopes) == pytest.approx(-np.linalg.norm(g), rel=1e-4)
    with pytest.raises(ValueError):
        directional_derivative(f, p, (0, 0))
    assert math.isnan(angle_to_gradient(parse("x^2+y^2"), (0, 0), (1, 0)))


@pytest.mark.parametrize("text", ["0*x + 0*y + 1", "relu(x - y)", "sign(x*y)", "(x + y)^2"])
def test_a_continuum_of_critical_points_is_reported_not_listed(text):
    found = critical_points(parse(text), [(-2, 2), (-2, 2)])
    assert found.continuum
    assert all(c.kind != "degenerate" for c in found)
    assert not critical_points(parse("x^2 - y^2"), [(-1, 1), (-1, 1)]).continuum
