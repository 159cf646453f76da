"""Where f is not differentiable, read from the op table: each op's kinks, the
kind of point, and the extrema at corners that the critical-point search
reports apart from the smooth ones. The expected answers are worked by hand."""

import numpy as np
import pytest

from explorer.calculus import NOT_DIFFERENTIABLE, critical_points, point_kind
from explorer.engine import parse


@pytest.mark.parametrize(
    ("text", "at", "kinks"),
    [
        ("abs(x) + y^2", (0.0, 1.0), ["abs"]),
        ("abs(x) + y^2", (1e-12, 1.0), []),
        ("sign(x - y)", (0.5, 0.5), ["sign"]),
        ("relu(x - 1)", (1.0,), ["relu"]),
        ("relu(x - 1)", (0.0,), []),
        ("sqrt(x^2 + y^2)", (0.0, 0.0), ["sqrt"]),  # the norm at its origin
        ("sqrt(x^2 + y^2)", (0.0, 0.3), []),
        ("x^(1/3)", (0.0,), ["pow"]),  # a vertical tangent
        ("x^3", (0.0,), []),
        ("atan2(y, x)", (0.0, 0.0), ["atan2"]),
        ("asin(x)", (1.0,), ["asin"]),
        ("acos(x) + abs(x - 1)", (1.0,), ["abs", "acos"]),
        ("x*y + exp(x) + sin(y)", (0.0, 0.0), []),
    ],
)
def test_the_op_table_says_where_f_is_not_differentiable(text, at, kinks):
    f = parse(text)
    assert f.kinks_at(at) == kinks
    assert (f.kink_distance(*at) == 0) == bool(kinks)


def test_kink_distance_broadcasts_over_a_grid():
    f = parse("abs(x - y)")
    x, y = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5), indexing="ij")
    np.testing.assert_array_equal(f.kink_distance(x, y), np.abs(x - y))
    assert np.all(np.isinf(parse("x*y").kink_distance(x, y)))


def test_kink_distance_broadcasts_an_op_of_scalar_arguments_alone():
    """abs(y) at a scalar y beside abs(x) over an array (a 2D slice through a
    function of more variables, its other coordinates fixed)."""
    f = parse("abs(x) + abs(y)")
    np.testing.assert_array_equal(f.kink_distance(np.array([0.0, 1.0, -2.0]), 0.5), [0, 0.5, 0.5])
    np.testing.assert_array_equal(f.kink_distance(np.array([3.0, 0.25]), 0.0), [0, 0])


def test_the_kind_of_a_point():
    f = parse("abs(x) + y^2")
    value, grad = f.value_and_gradient(0.0, 1.0)
    lam = np.linalg.eigvalsh(f.hessian(0.0, 1.0))
    assert point_kind(value, grad, lam, f.kinks_at((0.0, 1.0))) == NOT_DIFFERENTIABLE
    assert point_kind(value, grad, lam, []) == "regular point"
    assert point_kind(np.nan, grad, lam, ["abs"]) == "undefined"
    assert point_kind(0.0, np.zeros(2), np.array([1.0, 2.0]), []) == "minimum"
    assert point_kind(0.0, np.zeros(2), np.array([-1.0, 2.0]), []) == "saddle"


@pytest.mark.parametrize(
    ("value", "norm", "kind"),
    [
        (0.5, 1e-8, "minimum"),  # |∇f| ≤ 1e-8 · max(1, |f|): the bound itself counts as zero
        (0.5, 1.5e-8, "regular point"),  # below |f| = 1 the bound stays 1e-8
        (-100.0, 5e-7, "minimum"),  # past it the bound grows with |f|: 1e-6 here
        (-100.0, 2e-6, "regular point"),
    ],
)
def test_a_gradient_counts_as_zero_relative_to_the_value(value, norm, kind):
    grad = np.array([norm, 0.0])
    assert point_kind(value, grad, np.array([1.0, 2.0]), []) == kind


def _corners(found):
    return sorted((tuple(np.round(c.point, 9)), c.kind) for c in found.nonsmooth)


def test_corners_are_reported_apart_from_smooth_critical_points():
    found = critical_points(parse("abs(x) + abs(y - 0.5)"), [(-2, 2), (-2, 2)])
    assert list(found) == []  # no gradient vanishes anywhere
    assert _corners(found) == [((0.0, 0.5), "minimum")]
    assert found.nonsmooth[0].value == 0.0

    found = critical_points(parse("abs(x^2 - 1) + y^2"), [(-2, 2), (-2, 2)])
    assert [(tuple(np.round(c.point, 9)), c.kind) for c in found] == [((0.0, 0.0), "saddle")]
    assert _corners(found) == [((-1.0, 0.0), "minimum"), ((1.0, 0.0), "minimum")]

    found = critical_points(parse("x/2 - abs(x) - y^2"), [(-2, 2), (-2, 2)])
    assert _corners(found) == [((0.0, 0.0), "maximum")]

    found = critical_points(parse("sqrt(x^2 + y^2)"), [(-1, 1), (-1, 1)])
    assert _corners(found) == [((0.0, 0.0), "minimum")] and list(found) == []

    found = critical_points(parse("abs(x)"), [(-1, 2)])
    assert _corners(found) == [((0.0,), "minimum")]


def test_a_valley_floor_is_neither_a_corner_nor_a_list_of_points():
    found = critical_points(parse("relu(x) + y^2"), [(-2, 2), (-2, 2)])
    assert found.continuum and list(found) == [] and found.nonsmooth == ()


def test_an_underflowing_gradient_is_no_critical_point():
    # exp(10xy): one isolated saddle at the origin; far out where xy < 0 the
    # gradient underflows to ~1e-16, which is not zero.
    found = critical_points(parse("exp(10x*y)"), [(-2, 2), (-2, 2)])
    assert [(tuple(c.point), c.kind) for c in found] == [((0.0, 0.0), "saddle")]
    assert not found.continuum


def test_smooth_functions_have_no_corners():
    found = critical_points(parse("x^3 + y^3 - 3x - 3y"), [(-2, 2), (-2, 2)])
    assert sorted((tuple(np.round(c.point, 9)), c.kind) for c in found) == [
        ((-1.0, -1.0), "maximum"),
        ((-1.0, 1.0), "saddle"),
        ((1.0, -1.0), "saddle"),
        ((1.0, 1.0), "minimum"),
    ]
    assert found.nonsmooth == ()


def test_a_corner_on_the_edge_of_the_box_is_found():
    # |x| + |y| + 1 over [0, 2] × [−1, 1]: the minimum (0, 0) is a corner on the
    # box's left edge, where the grid has no neighbour to compare with
    found = critical_points(parse("abs(x) + abs(y) + 1"), [(0, 2), (-1, 1)])
    assert _corners(found) == [((0.0, 0.0), "minimum")] and list(found) == []


def test_a_corner_is_judged_on_its_own_neighbourhood():
    # |x| + |y| − (x² + y²)/2: a strict minimum at the corner (0, 0) although f
    # is as low again one box width away (f(±2, 0) = 0)
    found = critical_points(parse("abs(x) + abs(y) - (x^2 + y^2)/2"), [(-1, 1), (-1, 1)])
    assert _corners(found) == [((0.0, 0.0), "minimum")]


def test_a_smooth_minimum_next_to_a_kink_is_no_corner():
    # (x − 0.01)² + y² + 0.001|x|: the kink x = 0 is within a grid cell of the
    # minimum, which lies off it at x = 0.01 − 0.0005 where the gradient vanishes
    found = critical_points(parse("(x - 0.01)^2 + y^2 + 0.001*abs(x)"), [(-1, 1), (-1, 1)])
    assert found.nonsmooth == ()
    assert [(tuple(np.round(c.point, 9)), c.kind) for c in found] == [((0.0095, 0.0), "minimum")]
