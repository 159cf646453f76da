"""Clipping overlay geometry to the plotted box, and the 3D overlays' shapes,
checked against hand computations and independent oracles (areas, finite
differences), not against the code under test."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.engine import parse
from explorer.session import surface_overlays
from explorer.session.clip import clip_segments, clip_triangles, grid_triangles

LOWS, HIGHS = np.array([-1.0, -1.0, -1.0]), np.array([1.0, 1.0, 1.0])


def area(tri: np.ndarray) -> float:
    return float(
        0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1).sum()
    )


def test_a_triangle_inside_is_kept_and_one_outside_is_dropped():
    inside = np.array([[[0, 0, 0], [0.5, 0, 0], [0, 0.5, 0]]], dtype=float)
    np.testing.assert_array_equal(clip_triangles(inside, LOWS, HIGHS), inside)
    assert len(clip_triangles(inside + 5, LOWS, HIGHS)) == 0
    assert len(clip_triangles(np.full((1, 3, 3), np.nan), LOWS, HIGHS)) == 0


def test_a_plane_through_the_lid_is_cut_not_flattened():
    # the plane z = 2x over [-1, 1]²: inside the box only where |x| ≤ 1/2
    x, y = np.meshgrid(np.linspace(-1, 1, 5), np.linspace(-1, 1, 5), indexing="ij")
    tri = clip_triangles(grid_triangles(np.stack([x, y, 2 * x], -1)), LOWS, HIGHS)
    assert np.all(tri >= LOWS - 1e-12) and np.all(tri <= HIGHS + 1e-12)
    np.testing.assert_allclose(tri[..., 2], 2 * tri[..., 0], atol=1e-12)  # still on the plane
    # its area is that of the strip |x| ≤ 1/2: width 1 in x, 2 in y, slanted by √5
    assert area(tri) == pytest.approx(1 * 2 * np.sqrt(5))
    assert np.abs(tri[..., 0]).max() == pytest.approx(0.5)


@given(st.lists(st.floats(-3, 3, allow_nan=False, allow_infinity=False), min_size=9, max_size=9))
def test_clipped_triangles_are_inside_and_never_larger(coords):
    tri = np.array(coords).reshape(1, 3, 3)
    out = clip_triangles(tri, LOWS, HIGHS)
    assert np.all(out >= LOWS - 1e-9) and np.all(out <= HIGHS + 1e-9)
    assert area(out) <= area(tri) + 1e-9
    if np.all(np.abs(tri) <= 1):
        assert area(out) == pytest.approx(area(tri), abs=1e-9)


def test_segments_are_cut_at_the_walls():
    seg = clip_segments([[-3, 0, 0], [0, 0, 0]], [[3, 0, 0], [0, 0, 5]], LOWS, HIGHS)
    np.testing.assert_allclose(seg, [[[-1, 0, 0], [1, 0, 0]], [[0, 0, 0], [0, 0, 1]]])
    assert len(clip_segments([[2, 2, 2]], [[3, 3, 3]], LOWS, HIGHS)) == 0
    assert len(clip_segments([[0, 0, 0]], [[np.nan, 0, 0]], LOWS, HIGHS)) == 0


def test_the_tangent_plane_stays_where_f_is_defined():
    f = parse("log(x*y)")
    point = np.array([0.05, 0.05])
    box = ((-2.0, 2.0), (-2.0, 2.0))
    linear = lambda x, y: np.log(0.0025) + (x - 0.05) / 0.05 + (y - 0.05) / 0.05  # noqa: E731
    tri = surface_overlays.model_triangles(linear, f, (0, 1), point, box, (-8, 2), 0.18, 25)
    assert len(tri) > 0
    cell = 2 * 0.18 * 4 / 24
    assert tri[..., 0].min() > -cell and tri[..., 1].min() > -cell  # not in x < 0 or y < 0
    np.testing.assert_allclose(tri[..., 2], linear(tri[..., 0], tri[..., 1]), atol=1e-9)
    assert tri[..., 2].min() >= -8 and tri[..., 2].max() <= 2


def test_an_arrow_stops_at_the_wall_and_before_undefined_points():
    f = parse("x + 10y")
    box = ((-1.0, 1.0), (-1.0, 1.0))
    g = np.array([1.0, 10.0])
    start, end = surface_overlays.arrow(
        f, (0, 1), np.zeros(2), 0.0, g, np.array([0.0, 0.5]), box, (-2.0, 2.0)
    )
    np.testing.assert_allclose(start, [0, 0, 0])
    np.testing.assert_allclose(end, [0, 0.2, 2.0])  # it rises 10 per unit of y: the lid at 0.2
    f = parse("sqrt(1 - x) + 0*y")  # undefined for x > 1 inside a box to 2
    start, end = surface_overlays.arrow(
        f,
        (0, 1),
        np.array([0.5, 0.0]),
        np.sqrt(0.5),
        np.array([-0.7, 0]),
        np.array([1.0, 0.0]),
        ((-2.0, 2.0), (-1.0, 1.0)),
        (-5.0, 5.0),
    )
    assert 0.95 < end[0] <= 1.0


def test_sections_lie_on_the_surface_with_the_partial_slopes():
    f = parse("x^2*y + sin(y)")
    p = np.array([0.7, -0.4])
    box = ((-2.0, 2.0), (-2.0, 2.0))
    value = float(f(*p))
    h = 1e-6  # the oracle: central differences of f
    fx = (f(p[0] + h, p[1]) - f(p[0] - h, p[1])) / (2 * h)
    fy = (f(p[0], p[1] + h) - f(p[0], p[1] - h)) / (2 * h)
    sec = surface_overlays.sections(f, (0, 1), p, value, np.array([fx, fy]), box, (-10, 10))
    for segs, fixed_axis in ((sec.along_x, 1), (sec.along_y, 0)):
        pts = segs.reshape(-1, 3)
        np.testing.assert_allclose(pts[:, fixed_axis], p[fixed_axis])
        np.testing.assert_allclose(pts[:, 2], f(pts[:, 0], pts[:, 1]), atol=1e-9)
    for segs, slope, axis in ((sec.tangent_x, fx, 0), (sec.tangent_y, fy, 1)):
        ((a, b),) = segs
        assert (b[2] - a[2]) / (b[axis] - a[axis]) == pytest.approx(slope, rel=1e-5)
        assert a[1 - axis] == b[1 - axis] == p[1 - axis]
