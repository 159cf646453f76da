"""What the 3D view's overlays are made of, cut to the plotted box and to where
the function is defined: the tangent plane and Taylor quadratic as triangles,
arrows as a start and an end, the partial-derivative cross-sections as line
segments. Plain numpy; no Qt.

A Taylor model exists everywhere, but it is drawn only over the part of the
patch where f itself is defined (the plane of log(xy) at (0.05, 0.05) does not
reach into the quadrants where log(xy) is undefined), and only inside the box
(never flattened onto the box's lid).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explorer.engine import Function

from .clip import clip_segments, clip_triangles, grid_triangles, polyline_segments
from .geometry import Box, patch_grid, slice_args

ARROW_SAMPLES = 64  # points tested along an arrow for where f is undefined


def box_bounds(box: Box, zrange: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """(lows, highs) of the plotted box in data coordinates."""
    return (
        np.array([box[0][0], box[1][0], zrange[0]]),
        np.array([box[0][1], box[1][1], zrange[1]]),
    )


def _values(f: Callable, axes: tuple[int, int], point: np.ndarray, x, y) -> np.ndarray:
    with np.errstate(all="ignore"):
        return np.broadcast_to(
            np.asarray(f(*slice_args(axes, point, (x, y))), dtype=np.float64),
            np.shape(x),
        )


def _patch(
    model: Callable,
    f: Function,
    axes: tuple[int, int],
    point: np.ndarray,
    box: Box,
    half: float,
    n: int,
) -> np.ndarray:
    """A Taylor model over an n×n patch around the point, (n, n, 3), with NaN
    heights where f is undefined."""
    x, y = patch_grid((point[axes[0]], point[axes[1]]), box, half, n)
    z = _values(model, axes, point, x, y).copy()
    z[~np.isfinite(_values(f, axes, point, x, y))] = np.nan
    return np.stack([x, y, z], axis=-1)


def model_triangles(model, f, axes, point, box, zrange, half: float, n: int) -> np.ndarray:
    """The patch as triangles (k, 3, 3): cells where f is undefined are left
    out, the rest is cut to the box."""
    v = _patch(model, f, axes, point, box, half, n)
    return clip_triangles(grid_triangles(v), *box_bounds(box, zrange))


def model_grid_lines(model, f, axes, point, box, zrange, half: float, n: int) -> np.ndarray:
    """The patch as grid lines, segments (k, 2, 3) cut to the box (a wireframe)."""
    v = _patch(model, f, axes, point, box, half, n)
    starts = np.concatenate([v[:-1, :].reshape(-1, 3), v[:, :-1].reshape(-1, 3)])
    ends = np.concatenate([v[1:, :].reshape(-1, 3), v[:, 1:].reshape(-1, 3)])
    return clip_segments(starts, ends, *box_bounds(box, zrange))


def model_outline(model, f, axes, point, box, zrange, half: float, n: int) -> np.ndarray:
    """The patch's border, segments (k, 2, 3) cut to the box."""
    v = _patch(model, f, axes, point, box, half, n)
    ring = np.concatenate([v[:, 0], v[-1, 1:], v[-2::-1, -1], v[0, -2::-1]])
    return clip_segments(ring[:-1], ring[1:], *box_bounds(box, zrange))


def arrow(
    f: Function,
    axes: tuple[int, int],
    point: np.ndarray,
    value: float,
    gradient: np.ndarray,
    vector: np.ndarray,
    box: Box,
    zrange: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray] | None:
    """An arrow from the point along the tangent plane by the plotted `vector`
    (it rises by ∇f·v), as (start, end) in data coordinates, shortened to stay
    inside the box and where f is defined; None if nothing of it is left."""
    a, b = axes
    start = np.array([point[a], point[b], value], dtype=np.float64)
    with np.errstate(all="ignore"):
        rise = float(gradient[a] * vector[0] + gradient[b] * vector[1])
        end = start + np.array([vector[0], vector[1], rise])
    inside = clip_segments(start, end, *box_bounds(box, zrange))
    if len(inside) == 0 or not np.allclose(inside[0, 0], start):
        return None
    end = inside[0, 1]
    # stop before the first sample where f is undefined
    t = np.linspace(0.0, 1.0, ARROW_SAMPLES)
    path = start[None, :] + t[:, None] * (end - start)[None, :]
    bad = ~np.isfinite(_values(f, axes, point, path[:, 0], path[:, 1]))
    if bad.any():
        first = int(np.argmax(bad))
        if first == 0:
            return None
        end = path[first - 1]
    if not np.any(end != start):
        return None
    return start, end


@dataclass(frozen=True)
class Sections:
    """The curves x = x₀ and y = y₀ on the surface and their tangent lines at the
    point (slopes ∂f/∂x and ∂f/∂y): each as segments (k, 2, 3) cut to the box,
    and the raw slices for a 2D plot."""

    along_x: np.ndarray  # the curve y = y₀ (x varies)
    along_y: np.ndarray  # the curve x = x₀ (y varies)
    tangent_x: np.ndarray  # its tangent line, slope ∂f/∂x
    tangent_y: np.ndarray  # slope ∂f/∂y
    xs: np.ndarray
    f_of_x: np.ndarray  # f(x, y₀)
    ys: np.ndarray
    f_of_y: np.ndarray  # f(x₀, y)


def sections(
    f: Function,
    axes: tuple[int, int],
    point: np.ndarray,
    value: float,
    gradient: np.ndarray,
    box: Box,
    zrange: tuple[float, float],
    n: int = 201,
    tangent_half: float = 0.2,
) -> Sections:
    a, b = axes
    x0, y0 = float(point[a]), float(point[b])
    xs = np.linspace(*box[0], n)
    ys = np.linspace(*box[1], n)
    fx = _values(f, axes, point, xs, np.full(n, y0))
    fy = _values(f, axes, point, np.full(n, x0), ys)
    bounds = box_bounds(box, zrange)

    def curve(points: np.ndarray) -> np.ndarray:
        return clip_segments(*polyline_segments(points), *bounds)

    def tangent(direction: np.ndarray, span: float) -> np.ndarray:
        start = np.array([x0, y0, value])
        with np.errstate(all="ignore"):
            d = direction * tangent_half * span
            return clip_segments(start - d, start + d, *bounds)

    with np.errstate(all="ignore"):
        dx, dy = float(gradient[a]), float(gradient[b])
    return Sections(
        curve(np.stack([xs, np.full(n, y0), fx], axis=1)),
        curve(np.stack([np.full(n, x0), ys, fy], axis=1)),
        tangent(np.array([1.0, 0.0, dx]), box[0][1] - box[0][0]),
        tangent(np.array([0.0, 1.0, dy]), box[1][1] - box[1][0]),
        xs,
        fx,
        ys,
        fy,
    )
