"""Clean edges for the drawn surface.

The surface is drawn where f is defined and inside the z-range. Dropping every
grid cell with a vertex outside leaves a staircase along the domain's edge
and along pole cuts. Instead, each vertex just outside the drawn part that
has a drawn neighbour on the grid is moved along the grid line to the
boundary between them (found by bisection on f), so that the edge follows the
true boundary: the rim of a hemisphere, a clean cut at the lid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.engine import Function

from .geometry import Surface, slice_args

STEPS = 20  # bisection steps: the boundary to 1e-6 of a grid cell
NEIGHBOURS = ((1, 0), (-1, 0), (0, 1), (0, -1))


@dataclass(frozen=True)
class SurfaceMesh:
    """Vertex positions (nx, ny) each, normals (nx, ny, 3), and which vertices are drawn."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray  # NaN where not drawn
    normals: np.ndarray
    visible: np.ndarray


def _shifted(a: np.ndarray, di: int, dj: int, fill) -> np.ndarray:
    """out[i, j] = a[i + di, j + dj], `fill` off the grid."""
    out = np.full_like(a, fill)
    nx, ny = a.shape
    out[max(-di, 0) : nx - max(di, 0), max(-dj, 0) : ny - max(dj, 0)] = a[
        max(di, 0) : nx + min(di, 0), max(dj, 0) : ny + min(dj, 0)
    ]
    return out


def surface_mesh(
    f: Function,
    axes: tuple[int, int],
    point: np.ndarray,
    s: Surface,
    zrange: tuple[float, float],
) -> SurfaceMesh:
    z0, z1 = zrange
    x = np.broadcast_to(s.xs[:, None], s.z.shape)
    y = np.broadcast_to(s.ys[None, :], s.z.shape)
    with np.errstate(invalid="ignore"):
        inside = np.isfinite(s.z) & (s.z >= z0) & (s.z <= z1)
    if inside.all():  # no edge to clean: the surface's own arrays, read-only
        return SurfaceMesh(x, y, _read_only(s.z), _read_only(s.normals), inside)
    x, y, z, normals = x.copy(), y.copy(), s.z.copy(), s.normals.copy()
    moved = np.zeros_like(inside)

    def drawable(px, py):
        with np.errstate(all="ignore"):
            v = np.asarray(f(*slice_args(axes, point, (px, py))), dtype=np.float64)
            return v, np.isfinite(v) & (v >= z0) & (v <= z1)

    for di, dj in NEIGHBOURS:
        i, j = np.nonzero(~inside & ~moved & _shifted(inside, di, dj, False))
        if i.size == 0:
            continue
        ax, ay = x[i + di, j + dj], y[i + di, j + dj]  # the drawn neighbour
        bx, by = x[i, j], y[i, j]
        lo, hi = np.zeros(i.size), np.ones(i.size)
        for _ in range(STEPS):
            mid = 0.5 * (lo + hi)
            _, ok = drawable(ax + mid * (bx - ax), ay + mid * (by - ay))
            lo, hi = np.where(ok, mid, lo), np.where(ok, hi, mid)
        px, py = ax + lo * (bx - ax), ay + lo * (by - ay)
        value, ok = drawable(px, py)
        x[i, j], y[i, j], z[i, j] = px, py, np.clip(value, z0, z1)
        with np.errstate(all="ignore"):
            grad = f.gradient(*slice_args(axes, point, (px, py)))
        n = np.stack([-grad[axes[0]], -grad[axes[1]], np.ones(i.size)], axis=-1)
        n[~np.all(np.isfinite(n), axis=-1)] = (0.0, 0.0, 1.0)
        normals[i, j] = n
        moved[i, j] = ok
    visible = inside | moved
    z[~visible] = np.nan
    return SurfaceMesh(x, y, z, normals, visible)


def _read_only(a: np.ndarray) -> np.ndarray:
    view = a.view()
    view.flags.writeable = False
    return view
