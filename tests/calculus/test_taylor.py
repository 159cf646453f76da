"""Taylor models and directional derivatives written out by hand."""

import math

import numpy as np
import pytest

from explorer.calculus import (
    angle_to_gradient,
    describe,
    directional_derivative,
    linear_model,
    quadratic_model,
    restrict,
    steepest_descent,
)
from explorer.engine import parse

# f = 3 + 2x − y + 4x² + 5xy − y²: its own quadratic model everywhere.
# At (1, −2): f = −3, ∇f = (2 + 8x + 5y, −1 + 5x − 2y) = (0, 8), H = [[8, 5], [5, −2]].
QUADRATIC = "3 + 2x - y + 4x^2 + 5x*y - y^2"


def hand(x, y):
    return 3 + 2 * x - y + 4 * x**2 + 5 * x * y - y**2


@pytest.mark.parametrize(
    ("order", "at", "text"),
    [
        (2, (0, 0), "3 + 2 x - y + 4 x^2 + 5 x y - y^2"),
        (2, (1, -2), "-3 + 8 (y + 2) + 4 (x - 1)^2 + 5 (x - 1) (y + 2) - (y + 2)^2"),
        (1, (1, -2), "-3 + 8 (y + 2)"),
        (1, (0.5, 0), "5 + 6 (x - 0.5) + 1.5 y"),  # ∇f(0.5, 0) = (6, 1.5)
    ],
)
def test_describe_writes_the_model_out(order, at, text):
    f = parse(QUADRATIC)
    model = (linear_model if order == 1 else quadratic_model)(f, at)
    assert describe(model, f.variables) == text


def test_describe_every_pair_once_and_no_zero_terms():
    g = parse("x*y + y*z + x*z")
    assert describe(quadratic_model(g, (0, 0, 0)), g.variables) == "x y + x z + y z"
    assert describe(linear_model(parse("-x + 0*y"), (0, 0)), ("x", "y")) == "-x"
    assert describe(quadratic_model(parse("x^2 - 2.5"), (0,)), ("x",)) == "-2.5 + x^2"
    assert describe(linear_model(parse("0*x"), (0,)), ("x",)) == "0"


def test_the_quadratic_model_of_a_quadratic_is_the_function():
    f = parse(QUADRATIC)
    model = quadratic_model(f, (1, -2))
    x, y = np.meshgrid(np.linspace(-2, 2, 4), np.linspace(-1, 1, 3), indexing="ij")
    np.testing.assert_allclose(model(x, y), hand(x, y), rtol=1e-14, atol=1e-13)
    np.testing.assert_allclose(model.error(x, y), 0, atol=1e-13)
    line = linear_model(f, (1, -2))
    assert line(2.0, -1.0) == -3 + 8 * 1  # f(p) + ∇f(p)·(x − p)
    assert line.error(2.0, -1.0) == pytest.approx(hand(2.0, -1.0) - 5)


def test_models_broadcast_like_the_function():
    model = quadratic_model(parse(QUADRATIC), (0, 0))
    assert isinstance(model(0.5, 0.25), np.floating)
    assert model(np.zeros((4, 1)), np.zeros((1, 3))).shape == (4, 3)
    assert model(np.arange(3), 0.0).tolist() == [hand(t, 0.0) for t in range(3)]
    with pytest.raises(TypeError, match="takes 2 arguments, got 1"):
        model(1.0)
    with pytest.raises(ValueError, match="needs 2 coordinates, got 3"):
        linear_model(parse(QUADRATIC), (1, 2, 3))


def test_a_model_where_f_is_infinite_is_nan_without_warnings():
    model = linear_model(parse("1/x"), (0,))
    assert math.isnan(model(1.0))


def test_directions_refuse_the_zero_vector():
    f = parse("x^2 + y^2")
    with pytest.raises(ValueError, match="must not be the zero vector"):
        directional_derivative(f, (1, 1), (0, 0))
    assert directional_derivative(f, (1, 2), (3, 4)) == pytest.approx((2 * 3 + 4 * 4) / 5)
    assert angle_to_gradient(f, (1, 0), (0, 1)) == pytest.approx(math.pi / 2)


def test_steepest_descent_at_a_critical_point_is_no_direction():
    f = parse("x^2 + y^2")
    assert steepest_descent(f, (0, 0)).tolist() == [0.0, 0.0]
    np.testing.assert_allclose(steepest_descent(f, (3, 4)), [-0.6, -0.8])


def test_angles_and_unit_directions_by_hand():
    f = parse("x^2 + y^2")  # ∇f(1, 0) = (2, 0)
    assert angle_to_gradient(f, (1, 0), (1, 1)) == pytest.approx(math.pi / 4)
    assert angle_to_gradient(f, (1, 0), (-3, 0)) == pytest.approx(math.pi)
    for g in [(0.1, 0.7), (0.3, 0.3), (1e-3, 7.0)]:  # along ∇f, rounding or not: 0
        assert angle_to_gradient(f, (g[0] / 2, g[1] / 2), (3 * g[0], 3 * g[1])) < 1e-7
    np.testing.assert_allclose(steepest_descent(f, (0.15, 0.2)), [-0.6, -0.8])  # |∇f| < 1
    assert describe(linear_model(parse("0.5x"), (0,)), ("x",)) == "0.5 x"
    assert math.isnan(linear_model(parse("1/x"), (0,)).error(1.0))


def test_a_slice_is_the_function_with_the_others_fixed():
    f = parse("x + 10y + 100z")
    piece = restrict(f, [0, 2], [1.0, 2.0, 3.0])
    assert piece(4.0, 5.0) == 4 + 20 + 500
    with pytest.raises(TypeError, match="takes 2 arguments, got 1"):
        piece(4.0)
    with pytest.raises(ValueError, match="needs 3 coordinates"):
        restrict(f, [0, 1], [1.0, 2.0])
