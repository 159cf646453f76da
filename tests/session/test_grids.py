"""The surface's and the map's grids hold f where they say: z[i, j] = f(xs[i], ys[j]),
on a box that is not square and a function that is not symmetric (a transposed
grid would pass on either)."""

import numpy as np

from explorer.engine import parse
from explorer.session import geometry

BOX = ((-1.0, 3.0), (-0.5, 0.7))


def f_hand(x, y):
    return np.sin(3 * x) * np.cos(2 * y) + 0.3 * x**2 * y


def test_the_surface_holds_f_and_its_normals_on_the_grid_points():
    f = parse("sin(3x)*cos(2y) + 0.3x^2*y")
    s = geometry.surface(f, (0, 1), np.zeros(2), BOX, 41)
    x, y = np.meshgrid(s.xs, s.ys, indexing="ij")
    assert s.z.shape == (41, 41)
    np.testing.assert_allclose(s.z, f_hand(x, y), rtol=1e-13, atol=1e-14)
    fx = 3 * np.cos(3 * x) * np.cos(2 * y) + 0.6 * x * y
    fy = -2 * np.sin(3 * x) * np.sin(2 * y) + 0.3 * x**2
    np.testing.assert_allclose(s.normals[..., 0], -fx, rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(s.normals[..., 1], -fy, rtol=1e-12, atol=1e-13)
    np.testing.assert_array_equal(s.normals[..., 2], 1.0)


def test_a_slice_of_three_variables_holds_f_with_the_third_fixed():
    f = parse("x*y + z^2*x - sin(z)*y^3")
    point = np.array([0.0, 0.0, 0.8])
    s = geometry.surface(f, (0, 1), point, BOX, 21)
    x, y = np.meshgrid(s.xs, s.ys, indexing="ij")
    np.testing.assert_allclose(s.z, x * y + 0.64 * x - np.sin(0.8) * y**3, rtol=1e-13, atol=1e-14)


def test_the_map_grid_holds_f_on_its_points():
    f = parse("sin(3x)*cos(2y) + 0.3x^2*y")
    g = geometry.grid(f, (0, 1), np.zeros(2), BOX, 31)
    assert g.z.shape == (len(g.xs), len(g.ys)) and len(g.xs) > len(g.ys)  # square cells
    x, y = np.meshgrid(g.xs, g.ys, indexing="ij")
    np.testing.assert_allclose(g.z, f_hand(x, y), rtol=1e-13, atol=1e-14)
    np.testing.assert_array_equal(g.rows[0], x.T)
    np.testing.assert_array_equal(g.rows[1], y.T)
