"""What the views draw, computed from the engine: grids, normals, contour lines,
overlay meshes and arrows. Plain numpy (and contourpy); no Qt.

Grids follow ``z[i, j] = f(x[i], y[j])`` (``meshgrid(..., indexing="ij")``).
A view is a 2D slice: `axes` names the two plotted variables, `point` gives
the fixed values of the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import contourpy
import numpy as np

from explorer.engine import Function

Box = tuple[tuple[float, float], tuple[float, float]]
LINES = contourpy.LineType.Separate
SMALL_PART = 0.4  # of a grid: a level crossed in no more is traced on a part of it
PATCH_HALF = 0.18  # overlay patches span this fraction of each axis on either side


@dataclass(frozen=True)
class Surface:
    xs: np.ndarray
    ys: np.ndarray
    z: np.ndarray  # (nx, ny), NaN where f is undefined
    normals: np.ndarray  # (nx, ny, 3), from the gradient: (−f_x, −f_y, 1)
    auto_range: tuple[float, float]
    undefined: bool  # some of the domain is outside f's domain


@dataclass(frozen=True)
class Curve:
    xs: np.ndarray
    ys: np.ndarray
    auto_range: tuple[float, float]
    undefined: bool


def slice_args(axes: tuple[int, ...], point: np.ndarray, grids: Sequence) -> list:
    """Arguments for `f`: the grids on the plotted axes, the point elsewhere."""
    args: list = [float(v) for v in point]
    for axis, grid in zip(axes, grids, strict=True):
        args[axis] = grid
    return args


def auto_range(z: np.ndarray, near: np.ndarray | None = None) -> tuple[float, float]:
    """A z-range that shows the function's shape, not its poles: the full range
    unless a few extreme values dominate it, then the 1st–99th percentiles.
    `near`: the values around the selected point; where that range would flatten
    them (they span under 2 % of it, as exp(10xy) does at its saddle), it closes
    in around them if most of the surface stays in view; what lies beyond is cut
    (the panel says so)."""
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return (-1.0, 1.0)
    lo, hi = float(finite.min()), float(finite.max())
    k = [finite.size // 100, finite.size - 1 - finite.size // 100]
    p_lo, p_hi = (float(v) for v in np.partition(finite, k)[k])  # ~1st and 99th percentiles
    if hi - lo > 5 * (p_hi - p_lo) and p_hi > p_lo:
        lo, hi = p_lo, p_hi
    local = near[np.isfinite(near)] if near is not None else finite[:0]
    if local.size:
        n_lo, n_hi = float(local.min()), float(local.max())
        if 0 < n_hi - n_lo < 0.02 * (hi - lo):
            mid, half = 0.5 * (n_lo + n_hi), 1.5 * (n_hi - n_lo)
            c_lo, c_hi = max(float(finite.min()), mid - half), min(float(finite.max()), mid + half)
            if np.mean((finite >= c_lo) & (finite <= c_hi)) >= 0.5:  # most stays in view
                lo, hi = c_lo, c_hi
    if hi - lo < 1e-12 * max(1.0, abs(hi)):
        return (lo - 1.0, hi + 1.0)
    pad = 0.02 * (hi - lo)
    return (lo - pad, hi + pad)


def near_point(z: np.ndarray, xs: np.ndarray, ys: np.ndarray, center) -> np.ndarray:
    """The values of a grid within the model patches' reach of `center`."""
    wx = PATCH_HALF * (xs[-1] - xs[0])
    wy = PATCH_HALF * (ys[-1] - ys[0]) if z.ndim == 2 else 0.0
    ix = np.abs(xs - center[0]) <= wx
    if z.ndim == 1:
        return z[ix]
    return z[np.ix_(ix, np.abs(ys - center[1]) <= wy)]


def surface(
    f: Function, axes: tuple[int, int], point: np.ndarray, box: Box, resolution: int
) -> Surface:
    xs = np.linspace(*box[0], resolution)
    ys = np.linspace(*box[1], resolution)
    # a column and a row, broadcast by the engine: what depends on one variable
    # only (sin(3x) in sin(3x)cos(2y)) is computed once per row or column
    value, grad = f.value_and_gradient(*slice_args(axes, point, (xs[:, None], ys[None, :])))
    z = np.array(value, dtype=np.float64)
    z[~np.isfinite(z)] = np.nan
    normals = np.empty((*z.shape, 3))
    normals[..., 0] = -grad[axes[0]]
    normals[..., 1] = -grad[axes[1]]
    normals[..., 2] = 1.0
    # (per component: numpy reduces a length-3 last axis slowly)
    bad = ~(np.isfinite(normals[..., 0]) & np.isfinite(normals[..., 1]))
    normals[bad] = (0.0, 0.0, 1.0)
    near = near_point(z, xs, ys, (point[axes[0]], point[axes[1]]))
    return Surface(xs, ys, z, normals, auto_range(z, near), bool(np.isnan(z).any()))


def curve(f: Function, point: np.ndarray, box: tuple[float, float], resolution: int) -> Curve:
    """The graph of a function of one variable, sampled densely; a NaN row between
    two samples that a pole or a jump separates, so no line joins them."""
    xs = np.linspace(*box, max(resolution, 400))
    with np.errstate(all="ignore"):
        ys = np.array(f(*slice_args((0,), point, (xs,))), dtype=np.float64)
    ys[~np.isfinite(ys)] = np.nan
    near = near_point(ys, xs, xs, (point[0],))
    drawn_range, undefined = auto_range(ys, near), bool(np.isnan(ys).any())
    cut = np.flatnonzero(_discontinuous(f, point, xs, ys))
    xs = np.insert(xs, cut + 1, np.nan)
    ys = np.insert(ys, cut + 1, np.nan)
    return Curve(xs, ys, drawn_range, undefined)


def _discontinuous(
    f: Function, point: np.ndarray, xs: np.ndarray, ys: np.ndarray, steps: int = 40
) -> np.ndarray:
    """For each pair of neighbouring samples, whether f jumps between them (a pole,
    a step). Bisection keeps the half with the larger change: for a continuous f the
    change shrinks with the interval, for a jump or a pole it does not."""
    lo, hi = xs[:-1].copy(), xs[1:].copy()
    f_lo, f_hi = ys[:-1].copy(), ys[1:].copy()
    jump = np.abs(f_hi - f_lo)
    finite = ys[np.isfinite(ys)]
    spread = float(np.ptp(finite)) if finite.size else 0.0
    # only steps that are visible can be drawn as a wrong vertical line
    look = np.flatnonzero(np.isfinite(jump) & (jump > 1e-3 * spread))
    lo, hi, f_lo, f_hi = lo[look], hi[look], f_lo[look], f_hi[look]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            mid = 0.5 * (lo + hi)
            f_mid = np.asarray(f(*slice_args((0,), point, (mid,))), dtype=np.float64)
            left = np.abs(f_mid - f_lo) >= np.abs(f_hi - f_mid)
            # an undefined midpoint (log|x| at 0) is a break in itself: keep it
            left |= ~np.isfinite(f_mid)
            hi, f_hi = np.where(left, mid, hi), np.where(left, f_mid, f_hi)
            lo, f_lo = np.where(left, lo, mid), np.where(left, f_lo, f_mid)
        remaining = np.abs(f_hi - f_lo)
        # (a quarter: a jump whose middle value is hit exactly, sign(0) = 0, keeps half)
        broken = ~np.isfinite(remaining) | (remaining > 0.25 * jump[look])
    out = np.zeros(jump.shape, dtype=bool)
    out[look] = broken
    return out


def contour_levels(zrange: tuple[float, float], count: int) -> np.ndarray:
    lo, hi = zrange
    return np.linspace(lo, hi, count + 2)[1:-1]


@dataclass(frozen=True)
class Grid:
    """Values of f on a grid over a box (the map's visible region), no derivatives.

    `z` is the transpose of a C-ordered (ny, nx) array whose points `rows` holds:
    the layout contourpy reads, which then needs neither a copy nor a meshgrid."""

    xs: np.ndarray
    ys: np.ndarray
    z: np.ndarray  # (nx, ny), NaN where f is undefined
    rows: tuple[np.ndarray, np.ndarray]  # x and y at z.T's points, (ny, nx) each


def grid(f: Function, axes: tuple[int, int], point: np.ndarray, box: Box, resolution: int) -> Grid:
    """f over `box` with square cells, `resolution` of them across its shorter side
    (at most 4·resolution² values in all, for a very elongated box)."""
    spans = np.array([box[0][1] - box[0][0], box[1][1] - box[1][0]])
    counts = resolution * spans / spans.min()
    counts *= min(1.0, 2 * resolution / np.sqrt(counts.prod()))
    nx, ny = (max(2, int(round(c))) for c in counts)
    xs = np.linspace(*box[0], nx)
    ys = np.linspace(*box[1], ny)
    x, y = np.meshgrid(xs, ys)  # (ny, nx): see Grid
    with np.errstate(all="ignore"):  # (broadcast: see `surface`)
        z = np.array(
            np.broadcast_to(f(*slice_args(axes, point, (xs[None, :], ys[:, None]))), x.shape),
            dtype=np.float64,
        )
    z[~np.isfinite(z)] = np.nan
    return Grid(xs, ys, z.T, (x, y))


@dataclass(frozen=True)
class Contours:
    levels: np.ndarray
    lines: np.ndarray  # (k, 2), NaN rows between lines
    labels: np.ndarray  # (m, 3): x, y and level of each label, placed on its line


def contours(
    s: Grid, levels: np.ndarray, label_gap: float = np.inf, within: Box | None = None
) -> Contours:
    """Contour lines, and label positions: one at the middle of each line longer
    than `label_gap`, none closer than `label_gap` to another label, all `within`."""
    (x0, x1), (y0, y1) = within or ((-np.inf, np.inf), (-np.inf, np.inf))
    lines: list[np.ndarray] = []
    line_levels: list[float] = []
    for level, found in zip(levels, _level_lines(s, levels), strict=True):
        lines += found
        line_levels += [level] * len(found)
    sep = np.full((1, 2), np.nan)
    joined = np.concatenate([p for line in lines for p in (line, sep)]) if lines else sep[:0]
    # every line's steps at once: the rows between two lines (NaN) step nowhere
    steps = np.hypot(*np.diff(joined, axis=0).T) if lines else joined[:0, 0]
    labels: list[tuple[float, float, float]] = []
    start = 0
    for line, level in zip(lines, line_levels, strict=True):
        own, start = steps[start : start + len(line) - 1], start + len(line) + 1
        total = own.sum()
        if total < label_gap:
            continue
        at = line[np.searchsorted(np.cumsum(own), 0.5 * total)]
        if not (x0 <= at[0] <= x1 and y0 <= at[1] <= y1):
            continue
        if all(np.hypot(at[0] - x, at[1] - y) >= label_gap for x, y, _ in labels):
            labels.append((float(at[0]), float(at[1]), float(level)))
    return Contours(np.asarray(levels), joined, np.array(labels).reshape(-1, 3))


def _level_lines(s: Grid, levels: np.ndarray) -> list[list[np.ndarray]]:
    """contourpy's lines of each level. contourpy visits every cell of its grid for
    each level, so a level that f crosses only in a small part of the grid (a bump
    on a flat plain, a wide padded map) is traced on a part holding all of its
    crossings, which gives the same lines: the part of a level crossed more
    widely when it holds them (making a generator costs ~0.1 ms), else its own."""
    z = s.z.T  # contourpy wants z[row=y, col=x] (NaN it masks itself)
    spans = list(zip(_crossed(z, 1, levels), _crossed(z, 0, levels), strict=True))
    areas = [(r1 - r0) * (c1 - c0) for (r0, r1), (c0, c1) in spans]  # 0: not crossed
    whole = ((0, z.shape[0]), (0, z.shape[1]))
    parts: list[tuple[tuple[tuple[int, int], tuple[int, int]], Any]] = []
    found: list[list[np.ndarray]] = [[] for _ in levels]
    for k in sorted(range(len(levels)), key=lambda k: -areas[k]):  # the widest first
        if not areas[k]:
            continue
        (r0, r1), (c0, c1) = spans[k]
        held = [
            g
            for (rows, cols), g in parts
            if rows[0] <= r0 and r1 <= rows[1] and cols[0] <= c0 and c1 <= cols[1]
        ]
        if held:
            gen = held[-1]  # the smallest part that holds it
        else:
            own = whole if areas[k] > SMALL_PART * z.size else spans[k]
            where = (slice(*own[0]), slice(*own[1]))
            gen = contourpy.contour_generator(
                s.rows[0][where], s.rows[1][where], z[where], line_type=LINES
            )
            parts.append((own, gen))
        found[k] = gen.lines(levels[k])
    return found


def _crossed(z: np.ndarray, axis: int, levels: np.ndarray) -> list[tuple[int, int]]:
    """For each level, the rows (axis 1) or columns (axis 0) of `z` holding every
    cell whose corners' values reach from below to above it, as (first, last + 1)."""
    lo, hi = np.fmin.reduce(z, axis=axis), np.fmax.reduce(z, axis=axis)  # NaN only if all are
    band_lo, band_hi = np.fmin(lo[:-1], lo[1:]), np.fmax(hi[:-1], hi[1:])  # between neighbours
    levels = np.asarray(levels, dtype=np.float64)[:, None]
    crossed = (band_lo <= levels) & (levels <= band_hi)  # (level, band)
    any_ = crossed.any(axis=1)
    first = np.argmax(crossed, axis=1)
    last = crossed.shape[1] - np.argmax(crossed[:, ::-1], axis=1)
    return [
        (int(a), int(b) + 1) if ok else (0, 0) for a, b, ok in zip(first, last, any_, strict=True)
    ]


def intersect(a: Box, b: Box) -> Box | None:
    """The common part of two boxes, or None."""
    (ax0, ax1), (ay0, ay1) = a
    (bx0, bx1), (by0, by1) = b
    x0, x1, y0, y1 = max(ax0, bx0), min(ax1, bx1), max(ay0, by0), min(ay1, by1)
    return ((x0, x1), (y0, y1)) if x0 < x1 and y0 < y1 else None


def patch_grid(center: Sequence[float], box: Box, half: float, n: int):
    """A small n×n grid around `center`, `half` of each axis's span wide."""
    spans = [b[1] - b[0] for b in box]
    u = np.linspace(-1.0, 1.0, n)
    return np.meshgrid(
        center[0] + half * spans[0] * u, center[1] + half * spans[1] * u, indexing="ij"
    )


def arrows_2d(starts: np.ndarray, vectors: np.ndarray, head: float = 0.25) -> np.ndarray:
    """Arrows as line segments: for each, its shaft and its two barbs, with a NaN
    row after the shaft and after the barbs, so no line joins two arrows.
    `starts` and `vectors` are (k, 2); the result is (7k, 2)."""
    s = np.asarray(starts, dtype=np.float64).reshape(-1, 2)
    v = np.asarray(vectors, dtype=np.float64).reshape(-1, 2)
    tip = s + v
    back = -v * head
    c, sn = np.cos(0.45), np.sin(0.45)
    left = tip + np.stack([c * back[:, 0] - sn * back[:, 1], sn * back[:, 0] + c * back[:, 1]], 1)
    right = tip + np.stack([c * back[:, 0] + sn * back[:, 1], -sn * back[:, 0] + c * back[:, 1]], 1)
    nan = np.full_like(s, np.nan)
    return np.stack([s, tip, nan, left, tip, right, nan], axis=1).reshape(-1, 2)


def arrow_2d(start: Sequence[float], vector: Sequence[float], head: float = 0.25) -> np.ndarray:
    """One arrow as line segments (see `arrows_2d`)."""
    return arrows_2d(np.asarray(start)[None], np.asarray(vector)[None], head)


def gradient_field(
    f: Function, axes: tuple[int, int], point: np.ndarray, box: Box, count: int = 17
) -> np.ndarray:
    """Arrows of ∇f at the centres of square cells, `count` of them across the
    longer side of `box`; the longest arrows nearly fill a cell."""
    spans = np.array([box[0][1] - box[0][0], box[1][1] - box[1][0]])
    cell = spans.max() / count
    (x0, x1), (y0, y1) = box
    nx, ny = (max(1, int(round(s / cell))) for s in spans)
    xs = x0 + (np.arange(nx) + 0.5) * (x1 - x0) / nx
    ys = y0 + (np.arange(ny) + 0.5) * (y1 - y0) / ny
    x, y = np.meshgrid(xs, ys, indexing="ij")
    with np.errstate(all="ignore"):
        grad = f.gradient(*slice_args(axes, point, (x, y)))
        gx = np.broadcast_to(grad[axes[0]], x.shape).ravel()
        gy = np.broadcast_to(grad[axes[1]], x.shape).ravel()
        mag = np.hypot(gx, gy)
    shown = np.isfinite(mag) & (mag > 0)
    if not shown.any():
        return np.empty((0, 2))
    # Lengths grow with |∇f|, compressed (sqrt) so that small gradients stay visible,
    # against the 95th percentile so that one pole does not shrink every other arrow;
    # directions are true in data units (the map keeps its aspect ratio 1:1).
    top = float(np.percentile(mag[shown], 95))
    length = 0.85 * min(spans.min(), cell) * np.sqrt(np.minimum(mag[shown] / top, 1.0))
    vx = gx[shown] / mag[shown] * length
    vy = gy[shown] / mag[shown] * length
    starts = np.stack([x.ravel()[shown] - vx / 2, y.ravel()[shown] - vy / 2], axis=1)
    return arrows_2d(starts, np.stack([vx, vy], axis=1), head=0.3)


def _clip_to_box(
    origin: np.ndarray, direction: np.ndarray, lows: np.ndarray, highs: np.ndarray
) -> tuple[float, float] | None:
    """The parameter interval where origin + t·direction lies in the box (slab method)."""
    t0, t1 = -np.inf, np.inf
    for o, d, lo, hi in zip(origin, direction, lows, highs, strict=True):
        if abs(d) < 1e-300:
            if not lo <= o <= hi:
                return None
            continue
        a, b = sorted(((lo - o) / d, (hi - o) / d))
        t0, t1 = max(t0, a), min(t1, b)
    return (t0, t1) if t0 <= t1 else None


def ray_hit(
    f: Function,
    axes: tuple[int, int],
    point: np.ndarray,
    box: Box,
    zrange: tuple[float, float],
    origin,
    direction,
    samples: int = 600,
) -> tuple[float, float, float] | None:
    """Where a ray (data coordinates) first meets the drawn surface: march through
    the visible box, then bisect the first crossing to ~1e-12 of the box."""
    o = np.asarray(origin, dtype=np.float64)
    d = np.asarray(direction, dtype=np.float64)
    lows = np.array([box[0][0], box[1][0], zrange[0]])
    highs = np.array([box[0][1], box[1][1], zrange[1]])
    span = _clip_to_box(o, d, lows, highs)
    if span is None:
        return None
    t = np.linspace(span[0], span[1], samples)

    def gap(tt):
        x, y, z = o[:, None] + d[:, None] * np.atleast_1d(tt)[None, :]
        with np.errstate(all="ignore"):
            return z - np.asarray(f(*slice_args(axes, point, (x, y))))

    h = gap(t)
    valid = np.isfinite(h)
    cross = np.flatnonzero(valid[:-1] & valid[1:] & (np.sign(h[:-1]) != np.sign(h[1:])))
    if cross.size == 0:
        return None
    lo, hi = t[cross[0]], t[cross[0] + 1]
    h_lo = h[cross[0]]
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        h_mid = gap(mid)[0]
        if not np.isfinite(h_mid):
            break
        if np.sign(h_mid) == np.sign(h_lo):
            lo, h_lo = mid, h_mid
        else:
            hi = mid
    x, y, z = o + d * 0.5 * (lo + hi)
    return float(x), float(y), float(z)
