"""Clipping cases worked out by hand: a triangle with one and with two corners
inside, segments along a wall, touching a corner, or with a broken end."""

import numpy as np

from explorer.session.clip import clip_segments, clip_triangles

LOWS, HIGHS = np.array([-1.0, -1.0, -1.0]), np.array([1.0, 1.0, 1.0])


def areas(tri: np.ndarray) -> np.ndarray:
    """Signed areas in the x–z plane (the sign is the winding)."""
    u, v = tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]
    return 0.5 * (u[:, 2] * v[:, 0] - u[:, 0] * v[:, 2])


def test_a_triangle_with_two_corners_inside_becomes_a_quad():
    # corners (0, 0, 0) and (½, 0, 0) inside, (0, 0, 2) above the lid z = 1: inside,
    # 0 ≤ x ≤ ½(1 − z/2) for 0 ≤ z ≤ 1, of area ½·(1 − ¼) = 3/8
    tri = np.array([[[0.0, 0.0, 0.0], [0.5, 0.0, 0.0], [0.0, 0.0, 2.0]]])
    out = clip_triangles(tri, LOWS, HIGHS)
    assert out.shape == (2, 3, 3) and out[..., 2].max() == 1.0
    a = areas(out)
    assert np.all(np.sign(a) == np.sign(areas(tri))) and abs(a.sum()) == 0.375


def test_a_triangle_with_one_corner_inside_becomes_a_smaller_one():
    # (0, 0, 0) inside; (0, 0, 4) and (4, 0, 0) outside: the box keeps the unit square
    tri = np.array([[[0.0, 0.0, 0.0], [0.0, 0.0, 4.0], [4.0, 0.0, 0.0]]])
    out = clip_triangles(tri, LOWS, HIGHS)
    a = areas(out)
    assert np.all(np.sign(a) == np.sign(areas(tri))) and abs(a.sum()) == 1.0
    assert out.min() == 0.0 and out.max() == 1.0
    # the same from below, through the floor and the left wall
    out = clip_triangles(-tri, LOWS, HIGHS)
    assert abs(areas(out).sum()) == 1.0 and out.min() == -1.0


def test_segments_leave_through_each_wall():
    starts = np.zeros((3, 3))
    ends = np.array([[4.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, -4.0]])
    seg = clip_segments(starts, ends, LOWS, HIGHS)
    np.testing.assert_array_equal(seg[:, 1], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, -1.0]])
    np.testing.assert_array_equal(seg[:, 0], starts)


def test_a_segment_along_a_wall_is_kept_and_one_beside_the_box_is_not():
    seg = clip_segments([[-2.0, 1.0, 0.0]], [[2.0, 1.0, 0.0]], LOWS, HIGHS)  # on y = 1
    np.testing.assert_array_equal(seg, [[[-1.0, 1.0, 0.0], [1.0, 1.0, 0.0]]])
    seg = clip_segments([[-1.0, -2.0, 0.5]], [[-1.0, 2.0, 0.5]], LOWS, HIGHS)  # on x = −1
    np.testing.assert_array_equal(seg, [[[-1.0, -1.0, 0.5], [-1.0, 1.0, 0.5]]])
    for x, y, z in ((5.0, 0.0, 0.0), (0.0, 5.0, 0.0), (0.0, 0.0, 5.0)):
        # parallel to an axis, beside the box on another
        start = np.array([x, y, z])
        end = start + np.array([0.5 if x == 0 else 0.0, 0.5 if x != 0 else 0.0, 0.0])
        assert clip_segments(start, end, LOWS, HIGHS).shape == (0, 2, 3)


def test_a_segment_touching_a_corner_only_is_dropped():
    # x + y = 2 meets the box at its edge x = y = 1 only: no length inside
    assert clip_segments([[0.0, 2.0, 0.0]], [[2.0, 0.0, 0.0]], LOWS, HIGHS).shape == (0, 2, 3)


def test_a_segment_with_a_broken_end_is_dropped_alone():
    starts = [[0.0, 0.0, 0.0], [np.nan, 0.0, 0.0], [0.0, 0.5, 0.0]]
    ends = [[0.5, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.5, np.inf]]
    seg = clip_segments(starts, ends, LOWS, HIGHS)
    np.testing.assert_array_equal(seg, [[[0.0, 0.0, 0.0], [0.5, 0.0, 0.0]]])


def test_integer_bounds_and_a_start_on_the_wall():
    # a start on the wall x = −1 moving along it in y: 0/0 there is no trouble
    seg = clip_segments([[-1, 0, 0]], [[-1, 3, 0]], [-1, -1, -1], [1, 1, 1])
    np.testing.assert_array_equal(seg, [[[-1.0, 0.0, 0.0], [-1.0, 1.0, 0.0]]])
