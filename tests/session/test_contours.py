"""The map's contour lines: each level traced on the part of the grid it crosses
gives exactly the lines contourpy traces on the whole grid."""

import contourpy
import numpy as np
import pytest

from explorer.engine import parse
from explorer.session import geometry

# a tall padded map, as a narrow dock shows it: most of it far from the domain
REGION = ((-2.3, 2.3), (-5.0, 5.0))
TEXTS = [
    "x*exp(-x^2-y^2)",  # a bump on a flat plain: most levels cross a small part
    "sin(3x)*cos(2y) + 0.1(x^2+y^2)",  # levels everywhere
    "sqrt(1-x^2-y^2)",  # NaN outside the unit disc
    "1/(x^2+y^2-1)",  # a pole along a circle
    "abs(x) + abs(y)",
    "x + 0*y",  # straight lines reaching the grid's edges
    "0*x + 1 + 0*y",  # flat: no level is crossed
]


def whole_grid_lines(g: geometry.Grid, levels: np.ndarray) -> list[np.ndarray]:
    """The oracle: contourpy on the whole grid, level by level."""
    gen = contourpy.contour_generator(*g.rows, z=g.z.T, line_type=contourpy.LineType.Separate)
    return [line for level in levels for line in gen.lines(level)]


@pytest.mark.parametrize("text", TEXTS)
def test_contours_are_contourpys_lines_on_the_whole_grid(text):
    g = geometry.grid(parse(text, ("x", "y")), (0, 1), np.zeros(2), REGION, 121)
    inner = g.z[:, np.abs(g.ys) <= 2]
    lo, hi = geometry.auto_range(inner)
    levels = np.concatenate([geometry.contour_levels((lo, hi), 15), [lo - 1.0, hi + 1.0]])
    drawn = geometry.contours(g, levels).lines
    want = whole_grid_lines(g, levels)
    sep = np.full((1, 2), np.nan)
    expected = np.concatenate([p for line in want for p in (line, sep)]) if want else sep[:0]
    np.testing.assert_array_equal(drawn, expected)


def test_a_level_crossed_in_one_corner_is_traced_there():
    """f = x + y on a 3×3 grid: the level 3.5 crosses only the top right cell."""
    xs = ys = np.arange(3.0)
    x, y = np.meshgrid(xs, ys)
    g = geometry.Grid(xs, ys, (x + y).T, (x, y))
    lines = geometry.contours(g, np.array([3.5])).lines
    assert len(lines) == 3 and np.isnan(lines[-1]).all()  # one line of two points
    assert sorted(map(tuple, lines[:-1])) == [(1.5, 2.0), (2.0, 1.5)]
