"""The 3D overlays' shapes on a box that is not square, against values worked
out by hand: patch outlines on the patch's border, arrows cut at the right wall
or before f is undefined, sections along each axis with their own spans."""

import numpy as np
import pytest

from explorer.engine import parse
from explorer.session import surface_overlays as so

BOX = ((-1.0, 3.0), (-2.0, 0.0))  # x spans 4, y spans 2


def plane(x, y):
    return 1.0 + 0.0 * x + 0.0 * y


def test_box_bounds_take_each_axis_its_own():
    lows, highs = so.box_bounds(BOX, (-5.0, 7.0))
    assert lows.tolist() == [-1.0, -2.0, -5.0] and highs.tolist() == [3.0, 0.0, 7.0]


def test_a_patch_outline_runs_round_the_border_of_the_patch():
    f = parse("f(x, y) = 1 + 0*x*y")
    point = np.array([1.0, -1.0])
    seg = so.model_outline(plane, f, (0, 1), point, BOX, (0.0, 2.0), 0.25, 5)
    # the patch: x in 1 ± 0.25·4, y in −1 ± 0.25·2, 5 points a side: 16 segments
    assert seg.shape == (16, 2, 3)
    pts = seg.reshape(-1, 3)
    on_x = np.isclose(np.abs(pts[:, 0] - 1.0), 1.0)
    on_y = np.isclose(np.abs(pts[:, 1] + 1.0), 0.5)
    assert np.all(on_x | on_y) and np.all(pts[:, 2] == 1.0)
    # a closed ring: each segment starts where the previous ended
    np.testing.assert_array_equal(seg[1:, 0], seg[:-1, 1])
    np.testing.assert_array_equal(seg[-1, 1], seg[0, 0])


def test_the_patch_grid_lines_and_triangles_of_a_plane():
    f = parse("f(x, y) = 1 + 0*x*y")
    point = np.array([1.0, -1.0])
    lines = so.model_grid_lines(plane, f, (0, 1), point, BOX, (0.0, 2.0), 0.25, 3)
    assert lines.shape == (2 * 3 * 2, 2, 3)
    tri = so.model_triangles(plane, f, (0, 1), point, BOX, (0.0, 2.0), 0.25, 3)
    assert tri.shape == (2 * 2 * 2, 3, 3)
    assert tri[..., 0].min() == 0.0 and tri[..., 0].max() == 2.0
    # a patch wider than the box is cut at the right wall x = 3, not at y's 0
    tri = so.model_triangles(plane, f, (0, 1), np.array([2.5, -1.0]), BOX, (0.0, 2.0), 0.25, 3)
    assert tri[..., 0].max() == 3.0 and tri[..., 1].max() == -0.5


def test_an_arrow_is_cut_at_the_right_wall_of_a_long_box():
    f = parse("f(x, y) = x + 0*y")
    start, end = so.arrow(
        f,
        (0, 1),
        np.array([2.0, -1.0]),
        2.0,
        np.array([1.0, 0.0]),
        np.array([2.0, 0.0]),
        BOX,
        (-10.0, 10.0),
    )
    np.testing.assert_array_equal(start, [2.0, -1.0, 2.0])
    np.testing.assert_allclose(end, [3.0, -1.0, 3.0])  # rises 1 per unit of x


def test_no_arrow_from_a_point_outside_the_drawn_box():
    f = parse("f(x, y) = x + 0*y")
    args = (np.array([1.0, 0.0]), np.array([1.0, 0.0]), BOX)
    # the value 20 lies above the z-range: nothing of the arrow is in view at its start
    assert so.arrow(f, (0, 1), np.array([1.0, -1.0]), 20.0, *args, (-10.0, 10.0)) is None


def test_an_arrow_stops_at_the_last_sample_where_f_is_defined():
    # f = √(1 − y) is undefined for y > 1; from (0, 0.5) the arrow (0, 1) would end at
    # y = 1.5: its 64 samples are y = 0.5 + k/63, the last defined k = 31
    f = parse("f(x, y) = sqrt(1 - y) + 0*x")
    value = np.sqrt(0.5)
    grad = np.array([0.0, -0.5 / np.sqrt(0.5)])
    start, end = so.arrow(
        f,
        (0, 1),
        np.array([0.0, 0.5]),
        value,
        grad,
        np.array([0.0, 1.0]),
        ((-2.0, 2.0), (-2.0, 2.0)),
        (-5.0, 5.0),
    )
    assert end[1] == pytest.approx(0.5 + 31 / 63)
    assert end[2] == pytest.approx(value + grad[1] * 31 / 63)


def test_sections_of_a_long_box():
    f = parse("f(x, y) = x*y")
    point = np.array([1.0, -1.0])
    sec = so.sections(f, (0, 1), point, -1.0, np.array([-1.0, 1.0]), BOX, (-10.0, 10.0), n=5)
    np.testing.assert_array_equal(sec.xs, [-1.0, 0.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(sec.f_of_x, -sec.xs)  # f(x, −1)
    np.testing.assert_array_equal(sec.ys, [-2.0, -1.5, -1.0, -0.5, 0.0])
    np.testing.assert_array_equal(sec.f_of_y, sec.ys)  # f(1, y)
    assert sec.along_x.shape == (4, 2, 3) and sec.along_y.shape == (4, 2, 3)
    np.testing.assert_array_equal(sec.along_y[:, :, 0], 1.0)
    np.testing.assert_array_equal(sec.along_y[:, 0, 1], sec.ys[:-1])
    # tangent lines 0.2 of each axis's own span either side of the point
    np.testing.assert_allclose(sec.tangent_x[0], [[0.2, -1.0, -0.2], [1.8, -1.0, -1.8]])
    np.testing.assert_allclose(sec.tangent_y[0], [[1.0, -1.4, -1.4], [1.0, -0.6, -0.6]])
