"""Cutting overlay geometry to the plotted box: triangles and line segments are
clipped exactly against its six faces (an overlay leaving the box stops at
its wall instead of being flattened into a lid or running off the screen).
Plain numpy; every function works on whole arrays at once.
"""

from __future__ import annotations

import numpy as np


def _clip_soup(tri: np.ndarray, axis: int, bound: float, sign: float) -> np.ndarray:
    """Triangles (m, 3, 3) cut by the half-space sign·(p[axis] − bound) ≥ 0.

    A triangle with one vertex inside becomes a smaller triangle, with two a
    quad (two triangles); the winding is kept (vertices are only rotated).
    Only the few triangles the plane crosses are cut (counted per vertex:
    numpy reduces a length-3 axis slowly).
    """
    d = sign * (tri[:, :, axis] - bound)
    inside = d >= 0
    count = inside[:, 0].astype(np.int8) + inside[:, 1] + inside[:, 2]
    keep = tri[count == 3]
    crossed = np.flatnonzero((count == 1) | (count == 2))
    tri, d, inside, count = tri[crossed], d[crossed], inside[crossed], count[crossed]

    def rotated(sel: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The selected triangles and distances, rotated so `first` is vertex 0."""
        order = (first[:, None] + np.arange(3)[None, :]) % 3
        rows = np.flatnonzero(sel)[:, None]
        return tri[rows, order], d[rows, order]

    def cut(p: np.ndarray, q: np.ndarray, dp: np.ndarray, dq: np.ndarray) -> np.ndarray:
        t = (dp / (dp - dq))[:, None]
        return p + t * (q - p)

    one = count == 1  # the inside vertex first: a, then b and c outside
    t1, d1 = rotated(one, np.argmax(inside[one], axis=1))
    a, b, c = t1[:, 0], t1[:, 1], t1[:, 2]
    small = np.stack([a, cut(a, b, d1[:, 0], d1[:, 1]), cut(a, c, d1[:, 0], d1[:, 2])], axis=1)

    two = count == 2  # the outside vertex last: a and b inside, c outside
    t2, d2 = rotated(two, (np.argmin(inside[two], axis=1) + 1) % 3)
    a, b, c = t2[:, 0], t2[:, 1], t2[:, 2]
    pb = cut(b, c, d2[:, 1], d2[:, 2])
    pa = cut(a, c, d2[:, 0], d2[:, 2])
    quads = np.concatenate([np.stack([a, b, pb], axis=1), np.stack([a, pb, pa], axis=1)])
    return np.concatenate([keep, small, quads])


def clip_triangles(triangles: np.ndarray, lows, highs) -> np.ndarray:
    """The parts of triangles (m, 3, 3) inside the box [lows, highs] (3 each),
    as triangles (k, 3, 3). Triangles with a non-finite vertex are dropped."""
    tri = np.asarray(triangles, dtype=np.float64).reshape(-1, 3, 3)
    if not np.isfinite(tri).all():
        tri = tri[np.all(np.isfinite(tri), axis=(1, 2))]
    for axis in range(3):
        if len(tri) == 0:
            break
        # Cutting only shrinks triangles: a face that the bounds of all of them do
        # not cross is never crossed (the patches mostly lie inside the box).
        coords = tri[:, :, axis]  # (one axis at a time: numpy reduces (…, 3) slowly)
        if coords.min() < lows[axis]:
            tri = _clip_soup(tri, axis, float(lows[axis]), 1.0)
        if coords.max() > highs[axis]:
            tri = _clip_soup(tri, axis, float(highs[axis]), -1.0)
    return tri


def grid_triangles(vertices: np.ndarray) -> np.ndarray:
    """Two triangles per cell of a vertex grid (n, m, 3), as (2(n−1)(m−1), 3, 3)."""
    v = np.asarray(vertices, dtype=np.float64)
    a, b, c, d = v[:-1, :-1], v[1:, :-1], v[1:, 1:], v[:-1, 1:]
    first = np.stack([a, b, c], axis=2).reshape(-1, 3, 3)
    second = np.stack([a, c, d], axis=2).reshape(-1, 3, 3)
    return np.concatenate([first, second])


def clip_segments(starts: np.ndarray, ends: np.ndarray, lows, highs) -> np.ndarray:
    """The parts of segments inside the box, as (k, 2, 3) pairs of end points
    (Liang–Barsky). Segments with a non-finite end or wholly outside are dropped.
    (The three coordinates are combined one by one: numpy reduces a length-3
    axis slowly.)"""
    p = np.asarray(starts, dtype=np.float64).reshape(-1, 3)
    q = np.asarray(ends, dtype=np.float64).reshape(-1, 3)
    if not (np.isfinite(p).all() and np.isfinite(q).all()):
        ok = np.all(np.isfinite(p), axis=1) & np.all(np.isfinite(q), axis=1)
        p, q = p[ok], q[ok]
    d = q - p
    lo, hi = np.asarray(lows, dtype=np.float64), np.asarray(highs, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = (lo - p) / d
        b = (hi - p) / d
    parallel = d == 0
    outside = parallel & ((p < lo) | (p > hi))
    enter = np.where(parallel, -np.inf, np.minimum(a, b))
    leave = np.where(parallel, np.inf, np.maximum(a, b))
    t0 = np.maximum(np.maximum(np.maximum(0.0, enter[:, 0]), enter[:, 1]), enter[:, 2])
    t1 = np.minimum(np.minimum(np.minimum(1.0, leave[:, 0]), leave[:, 1]), leave[:, 2])
    keep = (t0 < t1) & ~(outside[:, 0] | outside[:, 1] | outside[:, 2])
    p, d, t0, t1 = p[keep], d[keep], t0[keep], t1[keep]
    return np.stack([p + t0[:, None] * d, p + t1[:, None] * d], axis=1)


def polyline_segments(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Consecutive pairs of a polyline (k, 3) as (starts, ends)."""
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 3)
    return pts[:-1], pts[1:]
