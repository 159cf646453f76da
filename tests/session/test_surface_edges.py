"""The drawn surface's clean edges: vertices just outside the drawn part move to
the true boundary (the rim of a hemisphere, the z-range's lid), found by
bisection; checked against the boundary written out by hand."""

import numpy as np
import pytest

from explorer.engine import parse
from explorer.session import geometry
from explorer.session.surface_edges import _shifted, surface_mesh


def mesh(text, box, resolution, zrange=None):
    f = parse(text)
    s = geometry.surface(f, (0, 1), np.zeros(2), box, resolution)
    return s, surface_mesh(f, (0, 1), np.zeros(2), s, zrange or (-1e9, 1e9))


def test_a_surface_all_inside_is_its_own_read_only_arrays():
    s, m = mesh("x + y", ((-1.0, 1.0), (-1.0, 1.0)), 5)
    assert m.visible.all()
    np.testing.assert_array_equal(m.z, s.z)
    np.testing.assert_array_equal(m.x[:, 0], s.xs)
    np.testing.assert_array_equal(m.y[0], s.ys)
    assert not m.z.flags.writeable and not m.normals.flags.writeable
    assert s.z.flags.writeable  # the surface's own array is untouched


def test_the_hemispheres_rim_is_found_on_the_unit_circle():
    s, m = mesh("sqrt(1 - x^2 - y^2)", ((-1.5, 1.5), (-1.5, 1.5)), 31)
    moved = m.visible & ~np.isfinite(s.z)
    assert moved.sum() > 20
    r = np.hypot(m.x[moved], m.y[moved])
    cell = 3.0 / 30
    assert np.all(r <= 1.0) and np.all(r > 1.0 - 1e-5 * cell)
    # each moved vertex slid along its grid line toward a drawn neighbour
    on_line = (m.x[moved] == np.broadcast_to(s.xs[:, None], s.z.shape)[moved]) | (
        m.y[moved] == np.broadcast_to(s.ys[None, :], s.z.shape)[moved]
    )
    assert on_line.all()
    np.testing.assert_allclose(m.z[moved], np.sqrt(np.maximum(0.0, 1 - r**2)), atol=1e-7)
    # vertices with no drawn neighbour are not drawn; their z is NaN
    assert np.isnan(m.z[~m.visible]).all() and not m.visible[0, 0]
    assert np.all(m.normals[moved][:, 2] == 1.0)


def test_the_lid_cuts_a_plane_at_its_height():
    # z = 2x cut to [−1, 1]: the edge at x = ±½ exactly (to the bisection's 2⁻²⁰ of a cell)
    s, m = mesh("2*x + 0*y", ((-1.0, 1.0), (-1.0, 1.0)), 5, (-1.0, 1.0))
    xs_drawn = m.x[m.visible]
    assert xs_drawn.min() == pytest.approx(-0.5, abs=0.5 * 2**-20) and xs_drawn.max() == (
        pytest.approx(0.5, abs=0.5 * 2**-20)
    )
    assert m.z[m.visible].min() >= -1.0 and m.z[m.visible].max() <= 1.0
    # the grid: x = −1, −½, 0, ½, 1; the rows at ±½ are on the lid already, those
    # at ±1 move to ±½ (their neighbours at ±½ are drawn), the rest stay
    np.testing.assert_allclose(m.x[:, 0], [-0.5, -0.5, 0.0, 0.5, 0.5], atol=2**-20)
    np.testing.assert_allclose(m.normals[0, 0], [-2.0, 0.0, 1.0])
    assert m.visible.all()


def test_shifted_reads_the_neighbour_with_a_fill_off_the_grid():
    a = np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(_shifted(a, 1, 0, -1), [[3, 4, 5], [-1, -1, -1]])
    np.testing.assert_array_equal(_shifted(a, -1, 0, -1), [[-1, -1, -1], [0, 1, 2]])
    np.testing.assert_array_equal(_shifted(a, 0, 1, -1), [[1, 2, -1], [4, 5, -1]])
    np.testing.assert_array_equal(_shifted(a, 0, -1, -1), [[-1, 0, 1], [-1, 3, 4]])


def test_an_edge_on_the_right_is_found_too():
    # √(0.3 − x) is undefined right of x = 0.3: the vertices there move left onto it
    s, m = mesh("sqrt(0.3 - x) + 0*y", ((-1.0, 1.0), (-1.0, 1.0)), 5)
    assert m.x[m.visible].max() == pytest.approx(0.3, abs=0.5 * 2**-20)
    # the moved row (x = 0.5) now sits at 0.3, just inside; its normals (−f_x, 0, 1)
    # with f_x = −1/(2√(0.3 − x)), steep there
    np.testing.assert_allclose(m.x[3], 0.3, atol=2**-20)
    np.testing.assert_allclose(m.normals[3, :, 0], 0.5 / np.sqrt(0.3 - m.x[3]))
    np.testing.assert_array_equal(m.normals[3, :, 1:], [[0.0, 1.0]] * 5)
    assert not m.visible[4].any() and np.isnan(m.z[4]).all()


def test_the_moved_rim_has_upright_normals():
    s, m = mesh("sqrt(1 - x^2 - y^2)", ((-1.5, 1.5), (-1.5, 1.5)), 31)
    moved = m.visible & ~np.isfinite(s.z)
    x, y, z = m.x[moved], m.y[moved], m.z[moved]
    n = m.normals[moved]
    # where the slope is infinite (the rim hit exactly) the normal stands upright;
    # elsewhere it is (−f_x, −f_y, 1) = (x/z, y/z, 1)
    upright = z == 0.0
    assert upright.any() and (~upright).any()
    np.testing.assert_array_equal(n[upright], [[0.0, 0.0, 1.0]] * int(upright.sum()))
    np.testing.assert_allclose(n[~upright][:, 0], x[~upright] / z[~upright], rtol=1e-6)
    np.testing.assert_allclose(n[~upright][:, 1], y[~upright] / z[~upright], rtol=1e-6)
