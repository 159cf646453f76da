"""Basins of attraction: which minimum gradient descent reaches from each grid
point, the minima found apart from the code (the roots of ∂f/∂x by numpy)."""

import numpy as np
import pytest

from explorer.calculus.basins import Basins, basins_steps
from explorer.engine import parse

# a tilted double well: ∂f/∂x = 4x³ − 4x − 0.3, ∂f/∂y = 2y; the right well is the lower
WELLS = "(x^2 - 1)^2 - 0.3x + y^2"


def _minima():
    roots = np.sort(np.roots([4.0, 0.0, -4.0, -0.3]).real)
    return roots[0], roots[2]  # the middle root is the maximum between the wells


def _wells(x):
    return (x * x - 1) ** 2 - 0.3 * x


def _run(*args, **params):
    steps = list(basins_steps(*args, **params))
    *progress, result = steps
    assert isinstance(result, Basins)
    return progress, result


def test_each_grid_point_is_labelled_by_the_minimum_it_reaches_lowest_first():
    progress, b = _run(parse(WELLS), "gd", [(-2, 2), (-1.5, 1.5)], 5, lr=0.05, max_steps=2000)
    left, right = _minima()
    np.testing.assert_array_equal(b.xs, [-2, -1, 0, 1, 2])
    np.testing.assert_array_equal(b.ys, [-1.5, -0.75, 0, 0.75, 1.5])
    # x = 0 lies right of the maximum (≈ −0.075 by numpy): ∂f/∂x = −0.3 there, downhill is right
    expected = np.array([1, 1, 0, 0, 0])[:, None].repeat(
        5, axis=1
    )  # labels[i, j] at (xs[i], ys[j])
    np.testing.assert_array_equal(b.labels, expected)
    np.testing.assert_allclose(b.ends, [(right, 0.0), (left, 0.0)], atol=1e-7)
    np.testing.assert_allclose(b.values, [_wells(right), _wells(left)], rtol=1e-12)
    assert b.values[0] < b.values[1]
    # one fraction per step, up to the step that stopped the last point
    assert progress == [t / 2000 for t in range(1, len(progress) + 1)]
    assert 0 < progress[-1] < 1


def test_no_critical_point_reached_is_label_minus_one_everywhere():
    progress, b = _run(parse("x + y"), "gd", [(0, 1), (0, 1)], 3, max_steps=5)
    assert progress == [0.2, 0.4, 0.6, 0.8, 1.0]
    np.testing.assert_array_equal(b.xs, [0, 0.5, 1])
    np.testing.assert_array_equal(b.ys, [0, 0.5, 1])
    np.testing.assert_array_equal(b.labels, np.full((3, 3), -1))
    assert b.ends.shape == (0, 2) and b.values.shape == (0,)


def test_more_variables_run_in_the_plotted_slice_through_the_point():
    # the grid spans x and z through (·, 0.5, ·); y runs to 0 on its own
    f = parse(WELLS + " + (z - 2)^2")
    # the point may be given in integers; the grid still runs in halves
    _, b = _run(f, "gd", [(-2, 2), (0, 4)], 9, (0, 1, 9), (0, 2), lr=0.05, max_steps=2000)
    left, right = _minima()
    np.testing.assert_array_equal(b.ys, np.arange(9) / 2)
    column = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0])  # x = −2 … −0.5 fall left
    np.testing.assert_array_equal(b.labels, column[:, None].repeat(9, axis=1))
    np.testing.assert_allclose(b.ends, [(right, 2.0), (left, 2.0)], atol=1e-7)
    np.testing.assert_allclose(b.values, [_wells(right), _wells(left)], rtol=1e-12)


@pytest.mark.parametrize("n", [2, 9])
def test_end_points_closer_than_a_thousandth_of_the_span_are_one_point(n):
    # x² + y² from every grid point: all runs end within 1e-8 of the origin
    _, b = _run(parse("x^2 + y^2"), "gd", [(-1, 1), (-3, 3)], n, lr=0.1)
    np.testing.assert_array_equal(b.labels, np.zeros((n, n)))
    assert b.ends.shape == (1, 2) and abs(b.values[0]) < 1e-16


def test_end_points_group_within_a_thousandth_of_the_longer_side():
    # x² (+ 0·y) with η = ½ lands on x = 0 in one step and leaves y alone: the ends are
    # (0, y) for y = 0, 0.0015, 0.003; the longer side is 2, so points within
    # 0.002 of a first one join it: y = 0.0015 joins 0, y = 0.003 starts a second
    _, b = _run(parse("x^2 + 0*y"), "gd", [(-1, 1), (0, 0.003)], 3, lr=0.5)
    np.testing.assert_array_equal(b.labels, [[0, 0, 1]] * 3)
    np.testing.assert_array_equal(b.ends, [(0, 0), (0, 0.003)])


def test_at_most_64_points_are_told_apart():
    # the same over y in [0, 1] with 70 rows: 70 ends 1/69 apart; the first 64
    # found (in grid order, all of value 0) get a label, the rest none
    _, b = _run(parse("x^2 + 0*y"), "gd", [(-1, 1), (0, 1)], 70, lr=0.5)
    assert b.ends.shape == (64, 2)
    np.testing.assert_array_equal(b.ends[:, 1], np.linspace(0, 1, 70)[:64])
    np.testing.assert_array_equal(b.labels, np.tile([*range(64), *[-1] * 6], (70, 1)))
