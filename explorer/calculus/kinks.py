"""Extrema where f is not differentiable: |x| + |y| has its minimum at a corner,
where no gradient vanishes and Newton cannot go. The op table says where f has
kinks (`Function.kink_distance`); a derivative-free pattern search, from the
grid's local extrema next to a kink, finds the corner itself."""

from __future__ import annotations

import itertools

import numpy as np

GRID = {1: 401, 2: 41, 3: 15}  # grid points per axis, by dimension
RING = 24  # directions tried around a found point


def nonsmooth_extrema(f, box: np.ndarray) -> list[tuple[np.ndarray, float, str]]:
    """``(point, value, kind)`` for each strict local minimum or maximum of `f`
    in `box` that lies on a kink, ``kind`` being ``minimum`` or ``maximum``."""
    n = box.shape[0]
    if n not in GRID or not np.any(np.isfinite(f.kink_distance(*box.mean(axis=1)))):
        return []  # no op of f has a kink (or too many variables to grid)
    size = box[:, 1] - box[:, 0]
    axes = [np.linspace(lo, hi, GRID[n]) for lo, hi in box]
    grid = np.meshgrid(*axes, indexing="ij")
    values = np.asarray(f(*grid))
    dist = np.asarray(f.kink_distance(*grid))
    if not np.any(np.isfinite(dist)):
        return []
    found: list[tuple[np.ndarray, float, str]] = []
    for sign, kind in ((1.0, "minimum"), (-1.0, "maximum")):
        starts = _grid_extrema(sign * values, dist)
        if starts[0].size == 0:
            continue
        x = np.stack([g[starts] for g in grid])
        for p in _pattern_search(f, x, sign, box).T:
            p = np.where(np.abs(p) < 1e-9 * size, 0.0, p)
            value = float(f(*p))
            scale = max(1e-300, float(np.nanmax(dist)))
            if not np.isfinite(value) or float(f.kink_distance(*p)) > 1e-7 * scale:
                continue
            if _strict(f, p, value, sign, size) and not _seen(found, p, size):
                found.append((p, value, kind))
    return found


def _grid_extrema(v: np.ndarray, dist: np.ndarray) -> tuple[np.ndarray, ...]:
    """Grid points no higher than their neighbours, with a kink within a cell."""
    padded = np.pad(v, 1, constant_values=np.nan)
    dpad = np.pad(dist, 1, constant_values=np.nan)
    inner = tuple(slice(1, -1) for _ in v.shape)
    low = np.isfinite(v)
    near = np.zeros(v.shape, dtype=bool)
    for axis in range(v.ndim):
        for shift in (-1, 1):
            idx = list(inner)
            idx[axis] = slice(1 + shift, v.shape[axis] + 1 + shift)
            other = padded[tuple(idx)]
            low &= ~(other < v)  # NaN neighbours (edges, holes) do not count
            with np.errstate(invalid="ignore"):
                near |= dist <= np.abs(dpad[tuple(idx)] - dist)
    return np.nonzero(low & near & np.isfinite(dist))


def _pattern_search(f, x: np.ndarray, sign: float, box: np.ndarray) -> np.ndarray:
    """Compass search on ``sign·f`` from each column of `x`, inside the box: try
    a step along every grid direction, take the best, halve when none helps."""
    n, k = x.shape
    size = box[:, 1] - box[:, 0]
    dirs = np.array([d for d in itertools.product((-1, 0, 1), repeat=n) if any(d)], float).T
    h = np.full(k, 1.0 / (GRID[n] - 1))
    best = sign * np.asarray(f(*x))
    while np.any(h > 1e-13):
        trial = x[:, :, None] + (dirs[:, None, :] * h[None, :, None]) * size[:, None, None]
        trial = np.clip(trial, box[:, :1, None], box[:, 1:, None])
        tv = sign * np.asarray(f(*trial))
        tv = np.where(np.isfinite(tv), tv, np.inf)
        pick = np.argmin(tv, axis=1)
        better = tv[np.arange(k), pick] < best
        x = np.where(better, trial[:, np.arange(k), pick], x)
        best = np.where(better, tv[np.arange(k), pick], best)
        h = np.where(better | (h <= 1e-13), h, h / 2)
    return x


def _strict(f, p: np.ndarray, value: float, sign: float, size: np.ndarray) -> bool:
    """Whether f rises (sign +1) or falls (−1) in every direction around p."""
    n = p.size
    rng = np.random.default_rng(0)
    # the axes too: a valley floor along one (relu(x) + y²) is no strict extremum
    dirs = np.hstack([np.eye(n), -np.eye(n), rng.normal(size=(n, RING if n > 1 else 0))])
    dirs /= np.linalg.norm(dirs, axis=0)
    for r in (1e-3, 1e-6):
        around = sign * (np.asarray(f(*(p[:, None] + r * size[:, None] * dirs))) - value)
        if not np.all(around > 0):
            return False
    return True


def _seen(found: list, p: np.ndarray, size: np.ndarray) -> bool:
    return any(np.all(np.abs(q - p) <= 1e-6 * size) for q, _, _ in found)
