"""What the views draw, computed by `geometry` without widgets: grids, curves,
contours, arrows and picking, against values worked out by hand in each test."""

import numpy as np
import pytest

from explorer.engine import parse
from explorer.session import geometry

C, S = np.cos(0.45), np.sin(0.45)  # the barbs' angle, written out


def test_slice_args_put_the_grids_on_the_plotted_axes():
    x, y = np.zeros(2), np.ones(2)
    args = geometry.slice_args((2, 0), np.array([1, 2, 3]), (x, y))
    assert args[0] is y and args[2] is x and args[1] == 2.0 and type(args[1]) is float


def test_a_surface_on_a_three_by_three_grid():
    f = parse("f(x, y) = x^2 + 3*y")
    s = geometry.surface(f, (0, 1), np.array([0.5, 0.0]), ((0.0, 1.0), (-1.0, 1.0)), 3)
    np.testing.assert_array_equal(s.xs, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(s.ys, [-1.0, 0.0, 1.0])
    # z[i, j] = x_i² + 3 y_j
    want = np.array([[-3.0, 0.0, 3.0], [-2.75, 0.25, 3.25], [-2.0, 1.0, 4.0]])
    np.testing.assert_allclose(s.z, want)
    # normals (−f_x, −f_y, 1) = (−2x, −3, 1)
    np.testing.assert_allclose(s.normals[..., 0], [[0.0] * 3, [-1.0] * 3, [-2.0] * 3])
    np.testing.assert_allclose(s.normals[..., 1], -3.0)
    np.testing.assert_allclose(s.normals[..., 2], 1.0)
    assert not s.undefined
    # range −3 … 4, padded by 2 % of 7
    np.testing.assert_allclose(s.auto_range, (-3.14, 4.14))


def test_a_surface_of_the_sliced_axes_swapped():
    # axes (1, 0): the grid's first axis is y; the point fixes nothing else
    f = parse("f(x, y) = x - 10*y")
    s = geometry.surface(f, (1, 0), np.array([0.0, 0.0]), ((0.0, 1.0), (0.0, 2.0)), 2)
    np.testing.assert_allclose(s.z, [[0.0, 2.0], [-10.0, -8.0]])
    np.testing.assert_allclose(s.normals[0, 0], [10.0, -1.0, 1.0])


def test_an_undefined_part_is_nan_with_upright_normals():
    f = parse("f(x, y) = sqrt(x) + y")
    s = geometry.surface(f, (0, 1), np.array([1.0, 0.0]), ((-1.0, 1.0), (0.0, 1.0)), 3)
    assert s.undefined
    assert np.isnan(s.z[0]).all() and np.isfinite(s.z[1:]).all()
    np.testing.assert_array_equal(s.normals[0], [[0.0, 0.0, 1.0]] * 3)
    # at x = 0 the slope is infinite: upright too; at x = 1, (−1/2, −1, 1)
    np.testing.assert_array_equal(s.normals[1], [[0.0, 0.0, 1.0]] * 3)
    np.testing.assert_allclose(s.normals[2], [[-0.5, -1.0, 1.0]] * 3)


def test_auto_range_keeps_a_wide_but_even_spread():
    z = np.arange(100.0)  # 1st–99th percentiles 1 … 98: not 5× narrower, so all of it
    np.testing.assert_allclose(geometry.auto_range(z), (-1.98, 100.98))
    z[-1] = 1000.0  # now one value dominates: the percentiles 1 … 98
    np.testing.assert_allclose(geometry.auto_range(z), (1 - 0.02 * 97, 98 + 0.02 * 97))


def test_auto_range_closes_in_around_a_flat_neighbourhood():
    z = np.linspace(0.0, 100.0, 1001)
    near = np.array([50.0, 50.5])  # 0.5 % of the range: closes in to 50.25 ± 0.75
    lo, hi = geometry.auto_range(z, near)
    # but only a few values lie in 49.5 … 51: most of the surface would leave
    np.testing.assert_allclose((lo, hi), (-2.0, 102.0))
    z = np.concatenate([np.full(900, 50.2), np.linspace(0.0, 100.0, 100)])
    lo, hi = geometry.auto_range(z, near)
    np.testing.assert_allclose((lo, hi), (49.5 - 0.03, 51.0 + 0.03))
    # the window (0.05 ± 0.15) is cut to the values there are: 0 … 0.2, padded
    z = np.concatenate([np.full(900, 0.1), [0.0, 100.0]])
    lo, hi = geometry.auto_range(z, np.array([0.0, 0.1]))
    np.testing.assert_allclose((lo, hi), (-0.004, 0.204))
    # a spread of 2 % or more, or none at all, keeps the whole range
    assert geometry.auto_range(z, np.array([50.0, 52.0]))[1] > 100
    assert geometry.auto_range(z, np.array([50.2, 50.2]))[1] > 100
    assert geometry.auto_range(z, np.array([np.nan, np.nan]))[1] > 100


def test_auto_range_of_a_large_constant_is_one_either_side():
    assert geometry.auto_range(np.full(10, 1e6)) == (1e6 - 1.0, 1e6 + 1.0)
    lo, hi = geometry.auto_range(np.array([1e6, 1e6 + 1e-7]))  # within 1e-12 relative
    assert (lo, hi) == (1e6 - 1.0, 1e6 + 1e-7 + 1.0)


def test_near_point_is_the_patch_reach():
    xs = np.linspace(0.0, 10.0, 11)
    ys = np.linspace(0.0, 100.0, 11)
    z = np.add.outer(xs, ys)
    # reach 1.8 in x, 18 in y around (5, 50): x 4…6, y 40…60
    np.testing.assert_array_equal(geometry.near_point(z, xs, ys, (5.0, 50.0)), z[4:7, 4:7])
    np.testing.assert_array_equal(geometry.near_point(xs, xs, xs, (0.0,)), [0.0, 1.0])


def test_a_curve_with_a_pole_is_cut_there_and_a_smooth_one_is_not():
    f = parse("f(x) = 1/x")
    c = geometry.curve(f, np.array([0.5]), (-1.0, 1.0), 100)
    # 400 samples, none at 0: one NaN row between the two at ±1/799
    assert c.xs.size == 401 and np.isnan(c.xs).sum() == 1
    cut = int(np.flatnonzero(np.isnan(c.xs))[0])
    assert c.xs[cut - 1] < 0 < c.xs[cut + 1] and np.isnan(c.ys[cut])
    assert not c.undefined
    smooth = geometry.curve(parse("f(x) = x^3"), np.array([0.0]), (-1.0, 1.0), 600)
    assert smooth.xs.size == 600 and not np.isnan(smooth.xs).any()
    np.testing.assert_allclose(smooth.ys, smooth.xs**3)
    np.testing.assert_allclose(smooth.auto_range, (-1.04, 1.04))


def test_a_curve_cut_at_a_step_and_where_it_is_undefined():
    c = geometry.curve(parse("f(x) = sign(x - 0.3)"), np.array([0.0]), (0.0, 1.0), 10)
    assert np.isnan(c.xs).sum() == 1
    cut = int(np.flatnonzero(np.isnan(c.xs))[0])
    assert c.xs[cut - 1] < 0.3 < c.xs[cut + 1]
    u = geometry.curve(parse("f(x) = sqrt(x)"), np.array([1.0]), (-1.0, 1.0), 10)
    assert u.undefined and np.isnan(u.ys[:200]).all() and np.isfinite(u.ys[200:]).all()


def test_a_small_visible_wiggle_is_not_a_break():
    # sin(40x) has steps of 0.1 between samples, far from a jump
    c = geometry.curve(parse("f(x) = sin(40*x)"), np.array([0.0]), (-1.0, 1.0), 10)
    assert not np.isnan(c.xs).any()


def test_contour_levels_leave_out_the_ends():
    np.testing.assert_allclose(geometry.contour_levels((0.0, 1.0), 3), [0.25, 0.5, 0.75])


def test_a_grid_has_square_cells_and_a_bounded_count():
    f = parse("f(x, y) = x + 10*y")
    g = geometry.grid(f, (0, 1), np.array([0.0, 0.0]), ((0.0, 2.0), (0.0, 1.0)), 4)
    assert g.xs.size == 8 and g.ys.size == 4
    np.testing.assert_allclose(g.z, np.add.outer(g.xs, 10 * g.ys))
    assert g.rows[0].shape == (4, 8)
    np.testing.assert_array_equal(g.rows[0][2], g.xs)
    np.testing.assert_array_equal(g.rows[1][:, 3], g.ys)
    # 100 by 1: 400 by 4 cells would be 1600 > 4·4², so both shrink to 80 by 2
    long = geometry.grid(f, (0, 1), np.array([0.0, 0.0]), ((0.0, 100.0), (0.0, 1.0)), 4)
    assert (long.xs.size, long.ys.size) == (80, 2)
    # the sliced variable is held at the point; NaN where f is undefined
    h = geometry.grid(
        parse("f(x, y, z) = sqrt(y) + z"),
        (1, 0),
        np.array([0.0, 0.0, 5.0]),
        ((-1.0, 1.0), (0.0, 1.0)),
        2,
    )
    # (y's axis first: 4 cells across its 2, 2 across x's 1)
    np.testing.assert_allclose(h.xs, [-1.0, -1 / 3, 1 / 3, 1.0])
    np.testing.assert_allclose(h.z, [[np.nan] * 2, [np.nan] * 2, [5 + 3**-0.5] * 2, [6.0] * 2])


def test_contours_of_a_circle_and_their_labels():
    f = parse("f(x, y) = x^2 + y^2")
    g = geometry.grid(f, (0, 1), np.array([0.0, 0.0]), ((-2.0, 2.0), (-2.0, 2.0)), 101)
    c = geometry.contours(g, np.array([1.0, 5.0]), label_gap=1.0)
    pts = c.lines[np.isfinite(c.lines[:, 0])]
    r = np.hypot(*pts.T)
    # radius 1 and √5; the circle of radius √5 is cut by the box into 4 arcs
    assert np.all((np.abs(r - 1) < 1e-3) | (np.abs(r - 5**0.5) < 1e-3))
    breaks = int(np.isnan(c.lines[:, 0]).sum())
    assert breaks == 1 + 4 and np.isnan(c.lines[-1]).all()
    np.testing.assert_array_equal(c.levels, [1.0, 5.0])
    # one label per line longer than 1, all 1 apart: the circle's and the arcs'
    assert c.labels.shape[1] == 3 and 2 <= len(c.labels) <= 5
    assert c.labels[0, 2] == 1.0 and abs(np.hypot(*c.labels[0, :2]) - 1) < 1e-3
    d = np.hypot(*(c.labels[:, None, :2] - c.labels[None, :, :2]).transpose(2, 0, 1))
    assert np.all(d[~np.eye(len(d), dtype=bool)] >= 1.0)
    # no gap: no label; a box around the circle only: its label alone
    assert geometry.contours(g, np.array([1.0])).labels.shape == (0, 3)
    inner = geometry.contours(g, np.array([1.0, 5.0]), 1.0, ((-1.5, 1.5), (-1.5, 1.5)))
    assert [lv for *_, lv in inner.labels] == [1.0]
    # a level the grid never reaches: no line, no label
    empty = geometry.contours(g, np.array([100.0]), 1.0)
    assert empty.lines.shape == (0, 2) and empty.labels.shape == (0, 3)


def test_a_contour_label_sits_at_the_middle_of_its_line():
    # the level x = 0.3 of f = x: a vertical line from y = 0 to y = 1, labelled at its middle
    g = geometry.grid(parse("f(x, y) = x + 0*y"), (0, 1), np.zeros(2), ((0.0, 1.0), (0.0, 1.0)), 11)
    c = geometry.contours(g, np.array([0.3]), label_gap=0.5)
    assert c.labels.shape == (1, 3)
    x, y, level = c.labels[0]
    assert (x, level) == pytest.approx((0.3, 0.3)) and abs(y - 0.5) <= 0.1 + 1e-12  # a step
    assert geometry.contours(g, np.array([0.3]), label_gap=1.5).labels.shape == (0, 3)


def test_intersect_boxes():
    a = ((0.0, 2.0), (0.0, 2.0))
    assert geometry.intersect(a, ((1.0, 3.0), (-1.0, 1.5))) == ((1.0, 2.0), (0.0, 1.5))
    assert geometry.intersect(a, ((2.0, 3.0), (0.0, 1.0))) is None  # touching: empty
    assert geometry.intersect(a, ((0.0, 1.0), (2.0, 3.0))) is None


def test_patch_grid_spans_half_of_each_axis_around_the_centre():
    x, y = geometry.patch_grid((1.0, 2.0), ((0.0, 10.0), (0.0, 4.0)), 0.25, 3)
    np.testing.assert_allclose(x, [[-1.5] * 3, [1.0] * 3, [3.5] * 3])
    np.testing.assert_allclose(y, [[1.0, 2.0, 3.0]] * 3)


def test_an_arrow_is_a_shaft_and_two_barbs():
    a = geometry.arrow_2d([0.0, 0.0], [2.0, 0.0])
    tip = [2.0, 0.0]
    want = [[0.0, 0.0], tip, [np.nan] * 2, [2 - 0.5 * C, -0.5 * S], tip, [2 - 0.5 * C, 0.5 * S]]
    np.testing.assert_allclose(a[:6], want)
    assert np.isnan(a[6]).all() and a.shape == (7, 2)
    # upward, with a longer head: the barbs mirror about the shaft
    b = geometry.arrows_2d(
        np.array([[1.0, 1.0], [0.0, 0.0]]), np.array([[0.0, 1.0], [1.0, 1.0]]), 0.5
    )
    assert b.shape == (14, 2)
    np.testing.assert_allclose(b[3], [1 + 0.5 * S, 2 - 0.5 * C])
    np.testing.assert_allclose(b[5], [1 - 0.5 * S, 2 - 0.5 * C])
    np.testing.assert_allclose(b[8], [1.0, 1.0])


def test_the_gradient_field_of_a_plane():
    f = parse("f(x, y) = 2*x")
    a = geometry.gradient_field(f, (0, 1), np.zeros(2), ((0.0, 1.0), (0.0, 1.0)), count=2)
    # 2×2 cells of 0.5, centres at 0.25 and 0.75; every arrow the longest: 0.85·0.5
    assert a.shape == (4 * 7, 2)
    starts, tips = a[0::7], a[1::7]
    np.testing.assert_allclose(
        starts, [[0.0375, 0.25], [0.0375, 0.75], [0.5375, 0.25], [0.5375, 0.75]]
    )
    np.testing.assert_allclose(tips - starts, [[0.425, 0.0]] * 4)


def test_the_gradient_field_scales_by_the_root_and_the_95th_percentile():
    # f = x² on [0, 4] × [0, 1], 4 cells across x: |∇f| = 2x at x = 0.5, 1.5, 2.5, 3.5
    f = parse("f(x, y) = x^2 + 0*y")
    a = geometry.gradient_field(f, (0, 1), np.zeros(2), ((0.0, 4.0), (0.0, 1.0)), count=4)
    lengths = np.hypot(*(a[1::7] - a[0::7]).T)
    top = np.percentile([1.0, 3.0, 5.0, 7.0], 95)
    want = 0.85 * 1.0 * np.sqrt(np.minimum(np.array([1.0, 3.0, 5.0, 7.0]) / top, 1.0))
    np.testing.assert_allclose(lengths, want)
    # arrows are centred on their cells and point along +x
    np.testing.assert_allclose(
        (a[0::7] + a[1::7]) / 2, [[0.5, 0.5], [1.5, 0.5], [2.5, 0.5], [3.5, 0.5]]
    )


def test_a_flat_or_undefined_field_has_no_arrows():
    flat = geometry.gradient_field(
        parse("f(x, y) = 0*x + 0*y"), (0, 1), np.zeros(2), ((0, 1), (0, 1))
    )
    assert flat.shape == (0, 2)
    nowhere = geometry.gradient_field(
        parse("f(x, y) = sqrt(-1 - x*x) + y"), (0, 1), np.zeros(2), ((0, 1), (0, 1))
    )
    assert nowhere.shape == (0, 2)


def test_clip_to_box_by_slabs():
    lows, highs = np.zeros(3), np.ones(3)
    span = geometry._clip_to_box(np.array([-1.0, 0.5, 0.5]), np.array([1.0, 0.0, 0.0]), lows, highs)
    assert span == (1.0, 2.0)
    # parallel to a slab and outside it: no interval
    assert (
        geometry._clip_to_box(np.array([-1.0, 2.0, 0.5]), np.array([1.0, 0.0, 0.0]), lows, highs)
        is None
    )
    # backwards along x, through a corner region
    span = geometry._clip_to_box(np.array([2.0, 0.5, 0.5]), np.array([-2.0, 1.0, 0.0]), lows, highs)
    assert span == (0.5, 0.5)
    assert (
        geometry._clip_to_box(np.array([2.0, 0.6, 0.5]), np.array([-2.0, 1.0, 0.0]), lows, highs)
        is None
    )


def test_a_slanted_ray_meets_a_plane_where_computed_by_hand():
    # the ray (−1, 0, 5) + t(1, 0, −1) meets z = x where 5 − t = −1 + t: t = 3, at (2, 0, 2)
    f = parse("f(x, y) = x + 0*y")
    hit = geometry.ray_hit(
        f,
        (0, 1),
        np.zeros(2),
        ((-3.0, 3.0), (-1.0, 1.0)),
        (-5.0, 5.0),
        [-1.0, 0.0, 5.0],
        [1.0, 0.0, -1.0],
    )
    np.testing.assert_allclose(hit, (2.0, 0.0, 2.0), atol=1e-9)
    # the same ray from the other side of the surface meets it there too
    hit = geometry.ray_hit(
        f,
        (0, 1),
        np.zeros(2),
        ((-3.0, 3.0), (-1.0, 1.0)),
        (-5.0, 5.0),
        [3.0, 0.0, 1.0],
        [-1.0, 0.0, 1.0],
    )
    np.testing.assert_allclose(hit, (2.0, 0.0, 2.0), atol=1e-9)
    # a ray that stays above the plane within the box misses
    assert (
        geometry.ray_hit(
            f,
            (0, 1),
            np.zeros(2),
            ((-3.0, 3.0), (-1.0, 1.0)),
            (-5.0, 5.0),
            [-3, 0, 4.9],
            [1.0, 0.0, 0.0],
        )
        is None
    )


def test_a_ray_meets_the_first_of_two_crossings_and_stops_at_an_edge_of_the_domain():
    # z = x² from above along z = 0.25: the ray (−2, 0, 0.25) + t(1, 0, 0) meets it at x = −0.5
    f = parse("f(x, y) = x^2 + 0*y")
    box = ((-2.0, 2.0), (-1.0, 1.0))
    hit = geometry.ray_hit(
        f, (0, 1), np.zeros(2), box, (-1.0, 5.0), [-2.0, 0.0, 0.25], [1.0, 0.0, 0.0]
    )
    np.testing.assert_allclose(hit, (-0.5, 0.0, 0.25), atol=1e-9)
    # where f is undefined (x < 0 for √x) the march finds no crossing
    g = parse("f(x, y) = sqrt(x) + 0*y")
    hit = geometry.ray_hit(
        g, (0, 1), np.zeros(2), box, (-1.0, 5.0), [-2.0, 0.0, 1.0], [1.0, 0.0, 0.0]
    )
    np.testing.assert_allclose(hit, (1.0, 0.0, 1.0), atol=1e-9)


def test_auto_range_counts_values_at_the_window_edge_as_in_view():
    # most values sit exactly on the window's low end (0): they count as in view
    z = np.concatenate([np.zeros(900), np.linspace(0.0, 100.0, 100)])
    np.testing.assert_allclose(geometry.auto_range(z, np.array([0.0, 0.1])), (-0.004, 0.204))


def test_near_point_includes_a_value_at_exactly_the_reach():
    ys = np.array([0.0, geometry.PATCH_HALF * 100.0, 100.0])
    xs = np.array([0.0, 1.0])
    z = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(geometry.near_point(z, xs, ys, (0.0, 0.0)), [[0.0, 1.0]])


def test_a_surface_closes_its_range_around_a_flat_point():
    # exp(10xy) at its saddle (0, 0): f spans e^±40, but the patch around the point
    # stays near 1; the automatic range shows that, not the two towering corners
    f = parse("exp(10*x*y)")
    s = geometry.surface(f, (0, 1), np.zeros(2), ((-2.0, 2.0), (-2.0, 2.0)), 41)
    lo, hi = s.auto_range
    assert lo < 1.0 < hi and hi - lo < 0.05 * (np.nanmax(s.z) - np.nanmin(s.z))
    assert s.auto_range != geometry.auto_range(s.z)


def test_a_step_too_small_to_see_is_not_cut():
    # a step of 1e-4 on a curve spanning 2: below 1e-3 of the spread
    c = geometry.curve(parse("f(x) = x + 0.0001*sign(x - 0.3)"), np.array([0.0]), (-1.0, 1.0), 10)
    assert not np.isnan(c.xs).any()


def test_contour_labels_at_exactly_the_gap_and_the_edge_are_kept():
    g = geometry.grid(parse("f(x, y) = x + 0*y"), (0, 1), np.zeros(2), ((0.0, 1.0), (0.0, 1.0)), 11)
    levels = np.array([0.25, 0.75])
    both = geometry.contours(g, levels, label_gap=0.4).labels
    assert both.shape == (2, 3)
    # the second line's label sits at the middle of its own line, like the first's
    assert abs(both[0, 1] - 0.5) <= 0.1 + 1e-12 and abs(both[1, 1] - 0.5) <= 0.1 + 1e-12
    np.testing.assert_allclose(both[:, [0, 2]], [[0.25, 0.25], [0.75, 0.75]])
    gap = float(np.hypot(*(both[1, :2] - both[0, :2])))
    assert geometry.contours(g, levels, label_gap=gap).labels.shape == (2, 3)
    assert geometry.contours(g, levels, label_gap=np.nextafter(gap, 2)).labels.shape == (1, 3)
    edge = ((both[1, 0], 1.0), (0.0, 1.0))  # a box whose left edge is the label's x
    assert geometry.contours(g, levels, 0.4, edge).labels[:, 2].tolist() == [0.75]


def test_an_arrow_from_whole_numbers_is_in_floats():
    a = geometry.arrow_2d([0, 0], [2, 0])
    assert a.dtype == np.float64 and np.isnan(a[2]).all() and np.isnan(a[6]).all()
    np.testing.assert_allclose(a[3], [2 - 0.5 * C, -0.5 * S])


def test_a_ray_with_short_direction_components():
    lows, highs = np.zeros(3), np.ones(3)
    span = geometry._clip_to_box(
        np.array([-1.0, 0.5, 0.5]), np.array([0.5, 1e-3, 0.0]), lows, highs
    )
    assert span == pytest.approx((2.0, 4.0))


def test_a_tiny_step_on_a_flat_stretch_is_not_cut():
    # |x| − x is flat for x > 0; there a step of 2·10⁻⁴ is below 10⁻³ of the spread (2)
    f = parse("f(x) = abs(x) - x + 0.0001*sign(x - 0.3)")
    c = geometry.curve(f, np.array([0.0]), (-1.0, 1.0), 10)
    assert not np.isnan(c.xs).any()
    # ten times larger it is drawn as a break
    f = parse("f(x) = abs(x) - x + 0.01*sign(x - 0.3)")
    assert np.isnan(geometry.curve(f, np.array([0.0]), (-1.0, 1.0), 10).xs).sum() == 1


def test_auto_range_keeps_the_whole_range_for_a_neighbourhood_without_spread():
    z = np.concatenate([np.full(900, 50.2), np.linspace(0.0, 100.0, 100)])
    assert geometry.auto_range(z, np.array([50.2, 50.2]))[1] > 100  # no spread: no window


def test_auto_range_keeps_the_whole_range_at_exactly_five_times_the_percentiles():
    # 1st and 99th of 100 values are v[1] = 0 and v[98] = 1; the full range −2 … 3 is 5 times
    z = np.concatenate([[-2.0], np.linspace(0.0, 1.0, 98), [3.0]])
    np.testing.assert_allclose(geometry.auto_range(z), (-2.1, 3.1))


def test_a_curve_closes_its_range_around_a_flat_point():
    # exp(−100x²) at x = 0.8: nearly 0 there and over most of [−1, 1]; the peak is cut
    c = geometry.curve(parse("f(x) = exp(-100*x^2)"), np.array([0.8]), (-1.0, 1.0), 10)
    assert c.auto_range[1] < 1e-7


def test_contour_labels_of_a_line_of_exactly_the_gap_and_in_its_middle():
    g = geometry.grid(parse("f(x, y) = x + 0*y"), (0, 1), np.zeros(2), ((0.0, 1.0), (0.0, 2.0)), 11)
    c = geometry.contours(g, np.array([0.3]))
    line = c.lines[:-1]
    length = float(np.hypot(*np.diff(line, axis=0).T).sum())
    assert length == pytest.approx(2.0)
    assert geometry.contours(g, np.array([0.3]), label_gap=length).labels.shape == (1, 3)
    none = geometry.contours(g, np.array([0.3]), label_gap=np.nextafter(length, 3.0))
    assert none.labels.shape == (0, 3)
    # the label sits within a step of the middle, y = 1
    ((x, y, _),) = geometry.contours(g, np.array([0.3]), label_gap=1.0).labels
    assert abs(y - 1.0) <= 2 / 21 + 1e-12


def test_the_gradient_field_along_y_is_centred_on_its_cells_with_a_head_of_0_3():
    f = parse("f(x, y) = 0*x + y")
    a = geometry.gradient_field(f, (0, 1), np.zeros(2), ((0.0, 1.0), (0.0, 1.0)), count=2)
    starts, tips = a[0::7], a[1::7]
    np.testing.assert_allclose(
        (starts + tips) / 2, [[0.25, 0.25], [0.25, 0.75], [0.75, 0.25], [0.75, 0.75]]
    )
    np.testing.assert_allclose(tips - starts, [[0.0, 0.425]] * 4)
    # each barb is 0.3 of the arrow long
    np.testing.assert_allclose(np.hypot(*(a[3::7] - tips).T), 0.3 * 0.425)
